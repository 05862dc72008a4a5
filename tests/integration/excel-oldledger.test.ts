import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import * as XLSX from '@e965/xlsx'
import { runCli } from '../cli'
import { testApp, type TestApp } from '../helpers'

/**
 * A village 调委会's own mediation ledger as it is kept (issue 18's columns): a title row naming the
 * village, no village column, no 协议形式, a 合计 row, no 结案日期; as .xlsx and as the older .xls.
 * The wizard proposes the title's village, the clerk's choice goes to every row, finished cases close
 * on their 调解日期, and successful ones take the 协议形式 the clerk picks for them (口头 unless said).
 */
const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose()
})

const HEAD = ['序号', '登记日期', '申请人', '被申请人', '纠纷类型', '纠纷简要情况', '调解员', '调解日期', '调解结果', '协议履行情况']
const ROWS = [
  [1, '2024-03-02', '王大福', '李二牛', '邻里', '滴水檐纠纷', '', '2024-03-05', '调解成功', '已履行'],
  [2, '2024-04-10', '赵春花', '钱小宝', '婚姻家庭', '赡养费纠纷', '', '2024-04-12', '调解不成功', ''],
  [3, '2024-05-01', '孙老三', '周大嫂', '损害赔偿', '鸡鸭损毁菜地', '', '', '待调解', ''],
]
const TITLE = '黄土岭村人民调解委员会矛盾纠纷排查调处登记台账（2024年度）'

function aoa(): unknown[][] {
  return [[TITLE], HEAD, ...ROWS, ['合计', '', '', '', '', '共3件']]
}

async function xlsx(): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('台账')
  for (const r of aoa()) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

function xls(): string {
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa()), '台账')
  return (XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer).toString('base64')
}

async function seed() {
  const a = testApp()
  apps.push(a)
  await a.ok('villages.create', { name: '黄土岭村', kind: 'village' })
  await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  return a
}

describe('an old village mediation ledger', () => {
  for (const [kind, file] of [
    ['.xlsx', xlsx],
    ['.xls', async () => xls()],
  ] as const) {
    it(`${kind}: proposes the title's village, imports every row with the one chosen, closes finished cases on their 调解日期`, async () => {
      const a = await seed()
      const fileBase64 = await file()
      const fileName = `黄土岭村调解台账${kind}`
      const seen = await a.ok('excel.inspect', { register: 'mediation', fileBase64, fileName })
      expect(seen.noVillageColumn).toBe(true)
      expect(seen.titleVillage).toBe('黄土岭村')
      expect(seen.absent).toMatchObject({ field: 'agreementForm', label: '协议形式', when: '调解成功的案件', value: 'oral' })
      expect(seen.absent?.options.map((o) => o.label)).toEqual(['口头协议', '书面协议'])
      // without a village every row is refused, naming the column
      const none = await a.ok('excel.import', { register: 'mediation', fileBase64, fileName, dryRun: true })
      expect(none.rejected.length).toBeGreaterThan(0)
      const r = await a.ok('excel.import', { register: 'mediation', fileBase64, fileName, village: '黄土岭村' })
      expect(r.rejected).toEqual([])
      expect(r.imported).toBe(3)
      const cases = (await a.ok('mediation.list', { sort: [{ field: 'receivedOn', dir: 'asc' }] })).rows
      expect(cases.map((c) => c.villageName)).toEqual(['黄土岭村', '黄土岭村', '黄土岭村'])
      expect(cases.map((c) => c.closedOn)).toEqual(['2024-03-05', '2024-04-12', null])
      expect(cases.map((c) => c.agreementForm)).toEqual(['oral', null, null])
      expect(cases[0]!.fulfillment).toBe('fulfilled')
    })
  }

  it('takes the clerk\'s 书面协议 for the successful cases, and then asks for their 协议内容, naming the row', async () => {
    const a = await seed()
    const src = { register: 'mediation' as const, fileBase64: await xlsx(), fileName: 'l.xlsx', village: '黄土岭村' }
    const seen = await a.ok('excel.inspect', { ...src, agreementForm: 'written' })
    expect(seen.absent?.value).toBe('written')
    expect(seen.preview.find((p) => p.row === 3)?.values.agreementForm).toBe('书面协议')
    const r = await a.ok('excel.import', { ...src, agreementForm: 'written' })
    expect(r.imported).toBe(0)
    expect(r.rejected).toEqual([expect.objectContaining({ row: 3, message: '书面协议请填写协议内容' })])
    expect((await a.ok('mediation.list', {})).total).toBe(0)
  })

  it('refuses a 协议形式 that is neither, naming the field, and imports nothing', async () => {
    const a = await seed()
    const e = await a.err('excel.import', { register: 'mediation', fileBase64: await xlsx(), fileName: 'l.xlsx', village: '黄土岭村', agreementForm: 'electronic' as 'oral' })
    expect(e.message).toContain('协议形式应为口头协议（oral）或书面协议（written）')
    expect((await a.ok('mediation.list', {})).total).toBe(0)
  })

  it('asks nothing of a sheet that has a 协议形式 column: a successful case left blank there is refused', async () => {
    const a = await seed()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('台账')
    ws.addRow([...HEAD, '协议形式'])
    ws.addRow([...ROWS[0]!, ''])
    const fileBase64 = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
    const src = { register: 'mediation' as const, fileBase64, fileName: 'l.xlsx', village: '黄土岭村' }
    expect((await a.ok('excel.inspect', src)).absent).toBeUndefined()
    const r = await a.ok('excel.import', { ...src, dryRun: true })
    expect(r.rejected[0]).toMatchObject({ row: 2, column: '协议形式', message: '调解成功的案件请选择协议形式（口头或书面）' })
  })

  it('refuses a village that is not set up, naming it', async () => {
    const a = await seed()
    const r = await a.ok('excel.import', { register: 'mediation', fileBase64: await xlsx(), fileName: 'l.xlsx', village: '不存在村', dryRun: true })
    expect(r.rejected[0]?.message).toContain('不存在村')
  })

  it('refuses a damaged .xls as damaged, not with a request to convert a good one', async () => {
    const a = await seed()
    const bad = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 7)]).toString('base64')
    const e = await a.err('excel.inspect', { register: 'mediation', fileBase64: bad, fileName: 'x.xls' })
    expect(e.message).toContain('文件已损坏或不是Excel文件')
  })

  it('CLI: --village alone imports the ledger (口头 for its successful case); --agreement-form 书面 refuses it, naming the row; a bad value is named', async () => {
    const a = await seed()
    const file = join(a.dir, '黄土岭村调解台账.xlsx')
    writeFileSync(file, Buffer.from(await xlsx(), 'base64'))
    a.close()
    const run = runCli
    const base = ['import', 'excel', '--register', 'mediation', '--data-dir', a.dir, file, '--village', '黄土岭村']
    const bad = await run([...base, '--agreement-form', '电子', '--dry-run'])
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('--agreement-form「电子」应为“口头”或“书面”')
    const written = await run([...base, '--agreement-form', '书面'])
    expect(written.code).toBe(2)
    expect(JSON.parse(written.err).rejected).toEqual([{ row: 3, column: '协议内容', message: '书面协议请填写协议内容' }])
    const ok = await run(base)
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.out).imported).toBe(3)
    const list = JSON.parse((await run(['call', 'mediation.list', '{}', '--data-dir', a.dir])).out)
    expect(list.rows.map((c: { agreementForm: string | null }) => c.agreementForm).sort()).toEqual([null, null, 'oral'])
  })
})
