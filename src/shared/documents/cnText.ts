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

/** '2026-11-23' → 二〇二六年十一月二十三日. Not used in documents: GB/T 9704-2012 7.3.5 writes dates in Arabic numerals (arDate). */
export function cnDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${cnYear(Number(m[1]))}年${cnNumber(Number(m[2]))}月${cnNumber(Number(m[3]))}日`
}

/** '2026-03-01' → 2026年3月1日: every date in every document, tables and signatures included (GB/T 9704-2012 7.3.5). */
export function arDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`
}

/** '2026-03-01' → 2026.03.01. Not used in documents any more (arDate everywhere). */
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

/**
 * A rate as an official writes it: 100%, 98.5%, 0 — one decimal only where it is needed, never
 * "100.0%" or "0.00%". A small rate that would round to 0 keeps two decimals (0.03%), so it is
 * never read as none. null → 无数据.
 */
export function percent(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '无数据'
  if (v === 0) return '0'
  const x = v * 100
  const one = Math.round(x * 10) / 10
  if (one === 0) return `${Math.round(x * 100) / 100}%`
  return `${one}%`
}

/** A number as a figure: 12, 3.5, 0.25 — no trailing zeros. */
export function figure(v: number): string {
  return String(Math.round(v * 100) / 100)
}

// ---------------------------------------------------------------------------------------------
// natural order: 第二 before 第十, 2 before 10

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }
const NUMBER_RUN = /[0-9]+|[〇零一二两三四五六七八九十百千]+/g

/** 十一 → 11, 二十 → 20, 一百零五 → 105, 二〇二六 → 2026 */
function cnValue(s: string): number {
  if (!/[十百千]/.test(s)) return Number([...s].map((c) => CN_DIGIT[c] ?? 0).join(''))
  let total = 0
  let digit = 0
  for (const c of s) {
    if (c in CN_UNIT) {
      total += (digit || 1) * CN_UNIT[c]!
      digit = 0
    } else digit = CN_DIGIT[c] ?? 0
  }
  return total + digit
}

function pieces(s: string): (string | number)[] {
  const out: (string | number)[] = []
  let at = 0
  for (const m of s.matchAll(NUMBER_RUN)) {
    if (m.index! > at) out.push(s.slice(at, m.index))
    out.push(/^[0-9]/.test(m[0]) ? Number(m[0]) : cnValue(m[0]))
    at = m.index! + m[0].length
  }
  if (at < s.length) out.push(s.slice(at))
  return out
}

/**
 * Compares names the way a clerk orders them: numbers inside a name, in Arabic or Chinese numerals,
 * by their value (第二网格 before 第十网格, 2组 before 10组); the rest by Chinese collation.
 */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0
  const x = pieces(a)
  const y = pieces(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!
    const q = y[i]!
    if (typeof p === 'number' && typeof q === 'number') {
      if (p !== q) return p - q
      continue
    }
    const c = String(p).localeCompare(String(q), 'zh-CN')
    if (c !== 0) return c
  }
  return x.length - y.length || a.localeCompare(b, 'zh-CN')
}
