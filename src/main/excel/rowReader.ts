import type { Sqlite } from '../db/sqlite'
import { contract } from '../../shared/api/contract'
import { ApiError } from '../../shared/errors'
import { roleLabels, roles as allRoles } from '../../shared/domain'
import { cellText, columnLetter, isBlank, nonRecordRow, normHeader, parseDate, parseIdCell, parsePhoneCell, parseTime, type Cell } from '../../shared/excel/cells'
import { importColumns, parseOption, parseRoles, type ColumnDef, type ExcelRegister } from '../../shared/excel/columns'
import type { RowError } from '../../shared/excel/schema'
import { describeIssue } from '../../shared/validation'
import type { Ctx } from '../context'
import { isPrimitive, Memo } from './memo'
import type { Found, Lookups } from './lookups'
import type { SheetRow } from './reader'
import { registerDefs, type RegisterDef, type Values } from './registers'

/**
 * One sheet row → the register's row: the column mapping and the lookups turn cells into the create
 * input, which goes through the register's own zod schema (the form's rules and messages) and its
 * create without the write (`RegisterDef.row`: references, duplicates, stage rules). Every refusal
 * names the row and the sheet's own column.
 */
export interface Converted {
  values: Values
  display: Record<string, string>
  errors: RowError[]
}

const yes = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '脱管', '漏管'])
const no = new Set(['否', '无', '没有', 'n', 'no', 'false', '0', '×', '✗', '正常'])

/**
 * The values that must be unique within the file (a 身份证号), with the row that first had each: in
 * memory up to IN_MEMORY values, then in a temp table of the import's own connection, so memory does
 * not grow with the file.
 */
export class SeenInFile {
  static readonly IN_MEMORY = 100_000
  private readonly mem = new Map<string, number>()
  private add: ((key: string, row: number) => boolean) | null = null
  private first: ((key: string) => number | undefined) | null = null

  constructor(private readonly db: Sqlite) {}

  private spill(): void {
    // a small page cache for the temp database: the table spills to a temp file, not to memory
    this.db.pragma('temp.cache_size = -2048')
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS import_seen (key TEXT PRIMARY KEY NOT NULL, row INTEGER NOT NULL) WITHOUT ROWID')
    this.db.exec('DELETE FROM temp.import_seen')
    const add = this.db.prepare('INSERT OR IGNORE INTO temp.import_seen (key, row) VALUES (?, ?)')
    const first = this.db.prepare('SELECT row FROM temp.import_seen WHERE key = ?').pluck()
    this.add = (key, row) => add.run(key, row).changes === 1
    this.first = (key) => first.get(key) as number | undefined
  }

  /** the row that first had key, or undefined (and key is now recorded for row); a row read again is not its own duplicate */
  check(key: string, row: number): number | undefined {
    let first = this.mem.get(key)
    if (first === undefined && this.add) first = this.add(key, row) ? undefined : this.first!(key)
    else if (first === undefined) {
      this.mem.set(key, row)
      if (this.mem.size >= SeenInFile.IN_MEMORY) this.spill()
    }
    return first === row ? undefined : first
  }
}

/** Everything that reads one row: the mapping, the lookups, the register's schema and handler. */
/**
 * Column kinds read from the cell alone (a grid or a member depends on the row's village too): a
 * value met before in the column is answered as it was the first time.
 */
const CELL_ALONE = new Set<ColumnDef['kind']>(['text', 'phone', 'date', 'time', 'timeRange', 'bool', 'enum', 'roles', 'village', 'unit'])
type CellValue = { value: unknown; shown: string } | { error: string } | null
/** an answer later rows may share: a refusal, or a plain value (not an array such as the roles) */
const shareable = (v: CellValue) => v === null || 'error' in v || isPrimitive(v.value)

const found = (f: Found): { value: unknown; shown: string } | { error: string } => (f.ok ? { value: f.id, shown: f.name } : { error: f.message })

export class RowReader {
  readonly def: RegisterDef
  readonly cols: ColumnDef[]
  private readonly schema
  private readonly labels: Record<string, string>
  private readonly seen: SeenInFile
  /** the mapped columns (1-based) and each field's column name, worked out once */
  private readonly mapped: number[]
  /** the mapped columns that have a header, with the header as compared (a repeated header row) */
  private readonly mappedHeads: (readonly [number, string])[]
  private readonly names = new Map<string, string>()
  private readonly idField: string | undefined
  private readonly memos = new Map<string, Memo<CellValue>>()

  /** the absent field a row takes when it needs it (a success case's 协议形式 in a ledger without one) */
  private readonly absent?: { field: string; needs: (v: Values) => boolean; value: string; shown: string }

  constructor(
    readonly register: ExcelRegister,
    readonly headers: Record<number, string>,
    readonly mapping: Record<string, number | null>,
    readonly lookups: Lookups,
    readonly ctx: Ctx,
    /** the clerk's value for the register's absent field (registers.ts `absent`), when the sheet lacks its column */
    forAll: Record<string, string> = {},
  ) {
    this.def = registerDefs[register]
    this.cols = importColumns(register)
    this.schema = contract[this.def.create].input
    this.labels = contract[this.def.create].labels
    this.seen = new SeenInFile(ctx.db)
    this.mapped = Object.values(this.mapping).filter((c): c is number => !!c)
    this.mappedHeads = this.mapped.filter((c) => this.headers[c]).map((c) => [c, normHeader(this.headers[c]!)] as const)
    this.idField = this.cols.find((c) => c.kind === 'optionalId')?.key
    const a = this.def.absent
    const col = a && !this.mapping[a.field] ? this.cols.find((c) => c.key === a.field) : undefined
    if (a && col) {
      const value = forAll[a.field] ?? a.default
      this.absent = { field: a.field, needs: a.needs, value, shown: col.options?.[value] ?? value }
    }
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
    // two or more cells that read as their column's header; stops as soon as two can no longer be reached
    const heads = this.mappedHeads
    let same = 0
    for (let i = 0; i < heads.length && same + heads.length - i >= 2; i++) {
      const [c, head] = heads[i]!
      if (normHeader(cellText(r.cells[c - 1] ?? null)) === head && ++same >= 2) return '重复的表头行'
    }
    return null
  }

  private error(row: number, field: string, message: string): RowError {
    return { row, column: this.columnName(field), message, field }
  }

  /** cellValue, remembered per column for the kinds read from the cell alone */
  private remembered(col: ColumnDef, cell: Cell, label: string, values: Values): CellValue {
    if (!CELL_ALONE.has(col.kind)) return this.cellValue(col, cell, label, values)
    let memo = this.memos.get(col.key)
    if (!memo) this.memos.set(col.key, (memo = new Memo()))
    return memo.get(cell, () => this.cellValue(col, cell, label, values), shareable)
  }

  /**
   * One non-blank cell → its value and how the preview shows it, or why it is refused; null for a
   * column that is read but not kept. (No closure per cell: an import reads millions of cells.)
   */
  private cellValue(col: ColumnDef, cell: Cell, label: string, values: Values): CellValue {
    const text = cellText(cell)
    switch (col.kind) {
      case 'text':
        return { value: text, shown: text }
      case 'id':
      case 'optionalId': {
        const p = parseIdCell(cell, label)
        return p.ok ? { value: p.value.toUpperCase(), shown: p.value.toUpperCase() } : { error: p.message }
      }
      case 'phone':
        return { value: parsePhoneCell(cell), shown: text }
      case 'date': {
        const p = parseDate(cell, label)
        return p.ok ? { value: p.value, shown: p.value } : { error: p.message }
      }
      case 'time': {
        const p = parseTime(cell, label)
        return p.ok ? { value: p.value, shown: p.value } : { error: p.message }
      }
      case 'timeRange': {
        const parts = text.split(/\s*[-—–~～至到]+\s*/).filter(Boolean)
        const a = parts.length === 2 ? parseTime(parts[0]!, '开始时间') : null
        const b = parts.length === 2 ? parseTime(parts[1]!, '结束时间') : null
        if (a?.ok && b?.ok) return { value: { start: a.value, end: b.value }, shown: `${a.value}-${b.value}` }
        return { error: `${label}「${text}」应写成 19:30-22:00 这样的 开始-结束` }
      }
      case 'bool': {
        const t = text.toLowerCase()
        if (yes.has(t)) return { value: true, shown: '是' }
        if (no.has(t)) return { value: false, shown: '否' }
        return { error: `${label}「${text}」应填“是”或“否”` }
      }
      case 'enum': {
        const v = parseOption(col, text)
        if (v !== null) return { value: v, shown: col.options![v] ?? v }
        return { error: `${label}「${text}」不是可选的值，可填：${Object.values(col.options ?? {}).join('、')}` }
      }
      case 'roles': {
        const p = parseRoles(text)
        if (p.unknown.length) return { error: `${label}「${p.unknown.join('、')}」不认识，可填：${allRoles.map((x) => roleLabels[x]).join('、')}（多个用顿号分开）` }
        if (p.roles.length === 0) return { error: `请填写${label}` }
        return { value: p.roles, shown: p.roles.map((x) => roleLabels[x]).join('、') }
      }
      case 'village':
        return found(this.lookups.village(text, label))
      case 'grid':
        return found(this.lookups.grid(text, values.villageId as string | undefined, label))
      case 'unit':
        return found(this.lookups.unit(text, label))
      case 'member':
        return found(this.lookups.member(text, label, values.villageId as string | undefined))
      case 'members': {
        const f = this.lookups.members(text, label, values.villageId as string | undefined)
        return f.ok ? { value: f.ids, shown: f.names.join('、') } : { error: f.message }
      }
      default:
        return null
    }
  }

  convert(r: SheetRow): Converted {
    const values: Values = {}
    const display: Record<string, string> = {}
    const errors: RowError[] = []
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
        if (col.required) errors.push(this.error(r.row, col.key, `请填写${label}`))
        if (col.kind === 'optionalId') values[col.key] = null
        display[col.key] = ''
        continue
      }
      const got = this.remembered(col, cell, label, values)
      if (!got) continue
      if ('error' in got) errors.push(this.error(r.row, col.key, got.error))
      else {
        values[col.key] = got.value
        display[col.key] = got.shown
      }
    }
    for (const col of later) {
      const name = cellText(this.cell(r.cells, col.key))
      const idField = this.idField
      const id = idField && typeof values[idField] === 'string' ? (values[idField] as string) : null
      if (!name && !id) {
        if (this.mapping[col.key] || (idField && this.mapping[idField])) errors.push(this.error(r.row, col.key, `请填写${col.label}`))
        continue
      }
      if (idField && errors.some((e) => e.field === idField)) continue
      const f = this.lookups.person(name, id, col.label)
      if (f.ok) {
        values[col.key] = f.id
        display[col.key] = f.name
      } else errors.push(this.error(r.row, col.key, f.message))
    }
    const a = this.absent
    if (a && a.needs(values)) {
      values[a.field] = a.value
      display[a.field] = a.shown
    }
    return { values, display, errors }
  }

  /** Validates with the register's own schema; returns the parsed input, adding errors otherwise. */
  validate(r: SheetRow, c: Converted): unknown {
    const input = this.def.assemble(c.values)
    const parsed = this.schema.safeParse(input)
    if (!parsed.success) {
      const bad = new Set(c.errors.map((e) => e.field))
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

  /**
   * The register's own rules beyond the form (references, duplicates in the register, stage rules):
   * its create without the write. Returns the row to store, or null with the refusal added to errors.
   */
  check(r: SheetRow, c: Converted, input: unknown): Record<string, unknown> | null {
    try {
      return this.def.row(this.ctx, input as never)
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      const field = e.field ? this.resolve(this.def.fieldOf(e.field, this.def.assemble(c.values))) : ''
      c.errors.push({ row: r.row, column: field ? this.columnName(field) : '', message: e.message, ...(field ? { field } : {}) })
      return null
    }
  }

  /** A whole row, read as the import reads it: its errors, or the row to store. */
  read(r: SheetRow): { c: Converted; values: Record<string, unknown> | null } {
    const c = this.convert(r)
    const input = this.validate(r, c)
    return { c, values: input !== undefined ? this.check(r, c, input) : null }
  }
}

