import { recordTableLabels } from '../../../../shared/registers'
import { localTime } from '../../../../shared/localTime'

// the registry's names for every record table (checklist entries, families and hazards included)
const tableLabels: Record<string, string> = { ...recordTableLabels, audit: '操作记录' }

export const formatTime = (iso: string): string => localTime(iso, { seconds: true })

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/**
 * A backup named by its time, as the clerk knows it: from the list when it is there, else from the
 * file's own name (平安台账备份-…-20260301-160000.db, pingan-20260301-160000-manual.db).
 */
export function timeOfBackup(name: string, list: { name: string; at: string }[] | null): string {
  const b = list?.find((x) => x.name === name)
  if (b) return formatTime(b.at)
  const m = /(\d{4})(\d{2})(\d{2})[-_T]?(\d{2})(\d{2})(\d{2})/.exec(name)
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : '所选'
}

/** 成员 12、巡逻 40 … (registers with no rows left out; tables without a Chinese name are not shown) */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([k, n]) => n > 0 && k !== 'audit' && tableLabels[k] !== undefined)
    .map(([k, n]) => `${tableLabels[k]} ${n}`)
  return parts.length ? parts.join('、') : '无记录'
}
