import { ApiError } from '../../shared/errors'
import type { Cell } from '../../shared/excel/cells'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import type { Sqlite } from '../db/sqlite'
import { maxRowid, withoutSearchTrigger } from '../db/search'
import type { RegisterDef } from './registers'
import type { SheetRow } from './reader'

/**
 * The rows of an Excel import that passed every check, held in a temporary table of the import's own
 * connection until the commit writes them all in one statement. The temporary database spills to a
 * temporary file with a small page cache, so memory does not grow with the sheet; writing to it never
 * takes the database's write lock. Each row keeps its sheet cells, so a row the commit finds invalid
 * after all (the register changed while the file was read) is reported like any other.
 */
const META = ['_row', '_id', '_cells']

/** Cells as JSON, dates kept as dates (a row without dates, most of them, is not copied first). */
function encodeCells(cells: Cell[]): string {
  for (const c of cells) if (c instanceof Date) return JSON.stringify(cells.map((x) => (x instanceof Date ? { d: x.getTime() } : x)))
  return JSON.stringify(cells)
}

/** Staged rows written per INSERT: one statement per row cost more than the row itself. */
const BATCH = 64

export function decodeCells(json: string): Cell[] {
  return (JSON.parse(json) as (Exclude<Cell, Date> | { d: number })[]).map((c) => (c !== null && typeof c === 'object' ? new Date(c.d) : c))
}

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad column ${name}`)
  return `"${name}"`
}

export interface StagedRow {
  seq: number
  /** its sheet row, as read */
  row: SheetRow
}

export class Stage {
  private columns: string[] | null = null
  private insertOne: ((args: unknown[]) => void) | null = null
  private insertMany: ((args: unknown[]) => void) | null = null
  /** the arguments of rows added but not yet inserted (fewer than BATCH rows) */
  private pending: unknown[] = []
  private pendingRows = 0
  count = 0

  constructor(
    private readonly db: Sqlite,
    private readonly def: RegisterDef,
  ) {
    db.exec('DROP TABLE IF EXISTS temp.import_stage')
  }

  /** the table's own columns, less those every record carries and the writer sets */
  private tableColumns(): Set<string> {
    const all = this.db.prepare(`PRAGMA main.table_info(${quote(this.def.table)})`).all() as { name: string }[]
    return new Set(all.map((c) => c.name).filter((c) => !['id', 'createdAt', 'updatedAt', 'deletedAt', 'township'].includes(c)))
  }

  /** the temporary table, shaped by the first row: the columns its register's row function returns */
  private open(values: Record<string, unknown>): void {
    const known = this.tableColumns()
    const columns = Object.keys(values)
    for (const c of columns) if (!known.has(c)) throw new Error(`${this.def.table} has no column ${c}`)
    this.db.exec(
      `CREATE TEMP TABLE import_stage (_seq INTEGER PRIMARY KEY, _ok INTEGER NOT NULL DEFAULT 1, ${[...META, ...columns].map(quote).join(', ')})`,
    )
    const head = `INSERT INTO temp.import_stage (${[...META, ...columns].map(quote).join(', ')}) VALUES `
    const tuple = `(${[...META, ...columns].map(() => '?').join(', ')})`
    const one = this.db.prepare(head + tuple)
    const many = this.db.prepare(head + Array.from({ length: BATCH }, () => tuple).join(', '))
    this.columns = columns
    this.insertOne = (args) => void one.run(args)
    this.insertMany = (args) => void many.run(args)
  }

  /** Inserts the rows still held; every other use of the table calls it first. */
  flush(): void {
    if (this.pendingRows === 0) return
    const width = META.length + this.columns!.length
    const args = this.pending
    this.pending = []
    if (this.pendingRows === BATCH) this.insertMany!(args)
    else for (let i = 0; i < args.length; i += width) this.insertOne!(args.slice(i, i + width))
    this.pendingRows = 0
  }

  add(r: SheetRow, values: Record<string, unknown>): void {
    if (!this.columns) this.open(values)
    const cols = this.columns!
    // a register's row function returns the same fields every time; a new one would be lost
    if (Object.keys(values).length > cols.length) throw new Error(`${this.def.table}: a row with more fields than the first`)
    const args = this.pending
    args.push(r.row, uuidv7(), encodeCells(r.cells))
    for (const c of cols) args.push(toSql(values[c]))
    this.count++
    if (++this.pendingRows === BATCH) this.flush()
  }

  /** staged rows that hold one of these ids in a reference field, or one of these values in `keyColumn` */
  suspects(changedIds: string[], keyColumn: string | null, keys: string[]): StagedRow[] {
    const cols = this.columns
    if (!cols || (changedIds.length === 0 && keys.length === 0)) return []
    this.flush()
    const any: string[] = []
    for (const r of this.def.refs)
      if (cols.includes(r.field))
        any.push(
          r.many
            ? `EXISTS (SELECT 1 FROM json_each(s.${quote(r.field)}) j WHERE j.value IN (SELECT value FROM json_each(@ids)))`
            : `s.${quote(r.field)} IN (SELECT value FROM json_each(@ids))`,
        )
    if (keyColumn && cols.includes(keyColumn)) any.push(`s.${quote(keyColumn)} IN (SELECT value FROM json_each(@keys))`)
    if (any.length === 0) return []
    const rows = this.db
      .prepare(`SELECT _seq, _row, _cells FROM temp.import_stage s WHERE _ok = 1 AND (${any.join(' OR ')}) ORDER BY _seq`)
      .all({ ids: JSON.stringify(changedIds), keys: JSON.stringify(keys) }) as Record<string, unknown>[]
    return rows.map((s) => ({ seq: s._seq as number, row: { row: s._row as number, cells: decodeCells(s._cells as string) } }))
  }

  /** a staged row found invalid at the commit */
  drop(seq: number): void {
    this.flush()
    this.db.prepare('UPDATE temp.import_stage SET _ok = 0 WHERE _seq = ?').run(seq)
    this.count--
  }

  /** a staged row re-checked at the commit, with the values its row function gives now */
  replace(seq: number, values: Record<string, unknown>): void {
    this.flush()
    const cols = this.columns!
    this.db.prepare(`UPDATE temp.import_stage SET ${cols.map((c) => `${quote(c)} = ?`).join(', ')} WHERE _seq = ?`).run(...cols.map((c) => toSql(values[c])), seq)
  }

  /**
   * Writes the staged rows into the register and the batch's list, inside the caller's transaction.
   * Values the writer draws (a case's number) are drawn first, in sheet order.
   */
  write(ctx: Ctx, opts: { batchId: string; township: string; now: string }): number {
    if (!this.columns || this.count === 0) return 0
    this.flush()
    const db = this.db
    const draw = this.def.draw
    if (draw && this.columns.includes(draw.column)) {
      const col = quote(draw.column)
      const taken = db.prepare(`SELECT 1 FROM temp.import_stage WHERE ${col} = ?`)
      const set = db.prepare(`UPDATE temp.import_stage SET ${col} = ? WHERE _seq = ?`)
      const pending = db.prepare(`SELECT * FROM temp.import_stage WHERE _ok = 1 AND ${col} IS NULL ORDER BY _seq`).all() as Record<string, unknown>[]
      for (const s of pending) set.run(draw.next(ctx, s, (v) => !!taken.get(v)), s._seq)
    }
    const cols = this.columns.map(quote)
    const table = quote(this.def.table)
    const before = maxRowid(db, this.def.table)
    let written = 0
    try {
      written = withoutSearchTrigger(db, this.def.table, () =>
        withIndexesRebuilt(db, this.def.table, this.count, () =>
          db
            .prepare(
              `INSERT INTO main.${table} (id, createdAt, updatedAt, deletedAt, township, ${cols.join(', ')})
               SELECT _id, @now, @now, NULL, @township, ${cols.join(', ')} FROM temp.import_stage WHERE _ok = 1 ORDER BY _seq`,
            )
            .run({ now: opts.now, township: opts.township }).changes,
        ),
      )
    } catch (e) {
      // a rule the checks above could not see in time (a record written meanwhile by another program)
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT'))
        throw new ApiError('conflict', '导入过程中台账被修改，与表格中的行发生冲突。本次导入未写入任何数据，请重新导入', 'file')
      throw e
    }
    // one statement: the rows took the rowids after those before; the batch keeps that range (undo
    // reads it). Should they not be consecutive (a table at SQLite's largest rowid), the batch lists them.
    const after = maxRowid(db, this.def.table)
    if (after - before === written) db.prepare('UPDATE main.import_batches SET fromRowid = ?, toRowid = ? WHERE id = ?').run(before + 1, after, opts.batchId)
    else
      db.prepare('INSERT INTO main.import_batch_records (batchId, tableName, recordId) SELECT ?, ?, _id FROM temp.import_stage WHERE _ok = 1 ORDER BY _seq').run(
        opts.batchId,
        this.def.table,
      )
    return written
  }

  close(): void {
    if (this.db.open) this.db.exec('DROP TABLE IF EXISTS temp.import_stage')
  }
}

/** From this many rows an import into a table holding no more than that rebuilds the table's indexes. */
export const REBUILD_ROWS = 10_000

/**
 * fn, a large insert into table, with the table's non-unique indexes dropped before and built again
 * after, inside the caller's transaction: one sort per index instead of a random insert per row, and
 * packed pages. For 100,000 members into an empty register this halved the commit (the window waits
 * for it). Unique indexes stay: they are checks. A rollback brings the indexes back with the rest.
 */
function withIndexesRebuilt<T>(db: Sqlite, table: string, rows: number, fn: () => T): T {
  if (rows < REBUILD_ROWS) return fn()
  const held = (db.prepare(`SELECT count(*) AS n FROM main.${quote(table)}`).get() as { n: number }).n
  if (rows < held) return fn()
  const list = db.prepare(`PRAGMA main.index_list(${quote(table)})`).all() as { name: string; unique: number; origin: string }[]
  const rebuilt: string[] = []
  for (const ix of list) {
    if (ix.unique || ix.origin !== 'c') continue
    const ddl = db.prepare("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND name = ?").pluck().get(ix.name) as string | null
    if (!ddl) continue
    db.exec(`DROP INDEX main.${quote(ix.name)}`)
    rebuilt.push(ddl)
  }
  const out = fn()
  for (const ddl of rebuilt) db.exec(ddl)
  return out
}

/** better-sqlite3 binds numbers, strings, null and bigints; booleans as 0/1 as SQLite stores them */
function toSql(v: unknown): unknown {
  if (v === undefined) return null
  if (typeof v === 'boolean') return v ? 1 : 0
  return v
}
