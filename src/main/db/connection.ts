import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { Kysely, DummyDriver, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { DB } from './types'
import { migrations, SCHEMA_VERSION } from './migrations'
import { openSqlite, type Sqlite } from './sqlite'
import { checkInWorker, type CheckPragma } from './checkWorker'
import { classifyOpenError, DbOpenError, type DbOpenProblem } from './openError'
import { dropNewEmptySidecars, sidecarsOf } from './sidecars'

export type { Sqlite, DbOpenProblem }
export { DbOpenError }

/**
 * Kysely builds the SQL; better-sqlite3 runs it synchronously (see query.ts), so a transaction is
 * one plain function and a crash can never leave half of it behind.
 */
export function queryBuilder(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
}

/**
 * A crash during a bulk load (run with a rollback journal, db/bulk.ts) leaves a hot journal, which a
 * read-only connection may not roll back (SQLITE_READONLY_ROLLBACK). Any read on a writable connection
 * rolls it back, restoring the last committed state, as any version of SQLite would on opening.
 */
function rollBackHotJournal(file: string): void {
  if (!existsSync(file + '-journal')) return
  try {
    const db = openSqlite(file, { fileMustExist: true })
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get()
    } finally {
      db.close()
    }
  } catch {
    // inspect() says what is wrong with the file
  }
}

const newerMessage = (version: number) =>
  `这个数据库由更新版本的平安台账写入（数据版本 ${version}，本程序支持到 ${SCHEMA_VERSION}），请升级程序后再打开。数据库未作任何改动。`

/** user_version as the file's header says (bytes 60–63), read before SQLite may roll anything back. */
function headerVersion(file: string): number | null {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(100)
    if (readSync(fd, head, 0, 100, 0) < 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null
    return head.readUInt32BE(60)
  } finally {
    closeSync(fd)
  }
}

/** What to check before opening: the full integrity_check (CLI, tests) or nothing (checked already, see checkDatabaseFile). */
export type OpenCheck = 'integrity' | 'none'

/**
 * Reads version (and integrity) without writing a byte, so a refused file is left exactly as it was.
 * Every failure is told apart (openError.ts): only a damaged file is called 'corrupt'.
 */
function inspect(file: string, check: OpenCheck): void {
  let header: number | null = null
  try {
    header = headerVersion(file)
  } catch {
    // unreadable: the open below says why
  }
  if (header !== null && header > SCHEMA_VERSION) throw new DbOpenError('newer', newerMessage(header))
  rollBackHotJournal(file)
  let ro: Sqlite
  try {
    ro = openSqlite(file, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw classifyOpenError(e, file)
  }
  try {
    const version = ro.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) throw new DbOpenError('newer', newerMessage(version))
    if (check === 'integrity') verdict(ro.pragma('integrity_check', { simple: true }) as string)
  } catch (e) {
    throw classifyOpenError(e, file)
  } finally {
    ro.close()
  }
}

/** SQLite's answer to integrity_check/quick_check: anything but 'ok' is damage. */
function verdict(answer: string): void {
  if (answer !== 'ok') throw new DbOpenError('corrupt', '数据库完整性检查未通过，文件可能已损坏', answer.slice(0, 2000))
}

/**
 * The checks of openDatabase with the slow part on a worker thread, so the window keeps answering
 * while a large database is read: the version (and a hot journal) here, then `pragma` over the whole
 * file on a worker. Afterwards openDatabase(file, { check: 'none' }) opens it. Throws DbOpenError.
 */
export async function checkDatabaseFile(file: string, pragma: CheckPragma = 'quick_check'): Promise<void> {
  if (!existsSync(file)) return
  const before = sidecarsOf(file)
  try {
    inspect(file, 'none')
    let answer: string
    try {
      answer = await checkInWorker(file, pragma)
    } catch (e) {
      throw classifyOpenError(e, file)
    }
    verdict(answer)
  } catch (e) {
    dropNewEmptySidecars(file, before)
    throw e
  }
}

/** Runs a read-only check; a refusal leaves the folder as it was found (sidecars.ts). */
function refusedAsFound(file: string, check: () => void): void {
  const before = sidecarsOf(file)
  try {
    check()
  } catch (e) {
    dropNewEmptySidecars(file, before)
    throw e
  }
}

export function migrate(db: Sqlite): void {
  const from = db.pragma('user_version', { simple: true }) as number
  if (from >= SCHEMA_VERSION) return
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) migrations[v]!(db)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
  }).immediate()
}

export function openDatabase(file: string, options: { check?: OpenCheck } = {}): Sqlite {
  if (existsSync(file)) refusedAsFound(file, () => inspect(file, options.check ?? 'integrity'))
  let db: Sqlite
  try {
    db = openSqlite(file)
  } catch (e) {
    throw classifyOpenError(e, file)
  }
  try {
    setUp(db)
    return db
  } catch (e) {
    // a full disk, a folder we may not write, another program's lock: said plainly, never 'corrupt'
    db.close()
    throw classifyOpenError(e, file)
  }
}

function setUp(db: Sqlite): void {
  // A new file gets 16 KiB pages (SQLite's default is 4 KiB; an existing file keeps its own): rows of
  // ~400 bytes and million-row registers. A county's import of a township's first 1,000,000 patrols
  // took 0.5-0.9 s less in five alternating runs each way (7.2-10.6 s against 7.7-11.5 s).
  db.pragma('page_size = 16384')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // registers of a million rows: keep hot pages in memory rather than a syscall per row
  db.pragma('cache_size = -131072')
  db.pragma('mmap_size = 268435456')
  migrate(db)
}
