/**
 * Chinese numbers and dates the way clerks write them in documents. Pure: used by main and renderer.
 */

const DIGITS = '〇一二三四五六七八九'
const SMALL = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五: for headings (一、) and counts in prose. */
export function cnNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n)
  if (n === 0) return '零'
  if (n >= 10000) return String(n)
  const parts: string[] = []
  const units = ['千', '百', '十', '']
  const digits = String(n).padStart(4, '0').split('').map(Number)
  let zero = false
  let started = false
  digits.forEach((d, i) => {
    if (d === 0) {
      if (started) zero = true
      return
    }
    if (zero) parts.push('零')
    zero = false
    started = true
    parts.push(SMALL[d]! + units[i])
  })
  let s = parts.join('')
  if (s.startsWith('一十')) s = s.slice(1)
  return s
}

/** 2026 → 二〇二六: years are read digit by digit. */
export function cnYear(year: number): string {
  return String(year)
    .split('')
    .map((c) => DIGITS[Number(c)] ?? c)
    .join('')
}

/** '2026-11-23' → 二〇二六年十一月二十三日 (落款, 奖牌, 封面). */
export function cnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${cnYear(Number(m[1]))}年${cnNumber(Number(m[2]))}月${cnNumber(Number(m[3]))}日`
}

/** '2026-03-01' → 2026年3月1日 (forms, prose). */
export function arDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** '2026-03-01' → 2026.03.01 (table cells, where columns are narrow). */
export function dotDate(iso: string | null | undefined): string {
  if (!iso) return ''
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10).replace(/-/g, '.') : iso
}

/** 一、 二、 … for level-1 headings */
export function h1No(n: number): string {
  return `${cnNumber(n)}、`
}

/** （一） （二） … for level-2 headings */
export function h2No(n: number): string {
  return `（${cnNumber(n)}）`
}

/** 0.9834 → 98.3%; null → 无数据 */
export function percent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '无数据'
  return `${(v * 100).toFixed(digits)}%`
}
