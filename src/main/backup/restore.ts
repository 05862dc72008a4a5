import { openSqlite } from '../db/sqlite'
import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { ApiError } from '../../shared/errors'
import type { RestoreResult } from '../../shared/backup/schema'
import type { Ctx } from '../context'
import { openDatabase, type Sqlite } from '../db/connection'
import { DB_FILE } from '../app'
import { backupInQueue, backupsDir, listBackups, serial } from './store'
import { makeSelfContained, verifyFile, VerifyError } from './verify'

/**
 * Copies a verified backup file into `target` with the backup API (source opened read-only), via a
 * temp file renamed into place, so `target` is either untouched or the complete copy.
 */
export async function copyBackupInto(source: string, target: string): Promise<void> {
  const tmp = target + '.restoring'
  rmSync(tmp, { force: true })
  const src = openSqlite(source, { readonly: true, fileMustExist: true })
  try {
    await src.backup(tmp)
  } finally {
    src.close()
  }
  try {
    makeSelfContained(tmp)
    verifyFile(tmp)
    renameSync(tmp, target)
  } catch (e) {
    rmSync(tmp, { force: true })
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

/**
 * Restores a backup into the live database. The current data is first kept as a verified backup
 * (so the restore can be undone by restoring that one), the chosen file is copied in with the backup
 * API into a temp file, and only then is the live file swapped and reopened, in one synchronous step
 * so no request sees a closed database.
 */
async function restoreFrom(ctx: Ctx, source: string, field: 'name' | 'file'): Promise<RestoreResult> {
  try {
    verifyFile(source)
  } catch (e) {
    if (e instanceof VerifyError) throw new ApiError('invalid_input', `这个备份不能用于恢复：${e.message}`, field)
    throw e
  }
  const undo = await backupInQueue(ctx, 'before-restore')
  const mark = changesSoFar(ctx.db)
  const live = join(ctx.dataDir, DB_FILE)
  const incoming = live + '.incoming'
  try {
    await copyBackupInto(source, incoming)
  } catch (e) {
    throw new ApiError('internal', `恢复未完成：复制备份时出错（${e instanceof Error ? e.message : String(e)}）。当前数据未改动。`)
  }
  if (changesSoFar(ctx.db) !== mark) {
    rmSync(incoming, { force: true })
    throw new ApiError('conflict', '恢复期间数据库有新的修改，恢复未进行。请再试一次。')
  }
  // from here on everything is synchronous: no other request can run in between
  ctx.db.pragma('wal_checkpoint(TRUNCATE)')
  ctx.db.close()
  try {
    clearSidecars(live)
    renameSync(incoming, live)
  } catch (e) {
    rmSync(incoming, { force: true })
    ctx.db = openDatabase(live)
    throw new ApiError('internal', `恢复未完成（${e instanceof Error ? e.message : String(e)}）。当前数据未改动。`)
  }
  ctx.db = openDatabase(live)
  const counts = verifyFile(live).counts
  return { restored: basename(source), undoBackup: undo.name, counts }
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
