import { parentPort, workerData } from 'node:worker_threads'
import { ApiError } from '../../shared/errors'
import { openWorkbook, type SheetRow, type Workbook } from './reader'
import { useNativeBinding } from '../db/sqlite'
import type { FromReader, ToReader } from './offThread'

/**
 * The Excel reader on a worker thread (offThread.ts starts it, sometimes before the file is chosen):
 * opens the file it is sent, then reads the sheet it is asked for in batches of rows, a few batches
 * ahead of the import at most, so memory stays bounded while the import checks and stages the rows
 * before on the main thread.
 */
const port = parentPort!
const { batch: BATCH, ahead: AHEAD, binding } = workerData as { batch: number; ahead: number; binding?: string }
// the main thread's build of better-sqlite3 (Electron's, under Electron), for a large shared-string table
useNativeBinding(binding)

let wb: Workbook | null = null
let credits = AHEAD
let stopped = false
let wake: (() => void) | null = null
const send = (m: FromReader) => port.postMessage(m)

function failure(e: unknown): FromReader {
  return e instanceof ApiError ? { error: { api: true, code: e.code, message: e.message, field: e.field } } : { error: { api: false, message: e instanceof Error ? e.message : String(e) } }
}

async function readRows(sheet: string): Promise<void> {
  credits = AHEAD
  stopped = false
  let rows: SheetRow[] = []
  const it = wb!.rows(sheet, (done, total) => send({ progress: [done, total] }))
  try {
    for await (const r of it) {
      rows.push(r)
      if (rows.length < BATCH) continue
      while (credits === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve))
      if (stopped) break
      credits--
      send({ rows })
      rows = []
    }
    if (!stopped && rows.length) send({ rows })
    send({ end: true })
  } catch (e) {
    send(failure(e))
  } finally {
    await it.return(undefined)
  }
}

function open(path: string, fileName: string): void {
  openWorkbook(path, fileName).then(
    (opened) => {
      wb = opened
      send({ opened: { kind: opened.kind, sheets: opened.sheets } })
    },
    (e: unknown) => send(failure(e)),
  )
}

port.on('message', (m: ToReader) => {
  if ('open' in m) open(m.open.path, m.open.fileName)
  else if ('more' in m) credits++
  else if ('stop' in m) stopped = true
  else if ('rows' in m) void readRows(m.rows)
  else if ('verify' in m)
    void wb!.verify(m.verify).then(
      () => send({ verified: true }),
      (e: unknown) => send(failure(e)),
    )
  else if ('close' in m) {
    // the file is let go; the thread stays for the next file (offThread.ts keeps one ready)
    wb?.close()
    wb = null
    send({ closed: true })
  }
  wake?.()
  wake = null
})

// the reader's code is loaded (a thread started ahead of the file waits here for it)
send({ ready: true })
