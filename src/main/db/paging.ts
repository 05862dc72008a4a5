import { sql, type SelectQueryBuilder } from 'kysely'
import type { Sqlite } from './connection'
import { all, first } from './query'

export interface Paging {
  sort?: { field: string; dir: 'asc' | 'desc' }[]
  offset?: number
  limit?: number
}

/**
 * Runs a filtered list: one COUNT over the same WHERE and one page of rows. Sort fields are mapped
 * through `sortable` (field name -> SQL column), so nothing from the client reaches SQL unchecked.
 */
export function page<DB, TB extends keyof DB, O>(
  db: Sqlite,
  base: SelectQueryBuilder<DB, TB, object>,
  select: (qb: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  input: Paging,
  sortable: Record<string, string>,
  tieBreak: string,
): { rows: O[]; total: number } {
  const counted = first(db, base.select(sql<number>`count(*)`.as('n'))) as { n: number } | undefined
  let q = select(base)
  for (const s of input.sort ?? []) {
    const col = sortable[s.field]
    if (col) q = q.orderBy(sql.ref(col), s.dir)
  }
  q = q.orderBy(sql.ref(tieBreak), 'asc')
  q = q.limit(input.limit ?? 100).offset(input.offset ?? 0)
  return { rows: all(db, q), total: counted?.n ?? 0 }
}

/** `col LIKE %text%` with the user's % and _ taken literally. */
export function contains(col: string, text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`
  return sql<boolean>`${sql.ref(col)} LIKE ${pattern} ESCAPE '\\'`
}
