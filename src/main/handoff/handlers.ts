import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, join } from 'node:path'
import type { ParsedInput } from '../../shared/api/contract'
import { ApiError } from '../../shared/errors'
import type { CountyRecords, CountyTownship, ExportRecord, HandoffHistory, ImportReport, ImportedPackage, PackageKind } from '../../shared/handoff/schema'
import { displayRows } from './display'
import { registers } from '../../shared/registers'
import { labelsOf } from '../../shared/registers/define'
import { maskIdNumber } from '../../shared/idNumber'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { readTownship, requireTownship } from '../org/township'
import { changedSince, exportData, exportStandards, lastExport, tempDir } from './export'
import { missingSeqs, runImport, type ImportFile } from './import'
import { quoteIdent, travelTables } from './travel'
import { readSigningKey } from './signing'
import { FILE_MODE, privateDir } from '../fs/private'
import { countyChecklist, countySummary, countySummaryDoc } from './county'

export function defaultDir(): string {
  const dl = join(homedir(), 'Downloads')
  return existsSync(dl) ? dl : homedir()
}

/** Browser uploads are written to the data folder's temp space (private: they hold personal data) and imported from there. */
async function withFiles<T>(ctx: Ctx, input: ParsedInput<'package.import'>, fn: (files: ImportFile[]) => Promise<T>): Promise<T> {
  const files: ImportFile[] = (input.files ?? []).map((p) => ({ path: p }))
  let dir: string | null = null
  try {
    if (input.uploads?.length) {
      dir = privateDir(mkdtempSync(join(tempDir(ctx), 'upload-')))
      input.uploads.forEach((u, i) => {
        const path = join(dir!, `${i}-${basename(u.name).replace(/[^\w.\u4e00-\u9fff-]/g, '_')}`)
        writeFileSync(path, Buffer.from(u.base64, 'base64'), { mode: FILE_MODE })
        files.push({ path, name: basename(u.name) })
      })
    }
    return await fn(files)
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}

function parseTables(ctx: Ctx, counts: string): { table: string; label: string; rows: number }[] {
  const labels = new Map(travelTables(ctx.db).map((t) => [t.name, t.label]))
  const obj = JSON.parse(counts) as Record<string, number | { rows: number }>
  return Object.entries(obj).map(([table, v]) => ({ table, label: labels.get(table) ?? table, rows: typeof v === 'number' ? v : v.rows }))
}

function history(ctx: Ctx): HandoffHistory {
  const t = readTownship(ctx)
  const exports = (
    prepared(ctx.db, 'SELECT * FROM handoff_exports ORDER BY exportedAt DESC LIMIT 200').all() as {
      packageId: string
      kind: PackageKind
      seq: number
      full: number
      fileName: string
      file: string
      rows: number
      counts: string
      bytes: number
      encrypted: number
      exportedAt: string
    }[]
  ).map(
    (r): ExportRecord => ({
      packageId: r.packageId,
      kind: r.kind,
      seq: r.seq,
      full: r.full === 1,
      fileName: r.fileName,
      file: r.file,
      rows: r.rows,
      bytes: r.bytes,
      encrypted: r.encrypted === 1,
      exportedAt: r.exportedAt,
      tables: parseTables(ctx, r.counts),
    }),
  )
  const imports = (
    prepared(ctx.db, 'SELECT packageId, kind, township, townshipName, seq, full, createdAt, importedAt, fileName, rows FROM handoff_imports ORDER BY importedAt DESC, township, seq DESC LIMIT 500').all() as (Omit<ImportedPackage, 'full'> & { full: number })[]
  ).map((r) => ({ ...r, full: r.full === 1 }))
  const last = lastExport(ctx, 'data')
  const since = last?.highWater ?? null
  return {
    mode: t?.mode ?? null,
    defaultDir: defaultDir(),
    next: { seq: (last?.seq ?? 0) + 1, full: !last, since, changedRows: t?.mode === 'township' ? changedSince(ctx, last ? since : null) : 0 },
    exports,
    imports,
    keyFingerprint: ownKeyFingerprint(ctx),
  }
}

/** This installation's signing key as receivers see it (read only: the key is made at set-up or the first export). */
function ownKeyFingerprint(ctx: Ctx): string | null {
  try {
    return readSigningKey(ctx.dataDir)?.fingerprint ?? null
  } catch {
    return null
  }
}

function countyTownships(ctx: Ctx): CountyTownship[] {
  const rows = prepared(ctx.db, 'SELECT code, name, lastSeq, lastPackageAt, lastImportedAt, packages FROM townships ORDER BY code').all() as Omit<
    CountyTownship,
    'missing' | 'counts'
  >[]
  const tables = travelTables(ctx.db).filter((t) => t.mode === 'record')
  const counts = new Map<string, Record<string, number>>()
  for (const t of tables) {
    for (const r of prepared(ctx.db, `SELECT township, count(*) AS n FROM ${quoteIdent(t.name)} WHERE deletedAt IS NULL GROUP BY township`).all() as {
      township: string
      n: number
    }[]) {
      const c = counts.get(r.township) ?? {}
      c[t.name] = r.n
      counts.set(r.township, c)
    }
  }
  return rows.map((r) => ({ ...r, missing: missingSeqs(ctx, r.code), counts: counts.get(r.code) ?? {} }))
}

/** A register's own field labels first (its definition); the generic ones for the organisation's tables. */
const registerLabels: Record<string, Record<string, string>> = Object.fromEntries(registers.map((r) => [r.table, labelsOf(r)]))

const fieldLabels: Record<string, string> = {
  township: '乡镇',
  name: '名称/姓名',
  kind: '类型',
  households: '户数',
  population: '人口',
  villageId: '所属村（社区）',
  headcount: '人数',
  idNumber: '身份证号',
  phone: '联系电话',
  gridId: '所属网格',
  unitId: '所属单位',
  roles: '职务/角色',
  joinedOn: '加入日期',
  leftOn: '离队日期',
  notes: '备注',
  date: '日期',
  startTime: '开始时间',
  endTime: '结束时间',
  mode: '方式',
  route: '路线',
  leaderId: '带队人',
  memberIds: '队员',
  findings: '发现问题',
  handling: '处置情况',
  caseNo: '案件编号',
  receivedOn: '受理日期',
  source: '来源',
  category: '类别',
  summary: '纠纷简要情况',
  parties: '当事人',
  mediatorIds: '调解员',
  status: '状态',
  mediatedOn: '调解日期',
  agreementForm: '协议形式',
  agreement: '协议内容',
  fulfillment: '履行情况',
  followUps: '回访',
  closedOn: '结案日期',
  crime: '罪名',
  sentence: '刑期',
  releasedOn: '释放日期',
  aftercareUntil: '帮教期满',
  placement: '安置情况',
  unplacedReason: '未安置原因',
  helperIds: '帮教人员',
  reoffendedOn: '重新犯罪日期',
  lostContact: '脱管漏管',
  handoverOn: '衔接日期',
  handover: '衔接情况',
  risk: '危险性评估',
  registeredAddress: '户籍地',
  address: '现住地',
  personId: '帮教对象',
  content: '内容',
  createdAt: '建立时间',
  updatedAt: '修改时间',
  deletedAt: '删除时间',
}

const searchable = ['name', 'caseNo', 'summary', 'route', 'content', 'crime', 'findings']

function countyRecords(ctx: Ctx, input: ParsedInput<'county.records'>): CountyRecords {
  const t = travelTables(ctx.db).find((x) => x.name === input.table && x.mode === 'record')
  if (!t) throw new ApiError('invalid_input', '没有这个台账', 'table')
  const where: string[] = []
  const params: unknown[] = []
  if (!input.includeDeleted) where.push('deletedAt IS NULL')
  if (input.township) {
    where.push('township = ?')
    params.push(input.township)
  }
  const q = input.q?.trim()
  const cols = searchable.filter((c) => t.columns.includes(c))
  if (q && cols.length) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`
    where.push(`(${cols.map((c) => `${quoteIdent(c)} LIKE ? ESCAPE '\\'`).join(' OR ')})`)
    for (let i = 0; i < cols.length; i++) params.push(pattern)
  }
  const from = `FROM ${quoteIdent(t.name)}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`
  const total = (prepared(ctx.db, `SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n
  const order = (input.sort ?? []).filter((s) => t.columns.includes(s.field)).map((s) => `${quoteIdent(s.field)} ${s.dir === 'desc' ? 'DESC' : 'ASC'}`)
  order.push('id ASC')
  const rows = (
    prepared(ctx.db, `SELECT * ${from} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`).all(...params, input.limit ?? 100, input.offset ?? 0) as Record<string, unknown>[]
  ).map((r) => (typeof r.idNumber === 'string' ? { ...r, idNumber: maskIdNumber(r.idNumber) } : r))
  return { rows: displayRows(ctx.db, t.name, rows), total, columns: t.columns.filter((c) => c !== 'id').map((field) => ({ field, label: registerLabels[t.name]?.[field] ?? fieldLabels[field] ?? field })) }
}

function download(ctx: Ctx, packageId: string): { fileName: string; base64: string } {
  const r = prepared(ctx.db, 'SELECT fileName, file FROM handoff_exports WHERE packageId = ?').get(packageId) as { fileName: string; file: string } | undefined
  if (!r) throw new ApiError('not_found', '找不到这次导出的记录', 'packageId')
  let size: number
  try {
    size = statSync(r.file).size
  } catch {
    throw new ApiError('not_found', `找不到数据包文件「${r.file}」（U盘可能已拔出），请重新导出`, 'packageId')
  }
  if (size > 300 * 1024 * 1024) throw new ApiError('invalid_input', '数据包太大，不能通过浏览器下载，请直接从保存的文件夹拷贝', 'packageId')
  return { fileName: r.fileName, base64: readFileSync(r.file).toString('base64') }
}

function importReport(ctx: Ctx, input: ParsedInput<'package.import'>, commit: boolean): Promise<ImportReport> {
  requireTownship(ctx)
  return withFiles(ctx, input, (files) => runImport(ctx, files, { passphrase: input.passphrase, confirmRekey: input.confirmRekey, quick: input.quick, commit }))
}

export const handoffHandlers: HandlerMap<
  'package.export' | 'package.exportStandards' | 'package.preview' | 'package.import' | 'package.history' | 'package.download' | 'county.townships' | 'county.records' | 'county.checklist' | 'county.summary' | 'county.summaryDoc'
> = {
  'package.export': (input, ctx) => exportData(ctx, { dir: input.dir, full: input.full, passphrase: input.passphrase }),
  'package.exportStandards': (input, ctx) => exportStandards(ctx, input),
  'package.preview': (input, ctx) => importReport(ctx, input, false),
  'package.import': (input, ctx) => importReport(ctx, input, true),
  'package.history': (_input, ctx) => history(ctx),
  'package.download': (input, ctx) => download(ctx, input.packageId),
  'county.townships': (_input, ctx) => countyTownships(ctx),
  'county.records': (input, ctx) => countyRecords(ctx, input),
  'county.checklist': (input, ctx) => countyChecklist(ctx, input.setId, input.year),
  'county.summary': (input, ctx) => countySummary(ctx, input.year, input.setId),
  'county.summaryDoc': (input, ctx) => countySummaryDoc(ctx, input.year, input.setId),
}
