import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { createHash, type Cipher } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import { z } from 'zod'
import type { ErrorCode } from '../../shared/errors'
import { packageKinds } from '../../shared/handoff/schema'
import { isFormatScrypt } from './crypto'
import { publicKeyOf, verifyWith } from './signing'

/**
 * The package file (DESIGN §6), format 2:
 *
 *   MAGIC (14 bytes) | manifest length (uint32 BE) | manifest (UTF-8 JSON, padded with spaces)
 *   | signature (64 bytes) | payload
 *
 * The signature is the sender's Ed25519 signature over every byte before it (the head: magic, length,
 * manifest and its padding), and the manifest holds the payload's length and SHA-256, so it covers the
 * whole file: the head is checked before anything else is read, the payload's hash as it is read
 * (reader.ts), before an import is kept. The manifest names the signer's public key; the receiver pins
 * it per sender (pins.ts).
 *
 * The payload is a run of frames, each `length (uint32 BE) | deflate-raw(JSON lines)`, encrypted as one
 * AES-256-GCM stream when a passphrase is given (the manifest's fields known before the payload are the
 * AEAD's additional data). The JSON lines are, per table, one header object `{"table","columns"}`
 * followed by one array per row, and a final `{"end":true,"rows":N}`. Frames are compressed
 * independently, so export and import stream synchronously (inside one SQLite transaction) with
 * bounded memory however large the registers are.
 *
 * Format 1 (before packages were signed) is refused: nothing in it says who made it.
 */
export const MAGIC = Buffer.from('\x89PINGANPKG\r\n\x1a\n', 'latin1')
export const FORMAT = 'pingan-package'
export const FORMAT_VERSION = 2
/** the manifest is written last into a slot of this size at the head of the file */
export const MANIFEST_SLOT = 16 * 1024
/** magic, length and manifest slot: the bytes the signature covers */
export const HEAD_BYTES = MAGIC.length + 4 + MANIFEST_SLOT
export const SIGNATURE_BYTES = 64
export const PAYLOAD_OFFSET = HEAD_BYTES + SIGNATURE_BYTES
/** uncompressed bytes per frame */
const FRAME_TARGET = 1 << 20
/** a frame may not inflate to more than this (a crafted file cannot exhaust memory) */
export const FRAME_MAX = 64 << 20
const COMPRESSION_LEVEL = 2
/** what is signed: a fixed context (a signature made for anything else never fits) and the head's SHA-256 */
const SIGNATURE_CONTEXT = Buffer.from('pingan-package-head\0v2\0', 'utf8')

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
const stamp = z.string().max(40)

export const manifestSchema = z.strictObject({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  schemaVersion: z.number().int().min(1),
  kind: z.enum(packageKinds),
  packageId: z.string().regex(/^[0-9a-f-]{36}$/),
  township: z.strictObject({ code: z.string().regex(/^\d{6,12}$/), name: z.string().max(100) }),
  county: z.strictObject({ code: z.string().regex(/^\d{6}$/), name: z.string().max(100) }),
  seq: z.number().int().min(1),
  full: z.boolean(),
  since: stamp.nullable(),
  until: stamp.nullable(),
  createdAt: stamp,
  signer: z.strictObject({ algorithm: z.literal('ed25519'), publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  tables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.number().int().min(0)),
  rows: z.number().int().min(0),
  payload: z.strictObject({ bytes: z.number().int().min(0), sha256: hex64, compression: z.literal('deflate-frames') }),
  encryption: z
    .strictObject({
      cipher: z.literal('aes-256-gcm'),
      kdf: z.literal('scrypt'),
      // any number here, so that a cost other than the format's gets its own refusal (below)
      N: z.number().int(),
      r: z.number().int(),
      p: z.number().int(),
      salt: b64,
      iv: b64,
      tag: b64,
      check: b64,
    })
    .nullable(),
})
export type Manifest = z.infer<typeof manifestSchema>

/** The manifest's fields that are known before the payload is written. */
export type ManifestHead = Omit<Manifest, 'tables' | 'rows' | 'payload' | 'encryption'> & { encryption: Omit<NonNullable<Manifest['encryption']>, 'tag'> | null }

/**
 * The AEAD's additional data: the whole manifest except what only exists once the payload is written
 * (its counts, length, hash and the GCM tag itself; the signature covers those).
 */
export function additionalData(m: ManifestHead | Manifest): Buffer {
  const e = m.encryption
  return Buffer.from(
    JSON.stringify([
      FORMAT,
      m.formatVersion,
      m.schemaVersion,
      m.kind,
      m.packageId,
      m.township.code,
      m.township.name,
      m.county.code,
      m.county.name,
      m.seq,
      m.full,
      m.since,
      m.until,
      m.createdAt,
      m.signer.algorithm,
      m.signer.publicKey,
      e ? [e.cipher, e.kdf, e.N, e.r, e.p, e.salt, e.iv, e.check] : null,
    ]),
  )
}

/** The head of a package: magic, length and the manifest padded to its slot (HEAD_BYTES). */
export function encodeManifestSlot(m: Manifest): Buffer {
  const json = Buffer.from(JSON.stringify(m), 'utf8')
  if (json.length > MANIFEST_SLOT) throw new Error('manifest too large')
  const head = Buffer.alloc(HEAD_BYTES, 0x20)
  MAGIC.copy(head, 0)
  head.writeUInt32BE(MANIFEST_SLOT, MAGIC.length)
  json.copy(head, MAGIC.length + 4)
  return head
}

/** The message a package's signature is made over. */
export function signedMessage(head: Buffer): Buffer {
  return Buffer.concat([SIGNATURE_CONTEXT, createHash('sha256').update(head.subarray(0, HEAD_BYTES)).digest()])
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
const MANIFEST_DAMAGED = '数据包的清单已损坏，不能导入'
const BAD_SIGNATURE = '数据包的签名校验未通过：文件在导出后被改动过，或不是平安台账导出的，不能导入'
const OLD_FORMAT =
  '这个数据包由旧版平安台账导出，没有签名，无法确认是谁导出的、导出后是否被改动，不能导入。请让报送方把平安台账升级到新版后重新导出一次（选“全量导出”）'
const BAD_SCRYPT = '数据包的加密参数不是本程序使用的参数，文件已被改动或不是平安台账导出的，不能导入'

/**
 * Checks the head of a package, given its first PAYLOAD_OFFSET bytes (fewer when the file is shorter)
 * and the file's size: magic, manifest, format, signature, versions, encryption cost and the payload's
 * length. Nothing the head says is used before its signature is checked, except what tells an old or a
 * newer format apart.
 */
export function parseHead(head: Buffer, fileSize: number, schemaVersion: number): { manifest: Manifest; payloadOffset: number } {
  if (head.length < MAGIC.length) {
    if (head.length > 0 && MAGIC.subarray(0, head.length).equals(head)) throw new PackageError('invalid_input', TRUNCATED)
    throw new PackageError('invalid_input', NOT_PACKAGE)
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new PackageError('invalid_input', NOT_PACKAGE)
  if (head.length < MAGIC.length + 4) throw new PackageError('invalid_input', TRUNCATED)
  if (head.readUInt32BE(MAGIC.length) !== MANIFEST_SLOT) throw new PackageError('invalid_input', MANIFEST_DAMAGED)
  if (head.length < HEAD_BYTES) throw new PackageError('invalid_input', TRUNCATED)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(MAGIC.length + 4, HEAD_BYTES)))
  } catch {
    throw new PackageError('invalid_input', MANIFEST_DAMAGED)
  }
  const loose = json as { format?: unknown; formatVersion?: unknown; schemaVersion?: unknown }
  if (typeof json !== 'object' || json === null || loose.format !== FORMAT) throw new PackageError('invalid_input', NOT_PACKAGE)
  if (typeof loose.formatVersion === 'number' && loose.formatVersion > FORMAT_VERSION)
    throw new PackageError('invalid_input', `这个数据包由更新版本的平安台账制作（包格式 ${loose.formatVersion}），请先升级本程序再导入`)
  if (loose.formatVersion === 1) throw new PackageError('invalid_input', OLD_FORMAT)
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success) throw new PackageError('invalid_input', '数据包的清单已损坏或被改动，不能导入')
  const m = parsed.data
  if (head.length < PAYLOAD_OFFSET) throw new PackageError('invalid_input', TRUNCATED)
  const key = publicKeyOf(m.signer.publicKey)
  if (!key || !verifyWith(key, signedMessage(head), head.subarray(HEAD_BYTES, PAYLOAD_OFFSET))) throw new PackageError('invalid_input', BAD_SIGNATURE)
  if (m.schemaVersion > schemaVersion)
    throw new PackageError(
      'invalid_input',
      `这个数据包由更新版本的平安台账导出（数据版本 ${m.schemaVersion}，本程序支持到 ${schemaVersion}），请先升级本程序再导入`,
    )
  if (m.encryption && !isFormatScrypt(m.encryption)) throw new PackageError('invalid_input', BAD_SCRYPT)
  if (fileSize < PAYLOAD_OFFSET + m.payload.bytes) throw new PackageError('invalid_input', TRUNCATED)
  if (fileSize > PAYLOAD_OFFSET + m.payload.bytes) throw new PackageError('invalid_input', '数据包文件末尾多出了内容，文件已被改动，不能导入')
  return { manifest: m, payloadOffset: PAYLOAD_OFFSET }
}

/** Reads and checks the head of a package file (parseHead); the payload is checked as it is read. */
export function openPackage(path: string, schemaVersion: number): OpenedPackage {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    throw new PackageError('not_found', '找不到这个文件，或没有权限读取')
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new PackageError('invalid_input', NOT_PACKAGE)
    const size = st.size
    const { manifest, payloadOffset } = parseHead(readAt(fd, 0, Math.min(size, PAYLOAD_OFFSET)), size, schemaVersion)
    return { path, manifest, payloadOffset, fileSize: size }
  } finally {
    closeSync(fd)
  }
}

export const CHUNK = 4 << 20

/**
 * Whether the payload on disk is the one the (signed) manifest names. Read only when an import is
 * refused, to say "changed after export" rather than whatever broke first; a good import has the hash
 * checked as it reads (reader.ts).
 */
export function payloadHashMatches(p: OpenedPackage): boolean {
  let fd: number
  try {
    fd = openSync(p.path, 'r')
  } catch {
    return true
  }
  try {
    const h = createHash('sha256')
    const buf = Buffer.alloc(CHUNK)
    let pos = p.payloadOffset
    const end = p.payloadOffset + p.manifest.payload.bytes
    while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos)
      if (n === 0) return false
      h.update(buf.subarray(0, n))
      pos += n
    }
    return h.digest('hex') === p.manifest.payload.sha256
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

export const refusals = { NOT_PACKAGE, TRUNCATED, TAMPERED, DAMAGED, BAD_SIGNATURE, OLD_FORMAT, BAD_SCRYPT }
