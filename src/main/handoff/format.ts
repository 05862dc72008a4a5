import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { createHash, type Cipher } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { z } from 'zod'
import type { ErrorCode } from '../../shared/errors'
import { packageKinds } from '../../shared/handoff/schema'
import { SCRYPT_LIMITS } from './crypto'

/**
 * The package file (DESIGN §6):
 *
 *   MAGIC (14 bytes) | manifest length (uint32 BE) | manifest (UTF-8 JSON, padded with spaces) | payload
 *
 * The payload is a run of frames, each `length (uint32 BE) | deflate-raw(JSON lines)`, encrypted as one
 * AES-256-GCM stream when a passphrase is given. The JSON lines are, per table, one header object
 * `{"table","columns"}` followed by one array per row, and a final `{"end":true,"rows":N}`.
 * Frames are compressed independently, so export and import stream synchronously (inside one SQLite
 * transaction) with bounded memory however large the registers are.
 */
export const MAGIC = Buffer.from('\x89PINGANPKG\r\n\x1a\n', 'latin1')
export const FORMAT = 'pingan-package'
export const FORMAT_VERSION = 1
/** the manifest is written last into a slot of this size at the head of the file */
export const MANIFEST_SLOT = 16 * 1024
export const PAYLOAD_OFFSET = MAGIC.length + 4 + MANIFEST_SLOT
/** uncompressed bytes per frame */
const FRAME_TARGET = 1 << 20
/** a frame may not inflate to more than this (a crafted file cannot exhaust memory) */
export const FRAME_MAX = 64 << 20
const COMPRESSION_LEVEL = 2

/** Why a package is refused: a code for the API and a sentence for the clerk. */
export class PackageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field: string = 'files',
  ) {
    super(message)
  }
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)
const b64 = z.string().regex(/^[A-Za-z0-9+/=_-]{1,200}$/)

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int().min(1),
  schemaVersion: z.number().int().min(1),
  kind: z.enum(packageKinds),
  packageId: z.string().regex(/^[0-9a-f-]{36}$/),
  township: z.object({ code: z.string().regex(/^\d{6,12}$/), name: z.string().max(100) }),
  county: z.object({ code: z.string().regex(/^\d{6}$/), name: z.string().max(100) }),
  seq: z.number().int().min(1),
  full: z.boolean(),
  since: z.string().max(40).nullable(),
  until: z.string().max(40).nullable(),
  createdAt: z.string().max(40),
  tables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.number().int().min(0)),
  rows: z.number().int().min(0),
  payload: z.object({ bytes: z.number().int().min(0), sha256: hex64, compression: z.literal('deflate-frames') }),
  encryption: z
    .object({
      cipher: z.literal('aes-256-gcm'),
      kdf: z.literal('scrypt'),
      N: z.number().int().min(1024).max(SCRYPT_LIMITS.N),
      r: z.number().int().min(1).max(SCRYPT_LIMITS.r),
      p: z.number().int().min(1).max(SCRYPT_LIMITS.p),
      salt: b64,
      iv: b64,
      tag: b64,
      check: b64,
    })
    .nullable(),
})
export type Manifest = z.infer<typeof manifestSchema>

/** What the GCM tag also authenticates: the manifest fields that say whose package this is. */
export function additionalData(m: Pick<Manifest, 'formatVersion' | 'schemaVersion' | 'kind' | 'packageId' | 'township' | 'county' | 'seq' | 'full'>): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, m.formatVersion, m.schemaVersion, m.kind, m.packageId, m.township.code, m.county.code, m.seq, m.full]))
}

export function encodeManifestSlot(m: Manifest): Buffer {
  const json = Buffer.from(JSON.stringify(m), 'utf8')
  if (json.length > MANIFEST_SLOT) throw new Error('manifest too large')
  const head = Buffer.alloc(MAGIC.length + 4 + MANIFEST_SLOT, 0x20)
  MAGIC.copy(head, 0)
  head.writeUInt32BE(MANIFEST_SLOT, MAGIC.length)
  json.copy(head, MAGIC.length + 4)
  return head
}

export interface OpenedPackage {
  path: string
  manifest: Manifest
  payloadOffset: number
  fileSize: number
}

function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length)
  let got = 0
  while (got < length) {
    const n = readSync(fd, b, got, length - got, position + got)
    if (n === 0) break
    got += n
  }
  return got === length ? b : b.subarray(0, got)
}

const NOT_PACKAGE = '这不是平安台账的数据包文件（文件开头的标识不对）'
const TRUNCATED = '数据包文件不完整（可能拷贝时中断或U盘被提前拔出），请让对方重新导出、重新拷贝'
const TAMPERED = '数据包内容与清单中的校验值不符，文件已被改动或损坏，不能导入'

/** Reads and checks the head of a package: magic, manifest, versions, and the payload's size. */
export function openPackage(path: string, schemaVersion: number): OpenedPackage {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    throw new PackageError('not_found', '找不到这个文件，或没有权限读取')
  }
  try {
    const size = fstatSync(fd).size
    const head = readAt(fd, 0, MAGIC.length + 4)
    if (head.length < MAGIC.length) {
      if (head.length > 0 && MAGIC.subarray(0, head.length).equals(head)) throw new PackageError('invalid_input', TRUNCATED)
      throw new PackageError('invalid_input', NOT_PACKAGE)
    }
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new PackageError('invalid_input', NOT_PACKAGE)
    if (head.length < MAGIC.length + 4) throw new PackageError('invalid_input', TRUNCATED)
    const len = head.readUInt32BE(MAGIC.length)
    if (len < 2 || len > 1 << 20) throw new PackageError('invalid_input', '数据包的清单已损坏，不能导入')
    const raw = readAt(fd, MAGIC.length + 4, len)
    if (raw.length < len) throw new PackageError('invalid_input', TRUNCATED)
    let json: unknown
    try {
      json = JSON.parse(raw.toString('utf8'))
    } catch {
      throw new PackageError('invalid_input', '数据包的清单已损坏，不能导入')
    }
    const loose = json as { format?: unknown; formatVersion?: unknown; schemaVersion?: unknown }
    if (typeof json !== 'object' || json === null || loose.format !== FORMAT) throw new PackageError('invalid_input', NOT_PACKAGE)
    if (typeof loose.formatVersion === 'number' && loose.formatVersion > FORMAT_VERSION)
      throw new PackageError('invalid_input', `这个数据包由更新版本的平安台账制作（包格式 ${loose.formatVersion}），请先升级本程序再导入`)
    if (typeof loose.schemaVersion === 'number' && loose.schemaVersion > schemaVersion)
      throw new PackageError(
        'invalid_input',
        `这个数据包由更新版本的平安台账导出（数据版本 ${loose.schemaVersion}，本程序支持到 ${schemaVersion}），请先升级本程序再导入`,
      )
    const parsed = manifestSchema.safeParse(json)
    if (!parsed.success) throw new PackageError('invalid_input', '数据包的清单已损坏或被改动，不能导入')
    const m = parsed.data
    const offset = MAGIC.length + 4 + len
    if (size < offset + m.payload.bytes) throw new PackageError('invalid_input', TRUNCATED)
    if (size > offset + m.payload.bytes) throw new PackageError('invalid_input', '数据包文件末尾多出了内容，文件已被改动，不能导入')
    return { path, manifest: m, payloadOffset: offset, fileSize: size }
  } finally {
    closeSync(fd)
  }
}

export const CHUNK = 4 << 20

/** SHA-256 of the payload as stored; a mismatch means the file was changed after export. */
export function verifyPayloadHash(p: OpenedPackage): void {
  const fd = openSync(p.path, 'r')
  try {
    const h = createHash('sha256')
    const buf = Buffer.alloc(CHUNK)
    let pos = p.payloadOffset
    const end = p.payloadOffset + p.manifest.payload.bytes
    while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos)
      if (n === 0) throw new PackageError('invalid_input', TRUNCATED)
      h.update(buf.subarray(0, n))
      pos += n
    }
    if (h.digest('hex') !== p.manifest.payload.sha256) throw new PackageError('invalid_input', TAMPERED)
  } finally {
    closeSync(fd)
  }
}

/** SHA-256 of a whole file, read in chunks. */
export function fileSha256(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const h = createHash('sha256')
    const buf = Buffer.alloc(CHUNK)
    let pos = 0
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos)
      if (n === 0) break
      h.update(buf.subarray(0, n))
      pos += n
    }
    return h.digest('hex')
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes the payload: JSON lines grouped into frames, each deflated, then (optionally) encrypted,
 * hashed and written at PAYLOAD_OFFSET. Synchronous, so it runs inside one read transaction.
 */
export class PayloadWriter {
  private parts: Buffer[] = []
  private size = 0
  private position = PAYLOAD_OFFSET
  private readonly hash = createHash('sha256')
  bytes = 0

  constructor(
    private readonly fd: number,
    private readonly cipher: Cipher | null,
  ) {}

  line(s: string): void {
    this.lines(Buffer.from(s + '\n', 'utf8'))
  }

  /**
   * Appends UTF-8 JSON lines, each ending with a newline (SQLite writes a run of rows this way in one
   * piece). Frames are cut at line ends near FRAME_TARGET.
   */
  lines(b: Buffer): void {
    while (b.length) {
      const room = FRAME_TARGET - this.size
      if (b.length < room) {
        this.parts.push(b)
        this.size += b.length
        return
      }
      let cut = room > 0 ? b.lastIndexOf(0x0a, room - 1) + 1 : 0
      if (cut <= 0 && this.size === 0) cut = b.indexOf(0x0a, room) + 1
      if (cut <= 0 && this.size === 0) cut = b.length
      if (cut > 0) this.parts.push(b.subarray(0, cut))
      this.size += cut
      this.flush()
      b = b.subarray(cut)
    }
  }

  private flush(): void {
    if (this.parts.length === 0) return
    const raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size)
    this.parts = []
    this.size = 0
    const z = deflateRawSync(raw, { level: COMPRESSION_LEVEL, memLevel: 9 })
    const len = Buffer.allocUnsafe(4)
    len.writeUInt32BE(z.length, 0)
    if (this.cipher) {
      this.out(this.cipher.update(len))
      this.out(this.cipher.update(z))
    } else {
      this.out(len)
      this.out(z)
    }
  }

  private out(b: Buffer): void {
    if (b.length === 0) return
    this.hash.update(b)
    let off = 0
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off, this.position + off)
    this.position += b.length
    this.bytes += b.length
  }

  finish(): { bytes: number; sha256: string } {
    this.flush()
    if (this.cipher) this.out(this.cipher.final())
    return { bytes: this.bytes, sha256: this.hash.digest('hex') }
  }
}

const DAMAGED = '数据包内容已损坏（格式不对），不能导入'

export const refusals = { NOT_PACKAGE, TRUNCATED, TAMPERED, DAMAGED }
