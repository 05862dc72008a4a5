import { createReadStream, read } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import * as yauzl from 'yauzl'
import { ApiError } from '../../shared/errors'

/**
 * The .xlsx container, read by yauzl, and nothing trusted: a file from outside may be a zip bomb
 * (1 MB inflating to 1 GiB), truncated, or corrupt mid-stream. yauzl finds the directory (ZIP64 too),
 * keeps each part's data inside the file, and cuts inflation off as soon as a part passes its declared
 * size (validateEntrySizes). What it leaves to us, checked here: the number of parts and the
 * directory's size, parts overlapping one another, the compression ratio and a size limit per part
 * before a byte is inflated, and the CRC-32 at the end (yauzl does not check it). Every failure is the
 * one Chinese message below, never an internal error.
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
/** The directory's records kept in memory at most (yauzl keeps each entry's name, extra field and comment). */
const MAX_DIRECTORY = 16 * MiB

/**
 * Reads by path, a file descriptor per stream: a ZipFile holds no open file between reads, so callers
 * need not close it and the upload can be deleted (on Windows too) once the call ends. While the
 * directory is read (`fd` set), yauzl's two small reads per entry are served from blocks read ahead
 * through one descriptor: a file opened per read made a directory of 10,000 entries take seconds.
 */
class PathReader extends yauzl.RandomAccessReader {
  fd: number | null = null
  private ahead = { at: 0, data: Buffer.alloc(0) }
  constructor(private readonly path: string) {
    super()
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream(this.path, { start, end: end - 1, highWaterMark: 64 * 1024 })
  }
  override read(buffer: Buffer, offset: number, length: number, position: number, done: (err: Error | null) => void): void {
    if (this.fd === null) return super.read(buffer, offset, length, position, done)
    const copy = () => {
      const { at, data } = this.ahead
      if (position - at + length > data.length) return done(new Error('unexpected EOF'))
      data.copy(buffer, offset, position - at, position - at + length)
      done(null)
    }
    if (position >= this.ahead.at && position + length <= this.ahead.at + this.ahead.data.length) return copy()
    const data = Buffer.allocUnsafe(Math.max(length, 256 * 1024))
    read(this.fd, data, 0, data.length, position, (err, n) => {
      if (err) return done(err)
      this.ahead = { at: position, data: data.subarray(0, n) }
      copy()
    })
  }
  /** the directory is read: later reads (local headers, data) open the file themselves */
  directoryRead(): void {
    this.fd = null
    this.ahead = { at: 0, data: Buffer.alloc(0) }
  }
}

/** yauzl's English errors as the reason a clerk reads; anything else is corrupt data. */
function refused(err: unknown, e?: ZipEntry): ApiError {
  if (err instanceof ApiError) return err
  const m = err instanceof Error ? err.message : String(err)
  if (!e) {
    if (/signature not found/i.test(m)) return damaged('找不到压缩目录，文件可能不完整')
    if (/multi-disk/i.test(m)) return damaged('分卷压缩文件')
    if (/size mismatch/.test(m)) return damaged('压缩目录中的大小记录不一致')
    return damaged('压缩目录已损坏')
  }
  const part = e.name
  if (/too many bytes/.test(m)) return damaged(`${part} 解压后比记录的${e.uncompressedSize}字节还多，疑似“压缩炸弹”`)
  if (/not enough bytes/.test(m)) return damaged(`${part} 解压后的大小与记录不符，数据不完整`)
  if (/encrypted/.test(m)) return damaged(`${part} 已加密`)
  if (/compression method/.test(m)) return damaged(`${part} 使用了不支持的压缩方式`)
  if (/local file header|file bounds|EOF/.test(m)) return damaged(`找不到 ${part} 的数据，或数据超出了文件`)
  // zlib's "invalid block type", "unexpected end of file"…: the stream is corrupt or cut short
  return damaged(`${part} 的压缩数据已损坏`)
}

export class ZipFile {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly byName: Map<string, ZipEntry>,
    private readonly raw: Map<ZipEntry, yauzl.Entry>,
    /** where each entry's stored bytes may end at most: the next entry's start, or the file's end */
    private readonly room: Map<ZipEntry, number>,
  ) {}

  static async open(path: string): Promise<ZipFile> {
    const fh = await open(path, 'r')
    const reader = new PathReader(path)
    reader.fd = fh.fd
    const raw = new Map<ZipEntry, yauzl.Entry>()
    let size: number
    let zip: yauzl.ZipFile
    try {
      size = (await fh.stat()).size
      // backslashes in names are read as slashes (strictFileNames off), as some Windows tools write them
      zip = await yauzl.fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false })
      if (zip.entryCount > MAX_ENTRIES) throw damaged(`压缩包里有${zip.entryCount}个部件，不是正常的工作簿`)
      let directory = 0
      for await (const r of zip.eachEntry()) {
        directory += 46 + r.fileNameLength + r.extraFieldLength + r.fileCommentLength
        if (directory > MAX_DIRECTORY) throw damaged('压缩目录过大')
        const e: ZipEntry = {
          name: r.fileName,
          method: r.compressionMethod,
          flags: r.generalPurposeBitFlag,
          crc: r.crc32,
          compressedSize: r.compressedSize,
          uncompressedSize: r.uncompressedSize,
          localOffset: r.relativeOffsetOfLocalHeader,
        }
        raw.set(e, r)
      }
    } catch (err) {
      throw refused(err)
    } finally {
      reader.directoryRead()
      await fh.close()
    }
    // stored bytes may not overlap (the overlapping-entry bomb): yauzl only keeps each inside the file
    const sorted = [...raw].sort(([a], [c]) => a.localOffset - c.localOffset)
    const room = new Map<ZipEntry, number>()
    sorted.forEach(([e, r], i) => {
      const limit = i + 1 < sorted.length ? sorted[i + 1]![0].localOffset : size
      if (e.localOffset + 30 + r.fileNameLength + e.compressedSize > limit) throw damaged('压缩包中的部件互相重叠或超出了文件')
      room.set(e, limit)
    })
    const byName = new Map<string, ZipEntry>()
    for (const e of raw.keys()) byName.set(e.name.toLowerCase(), e)
    return new ZipFile(zip, byName, raw, room)
  }

  /** by its path inside the zip, case-insensitive (Excel's own reader is) */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase())
  }

  /**
   * The inflated bytes of one entry, refused above `limit` and cut off at its declared size. `counted`
   * hears every inflated chunk (progress, and tests asserting the reader stopped early). Ends with a CRC check.
   */
  async *read(e: ZipEntry, limit: number, counted?: (bytes: number) => void): AsyncGenerator<Buffer> {
    const part = e.name
    if (e.uncompressedSize > RATIO_GRACE && e.uncompressedSize > MAX_RATIO * e.compressedSize)
      throw damaged(`${part} 的压缩比异常（${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}倍），疑似“压缩炸弹”`)
    if (e.uncompressedSize > limit) throw damaged(`${part} 解压后有${mib(e.uncompressedSize)}，超过了上限${mib(limit)}`)
    const r = this.raw.get(e)!
    let stream: Readable | undefined
    let crc = 0
    try {
      // the local header may push the data further than the directory said: into the next entry
      const { fileDataStart } = await this.zip.readLocalFileHeaderPromise(r, { minimal: true })
      if (fileDataStart + e.compressedSize > this.room.get(e)!) throw damaged(`${part} 的数据与其他部件重叠`)
      stream = await this.zip.openReadStreamPromise(r)
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        crc = crc32(chunk, crc)
        counted?.(chunk.length)
        yield chunk
      }
    } catch (err) {
      throw refused(err, e)
    } finally {
      stream?.destroy()
    }
    if (crc >>> 0 !== e.crc >>> 0) throw damaged(`${part} 的校验码不符，数据已损坏`)
  }
}
