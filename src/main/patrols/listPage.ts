import { sql, type SelectQueryBuilder } from 'kysely'
import type { Sqlite } from '../db/connection'
import type { Paging } from '../db/paging'
import { all, first, prepared } from '../db/query'

/**
 * Paging for registers of a million rows, the same contract as db/paging.ts page():
 *
 * - the page is chosen on the index alone (rowids in sort order, LIMIT/OFFSET), then only those
 *   rows are read ("deferred join"), so a deep offset skips index entries, not table rows;
 * - ties are broken by rowid, which every index carries, so no table lookup is needed to sort;
 * - COUNT(*) for the same filter is cached until the next write on this connection
 *   (`total_changes()`), so scrolling an infinite grid does not recount a million rows per block.
 *
 * Sort expressions come from the register's own fixed map, never from the client.
 */
const countCache = new WeakMap<Sqlite, Map<string, { changes: number; n: number }>>()

function changes(db: Sqlite): number {
  return (prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n
}

export function cachedCount<D, T extends keyof D>(db: Sqlite, q: SelectQueryBuilder<D, T, object>): number {
  const c = q.select(sql<number>`count(*)`.as('n')).compile()
  const key = c.sql + '\u0000' + JSON.stringify(c.parameters)
  let m = countCache.get(db)
  if (!m) countCache.set(db, (m = new Map()))
  const now = changes(db)
  const hit = m.get(key)
  if (hit && hit.changes === now) return hit.n
  const n = (first(db, q.select(sql<number>`count(*)`.as('n'))) as { n: number } | undefined)?.n ?? 0
  if (m.size > 200) m.clear()
  m.set(key, { changes: now, n })
  return n
}

export function pageByRowid<O, D, T extends keyof D>(
  db: Sqlite,
  base: SelectQueryBuilder<D, T, object>,
  alias: string,
  input: Paging,
  sortable: Record<string, string>,
  load: (rowids: number[]) => (O & { rid: number })[],
): { rows: O[]; total: number } {
  const total = cachedCount(db, base)
  let q = base.select(sql<number>`${sql.raw(alias)}.rowid`.as('rid'))
  for (const s of input.sort ?? []) {
    const expr = sortable[s.field]
    if (expr) q = q.orderBy(sql.raw(expr), s.dir)
  }
  q = q.orderBy(sql.raw(`${alias}.rowid`), 'asc')
  q = q.limit(input.limit ?? 100).offset(input.offset ?? 0)
  const rowids = (all(db, q) as { rid: number }[]).map((r) => r.rid)
  if (rowids.length === 0) return { rows: [], total }
  const byRid = new Map(load(rowids).map((r) => [r.rid, r]))
  const rows: O[] = []
  for (const rid of rowids) {
    const r = byRid.get(rid)
    if (r) {
      const { rid: _rid, ...rest } = r
      rows.push(rest as unknown as O)
    }
  }
  return { rows, total }
}
