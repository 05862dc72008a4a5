import { describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase } from '../../src/main/db/connection'
import { testApp } from '../helpers'

/**
 * Crash safety: a child process runs a large bulk import in one transaction and is killed with
 * SIGKILL at random moments. After every kill the database must open, pass integrity_check, and
 * hold either all of that import or none of it.
 */
const N = 3000
const MIN_KILLS = 20
const MAX_RUNS = 45
const CHILD = join(__dirname, 'crash-child.ts')

function mulberry32(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Run {
  outcome: 'done' | 'killed'
  begun: boolean
  importMs: number
}

/** A child that has loaded its code and waits for `go`; spawned ahead so start-up overlaps the previous run. */
interface Warm {
  child: ChildProcess
  ready: Promise<void>
  batch: number
}

function spawnChild(dir: string, batch: number): Warm {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(batch), String(N)], { stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdout!.setEncoding('utf8')
  const ready = new Promise<void>((ok, fail) => {
    let out = ''
    const onData = (d: string) => {
      out += d
      if (out.includes('READY')) {
        child.stdout!.off('data', onData)
        ok()
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => fail(new Error(`child exited before it was ready (${code})`)))
  })
  ready.catch(() => undefined)
  return { child, ready, batch }
}

/** `killAfterBegin` null lets the import finish; a number kills that many ms after BEGIN; 'early' kills right after go. */
async function go(w: Warm, kill: number | 'early' | null): Promise<Run> {
  await w.ready
  const { child } = w
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    let begun = false
    let beganAt = 0
    const doKill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    child.stdout!.on('data', (d: string) => {
      out += d
      if (!begun && out.includes('BEGIN')) {
        begun = true
        beganAt = performance.now()
        if (typeof kill === 'number') setTimeout(doKill, kill)
      }
    })
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.removeAllListeners('exit')
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ outcome: 'killed', begun, importMs: 0 })
      if (code !== 0) return reject(new Error(`child failed (${code}): ${err.slice(0, 500)}`))
      resolve({ outcome: 'done', begun, importMs: performance.now() - beganAt })
    })
    child.stdin!.write('go\n')
    if (kill === 'early') setTimeout(doKill, Math.random() * 20)
  })
}

function check(dir: string): { integrity: string; perBatch: Map<number, number>; total: number; audit: number } {
  // opens as the app does: refuses a corrupt file, recovers the WAL, migrates
  const db = openDatabase(join(dir, 'pingan.db'))
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string
    const rows = db.prepare("SELECT notes, count(*) AS n FROM members GROUP BY notes").all() as { notes: string; n: number }[]
    const perBatch = new Map(rows.map((r) => [Number(r.notes.replace('batch-', '')), r.n]))
    const total = rows.reduce((s, r) => s + r.n, 0)
    const audit = (db.prepare("SELECT count(*) AS n FROM audit WHERE tableName = 'members'").get() as { n: number }).n
    return { integrity, perBatch, total, audit }
  } finally {
    db.close()
  }
}

describe('crash safety of a bulk import', () => {
  it(`holds all or none of an import after at least ${MIN_KILLS} SIGKILLs at random moments`, { timeout: 120_000 }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000)
    const rand = mulberry32(seed)
    const setup = testApp()
    setup.close()
    const dir = setup.dir
    let next = spawnChild(dir, 0)
    try {
      // one import that finishes: it must be complete, and it tells how long an import takes here
      const firstChild = next
      next = spawnChild(dir, 1)
      const first = await go(firstChild, null)
      expect(first.outcome).toBe('done')
      expect(check(dir).perBatch.get(0)).toBe(N)
      const span = Math.max(30, first.importMs * 0.9)
      let expected = N
      let kills = 0
      const outcomes: string[] = []
      for (let k = 1; kills < MIN_KILLS && k <= MAX_RUNS; k++) {
        const current = next
        next = spawnChild(dir, k + 1)
        // most kills land inside the transaction; every fifth one while the child opens the database
        const r = await go(current, k % 5 === 0 ? 'early' : Math.floor(rand() * span))
        if (r.outcome === 'killed') kills++
        const c = check(dir)
        const got = c.perBatch.get(k) ?? 0
        outcomes.push(`${r.outcome}${r.begun ? '' : '(before BEGIN)'}:${got === N ? 'all' : got === 0 ? 'none' : got}`)
        expect(c.integrity, `seed ${seed}, run ${k}`).toBe('ok')
        expect([0, N], `seed ${seed}, run ${k}: import ${k} holds ${got} of ${N} rows`).toContain(got)
        if (got === N) expected += N
        expect(c.total, `seed ${seed}, run ${k}`).toBe(expected)
        // the audit trail commits with the rows it describes
        expect(c.audit, `seed ${seed}, run ${k}`).toBe(expected)
      }
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS)
      console.log(`crash test (seed ${seed}): ${outcomes.join(', ')}`)
      const raw = new Database(join(dir, 'pingan.db'), { readonly: true })
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
      raw.close()
    } finally {
      next.child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
