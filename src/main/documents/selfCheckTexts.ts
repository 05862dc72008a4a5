import { ApiError } from '../../shared/errors'
import type { SelfCheckTexts } from '../../shared/documents/schema'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { insertRecord, updateRecord } from '../db/records'
import { requireTownship } from '../org/township'
import type { SelfCheckTextsTable } from './table'

/**
 * 整改措施 and 下一步工作 of a creation target's 自查报告 for a year: written by the clerk in 创建自查,
 * printed in the report, carried in packages like every record.
 */
function row(ctx: Ctx, targetId: string, year: number): SelfCheckTextsTable | undefined {
  return prepared(ctx.db, 'SELECT * FROM self_check_texts WHERE township = ? AND year = ? AND targetId = ? AND deletedAt IS NULL').get(
    requireTownship(ctx).code,
    year,
    targetId,
  ) as SelfCheckTextsTable | undefined
}

export function readSelfCheckTexts(ctx: Ctx, targetId: string, year: number): SelfCheckTexts {
  const r = row(ctx, targetId, year)
  return { targetId, year, measures: r?.measures ?? '', nextSteps: r?.nextSteps ?? '', updatedAt: r?.updatedAt ?? null }
}

/** a target is a live village, grid, unit or family, or the township itself */
function checkTarget(ctx: Ctx, targetId: string): void {
  if (targetId === requireTownship(ctx).code) return
  for (const t of ['villages', 'grids', 'units', 'families']) if (prepared(ctx.db, `SELECT 1 FROM ${t} WHERE id = ? AND deletedAt IS NULL`).get(targetId)) return
  throw new ApiError('not_found', '找不到这个创建对象（可能已被删除）', 'targetId')
}

export function saveSelfCheckTexts(ctx: Ctx, input: { targetId: string; year: number; measures: string; nextSteps: string }): SelfCheckTexts {
  return ctx.db.transaction(() => {
    checkTarget(ctx, input.targetId)
    const old = row(ctx, input.targetId, input.year)
    const values = { measures: input.measures.trim(), nextSteps: input.nextSteps.trim() }
    if (old) updateRecord(ctx, 'self_check_texts', old.id, values, '自查整改措施')
    else insertRecord(ctx, 'self_check_texts', { targetId: input.targetId, year: input.year, ...values })
    return readSelfCheckTexts(ctx, input.targetId, input.year)
  })()
}
