import { afterEach, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import * as XLSX from '@e965/xlsx'
import { testApp, type TestApp } from '../helpers'

/**
 * A village 调委会's own mediation ledger as it is kept: a title row naming the village, no village
 * column, a 合计 row, no 结案日期; as .xlsx and as the older .xls. (A 协议形式 column is there: a
 * successful case without one is still refused, which issue 18 does not change.) The wizard proposes the title's
 * village, the clerk's choice goes to every row, and finished cases close on their 调解日期.
 */
const apps: TestApp[] = []
afterEach(() => {
  for (const a of apps.splice(0)) a.dispose()
})

const HEAD = ['序号', '登记日期', '申请人', '被申请人', '纠纷类型', '纠纷简要情况', '调解员', '调解日期', '调解结果', '协议形式', '协议履行情况']
const ROWS = [
  [1, '2024-03-02', '王大福', '李二牛', '邻里', '滴水檐纠纷', '', '2024-03-05', '调解成功', '口头', '已履行'],
  [2, '2024-04-10', '赵春花', '钱小宝', '婚姻家庭', '赡养费纠纷', '', '2024-04-12', '调解不成功', '', ''],
  [3, '2024-05-01', '孙老三', '周大嫂', '损害赔偿', '鸡鸭损毁菜地', '', '', '待调解', '', ''],
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
      // without a village every row is refused, naming the column
      const none = await a.ok('excel.import', { register: 'mediation', fileBase64, fileName, dryRun: true })
      expect(none.rejected.length).toBeGreaterThan(0)
      const r = await a.ok('excel.import', { register: 'mediation', fileBase64, fileName, village: '黄土岭村' })
      expect(r.rejected).toEqual([])
      expect(r.imported).toBe(3)
      const cases = (await a.ok('mediation.list', { sort: [{ field: 'receivedOn', dir: 'asc' }] })).rows
      expect(cases.map((c) => c.villageName)).toEqual(['黄土岭村', '黄土岭村', '黄土岭村'])
      expect(cases.map((c) => c.closedOn)).toEqual(['2024-03-05', '2024-04-12', null])
    })
  }

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
})
