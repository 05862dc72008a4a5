import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { openSqlite, type Sqlite } from '../db/sqlite'
import { ApiError } from '../../shared/errors'
import { xlsToXlsx } from './xls'
import type { Cell } from '../../shared/excel/cells'
import { MAX_CELL_TEXT, MAX_COLUMNS, decodeUtf8, readSharedStrings, sheetRows, type SheetRow } from './sheetXml'
import { ZipFile, damaged, type ZipEntry } from './zip'

export type { SheetRow } from './sheetXml'

/**
 * Reads a sheet row by row without holding the file in memory, and refuses a hostile file (a zip bomb,
 * a truncated or corrupt file, a file that is not Excel at all, a cell longer than Excel allows) with
 * "文件已损坏或不是Excel文件（…）" before it costs time or memory.
 *
 * The zip is opened through its central directory (zip.ts: sizes, ratios and CRCs checked, inflation cut
 * off at each part's limit), so entries may come in any order: Excel, WPS, LibreOffice and exceljs
 * store xl/workbook.xml or xl/styles.xml after a worksheet, or name worksheets other than sheetN.xml,
 * which exceljs's one-pass WorkbookReader.parse() breaks on (exceljs#3064, #3031, #1430).
 * The workbook, its relationships and the styles are small parts, parsed by exceljs 4.4.0 (pinned in
 * package.json) under a small size limit each. Shared strings and worksheet rows are parsed here
 * (sheetXml.ts), with limits checked as the XML streams; text is decoded with a streaming decoder, so a
 * Chinese character split across two inflated chunks stays whole (exceljs decodes each chunk on its own).
 * Memory: a few rows at a time. The shared-string table stays in memory up to SHARED_IN_MEMORY strings
 * (and SHARED_CHARS_IN_MEMORY characters) and beyond that moves to a temporary SQLite database on disk,
 * looked up by index as rows arrive (SharedStrings).
 */
const require = createRequire(import.meta.url)
const exceljsMain = require.resolve('exceljs')
const fromExceljs = createRequire(exceljsMain)
/* eslint-disable @typescript-eslint/no-explicit-any */
const WorkbookReader = fromExceljs('./lib/stream/xlsx/workbook-reader.js') as any
/* eslint-enable @typescript-eslint/no-explicit-any */
const isDateFmt = (fromExceljs('./lib/utils/utils.js') as { isDateFmt: (fmt: string | undefined) => boolean }).isDateFmt

export const EXCELJS_VERSION: string = (fromExceljs('./package.json') as { version: string }).version

const MiB = 1024 * 1024
/** Inflated size allowed per part: a worksheet of a million rows fits; workbook, relationships and styles are small. */
export const PART_LIMITS = {
  sheet: 1024 * MiB,
  sharedStrings: 512 * MiB,
  styles: 32 * MiB,
  small: 8 * MiB,
}

export interface Progress {
  (done: number, total: number): void
}

export type FileKind = 'xlsx' | 'csv' | 'xls'

function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(n)
    const got = readSync(fd, b, 0, n, 0)
    return b.subarray(0, got)
  } finally {
    closeSync(fd)
  }
}

/** What a file that is not an .xlsx is, when its first bytes say so. */
function whatIs(h: Buffer): string {
  if (h.length === 0) return '文件是空的'
  if (h[0] === 0x89 && h.subarray(1, 4).toString('latin1') === 'PNG') return '这是一个PNG图片'
  if (h[0] === 0xff && h[1] === 0xd8) return '这是一个JPEG图片'
  if (h.subarray(0, 4).toString('latin1') === '%PDF') return '这是一个PDF文件'
  if (h.subarray(0, 2).toString('latin1') === 'PK') return '压缩格式不对'
  return '文件开头不是 .xlsx 的格式'
}

/** Which reader a file needs, by its content first and its name second. */
export function fileKind(path: string, fileName: string): FileKind {
  const h = head(path, 8)
  if (h.length >= 4 && h.readUInt32LE(0) === 0x04034b50) return 'xlsx'
  // an OLE compound file: an old .xls (or a password-protected workbook, which xls.ts names as such)
  if (h.length >= 4 && h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0) return 'xls'
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv'
  if (/\.xls[xm]?$/i.test(fileName)) throw damaged(whatIs(h))
  throw new ApiError('invalid_input', '只能导入 .xlsx 或 .csv 文件', 'file')
}

/** Shared strings kept in a plain array; a bigger table goes to a temporary database. */
export const SHARED_IN_MEMORY = 50_000
/** …and no more characters than this in memory, however few strings (each may be 32,767 long). */
export const SHARED_CHARS_IN_MEMORY = 4 * MiB

/**
 * The shared-string table: an array while small, then a temporary on-disk SQLite database (deleted when
 * closed) with a small page cache. Texts are stored as the importer reads them (rich text flattened).
 */
class SharedStrings {
  private mem: (string | null)[] = []
  private chars = 0
  private db: Sqlite | null = null
  private pending: [number, string | null][] = []
  private count = 0
  private lookup: ((i: number) => string | null) | null = null

  add(text: string | null): void {
    if (!this.db && this.count < SHARED_IN_MEMORY && this.chars < SHARED_CHARS_IN_MEMORY) {
      this.mem.push(text)
      this.chars += text?.length ?? 0
    } else {
      if (!this.db) this.spill()
      this.pending.push([this.count, text])
      if (this.pending.length >= 5000) this.flush()
    }
    this.count++
  }

  private spill(): void {
    const db = openSqlite('')
    db.pragma('cache_size = -2048')
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.exec('CREATE TABLE s (i INTEGER PRIMARY KEY, t TEXT)')
    this.db = db
    this.pending = this.mem.map((t, i) => [i, t])
    this.mem = []
    this.chars = 0
    this.flush()
  }

  private flush(): void {
    if (!this.db || !this.pending.length) return
    const ins = this.db.prepare('INSERT INTO s (i, t) VALUES (?, ?)')
    this.db.transaction((rows: [number, string | null][]) => {
      for (const [i, t] of rows) ins.run(i, t)
    })(this.pending)
    this.pending = []
  }

  /** the text at index, or null (an index outside the table, as exceljs gave undefined) */
  get(i: number): string | null {
    if (!this.lookup) {
      this.flush()
      const db = this.db
      if (!db) this.lookup = (k) => this.mem[k] ?? null
      else {
        const stmt = db.prepare('SELECT t FROM s WHERE i = ?').pluck()
        this.lookup = (k) => (stmt.get(k) as string | null | undefined) ?? null
      }
    }
    return Number.isInteger(i) && i >= 0 && i < this.count ? this.lookup(i) : null
  }

  close(): void {
    this.db?.close()
    this.db = null
  }
}

/** A part's text for exceljs's own parsers (workbook, relationships, styles), any failure a damaged file. */
async function parsePart(zip: ZipFile, e: ZipEntry, limit: number, parse: (stream: Readable) => Promise<unknown>): Promise<void> {
  try {
    await parse(Readable.from(decodeUtf8(zip.read(e, limit))))
  } catch (err) {
    throw err instanceof ApiError ? err : damaged(`${e.name} 无法读取`)
  }
}

class XlsxBook {
  private constructor(
    private readonly zip: ZipFile,
    readonly sheets: { name: string; entry: ZipEntry }[],
    private readonly shared: SharedStrings,
    private readonly isDate: (style: number) => boolean,
    private readonly date1904: boolean,
  ) {}

  close(): void {
    this.shared.close()
  }

  static async open(path: string): Promise<XlsxBook> {
    const zip = await ZipFile.open(path)
    // exceljs's reader object, used only as the holder of the parsed workbook parts
    const book = new WorkbookReader(null, { worksheets: 'emit', sharedStrings: 'emit', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' })
    const wbEntry = zip.entry('xl/workbook.xml')
    const relsEntry = zip.entry('xl/_rels/workbook.xml.rels')
    if (!wbEntry || !relsEntry) throw new ApiError('invalid_input', '这个文件不是有效的 .xlsx 工作簿（缺少工作簿信息），请用 Excel 或 WPS 另存为 .xlsx 后再导入', 'file')
    await parsePart(zip, relsEntry, PART_LIMITS.small, (s) => book._parseRels(s))
    await parsePart(zip, wbEntry, PART_LIMITS.small, (s) => book._parseWorkbook(s))
    const styles = zip.entry('xl/styles.xml')
    if (styles) await parsePart(zip, styles, PART_LIMITS.styles, (s) => book._parseStyles(s))
    const dates = new Map<number, boolean>()
    const isDate = (style: number): boolean => {
      let d = dates.get(style)
      if (d === undefined) {
        try {
          d = isDateFmt((book.styles.getStyleModel(style) as { numFmt?: string } | null)?.numFmt)
        } catch {
          // a style the styles part does not describe properly: show the number as it is
          d = false
        }
        dates.set(style, d)
      }
      return d
    }
    const rels = new Map(((book.workbookRels ?? []) as { Id: string; Target: string }[]).map((r) => [r.Id, r]))
    const sheets: { name: string; entry: ZipEntry }[] = []
    for (const s of (book.model?.sheets ?? []) as { name: string; rId: string }[]) {
      const rel = rels.get(s.rId)
      if (!rel || typeof rel.Target !== 'string') continue
      const target = rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`
      const e = zip.entry(target.replace(/\/\.\//g, '/'))
      if (e) sheets.push({ name: String(s.name), entry: e })
    }
    if (sheets.length === 0) throw new ApiError('invalid_input', '这个工作簿里没有可读取的工作表', 'sheet')
    const shared = new SharedStrings()
    try {
      const ss = zip.entry('xl/sharedStrings.xml')
      if (ss) await readSharedStrings(decodeUtf8(zip.read(ss, PART_LIMITS.sharedStrings)), ss.name, (t) => shared.add(t))
    } catch (e) {
      shared.close()
      throw e
    }
    const date1904 = (book.properties as { model?: { date1904?: boolean } } | undefined)?.model?.date1904 === true
    return new XlsxBook(zip, sheets, shared, isDate, date1904)
  }

  private sheet(sheetName: string): { name: string; entry: ZipEntry } {
    const sheet = this.sheets.find((s) => s.name === sheetName)
    if (!sheet) throw new ApiError('invalid_input', `找不到工作表「${sheetName}」，可选：${this.sheets.map((s) => s.name).join('、')}`, 'sheet')
    return sheet
  }

  /**
   * Inflates the sheet once without parsing it: a part corrupt or cut short in its middle is refused in
   * a fraction of a second, before the first row is read or written (inflating is ~100× faster than reading rows).
   */
  async verify(sheetName: string): Promise<void> {
    for await (const chunk of this.zip.read(this.sheet(sheetName).entry, PART_LIMITS.sheet)) void chunk
  }

  async *rows(sheetName: string, progress?: Progress): AsyncGenerator<SheetRow> {
    const sheet = this.sheet(sheetName)
    const total = sheet.entry.uncompressedSize
    let bytes = 0
    let lastReport = 0
    const counted = (n: number) => {
      bytes += n
      if (progress && bytes - lastReport > 256 * 1024) {
        lastReport = bytes
        progress(bytes, total)
      }
    }
    const ctx = { shared: (i: number) => this.shared.get(i), isDate: this.isDate, date1904: this.date1904 }
    yield* sheetRows(decodeUtf8(this.zip.read(sheet.entry, PART_LIMITS.sheet, counted)), sheet.entry.name, ctx)
    progress?.(total, total)
  }
}

/** CSV as WPS and Excel save it: UTF-8 (with or without BOM) or GBK, commas, quotes with "" inside. */
async function* csvRows(path: string, progress?: Progress): AsyncGenerator<SheetRow> {
  const first = head(path, 64 * 1024)
  let encoding = 'utf-8'
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, Math.max(0, first.length - 4)))
  } catch {
    encoding = 'gb18030'
  }
  const decoder = new TextDecoder(encoding)
  const stream = createReadStream(path)
  const total = statSync(path).size
  let bytes = 0
  let field = ''
  let cells: Cell[] = []
  let inQuotes = false
  let quoteSeen = false
  let rowNo = 0
  let pendingCR = false
  // Excel's limits hold for a CSV too: a field or a row past them is not a table, and would only fill memory
  const checkField = () => {
    if (field.length > MAX_CELL_TEXT) throw damaged(`第${rowNo + 1}行第${cells.length + 1}列的文字有${field.length}个字符以上，超过了Excel单元格的上限${MAX_CELL_TEXT}个字符`)
  }
  const endField = () => {
    checkField()
    if (cells.length >= MAX_COLUMNS) throw damaged(`第${rowNo + 1}行超过了${MAX_COLUMNS}列`)
    cells.push(field === '' && !quoteSeen ? null : field)
    field = ''
    quoteSeen = false
  }
  const endRow = (): SheetRow => {
    endField()
    rowNo++
    const r = { row: rowNo, cells }
    cells = []
    return r
  }
  let firstChunk = true
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length
    let text = decoder.decode(chunk, { stream: true })
    if (firstChunk && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    firstChunk = false
    const out: SheetRow[] = []
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (pendingCR) {
        pendingCR = false
        if (ch === '\n') continue
      }
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i++
          } else inQuotes = false
        } else field += ch
      } else if (ch === '"' && field === '') {
        inQuotes = true
        quoteSeen = true
      } else if (ch === ',') endField()
      else if (ch === '\r') {
        out.push(endRow())
        pendingCR = true
      }
      else if (ch === '\n') out.push(endRow())
      else field += ch
    }
    checkField()
    for (const r of out) yield r
    progress?.(bytes, total)
  }
  if (field !== '' || cells.length > 0) yield endRow()
}

/** One opened file: its sheets and a row stream per sheet. */
export interface Workbook {
  kind: FileKind
  sheets: string[]
  rows: (sheet: string, progress?: Progress) => AsyncGenerator<SheetRow>
  /** checks the sheet's stored data whole (size, CRC) before rows are read; a CSV has nothing to check */
  verify: (sheet: string) => Promise<void>
  /** frees what the file holds outside the rows (a large shared-string table's temporary database) */
  close: () => void
}

export async function openWorkbook(path: string, fileName: string): Promise<Workbook> {
  const kind = fileKind(path, fileName)
  if (kind === 'csv') {
    const name = fileName.replace(/\.[^.]*$/, '') || 'CSV'
    return { kind, sheets: [name], rows: (_sheet, progress) => csvRows(path, progress), verify: async () => {}, close: () => {} }
  }
  // an .xls becomes a private temporary .xlsx read like any other (xls.ts)
  const converted = kind === 'xls' ? await xlsToXlsx(path) : null
  const book = await XlsxBook.open(converted?.file ?? path).catch((e: unknown) => {
    converted?.dispose()
    throw e
  })
  return {
    kind,
    sheets: book.sheets.map((s) => s.name),
    rows: (sheet, progress) => book.rows(sheet, progress),
    verify: (sheet) => book.verify(sheet),
    close: () => (book.close(), converted?.dispose()),
  }
}
