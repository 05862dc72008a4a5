import { recordTableLabels } from '../../../../shared/registers'

// the registry's names for every record table (checklist entries, families and hazards included)
const tableLabels: Record<string, string> = { ...recordTableLabels, audit: '操作记录' }

export function formatTime(iso: string): string {
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** 成员 12、巡逻 40 … (registers with no rows left out) */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([k, n]) => n > 0 && k !== 'audit')
    .map(([k, n]) => `${tableLabels[k] ?? k} ${n}`)
  return parts.length ? parts.join('、') : '无记录'
}
