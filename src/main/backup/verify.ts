import { openSqlite } from '../db/sqlite'
import { SCHEMA_VERSION } from '../db/migrations'
import { recordTables } from '../db/tables'
import type { Sqlite } from '../db/connection'

/** What a checked copy holds: its data version and row counts (registers: live rows; audit: all rows). */
export interface Verified {
  schemaVersion: number
  counts: Record<string, number>
  records: number
}

export class VerifyError extends Error {}

export function countRows(db: Sqlite): Pick<Verified, 'counts' | 'records'> {
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name))
  const counts: Record<string, number> = {}
  let records = 0
  for (const t of recordTables) {
    if (!tables.has(t)) continue
    const n = (db.prepare(`SELECT count(*) AS n FROM "${t}" WHERE deletedAt IS NULL`).get() as { n: number }).n
    counts[t] = n
    records += n
  }
  if (tables.has('audit')) counts.audit = (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n
  return { counts, records }
}

/**
 * Opens a copy read-only and checks it as the start-up check would: it is an SQLite file, passes
 * integrity_check, is a 平安台账 database, and is not from a newer version. Never writes to it.
 */
export function verifyFile(file: string): Verified {
  let db: Sqlite
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new VerifyError(`文件无法打开（${e instanceof Error ? e.message : String(e)}）`)
  }
  try {
    const check = db.pragma('integrity_check', { simple: true }) as string
    if (check !== 'ok') throw new VerifyError(`完整性检查未通过（${String(check).slice(0, 200)}）`)
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    const isOurs = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'township'").get()
    if (!isOurs) throw new VerifyError('这不是平安台账的数据库')
    if (schemaVersion > SCHEMA_VERSION)
      throw new VerifyError(`这个文件由更新版本的平安台账写入（数据版本 ${schemaVersion}，本程序支持到 ${SCHEMA_VERSION}）`)
    return { schemaVersion, ...countRows(db) }
  } catch (e) {
    if (e instanceof VerifyError) throw e
    throw new VerifyError(`文件已损坏或不是数据库（${e instanceof Error ? e.message : String(e)}）`)
  } finally {
    db.close()
  }
}

/**
 * A copy made with the backup API keeps the live file's WAL mode; switch it to a plain rollback
 * journal so the copy is one self-contained file (for a USB stick, and so that reading it leaves no
 * -wal/-shm files behind).
 */
export function makeSelfContained(file: string): void {
  const db = openSqlite(file, { fileMustExist: true })
  try {
    db.pragma('journal_mode = DELETE')
  } finally {
    db.close()
  }
}
