import ExcelJS from 'exceljs'
import { createRequire } from 'node:module'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXCELJS_VERSION, SHARED_IN_MEMORY, openWorkbook } from '../../src/main/excel/reader'
import { parseDate, parseIdCell, parseTime } from '../../src/shared/excel/cells'
import { tempDir } from '../helpers'
import { ID, reorderZip } from './excelFixtures'
import { SHEET, part, zipOf } from './excelHostile'

const dir = tempDir('pingan-xlsx-')
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const JSZip = createRequire(createRequire(import.meta.url).resolve('exceljs'))('jszip') as any
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function sample(rows = 50): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('成员')
  ws.addRow(['姓名', '身份证号', '加入日期'])
  for (let i = 0; i < rows; i++) {
    const r = ws.addRow([`队员${i}`, ID(i), new Date(Date.UTC(2024, 2, 1))])
    r.getCell(3).numFmt = 'yyyy-mm-dd'
  }
  const file = join(dir, `sample-${rows}.xlsx`)
  await wb.xlsx.writeFile(file)
  return file
}

/** An .xlsx's parts by name. */
async function partsOf(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  const out = new Map<string, Buffer>()
  for (const n of Object.keys(zip.files)) if (!zip.files[n].dir) out.set(n, await zip.file(n).async('nodebuffer'))
  return out
}

async function readAll(file: string) {
  const wb = await openWorkbook(file, 'x.xlsx')
  const rows = []
  for await (const r of wb.rows(wb.sheets[0]!)) rows.push(r)
  return { sheets: wb.sheets, rows }
}

/** exceljs's own streaming WorkbookReader, to show the upstream failure the reader works around. */
async function upstream(file: string): Promise<{ rows: unknown[][]; error?: string }> {
  const rows: unknown[][] = []
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { styles: 'cache', sharedStrings: 'cache', worksheets: 'emit' })
    for await (const sheet of reader) for await (const row of sheet) rows.push((row.values as unknown[]).slice(1))
    return { rows }
  } catch (e) {
    return { rows, error: e instanceof Error ? e.message : String(e) }
  }
}

describe('exceljs pin and its streaming-reader failures', () => {
  it('exceljs is pinned to the version the workarounds were written against', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }
    expect(pkg.dependencies.exceljs).toBe('4.4.0')
    expect(EXCELJS_VERSION).toBe('4.4.0')
    // the XML parser the sheet reader drives (sheetXml.ts) comes with exceljs
    const req = createRequire(import.meta.url)
    const saxes = createRequire(req.resolve('exceljs'))('saxes/package.json') as { version: string }
    expect(saxes.version).toMatch(/^5\./)
  })

  it('workbook.xml stored after the worksheet: upstream throws, this reader reads every row', async () => {
    const src = await sample()
    const file = join(dir, 'workbook-last.xlsx')
    await reorderZip(src, ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/workbook.xml'], file)
    const up = await upstream(file)
    expect(up.error).toContain("reading 'sheets'")
    const mine = await readAll(file)
    expect(mine.sheets).toEqual(['成员'])
    expect(mine.rows).toHaveLength(51)
    expect(mine.rows[1]!.cells).toEqual(['队员0', ID(0), new Date(Date.UTC(2024, 2, 1))])
  })

  it('styles.xml stored after the worksheet: upstream gives dates as bare numbers, this reader as dates', async () => {
    const src = await sample()
    const file = join(dir, 'styles-last.xlsx')
    await reorderZip(src, ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml'], file)
    const up = await upstream(file)
    expect(typeof up.rows[1]![2]).toBe('number')
    const mine = await readAll(file)
    expect(mine.rows[1]!.cells[2]).toEqual(new Date(Date.UTC(2024, 2, 1)))
  })

  it('a worksheet not named sheetN.xml: upstream sees no sheet, this reader follows the relationships', async () => {
    const src = await sample()
    const file = join(dir, 'renamed.xlsx')
    await reorderZip(src, [], file, { 'worksheets/sheet1.xml': 'worksheets/data.xml' })
    const up = await upstream(file)
    expect(up.rows).toHaveLength(0)
    expect((await readAll(file)).rows).toHaveLength(51)
  })

  it('Chinese text split across zip chunks arrives whole (exceljs decodes each chunk on its own)', async () => {
    // shared strings and inline strings long enough to span many inflated chunks, with 3-byte and 4-byte characters
    const names = Array.from({ length: 6000 }, (_, i) => `成员${i}号𠀋${'街'.repeat(i % 7)}`)
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'cjk-shared.xlsx'), useSharedStrings: true })
    const ws = wb.addWorksheet('花名册')
    for (const n of names) ws.addRow([n]).commit()
    ws.commit()
    await wb.commit()
    const inline = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'cjk-inline.xlsx'), useSharedStrings: false })
    const ws2 = inline.addWorksheet('花名册')
    for (const n of names) ws2.addRow([n]).commit()
    ws2.commit()
    await inline.commit()
    for (const f of ['cjk-shared.xlsx', 'cjk-inline.xlsx']) {
      const { rows } = await readAll(join(dir, f))
      expect(rows.map((r) => r.cells[0])).toEqual(names)
    }
  })

  it('a shared-string table too big to keep in memory is read from a temporary database, every text in place', async () => {
    const n = SHARED_IN_MEMORY + 5000
    const file = join(dir, 'many-strings.xlsx')
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
    const ws = wb.addWorksheet('花名册')
    for (let i = 0; i < n; i++) ws.addRow([`成员${i}`, i % 3 === 0 ? '新塘村' : null]).commit()
    ws.commit()
    await wb.commit()
    const book = await openWorkbook(file, 'x.xlsx')
    let i = 0
    for await (const r of book.rows(book.sheets[0]!)) {
      expect(r.cells[0]).toBe(`成员${i}`)
      expect(r.cells[1] ?? null).toBe(i % 3 === 0 ? '新塘村' : null)
      i++
    }
    book.close()
    expect(i).toBe(n)
  }, 30_000)

  it('reads a CSV saved by WPS in GBK and one in UTF-8 with BOM, quotes and line breaks in cells', async () => {
    const text = '姓名,身份证号,备注\r\n张三,' + ID(1) + ',"第一行\n第二行"\r\n李四,' + ID(2) + ',"说""好"""\r\n'
    const gbk = join(dir, 'gbk.csv')
    writeFileSync(join(dir, 'utf8.csv'), '\ufeff' + text)
    const wb = await openWorkbook(join(dir, 'utf8.csv'), 'utf8.csv')
    const rows = []
    for await (const r of wb.rows(wb.sheets[0]!)) rows.push(r.cells)
    expect(rows).toEqual([
      ['姓名', '身份证号', '备注'],
      ['张三', ID(1), '第一行\n第二行'],
      ['李四', ID(2), '说"好"'],
    ])
    // 张三 in GBK: D5 C5 C8 FD
    writeFileSync(gbk, Buffer.concat([Buffer.from('name,'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('\r\n')]))
    const g = await openWorkbook(gbk, 'gbk.csv')
    const grow = []
    for await (const r of g.rows(g.sheets[0]!)) grow.push(r.cells)
    expect(grow).toEqual([['name', '张三']])
  })

  it('sheets as other programs write them: a namespace prefix, inline rich text, a formula showing a date, 1904 dates', async () => {
    const NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    const parts = await partsOf(await sample(1))
    // the style exceljs gave the date column
    const dateStyle = /r="C2" s="(\d+)"/.exec(parts.get(SHEET)!.toString())![1]
    // the sheet as the .NET Open XML SDK writes it (x: prefix), with rich text inline and a formula
    const sheet =
      `<?xml version="1.0" encoding="UTF-8"?><x:worksheet ${NS}><x:sheetData>` +
      `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:r><x:t>张</x:t></x:r><x:r><x:t xml:space="preserve">三 </x:t></x:r><x:rPh><x:t>zhang</x:t></x:rPh></x:is></x:c>` +
      `<x:c r="C1" s="${dateStyle}"><x:f>DATE(2024,3,1)</x:f><x:v>45352</x:v></x:c><x:c r="D1" t="str"><x:f>A1&amp;""</x:f><x:v>a&amp;b</x:v></x:c><x:c r="E1" t="b"><x:v>1</x:v></x:c>` +
      `<x:c t="n"><x:v>7</x:v></x:c></x:row><x:row><x:c r="B3"><x:v>1.5</x:v></x:c></x:row></x:sheetData></x:worksheet>`
    const file = join(dir, 'other-writers.xlsx')
    writeFileSync(file, zipOf([...parts].map(([n, d]) => part(n, n === SHEET ? Buffer.from(sheet) : d))))
    const { rows } = await readAll(file)
    expect(rows).toEqual([
      { row: 1, cells: ['张三 ', null, new Date(Date.UTC(2024, 2, 1)), 'a&b', true, 7] },
      { row: 2, cells: [null, 1.5] },
    ])
    // a workbook counting dates from 1904 (old Mac Excel)
    const wb1904 = parts.get('xl/workbook.xml')!.toString().replace('<workbookPr', '<workbookPr date1904="1"')
    expect(wb1904).toContain('date1904="1"')
    const f1904 = join(dir, '1904.xlsx')
    writeFileSync(f1904, zipOf([...parts].map(([n, d]) => part(n, n === 'xl/workbook.xml' ? Buffer.from(wb1904) : d))))
    expect((await readAll(f1904)).rows[1]!.cells[2]).toEqual(new Date(Date.UTC(2024 + 4, 2, 2)))
  })

  it('a workbook stored with ZIP64 records (as some streaming writers store even small files) reads the same', async () => {
    const parts = await partsOf(await sample(3))
    const file = join(dir, 'zip64.xlsx')
    writeFileSync(file, zipOf([...parts].map(([n, d]) => part(n, d)), true))
    const { rows } = await readAll(file)
    expect(rows).toHaveLength(4)
    expect(rows[3]!.cells).toEqual(['队员2', ID(2), new Date(Date.UTC(2024, 2, 1))])
  })

  it('refuses an old .xls with a message saying how to convert it', async () => {
    const f = join(dir, 'old.xls')
    writeFileSync(f, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]))
    await expect(openWorkbook(f, 'old.xls')).rejects.toThrow('另存为')
  })
})

describe('cells as clerks type them', () => {
  it('dates in every form, and impossible ones refused', () => {
    for (const v of ['2024-03-01', '2024/3/1', '2024.3.1', '2024年3月1日', '2024 年 3 月 1 日', '20240301', '2024-03-01 00:00:00', 45352, 20240301, new Date(Date.UTC(2024, 2, 1))])
      expect(parseDate(v, '日期')).toEqual({ ok: true, value: '2024-03-01' })
    for (const v of ['2024-02-30', '2023.2.29', '3/1/2024', '去年', 12])
      expect(parseDate(v, '加入日期')).toMatchObject({ ok: false, message: expect.stringContaining('不是有效日期') })
    expect(parseDate('2024.2.29', 'x')).toEqual({ ok: true, value: '2024-02-29' })
  })

  it('an ID Excel made a number is refused saying the last digits were lost; text IDs pass through', () => {
    // eslint-disable-next-line no-loss-of-precision -- the point: Excel keeps only 15 significant digits
    const r = parseIdCell(430103198005061234)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toMatch(/末三位已丢失.*文本.*单引号/)
    expect(parseIdCell('4.30103E+17').ok).toBe(false)
    expect(parseIdCell(` '${ID(1)} `)).toEqual({ ok: true, value: ID(1) })
  })

  it('times', () => {
    expect(parseTime('8:30', 't')).toEqual({ ok: true, value: '08:30' })
    expect(parseTime('19时30分', 't')).toEqual({ ok: true, value: '19:30' })
    expect(parseTime(0.8125, 't')).toEqual({ ok: true, value: '19:30' })
    expect(parseTime(new Date(Date.UTC(1899, 11, 30, 22, 0)), 't')).toEqual({ ok: true, value: '22:00' })
    expect(parseTime('25:00', 't').ok).toBe(false)
  })
})
