import { createReadStream } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { createInflateRaw, crc32 } from 'node:zlib'
import { ApiError } from '../../shared/errors'

/**
 * The .xlsx container read through its central directory, with Node's own zlib, and nothing trusted:
 * a file from outside may be a zip bomb (1 MB inflating to 1 GiB), truncated, or corrupt mid-stream.
 * Before a part is inflated its declared sizes are checked (a size limit per part, the compression
 * ratio, the data lying inside the file and not overlapping another entry); while it is inflated
 * it is cut off as soon as it passes its declared size, and at its end the size and the CRC-32 must
 * match. Every failure is the one Chinese message below, never an internal error.
 */
export const DAMAGED = '文件已损坏或不是Excel文件'

export function damaged(reason: string): ApiError {
  return new ApiError('invalid_input', `${DAMAGED}（${reason}）。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再导入`, 'file')
}

/** More entries than any workbook has (sheets, drawings, images): past this the directory is not an .xlsx's. */
export const MAX_ENTRIES = 10_000
/** Inflated ÷ compressed above this is a bomb (Apache POI's limit); parts smaller than RATIO_GRACE are not judged. */
export const MAX_RATIO = 100
export const RATIO_GRACE = 1024 * 1024

export interface ZipEntry {
  /** as stored, e.g. xl/worksheets/sheet1.xml */
  name: string
  method: number
  flags: number
  crc: number
  compressedSize: number
  uncompressedSize: number
  localOffset: number
}

const MiB = 1024 * 1024
const mib = (n: number) => `${Math.round(n / MiB)}MB`

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at)
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged('压缩目录中的大小不合理')
  return Number(v)
}

async function readAt(fh: FileHandle, at: number, n: number): Promise<Buffer> {
  const b = Buffer.alloc(n)
  const { bytesRead } = await fh.read(b, 0, n, at)
  if (bytesRead !== n) throw damaged('文件不完整')
  return b
}

/** End of central directory: the last signature within the final 64 KiB + 22 bytes. */
async function findDirectory(fh: FileHandle, size: number): Promise<{ count: number; offset: number; length: number; end: number }> {
  const tail = Math.min(size, 65_535 + 22)
  if (size < 22) throw damaged('文件太短，不是完整的 .xlsx')
  const b = await readAt(fh, size - tail, tail)
  let at = -1
  for (let i = b.length - 22; i >= 0; i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      at = i
      break
    }
  if (at < 0) throw damaged('找不到压缩目录，文件可能不完整')
  const eocd = size - tail + at
  if (b.readUInt16LE(at + 4) !== 0 || b.readUInt16LE(at + 6) !== 0) throw damaged('分卷压缩文件')
  let count = b.readUInt16LE(at + 10)
  let length = b.readUInt32LE(at + 12)
  let offset = b.readUInt32LE(at + 16)
  if (count === 0xffff || length === 0xffffffff || offset === 0xffffffff) {
    // ZIP64: the locator sits just before the end record and points at the 64-bit one
    if (eocd < 20) throw damaged('压缩目录不完整')
    const loc = await readAt(fh, eocd - 20, 20)
    if (loc.readUInt32LE(0) !== 0x07064b50) throw damaged('压缩目录不完整')
    const at64 = u64(loc, 8)
    if (at64 + 56 > eocd) throw damaged('压缩目录位置不对')
    const z = await readAt(fh, at64, 56)
    if (z.readUInt32LE(0) !== 0x06064b50) throw damaged('压缩目录不完整')
    count = u64(z, 32)
    length = u64(z, 40)
    offset = u64(z, 48)
    return { count, offset, length, end: at64 }
  }
  return { count, offset, length, end: eocd }
}

function zip64Extra(extra: Buffer, e: ZipEntry): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i)
    const n = extra.readUInt16LE(i + 2)
    if (id === 0x0001) {
      let p = i + 4
      const take = () => {
        if (p + 8 > i + 4 + n) throw damaged('压缩目录中的扩展信息不完整')
        const v = u64(extra, p)
        p += 8
        return v
      }
      if (e.uncompressedSize === 0xffffffff) e.uncompressedSize = take()
      if (e.compressedSize === 0xffffffff) e.compressedSize = take()
      if (e.localOffset === 0xffffffff) e.localOffset = take()
      return
    }
    i += 4 + n
  }
}

export class ZipFile {
  private constructor(
    readonly path: string,
    readonly size: number,
    private readonly byName: Map<string, ZipEntry>,
    /** where each entry's stored bytes may end at most: the next entry's start, or the directory */
    private readonly room: Map<ZipEntry, number>,
  ) {}

  static async open(path: string): Promise<ZipFile> {
    const fh = await open(path, 'r')
    try {
      const size = (await fh.stat()).size
      const dir = await findDirectory(fh, size)
      if (dir.count > MAX_ENTRIES) throw damaged(`压缩包里有${dir.count}个部件，不是正常的工作簿`)
      if (dir.offset + dir.length > dir.end || dir.length > 16 * MiB) throw damaged('压缩目录位置不对')
      const b = await readAt(fh, dir.offset, dir.length)
      const entries: ZipEntry[] = []
      let p = 0
      for (let i = 0; i < dir.count; i++) {
        if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) throw damaged('压缩目录已损坏')
        const nameLen = b.readUInt16LE(p + 28)
        const extraLen = b.readUInt16LE(p + 30)
        const commentLen = b.readUInt16LE(p + 32)
        if (p + 46 + nameLen + extraLen + commentLen > b.length) throw damaged('压缩目录已损坏')
        const e: ZipEntry = {
          name: b.toString('utf8', p + 46, p + 46 + nameLen).replace(/\\/g, '/'),
          flags: b.readUInt16LE(p + 8),
          method: b.readUInt16LE(p + 10),
          crc: b.readUInt32LE(p + 16),
          compressedSize: b.readUInt32LE(p + 20),
          uncompressedSize: b.readUInt32LE(p + 24),
          localOffset: b.readUInt32LE(p + 42),
        }
        zip64Extra(b.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), e)
        entries.push(e)
        p += 46 + nameLen + extraLen + commentLen
      }
      // stored bytes may not overlap (the overlapping-entry bomb) nor reach into the directory
      const sorted = [...entries].sort((a, c) => a.localOffset - c.localOffset)
      const room = new Map<ZipEntry, number>()
      sorted.forEach((e, i) => {
        const limit = i + 1 < sorted.length ? sorted[i + 1]!.localOffset : dir.offset
        if (e.localOffset + 30 + Buffer.byteLength(e.name) + e.compressedSize > limit) throw damaged('压缩包中的部件互相重叠或超出了文件')
        room.set(e, limit)
      })
      const byName = new Map<string, ZipEntry>()
      for (const e of entries) byName.set(e.name.replace(/^\/+/, '').toLowerCase(), e)
      return new ZipFile(path, size, byName, room)
    } finally {
      await fh.close()
    }
  }

  /** by its path inside the zip, case-insensitive (Excel's own reader is) */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase())
  }

  /**
   * The inflated bytes of one entry, cut off at `limit` and at its declared size. `counted` hears every
   * inflated chunk (progress, and tests asserting the reader stopped early). Ends with a size and CRC check.
   */
  async *read(e: ZipEntry, limit: number, counted?: (bytes: number) => void): AsyncGenerator<Buffer> {
    const part = e.name
    if (e.flags & 1) throw damaged(`${part} 已加密`)
    if (e.method !== 0 && e.method !== 8) throw damaged(`${part} 使用了不支持的压缩方式`)
    if (e.uncompressedSize > RATIO_GRACE && e.uncompressedSize > MAX_RATIO * e.compressedSize)
      throw damaged(`${part} 的压缩比异常（${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}倍），疑似“压缩炸弹”`)
    if (e.uncompressedSize > limit) throw damaged(`${part} 解压后有${mib(e.uncompressedSize)}，超过了上限${mib(limit)}`)
    if (e.method === 0 && e.compressedSize !== e.uncompressedSize) throw damaged(`${part} 的大小记录不一致`)
    const fh = await open(this.path, 'r')
    let start: number
    try {
      const head = await readAt(fh, e.localOffset, 30)
      if (head.readUInt32LE(0) !== 0x04034b50) throw damaged(`找不到 ${part} 的数据`)
      start = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28)
    } finally {
      await fh.close()
    }
    if (start + e.compressedSize > this.room.get(e)!) throw damaged(`${part} 的数据超出了文件`)
    if (e.compressedSize === 0) {
      if (e.uncompressedSize !== 0) throw damaged(`${part} 的数据不完整`)
      return
    }
    const raw = createReadStream(this.path, { start, end: start + e.compressedSize - 1, highWaterMark: 64 * 1024 })
    const source = e.method === 8 ? pipeline(raw, createInflateRaw({ chunkSize: 64 * 1024 }), () => {}) : raw
    let total = 0
    let crc = 0
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        total += chunk.length
        if (total > e.uncompressedSize) throw damaged(`${part} 解压后比记录的${e.uncompressedSize}字节还多，疑似“压缩炸弹”`)
        crc = crc32(chunk, crc)
        counted?.(chunk.length)
        yield chunk
      }
    } catch (err) {
      if (err instanceof ApiError) throw err
      // zlib's "invalid block type", "unexpected end of file"…: the stream is corrupt or cut short
      throw damaged(`${part} 的压缩数据已损坏`)
    } finally {
      raw.destroy()
      if (source !== raw) source.destroy()
    }
    if (total !== e.uncompressedSize) throw damaged(`${part} 解压后的大小与记录不符，数据不完整`)
    if (crc >>> 0 !== e.crc >>> 0) throw damaged(`${part} 的校验码不符，数据已损坏`)
  }
}
