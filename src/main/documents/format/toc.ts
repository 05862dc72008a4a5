import type { FontSet } from './fonts'
import { esc, rFonts } from './xml'

/**
 * The dossier's 目录 as Word writes one: a TOC field over the heading-styled section titles
 * (\o "1-2": Heading 1 and 2; \h links; \z \u), whose cached result is the entries with the pages the
 * program laid out. Printed as it is, it is right on a PC with the fonts the program measured with;
 * Word and WPS can update it (F9 / 更新目录) on any other.
 */
export interface TocEntry {
  title: string
  page: number
  level: 1 | 2
}

/** the two levels' look, shared with the TOC1/TOC2 styles Word uses when it rebuilds the field */
export const TOC_LEVELS = {
  1: { font: 'hei', size: 16, line: 640, indent: 0 },
  2: { font: 'kai', size: 16, line: 580, indent: 640 },
} as const

const INSTR = ' TOC \\o "1-2" \\h \\z \\u '

export function tocXml(entries: TocEntry[], fonts: FontSet, bodyWidth: number, pageBreakBefore: boolean): string {
  if (entries.length === 0) return ''
  let out = ''
  entries.forEach((e, i) => {
    const lv = TOC_LEVELS[e.level]
    const rPr = `<w:rPr>${rFonts(fonts[lv.font], fonts.latin)}<w:sz w:val="${lv.size * 2}"/><w:szCs w:val="${lv.size * 2}"/></w:rPr>`
    const pPr =
      `<w:pPr><w:pStyle w:val="TOC${e.level}"/>${i === 0 && pageBreakBefore ? '<w:pageBreakBefore/>' : ''}` +
      `<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="${bodyWidth}"/></w:tabs>` +
      `<w:spacing w:before="0" w:after="0" w:line="${lv.line}" w:lineRule="exact"/>` +
      `${lv.indent ? `<w:ind w:left="${lv.indent}"/>` : ''}${rPr}</w:pPr>`
    const begin =
      i === 0
        ? `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${rPr}<w:instrText xml:space="preserve">${INSTR}</w:instrText></w:r><w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r>`
        : ''
    const end = i === entries.length - 1 ? `<w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>` : ''
    out += `<w:p>${pPr}${begin}<w:r>${rPr}<w:t xml:space="preserve">${esc(e.title)}</w:t></w:r><w:r>${rPr}<w:tab/></w:r><w:r>${rPr}<w:t>${e.page}</w:t></w:r>${end}</w:p>`
  })
  return out
}
