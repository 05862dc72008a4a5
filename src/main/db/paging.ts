import { sql, type SelectQueryBuilder } from 'kysely'
import type { Sqlite } from './connection'
import { all, first, prepared } from './query'

export interface Paging {
  sort?: { field: string; dir: 'asc' | 'desc' }[]
  offset?: number
  limit?: number
}

/**
 * The one pager of every register. A page is found in two steps: first the rowids of the page alone
 * (an index on the filter and sort columns answers that without reading the table, even at a deep
 * offset: a "deferred join"), then only those rows are read. Ties are broken by rowid, which every
 * index carries, in the last sort's direction, so one index walk (forwards or backwards) serves both.
 * COUNT(*) for the same filter is cached until the next write on this connection (`total_changes()`)
 * or a commit by another one (`PRAGMA data_version`: the Excel import writes on its own connection), so scrolling an infinite grid does not
 * recount a million rows per block. Sort fields are mapped through `sortable` (field name -> SQL
 * column), so nothing from the client reaches SQL unchecked.
 */
const countCache = new WeakMap<Sqlite, Map<string, { changes: string; n: number }>>()

export function cachedCount<D, T extends keyof D>(db: Sqlite, q: SelectQueryBuilder<D, T, object>): number {
  const counting = q.select(sql<number>`count(*)`.as('n'))
  const c = counting.compile()
  const key = c.sql + '\u0000' + JSON.stringify(c.parameters)
  let m = countCache.get(db)
  if (!m) countCache.set(db, (m = new Map()))
  const now = `${(prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n}:${(prepared(db, 'PRAGMA data_version').get() as { data_version: number }).data_version}`
  const hit = m.get(key)
  if (hit && hit.changes === now) return hit.n
  const n = (first(db, counting) as { n: number } | undefined)?.n ?? 0
  if (m.size > 200) m.clear()
  m.set(key, { changes: now, n })
  return n
}

/** The rowids of one page, in order, and the filter's total. `rowid` is the main table's, e.g. 'p.rowid'. */
export function pageRowids<DB, TB extends keyof DB>(
  db: Sqlite,
  base: SelectQueryBuilder<DB, TB, object>,
  input: Paging,
  sortable: Record<string, string>,
  rowid: string,
): { rowids: number[]; total: number } {
  const total = cachedCount(db, base)
  if (total === 0) return { rowids: [], total }
  let q = base.select(sql<number>`${sql.ref(rowid)}`.as('__rid'))
  let lastDir: 'asc' | 'desc' = 'asc'
  for (const s of input.sort ?? []) {
    const col = sortable[s.field]
    if (col) {
      q = q.orderBy(sql.ref(col), s.dir)
      lastDir = s.dir
    }
  }
  q = q.orderBy(sql.ref(rowid), lastDir).limit(input.limit ?? 100).offset(input.offset ?? 0)
  // the rowids as plain numbers: a statement of its own (pluck changes the statement), no object per row
  const c = q.compile()
  const args = c.parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p))
  return { rowids: prepared(db, `${c.sql} /* rowids */`).pluck().all(...args) as number[], total }
}

/** Rows in the order of `rowids`; rows that vanished meanwhile are left out. */
export function inRowidOrder<O>(rowids: number[], rows: (O & { __rid: number })[]): O[] {
  const byId = new Map<number, O>()
  for (const r of rows) {
    // a copy without __rid by a plain loop: an object rest (`{ __rid, ...rest }`) costs more per row
    const rest: Record<string, unknown> = {}
    for (const k in r) if (k !== '__rid') rest[k] = (r as Record<string, unknown>)[k]
    byId.set(r.__rid, rest as O)
  }
  const out: O[] = []
  for (const id of rowids) {
    const r = byId.get(id)
    if (r !== undefined) out.push(r)
  }
  return out
}

/**
 * `{ ...row, ...extra }` for the rows of a list, by a plain loop: the same keys in the same order and
 * the same values. V8 (Node 20) builds an object spread followed by more keys several times slower
 * (about 15 µs a row for a patrol), which an export of 100,000 rows felt as seconds (issue 15.2).
 */
export function extend<R extends object, E extends object>(row: R, extra: E): Omit<R, keyof E> & E {
  const out: Record<string, unknown> = {}
  for (const k in row) out[k] = row[k]
  for (const k in extra) out[k] = extra[k]
  return out as Omit<R, keyof E> & E
}

/**
 * A filtered, sorted page read with the query builder: `select` adds the columns (and joins) of the
 * full rows. `tieBreak` is the main table's id column ('m.id' or 'id').
 */
export function page<DB, TB extends keyof DB, O>(
  db: Sqlite,
  base: SelectQueryBuilder<DB, TB, object>,
  select: (qb: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  input: Paging,
  sortable: Record<string, string>,
  tieBreak: string,
): { rows: O[]; total: number } {
  const rowid = tieBreak.replace(/id$/, 'rowid')
  const { rowids, total } = pageRowids(db, base, input, sortable, rowid)
  if (rowids.length === 0) return { rows: [], total }
  const full = select(base).select(sql<number>`${sql.ref(rowid)}`.as('__rid')).where(sql<boolean>`${sql.ref(rowid)} IN (${sql.join(rowids)})`)
  return { rows: inRowidOrder(rowids, all(db, full) as (O & { __rid: number })[]), total }
}

/** A JSON array column (roles, memberIds…) holds this string value. Faster than json_each for enum-like values. */
export function jsonHas(col: string, value: string) {
  return sql<boolean>`instr(${sql.ref(col)}, ${JSON.stringify(value)}) > 0`
}

/** `col LIKE %text%` with the user's % and _ taken literally. */
export function contains(col: string, text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`
  return sql<boolean>`${sql.ref(col)} LIKE ${pattern} ESCAPE '\\'`
}
