import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import type { RestoreResult } from '../../shared/backup/schema'
import type { Ctx } from '../context'
import { openDatabase, type Sqlite } from '../db/connection'
import { DB_FILE } from '../db/files'
import { ensurePrivateFile } from '../fs/private'
import { backupInQueue, backupsDir, listBackups, serial } from './store'
import { verifyCopied, VerifyError, type Verified } from './verify'
import { copyInWorker, CopyError, type CopyReport } from './copyWorker'
import { renameWithRetry, withRetry, type RetryOptions } from './rename'

/** SQLite's answers that mean the file itself is no (sound) database, rather than that it could not be read. */
const NOT_A_DATABASE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

/**
 * Copies a backup file into `target` with the backup API (source opened read-only, on a worker
 * thread), via a private temp file renamed into place, so `target` is either untouched or the complete
 * copy. The copy must pass integrity_check, be this program's and not newer, and have exactly the
 * program's own schema for its version (genuine.ts), or it is refused with VerifyError and `target`
 * is left as it was. Returns what the copy holds.
 */
export async function copyBackupInto(source: string, target: string): Promise<Verified> {
  const tmp = target + '.restoring'
  const drop = () => {
    for (const ext of ['', '-journal', '-wal', '-shm']) rmSync(tmp + ext, { force: true })
  }
  drop()
  try {
    ensurePrivateFile(tmp)
    let report: CopyReport
    try {
      report = await copyInWorker(source, tmp)
    } catch (e) {
      if (e instanceof CopyError && e.code && NOT_A_DATABASE.has(e.code)) throw new VerifyError(`文件已损坏或不是数据库（${e.message}）`)
      throw e
    }
    const v = verifyCopied(tmp, report)
    await renameWithRetry(tmp, target)
    return v
  } catch (e) {
    drop()
    throw e
  }
}

function changesSoFar(db: Sqlite): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n
}

/** After a clean close the -wal is gone or empty; a non-empty one would hold data, so it is never removed. */
function clearSidecars(live: string): void {
  const wal = live + '-wal'
  if (existsSync(wal) && statSync(wal).size > 0) throw new Error('the write-ahead log still holds data')
  rmSync(wal, { force: true })
  rmSync(live + '-shm', { force: true })
}

const changedMeanwhile = () => new ApiError('conflict', '恢复期间数据库有新的修改，恢复未进行。请再试一次。')

/**
 * Swaps `incoming` in as the live database. Each attempt is synchronous from closing the connection
 * to reopening it, so no request ever sees a closed database. When the rename is refused for a moment
 * (Windows: a scanner holding the file) the old database is reopened, requests go on, and the swap is
 * tried again after a pause; an edit made during the pause means the undo backup no longer holds the
 * data from just before, so the restore is then called off.
 */
export async function swapIn(ctx: Ctx, incoming: string, changesAtUndo: number, options: RetryOptions & { rename?: (from: string, to: string) => void } = {}): Promise<void> {
  const live = join(ctx.dataDir, DB_FILE)
  const rename = options.rename ?? renameSync
  let mark = changesAtUndo
  await withRetry(() => {
    if (changesSoFar(ctx.db) !== mark) throw changedMeanwhile()
    ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    ctx.db.close()
    try {
      clearSidecars(live)
      rename(incoming, live)
    } catch (e) {
      // the same file that was open a moment ago: no need to check it again
      ctx.db = openDatabase(live, { check: 'none' })
      mark = changesSoFar(ctx.db)
      throw e
    }
    // checked (integrity on a worker, schema) just before the rename: a second, synchronous
    // integrity_check here would only stall the window for seconds on a large database
    ctx.db = openDatabase(live, { check: 'none' })
  }, options)
}

/**
 * Restores a backup into the live database. The chosen file is first copied beside the database and
 * the copy checked (sound, this program's, not newer, exactly the program's schema): a file that fails
 * is refused before anything else happens. Then the current data is kept as a verified backup (so the
 * restore can be undone by restoring that one; the pruning after it never removes the backup being
 * restored), and only then is the live file swapped.
 */
async function restoreFrom(ctx: Ctx, source: string, field: 'name' | 'file'): Promise<RestoreResult> {
  const incoming = join(ctx.dataDir, DB_FILE) + '.incoming'
  let copied: Verified
  try {
    copied = await copyBackupInto(source, incoming)
  } catch (e) {
    if (e instanceof VerifyError) throw new ApiError('invalid_input', `这个备份不能用于恢复：${e.message}。当前数据未改动。`, field)
    throw new ApiError('internal', `恢复未完成：复制备份时出错（${e instanceof Error ? e.message : String(e)}）。当前数据未改动。`)
  }
  try {
    const inBackups = resolve(dirname(source)) === resolve(backupsDir(ctx.dataDir))
    // counted before the undo copy starts: its snapshot is taken on a worker at some moment after,
    // so any edit from here on may be missing from it, and calls the swap off
    const mark = changesSoFar(ctx.db)
    const undo = await backupInQueue(ctx, 'before-restore', inBackups ? { restoring: basename(source) } : {})
    await swapIn(ctx, incoming, mark)
    return { restored: basename(source), undoBackup: undo.name, counts: copied.counts }
  } catch (e) {
    rmSync(incoming, { force: true })
    if (e instanceof ApiError) throw e
    throw new ApiError('internal', `恢复未完成（${e instanceof Error ? e.message : String(e)}）。当前数据未改动。`)
  }
}

export function restoreBackup(ctx: Ctx, name: string): Promise<RestoreResult> {
  return serial(ctx.dataDir, async () => {
    const found = listBackups(ctx.dataDir).find((b) => b.name === name)
    if (!found) throw new ApiError('not_found', '找不到这个备份（可能已按保留规则清理）', 'name')
    return restoreFrom(ctx, join(backupsDir(ctx.dataDir), found.name), 'name')
  })
}

/** Restores from a copy elsewhere, e.g. the one made with 备份到U盘 on another day. */
export function restoreFile(ctx: Ctx, rawFile: string): Promise<RestoreResult> {
  return serial(ctx.dataDir, async () => {
    if (!isAbsolute(rawFile)) throw new ApiError('invalid_input', '请填写备份文件的完整路径', 'file')
    const file = resolve(rawFile)
    const st = statSync(file, { throwIfNoEntry: false })
    if (!st || !st.isFile()) throw new ApiError('not_found', '找不到这个备份文件，请确认U盘已插好、路径无误', 'file')
    if (file === resolve(ctx.dataDir, DB_FILE)) throw new ApiError('invalid_input', '这是正在使用的数据库本身，不能用它恢复', 'file')
    return restoreFrom(ctx, file, 'file')
  })
}
