import type { FontRole, FontSet } from './fonts'
import { esc, rFonts } from './xml'
import { lineCount } from './measure'

/**
 * Tables are written as WordprocessingML text, not through docx's object model: a 10,000-row register
 * would take the library a minute and gigabytes. They follow DESIGN §5 for WPS and Word alike:
 * fixed layout, the table width and every grid column in twips (tblW, gridCol, tcW), no autofit,
 * the header row repeated on every page (tblHeader), rows that do not split (cantSplit), and
 * eastAsia set on every run.
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
  /** each body row's height in twips */
  heights: number[]
  /** the cells of body row i, without <w:tr> and its properties: written when the file is, not kept */
  rowBody: (i: number) => string
  margins: typeof CELL_MAR
  style: { size: number; line: number; prefix: StylePrefix }
}

export interface MeasuredRow {
  height: number
  /** the row's cells, without <w:tr> and its properties */
  body: string
}

function trXml(height: number, body: string, header: boolean, cantSplit: boolean): string {
  return `<w:tr><w:trPr>${cantSplit ? '<w:cantSplit/>' : ''}<w:trHeight w:val="${height}" w:hRule="atLeast"/>${header ? '<w:tblHeader/>' : ''}</w:trPr>${body}</w:tr>`
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
  const widths = fitWidths(
    spec.columns.map((c) => c.width),
    bodyWidth,
  )
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
  const textWidth = widths.map((w) => w - padX)
  const numbered = spec.numbered === true
  const offset = numbered ? 1 : 0

  /** one pass over a row's cells: its height, and (if asked) its XML */
  const walk = (r: RowSpec, index: number, withXml: boolean): { lines: number; xml: string } => {
    let col = 0
    let maxLines = 1
    let xml = ''
    const n = r.length + offset
    for (let k = 0; k < n; k++) {
      const c = numbered ? (k === 0 ? String(index + 1) : r[k - 1]!) : r[k]!
      if (typeof c === 'string') {
        if (col < ncol) {
          if (withXml) xml += plainOpen[col] + runOf(c, rPrBody) + '</w:p></w:tc>'
          else {
            const lines = lineCount(c, textWidth[col]!, size)
            if (lines > maxLines) maxLines = lines
          }
        }
        col++
        continue
      }
      const span = c.span ?? 1
      let w = 0
      for (let j = 0; j < span; j++) w += widths[col + j] ?? 0
      const align = c.align ?? spec.columns[col]?.align ?? 'center'
      col += span
      if (!withXml) {
        const lines = Math.max(c.minLines ?? 1, lineCount(c.text, w - padX, size))
        if (lines > maxLines) maxLines = lines
      }
      if (withXml) xml += tcOpen(w, span, align) + runOf(c.text, rPrOf(c.font ?? 'body', c.bold ?? false)) + '</w:p></w:tc>'
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
  const heights = new Array<number>(spec.rows.length)
  for (let i = 0; i < spec.rows.length; i++) heights[i] = walk(spec.rows[i]!, i, false).lines * line + padY
  return {
    widths,
    totalWidth: bodyWidth,
    header,
    heights,
    rowBody: (i) => walk(spec.rows[i]!, i, true).xml,
    margins: mar,
    style: { size, line, prefix },
  }
}

const BORDER = '<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>'

/** One <w:tbl> holding the header (if any) and rows [from, to). */
export function tableXml(t: MeasuredTable, from: number, to: number, pageHeight: number): string {
  const m = t.margins
  let out =
    `<w:tbl><w:tblPr><w:tblW w:w="${t.totalWidth}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>${BORDER}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="${m.top}" w:type="dxa"/><w:left w:w="${m.left}" w:type="dxa"/>` +
    `<w:bottom w:w="${m.bottom}" w:type="dxa"/><w:right w:w="${m.right}" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`
  for (const w of t.widths) out += `<w:gridCol w:w="${w}"/>`
  out += '</w:tblGrid>'
  if (t.header) out += rowXml(t.header, true, true)
  for (let i = from; i < to; i++) {
    const h = t.heights[i]!
    // a row taller than a page must be allowed to split, or Word cuts it off at the page's foot
    out += trXml(h, t.rowBody(i), false, h < pageHeight)
  }
  return out + '</w:tbl>'
}
