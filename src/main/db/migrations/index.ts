import type { Database } from 'better-sqlite3'
import * as m001 from './001_init'
import * as m002 from './002_registers'
import * as m003 from './003_checklist'
import * as m004 from './004_handoff'
import * as m005 from './005_imports'
import * as m006 from './006_package_keys'
import * as m007 from './007_hazards'
import * as m008 from './008_exact_checklist'
import * as m009 from './009_search'
import * as m010 from './010_documents'
import * as m011 from './011_search_pairs'

/**
 * Forward-only, in order. Never edit a migration that has shipped: add the next number.
 * The database's version is PRAGMA user_version = the number of migrations applied.
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [m001.up, m002.up, m003.up, m004.up, m005.up, m006.up, m007.up, m008.up, m009.up, m010.up, m011.up]

export const SCHEMA_VERSION = migrations.length
