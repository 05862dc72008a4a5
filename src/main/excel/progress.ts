import type { ExcelProgress } from '../../shared/excel/schema'

/** Progress of running imports, polled by the wizard through excel.progress. Forgotten after 10 minutes. */
const jobs = new Map<string, ExcelProgress & { at: number }>()

export function setProgress(jobId: string, p: { phase: ExcelProgress['phase']; done: number; total: number; rows: number }): void {
  const percent = p.phase === 'done' ? 100 : p.phase === 'writing' ? 99 : p.total > 0 ? Math.min(98, Math.floor((p.done / p.total) * 98)) : 0
  jobs.set(jobId, { ...p, percent, at: Date.now() })
  for (const [k, v] of jobs) if (Date.now() - v.at > 600_000) jobs.delete(k)
}

export function getProgress(jobId: string): ExcelProgress | null {
  const p = jobs.get(jobId)
  if (!p) return null
  const { at: _at, ...rest } = p
  return rest
}
