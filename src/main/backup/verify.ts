import { openSqlite } from '../db/sqlite'
import { SCHEMA_VERSION } from '../db/migrations'
import { recordTables } from '../db/tables'
import type { Sqlite } from '../db/connection'
import { checkInWorker } from '../db/checkWorker'
import { describeDifferences, schemaDifferences } from './genuine'
import { recordsOf, type CopyReport } from './copyWorker'

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

export interface VerifyOptions {
  /**
   * Also require exactly the program's own schema for the file's version (genuine.ts). On for anything
   * that may be restored; off for a fresh copy of the live database, which is kept whatever it holds.
   */
  genuine?: boolean
}

function openCopy(file: string): Sqlite {
  try {
    return openSqlite(file, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new VerifyError(`文件无法打开（${e instanceof Error ? e.message : String(e)}）`)
  }
}

const damaged = (e: unknown) =>
  e instanceof VerifyError ? e : new VerifyError(`文件已损坏或不是数据库（${e instanceof Error ? e.message : String(e)}）`)

/** Cheap checks first, so a file from a newer program or another program is named as such. */
function versionOf(db: Sqlite): number {
  const schemaVersion = db.pragma('user_version', { simple: true }) as number
  if (schemaVersion > SCHEMA_VERSION)
    throw new VerifyError(`这个文件由更新版本的平安台账写入（数据版本 ${schemaVersion}，本程序支持到 ${SCHEMA_VERSION}）`)
  const isOurs = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'township'").get()
  if (!isOurs) throw new VerifyError('这不是平安台账的数据库')
  return schemaVersion
}

function integrityPassed(check: string): void {
  if (check !== 'ok') throw new VerifyError(`完整性检查未通过（${String(check).slice(0, 200)}）`)
}

function checkGenuine(db: Sqlite, schemaVersion: number, options: VerifyOptions): void {
  if (options.genuine === false) return
  const diffs = schemaDifferences(db, schemaVersion)
  if (diffs.length) throw new VerifyError(`备份文件的结构与本程序不符（${describeDifferences(diffs)}），可能被其他软件改动过`)
}

function afterIntegrity(db: Sqlite, schemaVersion: number, options: VerifyOptions): Verified {
  checkGenuine(db, schemaVersion, options)
  return { schemaVersion, ...countRows(db) }
}

/**
 * Opens a copy read-only and checks it as the start-up check would: it is an SQLite file of this
 * program, not from a newer version, passes integrity_check, and (unless told otherwise) has exactly
 * the program's own schema. Never writes to it. Synchronous: the integrity_check takes seconds on a
 * large file, so the backup and restore paths check on a worker (copyWorker.ts, `verifyCopy`).
 */
export function verifyFile(file: string, options: VerifyOptions = {}): Verified {
  const db = openCopy(file)
  try {
    const schemaVersion = versionOf(db)
    integrityPassed(db.pragma('integrity_check', { simple: true }) as string)
    return afterIntegrity(db, schemaVersion, options)
  } catch (e) {
    throw damaged(e)
  } finally {
    db.close()
  }
}

/**
 * `verifyFile` with the integrity_check on a worker thread, so the window keeps answering meanwhile
 * (the asynchronous variant for checking a file in place, e.g. the newest backup at recovery).
 */
export async function verifyCopy(file: string, options: VerifyOptions = {}): Promise<Verified> {
  const db = openCopy(file)
  try {
    const schemaVersion = versionOf(db)
    integrityPassed(await checkInWorker(file, 'integrity_check'))
    return afterIntegrity(db, schemaVersion, options)
  } catch (e) {
    throw damaged(e)
  } finally {
    db.close()
  }
}

/**
 * The checks of `verifyFile` for a copy the copy worker (copyWorker.ts) has already checked and
 * counted: only the cheap parts (version, whose file it is, its schema) run here.
 */
export function verifyCopied(file: string, report: Pick<CopyReport, 'check' | 'counts'>, options: VerifyOptions = {}): Verified {
  const db = openCopy(file)
  try {
    const schemaVersion = versionOf(db)
    integrityPassed(report.check)
    checkGenuine(db, schemaVersion, options)
    return { schemaVersion, counts: report.counts, records: recordsOf(report.counts) }
  } catch (e) {
    throw damaged(e)
  } finally {
    db.close()
  }
}
