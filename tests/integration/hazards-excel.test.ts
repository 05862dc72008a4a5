import ExcelJS from 'exceljs'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Hazard } from '../../src/shared/hazards/types'
import { runCli } from '../cli'
import { testApp, type TestApp } from '../helpers'
import { readBase64, toBase64 } from './excelFixtures'

/** The 安全隐患排查整改台账 in Excel: import (dry run, all or nothing, skip bad, undo), export and template. */

let app: TestApp
beforeEach(async () => {
  app = testApp()
  await org(app)
})
afterEach(() => app.dispose())

/** The same villages and units in every township database of these tests, so names resolve on import. */
async function org(a: TestApp) {
  const xt = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  const gh = await a.ok('villages.create', { name: '桂花社区', kind: 'community' })
  const school = await a.ok('units.create', { name: '大托中心小学', kind: 'school', villageId: xt.id })
  const market = await a.ok('units.create', { name: '桂花农贸市场', kind: 'market' })
  return { xt, gh, school, market }
}

function sheet(rows: unknown[][]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('隐患台账')
  ws.addRow(['2024年安全隐患排查整改台账'])
  ws.mergeCells(1, 1, 1, rows[0]!.length)
  for (const r of rows) ws.addRow(r)
  return wb
}

async function importRows(rows: unknown[][], extra: object = {}) {
  return app.ok('excel.import', { register: 'hazards', fileBase64: await toBase64(sheet(rows)), fileName: '隐患台账.xlsx', ...extra })
}

const messages = (r: { rejected: { row: number; column: string; message: string }[] }, row: number) =>
  r.rejected.filter((e) => e.row === row).map((e) => `${e.column}:${e.message}`)

/** What a clerk sees of a hazard, without ids and timestamps. */
const seen = (h: Hazard) => {
  const { id: _i, createdAt: _c, updatedAt: _u, deletedAt: _d, township: _t, villageId: _v, unitId: _n, ...rest } = h
  return rest
}
const all = async (a: TestApp) => (await a.ok('hazards.list', { sort: [{ field: 'foundOn', dir: 'asc' }] })).rows.map(seen)

const head = ['序号', '排查日期', '村居', '单位', '隐患部位', '隐患类型', '存在问题', '隐患等级', '排查人', '责任人', '整改时限', '整改措施', '整改结果', '复查人', '销号时间', '状态']

describe('hazards import', () => {
  it('reads a township\'s own sheet: usual column names, coded values in words, village or unit by name', async () => {
    const r = await importRows([
      head,
      [1, '2024.3.1', '新塘村', '', '村部后山坡', '房屋', '山体落石', '较大隐患', '王建国', '李明', '2024-03-20', '设置警示牌', '已清理', '王建国', '2024-03-18', '已整改'],
      [2, '2024年5月6日', '', '大托中心小学', '食堂后厨', '消防安全', '灭火器过期', '一般', '张伟', '', '', '', '', '', '', '正在整改'],
    ])
    expect(r.rejected).toEqual([])
    expect(r.imported).toBe(2)
    const [a, b] = await all(app)
    expect(a).toMatchObject({ foundOn: '2024-03-01', villageName: '新塘村', unitName: null, location: '村部后山坡', category: 'building', level: 'major', responsible: '李明', deadline: '2024-03-20', result: '已清理', reviewer: '王建国', closedOn: '2024-03-18', status: 'closed' })
    // the school alone: the hazard belongs to the school's village
    expect(b).toMatchObject({ foundOn: '2024-05-06', villageName: '新塘村', unitName: '大托中心小学', category: 'fire', level: 'general', status: 'rectifying', closedOn: null })
  })

  it('a ledger with a 销号日期 and no status column: a hazard with a 销号日期 is closed, one without is open', async () => {
    const r = await importRows([
      ['发现日期', '所属村（社区）', '地点/部位', '隐患类别', '隐患描述', '风险等级', '发现人', '整改情况', '复查人', '销号日期'],
      ['2024-04-01', '桂花社区', '河堤', '涉水', '护栏缺失', '重大', '赵红', '已补装', '赵红', '2024-04-05'],
      ['2024-04-02', '桂花社区', '路口', '交通', '缺减速带', '一般', '赵红', '', '', ''],
    ])
    expect(r.rejected).toEqual([])
    expect((await all(app)).map((h) => h.status)).toEqual(['closed', 'open'])
  })

  it('all or nothing: bad rows are named by row and column in Chinese and nothing changes; dry run, skip bad and undo', async () => {
    const rows = [
      head,
      [1, '2024-03-01', '新塘村', '', '村部', '消防', '电线老化', '一般', '王建国', '', '', '', '', '', '', '待整改'],
      [2, '2024-03-02', '火星村', '', '村口', '消防', '堆放杂物', '一般', '王建国', '', '', '', '', '', '', '待整改'],
      [3, '2024-03-03', '新塘村', '', '桥头', '地震', '桥栏松动', '极高', '王建国', '', '', '', '', '', '', '待整改'],
      [4, '2024-03-04', '新塘村', '', '学校门口', '交通', '无斑马线', '一般', '王建国', '', '', '', '', '', '2024-03-10', '已销号'],
      [5, '2024-03-05', '', '', '某处', '其他', '无归属', '一般', '王建国', '', '', '', '', '', '', '待整改'],
    ]
    const before = app.contentHash()
    const r = await importRows(rows)
    expect(r.imported).toBe(0)
    expect(r.batchId).toBeNull()
    expect(r.wouldImport).toBe(1)
    expect(app.contentHash()).toBe(before)
    expect(messages(r, 4)).toEqual([expect.stringMatching(/^村居:村居「火星村」不是本乡镇登记的村（社区）。已登记的有：/)])
    expect(messages(r, 5)).toEqual([
      '隐患类型:隐患类型「地震」不是可选的值，可填：消防、治安、交通、用电、建筑、涉水、食品、其他',
      '隐患等级:隐患等级「极高」不是可选的值，可填：一般、较大、重大',
    ])
    // the hazard's own rules, from its create handler: closing needs 整改情况 and 复查人
    expect(messages(r, 6)).toEqual(['整改结果:销号的隐患请填写整改情况'])
    expect(messages(r, 7)).toEqual(['村居:请选择所属村（社区）或所属单位'])

    const dry = await importRows(rows, { dryRun: true, skipBad: true })
    expect(dry).toMatchObject({ imported: 0, wouldImport: 1, batchId: null, dryRun: true })
    expect(app.contentHash()).toBe(before)

    const some = await importRows(rows, { skipBad: true })
    expect(some.imported).toBe(1)
    expect(some.rejectedRows).toBe(4)
    expect((await all(app)).map((h) => h.location)).toEqual(['村部'])
    const undone = await app.ok('excel.undoImport', { batchId: some.batchId! })
    expect(undone.removed).toBe(1)
    expect((await app.ok('hazards.list', {})).total).toBe(0)
  })

  it('a register that is not offered is refused with the list of registers', async () => {
    const e = await app.err('excel.template', { register: 'cats' })
    expect(e.message).toBe('请选择台账（成员、巡逻、调解、帮教、走访或隐患）')
  })
})

describe('hazards export and template', () => {
  it('export → import into an empty township gives the same hazards', async () => {
    const villages = (await app.ok('villages.list', {})).rows
    const units = (await app.ok('units.list', {})).rows
    const village = (n: string) => villages.find((v) => v.name === n)!
    const unit = (n: string) => units.find((u) => u.name === n)!
    const [xt, gh, school, market] = [village('新塘村'), village('桂花社区'), unit('大托中心小学'), unit('桂花农贸市场')]
    const base = { category: 'other', level: 'general', foundBy: '王建国' } as const
    await app.ok('hazards.create', {
      ...base, foundOn: '2024-03-02', villageId: xt.id, location: '村部后山坡', category: 'building', description: '山体有落石风险', level: 'major',
      responsible: '李明', deadline: '2024-03-20', measures: '设置警示牌，清理浮石', result: '浮石已清理', reviewer: '王建国', closedOn: '2024-03-18', status: 'closed',
    })
    await app.ok('hazards.create', { ...base, foundOn: '2024-01-15', unitId: school.id, location: '食堂后厨', category: 'fire', description: '灭火器过期', deadline: '2024-01-25', status: 'rectifying' })
    await app.ok('hazards.create', { ...base, foundOn: '2024-05-06', villageId: gh.id, unitId: market.id, location: '市场东门', category: 'food', description: '冷库温度记录缺失', level: 'severe' })
    await app.ok('hazards.create', { ...base, foundOn: '2023-12-30', unitId: market.id, location: '去年', description: '无村的单位', measures: '多行\n措施' })

    const out = await app.ok('excel.export', { register: 'hazards' })
    expect(out.rows).toBe(4)
    const other = testApp()
    try {
      await org(other)
      const r = await other.ok('excel.import', { register: 'hazards', fileBase64: out.base64, fileName: out.fileName })
      expect(r.rejected).toEqual([])
      expect(r.imported).toBe(4)
      const a = await all(app)
      expect(a).toHaveLength(4)
      expect(await all(other)).toEqual(a)
    } finally {
      await other.dispose()
    }

    // a year's export holds the hazards found that year, in the screen's order
    const y = await app.ok('excel.export', { register: 'hazards', year: 2024, sort: [{ field: 'foundOn', dir: 'asc' }] })
    expect(y.rows).toBe(3)
    const ws = (await readBase64(y.base64)).worksheets[0]!
    expect(ws.getCell('A1').value).toBe('大托铺街道安全隐患排查整改台账（2024年）')
    const header = (ws.getRow(2).values as unknown[]).slice(1)
    const cell = (row: number, label: string) => ws.getRow(row).getCell(header.indexOf(label) + 1).value
    expect(cell(3, '所属村（社区）')).toBe('新塘村')
    expect(cell(3, '所属单位')).toBe('大托中心小学')
    expect(cell(3, '隐患类别')).toBe('消防')
    expect(cell(3, '整改状态')).toBe('整改中')
  })

  it('the template has the hazards columns and an example row that importing skips', async () => {
    const t = await app.ok('excel.template', { register: 'hazards' })
    expect(t.fileName).toBe('安全隐患排查整改台账导入模板.xlsx')
    const wb = await readBase64(t.base64)
    const ws = wb.worksheets[0]!
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号', '发现日期', '所属村（社区）', '所属单位', '地点/部位', '隐患类别', '隐患描述', '风险等级', '发现人', '整改责任人', '整改期限', '整改措施', '整改情况', '复查人', '销号日期', '整改状态',
    ])
    const help = wb.getWorksheet('填写说明')!
    const how = new Map<string, string>()
    help.eachRow((row) => how.set(String(row.getCell(1).value), String(row.getCell(3).value)))
    expect(how.get('隐患类别')).toBe('可填：消防、治安、交通、用电、建筑、涉水、食品、其他')
    expect(how.get('所属单位')).toBe('本乡镇已登记的单位名称')
    const r = await app.ok('excel.import', { register: 'hazards', fileBase64: t.base64, fileName: t.fileName })
    expect(r.imported).toBe(0)
    expect(r.warnings[0]!.message).toBe('第3行是模板示例行，已跳过')
  })
})

describe('CLI', () => {
  const run = runCli

  it('import excel --register hazards and export excel --register hazards', async () => {
    const file = join(app.dir, '隐患.xlsx')
    writeFileSync(file, Buffer.from(await sheet([head, [1, '2024-03-01', '新塘村', '', '村部', '消防', '电线老化', '一般', '王建国', '', '', '', '', '', '', '待整改']]).xlsx.writeBuffer()))
    app.close()
    const imported = await run(['import', 'excel', '--register', 'hazards', '--data-dir', app.dir, file])
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.out)).toEqual({ imported: 1, rejected: [], warnings: [] })
    const out = join(app.dir, 'out.xlsx')
    const exported = await run(['export', 'excel', '--register', 'hazards', '--data-dir', app.dir, '--out', out])
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.out).rows).toBe(1)
    const bad = await run(['export', 'excel', '--register', 'hazard', '--data-dir', app.dir, '--out', out])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.err).message).toContain('、hazards')
    // reopened for afterEach
    Object.assign(app, testApp({ dir: app.dir, setup: false }))
  })
})
