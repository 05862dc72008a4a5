import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ApiError, type ErrorCode } from '../../shared/errors'
import { nativeBindingPath } from '../db/sqlite'
import { openWorkbook, type FileKind, type Progress, type SheetRow, type Workbook } from './reader'

/**
 * An Excel file read on a worker thread (readerWorker.ts) for an import: inflating and parsing the
 * sheet take about as long as checking and staging its rows, and on two cores the two now overlap
 * (issue 15.1: a 100,000-row members sheet). The rows come in batches, at most AHEAD batches ahead of
 * the import, so memory stays bounded; refusals of a hostile file arrive as the same ApiError.
 *
 * The worker runs the desktop build's own bundle of the reader (out/main/excelReader.cjs, beside
 * index.cjs; electron.vite.config.ts); run from the sources (tests, `npm run cli`, browser mode in
 * development) it loads readerWorker.ts through tsx. Where neither can start, the file is read on this
 * thread as before.
 */
export type ToReader = { open: { path: string; fileName: string } } | { rows: string } | { verify: string } | { more: true } | { stop: true } | { close: true }
export type FromReader =
  | { ready: true }
  | { opened: { kind: FileKind; sheets: string[] } }
  | { rows: SheetRow[] }
  | { progress: [number, number] }
  | { verified: true }
  | { end: true }
  | { closed: true }
  | { error: { api: true; code: ErrorCode; message: string; field?: string } | { api: false; message: string } }

export const offThreadTuning = { batch: 256, ahead: 8, enabled: true }

/** Reader threads started in this process, and where the last file was read (tests look). */
export const offThreadStats: { started: number; lastWay: 'thread' | 'main' | null } = { started: 0, lastWay: null }

const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url))
const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)

/**
 * Once per thread: its failure is met by the import using it (Inbox) or, while it waits, by none (an
 * 'error' event nobody listens to would end the program); its end empties the waiting place.
 */
function started(worker: Worker): Worker {
  offThreadStats.started++
  worker.on('error', () => undefined)
  worker.once('exit', () => warm?.worker === worker && (warm = null))
  return worker
}

function startWorker(): Worker | null {
  const workerData = { batch: offThreadTuning.batch, ahead: offThreadTuning.ahead, binding: nativeBindingPath() }
  const bundled = join(here, 'excelReader.cjs')
  if (existsSync(bundled)) return started(new Worker(bundled, { workerData }))
  const source = join(here, 'readerWorker.ts')
  if (!existsSync(source)) return null
  let tsx: string
  try {
    tsx = requireHere.resolve('tsx/cjs/api')
  } catch {
    return null
  }
  const boot = `const { workerData } = require('node:worker_threads'); require(workerData.tsx).require(workerData.source, workerData.source)`
  return started(new Worker(boot, { eval: true, workerData: { ...workerData, tsx, source } }))
}

/**
 * A reader thread started ahead of the file (excel.inspect, the wizard's first step, asks for one): its
 * code is loaded while the clerk looks at the columns, not when the import starts. Unused, it ends
 * after WARM_MS and does not keep the program from closing.
 */
let warm: { worker: Worker; timer: NodeJS.Timeout } | null = null
const WARM_MS = 120_000

/** Starts a reader thread for the next import; resolves once its code is loaded (or it failed to start). */
export function prewarmReader(): Promise<void> {
  if (warm || !offThreadTuning.enabled) return Promise.resolve()
  const worker = startWorker()
  if (!worker) return Promise.resolve()
  park(worker)
  return new Promise((resolve) => {
    worker.once('message', () => resolve())
    worker.once('error', () => resolve())
    worker.once('exit', () => resolve())
  })
}

function park(worker: Worker): void {
  worker.unref()
  warm = { worker, timer: setTimeout(() => void worker.terminate(), WARM_MS).unref() }
}

/** true while a reader thread waits for the next file */
export const readerWaiting = (): boolean => warm !== null

function takeWorker(): Worker | null {
  if (!offThreadTuning.enabled) return null
  const w = warm
  warm = null
  if (!w) return startWorker()
  clearTimeout(w.timer)
  w.worker.ref()
  return w.worker
}

/** Messages from the worker, taken one at a time; the worker's death is an error taken like one. */
class Inbox {
  private queue: FromReader[] = []
  private waiting: ((m: FromReader) => void) | null = null
  private dead: string | null = null

  private readonly onMessage = (m: FromReader) => this.put(m)
  private readonly onError = (e: Error) => this.die(e.message)
  private readonly onExit = () => this.die('读取线程已退出')

  constructor(private readonly worker: Worker) {
    worker.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit)
  }

  /** the worker no longer reports here (it goes back to wait for the next file) */
  detach(): void {
    this.worker.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit)
  }

  private put(m: FromReader): void {
    if (this.waiting) {
      const w = this.waiting
      this.waiting = null
      w(m)
    } else this.queue.push(m)
  }

  private die(message: string): void {
    if (this.dead) return
    this.dead = message
    this.put({ error: { api: false, message } })
  }

  take(): Promise<FromReader> {
    const m = this.queue.shift()
    if (m) return Promise.resolve(m)
    if (this.dead) return Promise.resolve({ error: { api: false, message: this.dead } })
    return new Promise((resolve) => (this.waiting = resolve))
  }
}

function toError(e: Extract<FromReader, { error: unknown }>['error']): Error {
  return e.api ? new ApiError(e.code, e.message, e.field) : new Error(`读取Excel文件失败：${e.message}`)
}

/** The file opened on a worker thread, or on this one where no worker can be started. */
export async function openWorkbookOffThread(path: string, fileName: string): Promise<Workbook> {
  const worker = takeWorker()
  const onMain = () => {
    offThreadStats.lastWay = 'main'
    return openWorkbook(path, fileName)
  }
  if (!worker) return onMain()
  const inbox = new Inbox(worker)
  const send = (m: ToReader) => worker.postMessage(m)
  send({ open: { path, fileName } })
  let first = await inbox.take()
  while ('ready' in first) first = await inbox.take()
  if ('error' in first) {
    void worker.terminate()
    // a refusal of the file is the file's; a worker that could not start reads here instead
    if (first.error.api) throw toError(first.error)
    if (!process.env.PINGAN_QUIET) process.stderr.write(`Excel reader thread did not start (${first.error.message}); reading on the main thread\n`)
    return onMain()
  }
  offThreadStats.lastWay = 'thread'
  if (!('opened' in first)) throw new Error('读取线程的回答不对')
  let busy = false
  const exclusive = () => {
    if (busy) throw new Error('一个工作簿同时只读一个工作表')
    busy = true
  }
  return {
    kind: first.opened.kind,
    sheets: first.opened.sheets,
    verify: async (sheet) => {
      exclusive()
      try {
        send({ verify: sheet })
        const m = await inbox.take()
        if ('error' in m) throw toError(m.error)
      } finally {
        busy = false
      }
    },
    rows: (sheet, progress) => rows(sheet, progress),
    close: () => {
      send({ close: true })
      // the worker lets the file go (its temporary database) and waits for the next one: ending a
      // thread that has read a large file held the event loop for a third of a second (its heap freed)
      void (async () => {
        for (;;) {
          const m = await inbox.take()
          if ('closed' in m) break
          if ('error' in m) return void worker.terminate()
        }
        inbox.detach()
        if (warm) void worker.terminate()
        else park(worker)
      })()
    },
  }

  async function* rows(sheet: string, progress?: Progress): AsyncGenerator<SheetRow> {
    exclusive()
    send({ rows: sheet })
    let ended = false
    try {
      for (;;) {
        const m = await inbox.take()
        if ('rows' in m) {
          send({ more: true })
          yield* m.rows
          // batches already here come as resolved promises: without a turn of the event loop between
          // them the window's own calls would wait for the whole file
          await new Promise<void>((resolve) => setImmediate(resolve))
        } else if ('progress' in m) progress?.(m.progress[0], m.progress[1])
        else if ('end' in m) {
          ended = true
          return
        } else if ('error' in m) {
          ended = true
          throw toError(m.error)
        }
      }
    } finally {
      // stopped early (a header scan, a refused import): the worker ends the sheet, then may read another
      if (!ended) {
        send({ stop: true })
        for (;;) {
          const m = await inbox.take()
          if ('end' in m || 'error' in m) break
        }
      }
      busy = false
    }
  }
}
