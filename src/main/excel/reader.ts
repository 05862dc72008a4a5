import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { openSqlite, type Sqlite } from '../db/sqlite'
import { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { ApiError } from '../../shared/errors'
import type { Cell } from '../../shared/excel/cells'

/**
 * Reads a sheet row by row without holding the file in memory.
 *
 * exceljs 4.4.0 (pinned in package.json) is used for the XML of each worksheet, through its streaming
 * WorksheetReader. Its WorkbookReader.parse() is NOT used: it reads the zip in one pass
 * (unzipper.Parse) and breaks on entry orders that Excel, WPS, LibreOffice and exceljs itself write:
 *  - xl/workbook.xml stored after a worksheet → "Cannot read properties of undefined (reading 'sheets')"
 *    (exceljs#3064, #3031; intermittent on Node ≥ 18 because iterate-stream pauses the zip stream and
 *    unzipper drops entries),
 *  - xl/styles.xml after a worksheet → date cells arrive as bare serial numbers (exceljs#1430),
 *  - worksheets named other than sheetN.xml are skipped.
 * Here the zip is opened through its central directory (unzipper.Open, random access), and the
 * workbook, relationships, shared strings and styles are parsed before any worksheet, whatever their
 * order in the file. tests/integration/excel-reader.test.ts builds files in those orders.
 * Every part is handed to exceljs's XML parser as text decoded here, in small pieces:
 *  - exceljs decodes each zip chunk on its own (TextDecoder without {stream: true}), so a Chinese
 *    character split across two inflated chunks became two U+FFFD: 2 names in a 100,000-row members
 *    sheet arrived as 成��2261. A streaming decoder keeps a split character whole.
 *  - exceljs gathers the XML events of a whole chunk before yielding its first row, and they live
 *    until the chunk's last row is written. Pieces of XML_PIECE characters keep a batch to a few dozen rows.
 * Memory: a few rows at a time. The shared-string table (every distinct text in the file, ~300 bytes
 * a row for a members sheet) stays in memory up to SHARED_IN_MEMORY strings and beyond that moves to
 * a temporary SQLite database on disk, looked up by index as rows arrive (SharedStrings).
 */
const require = createRequire(import.meta.url)
const exceljsMain = require.resolve('exceljs')
const fromExceljs = createRequire(exceljsMain)
/* eslint-disable @typescript-eslint/no-explicit-any */
const unzipper = fromExceljs('unzipper') as any
const WorkbookReader = fromExceljs('./lib/stream/xlsx/workbook-reader.js') as any
const WorksheetReader = fromExceljs('./lib/stream/xlsx/worksheet-reader.js') as any
/* eslint-enable @typescript-eslint/no-explicit-any */

export const EXCELJS_VERSION: string = (fromExceljs('./package.json') as { version: string }).version

export interface SheetRow {
  /** 1-based row number as the sheet shows it */
  row: number
  /** index 0 = column A */
  cells: Cell[]
}

export interface Progress {
  (done: number, total: number): void
}

export type FileKind = 'xlsx' | 'csv'

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

/** Which reader a file needs, by its content first and its name second. */
export function fileKind(path: string, fileName: string): FileKind {
  const h = head(path, 8)
  if (h.length >= 4 && h[0] === 0x50 && h[1] === 0x4b) return 'xlsx'
  if (h.length >= 4 && h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0)
    throw new ApiError('invalid_input', '这是旧版 .xls（Excel 97-2003）文件，本程序无法直接读取。请在 Excel 或 WPS 中“另存为”.xlsx 格式后再导入', 'file')
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv'
  if (/\.xlsx?$/i.test(fileName)) throw new ApiError('invalid_input', '文件已损坏或不是 Excel 文件，请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入', 'file')
  throw new ApiError('invalid_input', '只能导入 .xlsx 或 .csv 文件', 'file')
}

/** An exceljs cell value → what the importer works with. */
function plain(v: unknown): Cell {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (v instanceof Date) return v
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('')
    if ('result' in o) return plain(o.result)
    if ('formula' in o || 'sharedFormula' in o) return null
    if ('error' in o) return null
    if (typeof o.text === 'string') return o.text
    if (o.text && typeof o.text === 'object') return plain(o.text)
  }
  return String(v)
}

/** Characters of XML handed to the parser at a time. */
const XML_PIECE = 4096

/** A zip entry's bytes → UTF-8 text in pieces of at most XML_PIECE characters, never splitting a character. */
async function* xmlText(source: Readable, counted?: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  function* pieces(s: string): Generator<string> {
    for (let i = 0; i < s.length; ) {
      let j = Math.min(s.length, i + XML_PIECE)
      // keep a surrogate pair together
      if (j < s.length && j - i > 1) {
        const c = s.charCodeAt(j - 1)
        if (c >= 0xd800 && c <= 0xdbff) j--
      }
      yield s.slice(i, j)
      i = j
    }
  }
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      counted?.(chunk.length)
      yield* pieces(decoder.write(chunk))
    }
    yield* pieces(decoder.end())
  } finally {
    source.destroy()
  }
}

/** The same, as the stream exceljs's workbook-part parsers read. */
const xmlStream = (source: Readable): Readable => Readable.from(xmlText(source))

/** Shared strings kept in a plain array; a bigger table goes to a temporary database. */
export const SHARED_IN_MEMORY = 50_000

/**
 * The shared-string table as exceljs's worksheet reader uses it (sharedStrings[index]): an array while
 * small, then a temporary on-disk SQLite database (deleted when closed) with a small page cache.
 * Texts are stored as the importer reads them (rich text flattened), so only strings and nulls.
 */
class SharedStrings {
  private mem: (string | null)[] = []
  private db: Sqlite | null = null
  private pending: [number, string | null][] = []
  private count = 0

  add(v: unknown): void {
    const c = plain(v)
    const text = c === null ? null : String(c)
    if (!this.db && this.count < SHARED_IN_MEMORY) this.mem.push(text)
    else {
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

  /** what exceljs reads: an array, or an object answering [index] from the database */
  table(): unknown {
    this.flush()
    if (!this.db) return this.mem
    const get = this.db.prepare('SELECT t FROM s WHERE i = ?').pluck()
    return new Proxy([] as unknown[], {
      get(target, key) {
        if (typeof key === 'string') {
          const i = Number(key)
          if (Number.isInteger(i) && i >= 0) return get.get(i) as string | null | undefined
        }
        return Reflect.get(target, key)
      },
    })
  }

  close(): void {
    this.db?.close()
    this.db = null
  }
}

interface ZipEntry {
  path: string
  uncompressedSize: number
  stream: () => Readable
}

class XlsxBook {
  private constructor(
    private readonly entries: Map<string, ZipEntry>,
    // exceljs's reader object, used only as the holder of parsed workbook parts
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly book: any,
    readonly sheets: { name: string; path: string; size: number }[],
    private readonly shared: SharedStrings,
  ) {}

  close(): void {
    this.shared.close()
  }

  static async open(path: string): Promise<XlsxBook> {
    let dir: { files: ZipEntry[] }
    try {
      dir = await unzipper.Open.file(path)
    } catch {
      throw new ApiError('invalid_input', '文件已损坏或不是 Excel 文件，请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入', 'file')
    }
    const entries = new Map<string, ZipEntry>()
    for (const f of dir.files) entries.set(f.path.replace(/^\/+/, '').toLowerCase(), f)
    const book = new WorkbookReader(null, { worksheets: 'emit', sharedStrings: 'emit', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' })
    const wbEntry = entries.get('xl/workbook.xml')
    const relsEntry = entries.get('xl/_rels/workbook.xml.rels')
    if (!wbEntry || !relsEntry) throw new ApiError('invalid_input', '这个文件不是有效的 .xlsx 工作簿（缺少工作簿信息），请用 Excel 或 WPS 另存为 .xlsx 后再导入', 'file')
    await book._parseRels(xmlStream(relsEntry.stream()))
    await book._parseWorkbook(xmlStream(wbEntry.stream()))
    const shared = new SharedStrings()
    try {
      const ss = entries.get('xl/sharedstrings.xml')
      if (ss) for await (const e of book._parseSharedStrings(xmlStream(ss.stream())) as AsyncIterable<{ text: unknown }>) shared.add(e.text)
    } catch (e) {
      shared.close()
      throw e
    }
    book.sharedStrings = shared.table()
    const styles = entries.get('xl/styles.xml')
    if (styles) await book._parseStyles(xmlStream(styles.stream()))
    const rels = (book.workbookRels ?? []) as { Id: string; Target: string }[]
    const sheets: { name: string; path: string; size: number }[] = []
    for (const s of (book.model?.sheets ?? []) as { name: string; rId: string; state?: string }[]) {
      const rel = rels.find((r) => r.Id === s.rId)
      if (!rel) continue
      const target = rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`
      const norm = target.replace(/\/\.\//g, '/').toLowerCase()
      const e = entries.get(norm)
      if (e) sheets.push({ name: s.name, path: norm, size: e.uncompressedSize })
    }
    if (sheets.length === 0) {
      shared.close()
      throw new ApiError('invalid_input', '这个工作簿里没有可读取的工作表', 'sheet')
    }
    return new XlsxBook(entries, book, sheets, shared)
  }

  async *rows(sheetName: string, progress?: Progress): AsyncGenerator<SheetRow> {
    const sheet = this.sheets.find((s) => s.name === sheetName)
    if (!sheet) throw new ApiError('invalid_input', `找不到工作表「${sheetName}」，可选：${this.sheets.map((s) => s.name).join('、')}`, 'sheet')
    const entry = this.entries.get(sheet.path)!
    let bytes = 0
    const text = xmlText(entry.stream(), (n) => (bytes += n))
    const reader = new WorksheetReader({ workbook: this.book, id: 1, iterator: text, options: { worksheets: 'emit', hyperlinks: 'ignore' } })
    let lastReport = 0
    try {
      for await (const row of reader as AsyncIterable<{ number: number; values: unknown[] }>) {
        const values = row.values
        const cells: Cell[] = []
        for (let i = 1; i < values.length; i++) cells.push(plain(values[i]))
        yield { row: row.number, cells }
        if (progress && bytes - lastReport > 256 * 1024) {
          lastReport = bytes
          progress(bytes, sheet.size)
        }
      }
    } finally {
      await text.return(undefined)
    }
    progress?.(sheet.size, sheet.size)
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
  const endField = () => {
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
  /** frees what the file holds outside the rows (a large shared-string table's temporary database) */
  close: () => void
}

export async function openWorkbook(path: string, fileName: string): Promise<Workbook> {
  const kind = fileKind(path, fileName)
  if (kind === 'csv') {
    const name = fileName.replace(/\.[^.]*$/, '') || 'CSV'
    return { kind, sheets: [name], rows: (_sheet, progress) => csvRows(path, progress), close: () => {} }
  }
  const book = await XlsxBook.open(path)
  return { kind, sheets: book.sheets.map((s) => s.name), rows: (sheet, progress) => book.rows(sheet, progress), close: () => book.close() }
}
