import { renameSync } from 'node:fs'

/**
 * On Windows an antivirus scanner (or the search indexer) opens a file the moment it is written and
 * holds it for a fraction of a second; renaming it then fails with EPERM or EBUSY. Such a failure is
 * retried a few times with a growing pause before it is given up with a message a clerk can act on.
 */
export const RENAME_DELAYS_MS: readonly number[] = [50, 100, 200, 400, 800]

export const BUSY_FILE_MESSAGE = '文件正被其他程序占用（可能是杀毒软件正在检查新文件），请稍后再试'

export class FileBusyError extends Error {
  constructor(readonly code: string) {
    super(BUSY_FILE_MESSAGE)
  }
}

export function isTransient(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code
  return code === 'EPERM' || code === 'EBUSY'
}

export interface RetryOptions {
  /** the pauses between attempts (attempts = pauses + 1) */
  delays?: readonly number[]
  /** how to pause; tests pass one that does not wait */
  wait?: (ms: number) => Promise<void>
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `attempt` until it succeeds or fails with something other than a transient lock. */
export async function withRetry<T>(attempt: () => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const delays = options.delays ?? RENAME_DELAYS_MS
  const wait = options.wait ?? pause
  for (let i = 0; ; i++) {
    try {
      return await attempt()
    } catch (e) {
      if (!isTransient(e)) throw e
      if (i >= delays.length) throw new FileBusyError((e as { code: string }).code)
      await wait(delays[i]!)
    }
  }
}

/** fs.renameSync with the retry; `rename` is injectable for tests. */
export function renameWithRetry(from: string, to: string, options: RetryOptions & { rename?: (from: string, to: string) => void } = {}): Promise<void> {
  const rename = options.rename ?? renameSync
  return withRetry(() => rename(from, to), options)
}
