import type { TableCounts } from '../../shared/handoff/schema'
import type { Ctx } from '../context'
import { PackageError, refusals } from './format'
import { alienRows } from './rows'
import { quoteIdent, type TravelTable } from './travel'

/**
 * Merging one table's rows from a package into the county database (DESIGN §6), done by SQLite:
 * each run of rows arrives as one JSON array and is read with jsonb_each, so a million rows never
 * become JavaScript values (decoding them in JavaScript cost more than SQLite's inserts).
 *
 * Rule per row: insert if absent; replace only when the incoming updatedAt is newer, so a tombstone is
 * never undone by an older copy and the township's own timestamps are kept. A row must be an array of
 * the header's columns with a non-empty id and the package's township; NOT NULL, CHECK and foreign
 * keys are the table's own.
 */
export interface Merge {
  rows: (json: Buffer, count: number) => void
  /** after the table's indexes are back: counts what was not counted run by run */
  finish: () => void
}

const damaged = () => new PackageError('invalid_input', refusals.DAMAGED)

function sqliteRefusal(e: unknown, label: string): never {
  const code = (e as { code?: string }).code ?? ''
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    throw new PackageError(
      'conflict',
      `「${label}」中有记录引用了县里还没有的记录（如所属村、成员），可能缺少之前的数据包。请先导入缺少的数据包，或让乡镇报送一次全量数据包`,
    )
  if (code.startsWith('SQLITE_CONSTRAINT')) throw new PackageError('invalid_input', `「${label}」中有不符合本程序数据规则的记录，数据包可能已损坏，不能导入`)
  // jsonb_each on text that is not JSON
  if (e instanceof Error && /JSON/.test(e.message)) throw damaged()
  throw e
}

interface Survey {
  n: number
  bad: number
  alien: number
  clash: number
  clashTownship: string | null
  added: number
  addedDeleted: number
  changed: number
  deleted: number
  unchanged: number
}

/**
 * fresh: the county holds nothing of this township in this table. Every row has passed the import's
 * checks of its shape, id and township (the reader's worker or rows.ts, with the package's township)
 * before it reaches SQLite: a fresh table's rows are inserted as they are, nothing asked twice.
 */
export function merger(ctx: Ctx, t: TravelTable, columns: string[], township: string, c: TableCounts, fresh: boolean): Merge {
  const q = quoteIdent(t.name)
  const at = (name: string) => columns.indexOf(name)
  const source = 'jsonb_each(CAST(@json AS TEXT))'
  // a value of another JSON type in a text column is stored as text (column affinity), as SQLite would
  // from any writer; what must hold is the shape, a non-empty id and the township: checked before, and
  // again by a run that is not fresh, which is surveyed and writes only the rows where it holds
  const ok = `coalesce(json_array_length(value) = ${columns.length} AND value->>${at('id')} <> '', 0)`
  const tw = `value->>${at('township')}`
  const insert = `INSERT INTO ${q} (${columns.map(quoteIdent).join(', ')})
    SELECT ${columns.map((_, i) => `value->>${i}`).join(', ')} FROM ${source}`
  // a fresh run takes every element or fails (an id another township holds is a constraint error,
  // looked at below), so its changes equal its elements and can be compared with its lines
  const upsert =
    t.mode === 'append'
      ? `${insert} WHERE ${ok} AND ${tw} = @township ON CONFLICT(id) DO NOTHING`
      : `${insert} WHERE ${ok} AND ${tw} = @township ON CONFLICT(id) DO UPDATE SET ${columns
          .filter((x) => x !== 'id')
          .map((x) => `${quoteIdent(x)} = excluded.${quoteIdent(x)}`)
          .join(', ')}
         WHERE excluded.updatedAt > ${q}.updatedAt AND excluded.township = ${q}.township`
  const write = ctx.db.prepare(fresh ? insert : upsert)
  // what a run would do, row by row, against what the county holds (the whole run is checked before any row is written)
  const survey = ctx.db.prepare(
    t.mode === 'append'
      ? `SELECT count(*) AS n, count(*) FILTER (WHERE NOT ${ok}) AS bad, count(*) FILTER (WHERE ${tw} IS NOT @township) AS alien,
           0 AS clash, NULL AS clashTownship, 0 AS added, 0 AS addedDeleted, 0 AS changed, 0 AS deleted, 0 AS unchanged
         FROM ${source}`
      : `SELECT count(*) AS n,
           count(*) FILTER (WHERE NOT j.ok) AS bad,
           count(*) FILTER (WHERE j.ok AND j.tw IS NOT @township) AS alien,
           count(*) FILTER (WHERE j.ok AND o.township <> @township) AS clash,
           max(o.township) FILTER (WHERE j.ok AND o.township <> @township) AS clashTownship,
           count(*) FILTER (WHERE j.ok AND o.id IS NULL AND j.del IS NULL) AS added,
           count(*) FILTER (WHERE j.ok AND o.id IS NULL AND j.del IS NOT NULL) AS addedDeleted,
           count(*) FILTER (WHERE j.ok AND j.up > o.updatedAt AND NOT (j.del IS NOT NULL AND o.deletedAt IS NULL)) AS changed,
           count(*) FILTER (WHERE j.ok AND j.up > o.updatedAt AND j.del IS NOT NULL AND o.deletedAt IS NULL) AS deleted,
           count(*) FILTER (WHERE j.ok AND j.up <= o.updatedAt) AS unchanged
         FROM (SELECT ${ok} AS ok, ${tw} AS tw, value->>${at('id')} AS id, value->>${at('updatedAt')} AS up, value->>${at('deletedAt')} AS del
               FROM ${source}) j
         LEFT JOIN ${q} o ON o.id = j.id`,
  )
  const look = (json: Buffer, count: number): Survey => {
    let s: Survey
    try {
      s = survey.get({ json, township }) as Survey
    } catch (e) {
      sqliteRefusal(e, t.label)
    }
    if (s.n !== count || s.bad) throw damaged()
    if (s.alien) throw new PackageError('invalid_input', alienRows(township))
    if (s.clash) throw new PackageError('conflict', `「${t.label}」中有记录的编号与${s.clashTownship}的记录相同，文件已被改动或来源不明，不能导入`)
    return s
  }
  const run = (json: Buffer): number => {
    try {
      return write.run({ json, township }).changes
    } catch (e) {
      sqliteRefusal(e, t.label)
    }
  }
  if (fresh)
    // the county holds nothing of this township in this table: every row is inserted, and only a run
    // where that is not so is looked at (for the reason); new and deleted are counted at the end
    return {
      finish: () => {
        const r = ctx.db.prepare(`SELECT count(*) AS n, count(deletedAt) AS d FROM ${q} WHERE township = ?`).get(township) as { n: number; d: number }
        c.deleted += r.d
        c.new += r.n - r.d
      },
      rows: (json, count) => {
        let changes: number
        try {
          changes = write.run({ json }).changes
        } catch (e) {
          look(json, count)
          sqliteRefusal(e, t.label)
        }
        if (changes !== count) {
          look(json, count)
          throw damaged() // two rows on one line
        }
        c.rows += count
      },
    }
  const rows = (json: Buffer, count: number): void => {
    const s = look(json, count)
    c.rows += count
    if (t.mode === 'append') {
      const changes = run(json)
      c.new += changes
      c.unchanged += count - changes
      return
    }
    // a run the county already holds entirely (most of a full package sent again) is not written
    if (s.added + s.addedDeleted + s.changed + s.deleted > 0) run(json)
    c.new += s.added
    c.deleted += s.addedDeleted + s.deleted
    c.changed += s.changed
    c.unchanged += s.unchanged
  }
  return { rows, finish: () => undefined }
}
