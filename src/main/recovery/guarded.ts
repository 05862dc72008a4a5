import { existsSync, renameSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { contract, isMethodName } from '../../shared/api/contract'
import { ApiError, type Result } from '../../shared/errors'
import type { RecoveryDone, RecoveryProblem, RecoveryStatus } from '../../shared/recovery/schema'
import type { BackupInfo } from '../../shared/backup/schema'
import { describeIssue } from '../../shared/validation'
import { DB_FILE, openApp, type App } from '../app'
import type { Invoke } from '../api/dispatcher'
import { DbOpenError } from '../db/connection'
import { backupsDir, listBackups, stamp } from '../backup/store'
import { copyBackupInto } from '../backup/restore'
import { verifyFile } from '../backup/verify'
import { enableAutoBackup, stopAutoBackup } from '../backup/auto'
import { acquireWriterLock, type WriterLock } from '../db/lock'
import { privateDir } from '../fs/private'

/**
 * Start-up that never dies on a bad database. If the file fails integrity_check, cannot be opened,
 * or was written by a newer version, the app starts in recovery mode: only `recovery.status`,
 * `recovery.restoreLatest` and `recovery.startEmpty` answer, and the screens (or the desktop dialog)
 * offer: copy the error, restore the newest good backup, or start empty after keeping the broken file.
 * Nothing is ever deleted: the broken file is renamed beside the database with a timestamp.
 */
export interface Guarded {
  dataDir: string
  /** the same entry point in either mode; switches to the real dispatcher once the database is open */
  invoke: Invoke
  app: () => App | null
  problem: () => DbOpenError | null
  /** resolves when the start-up backup (if any) is done */
  ready: Promise<void>
  close: () => void
}

export interface GuardOptions {
  /** start-up, bulk and timed backups (the long-running transports switch this on) */
  autoBackup?: boolean
  /**
   * Hold the data folder's writer lock for the app's lifetime, recovery mode included (the desktop
   * program and browser mode do). Throws ApiError 'busy' while another program holds it.
   */
  writer?: boolean
}

const log = (msg: string) => (process.env.PINGAN_QUIET ? undefined : process.stderr.write(msg + '\n'))

function asOpenError(e: unknown): DbOpenError {
  if (e instanceof DbOpenError) return e
  return new DbOpenError('unreadable', '数据库无法打开', e instanceof Error ? `${e.name}: ${e.message}` : String(e))
}

/** Newest backup that still passes the check now (not only when it was made). */
export function newestGoodBackup(dataDir: string): BackupInfo | null {
  for (const b of listBackups(dataDir)) {
    try {
      verifyFile(join(backupsDir(dataDir), b.name))
      return b
    } catch {
      // a backup damaged since it was made is skipped, never removed
    }
  }
  return null
}

/** Renames the database and its -wal/-shm aside with a timestamped name; returns the new name. */
export function keepAside(dataDir: string, problem: RecoveryProblem, now = new Date()): string {
  const live = join(dataDir, DB_FILE)
  let kept = `${live}.${problem === 'newer' ? 'newer' : 'broken'}-${stamp(now)}`
  for (let i = 2; existsSync(kept); i++) kept = `${live}.${problem === 'newer' ? 'newer' : 'broken'}-${stamp(now)}-${i}`
  if (existsSync(live)) renameSync(live, kept)
  for (const ext of ['-wal', '-shm', '-journal']) if (existsSync(live + ext)) renameSync(live + ext, kept + ext)
  return kept
}

export function openGuarded(rawDir: string, options: GuardOptions = {}): Guarded {
  const dataDir = resolve(rawDir)
  privateDir(dataDir)
  const lock: WriterLock | null = options.writer ? acquireWriterLock(dataDir) : null
  let app: App | null = null
  let problem: DbOpenError | null = null
  let ready: Promise<void> = Promise.resolve()

  const start = (a: App) => {
    app = a
    problem = null
    if (options.autoBackup) ready = enableAutoBackup(a.ctx)
  }
  try {
    start(openApp(dataDir))
  } catch (e) {
    problem = asOpenError(e)
    log(`[pingan] database not opened: ${problem.problem}`)
  }

  const status = (): RecoveryStatus => ({
    problem: problem ? problem.problem : null,
    message: problem ? problem.message : '',
    detail: problem ? problem.detail : '',
    file: join(dataDir, DB_FILE),
    latestBackup: problem ? newestGoodBackup(dataDir) : (listBackups(dataDir)[0] ?? null),
  })

  const restoreLatest = async (): Promise<RecoveryDone> => {
    if (!problem) throw new ApiError('conflict', '数据库正常，不需要恢复。要恢复某个备份，请到“备份恢复”页面。')
    const latest = newestGoodBackup(dataDir)
    if (!latest) throw new ApiError('not_found', '没有可用的备份。可以复制错误信息交给技术人员，或开始空白数据库。')
    const keptAs = keepAside(dataDir, problem.problem)
    try {
      await copyBackupInto(join(backupsDir(dataDir), latest.name), join(dataDir, DB_FILE))
      start(openApp(dataDir))
    } catch (e) {
      problem = asOpenError(e)
      throw new ApiError('internal', `恢复未完成：${problem.message}。原数据库已保留为 ${basename(keptAs)}。`)
    }
    return { keptAs, restored: latest.name }
  }

  const startEmpty = (): RecoveryDone => {
    if (!problem) throw new ApiError('conflict', '数据库正常，不能开始空白数据库。')
    const keptAs = keepAside(dataDir, problem.problem)
    try {
      start(openApp(dataDir))
    } catch (e) {
      problem = asOpenError(e)
      throw new ApiError('internal', `无法新建数据库：${problem.message}。原数据库已保留为 ${basename(keptAs)}。`)
    }
    return { keptAs, restored: null }
  }

  const recoveryHandlers: Record<string, (input: unknown) => unknown> = {
    'recovery.status': status,
    'recovery.restoreLatest': restoreLatest,
    'recovery.startEmpty': startEmpty,
  }

  const invoke: Invoke = async (method, input): Promise<Result<unknown>> => {
    const handler = typeof method === 'string' ? recoveryHandlers[method] : undefined
    if (app && !handler) return app.invoke(method, input)
    if (!handler) {
      if (typeof method !== 'string' || !isMethodName(method))
        return { ok: false, error: { code: 'unknown_method', message: `没有这个功能：${String(method).slice(0, 60)}` } }
      return { ok: false, error: { code: 'forbidden', message: '数据库未能打开，请先在恢复界面选择处理方式。' } }
    }
    const def = contract[method as 'recovery.status']
    const parsed = def.input.safeParse(input === undefined || input === null ? {} : input)
    if (!parsed.success) {
      const d = describeIssue(parsed.error.issues[0]!, def.labels)
      return { ok: false, error: d.field ? { code: 'invalid_input', message: d.message, field: d.field } : { code: 'invalid_input', message: d.message } }
    }
    try {
      return { ok: true, data: await handler(parsed.data) }
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toData() }
      log(`[pingan] ${method} failed: ${e instanceof Error ? e.name : 'unknown'}`)
      return { ok: false, error: { code: 'internal', message: '程序内部出错，操作未完成。请把错误信息告诉技术人员。' } }
    }
  }

  return {
    dataDir,
    invoke,
    app: () => app,
    problem: () => problem,
    get ready() {
      return ready
    },
    close: () => {
      try {
        if (app) {
          stopAutoBackup(app.ctx)
          app.close()
        }
      } finally {
        lock?.release()
      }
    },
  }
}
