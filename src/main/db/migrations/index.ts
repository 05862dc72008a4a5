import type { Database } from 'better-sqlite3'
import * as m001 from './001_init'

/**
 * Forward-only, in order. Never edit a migration that has shipped: add the next number.
 * The database's version is PRAGMA user_version = the number of migrations applied.
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [m001.up]

export const SCHEMA_VERSION = migrations.length
