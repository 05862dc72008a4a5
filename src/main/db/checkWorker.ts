import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { nativeBindingPath } from './sqlite'

/**
 * Runs a read-only check of an SQLite file (integrity_check over a large database takes seconds) on
 * a worker thread, so the main thread keeps answering the window. The worker opens its own read-only
 * connection with the same native build as the main thread (Electron's ABI under Electron).
 */
export type CheckPragma = 'integrity_check' | 'quick_check' | 'wal_checkpoint(PASSIVE)'

// Plain CommonJS run with `eval`, so no bundler has to know about a second entry point; the module
// path is resolved here, where the bundle's own resolution applies (app.asar included).
const WORKER = String.raw`
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.modulePath)
let db
try {
  db = new Database(workerData.file, { readonly: workerData.pragma !== 'wal_checkpoint(PASSIVE)', fileMustExist: true, ...(workerData.binding ? { nativeBinding: workerData.binding } : {}) })
  const rows = db.pragma(workerData.pragma).map((r) => Object.values(r)[0])
  parentPort.postMessage({ result: rows.join('\n') })
} catch (e) {
  parentPort.postMessage({ error: e && e.message ? e.message : String(e) })
} finally {
  if (db) db.close()
}
`

const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)

/** workers not yet ended: a worker answers before it closes its connection (and its -wal and -shm files) */
const running = new Set<Promise<void>>()

/** Resolves once every check worker started so far has ended (a test removes the folder after). */
export async function checkWorkersEnded(): Promise<void> {
  while (running.size) await Promise.all([...running])
}

/**
 * Resolves with SQLite's answer ('ok' when the file is sound); rejects when the file cannot be opened.
 * 'wal_checkpoint(PASSIVE)' opens the file for writing: it copies the write-ahead log into the database
 * (a large import's, tens of megabytes) beside the main thread, which keeps answering meanwhile.
 */
export function checkInWorker(file: string, pragma: CheckPragma = 'integrity_check'): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, pragma, modulePath: requireHere.resolve('better-sqlite3'), binding: nativeBindingPath() },
    })
    const exited = new Promise<void>((done) => worker.once('exit', () => done()))
    running.add(exited)
    void exited.then(() => running.delete(exited))
    let settled = false
    worker.once('message', (m: { result?: string; error?: string }) => {
      settled = true
      if (m.error !== undefined) reject(new Error(m.error))
      else resolve(m.result ?? '')
    })
    worker.once('error', (e) => {
      if (!settled) reject(e)
      settled = true
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`检查线程意外退出（${code}）`))
    })
  })
}
