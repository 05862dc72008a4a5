import { join, resolve } from 'node:path'
import { DB_FILE } from './db/files'
import { openDatabase, queryBuilder, type OpenCheck } from './db/connection'
import { acquireWriterLock, type WriterLock } from './db/lock'
import { privateDir } from './fs/private'
import { createDispatcher, type Invoke } from './api/dispatcher'
import { localToday, makeClock, noCall, type Ctx } from './context'

export interface App {
  ctx: Ctx
  invoke: Invoke
  close: () => void
}

export { DB_FILE }

export interface OpenAppOptions {
  /**
   * Take the data folder's writer lock (db/lock.ts) for as long as the app is open: every process that
   * may write does (a CLI command that writes; the long-running transports take it in openGuarded).
   * Refused with 'busy' while another program holds it, before the database is touched.
   */
  writer?: boolean
  /** 'none' when the caller has just checked the file off the main thread (recovery/guarded.ts startGuarded) */
  check?: OpenCheck
}

/** Opens (creating if needed) the data folder's database and builds the dispatcher over it. */
export function openApp(dataDir: string, options: OpenAppOptions = {}): App {
  const dir = resolve(dataDir)
  privateDir(dir)
  const lock: WriterLock | null = options.writer ? acquireWriterLock(dir) : null
  let db
  try {
    db = openDatabase(join(dir, DB_FILE), { check: options.check })
  } catch (e) {
    lock?.release()
    throw e
  }
  const ctx: Ctx = { db, k: queryBuilder(), dataDir: dir, now: makeClock(), today: localToday, call: noCall }
  // ctx.db, not db: a restore swaps the connection (backup/restore.ts)
  const close = () => {
    try {
      ctx.db.close()
    } finally {
      lock?.release()
    }
  }
  return { ctx, invoke: createDispatcher(ctx), close }
}

/** --data-dir DIR, else PINGAN_DATA_DIR, else ./data */
export function dataDirFrom(argv: string[]): string {
  const i = argv.indexOf('--data-dir')
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!
  return process.env.PINGAN_DATA_DIR || 'data'
}
