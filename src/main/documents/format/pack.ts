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
import { CELL_STYLES, tableXml } from './table'
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
      },
      paragraphStyles: CELL_STYLES.map((s) => ({
        id: s.id,
        name: s.id,
        basedOn: 'Normal',
        quickFormat: false,
        paragraph: {
          alignment: s.align === 'left' ? AlignmentType.LEFT : s.align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
          spacing: { line: s.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        },
        run: { size: s.size * 2, sizeComplexScript: s.size * 2 },
      })),
    },
    sections: docSections,
  })

  const { Packer } = await import('docx')
  const skeleton = await Packer.toBuffer(doc)
  let rows = 0
  for (const r of raws) for (const x of r) if (typeof x !== 'string') rows += x.to - x.from
  const entries = readZip(skeleton).map((e) => {
    if (e.name !== 'word/document.xml') return e
    const parts = e.data.toString('utf8').split(new RegExp(PLACEHOLDER.source, 'gs'))
    // a long register is deflated fast: its XML is so repetitive that level 1 loses little
    return { name: e.name, chunks: documentChunks(parts, raws), level: rows > 3000 ? 1 : 6 }
  })
  return writeZip(entries)
}

/**
 * document.xml, a page of table at a time: the skeleton split with one capture group (text, index,
 * text, index, …, text), each index replaced by its raw parts. Each page's rows are written, turned
 * into UTF-8 and handed to the deflater before the next page is made, so a 10,000-row register never
 * exists as one string.
 */
function* documentChunks(parts: string[], raws: RawPart[][]): Generator<Buffer> {
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      yield Buffer.from(parts[i]!, 'utf8')
      continue
    }
    for (const x of raws[Number(parts[i])]!) yield Buffer.from(typeof x === 'string' ? x : tableXml(x.table, x.from, x.to, x.pageHeight), 'utf8')
  }
}
