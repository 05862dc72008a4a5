import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openApp } from '../../src/main/app'
import { runDemo, type DemoOrg } from '../../src/main/demo/demo'
import { rng } from '../../src/main/demo/random'
import { generateAftercare, generateCases, generatePatrols } from '../../src/main/demo/registers'
import { evaluateSet, YearData } from '../../src/main/checklist/evaluate'
import { loadedSets } from '../../src/main/checklist/sets'
import { indexSearchBacklog, pauseSearchTrigger } from '../../src/main/db/search'
import { middle } from './measure'

/**
 * The checklist over the registers at county-archive size (1,000,000 patrols, 50,000 cases, 5,000
 * aftercare people with 100,000 visits): evaluating every set for every target of a year.
 * Target: ≤ 200 ms. Prints figures, asserts nothing.
 */
const PATROLS = Number(process.env.BENCH_PATROLS ?? 1_000_000)
const CASES = Number(process.env.BENCH_CASES ?? 50_000)
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5_000)

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6

export async function benchChecklist(report: (name: string, value: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-bench-checklist-'))
  process.env.PINGAN_QUIET = '1'
  const app = openApp(dir)
  try {
    const today = '2026-11-20'
    app.ctx.today = () => today
    runDemo(app.ctx, { scale: 1, today })
    const db = app.ctx.db
    const t = db.prepare('SELECT code FROM township').get() as { code: string }
    const villages = db.prepare('SELECT id, name, kind, households FROM villages').all() as DemoOrg['villages']
    const org = { township: t.code, villages }
    const r = rng(11)
    let t0 = process.hrtime.bigint()
    db.transaction(() => {
      // generated as a bulk load is written; the search index of those rows is built right after
      const resumes = ['patrols', 'mediation_cases', 'aftercare_people', 'aftercare_visits'].map((x) => pauseSearchTrigger(db, x))
      generatePatrols(app.ctx, org, r, { count: PATROLS, from: '2024-01-01', to: today })
      generateCases(app.ctx, org, r, { count: CASES, from: '2024-01-01', today, overdue: 2 })
      generateAftercare(app.ctx, org, r, { people: PEOPLE, visitsPerPerson: 20, today, from: '2019-01-01', unvisited: 1 })
      for (const resume of resumes) resume()
    })()
    indexSearchBacklog(db)
    db.exec('ANALYZE')
    const counts = db.prepare('SELECT (SELECT count(*) FROM patrols) AS p, (SELECT count(*) FROM mediation_cases) AS c, (SELECT count(*) FROM aftercare_people) AS a').get() as { p: number; c: number; a: number }
    report('checklist: data set generated (s)', `${(ms(t0) / 1000).toFixed(1)} (${counts.p} patrols, ${counts.c} cases, ${counts.a} people)`)

    const sets = loadedSets(app.ctx).map((s) => s.set)
    const year = 2026
    // some answers, so roll-ups and shared values have work to do
    const ev0 = sets.map((s) => evaluateSet(new YearData(app.ctx, year), s))
    let answered = 0
    for (const ev of ev0.slice(0, 2))
      for (const res of ev.results.slice(0, 400)) {
        if (!res.checks.some((c) => c.kind === 'attest')) continue
        await app.invoke('checklist.attest', { criterionId: res.criterionId, targetId: res.targetId, year, attested: answered % 3 !== 0 })
        answered++
      }
    const cells = ev0.reduce((n, e) => n + e.results.length, 0)
    const targets = ev0.reduce((n, e) => n + e.targets.length, 0)

    // every set, every target, one year: the figures are computed once and shared by the five sets
    const shared: number[] = []
    for (let i = 0; i < 7; i++) {
      t0 = process.hrtime.bigint()
      const d = new YearData(app.ctx, year)
      for (const s of sets) evaluateSet(d, s)
      shared.push(ms(t0))
    }
    report(`checklist: evaluate all ${sets.length} sets × all targets (${targets} target rows, ${cells} cells), median ms (target ≤ 200)`, middle(shared).toFixed(1))

    // the API path: one checklist.evaluate call per set, each computing its own figures
    const perCall: number[] = []
    for (let i = 0; i < 5; i++) {
      t0 = process.hrtime.bigint()
      for (const s of sets) {
        const res = await app.invoke('checklist.evaluate', { setId: s.id, year })
        if (!res.ok) throw new Error(res.error.message)
      }
      perCall.push(ms(t0))
    }
    report('checklist: 5 × checklist.evaluate through the dispatcher, median ms', middle(perCall).toFixed(1))

    // opening one cell: a village with its records behind every metric
    const vid = villages[0]!.id
    const one: number[] = []
    for (let i = 0; i < 7; i++) {
      t0 = process.hrtime.bigint()
      await app.invoke('checklist.evaluate', { setId: 'cunju', year, targetId: vid })
      one.push(ms(t0))
    }
    report('checklist: one target with its records (cunju, a village), median ms', middle(one).toFixed(1))
  } finally {
    app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
