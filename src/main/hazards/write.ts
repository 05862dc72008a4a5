import type { ParsedInput } from '../../shared/api/contract'
import { ApiError } from '../../shared/errors'
import type { Hazard, HazardStatus } from '../../shared/hazards/types'
import { hazardMoveRefusal, hazardRefusals } from '../../shared/hazards/stage'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { getLiveRow, insertRecord, updateRecord } from '../db/records'
import { checkUnit, checkVillage } from '../org/refs'
import { readHazard, toHazard } from './queries'
import type { HazardsTable } from './table'

export const WHAT = '安全隐患'

type Values = Omit<HazardsTable, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'township' | 'status'> & { status: HazardStatus }

const bad = (message: string, field: string) => new ApiError('invalid_input', message, field)

export function loadHazard(ctx: Ctx, id: string): Hazard {
  const row = readHazard(ctx, id)
  if (!row) throw new ApiError('not_found', `找不到这条${WHAT}`, 'id')
  return toHazard(row, ctx.today())
}

/**
 * The stored hazard's rules (the stage rule shared with the form), then its references. A unit given
 * without a village lends the hazard its own village, so the hazard counts for that village's rates.
 * `refs` false skips the reference checks of an edit that leaves them alone.
 */
function settle(ctx: Ctx, h: Values, refs: { village: boolean; unit: boolean }): Values {
  const today = ctx.today()
  const first = hazardRefusals(h, today)[0]
  // the date found comes before the references, as the form lists them
  if (first?.field === 'foundOn') throw bad(first.message, first.field)
  if (refs.village) checkVillage(ctx, h.villageId)
  if (refs.unit) checkUnit(ctx, h.unitId)
  let out = h
  if (h.unitId) {
    const u = prepared(ctx.db, 'SELECT villageId FROM units WHERE id = ?').get(h.unitId) as { villageId: string | null } | undefined
    if (u?.villageId && !h.villageId) out = { ...h, villageId: u.villageId }
    // a unit's hazard counts for the unit's own village, never for another
    else if (u?.villageId && h.villageId && u.villageId !== h.villageId) throw bad('所属单位不在所选的村（社区），请重新选择村（社区）或单位', 'unitId')
  }
  const why = hazardRefusals(out, today)[0]
  if (why) throw bad(why.message, why.field)
  return out
}

/**
 * The row a create writes, after every rule; writes nothing. The Excel import checks its rows with it
 * (excel/registers.ts) and writes them in one statement.
 */
export function hazardRow(ctx: Ctx, input: ParsedInput<'hazards.create'>): Values {
  return settle(
    ctx,
    {
      foundOn: input.foundOn,
      villageId: input.villageId ?? null,
      unitId: input.unitId ?? null,
      location: input.location,
      category: input.category,
      description: input.description,
      level: input.level,
      foundBy: input.foundBy,
      responsible: input.responsible,
      deadline: input.deadline ?? null,
      measures: input.measures,
      result: input.result,
      reviewer: input.reviewer,
      closedOn: input.closedOn ?? null,
      status: input.status,
    },
    { village: true, unit: true },
  )
}

export function createHazard(ctx: Ctx, input: ParsedInput<'hazards.create'>): Hazard {
  const row = insertRecord(ctx, 'hazards', { ...hazardRow(ctx, input) })
  return loadHazard(ctx, row.id)
}

export function updateHazard(ctx: Ctx, input: ParsedInput<'hazards.update'>): Hazard {
  const old = getLiveRow<HazardsTable>(ctx, 'hazards', input.id, WHAT)
  if (input.status) {
    const why = hazardMoveRefusal(old.status as HazardStatus, input.status)
    if (why) throw bad(why, 'status')
  }
  const { id, ...patch } = input
  const merged = { ...old } as Record<string, unknown>
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) merged[k] = v
  const { createdAt: _c, updatedAt: _u, deletedAt: _d, township: _t, id: _i, ...values } = merged as unknown as HazardsTable & { status: HazardStatus }
  const settled = settle(ctx, values, { village: values.villageId !== old.villageId, unit: values.unitId !== old.unitId })
  updateRecord(ctx, 'hazards', id, { ...settled }, WHAT)
  return loadHazard(ctx, id)
}
