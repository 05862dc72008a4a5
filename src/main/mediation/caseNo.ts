import { ApiError } from '../../shared/errors'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { readSettings } from '../settings/store'

/** 大托铺街道 -> 大托: the township name without its 街道/镇/乡 suffix, two characters. */
export function defaultShort(townshipName: string): string {
  return townshipName.replace(/(街道办事处|街道|镇|乡)$/, '').slice(0, 2)
}

export function formatCaseNo(format: string, year: number, seq: number, short: string): string {
  return format.replace(/\{year\}/g, String(year)).replace(/\{seq\}/g, String(seq)).replace(/\{short\}/g, short)
}

export function caseNoTaken(ctx: Ctx, township: string, caseNo: string, selfId: string | null = null): boolean {
  // deleted cases keep their number: a number once given is never given again
  return !!prepared(ctx.db, 'SELECT 1 FROM mediation_cases WHERE township = ? AND caseNo = ? AND id IS NOT ?').get(township, caseNo, selfId)
}

/**
 * The next number of the township's year from the `counters` table. The counter only goes up, so a
 * number is never reused, not even after its case is deleted; a number taken by hand is skipped.
 */
export function nextCaseNo(ctx: Ctx, year: number): string {
  const t = requireTownship(ctx)
  const s = readSettings(ctx)
  const short = s.caseNoShort || defaultShort(t.name)
  const bump = prepared(
    ctx.db,
    'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
  )
  for (let i = 0; i < 100_000; i++) {
    const { value } = bump.get(`caseNo:${t.code}:${year}`) as { value: number }
    const no = formatCaseNo(s.caseNoFormat, year, value, short)
    if (!caseNoTaken(ctx, t.code, no)) return no
  }
  throw new ApiError('conflict', '无法生成案件编号，请检查案件编号格式设置', 'caseNo')
}
