import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openApp, DB_FILE } from '../../src/main/app'
import { runDemo, type DemoOrg } from '../../src/main/demo/demo'
import { rng } from '../../src/main/demo/random'
import { generatePatrols } from '../../src/main/demo/registers'
import type { RecoveryStatus } from '../../src/shared/recovery/schema'
import { buildMain, runMain, type MainRun } from '../desktop/stub-electron'
import { benchFirstScreen } from './firstScreen'
import { indexSearchBacklog, withoutSearchTrigger } from '../../src/main/db/search'

/**
 * The desktop program starting on a township database of 1,000,000 patrols: the built main bundle
 * runs in a child process under the stand-in Electron (tests/desktop/stub-electron.ts), which measures
 * its event loop. Figures: the bundle's load time until the window is created, until the first call
 * is answered (quick_check on a worker, then open), until the background integrity_check is done;
 * and the longest event-loop stall from the window's creation until all of that and the start-up
 * backup are through (target ≤ 100 ms). Prints figures, asserts nothing.
 */
const PATROLS = Number(process.env.BENCH_PATROLS ?? 1_000_000)
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })
const ms = (n: number | null) => (n === null ? '—' : `${n.toFixed(0)} ms`)

async function must<T>(p: Promise<{ ok: boolean; data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data as T
}

/** Asks until the answer satisfies `done` (a bench may poll; tests wait for events). */
async function until<T>(ask: () => Promise<T>, done: (v: T) => boolean, limitMs = 10 * 60_000): Promise<T> {
  const t = performance.now()
  for (;;) {
    const v = await ask()
    if (done(v) || performance.now() - t > limitMs) return v
    await new Promise((r) => setTimeout(r, 100))
  }
}

function makeProfile(userData: string): number {
  const dataDir = join(userData, 'PinganLedger', 'data')
  const app = openApp(dataDir)
  try {
    const today = '2026-11-20'
    runDemo(app.ctx, { scale: 1, today })
    const db = app.ctx.db
    const code = (db.prepare('SELECT code FROM township').get() as { code: string }).code
    const villages = db.prepare('SELECT id, name, kind, households FROM villages').all() as DemoOrg['villages']
    const have = (db.prepare('SELECT count(*) AS n FROM patrols').get() as { n: number }).n
    // generated as a bulk load is written; the search index of those rows is built right after
    db.transaction(() =>
      withoutSearchTrigger(db, 'patrols', () => generatePatrols(app.ctx, { township: code, villages }, rng(5), { count: Math.max(0, PATROLS - have), from: '2024-01-01', to: today })),
    )()
    indexSearchBacklog(db)
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    app.close()
  }
  return statSync(join(dataDir, DB_FILE)).size
}

/**
 * BENCH_STARTUP_PROFILE=<dir> keeps the generated profile there and reuses it on the next run (the
 * database takes minutes to generate); BENCH_CPU_PROF=<dir> writes the child's CPU profile there.
 */
export async function benchStartup(report: (name: string, value: string) => void): Promise<void> {
  // browser mode's first screen in Chromium (issue 18): quick, so it comes before the big database
  await benchFirstScreen(report)
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const keep = process.env.BENCH_STARTUP_PROFILE
  const userData = keep ?? mkdtempSync(join(tmpdir(), 'pingan-bench-start-'))
  const cpuProf = process.env.BENCH_CPU_PROF
  const prevQuiet = process.env.PINGAN_QUIET
  process.env.PINGAN_QUIET = '1'
  let t = performance.now()
  const bundle = await buildMain(root, `pingan-bench-startup-${process.pid}`)
  report('startup: electron-vite build (s)', ((performance.now() - t) / 1000).toFixed(1))
  let run: MainRun | null = null
  try {
    t = performance.now()
    const existing = join(userData, 'PinganLedger', 'data', DB_FILE)
    if (keep && existsSync(existing)) report('startup: reusing the profile in BENCH_STARTUP_PROFILE, size', `${(statSync(existing).size / 1024 / 1024).toFixed(0)} MiB`)
    else {
      const bytes = makeProfile(userData)
      report(`startup: database with ${fmt(PATROLS)} patrols generated (s), size`, `${((performance.now() - t) / 1000).toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(0)} MiB`)
    }

    // a profile kept from an earlier run already has start-up backups: wait for this run's
    const backupDir = join(userData, 'PinganLedger', 'data', 'backups')
    const before = new Set(existsSync(backupDir) ? readdirSync(backupDir) : [])
    t = performance.now()
    run = await runMain({
      mainFile: bundle.mainFile,
      userData,
      isPackaged: true,
      probeEventLoop: true,
      env: { PINGAN_QUIET: '1' },
      execArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [],
    })
    const r = run
    if (r.exitCode !== null) throw new Error(`main process ended: ${r.output()}`)
    await must(r.invoke('township.get', {}))
    const firstAnswer = performance.now() - t
    const s = await until(
      () => must<RecoveryStatus>(r.invoke('recovery.status', {})),
      (x) => x.integrity !== 'running',
    )
    const checked = performance.now() - t
    // the start-up backup (made once the township is set up) is through when it is listed
    const isNew = (b: { name: string; reason: string }) => b.reason === 'start' && !before.has(b.name)
    const backups = await until(
      () => must<{ name: string; reason: string }[]>(r.invoke('backups.list', {})),
      (list) => list.some(isNew),
    )
    const backedUp = performance.now() - t
    const st = await r.stats()
    report('startup: main bundle loaded (require) in the child (ms)', ms(st.loadMs))
    report('startup: child start → window created (ms)', ms(st.windowMs))
    report('startup: spawn → first call answered (quick_check + open) (ms)', ms(firstAnswer))
    report(`startup: spawn → background integrity_check done (${s.integrity}) (ms)`, ms(checked))
    report(`startup: spawn → start-up backup listed (${backups.some(isNew) ? 'yes' : 'not seen'}) (ms)`, ms(backedUp))
    report('startup: longest event-loop stall after the window exists (target ≤ 100 ms)', ms(st.windowStallMs))
    report('startup: the same by perf_hooks monitorEventLoopDelay (ms)', ms(st.windowStallHistogramMs))
    report('startup: longest run of main-thread work between two ticks after the window (ms)', ms(st.windowBusyMs))
    report('startup: longest stalls after the window (at ms since child start: length/busy)', st.stalls.map((x) => `${x.at}: ${x.ms}/${x.busyMs}`).join(', ') || '—')
    report('startup: longest stall by monitorEventLoopDelay, whole run (ms)', ms(st.maxStallMs))
    report('startup: event-loop delay p99, whole run (ms)', ms(st.p99StallMs))
  } finally {
    await run?.stop()
    bundle.dispose()
    if (!keep) rmSync(userData, { recursive: true, force: true })
    if (prevQuiet === undefined) delete process.env.PINGAN_QUIET
    else process.env.PINGAN_QUIET = prevQuiet
  }
}
