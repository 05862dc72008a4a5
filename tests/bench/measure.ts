import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeIdNumber } from '../../src/shared/idNumber'

/** A figure as bench-results/latest.json keeps it: a number, its unit and the target it is held to. */
export interface Figure {
  value: number
  unit: string
  /** e.g. '≤ 20 ms', '≥ 50% of the reader alone' */
  target?: string
}

/** Prints a line (name, the text shown) and records it; the figure, when given, is what --compare compares. */
export type Report = (name: string, text: string, figure?: Figure) => void

/**
 * CPU time used by the whole process so far (every thread: zlib, SQLite's sorters, the GC), in ms. On
 * a machine other programs load, a run's CPU time moves far less than its wall time: on an idle machine
 * the two are close for work on one thread, so CPU-time ratios stand in for the idle figures.
 */
export function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Wall and CPU time of one call. */
export async function timeBoth<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number; cpu: number }> {
  const c = cpuMs()
  const t = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - t, cpu: cpuMs() - c }
}

/** Wall time of one call, in ms. */
export async function time(fn: () => unknown): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

/** The median of figures already taken (the mean of the two middle ones for an even count). */
export function middle(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

export async function median(runs: number, sample: () => Promise<number>): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < runs; i++) xs.push(await sample())
  return middle(xs)
}

/**
 * Runs a bench module (its import.meta.url) again as a process of its own with `args`, as tsx runs
 * this one, and returns what it printed; rejects when it ends with an error. For work whose figures
 * this process's own state would disturb (memory it holds, work it does in the background).
 */
export function runModule(moduleUrl: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(moduleUrl), ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${what} ended with ${code}: ${out.slice(-300)}`))))
  })
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`
}

/** A distinct valid 身份证号 for each i (up to 20,000,000). */
export function benchIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10)
  return makeIdNumber('430103', birth, Math.floor(i / 20_000))
}
