import Database from 'better-sqlite3'
import { ensurePrivateFile } from '../fs/private'
import { registerSearchFunctions } from './pairs'

export type Sqlite = Database.Database

/**
 * The one place that opens an SQLite connection (the live database, the read-only look at a newer
 * file, backup verification, restore, the Excel import's staging files, workers). It passes the native
 * build chosen for this runtime (see native.ts: Electron's ABI under Electron, the default under Node)
 * and creates new files private to the clerk's account (SQLite gives -wal/-shm/-journal the main
 * file's mode).
 */
let binding: string | undefined

/** Set once at start by the Electron entry; undefined means better-sqlite3's own build (Node). */
export function useNativeBinding(path: string | undefined): void {
  binding = path
}

export function nativeBindingPath(): string | undefined {
  return binding
}

export interface OpenOptions {
  readonly?: boolean
  fileMustExist?: boolean
  timeout?: number
}

export function openSqlite(file: string, options: OpenOptions = {}): Sqlite {
  const onDisk = file !== '' && file !== ':memory:'
  if (onDisk && !options.readonly && !options.fileMustExist) ensurePrivateFile(file)
  const db = new Database(file, { ...options, ...(binding ? { nativeBinding: binding } : {}) })
  // the pair index's triggers call it (db/pairs.ts): a connection without it could not write a register
  registerSearchFunctions(db)
  return db
}
