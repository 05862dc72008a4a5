import { migrations } from '../db/migrations'
import { openSqlite, type Sqlite } from '../db/sqlite'

/**
 * Is a database file structurally the program's own? A file brought in by a restore replaces the live
 * database, so anything the program did not create itself must not come with it: a trigger that
 * deletes audit rows would switch the audit trail off silently, a view or an index could change what
 * queries see or cost. The reference is built by applying the program's own migrations, up to the
 * file's version, to a database in memory; sqlite_master is then compared both ways (type, name,
 * table, SQL with whitespace normalised). Statistics tables (sqlite_stat*, written by ANALYZE) only
 * steer the query planner and are not compared.
 */
interface SchemaRow {
  type: string
  name: string
  tbl_name: string
  sql: string | null
}

interface Reference {
  rows: Map<string, SchemaRow>
  columns: Map<string, string[]>
}

const typeLabels: Record<string, string> = { table: '表', index: '索引', view: '视图', trigger: '触发器' }
const MAX_NAMED = 5

const key = (r: Pick<SchemaRow, 'type' | 'name'>) => `${r.type}\u0000${r.name}`
const normalise = (sql: string | null) => (sql === null ? null : sql.replace(/\s+/g, ' ').trim())
/** names come from a foreign file: shown shortened, never trusted */
const shown = (name: string) => (name.length > 60 ? `${name.slice(0, 60)}…` : name)

function readSchema(db: Sqlite): Map<string, SchemaRow> {
  const rows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'").all() as SchemaRow[]
  return new Map(rows.map((r) => [key(r), r]))
}

function columnsOf(db: Sqlite, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_xinfo(?)').all(table) as { name: string }[]).map((c) => c.name)
}

const references = new Map<number, Reference>()

/** The schema the program's migrations 1..version produce (built once per version). */
function reference(version: number): Reference {
  const cached = references.get(version)
  if (cached) return cached
  const db = openSqlite(':memory:')
  try {
    db.transaction(() => {
      for (let v = 0; v < version; v++) migrations[v]!(db)
    })()
    const rows = readSchema(db)
    const columns = new Map<string, string[]>()
    for (const r of rows.values()) if (r.type === 'table') columns.set(r.name, columnsOf(db, r.name))
    const ref = { rows, columns }
    references.set(version, ref)
    return ref
  } finally {
    db.close()
  }
}

/** What differs for one table whose definition is not the reference's: its columns, if they say it. */
function tableDifference(db: Sqlite, name: string, expected: string[]): string[] {
  let actual: string[]
  try {
    actual = columnsOf(db, name)
  } catch {
    return [`表 ${shown(name)} 的定义不同`]
  }
  const extra = actual.filter((c) => !expected.includes(c)).map((c) => `多出列 ${shown(name)}.${shown(c)}`)
  const missing = expected.filter((c) => !actual.includes(c)).map((c) => `缺少列 ${shown(name)}.${shown(c)}`)
  return extra.length || missing.length ? [...extra, ...missing] : [`表 ${shown(name)} 的定义不同`]
}

/**
 * Differences between an open database (of the given version, not newer than the program's) and the
 * program's own schema for that version, in Chinese ("多出触发器 x", "缺少索引 y", "多出列 t.c"); empty
 * when the file is genuine.
 */
export function schemaDifferences(db: Sqlite, version: number): string[] {
  const ref = reference(version)
  const actual = readSchema(db)
  const out: string[] = []
  for (const [k, r] of actual) {
    const label = typeLabels[r.type] ?? r.type
    const expected = ref.rows.get(k)
    if (!expected) out.push(`多出${label} ${shown(r.name)}`)
    else if (expected.tbl_name !== r.tbl_name || normalise(expected.sql) !== normalise(r.sql))
      out.push(...(r.type === 'table' ? tableDifference(db, r.name, ref.columns.get(r.name) ?? []) : [`${label} ${shown(r.name)} 的定义不同`]))
  }
  for (const [k, r] of ref.rows) if (!actual.has(k)) out.push(`缺少${typeLabels[r.type] ?? r.type} ${r.name}`)
  return out
}

/** The differences as one clause for a message: "（多出触发器 x；缺少索引 y 等 7 处）". */
export function describeDifferences(diffs: readonly string[]): string {
  const named = diffs.slice(0, MAX_NAMED).join('；')
  return diffs.length > MAX_NAMED ? `${named} 等 ${diffs.length} 处` : named
}
