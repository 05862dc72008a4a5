import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase, queryBuilder } from './db/connection'
import { createDispatcher, type Invoke } from './api/dispatcher'
import { localToday, makeClock, type Ctx } from './context'

export interface App {
  ctx: Ctx
  invoke: Invoke
  close: () => void
}

export const DB_FILE = 'pingan.db'

/** Opens (creating if needed) the data folder's database and builds the dispatcher over it. */
export function openApp(dataDir: string): App {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const db = openDatabase(join(dir, DB_FILE))
  const ctx: Ctx = { db, k: queryBuilder(), dataDir: dir, now: makeClock(), today: localToday }
  // ctx.db, not db: a restore swaps the connection (backup/restore.ts)
  return { ctx, invoke: createDispatcher(ctx), close: () => ctx.db.close() }
}

/** --data-dir DIR, else PINGAN_DATA_DIR, else ./data */
export function dataDirFrom(argv: string[]): string {
  const i = argv.indexOf('--data-dir')
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!
  return process.env.PINGAN_DATA_DIR || 'data'
}
