import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import { backupReasons, backupReasonLabels, type BackupInfo, type BackupReason, type DeleteResult, type ExportResult } from '../../shared/backup/schema'
import type { Ctx } from '../context'
import { readTownship } from '../org/township'
import { ensurePrivateFile, FILE_MODE, makePrivate, privateDir } from '../fs/private'
import { verifyCopied, verifyFile, VerifyError, type Verified } from './verify'
import { copyInWorker } from './copyWorker'
import { KEPT_UNTIL_DELETED, retain } from './retention'
import { FileBusyError, renameWithRetry, withRetry } from './rename'

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

const log = (msg: string) => (process.env.PINGAN_QUIET ? undefined : process.stderr.write(msg + '\n'))

interface Note {
  at: string
  reason: BackupReason
  bytes: number
  schemaVersion: number
  counts: Record<string, number>
  records: number
  restoredFrom?: string
}

function readNote(file: string): Note | null {
  try {
    const n = JSON.parse(readFileSync(file + '.json', 'utf8')) as Note
    return typeof n.at === 'string' && typeof n.records === 'number' ? n : null
  } catch {
    return null
  }
}

/** The note holds counts only, but sits among private files and is made private like them. */
function writeNote(file: string, note: Note): void {
  writeFileSync(file + '.json', JSON.stringify(note, null, 2), { mode: FILE_MODE })
  makePrivate(file + '.json')
}

function toInfo(name: string, n: Note): BackupInfo {
  const info: BackupInfo = { name, at: n.at, reason: n.reason, bytes: n.bytes, schemaVersion: n.schemaVersion, counts: n.counts, records: n.records }
  if (typeof n.restoredFrom === 'string') info.restoredFrom = n.restoredFrom
  return info
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
        writeNote(file, note)
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

/** Off the main thread: unlinking a copy of hundreds of megabytes takes a noticeable moment. */
function removeQuietly(file: string): Promise<void> {
  return rm(file, { force: true })
}

interface Copied extends Verified {
  bytes: number
  /** the live database's counts in the snapshot that was copied */
  live: Record<string, number>
}

/**
 * Copies the live database with the backup API into `target`, checks the copy, and only then gives it
 * its name. The copy is created private (0600) before SQLite writes to it, so no reader ever sees
 * personal data in a world-readable file; its journal takes the same mode. Copy, integrity_check and
 * row counts run on a worker thread (copyWorker.ts), from one snapshot of the live database. The copy
 * is kept whatever its schema: it is the live data as it is (a restore checks what it brings in).
 */
async function copyVerified(ctx: Ctx, target: string): Promise<Copied> {
  const partial = target + '.partial'
  try {
    ensurePrivateFile(partial)
    const report = await copyInWorker(ctx.db.name, partial)
    const v = verifyCopied(partial, report, { genuine: false })
    const bytes = statSync(partial).size
    await renameWithRetry(partial, target)
    return { ...v, bytes, live: report.sourceCounts }
  } catch (e) {
    for (const ext of ['', '-journal', '-wal', '-shm']) await removeQuietly(partial + ext).catch(() => undefined)
    throw e
  }
}

/**
 * Deletes the backups the retention rule no longer keeps (only verified ones ever count or go). Never
 * pruned: one made by hand, one taken before a restore, the backup a restore brought in (for as long
 * as the copy taken before that restore is kept: the clerk may want to go back and forth between the
 * two), and those named in `protect`. A file that cannot be deleted now (held open on Windows) stays
 * for the next round: the backup just made is sound either way.
 */
async function prune(dataDir: string, now: Date, protect: readonly string[]): Promise<void> {
  const list = listBackups(dataDir).map((b) => ({ ...b, at: new Date(b.at) }))
  const pinned = new Set(protect)
  for (const b of list) if (b.restoredFrom) pinned.add(b.restoredFrom)
  const { drop } = retain(list, now, pinned)
  const dir = backupsDir(dataDir)
  for (const b of drop) {
    try {
      await removeQuietly(join(dir, b.name))
      await removeQuietly(join(dir, b.name + '.json'))
    } catch (e) {
      log(`[pingan] old backup not removed yet: ${(e as { code?: string }).code ?? 'error'}`)
    }
  }
}

function backupFailed(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  const why = e instanceof VerifyError || e instanceof FileBusyError ? e.message : e instanceof Error ? e.message : String(e)
  return new ApiError('internal', `备份未完成：${why}。数据库本身未受影响。`)
}

/**
 * Makes one verified backup now (not queued: callers go through `backupNow`). `restoring` names the
 * backup a restore is about to copy in: the pruning after this copy must not remove it, and the note
 * of the copy taken before the restore remembers it.
 */
async function makeBackup(ctx: Ctx, reason: BackupReason, options: { restoring?: string } = {}): Promise<BackupInfo> {
  const dir = backupsDir(ctx.dataDir)
  const at = new Date(ctx.now())
  let name: string
  let note: Note
  try {
    privateDir(dir)
    name = uniqueName(dir, at, reason)
    const file = join(dir, name)
    const { schemaVersion, counts, records, bytes } = await copyVerified(ctx, file)
    note = { at: at.toISOString(), reason, bytes, schemaVersion, counts, records, ...(options.restoring ? { restoredFrom: options.restoring } : {}) }
    writeNote(file, note)
  } catch (e) {
    throw backupFailed(e)
  }
  await prune(ctx.dataDir, at, options.restoring ? [name, options.restoring] : [name])
  return toInfo(name, note)
}

export function backupNow(ctx: Ctx, reason: BackupReason): Promise<BackupInfo> {
  return serial(ctx.dataDir, () => makeBackup(ctx, reason))
}

/** Used inside a queued job (restore) that must make its safety copy without waiting for itself. */
export const backupInQueue = makeBackup

/**
 * 删除 a backup the retention rule keeps until the clerk deletes it (made by hand, or the data from
 * before a restore). Automatic backups are left to the rule: it already bounds them, and letting them
 * be deleted by hand would only thin out the copies a clerk falls back on after a mistake. Queued with
 * backups and restores, so the backup a restore is copying can never go from under it.
 */
export function deleteBackup(ctx: Ctx, name: string): Promise<DeleteResult> {
  return serial(ctx.dataDir, async () => {
    const found = listBackups(ctx.dataDir).find((b) => b.name === name)
    if (!found) throw new ApiError('not_found', '找不到这个备份（可能已经删除）', 'name')
    if (!KEPT_UNTIL_DELETED.has(found.reason))
      throw new ApiError('forbidden', `“${backupReasonLabels[found.reason]}”的自动备份由程序按保留规则清理，不能手动删除。`, 'name')
    const file = join(backupsDir(ctx.dataDir), found.name)
    try {
      await withRetry(() => removeQuietly(file))
    } catch (e) {
      const why = e instanceof FileBusyError ? e.message : e instanceof Error ? e.message : String(e)
      throw new ApiError('internal', `备份未删除：${why}。`, 'name')
    }
    // the note goes last: a note without its file is never listed, a file without its note is re-checked
    await removeQuietly(file + '.json')
    return { deleted: found.name }
  })
}

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
    let v: Copied
    try {
      v = await copyVerified(ctx, file)
    } catch (e) {
      if (e instanceof FileBusyError) throw new ApiError('internal', `备份未完成：${e.message}。数据库本身未受影响。`, 'dir')
      const code = (e as { code?: string }).code
      if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new ApiError('internal', '写入失败：U盘或文件夹空间不足。数据库本身未受影响。', 'dir')
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /readonly|read-only|unable to open/i.test(String((e as Error).message)))
        throw new ApiError('forbidden', '无法写入这个文件夹（可能是只读或没有权限）。数据库本身未受影响。', 'dir')
      throw backupFailed(e)
    }
    const same = JSON.stringify(v.live) === JSON.stringify(v.counts)
    if (!same) {
      // the copy is kept (nothing is deleted silently) but the clerk is told it does not match
      throw new ApiError('internal', `备份文件已写入 ${file}，但核对行数与当前数据库不一致，请再备份一次。`, 'dir')
    }
    return { file, bytes: v.bytes, counts: v.counts, verified: true }
  })
}
