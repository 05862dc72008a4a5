import { basename } from 'node:path'
import { ApiError } from '../../shared/errors'
import { MAX_PACKAGE_FILES, type IdDuplicate, type ImportReport, type PackageItem, type RekeyInfo, type TableCounts } from '../../shared/handoff/schema'
import { maskIdNumber } from '../../shared/idNumber'
import type { Township } from '../../shared/org/schema'
import type { Ctx } from '../context'
import { SCHEMA_VERSION } from '../db/migrations'
import { bulkLoad, flushLoad } from '../db/bulk'
import { pauseSearchTrigger, scheduleSearchIndex } from '../db/search'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { importSet } from '../checklist/sets'
import { deriveKey, gcmParams, keyMatches } from './crypto'
import { PackageError, additionalData, openPackage, payloadHashMatches, refusals as formatRefusals, type Manifest, type OpenedPackage } from './format'
import { RowRefusal, payloadLines, payloadParts } from './reader'
import { merger, type Merge } from './merge'
import { rekeyText, trustKey } from './pins'
import type { CheckPlan } from './rowCheck'
import { checkPlan, exactCheck, rowRefusalMessage, type ExactCheck } from './rows'
import { quoteIdent, travelTables, type TravelTable } from './travel'

/**
 * County import (DESIGN §6). Every package of a batch is applied inside one transaction, each in its
 * own savepoint: a preview is the same run rolled back, so its counts are exactly what a commit does.
 * Merge rule per row: insert if absent; replace only when the incoming updatedAt is newer (so a
 * tombstone is never undone by an older copy, and the township's own timestamps are kept).
 *
 * Before a row is read a package must be signed (format.ts) by the key pinned for its sender (pins.ts),
 * or its clerk confirms the sender's new key; every row is checked as the township's forms would
 * (rows.ts); the payload's hash is checked as it is read. The slow parts before the transaction (key
 * derivation) are asynchronous, so the window and browser mode keep answering.
 */
export interface ImportFile {
  path: string
  name?: string
}

interface Candidate {
  item: PackageItem
  pkg?: OpenedPackage
  key?: Buffer
}

export interface ImportOptions {
  passphrase?: string
  /** the clerk confirmed that a sender with a new key has a new PC */
  confirmRekey?: boolean
  /** a preview that, for a large batch, checks files and keys only (ImportReport.quick) */
  quick?: boolean
  commit: boolean
}

const DAMAGED = '数据包内容已损坏（格式不对），不能导入'
const damaged = (detail = DAMAGED) => new PackageError('invalid_input', detail)

/** why each refused item was refused, for the error a commit throws */
const refusals = new WeakMap<PackageItem, PackageError>()

function refuse(item: PackageItem, e: PackageError): void {
  item.status = 'refused'
  item.reason = e.message
  refusals.set(item, e)
}

function refusalError(item: PackageItem): ApiError {
  const e = refusals.get(item)
  return new ApiError(e?.code ?? 'invalid_input', `「${item.fileName}」${item.reason ?? '不能导入'}。本次选中的数据包都未导入，数据未作任何改动`, e?.field ?? 'files')
}

class Rollback {
  constructor(readonly report: ImportReport) {}
}

function blankItem(f: ImportFile): PackageItem {
  return { file: f.path, fileName: f.name ?? basename(f.path), status: 'refused', tables: [], problems: [] }
}

/** Checks one file up to the point where its rows are read: head and signature, versions, county, mode, passphrase. */
async function check(ctx: Ctx, t: Township, f: ImportFile, passphrase: string | undefined, keys: Map<string, Promise<Buffer>>): Promise<Candidate> {
  const item = blankItem(f)
  try {
    const pkg = openPackage(f.path, SCHEMA_VERSION)
    const m = pkg.manifest
    Object.assign(item, {
      packageId: m.packageId,
      kind: m.kind,
      township: m.township.code,
      townshipName: m.township.name,
      seq: m.seq,
      full: m.full,
      createdAt: m.createdAt,
      encrypted: m.encryption !== null,
      bytes: pkg.fileSize,
    })
    if (m.kind === 'data') {
      if (t.mode !== 'county')
        throw new PackageError('conflict', '这是乡镇上报的数据包，只能在县（区）模式的平安台账中导入；本机是乡镇模式')
      if (m.county.code !== t.code || !m.township.code.startsWith(t.code))
        throw new PackageError('conflict', `这个数据包来自${m.county.name}（${m.county.code}）的${m.township.name}，不属于本县（区）${t.name}（${t.code}）`)
    } else {
      if (t.mode !== 'township') throw new PackageError('conflict', '这是下发给乡镇的创建标准包，只能在乡镇模式的平安台账中导入')
      if (m.county.code !== t.countyCode)
        throw new PackageError('conflict', `这个标准包由${m.county.name}（${m.county.code}）下发，不是本乡镇所属县（区）（${t.countyCode}）下发的`)
    }
    let key: Buffer | undefined
    if (m.encryption) {
      if (!passphrase) throw new PackageError('invalid_input', '这个数据包设置了口令，请输入口令后再导入', 'passphrase')
      const e = m.encryption
      let derived = keys.get(e.salt)
      if (!derived) keys.set(e.salt, (derived = deriveKey(passphrase, Buffer.from(e.salt, 'base64'))))
      key = await derived
      if (!keyMatches(key, e.check)) throw new PackageError('invalid_input', '口令不正确，请向报送的乡镇核对口令', 'passphrase')
    }
    item.status = 'ready'
    return { item, pkg, key }
  } catch (e) {
    if (!(e instanceof PackageError)) throw e
    refuse(item, e)
    return { item }
  }
}

function counts(table: TravelTable): TableCounts {
  return { table: table.name, label: table.label, rows: 0, new: 0, changed: 0, deleted: 0, unchanged: 0 }
}

const uniqueLabels: Record<string, string> = { idNumber: '身份证号', caseNo: '案件编号', name: '名称' }

/**
 * Unique indexes are dropped while a table's rows are merged and rebuilt after: rows arrive in
 * updatedAt order, not in the order of every intermediate state, so a swap of two values would
 * otherwise collide half-way. The rebuild checks the final state. For a bulk load (a township's
 * first rows of a table, at least as many as the table holds, e.g. its first 1,000,000 patrols) the
 * other indexes are rebuilt after too: one sort each is much faster than a million random inserts.
 * A full package sent again keeps them: most of its rows are already there and are not written.
 */
function dropIndexes(ctx: Ctx, t: TravelTable, bulk: boolean): { sql: string; what: string | null }[] {
  const list = ctx.db.prepare(`PRAGMA index_list(${quoteIdent(t.name)})`).all() as { name: string; unique: number; origin: string }[]
  const out: { sql: string; what: string | null }[] = []
  for (const ix of list) {
    if (ix.origin !== 'c' || (!ix.unique && !bulk)) continue
    const row = ctx.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(ix.name) as { sql: string | null } | undefined
    if (!row?.sql) continue
    const cols = (ctx.db.prepare(`PRAGMA index_info(${quoteIdent(ix.name)})`).all() as { name: string }[]).map((c) => c.name)
    const what = ix.unique ? `${t.label}的${cols.filter((c) => c !== 'township').map((c) => uniqueLabels[c] ?? c).join('、')}` : null
    ctx.db.exec(`DROP INDEX ${quoteIdent(ix.name)}`)
    out.push({ sql: row.sql, what })
  }
  return out
}

/**
 * bulkRows: rows from which a load counts as bulk; quickPreviewRows: rows from which the screen's
 * preview checks files and keys only (a full preview costs as much as the import: the clerk would wait
 * twice). Tests lower them to cover those paths.
 */
export const tuning = { bulkRows: 50_000, quickPreviewRows: 200_000 }

function isBulk(ctx: Ctx, t: TravelTable, incoming: number): boolean {
  if (incoming < tuning.bulkRows) return false
  const held = (ctx.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(t.name)}`).get() as { n: number }).n
  return incoming >= held
}

/**
 * A refusal while rows are applied: when the payload is not the one the signed manifest names, that is
 * the reason (whatever broke first on the way), else the refusal itself.
 */
function whyRefused(pkg: OpenedPackage, e: PackageError): PackageError {
  if (e.message === formatRefusals.TAMPERED || payloadHashMatches(pkg)) return e
  return new PackageError('invalid_input', formatRefusals.TAMPERED)
}

/** A row the worker refused, worded from the form (zod and the record's rules) on this thread. */
function rowRefusal(r: RowRefusal, tables: Map<string, TravelTable>, plan: CheckPlan): PackageError {
  const t = tables.get(r.table)
  const cols = r.columns
  let row: unknown
  try {
    row = JSON.parse(r.line)
  } catch {
    return damaged()
  }
  if (!t || !Array.isArray(cols) || !Array.isArray(row)) return damaged()
  const why = exactCheck(t, cols, plan)(row)
  return new PackageError('invalid_input', rowRefusalMessage(t, r.index, row[cols.indexOf('id')], why))
}

function applyData(ctx: Ctx, c: Candidate, tables: Map<string, TravelTable>, batchPlan: CheckPlan): TableCounts[] {
  const pkg = c.pkg!
  // every row must be of the township whose key signed the package
  const plan: CheckPlan = { ...batchPlan, township: pkg.manifest.township.code }
  try {
    return applyRows(ctx, c, tables, plan)
  } catch (e) {
    if (e instanceof RowRefusal) throw whyRefused(pkg, rowRefusal(e, tables, plan))
    if (e instanceof PackageError) throw whyRefused(pkg, e)
    throw e
  }
}

function applyRows(ctx: Ctx, c: Candidate, tables: Map<string, TravelTable>, plan: CheckPlan): TableCounts[] {
  const pkg = c.pkg!
  const m = pkg.manifest
  const gcm = m.encryption ? gcmParams(c.key!, m.encryption, additionalData(m)) : null
  const byTable = new Map<string, TableCounts>()
  const dropped: { sql: string; what: string | null }[] = []
  const merges: Merge[] = []
  const resumes: (() => void)[] = []
  let merge: Merge | null = null
  // a register the worker does not check is checked here, run by run, before SQLite sees it
  let exact: { t: TravelTable; check: ExactCheck; index: number; id: number } | null = null
  let ended = false
  let total = 0
  for (const part of payloadParts(pkg, gcm, plan)) {
    if (ended) throw damaged()
    if ('rows' in part) {
      if (!merge) throw damaged()
      if (exact) {
        let rows: unknown
        try {
          rows = JSON.parse(part.rows.toString('utf8'))
        } catch {
          throw damaged()
        }
        if (!Array.isArray(rows)) throw damaged()
        for (const row of rows) {
          exact.index++
          const why = exact.check(row)
          if (why) throw new PackageError('invalid_input', rowRefusalMessage(exact.t, exact.index, Array.isArray(row) ? row[exact.id] : null, why))
        }
      }
      merge.rows(part.rows, part.count)
      total += part.count
      continue
    }
    const h = part.header as { end?: unknown; rows?: unknown; table?: unknown; columns?: unknown }
    if (typeof h !== 'object' || h === null) throw damaged()
    if (h.end === true) {
      if (h.rows !== total) throw damaged()
      ended = true
      continue
    }
    if (typeof h.table !== 'string' || !Array.isArray(h.columns) || !h.columns.every((x) => typeof x === 'string')) throw damaged()
    const t = tables.get(h.table)
    if (!t) throw damaged(`数据包里有本程序不认识的台账「${h.table}」，请升级本程序后再导入`)
    if (byTable.has(t.name)) throw damaged()
    const columns = h.columns as string[]
    const required = t.mode === 'record' ? ['id', 'updatedAt', 'deletedAt', 'township'] : ['id', 'township']
    if (new Set(columns).size !== columns.length || !columns.every((x) => t.columns.includes(x)) || !required.every((x) => columns.includes(x)))
      throw damaged(`数据包里「${t.label}」的字段与本程序不一致，请升级本程序后再导入`)
    const tc = counts(t)
    byTable.set(t.name, tc)
    exact = plan.tables[t.name] ? null : { t, check: exactCheck(t, columns, plan), index: 0, id: columns.indexOf('id') }
    const isFresh = t.mode === 'record' && !ctx.db.prepare(`SELECT 1 FROM ${quoteIdent(t.name)} WHERE township = ? LIMIT 1`).get(m.township.code)
    const bulk = isFresh && isBulk(ctx, t, m.tables[t.name] ?? 0)
    if (t.mode === 'record') dropped.push(...dropIndexes(ctx, t, bulk))
    // a bulk load's rows join the search index after the commit, in the background (db/search.ts)
    if (bulk) resumes.push(pauseSearchTrigger(ctx.db, t.name))
    merge = merger(ctx, t, columns, m.township.code, tc, isFresh)
    merges.push(merge)
  }
  if (!ended) throw new PackageError('invalid_input', '数据包文件不完整（缺少结尾），不能导入')
  // a bulk load's rows, then each index, are on their way to disk while the next index is built
  flushLoad(ctx.db)
  const declared = Object.entries(m.tables)
  if (declared.length !== byTable.size || declared.some(([name, n]) => byTable.get(name)?.rows !== n) || m.rows !== total)
    throw new PackageError('invalid_input', '数据包的行数与清单不符，文件已被改动，不能导入')
  for (const d of dropped) {
    try {
      ctx.db.exec(d.sql)
      flushLoad(ctx.db)
    } catch (e) {
      if (!d.what) throw e
      throw new PackageError(
        'conflict',
        `导入后${d.what}出现重复，可能缺少之前的数据包或两次导出之间数据不一致。请先导入缺少的数据包，或让乡镇报送一次全量数据包`,
      )
    }
  }
  for (const x of merges) x.finish()
  for (const resume of resumes) resume()
  return [...byTable.values()]
}

/**
 * A standards package: each set goes through checklist.importSet's validation; one bad set refuses
 * the whole package.
 */
function applyStandards(ctx: Ctx, c: Candidate): TableCounts[] {
  try {
    return applySets(ctx, c)
  } catch (e) {
    if (e instanceof PackageError) throw whyRefused(c.pkg!, e)
    throw e
  }
}

function applySets(ctx: Ctx, c: Candidate): TableCounts[] {
  const m = c.pkg!.manifest
  const tc: TableCounts = { table: 'standard_sets', label: '创建标准', rows: 0, new: 0, changed: 0, deleted: 0, unchanged: 0 }
  let header = false
  let ended = false
  for (const line of payloadLines(c.pkg!, m.encryption ? gcmParams(c.key!, m.encryption, additionalData(m)) : null)) {
    let obj: unknown
    try {
      obj = JSON.parse(line)
    } catch {
      throw damaged()
    }
    if (ended) throw damaged()
    if (Array.isArray(obj)) {
      if (!header || obj.length !== 2 || typeof obj[1] !== 'string') throw damaged()
      const json = obj[1]
      const before = prepared(ctx.db, 'SELECT json FROM standard_sets WHERE id = ?').get(obj[0]) as { json: string } | undefined
      try {
        if (before && before.json === JSON.stringify(JSON.parse(json))) tc.unchanged++
        else {
          const r = importSet(ctx, json)
          if (r.replaced) tc.changed++
          else tc.new++
        }
      } catch (e) {
        if (e instanceof ApiError) throw new PackageError('invalid_input', `标准包中的标准集未通过校验：${e.message}`)
        throw damaged()
      }
      tc.rows++
      continue
    }
    const h = obj as { table?: unknown; end?: unknown; rows?: unknown }
    if (h?.end === true) {
      if (h.rows !== tc.rows) throw damaged()
      ended = true
    } else if (h?.table === 'standard_sets' && !header) header = true
    else throw damaged()
  }
  if (!ended || m.rows !== tc.rows) throw new PackageError('invalid_input', '数据包的行数与清单不符，文件已被改动，不能导入')
  return [tc]
}

function recordImport(ctx: Ctx, c: Candidate, tcs: TableCounts[], at: string): void {
  const m = c.pkg!.manifest
  prepared(
    ctx.db,
    `INSERT INTO handoff_imports (packageId, kind, township, townshipName, seq, full, createdAt, importedAt, fileName, sha256, rows, counts)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(m.packageId, m.kind, m.township.code, m.township.name, m.seq, m.full ? 1 : 0, m.createdAt, at, c.item.fileName, m.payload.sha256, m.rows, JSON.stringify(Object.fromEntries(tcs.map((x) => [x.table, x]))))
  if (m.kind !== 'data') return
  prepared(
    ctx.db,
    `INSERT INTO townships (code, name, lastSeq, lastPackageAt, lastImportedAt, packages) VALUES (?,?,?,?,?,1)
     ON CONFLICT(code) DO UPDATE SET
       name = CASE WHEN excluded.lastSeq >= lastSeq THEN excluded.name ELSE name END,
       lastPackageAt = CASE WHEN excluded.lastSeq >= lastSeq THEN excluded.lastPackageAt ELSE lastPackageAt END,
       lastSeq = max(lastSeq, excluded.lastSeq),
       lastImportedAt = excluded.lastImportedAt,
       packages = packages + 1`,
  ).run(m.township.code, m.township.name, m.seq, m.createdAt, at)
}

/** Sequence numbers of a township not received since its latest full package. */
export function missingSeqs(ctx: Ctx, township: string): number[] {
  const rows = prepared(ctx.db, "SELECT seq, full FROM handoff_imports WHERE township = ? AND kind = 'data' ORDER BY seq").all(township) as {
    seq: number
    full: number
  }[]
  if (rows.length === 0) return []
  const max = rows[rows.length - 1]!.seq
  let from = 0
  for (const r of rows) if (r.full) from = r.seq
  const have = new Set(rows.map((r) => r.seq))
  const out: number[] = []
  for (let s = from + 1; s < max && out.length < 500; s++) if (!have.has(s)) out.push(s)
  return out
}

function seqList(seqs: number[]): string {
  return seqs.length > 10 ? `${seqs.slice(0, 10).join('、')} 等 ${seqs.length} 个` : seqs.join('、')
}

/** The same 身份证号 live in two or more townships (members, aftercare people, any table with idNumber and name). */
export function idDuplicates(ctx: Ctx, limit = 500): IdDuplicate[] {
  const tables = travelTables(ctx.db).filter((t) => t.mode === 'record' && t.columns.includes('idNumber') && t.columns.includes('name'))
  if (tables.length === 0) return []
  const union = tables
    .map((t) => `SELECT '${t.name}' AS tbl, id, name, idNumber, township FROM ${quoteIdent(t.name)} WHERE deletedAt IS NULL`)
    .join(' UNION ALL ')
  const rows = ctx.db
    .prepare(
      `WITH p AS (${union})
       SELECT p.tbl, p.id, p.name, p.idNumber, p.township, coalesce(t.name, p.township) AS townshipName
       FROM p LEFT JOIN townships t ON t.code = p.township
       WHERE p.idNumber IN (SELECT idNumber FROM p GROUP BY idNumber HAVING count(DISTINCT township) > 1)
       ORDER BY p.idNumber, p.township, p.tbl LIMIT ?`,
    )
    .all(limit * 4) as { tbl: string; id: string; name: string; idNumber: string; township: string; townshipName: string }[]
  const labels = new Map(tables.map((t) => [t.name, t.label]))
  const out = new Map<string, IdDuplicate>()
  for (const r of rows) {
    let d = out.get(r.idNumber)
    if (!d) {
      if (out.size >= limit) break
      out.set(r.idNumber, (d = { idNumber: maskIdNumber(r.idNumber), entries: [] }))
    }
    d.entries.push({ township: r.township, townshipName: r.townshipName, table: r.tbl, label: labels.get(r.tbl) ?? r.tbl, id: r.id, name: r.name })
  }
  return [...out.values()]
}

function sumTotals(items: PackageItem[]): TableCounts[] {
  const m = new Map<string, TableCounts>()
  for (const it of items) {
    if (it.status !== 'ready' && it.status !== 'imported') continue
    for (const c of it.tables) {
      const s = m.get(c.table) ?? { ...c, rows: 0, new: 0, changed: 0, deleted: 0, unchanged: 0 }
      s.rows += c.rows
      s.new += c.new
      s.changed += c.changed
      s.deleted += c.deleted
      s.unchanged += c.unchanged
      m.set(c.table, s)
    }
  }
  return [...m.values()]
}

/** A quick preview's counts: the rows per register the signed manifest declares, nothing counted. */
function declared(m: Manifest, tables: Map<string, TravelTable>): TableCounts[] {
  return Object.entries(m.tables).map(([name, n]) => {
    const t = tables.get(name)
    return { table: name, label: t?.label ?? (name === 'standard_sets' ? '创建标准' : name), rows: n, new: 0, changed: 0, deleted: 0, unchanged: 0 }
  })
}

/**
 * Previews (commit = false: everything is rolled back) or imports (commit = true: all or nothing) a
 * batch of packages. A commit with any refused file changes nothing and throws that file's reason.
 */
export async function runImport(ctx: Ctx, files: ImportFile[], o: ImportOptions): Promise<ImportReport> {
  const t = requireTownship(ctx)
  const commit = o.commit
  if (files.length > MAX_PACKAGE_FILES) throw new ApiError('invalid_input', `一次最多导入${MAX_PACKAGE_FILES}个数据包文件，请分批导入`, 'files')
  const keys = new Map<string, Promise<Buffer>>()
  const candidates: Candidate[] = []
  for (const f of files) candidates.push(await check(ctx, t, f, o.passphrase, keys))
  const early = candidates.find((c) => c.item.status === 'refused')
  if (commit && early) throw refusalError(early.item)
  const order = [...candidates].sort((a, b) => {
    const x = a.item
    const y = b.item
    if (x.status === 'refused' || y.status === 'refused') return Number(x.status === 'refused') - Number(y.status === 'refused')
    return (x.township ?? '').localeCompare(y.township ?? '') || (x.seq ?? 0) - (y.seq ?? 0) || (x.createdAt ?? '').localeCompare(y.createdAt ?? '')
  })
  const travel = travelTables(ctx.db)
  const tables = new Map(travel.map((x) => [x.name, x]))
  const rows = candidates.reduce((n, c) => n + (c.item.status === 'ready' && c.item.kind === 'data' ? c.pkg!.manifest.rows : 0), 0)
  const quick = !commit && o.quick === true && rows >= tuning.quickPreviewRows
  const run = ctx.db.transaction((): ImportReport => {
    const at = ctx.now()
    const plan = checkPlan(travel, at, ctx.today())
    const seen = new Set<string>()
    const touched = new Map<string, string>()
    const rekeys = new Map<string, RekeyInfo>()
    for (const c of order) {
      const it = c.item
      if (it.status !== 'ready') continue
      const m = c.pkg!.manifest
      const before = prepared(ctx.db, 'SELECT 1 FROM handoff_imports WHERE packageId = ?').get(m.packageId)
      if (before || seen.has(m.packageId)) {
        it.status = 'already_imported'
        if (!before) it.problems.push('与本次选中的另一个文件是同一个数据包')
        continue
      }
      seen.add(m.packageId)
      try {
        const tcs = ctx.db.transaction(() => {
          trustKey(ctx, m, it, o, at, rekeys)
          const r = quick ? declared(m, tables) : m.kind === 'data' ? applyData(ctx, c, tables, plan) : applyStandards(ctx, c)
          recordImport(ctx, c, r, at)
          return r
        })()
        it.tables = tcs
        it.status = commit ? 'imported' : 'ready'
        if (m.kind === 'data') touched.set(m.township.code, m.township.name)
      } catch (e) {
        if (!(e instanceof PackageError)) throw e
        refuse(it, e)
      }
    }
    const problems: string[] = []
    for (const r of rekeys.values()) if (!o.confirmRekey) problems.push(rekeyText(r, order.find((c) => c.item.rekey === r)?.item.kind))
    for (const [code, name] of touched) {
      const missing = missingSeqs(ctx, code)
      if (missing.length === 0) continue
      const msg = `${name}（${code}）缺少第 ${seqList(missing)} 号数据包：这些包里的修改县里还没有。请让乡镇补报，或报送一次全量数据包`
      problems.push(msg)
      for (const c of order) if (c.item.township === code && (c.item.seq ?? 0) > missing[0]! && c.item.status !== 'refused') c.item.problems.push(`缺少第 ${seqList(missing)} 号数据包`)
    }
    const duplicates = t.mode === 'county' && !quick ? idDuplicates(ctx) : []
    if (duplicates.length) problems.push(`有 ${duplicates.length} 个身份证号在两个以上乡镇都有登记，已列出供核查，未合并`)
    const report: ImportReport = {
      committed: commit,
      packages: candidates.map((c) => c.item),
      totals: sumTotals(order.map((c) => c.item)),
      problems,
      duplicates,
      rekeys: [...rekeys.values()],
      ...(quick ? { quick: true } : {}),
    }
    if (!commit) throw new Rollback(report)
    const refused = candidates.find((c) => c.item.status === 'refused')
    if (refused) throw new Rollback(report)
    return report
  })
  const attempt = (): ImportReport => {
    try {
      return run.immediate()
    } catch (e) {
      if (!(e instanceof Rollback)) throw e
      if (!commit) return e.report
      throw refusalError(e.report.packages.find((p) => p.status === 'refused')!)
    }
  }
  const report = rows >= tuning.bulkRows && !quick ? bulkLoad(ctx.db, attempt) : attempt()
  if (commit) void scheduleSearchIndex(ctx.db)
  return report
}
