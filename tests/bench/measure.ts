import { makeIdNumber } from '../../src/shared/idNumber'

/** Wall time of one call, in ms. */
export async function time(fn: () => unknown): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

export async function median(runs: number, sample: () => Promise<number>): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < runs; i++) xs.push(await sample())
  xs.sort((a, b) => a - b)
  return xs[Math.floor(xs.length / 2)]!
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`
}

/** A distinct valid 身份证号 for each i (up to 20,000,000). */
export function benchIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10)
  return makeIdNumber('430103', birth, Math.floor(i / 20_000))
}
