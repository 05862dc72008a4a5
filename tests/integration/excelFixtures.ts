import ExcelJS from 'exceljs'
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { makeIdNumber } from '../../src/shared/idNumber'

/** Sheets shaped like the ones townships really keep: built here, in the tests, so every quirk is deliberate. */

export const ID = (n: number, birth = '1980-05-06') => makeIdNumber('430103', birth, n)

export async function toBase64(wb: ExcelJS.Workbook): Promise<string> {
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
}

export async function readBase64(b64: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(b64, 'base64') as unknown as ArrayBuffer)
  return wb
}

/**
 * A member roster as a township keeps it: a title row and a 填报单位 line, a header merged over two
 * rows (联系方式 over 手机号/固定电话), every date form, a blank row, an ID Excel turned into a number,
 * a duplicate, an unknown village, a 合计 row and a note.
 */
export function messyMembers(): { wb: ExcelJS.Workbook; ids: string[] } {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('说明').addRow(['本工作簿第二页是花名册'])
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['大托铺街道平安建设群防群治队伍花名册'])
  ws.mergeCells('A1:I1')
  ws.addRow(['填报单位：大托铺街道综治办', '', '', '', '', '', '填报日期：2024年3月'])
  ws.addRow(['序号', '姓 名', '公民身份号码', '联系方式', '', '村居', '职务', '入队时间', '备注'])
  ws.addRow(['', '', '', '手机号', '固定电话', '', '', '', ''])
  for (const c of ['A', 'B', 'C', 'F', 'G', 'H', 'I']) ws.mergeCells(`${c}3:${c}4`)
  ws.mergeCells('D3:E3')
  const ids = [ID(1), ID(2), ID(3), ID(4), ID(5), ID(6)]
  ws.addRow([1, '张三', ids[0], 13800138001, '', '新塘村', '专职巡防队员', '2024-03-01', '']) // row 5
  ws.addRow([2, '李四', ids[1], '13800138002', '', '桂花社区', '调解员、网格员', '2024/3/1', '']) // row 6
  ws.addRow([3, '王五', ids[2], '', '0731-85551234', '新塘村', '兼职巡防/群防群治队员', '2024.3.1', '']) // row 7
  ws.addRow([4, '赵六', ids[3], '', '', '新塘', '红袖标', '2024年3月1日', '老队员']) // row 8
  ws.addRow([5, '孙七', ids[4], '', '', '桂花社区', '志愿者', 45352, '']) // row 9: Excel serial for 2024-03-01
  ws.addRow([]) // row 10 blank
  // eslint-disable-next-line no-loss-of-precision -- an 18-digit ID as Excel stores it when typed into a General cell
  ws.addRow([6, '周八', 430103198005061234, '', '', '新塘村', '调解员', new Date(Date.UTC(2024, 2, 1)), '']) // row 11: ID as a number
  ws.addRow([7, '吴九', ids[0], '', '', '新塘村', '调解员', '2024-03-01', '']) // row 12: same ID as row 5
  ws.addRow([8, '郑十', ids[5], '', '', '火星村', '调解员', '2024-03-01', '']) // row 13: unknown village
  ws.addRow(['合计', '', '', '', '', '', '', '', '8人']) // row 14
  ws.addRow(['注：本表由各村（社区）填报，综治办汇总。']) // row 15
  ws.getCell('H11').numFmt = 'yyyy-mm-dd'
  return { wb, ids }
}

const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'))
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const JSZip = fromExceljs('jszip') as any

/** Rewrites an .xlsx with its zip entries in the given order (the rest after), as other programs store them. */
export async function reorderZip(file: string, first: string[], out: string, rename?: Record<string, string>): Promise<void> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir)
  const order = [...first.filter((n) => names.includes(n)), ...names.filter((n) => !first.includes(n))]
  const outZip = new JSZip()
  for (const n of order) {
    let content: Buffer = await zip.file(n).async('nodebuffer')
    let name = n
    if (rename) {
      let text = content.toString('utf8')
      for (const [a, b] of Object.entries(rename)) text = text.split(a).join(b)
      content = Buffer.from(text, 'utf8')
      for (const [a, b] of Object.entries(rename)) name = name.split(a).join(b)
    }
    outZip.file(name, content)
  }
  writeFileSync(out, await outZip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))
}
