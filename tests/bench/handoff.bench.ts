import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openApp, DB_FILE } from '../../src/main/app'
import { runDemo, type DemoOrg } from '../../src/main/demo/demo'
import { rng } from '../../src/main/demo/random'
import { generatePatrols } from '../../src/main/demo/registers'
import type { ExportResult, ImportReport } from '../../src/shared/handoff/schema'
import { indexSearchBacklog, scheduleSearchIndex, withoutSearchTrigger } from '../../src/main/db/search'
import { loadavg } from 'node:os'
import { middle, runModule, type Report } from './measure'

/**
 * USB handoff at county-archive size: a township with 1,000,000 patrols exports a full package, and a
 * county database imports it (every row checked as the forms would, issue 13.5). Targets: export
 * ≤ 10 s, import ≤ 8 s on an idle machine. Prints figures, asserts nothing. Beside the wall time, the
 * main thread's own CPU time (Linux): what the window or browser mode waits for, and a figure a busy
 * machine disturbs much less than the wall time.
 */
const PATROLS = Number(process.env.BENCH_PATROLS ?? 1_000_000)
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** CPU time of the main thread so far, in ms (null where /proc is not there). */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100
  } catch {
    return null
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; rss: number; cpu: string; cpuAll: string }> {
  const base = process.memoryUsage().rss
  let rss = 0
  const timer = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss - base)), 50)
  const t = performance.now()
  const c = mainThreadCpu()
  const all = process.cpuUsage()
  try {
    const result = await fn()
    const c2 = mainThreadCpu()
    const used = process.cpuUsage(all)
    return {
      result,
      ms: performance.now() - t,
      rss: Math.max(rss, process.memoryUsage().rss - base),
      cpu: c === null || c2 === null ? '—' : sec(c2 - c),
      cpuAll: sec((used.user + used.system) / 1000),
    }
  } finally {
    clearInterval(timer)
  }
}

async function must<T>(p: Promise<{ ok: boolean; data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data as T
}

interface ChildRun {
  ms: number
  /** main thread CPU, ms */
  cpu: number
  cpuAll: number
  rss: number
  patrols: number
}

const CHILD = '--county-import'
if (process.argv[2] === CHILD) void importInChild(process.argv[3]!, process.argv[4]!)

/** One county import in this (child) process: a new county ledger, the package imported, the figures printed as one JSON line. */
async function importInChild(file: string, countyCode: string): Promise<void> {
  process.env.PINGAN_QUIET = '1'
  const dir = mkdtempSync(join(tmpdir(), 'pingan-bench-county-child-'))
  const app = openApp(dir)
  try {
    await must(app.invoke('township.setup', { mode: 'county', code: countyCode, county: '天心区' }))
    const r = await timed(() => must<ImportReport>(app.invoke('package.import', { files: [file] })))
    const run: ChildRun = {
      ms: r.ms,
      cpu: (Number.parseFloat(r.cpu) || 0) * 1000,
      cpuAll: (Number.parseFloat(r.cpuAll) || 0) * 1000,
      rss: r.rss,
      patrols: r.result.totals.find((t) => t.table === 'patrols')?.new ?? 0,
    }
    process.stdout.write(`${JSON.stringify(run)}\n`)
  } finally {
    app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function importInFreshProcess(file: string, countyCode: string): Promise<ChildRun> {
  const out = await runModule(import.meta.url, [CHILD, file, countyCode], "the county import's process")
  const last = out.trim().split('\n').pop() ?? ''
  if (!last.startsWith('{')) throw new Error(`the county import's process printed no figures: ${out.slice(-300)}`)
  return JSON.parse(last) as ChildRun
}

export async function benchHandoff(report: Report): Promise<void> {
  const townDir = mkdtempSync(join(tmpdir(), 'pingan-bench-town-'))
  const countyDir = mkdtempSync(join(tmpdir(), 'pingan-bench-county-'))
  const county2Dir = mkdtempSync(join(tmpdir(), 'pingan-bench-county2-'))
  const usb = mkdtempSync(join(tmpdir(), 'pingan-bench-usb-'))
  const prevQuiet = process.env.PINGAN_QUIET
  process.env.PINGAN_QUIET = '1'
  const town = openApp(townDir)
  const county = openApp(countyDir)
  try {
    const today = '2026-11-20'
    runDemo(town.ctx, { scale: 1, today })
    const db = town.ctx.db
    const code = (db.prepare('SELECT code FROM township').get() as { code: string }).code
    const villages = db.prepare('SELECT id, name, kind, households FROM villages').all() as DemoOrg['villages']
    // generated as a bulk load is written: the search index of the generated rows is built after, not timed
    db.transaction(() =>
      withoutSearchTrigger(db, 'patrols', () =>
        generatePatrols(town.ctx, { township: code, villages }, rng(11), { count: PATROLS - (db.prepare('SELECT count(*) AS n FROM patrols').get() as { n: number }).n, from: '2024-01-01', to: today }),
      ),
    )()
    indexSearchBacklog(db)
    db.pragma('wal_checkpoint(TRUNCATE)')
    const patrols = (db.prepare('SELECT count(*) AS n FROM patrols').get() as { n: number }).n
    const dbSize = statSync(join(townDir, DB_FILE)).size
    report('handoff: patrols in the township database', fmt(patrols))

    const ex = await timed(() => must<ExportResult>(town.invoke('package.export', { dir: usb })))
    report('handoff: full export, write + copy + read-back verify (target ≤ 10 s)', sec(ex.ms))
    report('handoff: rows in the package', fmt(ex.result.rows))
    report('handoff: package size / database size', `${mib(ex.result.bytes)} / ${mib(dbSize)} (${((100 * ex.result.bytes) / dbSize).toFixed(0)}%)`)
    report('handoff: export peak RSS growth', mib(ex.rss))

    await must(county.invoke('township.setup', { mode: 'county', code: code.slice(0, 6), county: '天心区' }))
    // the screen's preview of a batch this large checks files, signatures and keys; the rows once, at the import
    const pre = await timed(() => must<ImportReport>(county.invoke('package.preview', { files: [ex.result.file], quick: true })))
    report('handoff: county preview of it, as the screen asks (quick)', `${sec(pre.ms)} (main thread CPU ${pre.cpu})`)
    // the import into the ledger kept for the steps after, in this process, which also made the township
    const im = await timed(() => must<ImportReport>(county.invoke('package.import', { files: [ex.result.file] })))
    report('handoff: county import in the process that made the township (not the target figure: see below)', `${sec(im.ms)} (main thread CPU ${im.cpu}, all threads ${im.cpuAll})`, { value: Math.round(im.ms / 100) / 10, unit: 's' })
    const p = im.result.totals.find((t) => t.table === 'patrols')
    report('handoff: patrols new at the county', fmt(p?.new ?? 0))
    // the new rows join the search index after the import, in short steps (db/search.ts)
    const indexed = await timed(() => scheduleSearchIndex(county.ctx.db))
    report("handoff: the county's search index of those rows, built afterwards in steps (background)", sec(indexed.ms), { value: Math.round(indexed.ms / 100) / 10, unit: 's' })
    // the first search on the connection (its term lists and statements made, pages read from disk), then as typed again
    const q = await timed(() => must<{ total: number }>(county.invoke('patrols.list', { q: '电动车违规充电', limit: 100 })))
    const retyped: number[] = []
    for (let i = 0; i < 5; i++) {
      county.ctx.db.prepare('UPDATE villages SET updatedAt = updatedAt WHERE rowid = (SELECT min(rowid) FROM villages)').run()
      retyped.push((await timed(() => must<{ total: number }>(county.invoke('patrols.list', { q: '电动车违规充电', limit: 100 })))).ms)
    }
    const later = retyped.sort((a, b) => a - b)[2]!
    report("handoff: a search of the county's patrols (电动车违规充电): first, then median of 5", `${q.ms.toFixed(1)} ms, then ${later.toFixed(1)} ms (${fmt(q.result.total)} found)`, {
      value: Math.round(later * 10) / 10,
      unit: 'ms',
      target: '≤ 20 ms',
    })

    // The target figure: the import in a process of its own, as the county's program runs it on its own
    // PC, three times (one run moves by a second or more on this machine) and the median. Run after this
    // process's background work (the search index above) is done: while it ran beside a child's import,
    // that import took 2-3 s longer than its own CPU time. The import into the ledger kept in this
    // process is printed above; it and these have differed by up to 1.5 s, either way.
    const runs: ChildRun[] = []
    for (let i = 0; i < 3; i++) runs.push(await importInFreshProcess(ex.result.file, code.slice(0, 6)))
    const ms = middle(runs.map((r) => r.ms))
    const mainCpu = middle(runs.map((r) => r.cpu))
    report(
      'handoff: county import in a process of its own, one transaction, every row checked, median of 3 (target ≤ 8 s)',
      `${sec(ms)} (runs ${runs.map((r) => sec(r.ms)).join(' / ')}; main thread CPU ${sec(mainCpu)}, all threads ${sec(middle(runs.map((r) => r.cpuAll)))}; load average ${loadavg()[0]!.toFixed(1)})`,
      { value: Math.round(ms / 100) / 10, unit: 's', target: '≤ 8 s on an idle machine' },
    )
    report('handoff: county import, main thread CPU, median of 3', `${sec(mainCpu)} (runs ${runs.map((r) => sec(r.cpu)).join(' / ')})`, { value: Math.round(mainCpu / 100) / 10, unit: 's' })
    if (runs.some((r) => r.patrols !== (p?.new ?? 0))) throw new Error(`a child imported ${runs.map((r) => r.patrols).join(' / ')} patrols`)
    report('handoff: import peak RSS growth, the largest of the 3', mib(Math.max(...runs.map((r) => r.rss))))

    const again = await timed(() => must<ImportReport>(county.invoke('package.import', { files: [ex.result.file] })))
    report('handoff: re-import of the same package (no-op)', sec(again.ms))

    const some = db.prepare('SELECT id FROM patrols ORDER BY rowid DESC LIMIT 1000').all() as { id: string }[]
    for (const [i, r] of some.entries()) await must(town.invoke(i % 10 ? 'patrols.update' : 'patrols.delete', i % 10 ? { id: r.id, findings: `复查${i}` } : { id: r.id }))
    const inc = await timed(() => must<ExportResult>(town.invoke('package.export', { dir: usb, passphrase: 'bench-passphrase' })))
    report('handoff: incremental export of 1,000 changes, encrypted', `${sec(inc.ms)}, ${fmt(inc.result.rows)} rows, ${mib(inc.result.bytes)}`)
    const imInc = await timed(() => must<ImportReport>(county.invoke('package.import', { files: [inc.result.file], passphrase: 'bench-passphrase' })))
    report('handoff: county import of it', sec(imInc.ms))

    // the remedy for a gap: the township sends a full package again; the county writes only what differs
    for (const [i, r] of some.slice(0, 100).entries()) if (i % 10) await must(town.invoke('patrols.update', { id: r.id, findings: `再次复查${i}` }))
    const resent = await must<ExportResult>(town.invoke('package.export', { dir: usb, full: true }))
    const imAgain = await timed(() => must<ImportReport>(county.invoke('package.import', { files: [resent.file] })))
    const pa = imAgain.result.totals.find((t) => t.table === 'patrols')
    report('handoff: county import of a full package sent again (90 changed rows)', `${sec(imAgain.ms)}, ${fmt(pa?.changed ?? 0)} changed, ${fmt(pa?.unchanged ?? 0)} unchanged`)

    // the whole township with a passphrase with a passphrase, into a second county ledger (decryption on the reader's worker)
    const secret = await timed(() => must<ExportResult>(town.invoke('package.export', { dir: usb, full: true, passphrase: 'bench-passphrase' })))
    const county2 = openApp(county2Dir)
    try {
      await must(county2.invoke('township.setup', { mode: 'county', code: code.slice(0, 6), county: '天心区' }))
      const imSecret = await timed(() => must<ImportReport>(county2.invoke('package.import', { files: [secret.result.file], passphrase: 'bench-passphrase' })))
      report('handoff: full export / county import (new ledger), encrypted', `${sec(secret.ms)} / ${sec(imSecret.ms)} (main thread CPU ${imSecret.cpu})`)
    } finally {
      county2.close()
    }
  } finally {
    town.close()
    county.close()
    for (const d of [townDir, countyDir, county2Dir, usb]) rmSync(d, { recursive: true, force: true })
    if (prevQuiet === undefined) delete process.env.PINGAN_QUIET
    else process.env.PINGAN_QUIET = prevQuiet
  }
}
