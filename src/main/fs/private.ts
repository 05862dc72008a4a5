import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'

/**
 * Personal data (released prisoners among it) is readable by the clerk's account only: files 0600,
 * folders 0700. Where the system has no such modes (Windows), chmod is a no-op and the per-user
 * profile folder's permissions apply.
 */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** Every file a process of ours creates is private from the start (entries call this first). */
export function privateUmask(): void {
  try {
    process.umask(0o077)
  } catch {
    // worker threads may not change the umask; files they create are chmod-ed by their owners
  }
}

function chmodQuiet(path: string, mode: number): void {
  try {
    chmodSync(path, mode)
  } catch {
    // a file system without modes (FAT USB stick, Windows): nothing to tighten
  }
}

/** Creates the folder (and parents) if missing and makes it private. */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  chmodQuiet(dir, DIR_MODE)
  return dir
}

/** Creates an empty private file if missing, or tightens an existing one. */
export function ensurePrivateFile(file: string): void {
  if (existsSync(file)) {
    chmodQuiet(file, FILE_MODE)
    return
  }
  try {
    closeSync(openSync(file, 'wx', FILE_MODE))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  chmodQuiet(file, FILE_MODE)
}

/** Tightens a file written by a library that chose its own mode. */
export function makePrivate(file: string): void {
  chmodQuiet(file, FILE_MODE)
}
