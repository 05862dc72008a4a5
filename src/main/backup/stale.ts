import { readdirSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { backupsDir, serial } from './store'
import { DB_FILE } from '../db/files'

/**
 * A backup or restore killed midway (power cut, task manager) leaves its unfinished copy behind: a
 * .partial in the backups folder, a .incoming/.restoring beside the database, each as large as the
 * database and full of personal data. None of them is ever a finished copy (a copy gets its real
 * name only after it passed its check), so at start they are removed. Only a process holding the
 * data folder's writer lock may call this: then no other program's copy can be in progress, and this
 * program's own backups and restores wait behind it in the data folder's queue.
 */
const PARTIAL = /^pingan-.*\.db\.partial(-journal|-wal|-shm)?$/
const SIDECARS = ['', '-journal', '-wal', '-shm']

function leftoversBesideDatabase(): string[] {
  const out: string[] = []
  for (const tmp of [`${DB_FILE}.incoming`, `${DB_FILE}.incoming.restoring`, `${DB_FILE}.restoring`]) for (const ext of SIDECARS) out.push(tmp + ext)
  return out
}

/** Removes unfinished copies; resolves with how many files went. A file that cannot be removed now is left for next time. */
export function cleanStalePartials(dataDir: string): Promise<number> {
  return serial(dataDir, () => removeLeftovers(dataDir))
}

async function removeLeftovers(dataDir: string): Promise<number> {
  let removed = 0
  const remove = async (file: string) => {
    try {
      await unlink(file) // off the main thread: these files are as large as the database
      removed++
    } catch {
      // missing (the usual case) or held open: nothing to do now
    }
  }
  let inBackups: string[] = []
  try {
    inBackups = readdirSync(backupsDir(dataDir)).filter((f) => PARTIAL.test(f))
  } catch {
    // no backups folder yet
  }
  for (const f of inBackups) await remove(join(backupsDir(dataDir), f))
  for (const f of leftoversBesideDatabase()) await remove(join(dataDir, f))
  return removed
}
