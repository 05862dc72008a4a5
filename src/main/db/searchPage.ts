import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Sqlite } from './connection'
import { all, prepared } from './query'
import { backlog, condition, indexAnswer, maxRowid, searchTuning, type IndexAnswer, type PageWay, type SearchTable } from './search'

/**
 * A search page of a large register (issue 15.3: ≤ 20 ms at 1,000,000 patrols). The index answers
 * which rows hold q (search.ts); what cost at that size was everything around it: counting the rows
 * found by reading each of them for its deletedAt, and reading and sorting all of them for a page of
 * 100. Here the index counts a search that q alone narrows (its own count, less the deleted rows it
 * holds), and a page sorted in an index's order is read by whichever of three ways costs least.
 */
/**
 * Costs in microseconds, measured at 1,000,000 patrols on the 2-core reference machine: reading one
 * row by rowid (and sorting it), putting one of the index's rows in a list, stepping over one entry of
 * an index, reading one entry's row and testing it with LIKE.
 */
const COST = { lookup: 1.5, list: 0.15, step: 0.1, like: 2 }

export interface QuickSearch {
  /** "contains q" for a count and for a page read by rowid (as searchWhere) */
  where: (scan: Expression<SqlBool>) => Expression<SqlBool>
  /**
   * The exact number of rows that contain q, live ones unless includeDeleted, from the index alone
   * (its count, less the deleted rows it holds); null where it cannot say so (rows not indexed yet,
   * a text the index does not answer, a register without an index on deletedAt). Only for a list
   * that q alone narrows.
   */
  total: (includeDeleted: boolean) => number | null
  /** "contains q" for a page sorted in the order of an index (see PageWay): `total` is the filter's count */
  pageWhere: (scan: Expression<SqlBool>, page: { total: number; offset: number; limit: number }) => Expression<SqlBool>
}

/** The search box's answer for one list call: the term list is read once. */
export function quickSearch(db: Sqlite, table: SearchTable, rowid: string, q: string): QuickSearch {
  const answer = indexAnswer(db, table, q)
  const ranges = backlog(db, table)
  const registerRows = Math.max(1, maxRowid(db, table))
  const scanned = !answer || answer.rows * searchTuning.scanShare > registerRows
  const where = (scan: Expression<SqlBool>) => condition(scanned ? null : answer, ranges, rowid, scan, false)
  return {
    where,
    total: (includeDeleted) => {
      if (!answer || ranges.length) return null
      if (answer.query === '') return 0
      if (!includeDeleted && !deletedIndexed(db, table)) return null
      return cached(db, `${answer.index}\u0000${answer.query}\u0000${includeDeleted}`, () => indexCount(db, table, answer, includeDeleted))
    },
    pageWhere: (scan, page) => {
      if (!answer) return scan
      if (answer.query === '') return where(scan)
      const need = page.offset + page.limit
      // entries of the sort's index stepped over to fill the page: the filter's rows are spread over it
      const steps = Math.min(registerRows, (need * registerRows) / Math.max(1, page.total))
      const found = Math.max(page.total, Math.min(answer.rows, registerRows))
      const costs: Record<PageWay, number> = {
        lookup: scanned ? Infinity : found * COST.lookup,
        walk: found * COST.list + steps * COST.step,
        scan: steps * COST.like,
      }
      const way = searchTuning.pageWay ?? (Object.keys(costs) as PageWay[]).reduce((a, b) => (costs[b] < costs[a] ? b : a))
      if (way === 'scan') return scan
      return condition(answer, ranges, rowid, scan, way === 'walk')
    },
  }
}

/** rows holding the index's answer, less the deleted ones unless includeDeleted */
function indexCount(db: Sqlite, table: SearchTable, answer: IndexAnswer, includeDeleted: boolean): number {
  const fts = `"${answer.index}"`
  // a pair's count is in the term list already (indexAnswer)
  const all = answer.exact ? answer.rows : (prepared(db, `SELECT count(*) FROM ${fts} WHERE ${fts} MATCH ?`).pluck().get(answer.query) as number)
  if (includeDeleted || all === 0) return all
  // the deleted rows are walked in the deletedAt index (few, as a rule) and tested against the
  // index's list; where deleted rows far outnumber what the index finds, those are read instead
  const deleted = prepared(db, `SELECT count(*) FROM "${table}" WHERE deletedAt IS NOT NULL`).pluck().get() as number
  if (deleted === 0) return all
  const ref = deleted * COST.step + all * COST.list < all * COST.lookup ? '+rowid' : 'rowid'
  const gone = prepared(db, `SELECT count(*) FROM "${table}" WHERE deletedAt IS NOT NULL AND ${ref} IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`)
    .pluck()
    .get(answer.query) as number
  return all - gone
}

const indexedDeleted = new WeakMap<Sqlite, Map<string, boolean>>()

/** whether an index of the table begins with deletedAt (so its deleted rows are counted without reading it) */
function deletedIndexed(db: Sqlite, table: SearchTable): boolean {
  let m = indexedDeleted.get(db)
  if (!m) indexedDeleted.set(db, (m = new Map()))
  let yes = m.get(table)
  if (yes === undefined) {
    const list = db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string }[]
    yes = list.some((ix) => (db.prepare(`PRAGMA index_info("${ix.name.replace(/"/g, '""')}")`).all() as { seqno: number; name: string }[]).some((c) => c.seqno === 0 && c.name === 'deletedAt'))
    m.set(table, yes)
  }
  return yes
}

const counts = new WeakMap<Sqlite, Map<string, { stamp: string; n: number }>>()

/**
 * A count kept until the next write on this connection or a commit by another (as the registers'
 * pager keeps its counts, db/paging.ts): scrolling a search's pages does not count it again.
 */
function cached(db: Sqlite, key: string, count: () => number): number {
  let m = counts.get(db)
  if (!m) counts.set(db, (m = new Map()))
  const stamp = `${(prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n}:${(prepared(db, 'PRAGMA data_version').get() as { data_version: number }).data_version}`
  const hit = m.get(key)
  if (hit && hit.stamp === stamp) return hit.n
  const n = count()
  if (m.size > 200) m.clear()
  m.set(key, { stamp, n })
  return n
}

/**
 * The rowids of one page of a search sorted by `sort` (fields mapped through `sortable`), ties broken
 * by rowid in the last sort's direction, as db/paging.ts pages every register: the search's own page,
 * for which the total is counted apart (QuickSearch).
 */
export function searchPage<DB, TB extends keyof DB>(
  db: Sqlite,
  base: SelectQueryBuilder<DB, TB, object>,
  input: { sort: { field: string; dir: 'asc' | 'desc' }[]; offset?: number; limit?: number },
  sortable: Record<string, string>,
  rowid: string,
): number[] {
  let q = base.select(sql<number>`${sql.ref(rowid)}`.as('__rid'))
  let lastDir: 'asc' | 'desc' = 'asc'
  for (const s of input.sort) {
    const col = sortable[s.field]
    if (col) {
      q = q.orderBy(sql.ref(col), s.dir)
      lastDir = s.dir
    }
  }
  q = q.orderBy(sql.ref(rowid), lastDir).limit(input.limit ?? 100).offset(input.offset ?? 0)
  return (all(db, q) as { __rid: number }[]).map((r) => r.__rid)
}

