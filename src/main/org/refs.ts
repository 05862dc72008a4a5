import { ApiError } from '../../shared/errors'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/** A reference picked in a form must point at a live record of the right kind. */
export function checkVillage(ctx: Ctx, villageId: string | null | undefined, field = 'villageId'): void {
  if (!villageId) return
  const v = prepared(ctx.db, 'SELECT deletedAt FROM villages WHERE id = ?').get(villageId) as { deletedAt: string | null } | undefined
  if (!v || v.deletedAt) throw new ApiError('invalid_input', '所选的村（社区）不存在或已删除', field)
}

export function checkGrid(ctx: Ctx, gridId: string | null | undefined, villageId: string | null | undefined, field = 'gridId'): void {
  if (!gridId) return
  const g = prepared(ctx.db, 'SELECT villageId, deletedAt FROM grids WHERE id = ?').get(gridId) as
    | { villageId: string; deletedAt: string | null }
    | undefined
  if (!g || g.deletedAt) throw new ApiError('invalid_input', '所选的网格不存在或已删除', field)
  if (villageId && g.villageId !== villageId) throw new ApiError('invalid_input', '所选的网格不属于所选的村（社区）', field)
}

export function checkUnit(ctx: Ctx, unitId: string | null | undefined, field = 'unitId'): void {
  if (!unitId) return
  const u = prepared(ctx.db, 'SELECT deletedAt FROM units WHERE id = ?').get(unitId) as { deletedAt: string | null } | undefined
  if (!u || u.deletedAt) throw new ApiError('invalid_input', '所选的单位不存在或已删除', field)
}

export function villageName(ctx: Ctx, villageId: string | null | undefined): string {
  if (!villageId) return ''
  const v = prepared(ctx.db, 'SELECT name FROM villages WHERE id = ?').get(villageId) as { name: string } | undefined
  return v?.name ?? ''
}
