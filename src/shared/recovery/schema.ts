import { z } from 'zod'
import { empty, method } from '../api/define'
import type { BackupInfo } from '../backup/schema'

export type RecoveryProblem = 'corrupt' | 'newer' | 'unreadable'

/** What the start-up screen needs: null problem means the database opened normally. */
export interface RecoveryStatus {
  problem: RecoveryProblem | null
  message: string
  detail: string
  /** the data folder and database file, so the clerk can tell a technician */
  file: string
  latestBackup: BackupInfo | null
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
