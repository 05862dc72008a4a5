import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import type { HandlerMap } from '../api/handlers-type'
import { DB_FILE } from '../db/files'
import { listBackups } from '../backup/store'

/**
 * With a healthy database the recovery methods say so; in recovery mode openGuarded (guarded.ts)
 * answers them itself, without a database.
 */
export const recoveryHandlers: HandlerMap<'recovery.status' | 'recovery.restoreLatest' | 'recovery.startEmpty'> = {
  'recovery.status': (_input, ctx) => ({
    problem: null,
    message: '',
    detail: '',
    file: join(ctx.dataDir, DB_FILE),
    latestBackup: listBackups(ctx.dataDir)[0] ?? null,
    recoverable: false,
    // openApp ran the full integrity_check before opening (the desktop's guarded start answers itself)
    integrity: 'ok',
    warning: '',
  }),
  'recovery.restoreLatest': () => {
    throw new ApiError('conflict', '数据库正常，不需要恢复。要恢复某个备份，请到“备份恢复”页面。')
  },
  'recovery.startEmpty': () => {
    throw new ApiError('conflict', '数据库正常，不能开始空白数据库。')
  },
}
