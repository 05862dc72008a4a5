import { openSqlite, type Sqlite } from '../db/sqlite'
import { checkInWorker } from '../db/checkWorker'
import { prepared } from '../db/query'
import { ApiError } from '../../shared/errors'
import { cellText, columnLetter, isBlank } from '../../shared/excel/cells'
import { importColumns, matchHeader, suggestMapping, type ExcelRegister } from '../../shared/excel/columns'
import type { ExcelInspection, ImportReport, PreviewRow, RowError, RowWarning } from '../../shared/excel/schema'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { scheduleSearchIndex } from '../db/search'
import { requireTownship } from '../org/township'
import { operatorName } from '../settings/store'
import { Lookups } from './lookups'
import { openWorkbook, type SheetRow, type Workbook } from './reader'
import { openWorkbookOffThread } from './offThread'
import { registerDefs } from './registers'
import { RowReader } from './rowReader'
import { REBUILD_ROWS, Stage } from './stage'
import { ErrorsFile } from './errorsFile'
import { setProgress } from './progress'
import { villageFromTitle, villageKey, virtualColumn, withVillage } from './titleVillage'

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

/**
 * The import's own connection: it reads the register for the checks and stages rows in its temporary
 * database without taking the write lock, so the window's writes go on while a file is read; it takes
 * the lock only for the commit, one short transaction.
 */
/**
 * A large commit's write-ahead log (tens of megabytes) is copied into the database on a worker thread.
 * SQLite's automatic checkpoint would copy it inside the commit, or inside the window's next write,
 * holding the event loop a third of a second longer while other writes wait. Until the copy is done
 * neither connection checkpoints by itself; the returned function starts the copy.
 */
function deferCheckpoint(main: Sqlite, own: Sqlite): () => void {
  const auto = main.pragma('wal_autocheckpoint', { simple: true }) as number
  main.pragma('wal_autocheckpoint = 0')
  own.pragma('wal_autocheckpoint = 0')
  return () =>
    void checkInWorker(main.name, 'wal_checkpoint(PASSIVE)')
      .catch(() => undefined)
      .finally(() => main.open && main.pragma(`wal_autocheckpoint = ${auto}`))
}

function importConnection(ctx: Ctx): Ctx {
  const file = ctx.db.name
  if (!file || file === ':memory:') throw new Error('import needs a database file')
  const db = openSqlite(file)
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // the commit writes every row in one statement: a page cache big enough that SQLite does not spill midway
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
  /** a village for every row of a sheet without a village column (the one its title names) */
  village?: string
  /** a successful case's 协议形式 when the sheet has no such column (registers.ts `absent`; default oral) */
  agreementForm?: 'oral' | 'written'
}

/** The clerk's values for the register's absent field, as RowReader takes them. */
function forAll(src: ImportSource): Record<string, string> {
  return src.agreementForm ? { agreementForm: src.agreementForm } : {}
}

/** The question the wizard asks when the sheet lacks the register's absent field's column. */
function absentChoice(src: ImportSource, mapping: Record<string, number | null>): ExcelInspection['absent'] {
  const a = registerDefs[src.register].absent
  const col = a && !mapping[a.field] ? importColumns(src.register).find((c) => c.key === a.field) : undefined
  if (!a || !col) return undefined
  return { field: a.field, label: col.label, when: a.when, options: Object.entries(col.options ?? {}).map(([value, label]) => ({ value, label })), value: forAll(src)[a.field] ?? a.default }
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

/** the file opened, its sheet checked and its header found; `offThread` for an import that reads every row (offThread.ts) */
async function begin(src: ImportSource, progress?: (d: number, t: number) => void, offThread = false) {
  const wb = await (offThread ? openWorkbookOffThread : openWorkbook)(src.path, src.fileName)
  try {
    const sheet = src.sheet ?? wb.sheets[0]!
    if (!wb.sheets.includes(sheet)) throw new ApiError('invalid_input', `找不到工作表「${sheet}」，可选：${wb.sheets.join('、')}`, 'sheet')
    // a sheet corrupt in its middle is refused now, not after thousands of rows
    await wb.verify(sheet)
    let start = await startSheet(src.register, wb, sheet, src.headerRow, progress)
    try {
      let mapping = src.mapping ? checkMapping(src.register, src.mapping) : suggestMapping(src.register, start.headers)
      // no village column: the village chosen for all rows stands in one more column (titleVillage.ts)
      const key = villageKey(src.register)
      const col = virtualColumn(start.headers, start.topRows)
      const noVillageColumn = !!key && (!mapping[key] || mapping[key] === col)
      if (key && noVillageColumn && src.village) {
        mapping = { ...mapping, [key]: col }
        start = { ...start, headers: { ...start.headers, [col]: '所属村（社区）（全部行）' }, rows: withVillage(start.rows, col, src.village) }
      }
      return { wb, sheet, start, mapping, noVillageColumn }
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
  const { wb, sheet, start, mapping, noVillageColumn } = await begin(src)
  const known = (prepared(ctx.db, 'SELECT name FROM villages WHERE deletedAt IS NULL').all() as { name: string }[]).map((v) => v.name)
  const titleVillage = noVillageColumn ? villageFromTitle(start.topRows, start.headerRow, known) : null
  const maxCol = Math.max(0, ...Object.keys(start.headers).map(Number), ...start.topRows.map((r) => r.cells.length))
  const columns = Array.from({ length: maxCol }, (_, i) => ({ index: i + 1, letter: columnLetter(i + 1), header: start.headers[i + 1] ?? '' }))
  const preview: PreviewRow[] = []
  const limit = src.previewRows ?? 20
  const ictx = importConnection(ctx)
  try {
    // every check the import makes, and no write: the preview never takes the write lock
    const reader = new RowReader(src.register, start.headers, mapping, new Lookups(ictx), ictx, forAll(src))
    for await (const r of start.rows) {
      const kind = reader.classify(r)
      if (kind === 'blank') continue
      if (kind) preview.push({ row: r.row, values: {}, errors: [], skipped: kind })
      else {
        const { c } = reader.read(r)
        preview.push({ row: r.row, values: c.display, errors: c.errors })
      }
      if (preview.length >= limit) break
    }
  } finally {
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
    noVillageColumn,
    titleVillage,
    absent: absentChoice(src, mapping),
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

/** Rows checked per read transaction of the import's connection (one snapshot for their checks). */
const CHUNK = 2000

/**
 * Reads and checks the sheet row by row, staging the good rows on the import's own connection without
 * taking the write lock (stage.ts), then writes them in one short transaction: all or nothing unless
 * skipBad, then only the good rows. A committed import is one batch, for undo, and one entry in the
 * audit trail naming the file, the sheet, the batch and the number of rows; the rows themselves are the
 * batch's rowid range (stage.ts). The rows a clerk or another program changed meanwhile are judged
 * again inside the commit (recheck).
 */
export async function importFile(ctx: Ctx, opts: ImportOptions): Promise<ImportOutcome> {
  const township = requireTownship(ctx)
  const job = opts.jobId
  const report = (phase: 'reading' | 'writing' | 'done', done: number, total: number, rows: number) => job && setProgress(job, { phase, done, total, rows })
  let rowsSeen = 0
  const { wb, sheet, start, mapping } = await begin(opts, (d, t) => report('reading', d, t, rowsSeen), true)
  const missing = missingRequired(opts.register, mapping)
  if (missing.length) {
    await start.rows.return(undefined)
    wb.close()
    throw new ApiError('invalid_input', `表格中找不到「${missing.join('」「')}」列：请确认表头所在行，或在“列对应”中指定`, 'mapping')
  }
  const ictx = importConnection(ctx)
  const db = ictx.db
  const rejected: RowError[] = []
  const warnings: RowWarning[] = []
  let rejectedRows = 0
  let skipped = 0
  let errorsFile: ErrorsFile | null = null
  const def = registerDefs[opts.register]
  const stage = new Stage(db, def)
  /** a refused row into the report and the errors file; `counted` when rejectedRows already has it */
  const reject = async (r: SheetRow, errors: RowError[], counted = false) => {
    if (!counted) rejectedRows++
    for (const e of errors) if (rejected.length < REPORT_SAMPLE) rejected.push(e)
    errorsFile ??= await ErrorsFile.create(opts.errorsPath, start.headers)
    errorsFile.add(r, errors.map((e) => (e.column ? `${e.column}：${e.message}` : e.message)).join('；'))
  }
  try {
    // what another connection changes from here on is looked at again by the commit
    const since = ictx.now()
    const version = db.pragma('data_version', { simple: true })
    const reader = new RowReader(opts.register, start.headers, mapping, new Lookups(ictx), ictx, forAll(opts))
    let inChunk = 0
    db.exec('BEGIN')
    for await (const r of start.rows) {
      const kind = reader.classify(r)
      if (kind === 'blank') continue
      rowsSeen++
      if (kind) {
        skipped++
        if (warnings.length < REPORT_SAMPLE) warnings.push({ row: r.row, message: `第${r.row}行是${kind}，已跳过` })
        continue
      }
      const { c, values } = reader.read(r)
      if (values) stage.add(r, values)
      else await reject(r, c.errors)
      if (++inChunk >= CHUNK) {
        db.exec('COMMIT')
        db.exec('BEGIN')
        inChunk = 0
      }
    }
    stage.flush()
    db.exec('COMMIT')
    const wanted = () => !opts.dryRun && stage.count > 0 && (rejectedRows === 0 || opts.skipBad === true)
    report('writing', 0, 0, rowsSeen)
    let batchId: string | null = null
    let imported = 0
    // rows refused by the commit's second look: counted inside its transaction, reported after it
    // (nothing may wait for the event loop while the write lock is held)
    let late: { row: SheetRow; errors: RowError[] }[] = []
    if (wanted()) {
      const checkpointed = stage.count >= REBUILD_ROWS ? deferCheckpoint(ctx.db, db) : () => undefined
      db.exec('BEGIN IMMEDIATE')
      try {
        if (db.pragma('data_version', { simple: true }) !== version) {
          late = recheck(ictx, opts.register, start.headers, mapping, stage, since, forAll(opts))
          rejectedRows += late.length
        }
        if (wanted()) {
          batchId = uuidv7()
          imported = commitBatch(ictx, stage, { register: opts.register, batchId, township: township.code, fileName: opts.fileName, sheet, rejectedRows })
          db.exec('COMMIT')
        }
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK')
        checkpointed()
      }
      // the new rows join the search index in the background; the search scans them until then
      if (batchId) void scheduleSearchIndex(ctx.db)
    }
    for (const x of late) await reject(x.row, x.errors, true)
    const errorsPath = errorsFile ? await (errorsFile as ErrorsFile).finish() : undefined
    report('done', 1, 1, rowsSeen)
    return {
      imported,
      rejected,
      warnings,
      batchId,
      rows: rowsSeen,
      rejectedRows,
      skipped,
      dryRun: opts.dryRun === true,
      ...(errorsPath ? { errorsPath } : {}),
      // how many would have been imported, for a dry run or a refused import
      ...(batchId ? {} : { wouldImport: stage.count }),
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK')
    stage.close()
    db.close()
    await start.rows.return(undefined)
    wb.close()
    const ef = errorsFile as ErrorsFile | null
    if (ef && !ef.finished) await ef.abort()
  }
}

/**
 * Inside the commit's transaction: the staged rows whose references or whose unique value another
 * connection changed since `since` are read again from their cells, as if read now. Returns those
 * refused now; the others are written with what their checks give now.
 */
function recheck(ictx: Ctx, register: ExcelRegister, headers: Record<number, string>, mapping: Record<string, number | null>, stage: Stage, since: string, fill: Record<string, string>): { row: SheetRow; errors: RowError[] }[] {
  const def = registerDefs[register]
  const changed: string[] = []
  for (const t of new Set(def.refs.map((r) => r.table))) changed.push(...(ictx.db.prepare(`SELECT id FROM "${t}" WHERE updatedAt >= ?`).pluck().all(since) as string[]))
  const keys = def.unique ? (ictx.db.prepare(`SELECT "${def.unique}" FROM "${def.table}" WHERE updatedAt >= ?`).pluck().all(since) as string[]) : []
  const refused: { row: SheetRow; errors: RowError[] }[] = []
  const suspects = stage.suspects(changed, def.unique ?? null, keys)
  if (suspects.length === 0) return refused
  // fresh lookups: the places and people as they are now
  const reader = new RowReader(register, headers, mapping, new Lookups(ictx), ictx, fill)
  for (const s of suspects) {
    const { c, values } = reader.read(s.row)
    if (values) stage.replace(s.seq, values)
    else {
      stage.drop(s.seq)
      refused.push({ row: s.row, errors: c.errors })
    }
  }
  return refused
}

/** The batch, its rows and its audit entry, inside the commit's transaction. Returns the rows written. */
function commitBatch(ictx: Ctx, stage: Stage, b: { register: ExcelRegister; batchId: string; township: string; fileName: string; sheet: string; rejectedRows: number }): number {
  const db = ictx.db
  const now = ictx.now()
  const operator = operatorName(ictx)
  db.prepare('INSERT INTO import_batches (id, createdAt, township, register, fileName, sheet, imported, rejected, operator) VALUES (?,?,?,?,?,?,0,?,?)').run(
    b.batchId,
    now,
    b.township,
    b.register,
    b.fileName.slice(0, 255),
    b.sheet,
    b.rejectedRows,
    operator,
  )
  const n = stage.write(ictx, { batchId: b.batchId, township: b.township, now })
  db.prepare('UPDATE import_batches SET imported = ? WHERE id = ?').run(n, b.batchId)
  // one entry for the whole import: a full entry per row cost as much as writing the rows themselves
  const changes = { Excel导入: [null, `${b.fileName.slice(0, 255)}（工作表「${b.sheet}」）`], 条数: [null, n], 导入批次: [null, b.batchId] }
  db.prepare('INSERT INTO audit (id, at, operator, township, tableName, recordId, action, changes) VALUES (?,?,?,?,?,?,?,?)').run(
    uuidv7(),
    now,
    operator,
    b.township,
    registerDefs[b.register].table,
    b.batchId,
    'create',
    JSON.stringify(changes),
  )
  return n
}
