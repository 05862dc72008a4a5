import type { Compilable, CompiledQuery } from 'kysely'
import type { Sqlite } from './connection'
import type { Statement } from 'better-sqlite3'

const cache = new WeakMap<Sqlite, Map<string, Statement>>()

export function prepared(db: Sqlite, sql: string): Statement {
  let m = cache.get(db)
  if (!m) cache.set(db, (m = new Map()))
  let s = m.get(sql)
  if (!s) {
    s = db.prepare(sql)
    m.set(sql, s)
  }
  return s
}

function params(c: CompiledQuery): unknown[] {
  return c.parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p))
}

export function all<T>(db: Sqlite, q: Compilable<T>): T[] {
  const c = q.compile()
  return prepared(db, c.sql).all(...params(c)) as T[]
}

export function first<T>(db: Sqlite, q: Compilable<T>): T | undefined {
  const c = q.compile()
  return prepared(db, c.sql).get(...params(c)) as T | undefined
}

export function run(db: Sqlite, q: Compilable<unknown>): number {
  const c = q.compile()
  return prepared(db, c.sql).run(...params(c)).changes
}
