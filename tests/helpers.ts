import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { openApp, type App } from '../src/main/app'
import type { ApiInput, ApiOutput, MethodName } from '../src/shared/api/contract'
import type { ApiErrorData } from '../src/shared/errors'
import { checkWorkersEnded } from '../src/main/db/checkWorker'

process.env.PINGAN_QUIET ??= '1'

export interface TestApp extends App {
  dir: string
  /** calls a method and returns its data; fails the test with the error's message otherwise */
  ok: <M extends MethodName>(method: M, input?: ApiInput<M>) => Promise<ApiOutput<M>>
  /** calls a method that must fail and returns the error */
  err: (method: string, input?: unknown) => Promise<ApiErrorData>
  /** a hash of every table's content: equal before and after means nothing changed */
  contentHash: () => string
  /** closes the app, then removes its folder once its background workers have ended */
  dispose: () => Promise<void>
}

/** A SQLite file's page size, from its header: damage in tests is placed by page, as SQLite lays the file out. */
export function pageSizeOf(file: string): number {
  const head = Buffer.alloc(2)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, 2, 16)
  } finally {
    closeSync(fd)
  }
  const n = head.readUInt16BE(0)
  return n === 1 ? 65536 : n
}

export function tempDir(prefix = 'pingan-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function testApp(options: { setup?: boolean; dir?: string } = {}): TestApp {
  const dir = options.dir ?? tempDir()
  const app = openApp(dir)
  const t: TestApp = {
    ...app,
    dir,
    ok: async (method, input) => {
      const r = await app.invoke(method, input ?? {})
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`)
      return r.data as never
    },
    err: async (method, input) => {
      const r = await app.invoke(method, input ?? {})
      if (r.ok) throw new Error(`${method} should have failed but returned ${JSON.stringify(r.data).slice(0, 300)}`)
      return r.error
    },
    contentHash: () => contentHash(app.ctx.db),
    dispose: async () => {
      app.close()
      // a checkpoint the last import started on its own worker may still have the file open (ENOTEMPTY)
      await checkWorkersEnded()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  if (options.setup !== false)
    app.ctx.db
      .prepare("INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, '430103005', '大托铺街道', '天心区', '430103', 'township', '2026-01-01T00:00:00.000Z')")
      .run()
  return t
}

export function contentHash(db: App['ctx']['db']): string {
  const h = createHash('sha256')
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
  for (const { name } of tables) {
    h.update(`#${name}\n`)
    // a WITHOUT ROWID table (the search index's own) has no rowid and reads in key order
    const rowid = (db.prepare('SELECT wr FROM pragma_table_list WHERE name = ?').get(name) as { wr: number } | undefined)?.wr !== 1
    for (const row of db.prepare(`SELECT * FROM "${name}"${rowid ? ' ORDER BY rowid' : ''}`).iterate()) h.update(JSON.stringify(row) + '\n')
  }
  return h.digest('hex')
}
