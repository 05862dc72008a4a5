/**
 * Reading the values clerks put in their sheets: dates in every form they type, ID numbers that Excel
 * may have turned into numbers, header names with stars, line breaks and full-width brackets.
 * Pure: used by the importer in main and by the wizard's preview.
 */

/** A cell as the reader hands it over: text, number, boolean, a date (UTC midnight), or empty. */
export type Cell = string | number | boolean | Date | null

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

const pad = (n: number) => String(n).padStart(2, '0')

function realDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null
  return `${y}-${pad(m)}-${pad(d)}`
}

/** Excel serial day (1900 system, with its fake 29 Feb 1900) → YYYY-MM-DD. */
export function serialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null
  const day = Math.floor(serial + 1e-9)
  const ms = Date.UTC(1899, 11, 30) + day * 86_400_000
  const d = new Date(ms)
  return realDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

export function isoToSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000
}

/** A Date as exceljs gives it (UTC midnight for a date cell) → YYYY-MM-DD. */
export function dateToIso(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null
  // a time-of-day a hair before midnight (floating point in the serial) belongs to the next day
  const t = new Date(d.getTime() + 1000)
  return realDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
}

export const DATE_FORMS = '2024-03-01、2024/3/1、2024.3.1 或 2024年3月1日'

/** Every way a clerk writes a date: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, an Excel serial. */
export function parseDate(cell: Cell, label: string): Parsed<string> {
  const bad = (shown: string): Parsed<string> => ({ ok: false, message: `${label}「${shown}」不是有效日期，请写成 ${DATE_FORMS}` })
  if (cell instanceof Date) {
    const iso = dateToIso(cell)
    return iso ? { ok: true, value: iso } : bad('')
  }
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 22001231) {
      const iso = realDate(Math.floor(cell / 10000), Math.floor(cell / 100) % 100, cell % 100)
      return iso ? { ok: true, value: iso } : bad(String(cell))
    }
    const iso = cell >= 367 ? serialToIso(cell) : null
    return iso ? { ok: true, value: iso } : bad(String(cell))
  }
  if (typeof cell !== 'string') return bad(String(cell))
  const s = cell.trim().replace(/\s+/g, ' ')
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s)
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (m) {
    const iso = realDate(Number(m[1]), Number(m[2]), Number(m[3]))
    return iso ? { ok: true, value: iso } : bad(s)
  }
  // an ISO timestamp, as some exports write
  m = /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+Z?$/.exec(s)
  if (m) {
    const iso = realDate(Number(m[1]), Number(m[2]), Number(m[3]))
    return iso ? { ok: true, value: iso } : bad(s)
  }
  // a serial typed or stored as text
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    const iso = serialToIso(Number(s))
    if (iso) return { ok: true, value: iso }
  }
  return bad(s)
}

/** 8:30, 08:30, 8:30:00, 8时30分, 8点半, an Excel time fraction, or a Date holding a time → HH:MM. */
export function parseTime(cell: Cell, label: string): Parsed<string> {
  const bad = (shown: string): Parsed<string> => ({ ok: false, message: `${label}「${shown}」不是有效时间，请写成 08:30 这样的 时:分` })
  const fmt = (h: number, mi: number): Parsed<string> | null => (h >= 0 && h <= 23 && mi >= 0 && mi <= 59 ? { ok: true, value: `${pad(h)}:${pad(mi)}` } : null)
  if (cell instanceof Date) {
    const mins = Math.round((cell.getTime() % 86_400_000 + 86_400_000) % 86_400_000 / 60_000) % 1440
    return fmt(Math.floor(mins / 60), mins % 60) ?? bad('')
  }
  if (typeof cell === 'number') {
    if (cell >= 0 && cell < 1) {
      const mins = Math.round(cell * 1440) % 1440
      return fmt(Math.floor(mins / 60), mins % 60)!
    }
    return bad(String(cell))
  }
  if (typeof cell !== 'string') return bad(String(cell))
  const s = cell.trim()
  let m = /^(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*\d{2})?$/.exec(s)
  if (!m) m = /^(\d{1,2})\s*[时点]\s*(?:(\d{1,2})\s*分?)?$/.exec(s)
  if (m) return fmt(Number(m[1]), Number(m[2] ?? 0)) ?? bad(s)
  m = /^(\d{1,2})\s*[时点]半$/.exec(s)
  if (m) return fmt(Number(m[1]), 30) ?? bad(s)
  return bad(s)
}

/** Text of a cell for text fields: numbers without exponent or grouping, dates as YYYY-MM-DD. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'string') return cell.trim()
  if (typeof cell === 'boolean') return cell ? '是' : '否'
  if (cell instanceof Date) return dateToIso(cell) ?? ''
  if (Number.isInteger(cell) && Math.abs(cell) < 1e21) return BigInt(cell).toString()
  return String(cell)
}

export function isBlank(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')
}

/**
 * An 身份证号 cell. A number of 15 digits or more is what Excel makes of an 18-digit number typed
 * into a General cell: only 15 significant digits survive, the last three are gone for good.
 */
export function parseIdCell(cell: Cell, label = '身份证号'): Parsed<string> {
  if (typeof cell === 'number') {
    if (Math.abs(cell) >= 1e14)
      return {
        ok: false,
        message: `${label}被Excel存成了数字（${cellText(cell)}），末三位已丢失、无法恢复。请把该列设为「文本」格式（或在号码前加英文单引号 '），重新输入完整的18位号码后再导入`,
      }
    return { ok: true, value: cellText(cell) }
  }
  let s = cellText(cell).replace(/\s+/g, '')
  if (s.startsWith("'") || s.startsWith('‘') || s.startsWith('’')) s = s.slice(1)
  if (/^\d(\.\d+)?E\+?\d+$/i.test(s))
    return {
      ok: false,
      message: `${label}被Excel存成了数字（${s}），末几位已丢失、无法恢复。请把该列设为「文本」格式（或在号码前加英文单引号 '），重新输入完整的18位号码后再导入`,
    }
  return { ok: true, value: s }
}

/** A phone cell: an 11-digit mobile survives being a number; spaces and dashes typed by hand are kept for the validator. */
export function parsePhoneCell(cell: Cell): string {
  if (typeof cell === 'number') return cellText(cell)
  let s = cellText(cell)
  if (s.startsWith("'")) s = s.slice(1)
  return s
}

const FULLWIDTH: Record<string, string> = { '（': '(', '）': ')', '／': '/', '：': ':', '\u3000': '' }

/** characters normHeader removes or replaces: a lower-case text without any is its own normal form (most data cells) */
const HEADER_NOISE = /[\s（）／：\u3000*＊※(:]/

/** Header text as compared: no spaces or line breaks, no stars or 必填 marks, brackets half-width. */
export function normHeader(s: string): string {
  if (!HEADER_NOISE.test(s) && s === s.toLowerCase()) return s
  return s
    .replace(/[（）／：\u3000]/g, (c) => FULLWIDTH[c] ?? c)
    .replace(/\s+/g, '')
    .replace(/[*＊※]/g, '')
    .replace(/\((必填|选填|必填项|可选|可不填)\)/g, '')
    .replace(/[:]+$/, '')
    .toLowerCase()
}

/** The header without any bracketed part: 联系电话(手机) → 联系电话. */
export function stripBrackets(s: string): string {
  return s.replace(/\([^)]*\)/g, '').replace(/【[^】]*】/g, '').replace(/\[[^\]]*\]/g, '')
}

/** 1 → A, 27 → AA */
export function columnLetter(n: number): string {
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** Rows that are not records: totals, notes, signatures. Returns the reason, or null for a record row. */
export function nonRecordRow(cells: Cell[]): string | null {
  // one pass, text made only where it can matter: a number, date or yes/no is never 合计 or 示例行
  let first: string | null = null
  let total = false
  let example = false
  for (const c of cells) {
    if (c === null || c === '') continue
    if (first === null) {
      const t = cellText(c)
      if (t === '') continue
      first = t.replace(/\s+/g, '')
    }
    if (typeof c !== 'string') continue
    if (!total && TOTAL_CELL.test(c.trim())) total = true
    if (!example && c.includes('示例行')) example = true
  }
  if (first === null) return null
  if (total || /^(合计|总计|小计|共计|累计|汇总)/.test(first)) return '合计行'
  if (/^(注|备注|说明|填表说明|附注)[:：]/.test(first) || /^(填表人|制表人|审核人|负责人|填报人|统计人|填报日期|填表日期|制表日期|单位负责人|分管领导)/.test(first))
    return '说明或签名行'
  if (example) return '模板示例行'
  return null
}

const TOTAL_CELL = /^(合\s*计|总\s*计|小\s*计)[:：]?$/
