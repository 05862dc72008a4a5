import { AlignmentType, LineRuleType, Paragraph, TabStopType, TextRun, type ParagraphChild } from 'docx'
import type { FontRole, FontSet } from './fonts'
import { lineCount } from './measure'
import { BODY_LINE, pageBox, pt, SIZE, type Orientation, type PageKind } from './page'
import { measureTable, type MeasuredTable, type TableSpec } from './table'

/**
 * The program lays out every page itself. Each block gets a conservative height; when the next block
 * (or table row) does not fit, the page break is written into the file (pageBreakBefore, or a new
 * table that starts on a new page with its header). So the page every block lands on is known
 * before the file is written, and is the same in Word, WPS and LibreOffice: the dossier's table of
 * contents prints real page numbers, with no field to update.
 */
export interface ParaStyle {
  font: FontRole
  size: number
  /** exact line height, twips */
  line: number
  before?: number
  after?: number
  align?: 'left' | 'center' | 'right' | 'both'
  /** first-line indent in characters */
  firstLine?: number
  /** left indent in twips */
  indent?: number
  bold?: boolean
}

export const STYLE = {
  /** 标题: 二号 小标宋, centred */
  title: { font: 'title', size: SIZE.二号, line: 700, after: 290, align: 'center' },
  /** 副标题 / 文号行 */
  subtitle: { font: 'kai', size: SIZE.三号, line: BODY_LINE, after: 0, align: 'center' },
  /** 一、 黑体 */
  h1: { font: 'hei', size: SIZE.三号, line: BODY_LINE, firstLine: 2 },
  /** （一） 楷体 */
  h2: { font: 'kai', size: SIZE.三号, line: BODY_LINE, firstLine: 2 },
  /** 正文 仿宋 三号, 2-character first-line indent */
  body: { font: 'body', size: SIZE.三号, line: BODY_LINE, firstLine: 2, align: 'both' },
  /** a body line without indent (填报单位 line, signatures) */
  plain: { font: 'body', size: SIZE.三号, line: BODY_LINE, align: 'left' },
  right: { font: 'body', size: SIZE.三号, line: BODY_LINE, align: 'right' },
  center: { font: 'body', size: SIZE.三号, line: BODY_LINE, align: 'center' },
  /** the register's 填报单位/时间 line under its title */
  meta: { font: 'body', size: SIZE.小四, line: 400, after: 100, align: 'left' },
  small: { font: 'body', size: SIZE.小四, line: 400, align: 'left' },
  /** a section title in the dossier: 一、 in 黑体, at the head of its page */
  sectionTitle: { font: 'hei', size: SIZE.三号, line: BODY_LINE, after: 120, align: 'left' },

  // register pages (台账): smaller type to go with 小五 tables
  /** a register's title: 小二, 方正小标宋 or 黑体 by font profile */
  regTitle: { font: 'heading', size: 18, line: 500, after: 100, align: 'center' },
  /** 填报单位/时间 line under it */
  regMeta: { font: 'body', size: SIZE.五号, line: 300, after: 80, align: 'left' },
  /** a dossier section's title at the head of its register pages */
  regSection: { font: 'hei', size: SIZE.三号, line: 480, after: 60, align: 'left' },
  /** a sentence of summary under it */
  regBody: { font: 'body', size: SIZE.小四, line: 360, after: 60, firstLine: 2, align: 'both' },
  /** （一） 楷体 */
  regH2: { font: 'kai', size: SIZE.四号, line: 420, after: 40, align: 'left' },
} satisfies Record<string, ParaStyle>

export interface Span {
  text: string
  font?: FontRole
  bold?: boolean
  underline?: boolean
}

export type Block =
  | {
      t: 'p'
      text: string | Span[]
      style: ParaStyle
      /** keep with the next block on the same page (headings) */
      keepNext?: boolean
      /** a right tab with dot leader (table of contents): text before \t, page number after */
      tocTab?: boolean
      /** the table of contents looks this up to print the block's page */
      anchor?: string
    }
  | { t: 'table'; spec: TableSpec; anchor?: string }
  | { t: 'break' }
  | { t: 'space'; lines: number }

export interface SectionSpec {
  orientation: Orientation
  /** 'register': a register table's page (narrow margins, 小五 tables); default 'document' (GB/T 9704) */
  page?: PageKind
  /** print "— N —" page numbers in the footer */
  pageNumbers: boolean
  /** restart page numbering at this number */
  restartAt?: number
  blocks: Block[]
}

/** a piece of raw XML: text, or rows [from, to) of a measured table, written only when the file is */
export type RawPart = string | { table: MeasuredTable; from: number; to: number; pageHeight: number }

/** one placed element: a docx paragraph, or raw table XML spliced in after packing */
export type Placed = { kind: 'para'; para: Paragraph } | { kind: 'raw'; xml: RawPart[] }

export interface LaidSection {
  spec: SectionSpec
  pages: number
  placed: Placed[]
  /** page index (0-based within the section) of each anchored block */
  anchors: Map<string, number>
}

/** the part of a page the layout may fill: a small reserve for the section's closing paragraph and rounding */
function budget(bodyHeight: number, kind: PageKind | undefined): number {
  // a register page's rows are measured closely (exact line, fixed cell margins): a smaller reserve
  return kind === 'register' ? Math.floor(bodyHeight * 0.99) - 100 : Math.floor(bodyHeight * 0.97) - 60
}

function paraHeight(b: Extract<Block, { t: 'p' }>, width: number): number {
  const s = b.style
  const text = typeof b.text === 'string' ? b.text : b.text.map((x) => x.text).join('')
  const indentTw = s.indent ?? 0
  const lines = lineCount(b.tocTab ? text.replace('\t', '　　　') : text, width - indentTw, s.size, s.firstLine ?? 0)
  return lines * s.line + (s.before ?? 0) + (s.after ?? 0)
}

const TINY_BREAK = '<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
const TINY_GAP = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
const TINY_HEIGHT = 20

export function layoutSection(spec: SectionSpec, fonts: FontSet): LaidSection {
  const box = pageBox(spec.orientation, spec.page)
  const dense = spec.page === 'register'
  const limit = budget(box.bodyHeight, spec.page)
  const placed: Placed[] = []
  const anchors = new Map<string, number>()
  let page = 0
  let used = 0
  let pendingBreak = false
  let lastWasTable = false

  const newPage = () => {
    page++
    used = 0
    pendingBreak = true
  }
  const measured = new Map<number, MeasuredTable>()
  const firstUnitHeight = (i: number): number => {
    const b = spec.blocks[i]
    if (!b) return 0
    if (b.t === 'p') return Math.min(paraHeight(b, box.bodyWidth), b.style.line * 2)
    if (b.t === 'table') {
      const m = measureTable(b.spec, box.bodyWidth, fonts, dense)
      measured.set(i, m)
      return (m.header?.height ?? 0) + (m.heights[0] ?? 0)
    }
    return 0
  }

  spec.blocks.forEach((b, i) => {
    if (b.t === 'break') {
      if (used > 0 || placed.length > 0) newPage()
      return
    }
    if (b.t === 'space') {
      const h = b.lines * BODY_LINE
      if (used + h <= limit) {
        placed.push({ kind: 'para', para: emptyPara(BODY_LINE, b.lines, fonts) })
        used += h
      }
      lastWasTable = false
      return
    }
    if (b.t === 'p') {
      const h = paraHeight(b, box.bodyWidth)
      const need = h + (b.keepNext ? firstUnitHeight(i + 1) : 0)
      if (used > 0 && used + need > limit) newPage()
      if (b.anchor) anchors.set(b.anchor, page)
      placed.push({ kind: 'para', para: paragraph(b, fonts, pendingBreak, box.bodyWidth) })
      pendingBreak = false
      used += h
      lastWasTable = false
      return
    }
    // table: split into one <w:tbl> per page, each with its header row
    const m = measured.get(i) ?? measureTable(b.spec, box.bodyWidth, fonts, dense)
    const headerH = m.header?.height ?? 0
    const gap = lastWasTable ? TINY_HEIGHT : 0
    if (used > 0 && used + gap + headerH + (m.heights[0] ?? 0) > limit) newPage()
    if (b.anchor) anchors.set(b.anchor, page)
    let from = 0
    const xml: RawPart[] = []
    const open = () => {
      if (pendingBreak) {
        xml.push(TINY_BREAK)
        used += TINY_HEIGHT
      } else if (lastWasTable || xml.length > 0) {
        xml.push(TINY_GAP)
        used += TINY_HEIGHT
      }
      pendingBreak = false
      used += headerH
    }
    open()
    const n = m.heights.length
    for (let r = 0; r < n; r++) {
      const h = m.heights[r]!
      if (used + h > limit && r > from) {
        xml.push({ table: m, from, to: r, pageHeight: box.bodyHeight })
        from = r
        newPage()
        open()
      }
      used += h
    }
    xml.push({ table: m, from, to: n, pageHeight: box.bodyHeight })
    placed.push({ kind: 'raw', xml })
    lastWasTable = true
  })
  // a break at the very end: an empty page (the dossier keeps its front matter to an even count)
  if (pendingBreak) placed.push({ kind: 'raw', xml: [TINY_BREAK] })
  return { spec, pages: page + 1, placed, anchors }
}

function alignment(a: ParaStyle['align']) {
  switch (a) {
    case 'center':
      return AlignmentType.CENTER
    case 'right':
      return AlignmentType.RIGHT
    case 'both':
      return AlignmentType.BOTH
    default:
      return AlignmentType.LEFT
  }
}

export function textRun(text: string, role: FontRole, size: number, fonts: FontSet, extra: { bold?: boolean; underline?: boolean } = {}): TextRun {
  const name = fonts[role]
  return new TextRun({
    text,
    font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: name, cs: fonts.latin },
    size: size * 2,
    sizeComplexScript: size * 2,
    bold: extra.bold || (role === 'title' && fonts.titleBold) || undefined,
    underline: extra.underline ? {} : undefined,
  })
}

export function paragraph(b: Extract<Block, { t: 'p' }>, fonts: FontSet, pageBreakBefore: boolean, bodyWidth: number): Paragraph {
  const s = b.style
  const spans: Span[] = typeof b.text === 'string' ? [{ text: b.text }] : b.text
  const children: ParagraphChild[] = []
  for (const sp of spans) {
    // a tab inside a span becomes a real tab, for the table of contents' leader
    sp.text.split('\t').forEach((part, k) => {
      if (k > 0) children.push(textRun('\t', sp.font ?? s.font, s.size, fonts))
      if (part !== '') children.push(textRun(part, sp.font ?? s.font, s.size, fonts, { bold: sp.bold ?? s.bold, underline: sp.underline }))
    })
  }
  return new Paragraph({
    children,
    alignment: alignment(s.align),
    spacing: { line: s.line, lineRule: LineRuleType.EXACT, before: s.before ?? 0, after: s.after ?? 0 },
    indent: {
      ...(s.firstLine ? { firstLine: pt(s.size) * s.firstLine } : {}),
      ...(s.indent ? { left: s.indent } : {}),
    },
    pageBreakBefore: pageBreakBefore || undefined,
    keepNext: b.keepNext || undefined,
    tabStops: b.tocTab ? [{ type: TabStopType.RIGHT, position: bodyWidth - (s.indent ?? 0), leader: 'dot' }] : undefined,
    snapToGrid: false,
  } as ConstructorParameters<typeof Paragraph>[0])
}

function emptyPara(line: number, lines: number, fonts: FontSet): Paragraph {
  void fonts
  return new Paragraph({ children: [], spacing: { line: line * lines, lineRule: LineRuleType.EXACT, before: 0, after: 0 } })
}

/** closes a section: holds its sectPr, takes almost no room */
export function closingPara(): Paragraph {
  return new Paragraph({ children: [], spacing: { line: 20, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, run: { size: 2 } } as ConstructorParameters<typeof Paragraph>[0])
}
