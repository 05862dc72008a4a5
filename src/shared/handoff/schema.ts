import { z } from 'zod'
import { empty, method, sortSpec, type ListResult } from '../api/define'
import { text } from '../validation'
import type { Rollup } from '../checklist/schema'

/**
 * USB handoff (数据包报送, DESIGN §6): a township exports one package file onto a USB stick; a county
 * database imports the packages of all its townships. Types here are what the screens and the CLI see.
 */

export const packageKinds = ['data', 'standards'] as const
export type PackageKind = (typeof packageKinds)[number]

/** The file name extension of every package. */
export const PACKAGE_EXT = '.pingan'

/** Rows of one register in one package, and what importing them does (or would do). */
export interface TableCounts {
  table: string
  label: string
  /** rows carried by the package */
  rows: number
  /** rows the county did not have */
  new: number
  /** rows the county had in an older version (edits and restores) */
  changed: number
  /** tombstones that win: the record is now deleted at the county */
  deleted: number
  /** rows the county already had in the same or a newer version */
  unchanged: number
}

export type PackageStatus = 'ready' | 'imported' | 'already_imported' | 'refused'

export const packageStatusLabels: Record<PackageStatus, string> = {
  ready: '可以导入',
  imported: '已导入',
  already_imported: '以前已导入过，不再重复导入',
  refused: '拒绝导入',
}

/**
 * A package signed by another key than the one this receiver pinned for its sender (a township's new
 * PC): imported only when the clerk confirms (confirmRekey), and the confirmation is audited.
 * Fingerprints are what the two clerks compare on the phone.
 */
export interface RekeyInfo {
  township: string
  townshipName: string
  oldKeyFingerprint: string
  newKeyFingerprint: string
}

/** A USB stick holds a handful of packages: one import takes at most this many files. */
export const MAX_PACKAGE_FILES = 20

/** One file of an import, as previewed or as imported. */
export interface PackageItem {
  file: string
  fileName: string
  status: PackageStatus
  /** why it is refused (a sentence a clerk understands) */
  reason?: string
  packageId?: string
  kind?: PackageKind
  township?: string
  townshipName?: string
  seq?: number
  full?: boolean
  createdAt?: string
  encrypted?: boolean
  bytes?: number
  /** signed by another key than the pinned one: needs confirmRekey */
  rekey?: RekeyInfo
  tables: TableCounts[]
  problems: string[]
}

/** The same 身份证号 in two or more townships: listed for the county to review, never merged. */
export interface IdDuplicate {
  /** masked: first 6 and last 4 */
  idNumber: string
  entries: { township: string; townshipName: string; table: string; label: string; id: string; name: string }[]
}

export interface ImportReport {
  /** false for a preview (dry run): nothing was written */
  committed: boolean
  packages: PackageItem[]
  /** per register, summed over the packages that are (or would be) imported */
  totals: TableCounts[]
  /** gaps in sequence numbers and other things the county should look at */
  problems: string[]
  duplicates: IdDuplicate[]
  /** senders whose packages are signed by a new key (see RekeyInfo); empty when none */
  rekeys: RekeyInfo[]
  /**
   * a quick preview of a large batch (input `quick`): files, signatures, keys and passphrases were
   * checked, the rows were not (the import checks and merges them in one step, so the clerk does not
   * wait twice); `tables` carry the rows per register, new/changed/deleted/unchanged are not counted
   */
  quick?: boolean
}

export interface ExportResult {
  /** full path of the package on the stick */
  file: string
  /** rows carried (records, tombstones and audit entries) */
  rows: number
  fileName: string
  seq: number
  full: boolean
  bytes: number
  sha256: string
  encrypted: boolean
  tables: { table: string; label: string; rows: number }[]
}

export interface ExportRecord {
  packageId: string
  kind: PackageKind
  seq: number
  full: boolean
  fileName: string
  file: string
  rows: number
  bytes: number
  encrypted: boolean
  exportedAt: string
  tables: { table: string; label: string; rows: number }[]
}

export interface ImportedPackage {
  packageId: string
  kind: PackageKind
  township: string
  townshipName: string
  seq: number
  full: boolean
  createdAt: string
  importedAt: string
  fileName: string
  rows: number
}

export interface HandoffHistory {
  mode: 'township' | 'county' | null
  /** a folder to offer when the clerk has not picked one (Downloads, else home) */
  defaultDir: string
  /** what the next export will be */
  next: { seq: number; full: boolean; since: string | null; changedRows: number }
  exports: ExportRecord[]
  imports: ImportedPackage[]
  /** this installation's package signing key, as the receiver sees it; null before the first export or set-up */
  keyFingerprint: string | null
}

export interface CountyTownship {
  code: string
  name: string
  lastSeq: number
  /** when the township made its latest package */
  lastPackageAt: string | null
  lastImportedAt: string | null
  packages: number
  /** sequence numbers not yet received */
  missing: number[]
  /** live records per register */
  counts: Record<string, number>
}

export interface CountyColumn {
  field: string
  label: string
}

export interface CountyRecords extends ListResult<Record<string, unknown>> {
  columns: CountyColumn[]
}

export interface CountyChecklist {
  setId: string
  title: string
  year: number
  rows: { township: string; name: string; overall: Rollup; rollups: Rollup[] }[]
}

export interface CountySummaryRow {
  /** null: the county total */
  township: string | null
  name: string
  lastSeq: number | null
  lastPackageAt: string | null
  mediationRate: number | null
  mediationSuccessRate: number | null
  mediationFulfillmentRate: number | null
  aftercareRate: number | null
  placementRate: number | null
  recidivismRate: number | null
  /** 达标率 of the chosen standard set (the county row: the mean over townships that take part) */
  passRate: number | null
}

const countyYear = z.number({ error: '请填写年份' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对')

const passphrase = z
  .string({ error: '口令应为文字' })
  .min(6, '口令至少6个字符')
  .max(200, '口令不能超过200个字符')
  .optional()

const filePath = z.string({ error: '文件路径应为文字' }).trim().min(1, '请选择数据包文件').max(4096)

const upload = z.strictObject({
  name: z.string().trim().min(1).max(255),
  base64: z.string().min(1, '文件是空的').max(700_000_000, '文件太大，请改用文件路径导入'),
})

const tooMany = `一次最多导入${MAX_PACKAGE_FILES}个数据包文件，请分批导入`

const importInput = z
  .strictObject({
    files: z.array(filePath).max(MAX_PACKAGE_FILES, tooMany).optional(),
    uploads: z.array(upload).max(MAX_PACKAGE_FILES, tooMany).optional(),
    passphrase,
    /** the clerk confirmed that a sender whose key changed has a new PC (RekeyInfo) */
    confirmRekey: z.boolean({ error: '确认重新登记密钥应为是或否' }).optional(),
    /** a preview of a large batch checks files and keys only (ImportReport.quick) */
    quick: z.boolean({ error: '快速预览应为是或否' }).optional(),
  })
  .refine((v) => (v.files?.length ?? 0) + (v.uploads?.length ?? 0) > 0, { message: '请选择至少一个数据包文件', path: ['files'] })
  .refine((v) => (v.files?.length ?? 0) + (v.uploads?.length ?? 0) <= MAX_PACKAGE_FILES, { message: tooMany, path: ['files'] })

const importLabels = { files: '数据包文件', uploads: '数据包文件', passphrase: '口令', confirmRekey: '确认重新登记密钥', quick: '快速预览' }

export const handoffApi = {
  'package.export': method<ExportResult>('record')(
    z.strictObject({
      dir: z.string({ error: '请填写保存数据包的文件夹' }).trim().min(1, '请填写保存数据包的文件夹（U盘）').max(4096),
      full: z.boolean().optional(),
      passphrase,
    }),
    { dir: '保存文件夹', full: '全量导出', passphrase: '口令' },
  ),
  'package.exportStandards': method<ExportResult>('record')(
    z.strictObject({
      dir: z.string({ error: '请填写保存数据包的文件夹' }).trim().min(1, '请填写保存数据包的文件夹（U盘）').max(4096),
      setIds: z.array(z.string().max(64)).max(100).optional(),
      passphrase,
    }),
    { dir: '保存文件夹', setIds: '标准集', passphrase: '口令' },
  ),
  'package.preview': method<ImportReport>('none')(importInput, importLabels),
  'package.import': method<ImportReport>('bulk')(importInput, importLabels),
  'package.history': method<HandoffHistory>('none')(empty),
  'package.download': method<{ fileName: string; base64: string }>('none')(
    z.strictObject({ packageId: z.string().min(1).max(64) }),
    { packageId: '数据包' },
  ),
  'county.townships': method<CountyTownship[]>('none')(empty),
  'county.records': method<CountyRecords>('none')(
    z.strictObject({
      table: z.string({ error: '请选择台账' }).max(64),
      township: z.string().max(12).optional(),
      q: text('查询文字', 100).optional(),
      sort: sortSpec.optional(),
      offset: z.number().int().min(0).max(100_000_000).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      includeDeleted: z.boolean().optional(),
    }),
    { table: '台账', township: '乡镇', q: '查询文字' },
  ),
  'county.checklist': method<CountyChecklist>('none')(
    z.strictObject({ setId: z.string({ error: '请选择标准集' }).min(1, '请选择标准集').max(64), year: countyYear }),
    { setId: '标准集', year: '年份' },
  ),
  'county.summary': method<CountySummaryRow[]>('none')(
    z.strictObject({ year: countyYear, setId: z.string().min(1).max(64).optional() }),
    { setId: '标准集', year: '年份' },
  ),
  'county.summaryDoc': method<{ fileName: string; base64: string; pages: number }>('none')(
    z.strictObject({ year: countyYear, setId: z.string().min(1).max(64).optional() }),
    { setId: '标准集', year: '年份' },
  ),
}
