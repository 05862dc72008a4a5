import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import { backupReasons, type BackupInfo, type BackupReason, type ExportResult } from '../../shared/backup/schema'
import type { Ctx } from '../context'
import { readTownship } from '../db/township'
import { countRows, makeSelfContained, verifyFile, VerifyError, type Verified } from './verify'
import { retain } from './retention'

/**
 * Backups of the live database, always made with SQLite's online backup API (never a file copy, so a
 * copy taken while the clerk works is consistent), each checked with integrity_check before it
 * counts. They live in <dataDir>/backups as pingan-YYYYMMDD-HHmmss-<reason>.db (local time), each with
 * a .json note of when, why and how many rows, so the list needs no opening of every file.
 */
export const BACKUP_DIR = 'backups'
const NAME = /^pingan-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?-([a-z-]+)\.db$/

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUP_DIR)
}

const p2 = (n: number) => String(n).padStart(2, '0')
/** local time, for file names a clerk can read: 20260301-143005 */
export function stamp(d: Date): string {
  return `${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}-${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}`
}

export function parseBackupName(name: string): { at: Date; reason: BackupReason } | null {
  const m = NAME.exec(name)
  if (!m) return null
  const reason = m[8] as BackupReason
  if (!backupReasons.includes(reason)) return null
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  return { at: new Date(y, mo - 1, d, h, mi, s), reason }
}

/** One queue per data folder: backups, exports and restores never overlap. */
const queues = new Map<string, Promise<unknown>>()
export function serial<T>(dataDir: string, job: () => Promise<T>): Promise<T> {
  const prev = queues.get(dataDir) ?? Promise.resolve()
  const next = prev.then(job, job)
  queues.set(
    dataDir,
    next.catch(() => undefined),
  )
  return next
}

interface Note {
  at: string
  reason: BackupReason
  bytes: number
  schemaVersion: number
  counts: Record<string, number>
  records: number
}

function readNote(file: string): Note | null {
  try {
    const n = JSON.parse(readFileSync(file + '.json', 'utf8')) as Note
    return typeof n.at === 'string' && typeof n.records === 'number' ? n : null
  } catch {
    return null
  }
}

function toInfo(name: string, n: Note): BackupInfo {
  return { name, at: n.at, reason: n.reason, bytes: n.bytes, schemaVersion: n.schemaVersion, counts: n.counts, records: n.records }
}

/** Verified backups, newest first. A file without its note is checked now; one that fails is left alone and not listed. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir)
  if (!existsSync(dir)) return []
  const out: BackupInfo[] = []
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupName(name)
    if (!parsed) continue
    const file = join(dir, name)
    let note = readNote(file)
    if (!note) {
      try {
        const v = verifyFile(file)
        note = { at: parsed.at.toISOString(), reason: parsed.reason, bytes: statSync(file).size, ...v }
        writeFileSync(file + '.json', JSON.stringify(note, null, 2))
      } catch {
        continue
      }
    }
    out.push(toInfo(name, note))
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.name < b.name ? 1 : -1))
}

function uniqueName(dir: string, at: Date, reason: BackupReason): string {
  const base = `pingan-${stamp(at)}`
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${base}-${reason}.db` : `${base}-${i}-${reason}.db`
    if (!existsSync(join(dir, name)) && !existsSync(join(dir, name + '.partial'))) return name
  }
}

function removeQuietly(file: string): void {
  rmSync(file, { force: true })
}

/** Copies the live database with the backup API into `target`, checks the copy, and only then gives it its name. */
async function copyVerified(ctx: Ctx, target: string): Promise<Verified & { bytes: number }> {
  const partial = target + '.partial'
  try {
    await ctx.db.backup(partial)
    makeSelfContained(partial)
    const v = verifyFile(partial)
    const bytes = statSync(partial).size
    renameSync(partial, target)
    return { ...v, bytes }
  } catch (e) {
    removeQuietly(partial)
    removeQuietly(partial + '-journal')
    throw e
  }
}

/** Deletes the backups the retention rule no longer keeps (only verified ones ever count or go). */
function prune(dataDir: string, now: Date): void {
  const list = listBackups(dataDir).map((b) => ({ ...b, at: new Date(b.at) }))
  const { drop } = retain(list, now)
  const dir = backupsDir(dataDir)
  for (const b of drop) {
    removeQuietly(join(dir, b.name))
    removeQuietly(join(dir, b.name + '.json'))
  }
}

function backupFailed(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  const why = e instanceof VerifyError ? e.message : e instanceof Error ? e.message : String(e)
  return new ApiError('internal', `备份未完成：${why}。数据库本身未受影响。`)
}

/** Makes one verified backup now (not queued: callers go through `backupNow`). */
async function makeBackup(ctx: Ctx, reason: BackupReason): Promise<BackupInfo> {
  const dir = backupsDir(ctx.dataDir)
  const at = new Date(ctx.now())
  let name: string
  let note: Note
  try {
    mkdirSync(dir, { recursive: true })
    name = uniqueName(dir, at, reason)
    const file = join(dir, name)
    note = { at: at.toISOString(), reason, ...(await copyVerified(ctx, file)) }
    writeFileSync(file + '.json', JSON.stringify(note, null, 2))
  } catch (e) {
    throw backupFailed(e)
  }
  prune(ctx.dataDir, at)
  return toInfo(name, note)
}

export function backupNow(ctx: Ctx, reason: BackupReason): Promise<BackupInfo> {
  return serial(ctx.dataDir, () => makeBackup(ctx, reason))
}

/** Used inside a queued job (restore) that must make its safety copy without waiting for itself. */
export const backupInQueue = makeBackup

function safeFilePart(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40) || '未设置'
}

/** 备份到U盘/文件夹: a copy made with the backup API, then opened and checked against the live row counts. */
export function exportTo(ctx: Ctx, rawDir: string): Promise<ExportResult> {
  return serial(ctx.dataDir, async () => {
    if (!isAbsolute(rawDir)) throw new ApiError('invalid_input', '请填写文件夹的完整路径，例如 E:\\ 或 /media/U盘', 'dir')
    const dir = resolve(rawDir)
    const st = statSync(dir, { throwIfNoEntry: false })
    if (!st || !st.isDirectory()) throw new ApiError('invalid_input', '找不到这个文件夹，请确认U盘已插好、路径无误', 'dir')
    const t = readTownship(ctx)
    const base = `平安台账备份-${safeFilePart(t ? (t.mode === 'county' ? t.county : t.name) : '')}-${stamp(new Date(ctx.now()))}`
    let name = `${base}.db`
    for (let i = 2; existsSync(join(dir, name)); i++) name = `${base}-${i}.db`
    const file = join(dir, name)
    let v: Verified & { bytes: number }
    try {
      v = await copyVerified(ctx, file)
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'ENOSPC') throw new ApiError('internal', '写入失败：U盘或文件夹空间不足。数据库本身未受影响。', 'dir')
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly|read-only|unable to open/i.test(String((e as Error).message)))
        throw new ApiError('forbidden', '无法写入这个文件夹（可能是只读或没有权限）。数据库本身未受影响。', 'dir')
      throw backupFailed(e)
    }
    const live = countRows(ctx.db)
    const same = JSON.stringify(live.counts) === JSON.stringify(v.counts)
    if (!same) {
      // the copy is kept (nothing is deleted silently) but the clerk is told it does not match
      throw new ApiError('internal', `备份文件已写入 ${file}，但核对行数与当前数据库不一致，请再备份一次。`, 'dir')
    }
    return { file, bytes: v.bytes, counts: v.counts, verified: true }
  })
}
