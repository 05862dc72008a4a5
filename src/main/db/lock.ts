import { join } from 'node:path'
import { ApiError } from '../../shared/errors'
import { privateDir } from '../fs/private'
import { openSqlite, type Sqlite } from './sqlite'

/**
 * One writer per data folder: the desktop program, browser mode and every CLI command that writes
 * hold an exclusive SQLite lock on `pingan.lock` for as long as they may write. SQLite's lock is the
 * operating system's (fcntl on Linux, LockFileEx on Windows), so it is released when the process dies,
 * however it dies: no stale lock file to clean up, no timestamps to trust. Readers (a CLI `call` of a
 * method that does not write) take no lock; SQLite's WAL lets them read beside the writer.
 */
export const LOCK_FILE = 'pingan.lock'

export const BUSY_MESSAGE = '数据正被另一个平安台账程序使用（桌面程序、浏览器模式或命令行），请先关闭它再试。数据未作任何改动。'

export interface WriterLock {
  release: () => void
}

export function acquireWriterLock(dataDir: string): WriterLock {
  privateDir(dataDir)
  const db: Sqlite = openSqlite(join(dataDir, LOCK_FILE), { timeout: 0 })
  try {
    // rollback journal (not WAL) so the exclusive lock is on the file itself
    db.pragma('journal_mode = DELETE')
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
  } catch (e) {
    db.close()
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new ApiError('busy', BUSY_MESSAGE)
    throw e
  }
  let held = true
  return {
    release: () => {
      if (!held) return
      held = false
      try {
        db.exec('ROLLBACK')
      } finally {
        db.close()
      }
    },
  }
}
