import { createRequire } from 'node:module'
import { StringDecoder } from 'node:string_decoder'
import { ApiError } from '../../shared/errors'
import { columnLetter, type Cell } from '../../shared/excel/cells'
import { damaged } from './zip'

/**
 * The XML of a worksheet and of the shared-string table, read with saxes (exceljs's own XML parser)
 * and checked while it streams, so a hostile file is refused before it costs time or memory:
 *  - no cell text longer than Excel's own limit, 32,767 characters (refused as it arrives);
 *  - at most 16,384 columns and 1,048,576 rows (Excel's sheet size), nesting at most MAX_DEPTH deep;
 *  - the parser may not swallow more than MAX_SILENT characters without reporting anything: a text,
 *    comment, attribute or tag that long is not a spreadsheet's, and saxes would hold it all in memory.
 * exceljs's WorksheetReader is not used for the rows: it keeps appending text to the last cell's value
 * whatever tags come in between, a memory sink no outside check can bound.
 */
export const MAX_CELL_TEXT = 32_767
export const MAX_COLUMNS = 16_384
export const MAX_ROWS = 1_048_576
export const MAX_DEPTH = 64
export const MAX_SILENT = 1024 * 1024

const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'))

interface SaxTag {
  name: string
  attributes: Record<string, string>
  isSelfClosing: boolean
}
interface Saxes {
  on(event: 'opentag' | 'closetag', fn: (t: SaxTag) => void): void
  on(event: 'text', fn: (s: string) => void): void
  on(event: 'error', fn: (e: Error) => void): void
  write(chunk: string): void
  close(): void
}
const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: new () => Saxes }

/** A zip entry's bytes → text, never splitting a character (a Chinese name across two chunks stays whole). */
export async function* decodeUtf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  for await (const chunk of bytes) {
    const s = decoder.write(chunk)
    if (s) yield s
  }
  const rest = decoder.end()
  if (rest) yield rest
}

const local = (name: string) => name.slice(name.indexOf(':') + 1)

/** Characters handed to saxes at a time. */
const PIECE = 4096

/** saxes with the guards above; handlers get tag names without a namespace prefix (x:row → row). */
class GuardedXml {
  private readonly sax: Saxes = new SaxesParser()
  private silent = 0
  private depth = 0
  private error: Error | null = null

  constructor(
    private readonly part: string,
    handlers: { open?: (name: string, attrs: Record<string, string>) => void; close?: (name: string) => void; text?: (s: string) => void },
  ) {
    // the same handlers in the same order as exceljs's own parse-sax: every saxes parser in the process
    // keeps one object shape, and saxes's per-character code stays fast (other shapes made it 2× slower).
    // Comments and CDATA are not listened to (Excel writes neither; exceljs ignores them too); the
    // silent-characters guard still bounds them.
    this.sax.on('error', (e) => (this.error ??= e))
    this.sax.on('opentag', (t) => {
      this.silent = 0
      if (++this.depth > MAX_DEPTH) throw damaged(`${part} 的层次过深`)
      handlers.open?.(local(t.name), t.attributes)
    })
    this.sax.on('text', (s) => {
      this.silent = 0
      handlers.text?.(s)
    })
    this.sax.on('closetag', (t) => {
      this.silent = 0
      this.depth--
      handlers.close?.(local(t.name))
    })
  }

  write(s: string): void {
    // small pieces: saxes slices its values out of the piece it is given, and a slice keeps the whole piece alive
    for (let i = 0; i < s.length; i += PIECE) {
      const piece = s.length <= PIECE ? s : s.slice(i, i + PIECE)
      this.silent += piece.length
      try {
        this.sax.write(piece)
      } catch (e) {
        throw e instanceof ApiError ? e : damaged(`${this.part} 的内容不是有效的XML`)
      }
      if (this.error) throw damaged(`${this.part} 的内容不是有效的XML`)
      if (this.silent > MAX_SILENT) throw damaged(`${this.part} 中有超过${MAX_SILENT}个字符的一段内容，不是正常的表格`)
    }
  }

  close(): void {
    try {
      this.sax.close()
    } catch {
      throw damaged(`${this.part} 的内容不完整`)
    }
    if (this.error) throw damaged(`${this.part} 的内容不完整`)
  }
}

function tooLong(where: string, n: number): ApiError {
  return damaged(`${where}的文字有${n}个字符以上，超过了Excel单元格的上限${MAX_CELL_TEXT}个字符`)
}

/** Shared strings in order; rich-text runs joined, phonetic runs (rPh) left out as Excel shows them. */
export async function readSharedStrings(xml: AsyncIterable<string>, part: string, add: (text: string | null) => void): Promise<void> {
  let inSi = false
  let inT = false
  let inPh = 0
  let text = ''
  let n = 0
  const p = new GuardedXml(part, {
    open: (name) => {
      if (name === 'si') {
        inSi = true
        text = ''
      } else if (name === 'rPh') inPh++
      else if (name === 't' && inSi && !inPh) inT = true
    },
    close: (name) => {
      if (name === 't') inT = false
      else if (name === 'rPh') inPh--
      else if (name === 'si' && inSi) {
        inSi = false
        n++
        add(text === '' ? null : text)
      }
    },
    text: (s) => {
      if (!inT) return
      text += s
      if (text.length > MAX_CELL_TEXT) throw tooLong(`共享文字表第${n + 1}条`, text.length)
    },
  })
  for await (const s of xml) p.write(s)
  p.close()
}

export interface SheetContext {
  /** the shared-string table by index */
  shared: (index: number) => string | null
  /** does the style at this index show a number as a date */
  isDate: (style: number) => boolean
  date1904: boolean
}

export interface SheetRow {
  /** 1-based row number as the sheet shows it */
  row: number
  /** index 0 = column A */
  cells: Cell[]
}

function columnOf(ref: string | undefined): number | null {
  if (!ref) return null
  let col = 0
  let i = 0
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i)
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64)
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96)
    else break
  }
  return i > 0 ? col : null
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000))
}

interface OpenCell {
  col: number
  type: string
  style: number
  formula: boolean
  value: string | null
  inline: string | null
}

/**
 * The rows of one worksheet as they stream. After </sheetData> the rest is not parsed (nothing there
 * is a cell) but is still read to its end, so the zip layer checks the part's size and CRC before the
 * import commits. `rows` hands back every finished row after each piece of text.
 */
export async function* sheetRows(xml: AsyncIterable<string>, part: string, ctx: SheetContext): AsyncGenerator<SheetRow> {
  const done: SheetRow[] = []
  let inData = false
  let finished = false
  let row: SheetRow | null = null
  let lastRow = 0
  let lastCol = 0
  let cell: OpenCell | null = null
  /** where text goes: the cell's <v>, an inline <t>, or nowhere */
  let into: 'v' | 't' | null = null
  let inPh = 0
  const where = () => `第${row?.row ?? lastRow}行${columnLetter(cell?.col ?? lastCol)}列`

  const value = (c: OpenCell): Cell => {
    const v = c.value
    switch (c.type) {
      case 's':
        return v === null ? null : ctx.shared(Number.parseInt(v, 10))
      case 'inlineStr':
        return c.inline ?? v
      case 'str':
        return v
      case 'b':
        return v === null ? null : Number.parseInt(v, 10) !== 0
      case 'e':
        return null
      case 'd': {
        const d = v === null ? null : new Date(v)
        return d && !Number.isNaN(d.getTime()) ? d : v
      }
      default: {
        if (v === null || v.trim() === '') return null
        const n = Number.parseFloat(v)
        if (!Number.isFinite(n)) return v
        return ctx.isDate(c.style) ? excelDate(n, ctx.date1904) : n
      }
    }
  }

  const p = new GuardedXml(part, {
    open: (name, a) => {
      if (finished) return
      if (name === 'sheetData') inData = true
      else if (!inData) return
      else if (name === 'row') {
        if (row) throw damaged(`${part} 的行结构不对`)
        const r = a.r ? Number.parseInt(a.r, 10) : lastRow + 1
        if (!Number.isInteger(r) || r < 1 || r > MAX_ROWS) throw damaged(`${part} 中的行号「${String(a.r).slice(0, 20)}」超出了Excel的范围（1～${MAX_ROWS}）`)
        row = { row: r, cells: [] }
        lastRow = r
        lastCol = 0
      } else if (name === 'c' && row) {
        const col = columnOf(a.r) ?? lastCol + 1
        if (col > MAX_COLUMNS) throw damaged(`第${row.row}行的列超出了Excel的范围（最多${MAX_COLUMNS}列）`)
        lastCol = col
        cell = { col, type: a.t ?? 'n', style: a.s ? Number.parseInt(a.s, 10) : 0, formula: false, value: null, inline: null }
      } else if (cell) {
        if (name === 'v') {
          into = 'v'
          cell.value = ''
        } else if (name === 'f') cell.formula = true
        else if (name === 'is') cell.inline = ''
        else if (name === 'rPh') inPh++
        else if (name === 't' && cell.inline !== null && !inPh) into = 't'
      }
    },
    close: (name) => {
      if (finished || !inData) return
      if (name === 'v' || name === 't') into = null
      else if (name === 'rPh') inPh--
      else if (name === 'c' && row && cell) {
        const v = value(cell)
        if (v !== null && v !== undefined) {
          while (row.cells.length < cell.col - 1) row.cells.push(null)
          row.cells[cell.col - 1] = v
        }
        cell = null
      } else if (name === 'row' && row) {
        done.push(row)
        row = null
      } else if (name === 'sheetData') {
        inData = false
        finished = true
      }
    },
    text: (s) => {
      if (!cell || !into) return
      if (into === 'v') cell.value += s
      else cell.inline += s
      const n = into === 'v' ? cell.value!.length : cell.inline!.length
      if (n > MAX_CELL_TEXT) throw tooLong(where(), n)
    },
  })

  for await (const s of xml) {
    if (finished) continue
    p.write(s)
    while (done.length) yield done.shift()!
  }
  if (!finished) p.close()
  while (done.length) yield done.shift()!
}
