/**
 * 脱管漏管 with dates: a person's lost-contact periods (from – to, `to` null while still lost), so a
 * year can be judged ("村服刑人员无脱管、漏管" in 2025) rather than today's flag. The old `lostContact`
 * boolean stays in the API as "lost contact now": an open period. Pure, for both sides.
 */

export interface LostContactPeriod {
  from: string
  /** null: not found again yet */
  to: string | null
  note?: string
}

/** how the sheet (and the hint beside the form) writes periods */
export const PERIODS_HINT = '写作“2025-03-01至2025-04-10”，多段用“；”分隔，尚未结束的写“2025-06-01至今”'

const OPEN = '至今'

/** "2025-03-01至2025-04-10；2025-06-01至今" */
export function periodsText(periods: readonly LostContactPeriod[]): string {
  return periods.map((p) => (p.to === null ? `${p.from}${OPEN}` : `${p.from}至${p.to}`)).join('；')
}

const DATE = '(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?'
const ONE = new RegExp(`^${DATE}\\s*(?:至|到|-|—|~|～)\\s*(?:${DATE}|至今|今|未结束)?$`)

function iso(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
}

/** The sheet's text → periods; '' → none; null when the text is not written that way. */
export function parsePeriods(text: string): LostContactPeriod[] | null {
  const parts = text
    .split(/[；;，,\n、]/)
    .map((s) => s.trim())
    .filter(Boolean)
  const out: LostContactPeriod[] = []
  for (const part of parts) {
    const m = ONE.exec(part)
    if (!m) return null
    out.push({ from: iso(m[1]!, m[2]!, m[3]!), to: m[4] ? iso(m[4], m[5]!, m[6]!) : null })
  }
  return out
}

/** lost contact now: a period not closed */
export function lostNow(periods: readonly LostContactPeriod[]): boolean {
  return periods.some((p) => p.to === null)
}

/** whether a period overlaps year Y */
export function overlapsYear(p: LostContactPeriod, year: number): boolean {
  return p.from <= `${year}-12-31` && (p.to === null || p.to >= `${year}-01-01`)
}

/** The first rule a set of periods breaks, in the clerk's words; null when they are sound. */
export function periodsRefusal(periods: readonly LostContactPeriod[], releasedOn: string, today: string): string | null {
  for (const p of periods) {
    if (p.to !== null && p.to < p.from) return `脱管漏管结束日期 ${p.to} 不能早于开始日期 ${p.from}`
    if (p.from > today) return `脱管漏管开始日期 ${p.from} 不能晚于今天`
    if (p.to !== null && p.to > today) return `脱管漏管结束日期 ${p.to} 不能晚于今天（尚未结束的不填结束日期）`
    if (p.from < releasedOn) return `脱管漏管开始日期 ${p.from} 不能早于释放（矫正开始）日期 ${releasedOn}`
  }
  const sorted = sortPeriods(periods)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!
    const next = sorted[i]!
    if (prev.to === null || next.from <= prev.to) return `脱管漏管时段 ${periodsText([prev])} 与 ${periodsText([next])} 重叠`
  }
  return null
}

export function sortPeriods(periods: readonly LostContactPeriod[]): LostContactPeriod[] {
  return [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
}
