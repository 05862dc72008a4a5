import { z } from 'zod'
import { method, sortSpec, empty } from '../api/define'
import { excelRegisters, type ExcelRegister } from './columns'

/** One problem with one row: sheet row number, the column as the sheet names it, and why, in Chinese. */
export interface RowError {
  row: number
  column: string
  message: string
  /** the register field, when the problem is about one */
  field?: string
}

export interface RowWarning {
  row: number
  message: string
}

export interface PreviewRow {
  row: number
  /** field → the value as it will be stored, shown as text (village names, role labels, YYYY-MM-DD) */
  values: Record<string, string>
  errors: RowError[]
  /** why the row will be skipped (blank, 合计, note), if it will */
  skipped?: string
}

export interface SheetColumn {
  /** 1-based */
  index: number
  letter: string
  header: string
}

export interface ExcelInspection {
  /**
   * the name the upload had while this call read it. The upload is deleted when the call is done (it holds
   * 身份证号), so the next step sends the bytes (fileBase64) again; a fileId finds nothing afterwards.
   */
  fileId: string
  fileName: string
  sheets: string[]
  sheet: string
  headerRow: number
  /** true when the header row was found by its column names */
  headerDetected: boolean
  /** the first rows of the sheet, raw text, so the clerk can pick the header row */
  topRows: { row: number; cells: string[] }[]
  columns: SheetColumn[]
  /** field → 1-based column, or null */
  mapping: Record<string, number | null>
  fields: { key: string; label: string; required: boolean }[]
  /** required fields with no column */
  missing: string[]
  preview: PreviewRow[]
  /** the register has a village column and the sheet does not (a village's own ledger): one village for all rows */
  noVillageColumn?: boolean
  /** the village the rows above the header name, proposed for all rows */
  titleVillage?: string | null
  /**
   * a field the sheet has no column for that some rows need (a 调委会 ledger's 协议形式): which rows
   * (`when`), the choices, and the value they take now (the default until the clerk picks another)
   */
  absent?: { field: string; label: string; when: string; options: { value: string; label: string }[]; value: string }
}

export interface ImportReport {
  imported: number
  rejected: RowError[]
  warnings: RowWarning[]
  /** null when nothing was written (dry run, or refused as a whole) */
  batchId: string | null
  /** data rows read (blank rows not counted) */
  rows: number
  /** rows with at least one error */
  rejectedRows: number
  skipped: number
  dryRun: boolean
  /** rows that passed every check but were not written (dry run, or the import refused as a whole) */
  wouldImport?: number
  /** the rejected rows with a 错误原因 column, when rows were rejected */
  errorsFileBase64?: string
  errorsFileName?: string
}

export interface ImportBatch {
  id: string
  createdAt: string
  register: ExcelRegister
  fileName: string
  sheet: string
  imported: number
  rejected: number
  operator: string
  undoneAt: string | null
}

export interface ExcelFile {
  fileName: string
  base64: string
  rows: number
}

export interface ExcelProgress {
  phase: 'reading' | 'writing' | 'done'
  done: number
  total: number
  /** 0–100 */
  percent: number
  rows: number
}

const register = z.enum(excelRegisters, { error: '请选择台账（成员、巡逻、调解、帮教、走访或隐患）' })

const fileSource = {
  fileBase64: z.string().max(280_000_000, '文件太大（超过200MB）').optional(),
  fileName: z.string().max(255).optional(),
  fileId: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, '文件编号无效，请重新选择文件')
    .optional(),
}

const mapping = z.record(z.string().max(40), z.number().int().min(1).max(16384).nullable())

function needsFile<T extends { fileBase64?: string; fileId?: string }>(v: T, ctx: z.RefinementCtx) {
  if (!v.fileBase64 && !v.fileId) ctx.addIssue({ code: 'custom', path: ['fileBase64'], message: '请选择要导入的文件' })
}

export const excelLabels = {
  register: '台账',
  fileBase64: '文件',
  fileName: '文件名',
  sheet: '工作表',
  headerRow: '表头所在行',
  mapping: '列对应关系',
  year: '年份',
  villageId: '村（社区）',
  village: '所有行的村（社区）',
  agreementForm: '调解成功案件的协议形式',
}

const agreementForm = z.enum(['oral', 'written'], { error: '协议形式应为口头协议（oral）或书面协议（written）' }).optional()

export const excelInspectInput = z
  .strictObject({
    register,
    ...fileSource,
    sheet: z.string().max(100).optional(),
    headerRow: z.number().int().min(1, '表头所在行应从1开始').max(1000).optional(),
    mapping: mapping.optional(),
    village: z.string().trim().min(1, '请选择村（社区）').max(60, '村（社区）名称太长').optional(),
    agreementForm,
    previewRows: z.number().int().min(1).max(200).optional(),
  })
  .superRefine(needsFile)

export const excelImportInput = z
  .strictObject({
    register,
    ...fileSource,
    sheet: z.string().max(100).optional(),
    headerRow: z.number().int().min(1, '表头所在行应从1开始').max(1000).optional(),
    mapping: mapping.optional(),
    /** the village of every row when the sheet has no village column (its name, as a cell would say it) */
    village: z.string().trim().min(1, '请选择村（社区）').max(60, '村（社区）名称太长').optional(),
    /** a successful case's 协议形式 when the sheet has no such column (default oral) */
    agreementForm,
    /** import the good rows and hand back the bad ones; default: all or nothing */
    skipBad: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    /** chosen by the caller, to poll excel.progress while the import runs */
    jobId: z.string().max(64).optional(),
  })
  .superRefine(needsFile)

export const excelExportInput = z.strictObject({
  register,
  q: z.string().max(100).optional(),
  filters: z.record(z.string().max(40), z.unknown()).optional(),
  sort: sortSpec.optional(),
  year: z.number().int().min(1990, '年份不能早于1990').max(2200, '年份不对').optional(),
  villageId: z.string().max(64).optional(),
  /** full 身份证号 only when true (the screen's 显示完整证件号); masked otherwise, as on screen and in Word */
  fullId: z.boolean().optional(),
})

export const excelApi = {
  'excel.inspect': method<ExcelInspection>('none')(excelInspectInput, excelLabels),
  'excel.import': method<ImportReport>('bulk')(excelImportInput, excelLabels),
  'excel.progress': method<ExcelProgress | null>('none')(z.strictObject({ jobId: z.string().max(64) })),
  'excel.imports': method<ImportBatch[]>('none')(empty),
  'excel.undoImport': method<{ batchId: string; removed: number }>('bulk')(z.strictObject({ batchId: z.string().min(1, '缺少导入批次').max(64) }), { batchId: '导入批次' }),
  'excel.export': method<ExcelFile>('none')(excelExportInput, excelLabels),
  'excel.template': method<ExcelFile>('none')(z.strictObject({ register }), excelLabels),
}
