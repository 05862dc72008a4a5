/**
 * Page geometry of GB/T 9704-2012 (DESIGN §5), in twips (1/20 pt, 1/1440 inch).
 * A4 210×297 mm; margins 37/35/28/26 mm top, bottom, left (binding side), right.
 */
export const MM = 1440 / 25.4

export const A4 = { short: 11906, long: 16838 }
export const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 }
/** distance from the page's bottom edge to the page-number line: it sits about 7 mm below the body */
export const FOOTER_DISTANCE = 1247
export const HEADER_DISTANCE = 851

export type Orientation = 'portrait' | 'landscape'

/**
 * 'document': a 公文-style page (reports, letters, forms, cover, contents) with GB/T 9704's margins.
 * 'register': a register table (台账) — GB/T 9704 is for 公文, not for landscape tables: narrow
 * margins (20 mm top and bottom, 18 mm binding side, 15 mm outer side) so a page holds 20-odd rows.
 */
export type PageKind = 'document' | 'register'

export interface Margins {
  top: number
  bottom: number
  left: number
  right: number
  header: number
  footer: number
}

export const REGISTER_MARGIN = { top: 1134, bottom: 1134, left: 1020, right: 850 }

export function marginsOf(kind: PageKind): Margins {
  return kind === 'register'
    ? { ...REGISTER_MARGIN, header: 567, footer: 454 }
    : { ...MARGIN, header: HEADER_DISTANCE, footer: FOOTER_DISTANCE }
}

export interface PageBox {
  width: number
  height: number
  /** the body: width between the side margins, height between top and bottom margins */
  bodyWidth: number
  bodyHeight: number
}

export function pageBox(o: Orientation, kind: PageKind = 'document'): PageBox {
  const width = o === 'portrait' ? A4.short : A4.long
  const height = o === 'portrait' ? A4.long : A4.short
  const m = marginsOf(kind)
  return { width, height, bodyWidth: width - m.left - m.right, bodyHeight: height - m.top - m.bottom }
}

/** pt → twips */
export const pt = (v: number): number => Math.round(v * 20)

/** Chinese type sizes (字号) in points */
export const SIZE = {
  二号: 22,
  三号: 16,
  小三: 15,
  四号: 14,
  小四: 12,
  五号: 10.5,
  小五: 9,
} as const

/** 正文: 三号 with a fixed line of 28.95 pt, which gives GB/T 9704's 22 lines per page */
export const BODY_LINE = 579
