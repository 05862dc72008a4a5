import ExcelJS from 'exceljs'
import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ZipFile, MAX_ENTRIES, MAX_RATIO } from '../../src/main/excel/zip'
import { MAX_SILENT } from '../../src/main/excel/sheetXml'
import { openWorkbook } from '../../src/main/excel/reader'
import { tempDir, testApp, type TestApp } from '../helpers'
import { SHEET, SHEET_HEAD, bombSheet, part, withSheet, zipOf } from './excelHostile'

/**
 * Files from outside are hostile until read: a zip bomb, a truncated or corrupt file, a picture named
 * .xlsx, a cell longer than Excel allows. Each gets "文件已损坏或不是Excel文件（…）", nothing changes,
 * and the upload is gone afterwards. The files are built in excelHostile.ts, byte by byte where it matters.
 * Time and memory for the same files: tests/bench/excel.bench.ts.
 */
const dir = tempDir('pingan-hostile-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let app: TestApp
beforeEach(async () => {
  app = testApp()
  await app.ok('villages.create', { name: '新塘村', kind: 'village' })
})
afterEach(() => app.dispose())

/** The preview and the import refuse the file with the damaged-file message; the database and the upload folder are as before. */
async function refused(file: Buffer, fileName = '花名册.xlsx'): Promise<string> {
  const before = app.contentHash()
  const fileBase64 = file.toString('base64')
  const m = await app.err('excel.import', { register: 'members', fileBase64, fileName, skipBad: true })
  expect(m.code).toBe('invalid_input')
  expect(m.message).toMatch(/^文件已损坏或不是Excel文件（.+）/)
  expect((await app.err('excel.inspect', { register: 'members', fileBase64, fileName })).message).toBe(m.message)
  expect(app.contentHash()).toBe(before)
  // the upload went with the refusal
  expect(readdirSync(join(app.dir, 'tmp', 'excel'))).toEqual([])
  return m.message
}

/** Reads the sheet part through the zip reader: how far inflation got before it was refused, and why. */
async function readSheet(file: string): Promise<{ inflated: number; error: string }> {
  const zip = await ZipFile.open(file)
  let inflated = 0
  try {
    for await (const _ of zip.read(zip.entry(SHEET)!, 2 * 1024 ** 3, (n) => (inflated += n)));
  } catch (e) {
    return { inflated, error: (e as Error).message }
  }
  return { inflated, error: '' }
}

describe('hostile Excel files are refused as damaged, and nothing changes', () => {
  it('a zip of more parts than any workbook has: refused from the directory', async () => {
    const parts = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => part(`xl/media/p${i}.bin`, Buffer.from('a'), 0))
    expect(await refused(zipOf(parts))).toContain(`压缩包里有${MAX_ENTRIES + 1}个部件`)
  })

  it('a baseline: the untouched workbook built the same way imports', async () => {
    const file = await withSheet((p) => part(SHEET, p.get(SHEET)!))
    const r = await app.ok('excel.import', { register: 'members', fileBase64: file.toString('base64'), fileName: 'ok.xlsx' })
    expect(r.imported).toBe(2)
  })

  it('a zip bomb (1 MB inflating to 1 GiB): refused from the directory, before a byte is inflated', async () => {
    const bomb = await withSheet(bombSheet(1))
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024)
    expect(await refused(bomb)).toContain('压缩炸弹')
    const f = join(dir, 'bomb.xlsx')
    writeFileSync(f, bomb)
    const r = await readSheet(f)
    expect(r.error).toContain('压缩比异常')
    expect(r.inflated).toBe(0)
    expect(MAX_RATIO).toBe(100)
  })

  it('a zip bomb whose directory lies about its size: inflation stops just past the declared size', async () => {
    const declared = 256 * 1024
    const bomb = await withSheet(bombSheet(1, declared))
    expect(await refused(bomb)).toContain('比记录的')
    const f = join(dir, 'liar.xlsx')
    writeFileSync(f, bomb)
    const r = await readSheet(f)
    expect(r.error).toContain('比记录的')
    expect(r.inflated).toBeLessThanOrEqual(declared)
  })

  it('one endless text within the ratio: the XML reader stops after MAX_SILENT characters', async () => {
    // letters that do not compress: no bomb by ratio, but no spreadsheet has a text node this long
    const letters = randomBytes(3 * 1024 * 1024).map((b) => 65 + (b % 26))
    const sheet = Buffer.concat([Buffer.from(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>`), letters, Buffer.from('</t></is></c></row></sheetData></worksheet>')])
    const file = await withSheet(part(SHEET, sheet))
    expect(await refused(file)).toContain(`超过${MAX_SILENT}个字符`)
    const f = join(dir, 'endless.xlsx')
    writeFileSync(f, file)
    const wb = await openWorkbook(f, 'endless.xlsx')
    await expect(
      (async () => {
        for await (const _ of wb.rows(wb.sheets[0]!));
      })(),
    ).rejects.toThrow('文件已损坏或不是Excel文件')
    wb.close()
  })

  it('a truncated file', async () => {
    const whole = await withSheet((p) => part(SHEET, p.get(SHEET)!), 200)
    expect(await refused(whole.subarray(0, Math.floor(whole.length / 2)))).toContain('找不到压缩目录')
  })

  it('a deflate stream corrupted in the middle of a 3,000-row sheet', async () => {
    const rows = 3000
    const file = await withSheet((p) => {
      const s = part(SHEET, p.get(SHEET)!)
      const stored = Buffer.from(s.stored)
      for (let i = 0; i < 64; i++) stored[Math.floor(stored.length / 2) + i]! ^= 0x5a
      return { ...s, stored }
    }, rows)
    // the sheet is inflated whole before its first row is read: refused at once, even by the preview
    expect(await refused(file)).toMatch(/压缩数据已损坏|校验码不符|大小与记录不符/)
  })

  it('a stored (uncompressed) sheet with one digit changed: well-formed XML, but the CRC does not match', async () => {
    const file = await withSheet((p) => {
      const xml = p.get(SHEET)!
      const s = part(SHEET, xml, 0)
      // the sheet refers to its texts by index: move the first data row from row 2 to row 7
      const changed = Buffer.from(xml.toString('utf8').replace('<row r="2"', '<row r="7"'))
      expect(changed.equals(xml)).toBe(false)
      return { ...s, stored: changed }
    })
    expect(await refused(file)).toContain('校验码不符')
  })

  it('a PNG picture renamed .xlsx, a text file named .xlsx, an empty file', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)])
    expect(await refused(png)).toContain('PNG图片')
    expect(await refused(Buffer.from('姓名,身份证号\n张三,1\n'))).toContain('不是 .xlsx 的格式')
    const e = await app.err('excel.import', { register: 'members', fileBase64: '', fileName: 'x.xlsx' })
    expect(e.message).toMatch(/空|选择/)
  })

  it('a cell of 100,000 characters, inline or in the shared-string table', async () => {
    const long = '长'.repeat(100_000)
    const inline = Buffer.from(
      `${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>` +
        `<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" t="inlineStr"><is><t>${long}</t></is></c></row></sheetData></worksheet>`,
    )
    expect(await refused(await withSheet(part(SHEET, inline)))).toContain('第2行B列的文字有100000个字符以上')

    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('花名册').addRow(['姓名', long])
    expect(await refused(Buffer.from(await wb.xlsx.writeBuffer()))).toMatch(/共享文字表第\d+条的文字有100000个字符以上，超过了Excel单元格的上限32767个字符/)
  })

  it('a CSV with a field past Excel’s cell limit', async () => {
    const csv = Buffer.from(`姓名,身份证号\n张三,${'1'.repeat(40_000)}\n`)
    expect(await refused(csv, '花名册.csv')).toContain('32767')
  })
})
