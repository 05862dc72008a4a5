import { deletableReasons } from '../../shared/backup/schema'

/**
 * Which backups to keep (DESIGN §9, after actualbudget): of the automatic ones, the 3 newest of today,
 * the newest of each earlier day for 30 days, and never more than 20 in all. Pure: the clock is an
 * argument, so the rule is tested with made-up dates. Only verified backups are passed in; anything
 * else is left alone.
 *
 * A backup is never pruned while it is needed (DESIGN §7): one made by hand or the copy taken before a
 * restore (the restore's undo) stays until the clerk deletes it; those are kept outside the rule and do
 * not use up its places, so they never push an automatic backup out either. Names in `protect` (the
 * backup just made, the one being restored) take their place under the rule like any other but are
 * kept even where the rule would let them go.
 */
export const KEEP_TODAY = 3
export const KEEP_DAYS = 30
export const KEEP_MAX = 20

/** Kinds the clerk asked for (directly or by restoring): never pruned, only deleted by the clerk (backups.delete). */
export const KEPT_UNTIL_DELETED: ReadonlySet<string> = new Set<string>(deletableReasons)

export interface Dated {
  name: string
  at: Date
  /** why it was made (BackupReason); absent counts as automatic */
  reason?: string
}

function dayNumber(d: Date): number {
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000)
}

export function retain<T extends Dated>(backups: readonly T[], now: Date, protect: ReadonlySet<string> = new Set()): { keep: T[]; drop: T[] } {
  const sorted = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1))
  const today = dayNumber(now)
  const kept = new Set<T>()
  const seenDays = new Set<number>()
  let todayCount = 0
  let ruled = 0
  for (const b of sorted) {
    if (b.reason !== undefined && KEPT_UNTIL_DELETED.has(b.reason)) {
      kept.add(b)
      continue
    }
    // a copy dated after now (the clock was set back) counts as today's
    const age = Math.max(0, today - dayNumber(b.at))
    let keep = false
    if (age === 0) {
      if (todayCount < KEEP_TODAY) {
        todayCount++
        keep = true
      }
    } else if (age <= KEEP_DAYS && !seenDays.has(age)) {
      seenDays.add(age)
      keep = true
    }
    if (keep && ruled < KEEP_MAX) {
      ruled++
      kept.add(b)
    } else if (protect.has(b.name)) kept.add(b)
  }
  return { keep: sorted.filter((b) => kept.has(b)), drop: sorted.filter((b) => !kept.has(b)) }
}
