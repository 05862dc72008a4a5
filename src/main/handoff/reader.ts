import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads'
import { CHUNK, FRAME_MAX, PackageError, refusals, type OpenedPackage } from './format'

/**
 * Reading a package's payload back: frames are read, decrypted and inflated on a worker thread while
 * the main thread, which holds the import's SQLite transaction and so cannot await, merges the rows
 * of the frames before. The main thread takes frames synchronously (receiveMessageOnPort, and
 * Atomics.wait while none is ready); the worker stays at most AHEAD frames ahead, so memory stays
 * bounded however large the package. On the reference machine this takes inflating (~0.7 s for a
 * million patrols) off the import's critical path.
 */
export interface GcmParams {
  key: Buffer
  iv: Buffer
  tag: Buffer
  aad: Buffer
}

type WorkerFailure = 'frame' | 'inflate' | 'truncated' | 'tag' | 'io'
type WorkerMessage = { frame: Uint8Array } | { end: true } | { error: WorkerFailure; detail?: string }

const AHEAD = 8
/** a worker that reports nothing for this long is taken as dead (a frame takes milliseconds) */
const STALL_MS = 60_000

// Plain CommonJS run with `eval`, so no bundler has to know about a second entry point.
// signal[0]: messages posted by the worker; signal[1]: messages taken by the reader.
const WORKER = String.raw`
const { workerData } = require('node:worker_threads')
const { openSync, readSync, closeSync } = require('node:fs')
const { inflateRawSync } = require('node:zlib')
const { createDecipheriv } = require('node:crypto')
const { path, offset, bytes, gcm, chunk, frameMax, ahead, port, signal } = workerData
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
function run() {
  const fd = openSync(path, 'r')
  try {
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
      frames(decipher ? decipher.update(data) : data)
    }
    if (decipher) {
      let rest
      try { rest = decipher.final() } catch { throw new Failure('tag') }
      if (rest.length) frames(rest)
    }
    if (pending.length) throw new Failure('truncated')
    send({ end: true })
  } finally {
    closeSync(fd)
  }
}
try { run() } catch (e) { send(e instanceof Failure ? { error: e.kind } : { error: 'io', detail: String(e && e.message) }) }
`

const failures: Record<WorkerFailure, string> = {
  frame: '数据包内容已损坏（分块长度不对），不能导入',
  inflate: '数据包内容已损坏（解压失败），不能导入',
  truncated: refusals.TRUNCATED,
  tag: '数据包的加密校验未通过，文件已被改动，不能导入',
  io: '读取数据包文件时出错（U盘是否已拔出？），不能导入',
}

/**
 * The payload frame by frame (decrypted, inflated): each buffer is one frame's JSON lines, which the
 * caller may change in place. The GCM tag is checked at the end: a caller applies rows inside a
 * transaction and lets the final throw roll it back.
 */
export function* payloadFrames(p: OpenedPackage, gcm: GcmParams | null): Generator<Buffer> {
  const { port1, port2 } = new MessageChannel()
  const signal = new SharedArrayBuffer(8)
  const sig = new Int32Array(signal)
  const job = { path: p.path, offset: p.payloadOffset, bytes: p.manifest.payload.bytes, gcm, chunk: CHUNK, frameMax: FRAME_MAX, ahead: AHEAD, port: port2, signal }
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
      if ('error' in m) throw new PackageError('invalid_input', failures[m.error] ?? failures.io)
      if ('end' in m) return
      yield Buffer.from(m.frame.buffer, m.frame.byteOffset, m.frame.byteLength)
    }
  } finally {
    port1.close()
    void worker.terminate()
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
export function* payloadParts(p: OpenedPackage, gcm: GcmParams | null): Generator<PayloadPart> {
  const damaged = () => new PackageError('invalid_input', refusals.DAMAGED)
  for (const f of payloadFrames(p, gcm)) {
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
