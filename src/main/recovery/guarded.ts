import { existsSync, renameSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { contract, isMethodName } from '../../shared/api/contract'
import { ApiError, type Result } from '../../shared/errors'
import { isRecoverable, type IntegrityState, type RecoveryDone, type RecoveryProblem, type RecoveryStatus } from '../../shared/recovery/schema'
import type { BackupInfo } from '../../shared/backup/schema'
import { describeIssue } from '../../shared/validation'
import { DB_FILE, openApp, type App } from '../app'
import type { Invoke } from '../api/dispatcher'
import { checkDatabaseFile, type DbOpenError } from '../db/connection'
import { classifyOpenError } from '../db/openError'
import { checkInWorker } from '../db/checkWorker'
import { backupsDir, listBackups, stamp } from '../backup/store'
import { copyBackupInto } from '../backup/restore'
import { verifyCopy } from '../backup/verify'
import { enableAutoBackup, stopAutoBackup } from '../backup/auto'
import { acquireWriterLock, type WriterLock } from '../db/lock'
import { privateDir } from '../fs/private'
import { scheduleSearchIndex } from '../db/search'

/**
 * Start-up that never dies on a bad database. If the database cannot be opened, the app starts in
 * recovery mode: only `recovery.status`, `recovery.restoreLatest` and `recovery.startEmpty` answer.
 * Why it did not open decides what is offered (db/openError.ts): a damaged file or one from a newer
 * version may be moved aside (restore the newest good backup, or start empty); anything else (the
 * program's SQLite module does not load, another program holds the file, no permission, a full disk)
 * only gets its plain message, and the recovery actions refuse and touch nothing. Nothing is ever
 * deleted: a file moved aside is renamed beside the database with a timestamp.
 *
 * Two ways in: `openGuarded` (synchronous, the full integrity_check on this thread; browser mode and
 * tests) and `startGuarded` (the desktop: quick_check on a worker before opening, the full
 * integrity_check on a worker afterwards, so the window keeps answering while a large file is read).
 * When that background check finds damage in the open database, recovery.status says so (integrity
 * 'failed' and a warning) and automatic backups stop, so no damaged copy pushes a good backup out of
 * the retention window; the clerk restores a backup from the 备份恢复 page (the check then runs again).
 */
export interface Guarded {
  dataDir: string
  /** the same entry point in either mode; switches to the real dispatcher once the database is open */
  invoke: Invoke
  app: () => App | null
  problem: () => DbOpenError | null
  /** resolves when the start-up backup (if any) is done */
  ready: Promise<void>
  /** the background full integrity_check (startGuarded): its state now */
  integrity: () => IntegrityState
  /** resolves when the background check has an answer ('ok' at once for openGuarded) */
  checked: Promise<IntegrityState>
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

export const DAMAGE_WARNING =
  '后台完整性检查发现数据库文件有损坏的迹象。请不要继续录入，尽快到“备份恢复”页面恢复最近的备份，或复制错误信息交给技术人员。为免损坏的数据挤掉完好的备份，本次运行已暂停自动备份（恢复备份后会重新检查）。'

/** Newest backup that still passes the check now (not only when it was made); checked on a worker. */
export async function newestGoodBackup(dataDir: string): Promise<BackupInfo | null> {
  for (const b of listBackups(dataDir)) {
    try {
      await verifyCopy(join(backupsDir(dataDir), b.name))
      return b
    } catch {
      // a backup damaged since it was made is skipped, never removed
    }
  }
  return null
}

/** Renames the database and its -wal/-shm aside with a timestamped name; returns the new name. */
export function keepAside(dataDir: string, problem: RecoveryProblem, now = new Date()): string {
  if (!isRecoverable(problem)) throw new ApiError('conflict', refusal(problem))
  const live = join(dataDir, DB_FILE)
  let kept = `${live}.${problem === 'newer' ? 'newer' : 'broken'}-${stamp(now)}`
  for (let i = 2; existsSync(kept); i++) kept = `${live}.${problem === 'newer' ? 'newer' : 'broken'}-${stamp(now)}-${i}`
  if (existsSync(live)) renameSync(live, kept)
  for (const ext of ['-wal', '-shm', '-journal']) if (existsSync(live + ext)) renameSync(live + ext, kept + ext)
  return kept
}

function refusal(problem: RecoveryProblem): string {
  return `数据库文件本身没有损坏（${problemNames[problem]}），恢复备份或开始空白数据库解决不了，已拒绝，未改动任何文件。请按提示处理后重新启动平安台账。`
}

const problemNames: Record<RecoveryProblem, string> = {
  corrupt: '文件已损坏',
  newer: '来自更新版本',
  unreadable: '原因不明',
  native: '程序文件不完整或与本机不兼容',
  locked: '文件正被占用',
  permission: '没有读写权限',
  disk_full: '磁盘空间不足',
}

interface Core {
  guarded: Guarded
  open: (a: App) => void
  fail: (e: unknown) => void
  /** starts the background full integrity_check of the open database (once `after` has settled) */
  checkInBackground: (after?: Promise<unknown>) => void
}

function makeCore(dataDir: string, lock: WriterLock | null, options: GuardOptions): Core {
  const file = join(dataDir, DB_FILE)
  let app: App | null = null
  let problem: DbOpenError | null = null
  let ready: Promise<void> = Promise.resolve()
  let integrity: IntegrityState = 'not_run'
  let warning = ''
  let checkedDb: unknown = null
  let announce: (s: IntegrityState) => void = () => undefined
  let checked: Promise<IntegrityState> = Promise.resolve('not_run')
  let closed = false

  const open = (a: App) => {
    app = a
    problem = null
    integrity = 'ok'
    warning = ''
    checked = Promise.resolve('ok')
    if (options.autoBackup) ready = enableAutoBackup(a.ctx)
  }
  const fail = (e: unknown) => {
    problem = classifyOpenError(e, file)
    // the kind only: logs stay free of paths and of whatever the error text holds
    log(`[pingan] database not opened: ${problem.problem}`)
  }

  const settle = (db: unknown, answer: string | Error) => {
    if (closed || !app) return announce('not_run')
    // a restore swapped the database meanwhile: the answer was about the old file
    if (app.ctx.db !== db) return checkInBackground()
    const damaged = typeof answer === 'string' ? answer !== 'ok' : classifyOpenError(answer, file).problem === 'corrupt'
    if (!damaged && typeof answer !== 'string') {
      log(`[pingan] background integrity check not run: ${classifyOpenError(answer, file).problem}`)
      integrity = 'not_run'
    } else if (damaged) {
      integrity = 'failed'
      warning = DAMAGE_WARNING
      stopAutoBackup(app.ctx)
      log('[pingan] background integrity check failed: the live database is damaged')
    } else integrity = 'ok'
    announce(integrity)
  }

  /** `after`: the start-up backup, so the two whole-file reads do not compete for the same cores */
  const checkInBackground = (after: Promise<unknown> = Promise.resolve()) => {
    if (!app) return
    const db = app.ctx.db
    checkedDb = db
    integrity = 'running'
    warning = ''
    checked = new Promise<IntegrityState>((r) => (announce = r))
    void after
      .catch(() => undefined)
      .then(() => (closed ? 'ok' : checkInWorker(file, 'integrity_check')))
      .then(
        (answer) => settle(db, answer),
        (e: unknown) => settle(db, e instanceof Error ? e : new Error(String(e))),
      )
  }

  const status = async (): Promise<RecoveryStatus> => {
    // restored from the 备份恢复 page after the warning: check the new file
    if (app && integrity === 'failed' && app.ctx.db !== checkedDb) checkInBackground()
    const recoverable = problem ? isRecoverable(problem.problem) : false
    return {
      problem: problem ? problem.problem : null,
      message: problem ? problem.message : '',
      detail: problem ? problem.detail : '',
      file,
      // only a recoverable problem needs the list (and reading it must not touch a folder we may not use)
      latestBackup: problem ? (recoverable ? await newestGoodBackup(dataDir) : null) : (listBackups(dataDir)[0] ?? null),
      recoverable,
      integrity,
      warning,
    }
  }

  const refuseUnlessRecoverable = (): DbOpenError => {
    if (!problem) throw new ApiError('conflict', '数据库正常，不需要恢复。要恢复某个备份，请到“备份恢复”页面。')
    if (!isRecoverable(problem.problem)) throw new ApiError('conflict', refusal(problem.problem))
    return problem
  }

  const restoreLatest = async (): Promise<RecoveryDone> => {
    const p = refuseUnlessRecoverable()
    const latest = await newestGoodBackup(dataDir)
    if (!latest) throw new ApiError('not_found', '没有可用的备份。可以复制错误信息交给技术人员，或开始空白数据库。')
    const keptAs = keepAside(dataDir, p.problem)
    try {
      await copyBackupInto(join(backupsDir(dataDir), latest.name), file)
    } catch (e) {
      // nothing was put in place: the problem (and the ways out) stay as they were
      throw new ApiError('internal', `恢复未完成：${e instanceof Error ? e.message : String(e)}。原数据库已保留为 ${basename(keptAs)}。`)
    }
    try {
      open(openApp(dataDir))
    } catch (e) {
      fail(e)
      throw new ApiError('internal', `恢复未完成：${problem!.message}。原数据库已保留为 ${basename(keptAs)}。`)
    }
    return { keptAs, restored: latest.name }
  }

  const startEmpty = (): RecoveryDone => {
    const p = refuseUnlessRecoverable()
    const keptAs = keepAside(dataDir, p.problem)
    try {
      open(openApp(dataDir))
    } catch (e) {
      fail(e)
      throw new ApiError('internal', `无法新建数据库：${problem!.message}。原数据库已保留为 ${basename(keptAs)}。`)
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

  const guarded: Guarded = {
    dataDir,
    invoke,
    app: () => app,
    problem: () => problem,
    get ready() {
      return ready
    },
    integrity: () => integrity,
    get checked() {
      return checked
    },
    close: () => {
      closed = true
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
  return { guarded, open, fail, checkInBackground }
}

/** Synchronous start: the full integrity_check runs here (browser mode, tests). */
export function openGuarded(rawDir: string, options: GuardOptions = {}): Guarded {
  const dataDir = resolve(rawDir)
  privateDir(dataDir)
  const lock: WriterLock | null = options.writer ? acquireWriterLock(dataDir) : null
  const core = makeCore(dataDir, lock, options)
  try {
    const app = openApp(dataDir)
    core.open(app)
    // rows a bulk load left to index (the program closed before it finished) are indexed in the background
    if (lock) void scheduleSearchIndex(app.ctx.db)
  } catch (e) {
    core.fail(e)
  }
  return core.guarded
}

/**
 * The desktop's start: takes the writer lock (throws ApiError 'busy' synchronously, before anything
 * is touched, so the caller can refuse before showing a window), then, in the returned promise, runs
 * quick_check on a worker, opens, and starts the full integrity_check on a worker in the background.
 * The main thread never reads the whole file, so the window stays responsive with a large database.
 */
export function startGuarded(rawDir: string, options: GuardOptions = {}): Promise<Guarded> {
  const dataDir = resolve(rawDir)
  privateDir(dataDir)
  const lock: WriterLock | null = options.writer ? acquireWriterLock(dataDir) : null
  const core = makeCore(dataDir, lock, options)
  const opening = async (): Promise<Guarded> => {
    try {
      await checkDatabaseFile(join(dataDir, DB_FILE), 'quick_check')
      const app = openApp(dataDir, { check: 'none' })
      core.open(app)
      // rows a bulk load left to index (the program closed before it finished) are indexed in the background
      if (lock) void scheduleSearchIndex(app.ctx.db)
    } catch (e) {
      core.fail(e)
      return core.guarded
    }
    core.checkInBackground(core.guarded.ready)
    return core.guarded
  }
  return opening()
}
