import ExcelJS from 'exceljs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../../src/main/excel/import'
import { getProgress } from '../../src/main/excel/progress'
import { scheduleSearchIndex } from '../../src/main/db/search'
import { testApp, type TestApp } from '../helpers'
import { makeIdNumber } from '../../src/shared/idNumber'

/**
 * Issue 15.1: the import checks and stages rows without holding the database's write lock, then
 * writes them in one short transaction. What a clerk notices: the window keeps saving while a large
 * file is read, a member registered meanwhile is not imported twice, the trail has one entry per
 * import, and the imported people are found by the search box at once.
 */
let app: TestApp
beforeEach(async () => {
  app = testApp()
  for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) await app.ok('villages.create', { name, kind })
})
afterEach(() => app.dispose())

const N = 20_000

/** A distinct valid 身份证号 for each i. */
const ID = (i: number) => makeIdNumber('430103', new Date(Date.UTC(1950, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10), 1 + Math.floor(i / 20_000))

/** A roster of n members (streamed, as large files are written), 张三 in row 3 (its first data row). */
async function roster(n: number): Promise<string> {
  const file = join(app.dir, `roster-${n}.xlsx`)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['大托铺街道群防群治队伍花名册']).commit()
  ws.addRow(['序号', '姓名', '公民身份号码', '手机号', '村居', '职务', '入队时间']).commit()
  for (let i = 0; i < n; i++)
    ws.addRow([i + 1, i === 0 ? '张三' : `队员${i}`, ID(i), `139${String(i).padStart(8, '0')}`, i % 2 ? '新塘村' : '桂花社区', '志愿者', '2024-03-01']).commit()
  ws.commit()
  await wb.commit()
  return file
}

/** Resolves once the import's progress says it is reading, past `rows` rows. */
async function whileReading(jobId: string, rows: number): Promise<void> {
  for (;;) {
    const p = getProgress(jobId)
    if (p?.phase === 'reading' && p.rows >= rows) return
    if (p && p.phase !== 'reading') throw new Error(`the import left the reading phase (${p.phase}) before the test could act`)
    await new Promise((r) => setImmediate(r))
  }
}

describe('a large import and the window at the same time', () => {
  it('the window saves while the file is read; the import then writes all its rows', { timeout: 120_000 }, async () => {
    const file = await roster(N)
    const running = importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx', jobId: 'job-save' })
    await whileReading('job-save', 100)
    // a write from the screen mid-import: saved at once, not refused as 程序内部出错 (database is locked)
    const v = await app.ok('villages.create', { name: '牛角塘村', kind: 'village' })
    expect(getProgress('job-save')?.phase).toBe('reading')
    const r = await running
    expect(r.imported).toBe(N)
    expect(r.rejectedRows).toBe(0)
    expect((await app.ok('villages.get', { id: v.id })).name).toBe('牛角塘村')
    expect((await app.ok('members.list', { limit: 1 })).total).toBe(N)
  })

  it('a member registered while the file is read is not imported a second time: the row is refused by name', { timeout: 120_000 }, async () => {
    const file = await roster(N)
    const running = importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx', jobId: 'job-dup' })
    // row 3 (张三) has been checked and staged: nobody had that ID then
    await whileReading('job-dup', 100)
    const village = (await app.ok('villages.list', {})).rows.find((x) => x.name === '新塘村')!.id
    await app.ok('members.create', { name: '张三', idNumber: ID(0), villageId: village, roles: ['mediator'], joinedOn: '2024-01-01' })
    const r = await running
    // all or nothing: the file is refused, the report names the row and the member already there
    expect(r.imported).toBe(0)
    expect(r.batchId).toBeNull()
    expect(r.rejectedRows).toBe(1)
    expect(r.rejected[0]).toMatchObject({ row: 3, column: '公民身份号码' })
    expect(r.rejected[0]!.message).toContain('已登记为成员「张三」')
    expect(r.wouldImport).toBe(N - 1)
    expect((await app.ok('members.list', { limit: 1 })).total).toBe(1)
  })
})

describe('what an import leaves behind', () => {
  it('one audit entry for the whole import with its row count; undo removes every row', { timeout: 120_000 }, async () => {
    const file = await roster(300)
    const r = await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx' })
    expect(r.imported).toBe(300)
    const trail = await app.ok('audit.list', { tableName: 'members' })
    expect(trail.total).toBe(1)
    const entry = trail.rows[0]!
    expect(entry.recordId).toBe(r.batchId)
    expect(entry.changes.find((c) => c.field === '条数')?.new).toBe(300)
    expect(String(entry.changes.find((c) => c.field === 'Excel导入')?.new)).toContain('花名册.xlsx')
    const undone = await app.ok('excel.undoImport', { batchId: r.batchId! })
    expect(undone.removed).toBe(300)
    expect((await app.ok('members.list', { limit: 1 })).total).toBe(0)
  })

  it('the search box finds imported people at once, and still after they are indexed', { timeout: 120_000 }, async () => {
    const file = await roster(3000)
    await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx' })
    const find = async (q: string) => (await app.ok('members.list', { q, limit: 10 })).rows.map((m) => m.name)
    // before the background indexing: the rows not yet indexed are scanned
    expect(await find('张三')).toEqual(['张三'])
    expect(await find('队员2999')).toEqual(['队员2999'])
    await scheduleSearchIndex(app.ctx.db)
    expect(app.ctx.db.prepare('SELECT count(*) AS n FROM search_backlog').get()).toEqual({ n: 0 })
    expect(await find('张三')).toEqual(['张三'])
    expect(await find('队员2999')).toEqual(['队员2999'])
    // a phone fragment
    expect(await find('00002999')).toEqual(['队员2999'])
  })
})

describe('values the writer draws', () => {
  it('cases without a number take the next ones at the commit, skipping a number the same file gives', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('调解台账')
    ws.addRow(['受理日期', '纠纷类型', '村居', '申请人', '被申请人', '纠纷简要情况', '调解结果', '案件编号'])
    ws.addRow(['2024-04-01', '邻里纠纷', '新塘村', '甲', '乙', '排水沟纠纷', '待调解', ''])
    ws.addRow(['2024-04-02', '邻里纠纷', '新塘村', '丙', '丁', '噪音扰民', '待调解', '〔2024〕大托调字第1号'])
    ws.addRow(['2024-04-03', '邻里纠纷', '新塘村', '戊', '己', '滴水檐', '待调解', ''])
    const file = join(app.dir, 'cases.xlsx')
    await wb.xlsx.writeFile(file)
    const r = await importFile(app.ctx, { register: 'mediation', path: file, fileName: 'cases.xlsx' })
    expect(r.rejected).toEqual([])
    expect(r.imported).toBe(3)
    const cases = (await app.ok('mediation.list', { sort: [{ field: 'receivedOn', dir: 'asc' }] })).rows.map((c) => [c.summary, c.caseNo])
    expect(cases).toEqual([
      ['排水沟纠纷', '〔2024〕大托调字第2号'],
      ['噪音扰民', '〔2024〕大托调字第1号'],
      ['滴水檐', '〔2024〕大托调字第3号'],
    ])
  })
})
