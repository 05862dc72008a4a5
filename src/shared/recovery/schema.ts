import { z } from 'zod'
import { empty, method } from '../api/define'
import type { BackupInfo } from '../backup/schema'

/**
 * Why the database did not open. Only 'corrupt' (SQLite says the file is damaged, or it is no
 * database at all) and 'newer' (written by a newer version) are the file's own problem, and only they
 * offer restoring a backup or starting empty (both move the file aside). The others leave everything
 * as it is and say what to do: 'native' the program's SQLite module does not load (reinstall),
 * 'locked' another program holds the file, 'permission' the folder may not be read or written,
 * 'disk_full' no space, 'unreadable' anything else.
 */
export type RecoveryProblem = 'corrupt' | 'newer' | 'unreadable' | 'native' | 'locked' | 'permission' | 'disk_full'

export const RECOVERABLE_PROBLEMS: readonly RecoveryProblem[] = ['corrupt', 'newer']

export function isRecoverable(problem: RecoveryProblem | null | undefined): boolean {
  return !!problem && RECOVERABLE_PROBLEMS.includes(problem)
}

/**
 * The full integrity_check of a database that opened: it runs on a worker after start (start-up does
 * the quicker quick_check), so it is 'running' for a while; 'failed' means the live file is damaged
 * (warning says what to do, automatic backups stop so that no damaged copy pushes out a good one);
 * 'not_run' when there was no database to check.
 */
export type IntegrityState = 'running' | 'ok' | 'failed' | 'not_run'

/** What the start-up screen needs: null problem means the database opened normally. */
export interface RecoveryStatus {
  problem: RecoveryProblem | null
  message: string
  detail: string
  /** the data folder and database file, so the clerk can tell a technician */
  file: string
  latestBackup: BackupInfo | null
  /** restore/start empty are offered (problem is 'corrupt' or 'newer') */
  recoverable?: boolean
  integrity?: IntegrityState
  /** '' unless the background integrity check found damage in the open database */
  warning?: string
}

export interface RecoveryDone {
  /** where the broken file was moved (never deleted) */
  keptAs: string
  restored: string | null
}

export const recoveryApi = {
  'recovery.status': method<RecoveryStatus>('none')(empty),
  'recovery.restoreLatest': method<RecoveryDone>('bulk')(empty),
  /** the hardest way out: the broken file is moved aside and an empty database started. */
  'recovery.startEmpty': method<RecoveryDone>('bulk')(
    z.strictObject({ confirm: z.literal(true, { error: '需要确认后才能开始空白数据库' }) }),
    { confirm: '确认' },
  ),
}
