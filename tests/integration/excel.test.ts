import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers'
import { REPORT_SAMPLE } from '../../src/main/excel/import'
import { ID, messyMembers, readBase64, toBase64 } from './excelFixtures'

let app: TestApp
let villages: Record<string, string>
beforeEach(async () => {
  app = testApp()
  villages = {}
  for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const)
    villages[name] = (await app.ok('villages.create', { name, kind })).id
})
afterEach(() => app.dispose())

async function messyFile() {
  const { wb, ids } = messyMembers()
  return { fileBase64: await toBase64(wb), fileName: '成员花名册.xlsx', ids }
}

describe('member import from a messy sheet', () => {
  it('finds the sheet, the two-row header and the columns by their usual names, and previews rows as stored', async () => {
    const f = await messyFile()
    const first = await app.ok('excel.inspect', { register: 'members', fileBase64: f.fileBase64, fileName: f.fileName })
    expect(first.sheets).toEqual(['说明', '花名册'])
    const r = await app.ok('excel.inspect', { register: 'members', fileBase64: f.fileBase64, fileName: f.fileName, sheet: '花名册' })
    expect(r.headerDetected).toBe(true)
    expect(r.headerRow).toBe(4)
    const col = (field: string) => r.columns.find((c) => c.index === r.mapping[field])?.header
    expect(col('name')).toBe('姓 名')
    expect(col('idNumber')).toBe('公民身份号码')
    expect(col('phone')).toBe('手机号')
    expect(col('villageId')).toBe('村居')
    expect(col('roles')).toBe('职务')
    expect(col('joinedOn')).toBe('入队时间')
    expect(r.missing).toEqual([])
    const byRow = new Map(r.preview.map((p) => [p.row, p]))
    // every date form becomes the same stored date
    for (const row of [5, 6, 7, 8, 9]) {
      expect(byRow.get(row)!.errors).toEqual([])
      expect(byRow.get(row)!.values.joinedOn).toBe('2024-03-01')
    }
    expect(byRow.get(8)!.values.villageId).toBe('新塘村')
    expect(byRow.get(6)!.values.roles).toBe('调解员、网格员')
    expect(byRow.get(5)!.values.phone).toBe('13800138001')
    expect(byRow.has(10)).toBe(false) // blank row
    expect(byRow.get(11)!.errors[0]!.message).toContain('末三位已丢失')
    expect(byRow.get(14)!.skipped).toBe('合计行')
  })

  it('all or nothing: one bad row and the database is exactly as before, with a per-row report in Chinese', async () => {
    const f = await messyFile()
    const before = app.contentHash()
    const r = await app.ok('excel.import', { register: 'members', fileBase64: f.fileBase64, fileName: f.fileName, sheet: '花名册' })
    expect(r.imported).toBe(0)
    expect(r.batchId).toBeNull()
    expect(r.wouldImport).toBe(5)
    expect(app.contentHash()).toBe(before)
    expect((await app.ok('members.list', {})).total).toBe(0)
    const byRow = (row: number) => r.rejected.filter((e) => e.row === row)
    expect(r.rejected.map((e) => e.row).sort()).toEqual([11, 12, 13])
    expect(byRow(11)[0]).toMatchObject({ column: '公民身份号码' })
    expect(byRow(11)[0]!.message).toMatch(/存成了数字.*末三位已丢失.*文本/)
    expect(byRow(12)[0]).toMatchObject({ column: '公民身份号码', message: '与第5行的公民身份号码重复，同一文件中不能重复登记' })
    expect(byRow(13)[0]!.column).toBe('村居')
    expect(byRow(13)[0]!.message).toContain('火星村')
    expect(byRow(13)[0]!.message).toContain('新塘村、桂花社区')
    expect(r.warnings).toEqual([
      { row: 14, message: '第14行是合计行，已跳过' },
      { row: 15, message: '第15行是说明或签名行，已跳过' },
    ])
  })

  it('skip bad rows: imports the good ones, hands back the bad ones in an Excel file with 错误原因, and can be undone as a whole', async () => {
    const f = await messyFile()
    const r = await app.ok('excel.import', { register: 'members', fileBase64: f.fileBase64, fileName: f.fileName, sheet: '花名册', skipBad: true })
    expect(r.imported).toBe(5)
    expect(r.rejectedRows).toBe(3)
    expect(r.batchId).toBeTruthy()
    const list = await app.ok('members.list', { fullId: true, sort: [{ field: 'name', dir: 'asc' }] })
    expect(list.rows.map((m) => m.name).sort()).toEqual(['孙七', '张三', '李四', '王五', '赵六'].sort())
    expect(new Set(list.rows.map((m) => m.joinedOn))).toEqual(new Set(['2024-03-01']))
    const zhao = list.rows.find((m) => m.name === '赵六')!
    expect(zhao.villageId).toBe(villages['新塘村'])
    expect(zhao.notes).toBe('老队员')
    expect(list.rows.find((m) => m.name === '王五')!.roles).toEqual(['patrol_parttime'])
    expect(list.rows.find((m) => m.name === '张三')!.idNumber).toBe(f.ids[0])

    // the error file: the sheet's own header, the rejected rows as text, and why
    expect(r.errorsFileName).toBe('成员花名册_错误行.xlsx')
    const ef = await readBase64(r.errorsFileBase64!)
    const ws = ef.worksheets[0]!
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    expect(header).toContain('公民身份号码')
    expect(header[header.length - 1]).toBe('错误原因')
    expect(ws.rowCount).toBe(4)
    const reasonCol = header.length
    const reasons = [2, 3, 4].map((i) => String(ws.getRow(i).getCell(reasonCol).value))
    expect(reasons[0]).toContain('末三位已丢失')
    expect(reasons[1]).toContain('重复')
    expect(reasons[2]).toContain('火星村')
    expect(ws.getRow(3).getCell(2).value).toBe('吴九')
    expect(typeof ws.getRow(3).getCell(3).value).toBe('string')

    const batches = await app.ok('excel.imports', {})
    expect(batches[0]).toMatchObject({ id: r.batchId, register: 'members', imported: 5, rejected: 3, sheet: '花名册', undoneAt: null })
    const undo = await app.ok('excel.undoImport', { batchId: r.batchId! })
    expect(undo.removed).toBe(5)
    expect((await app.ok('members.list', {})).total).toBe(0)
    expect((await app.err('excel.undoImport', { batchId: r.batchId! })).message).toBe('这次导入已经撤销过了')
  })

  it('refuses a row whose ID is already in the register, naming the member there', async () => {
    await app.ok('members.create', { name: '张三', idNumber: ID(1), roles: ['mediator'], joinedOn: '2023-01-01', villageId: villages['新塘村'] })
    const f = await messyFile()
    const r = await app.ok('excel.import', { register: 'members', fileBase64: f.fileBase64, fileName: f.fileName, sheet: '花名册', dryRun: true })
    const row5 = r.rejected.filter((e) => e.row === 5)
    expect(row5).toHaveLength(1)
    expect(row5[0]!.column).toBe('公民身份号码')
    expect(row5[0]!.message).toContain('已登记为成员「张三」（新塘村）')
  })

  it('applies the form rules: a leave date before the join date, a missing role, a bad check digit', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['姓名', '身份证号', '职务', '加入日期', '离队日期'])
    ws.addRow(['甲', ID(11), '调解员', '2024-03-01', '2023-01-01'])
    ws.addRow(['乙', ID(12), '', '2024-03-01', ''])
    ws.addRow(['丙', ID(13).slice(0, 17) + (ID(13)[17] === '1' ? '2' : '1'), '调解员', '2024-03-01', ''])
    ws.addRow(['丁', ID(14), '巡逻大队长', '2024-3-32', ''])
    const r = await app.ok('excel.import', { register: 'members', fileBase64: await toBase64(wb), fileName: 'a.xlsx' })
    const msg = (row: number) => r.rejected.filter((e) => e.row === row).map((e) => `${e.column}:${e.message}`)
    expect(msg(2)).toEqual(['离队日期:离队日期不能早于加入日期'])
    expect(msg(3)).toEqual(['职务:请填写职务'])
    expect(msg(4)).toEqual(['身份证号:身份证号最后一位（校验位）不对，请核对'])
    expect(msg(5)[0]).toContain('职务:职务「巡逻大队长」不认识，可填：综治工作站站长')
    expect(msg(5)[1]).toBe('加入日期:加入日期「2024-3-32」不是有效日期，请写成 2024-03-01、2024/3/1、2024.3.1 或 2024年3月1日')
  })

  it('lets the clerk change the header row and the mapping', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['人员', '号码', '岗位名称', '日子'])
    ws.addRow(['甲', ID(21), '调解员', '2024-03-01'])
    const b64 = await toBase64(wb)
    const auto = await app.ok('excel.inspect', { register: 'members', fileBase64: b64, fileName: 'x.xlsx' })
    expect(auto.headerDetected).toBe(false)
    expect(auto.missing).toContain('姓名')
    const e = await app.err('excel.import', { register: 'members', fileBase64: b64 })
    expect(e.message).toContain('表格中找不到「姓名」')
    const mapping = { name: 1, idNumber: 2, roles: 3, joinedOn: 4 }
    const r = await app.ok('excel.inspect', { register: 'members', fileBase64: b64, headerRow: 1, mapping })
    expect(r.preview[0]!.values).toMatchObject({ name: '甲', roles: '调解员', joinedOn: '2024-03-01' })
    const done = await app.ok('excel.import', { register: 'members', fileBase64: b64, headerRow: 1, mapping })
    expect(done.imported).toBe(1)
  })

  it('many bad rows: the report keeps a sample of the errors, the counts and the errors file have every row', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('花名册')
    ws.addRow(['姓名', '身份证号', '职务', '加入日期'])
    const bad = REPORT_SAMPLE + 200
    for (let i = 0; i < bad; i++) ws.addRow([`队员${i}`, ID(i % 900), '调解员', '2024-02-30'])
    // the same 身份证号 twice, far apart: the in-file duplicate is still found
    ws.addRow(['重复甲', ID(950, '1990-01-01'), '调解员', '2024-03-01'])
    for (let i = 0; i < 50; i++) ws.addRow([`好${i}`, ID(i, '1991-01-01'), '调解员', '2024-03-01'])
    ws.addRow(['重复乙', ID(950, '1990-01-01'), '调解员', '2024-03-01'])
    const r = await app.ok('excel.import', { register: 'members', fileBase64: await toBase64(wb), fileName: 'm.xlsx', skipBad: true })
    expect(r.rejectedRows).toBe(bad + 1)
    expect(r.imported).toBe(51)
    expect(r.rejected.length).toBe(REPORT_SAMPLE)
    expect(r.rejected[0]).toMatchObject({ row: 2, message: expect.stringContaining('不是有效日期') })
    const ef = await readBase64(r.errorsFileBase64!)
    expect(ef.worksheets[0]!.rowCount).toBe(bad + 2)
    const reasons = ef.worksheets[0]!.getColumn(ef.worksheets[0]!.getRow(1).cellCount).values
    expect(String(reasons[bad + 2])).toContain(`与第${bad + 2}行`)
  })
})

describe('member export', () => {
  it('writes the current view: ID and phone as text, dates as dates, bold frozen header, title with township and year', async () => {
    for (let i = 0; i < 3; i++)
      await app.ok('members.create', { name: `队员${i}`, idNumber: ID(30 + i), phone: '13800138000', roles: ['patrol_fulltime', 'mediator'], joinedOn: `2024-0${i + 1}-15`, villageId: i === 2 ? villages['桂花社区'] : villages['新塘村'] })
    const out = await app.ok('excel.export', { register: 'members', filters: { villageId: villages['新塘村'] }, sort: [{ field: 'joinedOn', dir: 'desc' }], year: 2024, fullId: true })
    expect(out.rows).toBe(2)
    // named like the Word documents, with the village it was filtered to
    expect(out.fileName).toBe('大托铺街道新塘村_2024年_成员台账.xlsx')
    const wb = await readBase64(out.base64)
    const ws = wb.worksheets[0]!
    expect(ws.getCell('A1').value).toBe('大托铺街道新塘村成员台账（2024年）')
    expect(ws.getRow(2).getCell(2).value).toBe('姓名')
    expect(ws.getRow(2).getCell(2).font?.bold).toBe(true)
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 })
    const header = (ws.getRow(2).values as unknown[]).slice(1) as string[]
    const c = (name: string) => header.indexOf(name) + 1
    expect(ws.getRow(3).getCell(c('姓名')).value).toBe('队员1') // sorted by joinedOn desc
    const idCell = ws.getRow(3).getCell(c('身份证号'))
    expect(idCell.value).toBe(ID(31))
    expect(idCell.type).toBe(ExcelJS.ValueType.String)
    expect(idCell.numFmt).toBe('@')
    expect(ws.getRow(3).getCell(c('联系电话')).type).toBe(ExcelJS.ValueType.String)
    const joined = ws.getRow(3).getCell(c('加入日期'))
    expect(joined.value).toEqual(new Date(Date.UTC(2024, 1, 15)))
    expect(joined.numFmt).toBe('yyyy-mm-dd')
    expect(ws.getRow(3).getCell(c('职务/角色')).value).toBe('专职巡防队员、调解员')
    expect(ws.getColumn(c('身份证号')).width).toBeGreaterThanOrEqual(20)
  })

  it('export → import into another township database gives the same records', async () => {
    const made = [
      { name: '张三', idNumber: ID(41), phone: '13800138001', roles: ['patrol_fulltime', 'red_armband'] as const, joinedOn: '2020-02-29', villageId: villages['新塘村'], notes: '队长' },
      { name: '李四', idNumber: ID(42, '1990-12-31'), phone: '0731-85551234', roles: ['patrol_parttime'] as const, joinedOn: '2023-12-31', leftOn: '2024-06-30', villageId: villages['桂花社区'] },
      { name: '王五', idNumber: ID(43), roles: ['aftercare_helper'] as const, joinedOn: '2024-01-01' },
    ]
    for (const m of made) await app.ok('members.create', { ...m, roles: [...m.roles] })
    const out = await app.ok('excel.export', { register: 'members', fullId: true })
    const other = testApp()
    try {
      for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) await other.ok('villages.create', { name, kind })
      const r = await other.ok('excel.import', { register: 'members', fileBase64: out.base64, fileName: out.fileName })
      expect(r.rejected).toEqual([])
      expect(r.imported).toBe(3)
      const pick = (m: { name: string; idNumber: string; phone: string; roles: string[]; joinedOn: string; leftOn: string | null; notes: string; villageName: string | null }) =>
        ({ name: m.name, idNumber: m.idNumber, phone: m.phone, roles: m.roles, joinedOn: m.joinedOn, leftOn: m.leftOn, notes: m.notes, villageName: m.villageName })
      const a = (await app.ok('members.list', { fullId: true, sort: [{ field: 'name', dir: 'asc' }] })).rows.map(pick)
      const b = (await other.ok('members.list', { fullId: true, sort: [{ field: 'name', dir: 'asc' }] })).rows.map(pick)
      expect(b).toEqual(a)
    } finally {
      await other.dispose()
    }
  })

  it('the template has the header and one example row, and importing it untouched imports nothing', async () => {
    const t = await app.ok('excel.template', { register: 'members' })
    expect(t.fileName).toBe('成员台账导入模板.xlsx')
    const wb = await readBase64(t.base64)
    const ws = wb.worksheets[0]!
    expect((ws.getRow(2).values as unknown[]).slice(1)).toContain('身份证号')
    expect(ws.getRow(3).getCell(2).value).toBe('张三')
    expect(ws.rowCount).toBe(3)
    expect(wb.getWorksheet('填写说明')).toBeTruthy()
    const r = await app.ok('excel.import', { register: 'members', fileBase64: t.base64, fileName: t.fileName })
    expect(r.imported).toBe(0)
    expect(r.warnings[0]!.message).toBe('第3行是模板示例行，已跳过')
  })
})
