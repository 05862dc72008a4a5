import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

// which files a load asked to be synced early (the sync itself still runs)
const synced: string[] = []
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>()
  const opened = new Map<number, string>()
  return {
    ...fs,
    openSync: ((path: string, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest)
      opened.set(fd, String(path))
      return fd
    }) as typeof fs.openSync,
    fdatasync: ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      synced.push(opened.get(fd) ?? '?')
      fs.fdatasync(fd, cb)
    }) as typeof fs.fdatasync,
  }
})

const { bulkLoad, flushLoad } = await import('../../src/main/db/bulk')
const { openSqlite } = await import('../../src/main/db/sqlite')

const dirs: string[] = []
afterEach(() => {
  synced.length = 0
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function database() {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-bulk-'))
  dirs.push(dir)
  const file = join(dir, 'pingan.db')
  const db = openSqlite(file)
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE t (x TEXT)')
  return { db, file }
}

/** until the thread pool has answered every sync asked for (each closes its file) */
const settled = () => new Promise((ok) => setImmediate(() => setTimeout(ok, 0)))

describe('a bulk load written to disk early', () => {
  it('inside a load in rollback-journal mode the database file is synced while the load goes on; the load commits as before', async () => {
    const { db, file } = database()
    bulkLoad(db, () =>
      db.transaction(() => {
        db.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO t SELECT 'row ' || i FROM n").run()
        flushLoad(db)
        expect(db.pragma('journal_mode', { simple: true })).toBe('delete')
      })(),
    )
    expect(synced).toEqual([file])
    await settled()
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1000)
    db.close()
  })

  it('outside a load, or in a load left in WAL because another connection has the file open, nothing is synced early', async () => {
    const { db, file } = database()
    flushLoad(db)
    const other = openSqlite(file)
    other.prepare('SELECT count(*) FROM t').get()
    bulkLoad(db, () => db.transaction(() => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      flushLoad(db)
    })())
    expect(synced).toEqual([])
    other.close()
    db.close()
  })
})
