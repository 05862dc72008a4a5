import { sql, type Expression, type SqlBool } from 'kysely'
import type { Sqlite } from './connection'
import { prepared } from './query'
import { pairToken } from './pairs'

/**
 * The quick search box of every register, answered by the register's trigram index
 * (migrations/009_search.ts: <table>_search, kept by triggers) instead of a LIKE scan of the whole
 * register.
 *
 * - Three characters or more: one phrase of trigrams, which is exactly "contains this text".
 * - Two characters (a 2-character name such as 张三, 学校 in a route): one token of the register's
 *   pair index (migrations/011_search_pairs.ts: <table>_pairs, db/pairs.ts), whose term list also says
 *   exactly how many rows hold it.
 * - One character: every field is indexed with a separator after it (two after the last), so each
 *   occurrence of the character starts some trigram; the trigrams that start with it are read from
 *   the trigram index's term list and matched as alternatives.
 * - The term list also says how many rows hold each trigram: a text found in a large share of the
 *   register (a single common character, two characters of every route) is answered by the register's
 *   LIKE scan instead, which is then the faster way.
 *
 * Bulk loads (an Excel import, a county's first package of a township) hold a table's insert trigger
 * back (`withoutSearchTrigger`): indexing a million rows row by row inside the load's transaction cost
 * more than the load itself (FTS5 flushes its pending terms at every statement a trigger runs in).
 * Their rowid ranges go to search_backlog and are indexed afterwards, in both indexes, in short steps
 * (`scheduleSearchIndex`); until then the search scans exactly those ranges with LIKE, so it finds
 * every row at every moment.
 */
export type SearchTable = 'members' | 'patrols' | 'mediation_cases' | 'aftercare_people' | 'aftercare_visits' | 'hazards'

export const TERM_LIMIT = 200

/** The text as the index compares it: trimmed, without control characters (a clerk cannot type the separator). */
export function searchText(q: string): string {
  // eslint-disable-next-line no-control-regex
  return q.replace(/[\u0000-\u001f\u007f]/g, '').trim()
}

const vocabs = new WeakMap<Sqlite, Set<string>>()

/**
 * An index's term list, as a temporary fts5vocab table of this connection (not in the database's
 * schema: backups and their checks see only the index itself).
 */
function vocab(db: Sqlite, index: string): string {
  const name = `${index}_terms`
  let made = vocabs.get(db)
  if (!made) vocabs.set(db, (made = new Set()))
  if (!made.has(name)) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp."${name}" USING fts5vocab(main, "${index}", row)`)
    made.add(name)
  }
  return name
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`

/**
 * What the index holds for q: which index (<table>_search or <table>_pairs), its FTS5 query ('' when
 * nothing can match: a short text the index has never seen) and how many rows hold it: exactly for a
 * pair, an upper bound for a phrase (the rows holding its rarest trigram). null when the index cannot
 * answer (a fold it does not share, a text with too many trigrams).
 */
export interface IndexAnswer {
  index: string
  query: string
  rows: number
  exact: boolean
}

/** an FTS5 query of one index, as a search condition reads it */
export type IndexMatch = Pick<IndexAnswer, 'index' | 'query'>

export function indexAnswer(db: Sqlite, table: SearchTable, q: string): IndexAnswer | null {
  const text = searchText(q)
  const chars = [...text]
  if (chars.length === 0) return null
  // the pair index folds ASCII case only, as LIKE does
  if (chars.length === 2) {
    const index = `${table}_pairs`
    const token = pairToken(text)
    const rows = (prepared(db, `SELECT doc FROM temp."${vocab(db, index)}" WHERE term = ?`).pluck().get(token) as number | undefined) ?? 0
    return { index, query: rows ? quote(token) : '', rows, exact: true }
  }
  // the trigram tokenizer folds case; its term list holds the folded forms, with the rows holding each.
  // Beyond ASCII, JavaScript's lower case may not be SQLite's fold (İ): such a text is scanned.
  const lower = text.toLowerCase()
  if (lower !== text && /[^\u0020-\u007e]/.test(text)) return null
  const folded = [...lower]
  const index = `${table}_search`
  const terms = vocab(db, index)
  if (chars.length >= 3) {
    // at most as many rows as hold its rarest trigram
    const doc = prepared(db, `SELECT doc FROM temp."${terms}" WHERE term = ?`).pluck()
    let rows = Infinity
    for (let i = 0; i + 3 <= folded.length && rows > 0; i++) rows = Math.min(rows, (doc.get(folded.slice(i, i + 3).join('')) as number | undefined) ?? 0)
    // a phrase goes to the index even when the term list knows none of its trigrams: FTS5 folds it itself
    return { index, query: quote(text), rows, exact: false }
  }
  const prefix = folded.join('')
  const found = prepared(db, `SELECT term, doc FROM temp."${terms}" WHERE term >= ? AND term < ? LIMIT ${TERM_LIMIT + 1}`).all(prefix, `${prefix}\u{10FFFF}`) as {
    term: string
    doc: number
  }[]
  if (found.length > TERM_LIMIT) return null
  // a row may hold several of the trigrams: the sum is an upper bound
  return { index, query: found.map((t) => quote(t.term)).join(' OR '), rows: found.reduce((n, t) => n + t.doc, 0), exact: false }
}

/**
 * The index's query for q ('' in the query when nothing can match: a short text the index has never
 * seen), or null when a scan is the better answer.
 */
export function indexMatch(db: Sqlite, table: SearchTable, q: string): IndexMatch | null {
  const a = indexAnswer(db, table, q)
  if (!a) return null
  // Each row found costs a visit to the register (its filters, its sort); a scan reads every row but
  // cheaply. Past about one row in SCAN_SHARE the scan is faster (学校 in a third of a million patrols).
  if (a.rows * searchTuning.scanShare > maxRowid(db, table)) return null
  return a
}

/**
 * scanShare: the index answers while it finds fewer than one row in this many (measured at 1,000,000
 * patrols). Tests set 0 to have the index answer whatever it finds. pageWay: tests force one way of
 * reading a search page (searchPage.ts) to compare it with the others.
 */
export const searchTuning: { scanShare: number; pageWay: PageWay | null } = { scanShare: 30, pageWay: null }

/**
 * How a search page sorted in an index's order is read (issue 15.3, 1,000,000 patrols):
 * - 'lookup': every row the index finds is read from the register, then sorted (a rare word);
 * - 'walk': the sort's index is walked in order and each entry tested against the index's rows,
 *   stopping at the page's end (a word in many rows, the first pages);
 * - 'scan': the sort's index is walked and each entry's row tested with LIKE (a word in most rows:
 *   a page's worth of rows are read, the index's list of a third of the register is not built).
 */
export type PageWay = 'lookup' | 'walk' | 'scan'

/**
 * "This row's searchable fields contain q", for a query built with Kysely. `rowid` is the register
 * table's rowid as the query names it ('m.rowid'); `scan` is the same condition as LIKEs over the
 * indexed fields, used where the index cannot answer (rows not indexed yet, a single common character).
 */
export function searchWhere(db: Sqlite, table: SearchTable, rowid: string, q: string, scan: Expression<SqlBool>): Expression<SqlBool> {
  return condition(indexMatch(db, table, q), backlog(db, table), rowid, scan, false)
}

/** the index's rows for match (unindexed: `+rowid`, so that SQLite does not read the register by them), or'ed with the backlog's scan */
export function condition(match: IndexMatch | null, ranges: Range[], rowid: string, scan: Expression<SqlBool>, unindexed: boolean): Expression<SqlBool> {
  if (match === null) return scan
  const index = sql.table(match.index)
  const ref = unindexed ? sql`+${sql.ref(rowid)}` : sql.ref(rowid)
  const parts: Expression<SqlBool>[] = match.query === '' ? [] : [sql<SqlBool>`${ref} IN (SELECT rowid FROM ${index} WHERE ${index} MATCH ${match.query})`]
  for (const r of ranges) parts.push(sql<SqlBool>`(${sql.ref(rowid)} BETWEEN ${r.fromRowid} AND ${r.toRowid} AND ${scan})`)
  if (parts.length === 0) return sql<SqlBool>`0`
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`
}

/** Villages whose name contains q (a township has tens): the registers' search also finds a village's records. */
export function villagesNamed(db: Sqlite, q: string): string[] {
  const text = searchText(q)
  if (!text) return []
  const pattern = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`
  return prepared(db, "SELECT id FROM villages WHERE name LIKE ? ESCAPE '\\'").pluck().all(pattern) as string[]
}

export interface Range {
  fromRowid: number
  toRowid: number
}

/** the rowid ranges of a table not indexed yet */
export function backlog(db: Sqlite, table: SearchTable): Range[] {
  return prepared(db, 'SELECT fromRowid, toRowid FROM search_backlog WHERE tableName = ?').all(table) as Range[]
}

const searchTables = new Set<string>(['members', 'patrols', 'mediation_cases', 'aftercare_people', 'aftercare_visits', 'hazards'])

/** The largest rowid of a table (0 when empty): a bulk load's rows are those above it. */
export function maxRowid(db: Sqlite, table: string): number {
  return (db.prepare(`SELECT coalesce(max(rowid), 0) AS n FROM "${table}"`).get() as { n: number }).n
}

/**
 * Holds back a table's search trigger for a bulk insert, inside the caller's transaction. The
 * returned function puts the trigger back and the rows added meanwhile (rowids above those before)
 * on the backlog. Only inserts: the update and delete triggers stay. If the caller's transaction (or
 * savepoint) rolls back instead, the trigger comes back with everything else.
 */
export function pauseSearchTrigger(db: Sqlite, table: string): () => void {
  if (!searchTables.has(table)) return () => undefined
  if (!db.inTransaction) throw new Error('pauseSearchTrigger needs a transaction')
  // one trigger keeps both indexes (migration 011)
  const name = `${table}_search_insert`
  const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string | undefined
  if (!trigger) return () => undefined
  const before = maxRowid(db, table)
  db.exec(`DROP TRIGGER "${name}"`)
  return () => {
    db.exec(trigger)
    const after = maxRowid(db, table)
    if (after > before) db.prepare('INSERT INTO search_backlog (tableName, fromRowid, toRowid) VALUES (?, ?, ?)').run(table, before + 1, after)
  }
}

/** Every register's search trigger held back (demo data, benches): the returned function puts them back. */
export function pauseSearchTriggers(db: Sqlite): () => void {
  const resumes = [...searchTables].map((t) => pauseSearchTrigger(db, t))
  return () => resumes.forEach((resume) => resume())
}

/** fn, a bulk insert into table, run with the table's search trigger held back (pauseSearchTrigger). */
export function withoutSearchTrigger<T>(db: Sqlite, table: string, fn: () => T): T {
  const resume = pauseSearchTrigger(db, table)
  const out = fn()
  resume()
  return out
}

/** Rows indexed per step: a few tens of milliseconds, so the window keeps answering between steps. */
export const INDEX_STEP = 2000

/**
 * Indexes up to `rows` rows of the backlog (all of it by default), in steps of INDEX_STEP, each its own
 * transaction (or savepoint). Returns the rows left.
 */
export function indexSearchBacklog(db: Sqlite, rows = Infinity): number {
  let done = 0
  for (;;) {
    const r = prepared(db, 'SELECT rowid, tableName, fromRowid, toRowid FROM search_backlog ORDER BY rowid LIMIT 1').get() as
      | (Range & { rowid: number; tableName: string })
      | undefined
    if (!r || done >= rows) break
    if (!searchTables.has(r.tableName)) {
      prepared(db, 'DELETE FROM search_backlog WHERE rowid = ?').run(r.rowid)
      continue
    }
    const to = Math.min(r.toRowid, r.fromRowid + INDEX_STEP - 1)
    db.transaction(() => {
      for (const index of [`${r.tableName}_search`, `${r.tableName}_pairs`]) {
        // a row updated since the load was indexed by the update trigger: index it once. The rows an
        // index holds are those of its docsize table; FTS5 answers a rowid range itself by reading all
        // of them (92 ms a step at 1,000,000 patrols, where this takes a fraction of one)
        prepared(db, `DELETE FROM "${index}" WHERE rowid IN (SELECT id FROM "${index}_docsize" WHERE id BETWEEN ? AND ?)`).run(r.fromRowid, to)
        prepared(db, `INSERT INTO "${index}" (rowid, body) SELECT rid, body FROM "${index}_source" WHERE rid BETWEEN ? AND ?`).run(r.fromRowid, to)
      }
      if (to >= r.toRowid) prepared(db, 'DELETE FROM search_backlog WHERE rowid = ?').run(r.rowid)
      else prepared(db, 'UPDATE search_backlog SET fromRowid = ? WHERE rowid = ?').run(to + 1, r.rowid)
    })()
    done += to - r.fromRowid + 1
  }
  return (prepared(db, 'SELECT coalesce(sum(toRowid - fromRowid + 1), 0) AS n FROM search_backlog').get() as { n: number }).n
}

/** Pages of an index merged per step: 20–60 ms at 1,000,000 patrols. */
export const MERGE_STEP = 200

/**
 * Merges the indexes of `tables` into one segment each, up to `steps` steps of MERGE_STEP pages that
 * did work (FTS5's incremental optimize). Returns true when nothing is left to merge.
 *
 * Why: a load indexed in steps leaves an index of many segments, and a later change of one of its rows
 * then cost ~0.75 ms in the pair index: a county's merge of a township's 1,000 changed patrols took
 * 1.1 s instead of 0.3 s, until the indexes were merged (1.4 s of steps for 1,000,000 patrols).
 */
export function mergeSearchIndexes(db: Sqlite, tables: Iterable<string>, steps = Infinity): boolean {
  let done = 0
  for (const table of tables) {
    if (!searchTables.has(table)) continue
    for (const index of [`${table}_search`, `${table}_pairs`]) {
      for (;;) {
        if (done >= steps) return false
        const before = prepared(db, 'SELECT total_changes() AS n').get() as { n: number }
        // a negative number of pages: merge whatever segments there are, not only full levels
        prepared(db, `INSERT INTO "${index}" ("${index}", rank) VALUES ('merge', ?)`).run(-MERGE_STEP)
        // FTS5 says it did no work by changing fewer than two rows (a merged index costs a look only)
        if ((prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n - before.n < 2) break
        done++
      }
    }
  }
  return true
}

const running = new WeakMap<Sqlite, Promise<void>>()

/**
 * Indexes the backlog in the background, one step per turn of the event loop, on this connection,
 * then merges the indexes it wrote (mergeSearchIndexes). For a process that holds the writer lock (it
 * writes). Resolves when that is done or the connection closed; one run per connection at a time.
 */
export function scheduleSearchIndex(db: Sqlite): Promise<void> {
  const already = running.get(db)
  if (already) return already
  const run = (async () => {
    const tables = new Set<string>()
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
    try {
      for (;;) {
        await turn()
        if (!db.open || db.readonly) return
        for (const r of backlogTables(db)) tables.add(r)
        if (indexSearchBacklog(db, INDEX_STEP) === 0) break
      }
      for (;;) {
        await turn()
        if (!db.open || db.readonly) return
        if (mergeSearchIndexes(db, tables, 1)) return
      }
    } catch (e) {
      // the index catches up at the next bulk load; the search scans what is not indexed meanwhile
      if (!process.env.PINGAN_QUIET) process.stderr.write(`search index: ${e instanceof Error ? e.message : 'failed'}\n`)
    } finally {
      running.delete(db)
    }
  })()
  running.set(db, run)
  return run
}

function backlogTables(db: Sqlite): string[] {
  return prepared(db, 'SELECT DISTINCT tableName FROM search_backlog').pluck().all() as string[]
}
