import { contract, isMethodName } from '../../shared/api/contract'
import type { Writes } from '../../shared/api/define'
import type { Ctx } from '../context'
import { readTownship } from '../org/township'
import { backupNow } from './store'
import { cleanStalePartials } from './stale'

/**
 * Automatic backups for a long-running app (browser mode, desktop): one at start, one right after
 * every bulk operation (import, merge, restore), and otherwise at most every 30 minutes while changes
 * are made. The dispatcher calls `maybeBackup` after every successful call; for an app that did not
 * switch automatic backups on (tests, the CLI) it does nothing.
 */
export const AUTO_INTERVAL_MS = 30 * 60 * 1000

interface State {
  intervalMs: number
  lastAt: number
  timer: ReturnType<typeof setTimeout> | null
  stopped: boolean
  lastError: string | null
}

const states = new WeakMap<Ctx, State>()

const log = (msg: string) => (process.env.PINGAN_QUIET ? undefined : process.stderr.write(msg + '\n'))

/** How the method writes, as the contract declares it (unknown names read). */
export function writesOf(method: string): Writes {
  return isMethodName(method) ? contract[method].writes : 'none'
}

function run(ctx: Ctx, s: State, reason: 'start' | 'auto' | 'bulk'): Promise<void> {
  s.lastAt = Date.now()
  return backupNow(ctx, reason).then(
    () => {
      s.lastError = null
    },
    (e: unknown) => {
      s.lastError = e instanceof Error ? e.message : String(e)
      log(`[pingan] backup failed: ${s.lastError}`)
    },
  )
}

/**
 * Switches automatic backups on for this app and makes the start-up backup (once the township is set
 * up). Called by the long-running transports, which hold the data folder's writer lock: so this is
 * also where copies left unfinished by a killed backup or restore are removed.
 */
export function enableAutoBackup(ctx: Ctx, options: { intervalMs?: number } = {}): Promise<void> {
  // queued first, so the start-up backup (and anything else) waits for it
  const cleaned = cleanStalePartials(ctx.dataDir)
  const s: State = { intervalMs: options.intervalMs ?? AUTO_INTERVAL_MS, lastAt: 0, timer: null, stopped: false, lastError: null }
  states.set(ctx, s)
  if (!readTownship(ctx)) return cleaned.then(() => undefined)
  return run(ctx, s, 'start')
}

export function stopAutoBackup(ctx: Ctx): void {
  const s = states.get(ctx)
  if (!s) return
  s.stopped = true
  if (s.timer) clearTimeout(s.timer)
  s.timer = null
}

/** Called after every successful API call. Returns the backup's promise when one was started (for tests). */
export function maybeBackup(ctx: Ctx, method: string): Promise<void> | undefined {
  const s = states.get(ctx)
  const writes = writesOf(method)
  if (!s || s.stopped || writes === 'none') return undefined
  if (writes === 'bulk') {
    if (s.timer) clearTimeout(s.timer)
    s.timer = null
    return run(ctx, s, 'bulk')
  }
  if (s.timer) return undefined
  const wait = Math.max(0, s.lastAt + s.intervalMs - Date.now())
  s.timer = setTimeout(() => {
    s.timer = null
    if (!s.stopped && ctx.db.open) void run(ctx, s, 'auto')
  }, wait)
  s.timer.unref?.()
  return undefined
}

export function autoBackupError(ctx: Ctx): string | null {
  return states.get(ctx)?.lastError ?? null
}
