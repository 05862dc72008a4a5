import type { FontRole, FontSet } from './fonts'
import { esc, rFonts } from './xml'
import { lineCount, lineEm, MAX_EM_PER_CHAR, widestFigureEm, widestLineEm } from './measure'
import { paraXml, type ParaLook, type SpanLike } from './paraXml'
import type { ByteSink } from './bytes'

/**
 * Tables are written as WordprocessingML text, not through docx's object model: a 10,000-row register
 * would take the library a minute and gigabytes. They follow DESIGN §5 for WPS and Word alike:
 * fixed layout, the table width and every grid column in twips (tblW, gridCol, tcW), no autofit,
 * one table whose rows flow across pages with the header row repeated on every page (tblHeader),
 * rows that do not split (cantSplit), and eastAsia set on every run. Columns are as wide as their
 * widest figure needs in a wide Latin face (a PC without Times New Roman), so a date, a percentage
 * or an ID number never breaks inside its cell; the rest of the width goes by the columns' weights.
 */
export type Align = 'left' | 'center' | 'right'

export interface Column {
  title: string
  /** relative width; the columns are scaled to fill the body width exactly */
  width: number
  align?: Align
}

export interface Cell {
  text: string
  /** how many grid columns the cell spans */
  span?: number
  align?: Align
  font?: FontRole
  bold?: boolean
  /** leave room for handwriting: the cell is at least this many lines tall */
  minLines?: number
}

export type RowSpec = (string | Cell)[]

/** a paragraph style used in table cells, written to styles.xml once */
export interface CellStyle {
  id: string
  size: number
  line: number
  align: Align
}

export const CELL_STYLES: CellStyle[] = [
  // a table on a 公文 page (自查报告): 五号
  { id: 'TabC', size: 10.5, line: 315, align: 'center' },
  { id: 'TabL', size: 10.5, line: 315, align: 'left' },
  { id: 'TabR', size: 10.5, line: 315, align: 'right' },
  // a filled-in form (受理登记表, 申报表): 小四
  { id: 'FormC', size: 12, line: 400, align: 'center' },
  { id: 'FormL', size: 12, line: 400, align: 'left' },
  { id: 'FormR', size: 12, line: 400, align: 'right' },
  // a register on a register page: 小五 on an exact 13.5 pt line, 20-odd rows a landscape page
  { id: 'RegC', size: 9, line: 270, align: 'center' },
  { id: 'RegL', size: 9, line: 270, align: 'left' },
  { id: 'RegR', size: 9, line: 270, align: 'right' },
]

type StylePrefix = 'Tab' | 'Form' | 'Reg'

export interface TableSpec {
  columns: Column[]
  rows: RowSpec[]
  /** 'register': with a repeated header row; 'form': 小四, no header row (a filled-in form) */
  kind?: 'register' | 'form'
  /** number the rows: the first column is 序号 */
  numbered?: boolean
  /** rows after the numbered ones (合计): bold, not numbered, kept with the rows before them */
  totals?: RowSpec[]
  /** keep the last rows with the paragraph after the table (a signature line never stands alone) */
  keepEnd?: number
  /**
   * a line under the table (填表人、审核人、负责人) held with its last `keepEnd` rows (2 by default):
   * they are written as one row of the table holding those rows and the line, so no reader's PC
   * can put the line alone on a page
   */
  closing?: { spans: SpanLike[]; look: ParaLook }
}

/** cell margins: a register page's rows are tight, a form's cells have room to write in */
const CELL_MAR = { top: 45, bottom: 45, left: 70, right: 70 }
const REG_MAR = { top: 20, bottom: 20, left: 57, right: 57 }
/** borders (½ pt each) and rounding: what a row adds besides its lines and cell margins */
const ROW_EXTRA = 20

export interface MeasuredTable {
  widths: number[]
  totalWidth: number
  header: MeasuredRow | null
  /** each body row's height in twips (the totals rows after the numbered ones) */
  heights: number[]
  /** rows from here on are kept with the row (or paragraph) after them */
  keepFrom: number
  /** the last row too is kept with the paragraph after the table */
  keepAll: boolean
  /** the closing line: rows from `keepFrom` are written with it in one row; its own height */
  closing: { height: number; xml: string } | null
  /** the cells of body row i, without <w:tr> and its properties: written when the file is, not kept */
  rowBody: (i: number) => string
  /** the same cells written into the file's buffers (the fixed markup of each column encoded once) */
  writeRow: (i: number, out: ByteSink) => void
  margins: typeof CELL_MAR
  style: { size: number; line: number; prefix: StylePrefix }
}

export interface MeasuredRow {
  height: number
  /** the row's cells, without <w:tr> and its properties */
  body: string
}

function trOpen(height: number, header: boolean, cantSplit: boolean): string {
  return `<w:tr><w:trPr>${cantSplit ? '<w:cantSplit/>' : ''}<w:trHeight w:val="${height}" w:hRule="atLeast"/>${header ? '<w:tblHeader/>' : ''}</w:trPr>`
}

function trXml(height: number, body: string, header: boolean, cantSplit: boolean): string {
  return `${trOpen(height, header, cantSplit)}${body}</w:tr>`
}

export function rowXml(r: MeasuredRow, header: boolean, cantSplit: boolean): string {
  return trXml(r.height, r.body, header, cantSplit)
}

/** Scales relative widths to integer twips that add up to `total` exactly. */
export function fitWidths(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const out = weights.map((w) => Math.floor((w / sum) * total))
  out[out.length - 1]! += total - out.reduce((a, b) => a + b, 0)
  return out
}

/**
 * Widths by weight, but never under a column's minimum: columns whose share is too small get their
 * minimum and the others share what is left, until every column holds. When even the minimums do not
 * fit, the minimums are scaled down together (the widest figure then wraps, nothing overflows).
 */
export function sizeColumns(weights: number[], min: number[], total: number): number[] {
  const need = min.reduce((a, b) => a + b, 0)
  if (need >= total) return fitWidths(min, total)
  const fixed = weights.map(() => false)
  for (;;) {
    let freeWeight = 0
    let room = total
    weights.forEach((w, i) => (fixed[i] ? (room -= min[i]!) : (freeWeight += w)))
    let changed = false
    weights.forEach((w, i) => {
      if (!fixed[i] && (freeWeight === 0 || (w / freeWeight) * room < min[i]!)) {
        fixed[i] = true
        changed = true
      }
    })
    if (!changed) {
      const out = weights.map((w, i) => (fixed[i] ? min[i]! : Math.floor((w / freeWeight) * room)))
      const last = fixed.lastIndexOf(false)
      out[last >= 0 ? last : out.length - 1]! += total - out.reduce((a, b) => a + b, 0)
      return out
    }
  }
}

/**
 * Widths for a register table: every column starts at its minimum, then the width left goes, a
 * slice at a time, to the column where it saves the most lines over (a sample of) the rows — the
 * summary gets room before a column that is already one line everywhere. What no column can use
 * goes by the weights. Cells spanning columns are left out of the count.
 */
function allocate(spec: TableSpec, weights: number[], min: number[], total: number, size: number, padX: number): number[] {
  const need = min.reduce((a, b) => a + b, 0)
  if (need >= total) return fitWidths(min, total)
  const ncol = weights.length
  const offset = spec.numbered ? 1 : 0
  // a slice is at least a character: narrower slices rarely save a line
  const step = Math.max(size * 20, Math.ceil((total - need) / 40))
  const every = Math.max(1, Math.ceil(spec.rows.length / SAMPLE))
  const cells: string[][] = []
  for (let i = 0; i < spec.rows.length; i += every) {
    const row: string[] = new Array<string>(ncol).fill('')
    spec.rows[i]!.forEach((c, k) => {
      const col = k + offset
      if (col < ncol && (typeof c === 'string' || (c.span ?? 1) === 1)) row[col] = typeof c === 'string' ? c : c.text
    })
    cells.push(row)
  }
  const widths = start(cells, min, total, size, padX)
  const linesAt = (col: number, w: number) => cells.map((r) => (r[col] ? lineCount(r[col]!, w - padX, size) : 1))
  const lines = widths.map((w, col) => linesAt(col, w))
  const rowMax = (skip: number, alt: number[] | null) =>
    cells.map((_, i) => {
      let m = 1
      for (let col = 0; col < ncol; col++) {
        const l = col === skip && alt ? alt[i]! : lines[col]![i]!
        if (l > m) m = l
      }
      return m
    })
  let left = total - widths.reduce((a, b) => a + b, 0)
  let current = rowMax(-1, null).reduce((a, b) => a + b, 0)
  let slice = step
  while (left >= slice && cells.length > 0) {
    let best = -1
    let bestGain = 0
    let bestLines: number[] | null = null
    for (let col = 0; col < ncol; col++) {
      const alt = linesAt(col, widths[col]! + slice)
      const sum = rowMax(col, alt).reduce((a, b) => a + b, 0)
      // rows saved count most; a column's own lines saved count too, so two columns that wrap
      // together are widened in turn even while neither alone shortens a row
      const own = lines[col]!.reduce((a, b) => a + b, 0) - alt.reduce((a, b) => a + b, 0)
      const gain = current - sum + own * 0.25
      if (gain > bestGain || (gain === bestGain && gain > 0 && weights[col]! > weights[best]!)) {
        best = col
        bestGain = gain
        bestLines = alt
      }
    }
    if (best < 0) {
      // nothing gains from one slice: try a wider one (a word of four characters) before giving up
      if (slice >= step * 4) break
      slice *= 2
      continue
    }
    widths[best]! += slice
    lines[best] = bestLines!
    current = rowMax(-1, null).reduce((a, b) => a + b, 0)
    left -= slice
    slice = step
  }
  // what saves no line goes by the weights
  const extra = fitWidths(weights, left)
  return widths.map((w, i) => w + extra[i]!)
}

/**
 * The starting widths: the fewest lines L (1, 2, 3 …) for which every column can be wide enough
 * for nine rows in ten of the sample to fit their cell in L lines, within the table's width. A row is
 * as tall as its tallest cell, so the columns are given their room for the same L together.
 */
function start(cells: string[][], min: number[], total: number, size: number, padX: number): number[] {
  const natural = min.map((_, col) =>
    cells
      .map((r) => lineEm(r[col] ?? ''))
      .sort((a, b) => a - b)
      .at(Math.floor(cells.length * 0.9)) ?? 0,
  )
  for (let l = 1; l <= 6; l++) {
    // a wrapped cell wastes about a character at each line's end
    const w = natural.map((em, col) => Math.max(min[col]!, Math.ceil(((em / l + (l > 1 ? 1 : 0)) / 0.98) * size * 20) + padX))
    if (w.reduce((a, b) => a + b, 0) <= total) return w
  }
  return [...min]
}

/** rows looked at when sharing out a register table's width */
const SAMPLE = 300

/** a column is at least two characters wide, with room to spare (序号, 性别 never stand one character a line) */
const MIN_EM = 2.4
/** cells up to this many characters are kept on one line (names, coded values) */
const SHORT = 4
/** the wide face's figures are measured with a little room for rounding */
const FIGURE_ROOM = 1.02

/** Each column's minimum in twips: its widest figure (or a short cell whole) in the wide face, plus the cell's margins. */
function minimumWidths(spec: TableSpec, size: number, padX: number): number[] {
  const n = spec.columns.length
  const em = spec.columns.map(() => MIN_EM)
  const numbered = spec.numbered === true
  const offset = numbered ? 1 : 0
  if (numbered && n > 0) em[0] = Math.max(em[0]!, String(spec.rows.length).length * 0.64 * FIGURE_ROOM)
  // a header takes two lines at most: 自查结果, 说明及佐证 never stand a character a line
  spec.columns.forEach((c, k) => {
    if (spec.kind !== 'form' && c.title) em[k] = Math.max(em[k]!, Math.ceil(widestLineEm(c.title) / 2) + 0.3)
  })
  const visit = (r: RowSpec, off: number) => {
    let col = off
    for (const c of r) {
      const text = typeof c === 'string' ? c : c.text
      const span = typeof c === 'string' ? 1 : (c.span ?? 1)
      // (a text too short to be wider than the column's widest so far is not measured)
      if (span === 1 && col < n && text !== '' && text.length * MAX_EM_PER_CHAR * FIGURE_ROOM > em[col]!) {
        // a short cell (a name, 徒步巡逻, 调解成功) stays on one line like a figure
        const w = (text.length <= SHORT ? widestLineEm(text) : widestFigureEm(text)) * FIGURE_ROOM
        if (w > em[col]!) em[col] = w
      }
      col += span
    }
  }
  for (const r of spec.rows) visit(r, offset)
  for (const r of spec.totals ?? []) visit(r, 0)
  return em.map((e) => Math.ceil(e * size * 20) + padX)
}

const SPACES = /^\s|\s$|\s\s/
const ALIGN_ID: Record<Align, string> = { left: 'L', right: 'R', center: 'C' }
const FONT_ROLES: FontRole[] = ['title', 'heading', 'body', 'kai', 'hei', 'song']

/**
 * Measures a table: column widths and every row's height. A register of 10,000 rows is measured
 * without keeping its XML: rowBody(i) writes a row when the file is written, page by page.
 * `dense`: the table sits on a register page (小五, tight cells).
 */
export function measureTable(spec: TableSpec, bodyWidth: number, fonts: FontSet, dense = false): MeasuredTable {
  const kind = spec.kind ?? 'register'
  const prefix: StylePrefix = kind === 'form' ? 'Form' : dense ? 'Reg' : 'Tab'
  const cs = CELL_STYLES.find((c) => c.id === `${prefix}C`)!
  const size = cs.size
  const line = cs.line
  const mar = prefix === 'Reg' ? REG_MAR : CELL_MAR
  const padX = mar.left + mar.right
  const padY = mar.top + mar.bottom + ROW_EXTRA
  const weights = spec.columns.map((c) => c.width)
  const mins = minimumWidths(spec, size, padX)
  // a register's width goes where it saves lines; a form keeps its designed proportions
  const widths = kind === 'register' && spec.rows.length > 0 ? allocate(spec, weights, mins, bodyWidth, size, padX) : sizeColumns(weights, mins, bodyWidth)
  const ncol = widths.length
  const fontXml = {} as Record<FontRole, string>
  for (const role of FONT_ROLES) fontXml[role] = rFonts(fonts[role], fonts.latin)
  const rPrOf = (font: FontRole, bold: boolean) => `<w:rPr>${fontXml[font]}${bold ? '<w:b/><w:bCs/>' : ''}</w:rPr>`
  const rPrBody = rPrOf('body', false)
  // xml:space="preserve" only where a space would otherwise be dropped: it is 21 bytes a cell
  const t = (text: string) => (SPACES.test(text) ? `<w:t xml:space="preserve">${esc(text)}</w:t>` : `<w:t>${esc(text)}</w:t>`)
  const runOf = (text: string, rPr: string): string => {
    if (text === '') return ''
    if (!text.includes('\n')) return `<w:r>${rPr}${t(text)}</w:r>`
    const parts = text.split('\n')
    let inner = ''
    parts.forEach((p, i) => {
      if (i > 0) inner += '<w:br/>'
      if (p !== '') inner += t(p)
    })
    return `<w:r>${rPr}${inner}</w:r>`
  }
  // the opening of a plain cell (one grid column, the column's alignment), made once per column
  const tcOpen = (w: number, span: number, align: Align) =>
    `<w:tc><w:tcPr><w:tcW w:w="${w}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="${prefix}${ALIGN_ID[align]}"/></w:pPr>`
  const plainOpen = widths.map((w, k) => tcOpen(w, 1, spec.columns[k]?.align ?? 'center'))
  // a plain cell as bytes: its opening up to the text (with or without xml:space), the text, the close
  const utf8 = (x: string) => Buffer.from(x, 'utf8')
  const textOpen = plainOpen.map((o) => utf8(`${o}<w:r>${rPrBody}<w:t>`))
  const textOpenKeep = plainOpen.map((o) => utf8(`${o}<w:r>${rPrBody}<w:t xml:space="preserve">`))
  const emptyCell = plainOpen.map((o) => utf8(`${o}</w:p></w:tc>`))
  const textClose = utf8('</w:t></w:r></w:p></w:tc>')
  const textWidth = widths.map((w) => w - padX)
  const numbered = spec.numbered === true
  const nRows = spec.rows.length
  const totals = spec.totals ?? []

  const plainXml = (c: string, col: number) => plainOpen[col] + runOf(c, rPrBody) + '</w:p></w:tc>'
  const spanWidth = (col: number, span: number) => {
    let w = 0
    for (let j = 0; j < span; j++) w += widths[col + j] ?? 0
    return w
  }
  /** a cell of its own span, alignment, font or weight */
  const cellXml = (c: Cell, col: number) => {
    const span = c.span ?? 1
    const align = c.align ?? spec.columns[col]?.align ?? 'center'
    return tcOpen(spanWidth(col, span), span, align) + runOf(c.text, rPrOf(c.font ?? 'body', c.bold ?? false)) + '</w:p></w:tc>'
  }

  /** one pass over a row's cells: its height, and (if asked) its XML. `index` null: a totals row, not numbered. */
  const walk = (r: RowSpec, index: number | null, withXml: boolean): { lines: number; xml: string } => {
    let col = 0
    let maxLines = 1
    let xml = ''
    const lead = numbered && index !== null ? 1 : 0
    const n = r.length + lead
    for (let k = 0; k < n; k++) {
      const c = lead ? (k === 0 ? String(index! + 1) : r[k - 1]!) : r[k]!
      if (typeof c === 'string') {
        if (col < ncol) {
          if (withXml) xml += plainXml(c, col)
          else {
            const lines = lineCount(c, textWidth[col]!, size)
            if (lines > maxLines) maxLines = lines
          }
        }
        col++
        continue
      }
      if (!withXml) {
        const lines = Math.max(c.minLines ?? 1, lineCount(c.text, spanWidth(col, c.span ?? 1) - padX, size))
        if (lines > maxLines) maxLines = lines
      } else xml += cellXml(c, col)
      col += c.span ?? 1
    }
    return { lines: maxLines, xml }
  }

  let header: MeasuredRow | null = null
  if (kind === 'register') {
    let maxLines = 1
    let body = ''
    const rPrHead = rPrOf('hei', false)
    spec.columns.forEach((c, k) => {
      maxLines = Math.max(maxLines, lineCount(c.title, textWidth[k]!, size))
      body += tcOpen(widths[k]!, 1, 'center') + runOf(c.title, rPrHead) + '</w:p></w:tc>'
    })
    header = { height: maxLines * line + padY, body }
  }
  const all = nRows + totals.length
  const heights = new Array<number>(all)
  for (let i = 0; i < nRows; i++) heights[i] = walk(spec.rows[i]!, i, false).lines * line + padY
  for (let j = 0; j < totals.length; j++) heights[nRows + j] = walk(totals[j]!, null, false).lines * line + padY
  // the totals rows stay with the last row; the last `keepEnd` rows stay with what follows the table
  const keepEnd = spec.closing ? (spec.keepEnd ?? 2) : (spec.keepEnd ?? 0)
  const keepFrom = Math.min(totals.length ? nRows - 1 : all, all - keepEnd)
  let closing: MeasuredTable['closing'] = null
  if (spec.closing) {
    const look = spec.closing.look
    const text = spec.closing.spans.map((x) => x.text).join('')
    closing = {
      height: lineCount(text, bodyWidth - (look.indent ?? 0), look.size) * look.line + (look.before ?? 0) + (look.after ?? 0),
      xml: paraXml(spec.closing.spans, look, fonts),
    }
  }
  const kept = (i: number) => !closing && i >= keepFrom && (i < all - 1 || Boolean(spec.keepEnd))
  const rowBody = (i: number): string => {
    const xml = i < nRows ? walk(spec.rows[i]!, i, true).xml : walk(totals[i - nRows]!, null, true).xml
    return kept(i) ? xml.replace(KEEP_AT, KEEP_WITH) : xml
  }
  return {
    widths,
    totalWidth: bodyWidth,
    header,
    heights,
    keepFrom: Math.max(0, keepFrom),
    keepAll: !spec.closing && spec.keepEnd !== undefined && spec.keepEnd > 0,
    closing,
    rowBody,
    writeRow: (i, out) => {
      // the rows kept with the next (a few) and the totals: as text
      if (i >= nRows || kept(i)) return out.str(rowBody(i))
      const r = spec.rows[i]!
      const n = r.length + (numbered ? 1 : 0)
      let col = 0
      for (let k = 0; k < n; k++) {
        const c = numbered ? (k === 0 ? String(i + 1) : r[k - 1]!) : r[k]!
        if (typeof c !== 'string') {
          out.str(cellXml(c, col))
          col += c.span ?? 1
          continue
        }
        if (col < ncol) {
          if (c === '') out.bytes(emptyCell[col]!)
          else if (c.includes('\n')) out.str(plainXml(c, col))
          else {
            out.bytes(SPACES.test(c) ? textOpenKeep[col]! : textOpen[col]!)
            out.str(esc(c))
            out.bytes(textClose)
          }
        }
        col++
      }
    },
    margins: mar,
    style: { size, line, prefix },
  }
}

/** a cell paragraph's properties: where keepNext goes, to hold a row on the page of the one after it */
const KEEP_AT = /"\/><\/w:pPr>/g
const KEEP_WITH = '"/><w:keepNext/></w:pPr>'

const BORDER = '<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>'

/** the held rows' table draws no top line: the outer table's line above their row is the one */
const NESTED_BORDER = BORDER.replace('<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>', '<w:top w:val="nil"/>')

function tableOpen(t: MeasuredTable, nested = false): string {
  const m = t.margins
  let out =
    `<w:tbl><w:tblPr><w:tblW w:w="${t.totalWidth}" w:type="dxa"/>${nested ? '<w:tblInd w:w="0" w:type="dxa"/>' : '<w:jc w:val="center"/>'}<w:tblBorders>${nested ? NESTED_BORDER : BORDER}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="${m.top}" w:type="dxa"/><w:left w:w="${m.left}" w:type="dxa"/>` +
    `<w:bottom w:w="${m.bottom}" w:type="dxa"/><w:right w:w="${m.right}" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`
  for (const w of t.widths) out += `<w:gridCol w:w="${w}"/>`
  out += '</w:tblGrid>'
  if (t.header && !nested) out += rowXml(t.header, true, true)
  return out
}

/**
 * The table's last row: one cell across the table, without borders or margins, holding the last rows
 * in a table of the same columns and the closing line under it. The row does not split, so the line
 * goes with those rows wherever the reader's PC breaks the page.
 */
function closingRow(t: MeasuredTable): string {
  let inner = ''
  for (let i = t.keepFrom; i < t.heights.length; i++) inner += trXml(t.heights[i]!, t.rowBody(i), false, true)
  const nested = t.keepFrom < t.heights.length ? `${tableOpen(t, true)}${inner}</w:tbl>` : ''
  // the line above the held rows is the table's own, between this row and the one before it
  const none = '<w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
  const zero = '<w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
  return (
    `<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="${t.totalWidth}" w:type="dxa"/><w:gridSpan w:val="${t.widths.length}"/>` +
    `<w:tcBorders>${none}</w:tcBorders><w:tcMar>${zero}</w:tcMar></w:tcPr>${nested}${t.closing!.xml}</w:tc></w:tr>`
  )
}

/**
 * One <w:tbl>: the header row (repeated by Word and WPS on every page) and every row, in pieces.
 * The rows flow across pages where the reader's PC puts the breaks; nothing here forces one.
 * A piece per row, written into the file's buffers as it comes (pack.ts): a 10,000-row register
 * never exists as one string, and no long string is joined (issue 15.5: turning strings of 200 rows
 * built with += into UTF-8 took two thirds of a 10,000-row dossier).
 */
export function* tableChunks(t: MeasuredTable, pageHeight: number): Generator<string> {
  yield tableOpen(t)
  const n = t.closing ? t.keepFrom : t.heights.length
  for (let i = 0; i < n; i++) {
    const h = t.heights[i]!
    // a row taller than a page must be allowed to split, or Word cuts it off at the page's foot
    yield trXml(h, t.rowBody(i), false, h < pageHeight)
  }
  yield (t.closing ? closingRow(t) : '') + '</w:tbl>'
}

/**
 * The same table written into the file's buffers (pack.ts): a step per row, so the caller hands the
 * filled buffers to the deflater as they come and a 10,000-row register is never held whole.
 */
export function* writeTable(t: MeasuredTable, pageHeight: number, out: ByteSink): Generator<void> {
  out.str(tableOpen(t))
  const n = t.closing ? t.keepFrom : t.heights.length
  for (let i = 0; i < n; i++) {
    const h = t.heights[i]!
    // a row taller than a page must be allowed to split, or Word cuts it off at the page's foot
    out.str(trOpen(h, false, h < pageHeight))
    t.writeRow(i, out)
    out.str('</w:tr>')
    yield
  }
  out.str((t.closing ? closingRow(t) : '') + '</w:tbl>')
}

/** The whole table as one string (small tables, tests). */
export function tableXml(t: MeasuredTable, pageHeight: number): string {
  return [...tableChunks(t, pageHeight)].join('')
}
