import type { Sqlite } from '../db/connection'
import { recordTableLabels, recordTables } from '../db/tables'

/**
 * The tables a package carries, read from the database itself so a register added later travels
 * without a change here: every record table (in `recordTables` order, so references come first),
 * other tables with the record columns that a capability registers below, and the audit trail
 * (append-only, merged by id).
 */
export interface TravelTable {
  name: string
  label: string
  /** record: newest updatedAt wins, tombstones travel; append: insert if the id is new */
  mode: 'record' | 'append'
  columns: string[]
  /** the column compared for incremental export */
  stamp: 'updatedAt' | 'at'
}

/** Tables outside `recordTables` that travel when they exist (checklist entries and the like). */
const EXTRA_RECORD_TABLES: Record<string, string> = {
  checklist_entries: '创建标准自查',
  families: '平安家庭',
}

const RECORD_COLUMNS = ['id', 'createdAt', 'updatedAt', 'deletedAt', 'township']

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad identifier ${name}`)
  return `"${name}"`
}

export function tableColumns(db: Sqlite, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as { name: string }[]).map((c) => c.name)
}

export function travelTables(db: Sqlite): TravelTable[] {
  const existing = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name))
  const out: TravelTable[] = []
  const seen = new Set<string>()
  const labels = recordTableLabels as Record<string, string>
  const add = (name: string, label: string) => {
    if (seen.has(name) || !existing.has(name)) return
    const columns = tableColumns(db, name)
    if (!RECORD_COLUMNS.every((c) => columns.includes(c))) return
    seen.add(name)
    out.push({ name, label, mode: 'record', columns, stamp: 'updatedAt' })
  }
  for (const name of recordTables) add(name, labels[name] ?? name)
  for (const [name, label] of Object.entries(EXTRA_RECORD_TABLES)) add(name, labels[name] ?? label)
  if (existing.has('audit')) {
    const columns = tableColumns(db, 'audit')
    if (['id', 'at', 'township'].every((c) => columns.includes(c))) out.push({ name: 'audit', label: '操作记录', mode: 'append', columns, stamp: 'at' })
  }
  return out
}

export function labelOf(db: Sqlite, table: string): string {
  return travelTables(db).find((t) => t.name === table)?.label ?? table
}
