import type { FontRole, FontSet } from './fonts'
import { pt } from './page'
import { esc, rFonts } from './xml'

/** What a paragraph written as raw XML looks like (the fields of layout's ParaStyle it needs). */
export interface ParaLook {
  font: FontRole
  size: number
  line: number
  before?: number
  after?: number
  align?: 'left' | 'center' | 'right' | 'both' | 'distribute'
  firstLine?: number
  indent?: number
  indentRight?: number
  bold?: boolean
}

export interface SpanLike {
  text: string
  font?: FontRole
  bold?: boolean
  underline?: boolean
}

/** One <w:p> with exact line spacing, East Asian fonts on every run: for paragraphs inside raw tables. */
export function paraXml(spans: SpanLike[], s: ParaLook, fonts: FontSet): string {
  const ind = [s.firstLine ? `w:firstLine="${pt(s.size) * s.firstLine}"` : '', s.indent ? `w:left="${s.indent}"` : '', s.indentRight ? `w:right="${s.indentRight}"` : ''].filter(Boolean).join(' ')
  const pPr =
    `<w:pPr><w:spacing w:before="${s.before ?? 0}" w:after="${s.after ?? 0}" w:line="${s.line}" w:lineRule="exact"/>` +
    `${ind ? `<w:ind ${ind}/>` : ''}<w:jc w:val="${s.align ?? 'left'}"/></w:pPr>`
  const runs = spans
    .map((sp) => {
      const bold = sp.bold ?? s.bold
      return `<w:r><w:rPr>${rFonts(fonts[sp.font ?? s.font], fonts.latin)}${bold ? '<w:b/><w:bCs/>' : ''}${sp.underline ? '<w:u w:val="single"/>' : ''}<w:sz w:val="${s.size * 2}"/><w:szCs w:val="${s.size * 2}"/></w:rPr><w:t xml:space="preserve">${esc(sp.text)}</w:t></w:r>`
    })
    .join('')
  return `<w:p>${pPr}${runs}</w:p>`
}
