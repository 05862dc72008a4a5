import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { nativeBindingPath } from '../db/sqlite'
import { recordTables } from '../db/tables'

/**
 * Copies an SQLite database and checks the copy on a worker thread. Measured on a 640 MB database
 * (1,000,000 patrols): the live connection's stepwise backup held the main thread for about a second
 * on its last step (committing and syncing the whole copy), and counting the rows for the note
 * another 200 ms; here the main thread only waits.
 *
 * The worker opens the source read-only and reads it in one transaction: the row counts of the source
 * and the copy come from the same snapshot, so the clerk may go on working while the copy is made (in
 * WAL mode the writer is not held up by a reader) and the comparison still means something. The
 * target must exist already (created private, 0600, by the caller): SQLite then writes into it and
 * keeps its mode. The copy is switched to a rollback journal so it is one self-contained file.
 */
export interface CopyReport {
  /** integrity_check of the copy: 'ok' when sound, SQLite's complaints otherwise */
  check: string
  schemaVersion: number
  /** rows per table in the copy (registers: live rows; audit: all rows), as verify.ts countRows */
  counts: Record<string, number>
  /** the same counts read from the source in the snapshot that was copied */
  sourceCounts: Record<string, number>
}

// Plain CommonJS run with `eval` (as db/checkWorker.ts), so no bundler has to know about a second entry.
const WORKER = String.raw`
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.modulePath)
const extra = workerData.binding ? { nativeBinding: workerData.binding } : {}
function counts(db) {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name))
  const out = {}
  for (const t of workerData.recordTables) {
    if (!tables.has(t)) continue
    out[t] = db.prepare('SELECT count(*) AS n FROM "' + t + '" WHERE deletedAt IS NULL').get().n
  }
  if (tables.has('audit')) out.audit = db.prepare('SELECT count(*) AS n FROM audit').get().n
  return out
}
;(async () => {
  let src, dst
  try {
    // a bulk load on the main thread may hold the file for a while (rollback journal): wait for it
    src = new Database(workerData.source, { readonly: true, fileMustExist: true, timeout: 120000, ...extra })
    src.exec('BEGIN')
    const sourceCounts = counts(src)
    // everything in one step, inside the transaction above: one snapshot, never restarted by the
    // writer's changes (a stepwise backup from another connection starts over after each change)
    await src.backup(workerData.target, { progress: () => 0x7fffffff })
    src.exec('COMMIT')
    src.close()
    src = undefined
    dst = new Database(workerData.target, { fileMustExist: true, ...extra })
    dst.pragma('journal_mode = DELETE')
    const check = dst.pragma('integrity_check').map((r) => Object.values(r)[0]).join('\n')
    const schemaVersion = dst.pragma('user_version', { simple: true })
    const report = { check, schemaVersion, counts: check === 'ok' ? counts(dst) : {}, sourceCounts }
    dst.close()
    dst = undefined
    parentPort.postMessage({ report })
  } catch (e) {
    parentPort.postMessage({ error: e && e.message ? e.message : String(e), code: e && e.code })
  } finally {
    try { if (src) src.close() } catch {}
    try { if (dst) dst.close() } catch {}
  }
})()
`

const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)

export class CopyError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message)
  }
}

/** Copies `source` into the existing (empty, private) `target` and checks the copy; rejects with CopyError when SQLite refuses. */
export function copyInWorker(source: string, target: string): Promise<CopyReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { source, target, recordTables: [...recordTables], modulePath: requireHere.resolve('better-sqlite3'), binding: nativeBindingPath() },
    })
    let settled = false
    worker.once('message', (m: { report?: CopyReport; error?: string; code?: string }) => {
      settled = true
      if (m.report) resolve(m.report)
      else reject(new CopyError(m.error ?? '复制失败', m.code))
    })
    worker.once('error', (e) => {
      if (!settled) reject(e)
      settled = true
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`复制线程意外退出（${code}）`))
    })
  })
}

/** Sum of the registers' live rows (the audit trail is not a register). */
export function recordsOf(counts: Record<string, number>): number {
  let n = 0
  for (const [t, c] of Object.entries(counts)) if (t !== 'audit') n += c
  return n
}
