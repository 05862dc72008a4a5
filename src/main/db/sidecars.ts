import { existsSync, rmSync, statSync } from 'node:fs'

/**
 * A read-only look at a database in WAL mode makes SQLite create an empty -wal and a -shm beside it,
 * and only a writing connection removes them again. When the look ends in a refusal (a damaged file,
 * another program's lock…), the folder must be left as it was found: these two files, if we made
 * them and the -wal holds nothing, go again. A -wal with content is data and is never removed.
 */
export interface Sidecars {
  wal: boolean
  shm: boolean
}

export function sidecarsOf(file: string): Sidecars {
  return { wal: existsSync(file + '-wal'), shm: existsSync(file + '-shm') }
}

export function dropNewEmptySidecars(file: string, before: Sidecars): void {
  try {
    if (before.wal || !existsSync(file + '-wal') || statSync(file + '-wal').size !== 0) return
    rmSync(file + '-wal', { force: true })
    if (!before.shm) rmSync(file + '-shm', { force: true })
  } catch {
    // best effort (Windows refuses to remove a file still open): an empty -wal and -shm hold no data
  }
}
