import { closeSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { copyFile, open, rename, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import { PACKAGE_EXT, type ExportResult, type PackageKind } from '../../shared/handoff/schema'
import type { Township } from '../../shared/org/schema'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { SCHEMA_VERSION } from '../db/migrations'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { loadedSets } from '../checklist/sets'
import { FILE_MODE, makePrivate, privateDir } from '../fs/private'
import { newSealer, sealHead, sealKey, type SealKey } from './crypto'
import { FORMAT, FORMAT_VERSION, HEAD_BYTES, PayloadWriter, additionalData, encodeManifestSlot, fileSha256, signedMessage, type Manifest, type ManifestHead } from './format'
import { ensureSigningKey, signWith, type SigningKey } from './signing'
import { quoteIdent, travelTables, type TravelTable } from './travel'

export interface LastExport {
  packageId: string
  seq: number
  highWater: string | null
}

export function lastExport(ctx: Ctx, kind: PackageKind = 'data'): LastExport | undefined {
  return prepared(ctx.db, 'SELECT packageId, seq, highWater FROM handoff_exports WHERE kind = ? ORDER BY seq DESC LIMIT 1').get(kind) as
    | LastExport
    | undefined
}

/** The newest stamp in the database: everything up to it is in a package once this export is done. */
function highWater(ctx: Ctx, tables: TravelTable[]): string | null {
  let max: string | null = null
  for (const t of tables) {
    const r = prepared(ctx.db, `SELECT max(${quoteIdent(t.stamp)}) AS m FROM ${quoteIdent(t.name)}`).get() as { m: string | null }
    if (r.m && (!max || r.m > max)) max = r.m
  }
  return max
}

/** Rows an incremental export would carry now (for the screen: "自上次报送以来有 N 条改动"). */
export function changedSince(ctx: Ctx, since: string | null): number {
  let n = 0
  for (const t of travelTables(ctx.db)) {
    const sqlText = since
      ? `SELECT count(*) AS n FROM ${quoteIdent(t.name)} WHERE ${quoteIdent(t.stamp)} > ?`
      : `SELECT count(*) AS n FROM ${quoteIdent(t.name)}`
    n += (prepared(ctx.db, sqlText).get(...(since ? [since] : [])) as { n: number }).n
  }
  return n
}

function safeName(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40) || '未命名'
}

export function packageFileName(t: Pick<Township, 'code' | 'name'>, day: string, seq: number, kind: PackageKind, full: boolean): string {
  const what = kind === 'standards' ? '_创建标准' : full ? '_全量' : ''
  return `${t.code}_${safeName(t.name)}_${day.replace(/-/g, '')}_${String(seq).padStart(4, '0')}${what}${PACKAGE_EXT}`
}

export interface ExportHooks {
  /** called once the file is on the stick, before it is read back (tests use it to simulate a bad stick) */
  afterCopy?: (file: string) => void | Promise<void>
  signal?: AbortSignal
}

function checkDir(dir: string): void {
  let ok = false
  try {
    ok = statSync(dir).isDirectory()
  } catch {
    ok = false
  }
  if (!ok) throw new ApiError('invalid_input', `找不到文件夹「${dir}」，请插好U盘后重新选择`, 'dir')
}

function ioMessage(e: unknown): string {
  const code = (e as { code?: string }).code
  if (code === 'ENOSPC') return 'U盘空间不足'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'U盘不能写入（可能处于写保护状态或没有权限）'
  if (code === 'ENOENT') return 'U盘已被拔出或文件夹不存在'
  return '写入U盘时出错'
}

/** The payload source: what a package carries, written as JSON lines (strings, or UTF-8 runs of whole lines). */
export type PayloadSource = (line: (s: string) => void, lines: (b: Buffer) => void) => { tables: Record<string, number>; rows: number }

/** rows SQLite encodes per call in a full export */
const RUN_ROWS = 2000

function hasRowid(ctx: Ctx, t: TravelTable): boolean {
  try {
    ctx.db.prepare(`SELECT rowid FROM ${quoteIdent(t.name)} LIMIT 0`)
    return true
  } catch {
    return false
  }
}

/**
 * Data rows: every travel table, all rows (in storage order: the fastest scan) or those stamped after
 * `since` (in stamp order, through the table's updatedAt index). SQLite writes each row's JSON, and
 * for a full export whole runs of rows as one UTF-8 blob (no string round trip through JavaScript).
 */
export function dataSource(ctx: Ctx, tables: TravelTable[], since: string | null): PayloadSource {
  return (line, lines) => {
    const counts: Record<string, number> = {}
    let rows = 0
    for (const t of tables) {
      const q = quoteIdent(t.name)
      const json = `json_array(${t.columns.map(quoteIdent).join(', ')})`
      let n = 0
      const header = () => line(JSON.stringify({ table: t.name, columns: t.columns }))
      if (!since && hasRowid(ctx, t)) {
        const sqlRun = (where: string) =>
          ctx.db
            .prepare(
              `SELECT max(r) AS last, count(*) AS n, CAST(group_concat(j, char(10)) || char(10) AS BLOB) AS b
               FROM (SELECT rowid AS r, ${json} AS j FROM ${q} ${where} ORDER BY rowid LIMIT ${RUN_ROWS})`,
            )
            .raw(true)
            .safeIntegers(true)
        const first = sqlRun('')
        const next = sqlRun('WHERE rowid > ?')
        let after: bigint | null = null
        for (;;) {
          const [last, got, blob] = (after === null ? first.get() : next.get(after)) as [bigint | null, bigint, Buffer | null]
          if (!got || last === null || !blob) break
          if (n === 0) header()
          lines(blob)
          n += Number(got)
          after = last
          if (Number(got) < RUN_ROWS) break
        }
      } else {
        const stmt = since
          ? ctx.db.prepare(`SELECT CAST(${json} || char(10) AS BLOB) FROM ${q} WHERE ${quoteIdent(t.stamp)} > ? ORDER BY ${quoteIdent(t.stamp)}, id`)
          : ctx.db.prepare(`SELECT CAST(${json} || char(10) AS BLOB) FROM ${q}`)
        for (const row of (since ? stmt.pluck(true).iterate(since) : stmt.pluck(true).iterate()) as Iterable<Buffer>) {
          if (n === 0) header()
          lines(row)
          n++
        }
      }
      if (n) counts[t.name] = n
      rows += n
    }
    return { tables: counts, rows }
  }
}

export interface BuildOptions {
  kind: PackageKind
  sender: { code: string; name: string }
  county: { code: string; name: string }
  seq: number
  full: boolean
  since: string | null
  until: string | null
  /** the key derived from the passphrase (sealKey, before the synchronous part): the payload is encrypted */
  seal?: SealKey
  /** the installation's signing key */
  signer: SigningKey
  createdAt: string
}

/**
 * Writes a complete package to `file` (a local temp file, private) and returns its manifest.
 * Synchronous: the payload first, then the manifest into its slot and the head's signature.
 */
export function buildPackage(file: string, o: BuildOptions, source: PayloadSource): Manifest {
  const iv = randomBytes(12)
  const head: ManifestHead = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    kind: o.kind,
    packageId: uuidv7(),
    township: o.sender,
    county: o.county,
    seq: o.seq,
    full: o.full,
    since: o.since,
    until: o.until,
    createdAt: o.createdAt,
    signer: { algorithm: 'ed25519', publicKey: o.signer.publicKey },
    encryption: o.seal ? sealHead(o.seal, iv) : null,
  }
  const sealer = o.seal ? newSealer(o.seal, iv, additionalData(head)) : null
  const fd = openSync(file, 'w', FILE_MODE)
  try {
    const w = new PayloadWriter(fd, sealer?.cipher ?? null)
    const { tables, rows } = source(
      (s) => w.line(s),
      (b) => w.lines(b),
    )
    w.line(JSON.stringify({ end: true, rows }))
    const payload = w.finish()
    const manifest: Manifest = {
      ...head,
      tables,
      rows,
      payload: { ...payload, compression: 'deflate-frames' },
      encryption: head.encryption && sealer ? { ...head.encryption, tag: sealer.cipher.getAuthTag().toString('base64') } : null,
    }
    const bytes = encodeManifestSlot(manifest)
    const signature = signWith(o.signer, signedMessage(bytes))
    writeSync(fd, bytes, 0, bytes.length, 0)
    writeSync(fd, signature, 0, signature.length, HEAD_BYTES)
    fsyncSync(fd)
    return manifest
  } finally {
    closeSync(fd)
    makePrivate(file)
  }
}

/** The data folder's temp space (uploads, packages being built): private, like everything with personal data. */
export function tempDir(ctx: Ctx): string {
  return privateDir(join(ctx.dataDir, 'tmp'))
}

async function fsyncFile(path: string): Promise<void> {
  const h = await open(path, 'r+')
  try {
    await h.sync()
  } finally {
    await h.close()
  }
}

/**
 * Puts a built package on the stick: copy to a .part file, flush, rename, read back and compare the
 * hash with the local file. Throws (and removes what it wrote) on any failure.
 */
export async function deliver(localFile: string, dir: string, fileName: string, hooks: ExportHooks): Promise<string> {
  const dest = join(dir, fileName)
  const part = dest + '.part'
  const abort = () => {
    if (hooks.signal?.aborted) throw new ApiError('conflict', '导出已取消，上次成功报送的记录未改动')
  }
  try {
    abort()
    await copyFile(localFile, part)
    await fsyncFile(part)
    abort()
    await rename(part, dest)
    makePrivate(dest)
    await hooks.afterCopy?.(dest)
    abort()
    const want = fileSha256(localFile)
    let got: string
    try {
      got = fileSha256(dest)
    } catch {
      got = ''
    }
    if (got !== want) throw new ApiError('conflict', '写入U盘后读回校验不一致（U盘可能有坏块或已被拔出），请换一个U盘或重新导出', 'dir')
    return dest
  } catch (e) {
    await rm(part, { force: true }).catch(() => undefined)
    await rm(dest, { force: true }).catch(() => undefined)
    if (e instanceof ApiError) throw e
    throw new ApiError('conflict', `导出失败：${ioMessage(e)}。上次成功报送的记录未改动`, 'dir')
  }
}

export interface ExportOptions {
  dir: string
  full?: boolean
  passphrase?: string
}

/** Township export: full or incremental, verified on the stick before it is recorded as done. */
export async function exportData(ctx: Ctx, o: ExportOptions, hooks: ExportHooks = {}): Promise<ExportResult> {
  const t = requireTownship(ctx)
  if (t.mode !== 'township')
    throw new ApiError('conflict', '县区模式的数据库不报送乡镇数据包；如需向乡镇下发创建标准，请使用“下发标准”', 'mode')
  checkDir(o.dir)
  const tables = travelTables(ctx.db)
  const last = lastExport(ctx, 'data')
  const seq = (last?.seq ?? 0) + 1
  const createdAt = ctx.now()
  // a clock set back since the last export would stamp new edits below its high-water mark: send everything
  const clockBehind = last?.highWater != null && createdAt <= last.highWater
  const full = o.full === true || !last || clockBehind
  const since = full ? null : (last.highWater ?? null)
  const signer = ensureSigningKey(ctx.dataDir)
  // key derivation off the main thread, before the synchronous snapshot
  const seal = o.passphrase ? await sealKey(o.passphrase) : undefined
  const local = join(tempDir(ctx), `export-${uuidv7()}.tmp`)
  try {
    // one read transaction: a consistent snapshot, and the high-water mark of exactly that snapshot
    const { manifest } = ctx.db.transaction(() => {
      const until = highWater(ctx, tables) ?? since
      const manifest = buildPackage(
        local,
        { kind: 'data', sender: { code: t.code, name: t.name }, county: { code: t.countyCode, name: t.county }, seq, full, since, until, seal, signer, createdAt },
        dataSource(ctx, tables, since),
      )
      return { manifest }
    }).deferred()
    const fileName = packageFileName(t, ctx.today(), seq, 'data', full)
    const file = await deliver(local, o.dir, fileName, hooks)
    const bytes = statSync(file).size
    recordExport(ctx, manifest, file, fileName, bytes, o.passphrase !== undefined)
    return resultOf(ctx, manifest, file, fileName, bytes)
  } finally {
    rmSync(local, { force: true })
  }
}

/** County: standard sets sent back to the townships the same way (kind 'standards'). */
export async function exportStandards(ctx: Ctx, o: { dir: string; setIds?: string[]; passphrase?: string }, hooks: ExportHooks = {}): Promise<ExportResult> {
  const t = requireTownship(ctx)
  if (t.mode !== 'county') throw new ApiError('conflict', '只有县区模式可以向乡镇下发创建标准', 'mode')
  checkDir(o.dir)
  const loaded = loadedSets(ctx)
  const chosen = o.setIds?.length ? loaded.filter((s) => o.setIds!.includes(s.set.id)) : loaded.filter((s) => s.info.origin === 'imported')
  const unknown = (o.setIds ?? []).filter((id) => !loaded.some((s) => s.set.id === id))
  if (unknown.length) throw new ApiError('not_found', `没有这个标准集：${unknown.join('、').slice(0, 100)}`, 'setIds')
  if (chosen.length === 0) throw new ApiError('invalid_input', '还没有县里导入的标准集可下发，请先在“创建标准”中导入标准集文件，或选择要下发的标准集', 'setIds')
  const seq = (lastExport(ctx, 'standards')?.seq ?? 0) + 1
  const signer = ensureSigningKey(ctx.dataDir)
  const seal = o.passphrase ? await sealKey(o.passphrase) : undefined
  const local = join(tempDir(ctx), `export-${uuidv7()}.tmp`)
  try {
    const manifest = buildPackage(
      local,
      { kind: 'standards', sender: { code: t.code, name: t.name }, county: { code: t.countyCode, name: t.county }, seq, full: true, since: null, until: null, seal, signer, createdAt: ctx.now() },
      (line) => {
        line(JSON.stringify({ table: 'standard_sets', columns: ['id', 'json'] }))
        for (const s of chosen) line(JSON.stringify([s.set.id, JSON.stringify(s.set)]))
        return { tables: { standard_sets: chosen.length }, rows: chosen.length }
      },
    )
    const fileName = packageFileName(t, ctx.today(), seq, 'standards', true)
    const file = await deliver(local, o.dir, fileName, hooks)
    const bytes = statSync(file).size
    recordExport(ctx, manifest, file, fileName, bytes, o.passphrase !== undefined)
    return { ...resultOf(ctx, manifest, file, fileName, bytes), tables: [{ table: 'standard_sets', label: '创建标准', rows: chosen.length }] }
  } finally {
    rmSync(local, { force: true })
  }
}

export function recordExport(ctx: Ctx, m: Manifest, file: string, fileName: string, bytes: number, encrypted: boolean): void {
  ctx.db.transaction(() => {
    const last = lastExport(ctx, m.kind)
    if (last && last.seq >= m.seq) throw new ApiError('conflict', '同时进行了另一次导出，本次导出未记录，请重新导出')
    prepared(
      ctx.db,
      `INSERT INTO handoff_exports (packageId, kind, seq, full, since, highWater, fileName, file, rows, counts, bytes, sha256, encrypted, exportedAt)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ).run(m.packageId, m.kind, m.seq, m.full ? 1 : 0, m.since, m.until, fileName, file, m.rows, JSON.stringify(m.tables), bytes, m.payload.sha256, encrypted ? 1 : 0, ctx.now())
  })()
}

export function resultOf(ctx: Ctx, m: Manifest, file: string, fileName: string, bytes: number): ExportResult {
  const labels = new Map(travelTables(ctx.db).map((t) => [t.name, t.label]))
  return {
    file,
    rows: m.rows,
    fileName,
    seq: m.seq,
    full: m.full,
    bytes,
    sha256: m.payload.sha256,
    encrypted: m.encryption !== null,
    tables: Object.entries(m.tables).map(([table, rows]) => ({ table, label: labels.get(table) ?? table, rows })),
  }
}

