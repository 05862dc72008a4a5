/**
 * Which backups to keep (DESIGN §9, after actualbudget): the 3 newest of today, the newest of each
 * earlier day for 30 days, and never more than 20 in all. Pure: the clock is an argument, so the
 * rule is tested with made-up dates. Only verified backups are passed in; anything else is left alone.
 */
export const KEEP_TODAY = 3
export const KEEP_DAYS = 30
export const KEEP_MAX = 20

export interface Dated {
  name: string
  at: Date
}

function dayNumber(d: Date): number {
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000)
}

export function retain<T extends Dated>(backups: readonly T[], now: Date): { keep: T[]; drop: T[] } {
  const sorted = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1))
  const today = dayNumber(now)
  const keep: T[] = []
  const seenDays = new Set<number>()
  let todayCount = 0
  for (const b of sorted) {
    // a copy dated after now (the clock was set back) counts as today's
    const age = Math.max(0, today - dayNumber(b.at))
    if (age === 0) {
      if (todayCount < KEEP_TODAY) {
        todayCount++
        keep.push(b)
      }
    } else if (age <= KEEP_DAYS && !seenDays.has(age)) {
      seenDays.add(age)
      keep.push(b)
    }
  }
  const kept = new Set(keep.slice(0, KEEP_MAX))
  return { keep: sorted.filter((b) => kept.has(b)), drop: sorted.filter((b) => !kept.has(b)) }
}
