import { sql, type SelectQueryBuilder } from 'kysely'
import type { Sqlite } from './connection'
import { all, first } from './query'

export interface Paging {
  sort?: { field: string; dir: 'asc' | 'desc' }[]
  offset?: number
  limit?: number
}

/**
 * Runs a filtered list as one COUNT and one page. The page is found in two steps: first the rowids
 * of the page alone (an index on the filter and sort columns answers that without reading the
 * table, even at a deep offset), then `select` reads the full rows for just those rowids.
 * Sort fields are mapped through `sortable` (field name -> SQL column), so nothing from the client
 * reaches SQL unchecked. `tieBreak` is the main table's id column ('m.id' or 'id'); its rowid is used
 * to keep the order stable.
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
  const counted = first(db, base.select(sql<number>`count(*)`.as('n'))) as { n: number } | undefined
  const total = counted?.n ?? 0
  if (total === 0) return { rows: [], total }
  let q = base.select(sql<number>`${sql.ref(rowid)}`.as('__rid'))
  let lastDir: 'asc' | 'desc' = 'asc'
  for (const s of input.sort ?? []) {
    const col = sortable[s.field]
    if (col) {
      q = q.orderBy(sql.ref(col), s.dir)
      lastDir = s.dir
    }
  }
  // the tie-break follows the last sort's direction, so one index walk (forwards or backwards) serves both
  q = q.orderBy(sql.ref(rowid), lastDir).limit(input.limit ?? 100).offset(input.offset ?? 0)
  const ids = (all(db, q) as { __rid: number }[]).map((r) => r.__rid)
  if (ids.length === 0) return { rows: [], total }
  const full = select(base).select(sql<number>`${sql.ref(rowid)}`.as('__rid')).where(sql<boolean>`${sql.ref(rowid)} IN (${sql.join(ids)})`)
  const byId = new Map<number, O>()
  for (const r of all(db, full) as (O & { __rid: number })[]) {
    const { __rid, ...rest } = r
    byId.set(__rid, rest as O)
  }
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is O => r !== undefined), total }
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
