import type { FontProfile } from '../../../shared/settings/schema'

/** What a run's text is set in; each role maps to a font name per profile (DESIGN §5). */
export type FontRole = 'title' | 'heading' | 'body' | 'kai' | 'hei' | 'song'

export interface FontSet {
  title: string
  /** a register's title: 方正小标宋 with the GB2312 profile, 黑体 with the system one */
  heading: string
  body: string
  kai: string
  hei: string
  song: string
  /** the font for Latin letters and digits */
  latin: string
  /** the system profile has no 小标宋, so its title is set in bold 宋体 */
  titleBold: boolean
}

/**
 * gb2312: the names GB/T 9704 prescribes (installed on most office PCs with WPS);
 * system: the fonts every Windows 10/11 and domestic Linux desktop has.
 * 方正小标宋 is a paid font: the program names it, never ships it.
 */
export const fontSets: Record<FontProfile, FontSet> = {
  gb2312: { title: '方正小标宋简体', heading: '方正小标宋简体', body: '仿宋_GB2312', kai: '楷体_GB2312', hei: '黑体', song: '宋体', latin: 'Times New Roman', titleBold: false },
  system: { title: '宋体', heading: '黑体', body: '仿宋', kai: '楷体', hei: '黑体', song: '宋体', latin: 'Times New Roman', titleBold: true },
}

export function fontName(set: FontSet, role: FontRole): string {
  return set[role]
}
