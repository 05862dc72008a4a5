import { closeSync, openSync, readSync } from 'node:fs'
import { createDecipheriv, createHash } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads'
import { CHUNK, FRAME_MAX, PackageError, refusals, type OpenedPackage } from './format'
import { ROW_CHECK_JS, loadFrameChecker, type CheckPlan } from './rowCheck'

/**
 * Reading a package's payload back: frames are read, hashed, decrypted, inflated and (for a data
 * package) checked row by row on a worker thread while the main thread, which holds the import's
 * SQLite transaction and so cannot await, merges the rows of the frames before. The main thread takes
 * frames synchronously (receiveMessageOnPort, and Atomics.wait while none is ready); the worker stays
 * at most AHEAD frames ahead, so memory stays bounded however large the package. For a million
 * patrols this takes inflating (~0.7 s) and the row checks (~2.5 s of CPU) off the import's critical
 * path, as long as the worker has a core of its own. A small payload is read inline (readerTuning).
 *
 * The payload's SHA-256 (named in the signed manifest) is computed as the bytes are read and compared
 * once the last frame is taken: a caller applies rows inside a transaction, and a mismatch at the end
 * rolls everything back.
 */
export interface GcmParams {
  key: Buffer
  iv: Buffer
  tag: Buffer
  aad: Buffer
}

type WorkerFailure = 'frame' | 'inflate' | 'truncated' | 'tag' | 'io'
type WorkerMessage =
  | { frame: Uint8Array }
  | { end: true; sha256: string }
  | { error: WorkerFailure; detail?: string }
  | { error: 'row'; table: string; columns: string[]; index: number; line: string; column: string | null }

const AHEAD = 8
/** a worker that reports nothing for this long is taken as dead (a frame takes milliseconds) */
const STALL_MS = 60_000

// Plain CommonJS run with `eval`, so no bundler has to know about a second entry point.
// signal[0]: messages posted by the worker; signal[1]: messages taken by the reader.
const WORKER = String.raw`
const { workerData } = require('node:worker_threads')
const { openSync, readSync, closeSync } = require('node:fs')
const { inflateRawSync } = require('node:zlib')
const { createDecipheriv, createHash } = require('node:crypto')
const { path, offset, bytes, gcm, chunk, frameMax, ahead, port, signal, plan } = workerData
const sig = new Int32Array(signal)
function send(message, transfer) {
  for (;;) {
    const taken = Atomics.load(sig, 1)
    if (Atomics.load(sig, 0) - taken < ahead) break
    Atomics.wait(sig, 1, taken, 1000)
  }
  port.postMessage(message, transfer)
  Atomics.add(sig, 0, 1)
  Atomics.notify(sig, 0)
}
class Failure { constructor(kind) { this.kind = kind } }
class RowFailure { constructor(m) { this.m = m } }
` + ROW_CHECK_JS + String.raw`
// row checks of a data package (rowCheck.ts), frame by frame, before a frame is handed over
const checkFrame = plan ? makeFrameChecker(plan, require('node:buffer').isUtf8) : null
function run() {
  const fd = openSync(path, 'r')
  try {
    const hash = createHash('sha256')
    const decipher = gcm ? createDecipheriv('aes-256-gcm', gcm.key, gcm.iv) : null
    if (decipher) { decipher.setAAD(gcm.aad); decipher.setAuthTag(gcm.tag) }
    const buf = Buffer.alloc(chunk)
    let pending = Buffer.alloc(0)
    const frames = (data) => {
      pending = pending.length ? Buffer.concat([pending, data]) : data
      let off = 0
      while (pending.length - off >= 4) {
        const len = pending.readUInt32BE(off)
        if (len > frameMax) throw new Failure('frame')
        if (pending.length - off - 4 < len) break
        let out
        try { out = inflateRawSync(pending.subarray(off + 4, off + 4 + len), { maxOutputLength: frameMax }) } catch { throw new Failure('inflate') }
        if (checkFrame) {
          const bad = checkFrame(out)
          if (bad) throw new RowFailure(Object.assign({ error: 'row' }, bad))
        }
        const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
        const frame = own ? out : Uint8Array.prototype.slice.call(out)
        send({ frame }, [frame.buffer])
        off += 4 + len
      }
      pending = off === pending.length ? Buffer.alloc(0) : Buffer.from(pending.subarray(off))
    }
    let pos = offset
    const end = offset + bytes
    while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(chunk, end - pos), pos)
      if (n === 0) throw new Failure('truncated')
      pos += n
      const data = Buffer.from(buf.subarray(0, n))
      hash.update(data)
      frames(decipher ? decipher.update(data) : data)
    }
    if (decipher) {
      let rest
      try { rest = decipher.final() } catch { throw new Failure('tag') }
      if (rest.length) frames(rest)
    }
    if (pending.length) throw new Failure('truncated')
    send({ end: true, sha256: hash.digest('hex') })
  } finally {
    closeSync(fd)
  }
}
try { run() } catch (e) {
  send(e instanceof RowFailure ? e.m : e instanceof Failure ? { error: e.kind } : { error: 'io', detail: String(e && e.message) })
}
`

/** A row the worker's checks refused: the caller words the refusal (rows.ts) from the row itself. */
export class RowRefusal extends PackageError {
  constructor(
    readonly table: string,
    readonly columns: string[],
    readonly index: number,
    readonly line: string,
  ) {
    super('invalid_input', refusals.DAMAGED)
  }
}

const failures: Record<WorkerFailure, string> = {
  frame: '数据包内容已损坏（分块长度不对），不能导入',
  inflate: '数据包内容已损坏（解压失败），不能导入',
  truncated: refusals.TRUNCATED,
  tag: '数据包的加密校验未通过，文件已被改动，不能导入',
  io: '读取数据包文件时出错（U盘是否已拔出？），不能导入',
}

/**
 * The payload frame by frame (decrypted, inflated, its rows checked with `plan`): each buffer is one
 * frame's JSON lines, which the caller may change in place. The payload's hash and the GCM tag are
 * checked at the end: a caller applies rows inside a transaction and lets the final throw roll it back.
 */
export function* payloadFrames(p: OpenedPackage, gcm: GcmParams | null, plan: CheckPlan | null = null): Generator<Buffer> {
  if (p.manifest.payload.bytes <= readerTuning.inlineBytes) return yield* inlineFrames(p, gcm, plan)
  const { port1, port2 } = new MessageChannel()
  const signal = new SharedArrayBuffer(8)
  const sig = new Int32Array(signal)
  const job = { path: p.path, offset: p.payloadOffset, bytes: p.manifest.payload.bytes, gcm, chunk: CHUNK, frameMax: FRAME_MAX, ahead: AHEAD, port: port2, signal, plan }
  const worker = new Worker(WORKER, { eval: true, workerData: job, transferList: [port2] })
  worker.unref()
  try {
    for (;;) {
      const posted = Atomics.load(sig, 0)
      const got = receiveMessageOnPort(port1)
      if (!got) {
        if (!waitForChange(sig, posted)) throw new PackageError('invalid_input', failures.io)
        continue
      }
      Atomics.add(sig, 1, 1)
      Atomics.notify(sig, 1)
      const m = got.message as WorkerMessage
      if ('error' in m) {
        if (m.error === 'row') throw new RowRefusal(m.table, m.columns, m.index, m.line)
        throw new PackageError('invalid_input', failures[m.error] ?? failures.io)
      }
      if ('end' in m) {
        if (m.sha256 !== p.manifest.payload.sha256) throw new PackageError('invalid_input', refusals.TAMPERED)
        return
      }
      yield Buffer.from(m.frame.buffer, m.frame.byteOffset, m.frame.byteLength)
    }
  } finally {
    port1.close()
    void worker.terminate()
  }
}

/**
 * A small payload (an incremental package, most of them) is read on the calling thread, with the same
 * checks: starting a worker costs more than reading it (tens of milliseconds, far more on a busy PC).
 */
export const readerTuning = { inlineBytes: 1 << 20 }

function* inlineFrames(p: OpenedPackage, gcm: GcmParams | null, plan: CheckPlan | null): Generator<Buffer> {
  const bytes = p.manifest.payload.bytes
  const raw = Buffer.alloc(bytes)
  let fd: number
  try {
    fd = openSync(p.path, 'r')
  } catch {
    throw new PackageError('invalid_input', failures.io)
  }
  try {
    let got = 0
    while (got < bytes) {
      const n = readSync(fd, raw, got, bytes - got, p.payloadOffset + got)
      if (n === 0) throw new PackageError('invalid_input', failures.truncated)
      got += n
    }
  } finally {
    closeSync(fd)
  }
  if (createHash('sha256').update(raw).digest('hex') !== p.manifest.payload.sha256) throw new PackageError('invalid_input', refusals.TAMPERED)
  let data = raw
  if (gcm) {
    const decipher = createDecipheriv('aes-256-gcm', gcm.key, gcm.iv)
    decipher.setAAD(gcm.aad)
    decipher.setAuthTag(gcm.tag)
    try {
      data = Buffer.concat([decipher.update(raw), decipher.final()])
    } catch {
      throw new PackageError('invalid_input', failures.tag)
    }
  }
  const check = plan ? loadFrameChecker(plan) : null
  let off = 0
  while (off < data.length) {
    if (data.length - off < 4) throw new PackageError('invalid_input', failures.truncated)
    const len = data.readUInt32BE(off)
    if (len > FRAME_MAX) throw new PackageError('invalid_input', failures.frame)
    if (data.length - off - 4 < len) throw new PackageError('invalid_input', failures.truncated)
    let frame: Buffer
    try {
      frame = inflateRawSync(data.subarray(off + 4, off + 4 + len), { maxOutputLength: FRAME_MAX })
    } catch {
      throw new PackageError('invalid_input', failures.inflate)
    }
    const bad = check?.(frame)
    if (bad) throw new RowRefusal(bad.table, bad.columns, bad.index, bad.line)
    off += 4 + len
    yield frame
  }
}

let canBlock = true

/** Waits until the worker has posted again; false when it fell silent. */
function waitForChange(sig: Int32Array, posted: number): boolean {
  if (canBlock)
    try {
      return Atomics.wait(sig, 0, posted, STALL_MS) !== 'timed-out'
    } catch {
      // a thread that may not block (as a browser's main thread): poll instead
      canBlock = false
    }
  const until = Date.now() + STALL_MS
  while (Atomics.load(sig, 0) === posted) if (Date.now() > until) return false
  return true
}

/** The payload as JSON lines (strings); see payloadFrames. */
export function* payloadLines(p: OpenedPackage, gcm: GcmParams | null): Generator<string> {
  for (const frame of payloadFrames(p, gcm)) {
    const text = frame.toString('utf8')
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl < 0) break
      if (nl > start) yield text.slice(start, nl)
      start = nl + 1
    }
  }
}

/** A header line, parsed, or a run of row lines as one JSON array (UTF-8) with the number of rows. */
export type PayloadPart = { header: unknown } | { rows: Buffer; count: number }

/**
 * The payload as headers and runs of rows. A run is the row lines between two headers of one frame,
 * rewritten in place into one JSON array (newline → comma; JSON text holds no raw newline) so that
 * SQLite reads it with jsonb_each: rows never become JavaScript values. A frame always ends with a
 * line's newline; a line is a header (`{`) or a row (`[`), anything else is damage.
 */
export function* payloadParts(p: OpenedPackage, gcm: GcmParams | null, plan: CheckPlan | null = null): Generator<PayloadPart> {
  const damaged = () => new PackageError('invalid_input', refusals.DAMAGED)
  for (const f of payloadFrames(p, gcm, plan)) {
    let start = 0
    let first = -1
    let count = 0
    while (start < f.length) {
      const nl = f.indexOf(0x0a, start)
      if (nl < 0) throw damaged()
      if (f[start] === 0x5b) {
        if (count++ === 0) first = start
        f[nl] = 0x2c
      } else if (f[start] === 0x7b) {
        let header: unknown
        try {
          header = JSON.parse(f.toString('utf8', start, nl))
        } catch {
          throw damaged()
        }
        if (count) yield { rows: asArray(f, first, start), count }
        count = 0
        yield { header }
      } else throw damaged()
      start = nl + 1
    }
    if (count) yield { rows: asArray(f, first, f.length), count }
  }
}

/** Bytes [from, to) of a frame are row lines joined by commas: bracket them (in place when there is room before). */
function asArray(f: Buffer, from: number, to: number): Buffer {
  f[to - 1] = 0x5d
  if (from === 0) return Buffer.concat([Buffer.from('['), f.subarray(0, to)])
  f[from - 1] = 0x5b
  return f.subarray(from - 1, to)
}
