import { AlignmentType, HeadingLevel, LineRuleType, Paragraph, TextRun, type ParagraphChild } from 'docx'
import type { FontRole, FontSet } from './fonts'
import { lineCount } from './measure'
import { BODY_LINE, pageBox, pt, SIZE, type Orientation, type PageKind } from './page'
import { measureTable, type MeasuredTable, type TableSpec } from './table'
import { paraXml } from './paraXml'
import { tocXml, type TocEntry } from './toc'

/**
 * Word and WPS paginate; the program only predicts. Tables are one table whose rows flow across
 * pages (header repeated), paragraphs break where the reader's PC breaks them, headings and signature
 * blocks are kept with what follows (keepNext, keepLines, widow control). Nothing is forced onto a new
 * page but a document part that starts one (a new form, a dossier section).
 *
 * The prediction follows the same rules with the measured heights: each table row is written with its
 * measured height as its minimum (trHeight atLeast), and the measure errs long, so on a PC with the
 * fonts the program measured with (Times New Roman's metrics) a row is exactly as tall as predicted and
 * the dossier's 目录 prints the pages a reader finds. With other fonts the rows that wrap grow, the
 * pages still fill, and Word or WPS can update the 目录 (a TOC field).
 */
export interface ParaStyle {
  font: FontRole
  size: number
  /** exact line height, twips */
  line: number
  before?: number
  after?: number
  align?: 'left' | 'center' | 'right' | 'both' | 'distribute'
  /** first-line indent in characters */
  firstLine?: number
  /** left indent in twips */
  indent?: number
  /** right indent in twips */
  indentRight?: number
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
  /** 填表人、审核人、负责人 under a register table */
  regSign: { font: 'body', size: SIZE.五号, line: 360, before: 120, align: 'left' },
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
      /** keep with the next block on the same page (headings, the lines before a signature, the signature's lines) */
      keepNext?: boolean
      /** a section title of the dossier's 目录 (Heading 1 / Heading 2 style, outline level) */
      heading?: 1 | 2
      /** the table of contents looks this up to print the block's page */
      anchor?: string
      /**
       * held in a borderless one-cell table whose height is the measured one (a minimum): a sentence
       * between register tables takes the same room on every PC, whatever its line breaks, so the pages
       * after it fall where the 目录 says
       */
      box?: boolean
    }
  | { t: 'table'; spec: TableSpec; anchor?: string }
  | { t: 'break' }
  | { t: 'space'; lines: number; keepNext?: boolean }
  /** the dossier's 目录: a TOC field whose cached entries carry the predicted pages */
  | { t: 'toc'; entries: TocEntry[] }

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

/** a piece of raw XML: text, or a whole measured table, written only when the file is */
export type RawPart = string | { table: MeasuredTable; pageHeight: number }

/** one placed element: a docx paragraph, or raw XML spliced in after packing */
export type Placed = { kind: 'para'; para: Paragraph } | { kind: 'raw'; xml: RawPart[] }

export interface LaidSection {
  spec: SectionSpec
  pages: number
  placed: Placed[]
  /** page index (0-based within the section) of each anchored block */
  anchors: Map<string, number>
  /** predicted fill of each page (used twips / body height), for tests and the bench */
  fill: number[]
}

/**
 * What a page holds less than its body: a table broken across pages draws one more border line
 * (½ pt) than its rows' heights add up to, and renderers round; measured against LibreOffice with
 * Times New Roman's metrics (10–20 twips agree on every register of the demo township).
 */
const PAGE_SLACK = 15

const TINY_BREAK = '<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
const TINY_GAP = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
const TINY_HEIGHT = 20
/** the closing paragraph that holds a section's properties */
export const CLOSING_HEIGHT = 20

type P = Extract<Block, { t: 'p' }>

function spansOf(b: P): Span[] {
  return typeof b.text === 'string' ? [{ text: b.text }] : b.text
}

function paraLines(b: P, width: number): number {
  const s = b.style
  const text = spansOf(b)
    .map((x) => x.text)
    .join('')
  return lineCount(text.replace(/\t/g, '\u3000\u3000'), width - (s.indent ?? 0) - (s.indentRight ?? 0), s.size, s.firstLine ?? 0)
}

export function layoutSection(spec: SectionSpec, fonts: FontSet): LaidSection {
  const box = pageBox(spec.orientation, spec.page)
  const dense = spec.page === 'register'
  const limit = box.bodyHeight - PAGE_SLACK
  const placed: Placed[] = []
  const anchors = new Map<string, number>()
  const fill: number[] = []
  let page = 0
  let used = 0
  /** the next element starts a page the document asked for (a new form, a section's next part) */
  let pendingBreak = false
  let lastWasTable = false

  const newPage = () => {
    fill[page] = used / limit
    page++
    used = 0
  }
  const measured = new Map<number, MeasuredTable>()
  const tableOf = (i: number): MeasuredTable => {
    let m = measured.get(i)
    if (!m) {
      const b = spec.blocks[i] as Extract<Block, { t: 'table' }>
      m = measureTable(b.spec, box.bodyWidth, fonts, dense)
      measured.set(i, m)
    }
    return m
  }
  const heightOf = (b: P) => paraLines(b, box.bodyWidth) * b.style.line + (b.style.before ?? 0) + (b.style.after ?? 0)
  /** what must come onto the page with the block before it: a paragraph's first two lines, a table's header and first row */
  const firstUnit = (i: number): number => {
    const b = spec.blocks[i]
    if (!b) return 0
    if (b.t === 'p') return Math.min(paraLines(b, box.bodyWidth), 2) * b.style.line + (b.style.before ?? 0)
    if (b.t === 'space') return b.lines * BODY_LINE
    if (b.t === 'table') {
      const m = tableOf(i)
      return (m.header?.height ?? 0) + (m.heights[0] ?? 0)
    }
    return 0
  }
  /** the height of a keepNext chain starting at block i: every kept block whole, then the first unit of the one after */
  const chain = (i: number): number => {
    let h = 0
    let j = i
    for (;;) {
      const b = spec.blocks[j]
      if (!b) return h
      const kept = (b.t === 'p' || b.t === 'space') && b.keepNext === true
      if (!kept) return h + (j === i ? 0 : firstUnit(j))
      h += b.t === 'p' ? heightOf(b) : b.lines * BODY_LINE
      j++
    }
  }

  spec.blocks.forEach((b, i) => {
    if (b.t === 'break') {
      if (used > 0 || placed.length > 0) {
        newPage()
        pendingBreak = true
      }
      return
    }
    if (b.t === 'toc') {
      placed.push({ kind: 'raw', xml: [tocXml(b.entries, fonts, box.bodyWidth, pendingBreak)] })
      pendingBreak = false
      for (const e of b.entries) {
        const h = e.level === 1 ? 640 : 580
        if (used + h > limit) newPage()
        used += h
      }
      lastWasTable = false
      return
    }
    if (b.t === 'space') {
      const h = b.lines * BODY_LINE
      const need = b.keepNext ? chain(i) : h
      if (used > 0 && used + need > limit) newPage()
      placed.push({ kind: 'para', para: emptyPara(b.lines, b.keepNext === true, pendingBreak) })
      pendingBreak = false
      used += h
      lastWasTable = false
      return
    }
    if (b.t === 'p' && b.box) {
      const h = heightOf(b)
      const xml: RawPart[] = []
      if (pendingBreak) {
        xml.push(TINY_BREAK)
        used += TINY_HEIGHT
      } else if (lastWasTable) {
        xml.push(TINY_GAP)
        used += TINY_HEIGHT
      }
      pendingBreak = false
      if (used > TINY_HEIGHT && used + h > limit) newPage()
      if (b.anchor) anchors.set(b.anchor, page)
      xml.push(boxXml(b, fonts, box.bodyWidth, h))
      placed.push({ kind: 'raw', xml })
      used += h
      lastWasTable = true
      return
    }
    if (b.t === 'p') {
      const lines = paraLines(b, box.bodyWidth)
      const before = b.style.before ?? 0
      const after = b.style.after ?? 0
      const line = b.style.line
      const need = b.keepNext ? chain(i) : Math.min(lines, 2) * line + before
      if (used > 0 && used + need > limit) newPage()
      if (b.anchor) anchors.set(b.anchor, page)
      placed.push({ kind: 'para', para: paragraph(b, fonts, pendingBreak) })
      pendingBreak = false
      // the lines that fit here; the rest go over, two at least on each side (widow control)
      let left = lines
      let room = Math.floor((limit - used - before) / line)
      if (left > room && !b.keepNext) {
        if (left - room < 2) room = left - 2
        left -= room
        newPage()
        while (left * line > limit) {
          left -= Math.floor(limit / line)
          newPage()
        }
        used = left * line + after
      } else used += lines * line + before + after
      lastWasTable = false
      return
    }
    // a table: one <w:tbl>, rows flowing across pages with the header repeated
    const m = tableOf(i)
    const headerH = m.header?.height ?? 0
    const gap = lastWasTable ? TINY_HEIGHT : 0
    const xml: RawPart[] = []
    if (pendingBreak) {
      xml.push(TINY_BREAK)
      used += TINY_HEIGHT
    } else if (lastWasTable) {
      // two tables in a row would merge into one: a hairline paragraph between them
      xml.push(TINY_GAP)
      used += gap
    }
    pendingBreak = false
    if (used > TINY_HEIGHT && used + headerH + (m.heights[0] ?? 0) > limit) newPage()
    if (b.anchor) anchors.set(b.anchor, page)
    used += headerH
    const n = m.heights.length
    // the rows kept together at the end (totals, the rows before a signature line) move as one
    const tail = (r: number) => {
      let h = 0
      for (let k = r; k < n; k++) h += m.heights[k]!
      return h + (m.keepAll ? firstUnit(i + 1) : 0) + (m.closing?.height ?? 0)
    }
    // the closing line and the rows it holds are one row that does not split
    const closingAt = m.closing ? Math.min(m.keepFrom, n) : n + 1
    for (let r = 0; r <= n; r++) {
      if (r === closingAt) {
        const unit = tail(r)
        if (used + unit > limit && used > headerH + 1) {
          newPage()
          used = headerH
        }
        used += unit
        break
      }
      if (r === n) break
      const h = m.heights[r]!
      const need = r === m.keepFrom && r > 0 ? tail(r) : h
      if (used + need > limit && used > headerH + 1 && (need <= limit - headerH || used + h > limit)) {
        newPage()
        used = headerH
      }
      used += h
    }
    xml.push({ table: m, pageHeight: box.bodyHeight })
    placed.push({ kind: 'raw', xml })
    lastWasTable = true
  })
  // the paragraph holding the section's properties
  if (used + CLOSING_HEIGHT > limit && used > 0) newPage()
  used += CLOSING_HEIGHT
  // a break at the very end: an empty page (the dossier keeps its front matter to an even count)
  if (pendingBreak) placed.push({ kind: 'raw', xml: [TINY_BREAK] })
  fill[page] = used / limit
  return { spec, pages: page + 1, placed, anchors, fill }
}

/** a paragraph in a borderless one-cell table of a fixed minimum height (Block.box) */
function boxXml(b: P, fonts: FontSet, width: number, height: number): string {
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${width}" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid><w:gridCol w:w="${width}"/></w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="${height}" w:hRule="atLeast"/></w:trPr>` +
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${paraXml(spansOf(b), b.style, fonts)}</w:tc></w:tr></w:tbl>`
  )
}

function alignment(a: ParaStyle['align']) {
  switch (a) {
    case 'center':
      return AlignmentType.CENTER
    case 'right':
      return AlignmentType.RIGHT
    case 'both':
      return AlignmentType.BOTH
    case 'distribute':
      return AlignmentType.DISTRIBUTE
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
    // a heading style's colour never shows: the text is black like the rest of the page
    color: '000000',
  })
}

export function paragraph(b: P, fonts: FontSet, pageBreakBefore: boolean): Paragraph {
  const s = b.style
  const children: ParagraphChild[] = []
  for (const sp of spansOf(b)) {
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
      ...(s.indentRight ? { right: s.indentRight } : {}),
    },
    heading: b.heading === 1 ? HeadingLevel.HEADING_1 : b.heading === 2 ? HeadingLevel.HEADING_2 : undefined,
    pageBreakBefore: pageBreakBefore || undefined,
    keepNext: b.keepNext || undefined,
    keepLines: b.keepNext || undefined,
    widowControl: true,
    snapToGrid: false,
  } as ConstructorParameters<typeof Paragraph>[0])
}

function emptyPara(lines: number, keepNext: boolean, pageBreakBefore: boolean): Paragraph {
  return new Paragraph({
    children: [],
    spacing: { line: BODY_LINE * lines, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: keepNext || undefined,
    pageBreakBefore: pageBreakBefore || undefined,
  })
}

/** closes a section: holds its sectPr, takes almost no room */
export function closingPara(): Paragraph {
  return new Paragraph({ children: [], spacing: { line: CLOSING_HEIGHT, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, run: { size: 2 } } as ConstructorParameters<typeof Paragraph>[0])
}
