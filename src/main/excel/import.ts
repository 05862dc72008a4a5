import { openSqlite, type Sqlite } from '../db/sqlite'
import { contract } from '../../shared/api/contract'
import { ApiError } from '../../shared/errors'
import { roleLabels, roles as allRoles } from '../../shared/domain'
import { cellText, columnLetter, isBlank, nonRecordRow, normHeader, parseDate, parseIdCell, parsePhoneCell, parseTime, type Cell } from '../../shared/excel/cells'
import { importColumns, matchHeader, parseOption, parseRoles, suggestMapping, type ColumnDef, type ExcelRegister } from '../../shared/excel/columns'
import type { ExcelInspection, ImportReport, PreviewRow, RowError, RowWarning } from '../../shared/excel/schema'
import { describeIssue } from '../../shared/validation'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { requireTownship } from '../org/township'
import { operatorName } from '../settings/store'
import { Lookups } from './lookups'
import { openWorkbook, type SheetRow, type Workbook } from './reader'
import { registerDefs, type RegisterDef, type Values } from './registers'
import { ErrorsFile } from './errorsFile'
import { setProgress } from './progress'

/** Rows looked at to find the header. */
export const HEADER_SCAN = 30
/**
 * Row errors and warnings kept for the report: a sample, so a 100,000-row file of bad rows does not
 * sit in memory. The counts (rejectedRows, skipped) are exact and the errors file has every row.
 */
export const REPORT_SAMPLE = 1000

interface SheetStart {
  headerRow: number
  headerDetected: boolean
  headers: Record<number, string>
  topRows: SheetRow[]
  /** scanned rows below the header, then the rest of the sheet */
  rows: AsyncGenerator<SheetRow>
}

function texts(r: SheetRow | undefined): string[] {
  return r ? r.cells.map(cellText) : []
}

/** The header text of each column, a blank cell taking the text above it (a header merged over two rows). */
function headersAt(scanned: SheetRow[], i: number): Record<number, string> {
  const own = texts(scanned[i])
  const prev = scanned[i - 1]
  const above = prev && prev.row === scanned[i]!.row - 1 ? texts(prev) : []
  const aboveIsHeader = above.filter((t) => t !== '').length >= 2
  const out: Record<number, string> = {}
  const n = Math.max(own.length, aboveIsHeader ? above.length : 0)
  for (let c = 0; c < n; c++) {
    const t = own[c] || (aboveIsHeader ? above[c] ?? '' : '')
    if (t) out[c + 1] = t
  }
  return out
}

function headerScore(register: ExcelRegister, scanned: SheetRow[], i: number): number {
  const ownFields = new Set(texts(scanned[i]).map((t) => matchHeader(register, t)).filter((f) => f !== null))
  if (ownFields.size === 0) return 0
  const fields = new Set<string>()
  let known = 0
  for (const t of Object.values(headersAt(scanned, i))) {
    const f = matchHeader(register, t)
    if (f) fields.add(f)
    else if (f === '') known++
  }
  return fields.size + known * 0.5
}

async function startSheet(register: ExcelRegister, wb: Workbook, sheet: string, headerRow: number | undefined, progress?: (d: number, t: number) => void): Promise<SheetStart> {
  const it = wb.rows(sheet, progress)
  const scanned: SheetRow[] = []
  const limit = Math.max(HEADER_SCAN, (headerRow ?? 0) + 1)
  while (scanned.length < limit) {
    const n = await it.next()
    if (n.done) break
    if (n.value.cells.some((c) => !isBlank(c))) scanned.push(n.value)
  }
  let idx = -1
  let detected = false
  if (headerRow !== undefined) {
    idx = scanned.findIndex((r) => r.row === headerRow)
    if (idx < 0) throw new ApiError('invalid_input', `第${headerRow}行是空行或超出了表格，不能作为表头`, 'headerRow')
  } else {
    let best = 0
    scanned.forEach((_, i) => {
      const s = headerScore(register, scanned, i)
      if (s >= 2 && s >= best) {
        best = s
        idx = i
      }
    })
    detected = idx >= 0
    if (idx < 0) idx = 0
  }
  const headers = scanned.length ? headersAt(scanned, idx) : {}
  const below = scanned.slice(idx + 1)
  async function* rest(): AsyncGenerator<SheetRow> {
    try {
      yield* below
      for (;;) {
        const n = await it.next()
        if (n.done) return
        yield n.value
      }
    } finally {
      await it.return(undefined)
    }
  }
  return { headerRow: scanned[idx]?.row ?? 1, headerDetected: detected, headers, topRows: scanned.slice(0, 15), rows: rest() }
}

interface Converted {
  values: Values
  display: Record<string, string>
  errors: RowError[]
}

const yes = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '脱管', '漏管'])
const no = new Set(['否', '无', '没有', 'n', 'no', 'false', '0', '×', '✗', '正常'])

/**
 * The values that must be unique within the file (a 身份证号), with the row that first had each: kept
 * in a temp table of the import's own connection, so memory does not grow with the file.
 */
class SeenInFile {
  private readonly add
  private readonly first

  constructor(db: Sqlite) {
    // a small page cache for the temp database: the table spills to a temp file, not to memory
    db.pragma('temp.cache_size = -2048')
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY NOT NULL, row INTEGER NOT NULL) WITHOUT ROWID')
    db.exec('DELETE FROM temp.import_seen')
    this.add = db.prepare('INSERT OR IGNORE INTO temp.import_seen (key, row) VALUES (?, ?)')
    this.first = db.prepare('SELECT row FROM temp.import_seen WHERE key = ?').pluck()
  }

  /** the row that first had key, or undefined (and key is now recorded for row) */
  check(key: string, row: number): number | undefined {
    if (this.add.run(key, row).changes === 1) return undefined
    return this.first.get(key) as number
  }
}

/** Everything that reads one row: the mapping, the lookups, the register's schema and handler. */
class RowReader {
  readonly def: RegisterDef
  readonly cols: ColumnDef[]
  private readonly schema
  private readonly labels: Record<string, string>
  private readonly seen: SeenInFile
  /** the mapped columns (1-based) and each field's column name, worked out once */
  private readonly mapped: number[]
  private readonly names = new Map<string, string>()
  private readonly idField: string | undefined
  /** the register's create handler in a savepoint, built once */
  private readonly createTx: (input: unknown) => { id: string }

  constructor(
    readonly register: ExcelRegister,
    readonly headers: Record<number, string>,
    readonly mapping: Record<string, number | null>,
    readonly lookups: Lookups,
    readonly ctx: Ctx,
  ) {
    this.def = registerDefs[register]
    this.cols = importColumns(register)
    this.schema = contract[this.def.create].input
    this.labels = contract[this.def.create].labels
    this.seen = new SeenInFile(ctx.db)
    this.mapped = Object.values(this.mapping).filter((c): c is number => !!c)
    this.idField = this.cols.find((c) => c.kind === 'optionalId')?.key
    const handler = this.def.handler('create')
    // a savepoint per row: a row the handler refuses leaves nothing behind, whatever the handler wrote first
    this.createTx = ctx.db.transaction((input: unknown) => {
      const out = handler(input as never, ctx)
      if (out instanceof Promise) throw new Error('create handler must be synchronous')
      return out as { id: string }
    })
  }

  /** the field itself, or the column that stands in for it when it has none */
  private resolve(field: string): string {
    const alt = this.def.alternatives?.[field]
    return !this.mapping[field] && alt && this.mapping[alt] ? alt : field
  }

  columnName(field: string): string {
    let n = this.names.get(field)
    if (n === undefined) this.names.set(field, (n = this.columnNameOf(field)))
    return n
  }

  private columnNameOf(field: string): string {
    const col = this.mapping[field]
    if (col) return this.headers[col]?.trim() || `${columnLetter(col)}列`
    return this.cols.find((c) => c.key === field)?.label ?? this.labels[field] ?? field
  }

  private cell(cells: Cell[], field: string): Cell {
    const col = this.mapping[field]
    return col ? (cells[col - 1] ?? null) : null
  }

  /** blank, a row that is not a record (合计, notes, a repeated header), or null for a record */
  classify(r: SheetRow): 'blank' | string | null {
    const mapped = this.mapped
    const why = nonRecordRow(r.cells)
    if (why) return why
    // a pre-numbered empty row (only 序号 filled) is as blank as an empty one
    if (mapped.every((c) => isBlank(r.cells[c - 1] ?? null))) return 'blank'
    let same = 0
    for (const c of mapped) if (this.headers[c] && normHeader(cellText(r.cells[c - 1] ?? null)) === normHeader(this.headers[c]!)) same++
    if (same >= 2) return '重复的表头行'
    return null
  }

  convert(r: SheetRow): Converted {
    const values: Values = {}
    const display: Record<string, string> = {}
    const errors: RowError[] = []
    const fail = (field: string, message: string) => errors.push({ row: r.row, column: this.columnName(field), message, field })
    const later: ColumnDef[] = []
    for (const col of this.cols) {
      if (col.kind === 'person') {
        later.push(col)
        continue
      }
      if (!this.mapping[col.key]) continue
      const cell = this.cell(r.cells, col.key)
      const label = this.columnName(col.key)
      if (isBlank(cell)) {
        if (col.required) fail(col.key, `请填写${label}`)
        if (col.kind === 'optionalId') values[col.key] = null
        display[col.key] = ''
        continue
      }
      const text = cellText(cell)
      const set = (value: unknown, shown: string = text) => {
        values[col.key] = value
        display[col.key] = shown
      }
      switch (col.kind) {
        case 'text':
          set(text)
          break
        case 'id':
        case 'optionalId': {
          const p = parseIdCell(cell, label)
          if (p.ok) set(p.value.toUpperCase(), p.value.toUpperCase())
          else fail(col.key, p.message)
          break
        }
        case 'phone':
          set(parsePhoneCell(cell))
          break
        case 'date': {
          const p = parseDate(cell, label)
          if (p.ok) set(p.value, p.value)
          else fail(col.key, p.message)
          break
        }
        case 'time': {
          const p = parseTime(cell, label)
          if (p.ok) set(p.value, p.value)
          else fail(col.key, p.message)
          break
        }
        case 'timeRange': {
          const parts = text.split(/\s*[-—–~～至到]+\s*/).filter(Boolean)
          const a = parts.length === 2 ? parseTime(parts[0]!, '开始时间') : null
          const b = parts.length === 2 ? parseTime(parts[1]!, '结束时间') : null
          if (a?.ok && b?.ok) set({ start: a.value, end: b.value }, `${a.value}-${b.value}`)
          else fail(col.key, `${label}「${text}」应写成 19:30-22:00 这样的 开始-结束`)
          break
        }
        case 'bool': {
          const t = text.toLowerCase()
          if (yes.has(t)) set(true, '是')
          else if (no.has(t)) set(false, '否')
          else fail(col.key, `${label}「${text}」应填“是”或“否”`)
          break
        }
        case 'enum': {
          const v = parseOption(col, text)
          if (v !== null) set(v, col.options![v] ?? v)
          else fail(col.key, `${label}「${text}」不是可选的值，可填：${Object.values(col.options ?? {}).join('、')}`)
          break
        }
        case 'roles': {
          const p = parseRoles(text)
          if (p.unknown.length) fail(col.key, `${label}「${p.unknown.join('、')}」不认识，可填：${allRoles.map((x) => roleLabels[x]).join('、')}（多个用顿号分开）`)
          else if (p.roles.length === 0) fail(col.key, `请填写${label}`)
          else set(p.roles, p.roles.map((x) => roleLabels[x]).join('、'))
          break
        }
        case 'village': {
          const f = this.lookups.village(text, label)
          if (f.ok) set(f.id, f.name)
          else fail(col.key, f.message)
          break
        }
        case 'grid': {
          const f = this.lookups.grid(text, values.villageId as string | undefined, label)
          if (f.ok) set(f.id, f.name)
          else fail(col.key, f.message)
          break
        }
        case 'unit': {
          const f = this.lookups.unit(text, label)
          if (f.ok) set(f.id, f.name)
          else fail(col.key, f.message)
          break
        }
        case 'member': {
          const f = this.lookups.member(text, label, values.villageId as string | undefined)
          if (f.ok) set(f.id, f.name)
          else fail(col.key, f.message)
          break
        }
        case 'members': {
          const f = this.lookups.members(text, label, values.villageId as string | undefined)
          if (f.ok) set(f.ids, f.names.join('、'))
          else fail(col.key, f.message)
          break
        }
        case 'ignore':
          break
      }
    }
    for (const col of later) {
      const name = cellText(this.cell(r.cells, col.key))
      const idField = this.idField
      const id = idField && typeof values[idField] === 'string' ? (values[idField] as string) : null
      if (!name && !id) {
        if (this.mapping[col.key] || (idField && this.mapping[idField])) fail(col.key, `请填写${col.label}`)
        continue
      }
      if (idField && errors.some((e) => e.field === idField)) continue
      const f = this.lookups.person(name, id, col.label)
      if (f.ok) {
        values[col.key] = f.id
        display[col.key] = f.name
      } else fail(col.key, f.message)
    }
    return { values, display, errors }
  }

  /** Validates with the register's own schema; returns the parsed input, adding errors otherwise. */
  validate(r: SheetRow, c: Converted): unknown {
    const input = this.def.assemble(c.values)
    const parsed = this.schema.safeParse(input)
    const bad = new Set(c.errors.map((e) => e.field))
    if (!parsed.success) {
      const reported = new Set<string>()
      for (const issue of parsed.error.issues) {
        const field = this.resolve(this.def.fieldOf(issue.path.map(String).join('.'), input))
        if (bad.has(field) || reported.has(field)) continue
        reported.add(field)
        c.errors.push({ row: r.row, column: this.columnName(field), message: describeIssue(issue, this.labels).message, field })
      }
    }
    const d = this.def.dedupe?.(c.values)
    if (d) {
      const first = this.seen.check(d.key, r.row)
      if (first !== undefined) c.errors.push({ row: r.row, column: this.columnName(d.field), message: `与第${first}行的${this.columnName(d.field)}重复，同一文件中不能重复登记`, field: d.field })
    }
    return parsed.success && c.errors.length === 0 ? parsed.data : undefined
  }

  /** Runs the register's create handler inside a savepoint: its rule checks are the form's. */
  create(r: SheetRow, c: Converted, input: unknown): string | null {
    try {
      return this.createTx(input).id
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      const field = e.field ? this.resolve(this.def.fieldOf(e.field, this.def.assemble(c.values))) : ''
      c.errors.push({ row: r.row, column: field ? this.columnName(field) : '', message: e.message, ...(field ? { field } : {}) })
      return null
    }
  }
}

/** A second connection holding the import's write transaction, so rows can be read from the file as they are written. */
function importConnection(ctx: Ctx): Ctx {
  const file = ctx.db.name
  if (!file || file === ':memory:') throw new Error('import needs a database file')
  const db = openSqlite(file)
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // one long write transaction: a page cache big enough that SQLite does not spill to the WAL midway
  db.pragma('cache_size = -65536')
  return { ...ctx, db }
}

export interface ImportSource {
  register: ExcelRegister
  path: string
  fileName: string
  sheet?: string
  headerRow?: number
  mapping?: Record<string, number | null>
}

function checkMapping(register: ExcelRegister, mapping: Record<string, number | null>): Record<string, number | null> {
  const known = new Set(importColumns(register).map((c) => c.key))
  const out: Record<string, number | null> = {}
  for (const k of known) out[k] = null
  for (const [k, v] of Object.entries(mapping)) {
    if (!known.has(k)) throw new ApiError('invalid_input', `列对应关系中有不认识的字段：${k}`, 'mapping')
    out[k] = v
  }
  return out
}

function missingRequired(register: ExcelRegister, mapping: Record<string, number | null>): string[] {
  return importColumns(register)
    .filter((c) => c.required && !mapping[c.key])
    .map((c) => c.label)
}

async function begin(src: ImportSource, progress?: (d: number, t: number) => void) {
  const wb = await openWorkbook(src.path, src.fileName)
  try {
    const sheet = src.sheet ?? wb.sheets[0]!
    if (!wb.sheets.includes(sheet)) throw new ApiError('invalid_input', `找不到工作表「${sheet}」，可选：${wb.sheets.join('、')}`, 'sheet')
    // a sheet corrupt in its middle is refused now, not after thousands of rows
    await wb.verify(sheet)
    const start = await startSheet(src.register, wb, sheet, src.headerRow, progress)
    try {
      const mapping = src.mapping ? checkMapping(src.register, src.mapping) : suggestMapping(src.register, start.headers)
      return { wb, sheet, start, mapping }
    } catch (e) {
      await start.rows.return(undefined)
      throw e
    }
  } catch (e) {
    wb.close()
    throw e
  }
}

/** The wizard's second and third steps: sheets, header row, columns, suggested mapping, preview. */
export async function inspectFile(ctx: Ctx, src: ImportSource & { fileId: string; previewRows?: number }): Promise<ExcelInspection> {
  requireTownship(ctx)
  const { wb, sheet, start, mapping } = await begin(src)
  const maxCol = Math.max(0, ...Object.keys(start.headers).map(Number), ...start.topRows.map((r) => r.cells.length))
  const columns = Array.from({ length: maxCol }, (_, i) => ({ index: i + 1, letter: columnLetter(i + 1), header: start.headers[i + 1] ?? '' }))
  const preview: PreviewRow[] = []
  const limit = src.previewRows ?? 20
  const ictx = importConnection(ctx)
  try {
    ictx.db.exec('BEGIN IMMEDIATE')
    const reader = new RowReader(src.register, start.headers, mapping, new Lookups(ictx), ictx)
    for await (const r of start.rows) {
      const kind = reader.classify(r)
      if (kind === 'blank') continue
      if (kind) preview.push({ row: r.row, values: {}, errors: [], skipped: kind })
      else {
        const c = reader.convert(r)
        const input = reader.validate(r, c)
        if (input !== undefined) reader.create(r, c, input)
        preview.push({ row: r.row, values: c.display, errors: c.errors })
      }
      if (preview.length >= limit) break
    }
  } finally {
    if (ictx.db.inTransaction) ictx.db.exec('ROLLBACK')
    ictx.db.close()
    await start.rows.return(undefined)
    wb.close()
  }
  return {
    fileId: src.fileId,
    fileName: src.fileName,
    sheets: wb.sheets,
    sheet,
    headerRow: start.headerRow,
    headerDetected: start.headerDetected,
    topRows: start.topRows.map((r) => ({ row: r.row, cells: r.cells.map(cellText) })),
    columns,
    mapping,
    fields: importColumns(src.register).map((c) => ({ key: c.key, label: c.label, required: !!c.required })),
    missing: missingRequired(src.register, mapping),
    preview,
  }
}

export interface ImportOptions extends ImportSource {
  skipBad?: boolean
  dryRun?: boolean
  jobId?: string
  /** where to write the rejected rows (.xlsx); a temp file is used when omitted */
  errorsPath?: string
}

export interface ImportOutcome extends ImportReport {
  /** the rejected-rows workbook on disk, if any row was rejected */
  errorsPath?: string
}

/**
 * Reads the sheet row by row and writes inside one transaction on its own connection: all or nothing
 * unless skipBad, then only the good rows. A committed import is recorded as a batch, for undo.
 */
export async function importFile(ctx: Ctx, opts: ImportOptions): Promise<ImportOutcome> {
  const township = requireTownship(ctx)
  const job = opts.jobId
  const report = (phase: 'reading' | 'writing' | 'done', done: number, total: number, rows: number) => job && setProgress(job, { phase, done, total, rows })
  let rowsSeen = 0
  const { wb, sheet, start, mapping } = await begin(opts, (d, t) => report('reading', d, t, rowsSeen))
  const missing = missingRequired(opts.register, mapping)
  if (missing.length) {
    await start.rows.return(undefined)
    wb.close()
    throw new ApiError('invalid_input', `表格中找不到「${missing.join('」「')}」列：请确认表头所在行，或在“列对应”中指定`, 'mapping')
  }
  const ictx = importConnection(ctx)
  const rejected: RowError[] = []
  const warnings: RowWarning[] = []
  let imported = 0
  let rejectedRows = 0
  let skipped = 0
  let errorsFile: ErrorsFile | null = null
  const batchId = uuidv7()
  const def = registerDefs[opts.register]
  try {
    const db = ictx.db
    db.exec('BEGIN IMMEDIATE')
    db.prepare('INSERT INTO import_batches (id, createdAt, township, register, fileName, sheet, imported, rejected, operator) VALUES (?,?,?,?,?,?,0,0,?)').run(
      batchId,
      ictx.now(),
      township.code,
      opts.register,
      opts.fileName.slice(0, 255),
      sheet,
      operatorName(ictx),
    )
    const link = db.prepare('INSERT INTO import_batch_records (batchId, tableName, recordId) VALUES (?,?,?)')
    const reader = new RowReader(opts.register, start.headers, mapping, new Lookups(ictx), ictx)
    for await (const r of start.rows) {
      const kind = reader.classify(r)
      if (kind === 'blank') continue
      rowsSeen++
      if (kind) {
        skipped++
        if (warnings.length < REPORT_SAMPLE) warnings.push({ row: r.row, message: `第${r.row}行是${kind}，已跳过` })
        continue
      }
      const c = reader.convert(r)
      const input = reader.validate(r, c)
      const id = input !== undefined ? reader.create(r, c, input) : null
      if (id) {
        imported++
        link.run(batchId, def.table, id)
      } else {
        rejectedRows++
        for (const e of c.errors) if (rejected.length < REPORT_SAMPLE) rejected.push(e)
        errorsFile ??= await ErrorsFile.create(opts.errorsPath, start.headers)
        errorsFile.add(r, c.errors.map((e) => (e.column ? `${e.column}：${e.message}` : e.message)).join('；'))
      }
    }
    const commit = !opts.dryRun && imported > 0 && (rejectedRows === 0 || opts.skipBad === true)
    report('writing', 0, 0, rowsSeen)
    if (commit) {
      db.prepare('UPDATE import_batches SET imported = ?, rejected = ? WHERE id = ?').run(imported, rejectedRows, batchId)
      db.exec('COMMIT')
    } else db.exec('ROLLBACK')
    const errorsPath = errorsFile ? await errorsFile.finish() : undefined
    report('done', 1, 1, rowsSeen)
    return {
      imported: commit ? imported : 0,
      rejected,
      warnings,
      batchId: commit ? batchId : null,
      rows: rowsSeen,
      rejectedRows,
      skipped,
      dryRun: opts.dryRun === true,
      ...(errorsPath ? { errorsPath } : {}),
      // how many would have been imported, for a dry run or a refused import
      ...(commit ? {} : { wouldImport: imported }),
    }
  } finally {
    if (ictx.db.inTransaction) ictx.db.exec('ROLLBACK')
    ictx.db.close()
    await start.rows.return(undefined)
    wb.close()
    if (errorsFile && !errorsFile.finished) await errorsFile.abort()
  }
}
