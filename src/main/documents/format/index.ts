import { readSettings } from '../../settings/store'
import type { Ctx } from '../../context'
import { fontSets, type FontSet } from './fonts'
import type { LaidSection, SectionSpec } from './layout'
import { layout, pack, type DocMeta } from './pack'

export * from './layout'
export { fontSets, type FontSet } from './fonts'
export { pack, layout, type DocMeta } from './pack'
export type { TableSpec, Column, Cell, RowSpec } from './table'
export type { TocEntry } from './toc'

export function fontsFor(ctx: Ctx): FontSet {
  return fontSets[readSettings(ctx).fontProfile] ?? fontSets.system
}

export interface RenderedDoc {
  buffer: Buffer
  pages: number
  sections: LaidSection[]
}

/** Lays out and writes a document in one go (everything but the dossier, which lays out twice). */
export async function renderDocument(sections: SectionSpec[], fonts: FontSet, meta: DocMeta): Promise<RenderedDoc> {
  const laid = layout(sections, fonts)
  const buffer = await pack(laid, fonts, meta)
  return { buffer, pages: laid.reduce((a, s) => a + s.pages, 0), sections: laid }
}
