/**
 * What a register is, declared once: its table, its Chinese names, every field with its label and
 * coded values, which fields are personal data, and its columns on the screen, in Excel and in Word.
 * The contract's methods, the record-table registry (packages, backups, audit labels), the Excel
 * columns, the Word register tables and the screen's grid and filters are all derived from it
 * (docs/architecture.md, "Adding a register").
 *
 * Plain data and pure functions only: both the main process and the renderer import it.
 */

/** How a value is stored and read. 'village' … 'person' are references by id. */
export type FieldKind =
  | 'text'
  | 'date'
  | 'time'
  | 'enum'
  | 'enums'
  | 'bool'
  | 'idNumber'
  | 'phone'
  | 'village'
  | 'grid'
  | 'unit'
  | 'member'
  | 'members'
  | 'person'
  | 'list'

export interface FieldDef {
  key: string
  label: string
  kind: FieldKind
  /** coded values → their Chinese labels, in the order a clerk picks them */
  options?: Record<string, string>
  /** personal data, and how it is shown until the clerk asks for it in full */
  personal?: 'idNumber' | 'phone'
  required?: boolean
}

/** Excel cell kinds: a field kind, or a way of reading a sheet column that only the sheet has. */
export type ColumnKind =
  | 'text'
  | 'id'
  | 'optionalId'
  | 'phone'
  | 'date'
  | 'time'
  | 'timeRange'
  | 'bool'
  | 'enum'
  | 'roles'
  | 'village'
  | 'grid'
  | 'unit'
  | 'member'
  | 'members'
  | 'person'
  | 'ignore'

/**
 * A column of a sheet: the header the program writes, the other headers clerks use for the same
 * thing, how a cell is read, and the example the template shows. One list per register serves the
 * importer's automatic mapping, the export and the template.
 */
export interface ColumnDef {
  key: string
  label: string
  aliases: string[]
  kind: ColumnKind
  required?: boolean
  /** column width in characters, for export and template */
  width: number
  /** the template's example value, as text */
  example?: string
  /** for enum: stored value → label */
  options?: Record<string, string>
  /** for enum: more words → stored value */
  optionAliases?: Record<string, string>
  /** written on export, ignored on import (序号, derived values) */
  exportOnly?: boolean
  /** read on import only (e.g. a combined 巡逻时间 column) */
  importOnly?: boolean
  /** stored as text in exported files (ID, phone, case numbers), never as a number */
  textCell?: boolean
}

/** A column of the register's grid on screen. */
export interface GridColumn<R> {
  /** the list method's sort/filter key when sortable; otherwise just a name */
  key: string
  title?: string
  width?: number
  /** takes the remaining width */
  flex?: number
  minWidth?: number
  /** sorted in SQL by this key (default: true when `value` is not given) */
  sortable?: boolean
  /** a contains-text filter in the header, passed to the list method as filters[key] */
  textFilter?: boolean
  mono?: boolean
  /** what the cell shows; default: the record's value under `key`, coded values by their label */
  value?: (r: R) => string
  /** coloured tags after the text (跨夜, 调解成功, 脱管) */
  tags?: (r: R) => { text: string; color: string }[]
}

/** Helpers a Word column reads a record with: dates and IDs the document's way, names of references. */
export interface WordFormat {
  date: (iso: string | null | undefined) => string
  /** masked or in full, as the document was asked for */
  id: (idNumber: string | null | undefined) => string
  gridName: (id: string | null) => string
  unitName: (id: string | null) => string
}

/** A column of the register's Word table. Widths are relative (hundreds of twips on a landscape page). */
export interface WordColumn<R> {
  title: string
  width: number
  align?: 'left'
  value: (r: R, f: WordFormat) => string
}

/**
 * A filter above the grid: a village picker, a pick-list of one coded field, a year, a switch
 * that sets a boolean filter (placeholder is then its label), or a date range that sets
 * `${key}From` and `${key}To`.
 */
export interface ScreenFilter {
  /** the list method's filter key (for a date range, the prefix of its two keys) */
  key: string
  kind: 'village' | 'options' | 'year' | 'switch' | 'dateRange'
  placeholder: string
  options?: Record<string, string>
  width?: number
  /** a switch that starts on */
  defaultOn?: boolean
}

export interface RegisterDefinition<R = Record<string, unknown>> {
  /** the register's key: Excel, documents, the CLI's --kind and the screen name it */
  key: string
  /** its table in SQLite */
  table: string
  /** the methods' prefix: `${api}.create` … `${api}.restore` */
  api: string
  /** 成员台账: the register's name on screen, in Excel file names and in Word titles */
  title: string
  /** 成员: one record, in messages (删除成员 张三) and audit/package labels */
  noun: string
  /** 名成员: a count of records, in "村里还有 3 名成员" */
  countWord: string
  fields: readonly FieldDef[]
  /** the field naming a record in messages and the audit list */
  nameField: string
  /** the field holding the record's village, when it has one */
  villageField?: string
  /** the field of the record's date (year filters, file titles) */
  dateField?: string
  excel: ColumnDef[]
  word: WordColumn<R>[]
  grid: GridColumn<R>[]
  filters: ScreenFilter[]
  /** the quick search box's hint */
  searchHint: string
  /** the list method accepts fullId (the register holds ID numbers) */
  fullId?: boolean
}

/** The field's label, by key; throws for a key the register does not have (a typo in a definition). */
export function fieldOf(def: Pick<RegisterDefinition<never>, 'fields' | 'key'>, key: string): FieldDef {
  const f = def.fields.find((x) => x.key === key)
  if (!f) throw new Error(`register ${def.key} has no field ${key}`)
  return f
}

/** Field key → Chinese label: the contract's labels for error messages and the audit list. */
export function labelsOf(def: Pick<RegisterDefinition<never>, 'fields'>): Record<string, string> {
  return Object.fromEntries(def.fields.map((f) => [f.key, f.label]))
}

/** The coded values of an enum field, in order (for zod enums). */
export function codesOf<const T extends Record<string, string>>(options: T): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(options) as [keyof T & string, ...(keyof T & string)[]]
}

/**
 * An Excel column for a field: label, required and coded values come from the field; the sheet adds
 * its aliases, width and example.
 */
export function sheetColumn(
  field: FieldDef,
  kind: ColumnKind,
  extra: Omit<ColumnDef, 'key' | 'label' | 'kind' | 'options'> & { label?: string },
): ColumnDef {
  return {
    key: field.key,
    label: extra.label ?? field.label,
    kind,
    ...(field.required ? { required: true } : {}),
    ...(field.options ? { options: field.options } : {}),
    ...extra,
    aliases: extra.aliases,
  }
}

export const seqColumn: ColumnDef = { key: 'seq', label: '序号', aliases: ['序', 'NO', 'No.', '顺序号'], kind: 'ignore', width: 6, exportOnly: true }

export const VILLAGE_ALIASES = ['所属村（社区）', '所属村(社区)', '村（社区）', '村(社区)', '村居', '所属村居', '村社区', '村/社区', '所在村', '所在村（社区）', '所属村', '所属社区', '村名', '村别', '村（居）', '巡逻村（社区）', '巡逻村', '辖区']

export function villageColumn(field: FieldDef, label?: string): ColumnDef {
  return sheetColumn(field, 'village', { label: label ?? field.label, aliases: VILLAGE_ALIASES, width: 14, example: '新塘村' })
}

/** A cell as a grid shows it when the column gives no `value`: coded values by label, lists joined. */
export function displayValue(field: FieldDef | undefined, v: unknown): string {
  if (v === null || v === undefined) return ''
  if (field?.options) {
    if (Array.isArray(v)) return v.map((x) => field.options![String(x)] ?? String(x)).join('、')
    return field.options[String(v)] ?? String(v)
  }
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (Array.isArray(v)) return v.join('、')
  return String(v)
}
