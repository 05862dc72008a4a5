import ExcelJS from 'exceljs'
import { contract, type ParsedInput } from '../../shared/api/contract'
import { ApiError } from '../../shared/errors'
import { roleLabels, roles } from '../../shared/domain'
import { DATE_FORMS } from '../../shared/excel/cells'
import { maskIdNumber } from '../../shared/idNumber'
import { excelRegisterLabels, exportColumns, type ColumnDef, type ExcelRegister } from '../../shared/excel/columns'
import { describeIssue } from '../../shared/validation'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { ensurePrivateFile } from '../fs/private'
import { readTownship } from '../org/township'
import { namesFor, registerDefs, type Names } from './registers'
import { exportNaming } from './exportName'

/**
 * Register → .xlsx, written with exceljs's streaming writer while the register's own list is read
 * page by page (its search, filters and sort: the screen's view): 身份证号, phones and case numbers as
 * text cells, dates as real dates, a title row with the township and year, a bold frozen header and
 * set column widths. The same layout makes the empty template.
 *
 * Speed (issue 15.2): every cell of a column is given the same style object. exceljs looks a style up
 * by the object first (a WeakMap) and only otherwise serialises it; a style built per cell (or merged
 * from the column's per cell) cost more than writing the cells themselves.
 */
const PAGE = 5000

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF2' } }
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FF999999' } },
  left: { style: 'thin', color: { argb: 'FF999999' } },
  bottom: { style: 'thin', color: { argb: 'FF999999' } },
  right: { style: 'thin', color: { argb: 'FF999999' } },
}

function displayWidth(s: string): number {
  let w = 0
  for (const ch of s) w += ch.charCodeAt(0) <= 0xff ? 1 : 2
  return w
}

function isoToDate(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
}

export interface SheetWriter {
  wb: ExcelJS.stream.xlsx.WorkbookWriter
  ws: ExcelJS.Worksheet
  cols: ColumnDef[]
  /** one style object per column, shared by all its cells (plain and italic example rows) */
  styles: { plain: Partial<ExcelJS.Style>[]; italic: Partial<ExcelJS.Style>[] }
}

const NO_STYLE: Partial<ExcelJS.Style> = {}

function cellStyles(cols: ColumnDef[], italic: boolean): Partial<ExcelJS.Style>[] {
  return cols.map((c) => ({
    border: THIN,
    ...(c.textCell ? { numFmt: '@' } : c.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {}),
    ...(italic ? { font: { italic: true, color: { argb: 'FF808080' } } } : {}),
  }))
}

export function openSheet(file: string, sheetName: string, title: string, cols: ColumnDef[]): SheetWriter {
  // the register's personal data: the clerk's account only, whatever the umask (exceljs truncates, keeping the mode)
  ensurePrivateFile(file)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  wb.creator = '平安台账'
  const ws = wb.addWorksheet(sheetName, {
    views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  })
  ws.columns = cols.map((c) => ({
    key: c.key,
    width: Math.max(c.width, displayWidth(c.label) + 2),
    style: c.textCell ? { numFmt: '@' } : c.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
  }))
  const t = ws.addRow([title])
  ws.mergeCells(1, 1, 1, cols.length)
  t.height = 30
  t.getCell(1).font = { bold: true, size: 16 }
  t.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' }
  t.commit()
  const head = ws.addRow(cols.map((c) => c.label))
  head.height = 22
  head.eachCell((cell) => {
    cell.font = { bold: true }
    cell.fill = HEADER_FILL
    cell.border = THIN
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  })
  head.commit()
  return { wb, ws, cols, styles: { plain: cellStyles(cols, false), italic: cellStyles(cols, true) } }
}

export function addRecordRow(w: SheetWriter, values: Record<string, string | number | null>, seq: number | null, italic = false): void {
  const cells: (string | number | Date | null)[] = []
  for (const c of w.cols) {
    if (c.key === 'seq') {
      cells.push(seq)
      continue
    }
    const v = values[c.key]
    if (v === null || v === undefined || v === '') cells.push(null)
    else if (c.kind === 'date' && typeof v === 'string') cells.push(isoToDate(v) ?? v)
    else cells.push(typeof v === 'number' && c.textCell ? String(v) : v)
  }
  const row = w.ws.addRow(cells)
  // the row's own (empty) style too: a new object per row would be serialised per row
  Object.assign(row, { style: NO_STYLE })
  const styles = italic ? w.styles.italic : w.styles.plain
  for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i]!
  row.commit()
}

function title(ctx: Ctx, register: ExcelRegister, year: number | undefined, suffix = ''): { title: string; township: string } {
  const t = readTownship(ctx)
  const township = t?.name ?? ''
  const y = year ?? Number(ctx.today().slice(0, 4))
  return { title: `${township}${excelRegisterLabels[register]}（${y}年）${suffix}`, township }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The current view of a register (its search, filters and sort) → file. Returns the rows written. */
export async function exportRegister(ctx: Ctx, input: ParsedInput<'excel.export'>, file: string): Promise<{ rows: number; fileName: string }> {
  const def = registerDefs[input.register]
  const filters: Record<string, unknown> = { ...(input.filters ?? {}) }
  if (input.villageId) filters.villageId = input.villageId
  if (input.year && def.yearFilters) Object.assign(filters, def.yearFilters(input.year))
  const listDef = contract[def.list]
  const base: Record<string, unknown> = { filters }
  if (input.q) base.q = input.q
  if (input.sort) base.sort = input.sort
  // masked unless the clerk asked for full numbers (显示完整证件号), exactly as the screen and Word
  const fullId = input.fullId === true
  if (def.fullId) base.fullId = fullId
  const check = listDef.input.safeParse({ ...base, offset: 0, limit: 1 })
  if (!check.success) {
    const d = describeIssue(check.error.issues[0]!, listDef.labels)
    throw new ApiError('invalid_input', `筛选条件不对：${d.message}`, 'filters')
  }
  // named like the Word documents, with the village the view was filtered to (excel/exportName.ts)
  const naming = exportNaming(ctx, input.register, input.year, filters.villageId)
  const head = naming.title
  const cols = exportColumns(input.register)
  const w = openSheet(file, excelRegisterLabels[input.register], head, cols)
  const names: Names & { person?: (id: string) => string } = namesFor(ctx)
  const personId = (id: string) => (prepared(ctx.db, 'SELECT idNumber FROM aftercare_people WHERE id = ?').get(id) as { idNumber: string } | undefined)?.idNumber ?? ''
  let offset = 0
  let n = 0
  for (;;) {
    const parsed = listDef.input.parse({ ...base, offset, limit: PAGE })
    const page = def.handler('list')(parsed as never, ctx) as { rows: Record<string, unknown>[]; total: number }
    for (const rec of page.rows) {
      if (input.year && def.inYear && !def.inYear(rec as never, input.year)) continue
      const values = def.exportValues(rec as never, names)
      if (input.register === 'visits') values.personIdNumber = fullId ? personId(rec.personId as string) : maskIdNumber(personId(rec.personId as string))
      if (input.register === 'mediation') {
        // the list masks parties' numbers whatever fullId says; a file that must re-import whole needs them full
        const parties = JSON.parse((prepared(ctx.db, 'SELECT parties FROM mediation_cases WHERE id = ?').get(rec.id as string) as { parties: string }).parties) as { side: string; idNumber: string | null }[]
        for (const side of ['applicant', 'respondent']) {
          const of = parties.filter((p) => p.side === side)
          const id = of.length === 1 ? (of[0]!.idNumber ?? '') : ''
          values[`${side}Id`] = fullId ? id : maskIdNumber(id)
        }
      }
      addRecordRow(w, values, ++n)
    }
    offset += page.rows.length
    if (page.rows.length < PAGE || offset >= page.total) break
    await tick()
  }
  w.ws.commit()
  await w.wb.commit()
  return { rows: n, fileName: naming.fileName }
}

/** An empty register: title, header, one example row (skipped on import), and a sheet of instructions. */
export async function writeTemplate(ctx: Ctx, register: ExcelRegister, file: string): Promise<{ fileName: string }> {
  const cols = exportColumns(register)
  const { title: head } = title(ctx, register, undefined, '导入模板')
  const w = openSheet(file, excelRegisterLabels[register], head, cols)
  const example: Record<string, string | number | null> = {}
  for (const c of cols) if (c.example) example[c.key] = c.example
  addRecordRow(w, example, 1, true)
  w.ws.commit()
  const help = w.wb.addWorksheet('填写说明')
  help.columns = [{ width: 18 }, { width: 8 }, { width: 80 }]
  const hr = help.addRow(['列名', '必填', '怎么填'])
  hr.font = { bold: true }
  hr.commit()
  for (const c of cols) {
    if (c.key === 'seq') continue
    let how = ''
    switch (c.kind) {
      case 'id':
      case 'optionalId':
        how = '18位身份证号。请先把该列设为“文本”格式再输入，否则Excel会把末三位变成0'
        break
      case 'date':
        how = `日期，可写作 ${DATE_FORMS}`
        break
      case 'time':
        how = '时间，写作 19:30 这样的 时:分'
        break
      case 'enum':
        how = `可填：${Object.values(c.options ?? {}).join('、')}`
        break
      case 'roles':
        how = `可填（多个用顿号分开）：${roles.map((r) => roleLabels[r]).join('、')}`
        break
      case 'village':
        how = '本乡镇已登记的村（社区）名称'
        break
      case 'grid':
        how = '所属村（社区）中已登记的网格名称'
        break
      case 'unit':
        how = '本乡镇已登记的单位名称'
        break
      case 'member':
      case 'members':
        how = '成员台账中的姓名，多人用顿号分开；同名的写成“姓名（身份证号后4位）”'
        break
      case 'bool':
        how = '是 或 否'
        break
      case 'phone':
        how = '11位手机号或带区号的固定电话'
        break
      default:
        how = '文字'
    }
    const r = help.addRow([c.label, c.required ? '是' : '', how])
    r.commit()
  }
  const note = help.addRow(['', '', '第3行是示例行（灰色斜体），导入时会自动跳过，可以删除。表头行和标题行不要改动。'])
  note.commit()
  help.commit()
  await w.wb.commit()
  return { fileName: `${excelRegisterLabels[register]}导入模板.xlsx` }
}
