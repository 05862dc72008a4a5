import ExcelJS from 'exceljs'
import { createRequire } from 'node:module'
import { constants, crc32, deflateRawSync } from 'node:zlib'
import { ID } from './excelFixtures'

/**
 * Hostile .xlsx files, built byte by byte where it matters: for tests/integration/excel-hostile.test.ts
 * and tests/bench/excel.bench.ts (time and memory of the same refusals).
 */
/** One zip entry; what it declares (sizes, CRC) is up to the caller. */
export interface Part {
  name: string
  /** the bytes as they go into the zip (already deflated when method 8) */
  stored: Buffer
  method: 0 | 8
  crc: number
  size: number
}

export function part(name: string, data: Buffer, method: 0 | 8 = 8): Part {
  return { name, stored: method === 8 ? deflateRawSync(data) : data, method, crc: crc32(data), size: data.length }
}

/** `zip64`: every size and offset in the directory moved to ZIP64 extra fields, as some streaming writers store them. */
export function zipOf(parts: Part[], zip64 = false): Buffer {
  const chunks: Buffer[] = []
  const central: Buffer[] = []
  let at = 0
  for (const p of parts) {
    const name = Buffer.from(p.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(p.method, 8)
    local.writeUInt32LE(p.crc >>> 0, 14)
    local.writeUInt32LE(p.stored.length, 18)
    local.writeUInt32LE(p.size, 22)
    local.writeUInt16LE(name.length, 26)
    const cd = Buffer.alloc(46)
    cd.writeUInt32LE(0x02014b50, 0)
    cd.writeUInt16LE(zip64 ? 45 : 20, 4)
    cd.writeUInt16LE(zip64 ? 45 : 20, 6)
    cd.writeUInt16LE(p.method, 10)
    cd.writeUInt32LE(p.crc >>> 0, 16)
    cd.writeUInt32LE(zip64 ? 0xffffffff : p.stored.length, 20)
    cd.writeUInt32LE(zip64 ? 0xffffffff : p.size, 24)
    cd.writeUInt16LE(name.length, 28)
    cd.writeUInt32LE(zip64 ? 0xffffffff : at, 42)
    if (zip64) {
      const extra = Buffer.alloc(28)
      extra.writeUInt16LE(0x0001, 0)
      extra.writeUInt16LE(24, 2)
      extra.writeBigUInt64LE(BigInt(p.size), 4)
      extra.writeBigUInt64LE(BigInt(p.stored.length), 12)
      extra.writeBigUInt64LE(BigInt(at), 20)
      cd.writeUInt16LE(extra.length, 30)
      central.push(cd, name, extra)
    } else central.push(cd, name)
    chunks.push(local, name, p.stored)
    at += 30 + name.length + p.stored.length
  }
  const cdBytes = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(zip64 ? 0xffff : parts.length, 8)
  end.writeUInt16LE(zip64 ? 0xffff : parts.length, 10)
  end.writeUInt32LE(zip64 ? 0xffffffff : cdBytes.length, 12)
  end.writeUInt32LE(zip64 ? 0xffffffff : at, 16)
  if (!zip64) return Buffer.concat([...chunks, cdBytes, end])
  const rec = Buffer.alloc(56)
  rec.writeUInt32LE(0x06064b50, 0)
  rec.writeBigUInt64LE(44n, 4)
  rec.writeUInt16LE(45, 12)
  rec.writeUInt16LE(45, 14)
  rec.writeBigUInt64LE(BigInt(parts.length), 24)
  rec.writeBigUInt64LE(BigInt(parts.length), 32)
  rec.writeBigUInt64LE(BigInt(cdBytes.length), 40)
  rec.writeBigUInt64LE(BigInt(at), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(0x07064b50, 0)
  locator.writeBigUInt64LE(BigInt(at + cdBytes.length), 8)
  locator.writeUInt32LE(1, 16)
  return Buffer.concat([...chunks, cdBytes, rec, locator, end])
}

const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'))
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const JSZip = fromExceljs('jszip') as any

/** A real members workbook from exceljs, as its parts. */
export async function realParts(rows = 2): Promise<Map<string, Buffer>> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['姓名', '身份证号', '职务', '加入日期'])
  for (let i = 0; i < rows; i++) ws.addRow([`队员${i}`, ID(i + 1), '调解员', '2024-03-01'])
  const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()))
  const out = new Map<string, Buffer>()
  for (const n of Object.keys(zip.files)) if (!zip.files[n].dir) out.set(n, await zip.file(n).async('nodebuffer'))
  return out
}

export const SHEET = 'xl/worksheets/sheet1.xml'
export const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'

/** The workbook with its sheet part replaced. */
export async function withSheet(sheet: Part | ((parts: Map<string, Buffer>) => Part), rows = 2): Promise<Buffer> {
  const parts = await realParts(rows)
  const s = typeof sheet === 'function' ? sheet(parts) : sheet
  return zipOf([...parts].map(([name, data]) => (name === SHEET ? s : part(name, data))))
}

/**
 * A sheet of a header row and then one cell of `gib` GiB of the letter A: deflate of repeated bytes,
 * the same fully flushed block over and over, ~1 MB for 1 GiB. `declared` overrides the size in the
 * directory (a lying header); the CRC is never reached.
 */
export function bombSheet(gib: number, declared?: number): Part {
  const head = Buffer.from(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>`)
  const flush = { finishFlush: constants.Z_FULL_FLUSH }
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, 'A'), flush)
  const body = Buffer.concat([deflateRawSync(head, flush), ...Array<Buffer>(1024 * gib).fill(block), deflateRawSync(Buffer.alloc(0))])
  return { name: SHEET, stored: body, method: 8, crc: 0, size: declared ?? head.length + gib * 1024 ** 3 }
}

