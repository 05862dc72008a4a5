import {
  AlignmentType,
  Document,
  Footer,
  LineRuleType,
  NumberFormat,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  TextRun,
  type ISectionOptions,
} from 'docx'
import type { FontSet } from './fonts'
import { closingPara, layoutSection, type LaidSection, type RawPart, type SectionSpec } from './layout'
import { A4, marginsOf, SIZE } from './page'
import { CELL_STYLES, writeTable } from './table'
import { ByteSink } from './bytes'
import { TOC_LEVELS } from './toc'
import { readZip, writeZip } from './zip'

export interface DocMeta {
  title: string
  /** the township, written as the file's author */
  creator: string
}

/** 页码: "— N —" in 四号宋体, on the outer side (odd pages right, even pages left), one character in. */
function pageNumberFooter(fonts: FontSet, side: 'odd' | 'even'): Footer {
  const size = SIZE.四号
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: size * 20 } : { left: size * 20 },
        spacing: { line: 360, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: { ascii: fonts.song, hAnsi: fonts.song, eastAsia: fonts.song, cs: fonts.song },
            size: size * 2,
            sizeComplexScript: size * 2,
          }),
        ],
      }),
    ],
  })
}

function blankFooter(): Footer {
  return new Footer({ children: [new Paragraph({ children: [] })] })
}

const PLACEHOLDER = /<w:p>(?:(?!<w:p[ >]).)*?@@RAW(\d+)@@.*?<\/w:p>/

/**
 * No automatic space between Chinese and Latin text or digits (Word's and WPS's default adds about a
 * quarter em at each change): a date or a figure is as wide as its characters, on every PC, and
 * 2025年1月18日 reads as one figure.
 */
function noAutoSpace(styles: string): string {
  return styles.replace(/<w:style w:type="paragraph"[^>]*>.*?<\/w:style>|<w:pPrDefault>.*?<\/w:pPrDefault>/gs, (el) => {
    const at = el.indexOf('<w:pPr>')
    if (at < 0) {
      const end = el.includes('<w:rPr>') ? el.indexOf('<w:rPr>') : el.lastIndexOf('</w:style>')
      return `${el.slice(0, end)}<w:pPr>${NO_AUTO_SPACE}</w:pPr>${el.slice(end)}`
    }
    const close = el.indexOf('</w:pPr>', at)
    const inner = el.slice(at, close)
    // the schema's order: autoSpaceDE/DN come before these
    const m = AFTER_AUTO_SPACE.exec(inner)
    const pos = m ? at + m.index : close
    return el.slice(0, pos) + NO_AUTO_SPACE + el.slice(pos)
  })
}
const NO_AUTO_SPACE = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
const AFTER_AUTO_SPACE = /<w:(?:bidi|adjustRightInd|snapToGrid|spacing|ind|contextualSpacing|mirrorIndents|suppressOverlap|jc|textDirection|textAlignment|textboxTightWrap|outlineLvl|divId|cnfStyle|rPr)[ />]/

/** TOC1 and TOC2, the styles Word and WPS give the 目录's entries when they rebuild it */
function tocStyles(fonts: FontSet) {
  return ([1, 2] as const).map((level) => {
    const lv = TOC_LEVELS[level]
    const font = fonts[lv.font]
    return {
      id: `TOC${level}`,
      name: `toc ${level}`,
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: false,
      paragraph: {
        spacing: { line: lv.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        ...(lv.indent ? { indent: { left: lv.indent } } : {}),
      },
      run: { font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: font, cs: fonts.latin }, size: lv.size * 2, sizeComplexScript: lv.size * 2 },
    }
  })
}

export function layout(specs: SectionSpec[], fonts: FontSet): LaidSection[] {
  return specs.map((s) => layoutSection(s, fonts))
}

/** Writes laid-out sections to a .docx: docx builds the package, large tables are spliced in as text. */
export async function pack(sections: LaidSection[], fonts: FontSet, meta: DocMeta): Promise<Buffer> {
  const raws: RawPart[][] = []
  let numbered = false
  const docSections: ISectionOptions[] = sections.map((sec) => {
    const children: Paragraph[] = sec.placed.map((p) => {
      if (p.kind === 'para') return p.para
      raws.push(p.xml)
      return new Paragraph({ children: [new TextRun(`@@RAW${raws.length - 1}@@`)] })
    })
    children.push(closingPara())
    const landscape = sec.spec.orientation === 'landscape'
    const footers = sec.spec.pageNumbers
      ? { default: pageNumberFooter(fonts, 'odd'), even: pageNumberFooter(fonts, 'even') }
      : numbered
        ? { default: blankFooter(), even: blankFooter() }
        : undefined
    if (sec.spec.pageNumbers) numbered = true
    return {
      properties: {
        type: SectionType.NEXT_PAGE,
        page: {
          size: landscape
            ? { width: A4.short, height: A4.long, orientation: PageOrientation.LANDSCAPE }
            : { width: A4.short, height: A4.long, orientation: PageOrientation.PORTRAIT },
          margin: { ...marginsOf(sec.spec.page ?? 'document'), gutter: 0 },
          pageNumbers: sec.spec.restartAt !== undefined ? { start: sec.spec.restartAt, formatType: NumberFormat.DECIMAL } : undefined,
        },
      },
      ...(footers ? { footers } : {}),
      children,
    }
  })

  const doc = new Document({
    creator: meta.creator,
    title: meta.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: fonts.body, cs: fonts.latin }, size: SIZE.三号 * 2 },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
        // the dossier's section titles: outline levels for the 目录 field; their look is set on each paragraph
        heading1: { run: { color: '000000' }, paragraph: { outlineLevel: 0, keepNext: true } },
        heading2: { run: { color: '000000' }, paragraph: { outlineLevel: 1, keepNext: true } },
      },
      paragraphStyles: [...tocStyles(fonts), ...CELL_STYLES.map((s) => ({
        id: s.id,
        name: s.id,
        basedOn: 'Normal',
        quickFormat: false,
        paragraph: {
          alignment: s.align === 'left' ? AlignmentType.LEFT : s.align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
          spacing: { line: s.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        },
        run: { size: s.size * 2, sizeComplexScript: s.size * 2 },
      }))],
    },
    sections: docSections,
  })

  const { Packer } = await import('docx')
  const skeleton = await Packer.toBuffer(doc)
  let rows = 0
  for (const r of raws) for (const x of r) if (typeof x !== 'string') rows += x.table.heights.length
  const entries = readZip(skeleton).map((e) => {
    if (e.name === 'word/styles.xml') return { name: e.name, data: Buffer.from(noAutoSpace(e.data.toString('utf8')), 'utf8') }
    if (e.name !== 'word/document.xml') return e
    const parts = e.data.toString('utf8').split(new RegExp(PLACEHOLDER.source, 'gs'))
    // a long register is deflated fast: its XML is so repetitive that level 1 loses little
    return { name: e.name, chunks: documentChunks(parts, raws), level: rows > 3000 ? 1 : 6 }
  })
  return writeZip(entries)
}

/**
 * document.xml, a row at a time: the skeleton split with one capture group (text, index, text, index,
 * …, text), each index replaced by its raw parts. Each buffer is handed to the deflater as soon as it
 * is full, so a 10,000-row register never exists as one string or one buffer.
 */
function* documentChunks(parts: string[], raws: RawPart[][]): Generator<Buffer> {
  const out = new ByteSink()
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out.str(parts[i]!)
      yield* out.take()
      continue
    }
    for (const x of raws[Number(parts[i])]!) {
      if (typeof x === 'string') out.str(x)
      else for (const _ of writeTable(x.table, x.pageHeight, out)) yield* out.take()
      yield* out.take()
    }
  }
  yield* out.end()
}
