import { once } from 'node:events'
import { crc32, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * A minimal ZIP writer over Node's native deflate: the .docx container. JSZip's JavaScript deflate
 * takes seconds on a 10,000-row register; zlib takes a fraction of that.
 */
export interface ZipEntry {
  name: string
  data: Buffer
}

/** an entry written from pieces made one at a time (document.xml of a long register): never held whole */
export interface StreamedEntry {
  name: string
  chunks: Iterable<Buffer>
  level?: number
}

interface Written {
  name: Buffer
  crc: number
  method: number
  compressed: number
  size: number
  offset: number
}

function localHeader(w: Written): Buffer {
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(0x0800, 6) // UTF-8 names
  local.writeUInt16LE(w.method, 8)
  local.writeUInt16LE(DOS_TIME, 10)
  local.writeUInt16LE(DOS_DATE, 12)
  local.writeUInt32LE(w.crc, 14)
  local.writeUInt32LE(w.compressed, 18)
  local.writeUInt32LE(w.size, 22)
  local.writeUInt16LE(w.name.length, 26)
  local.writeUInt16LE(0, 28)
  return local
}

function centralHeader(w: Written): Buffer {
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(0x0800, 8)
  central.writeUInt16LE(w.method, 10)
  central.writeUInt16LE(DOS_TIME, 12)
  central.writeUInt16LE(DOS_DATE, 14)
  central.writeUInt32LE(w.crc, 16)
  central.writeUInt32LE(w.compressed, 20)
  central.writeUInt32LE(w.size, 24)
  central.writeUInt16LE(w.name.length, 28)
  central.writeUInt32LE(w.offset, 42)
  return central
}

// a fixed timestamp (1980-01-01): the same content gives the same file
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

/** deflates pieces as they come, keeping only the compressed output */
async function deflateChunks(chunks: Iterable<Buffer>, level: number): Promise<{ body: Buffer; crc: number; size: number }> {
  const z = createDeflateRaw({ level, memLevel: 9, chunkSize: 256 * 1024 })
  const out: Buffer[] = []
  z.on('data', (b: Buffer) => out.push(b))
  const done = new Promise<void>((res, rej) => {
    z.on('end', res)
    z.on('error', rej)
  })
  let crc = 0
  let size = 0
  for (const c of chunks) {
    crc = crc32(c, crc)
    size += c.length
    if (!z.write(c)) await once(z, 'drain')
  }
  z.end()
  await done
  return { body: Buffer.concat(out), crc: crc >>> 0, size }
}

export async function writeZip(entries: (ZipEntry | StreamedEntry)[]): Promise<Buffer> {
  const parts: Buffer[] = []
  const written: Written[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    let body: Buffer
    let w: Written
    if ('data' in e) {
      const crc = crc32(e.data) >>> 0
      const deflated = deflateRawSync(e.data, { level: 6 })
      const useStore = deflated.length >= e.data.length
      body = useStore ? e.data : deflated
      w = { name, crc, method: useStore ? 0 : 8, compressed: body.length, size: e.data.length, offset }
    } else {
      const r = await deflateChunks(e.chunks, e.level ?? 6)
      body = r.body
      w = { name, crc: r.crc, method: 8, compressed: body.length, size: r.size, offset }
    }
    if (w.size > 0xffffffff) throw new Error('document too large for a .docx')
    const local = localHeader(w)
    parts.push(local, name, body)
    written.push(w)
    offset += local.length + name.length + body.length
  }
  let centralSize = 0
  for (const w of written) {
    const c = centralHeader(w)
    parts.push(c, w.name)
    centralSize += c.length + w.name.length
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(written.length, 8)
  end.writeUInt16LE(written.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  parts.push(end)
  return Buffer.concat(parts)
}

/** Reads a ZIP written by docx's packer (stored or deflated entries, no ZIP64). */
export function readZip(buf: Buffer): ZipEntry[] {
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  if (eocd < 0) throw new Error('not a zip file')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory')
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const localAt = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    const lNameLen = buf.readUInt16LE(localAt + 26)
    const lExtraLen = buf.readUInt16LE(localAt + 28)
    const start = localAt + 30 + lNameLen + lExtraLen
    const raw = buf.subarray(start, start + size)
    out.push({ name, data: method === 0 ? Buffer.from(raw) : inflateRawSync(raw) })
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}
