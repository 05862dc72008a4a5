import { ApiError } from '../../shared/errors'
import type { Role } from '../../shared/domain'
import { roleLabels } from '../../shared/domain'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

interface MemberRef {
  id: string
  name: string
  villageId: string | null
  roles: string
  joinedOn: string
  leftOn: string | null
  deletedAt: string | null
}

export interface MemberRule {
  /** the roles of which the member must hold at least one */
  roles: readonly Role[]
  /** what the picked people are called, e.g. 巡防队员 */
  what: string
  field: string
  /** the member must belong to this village */
  villageId?: string
  /** the member must be in office on this date (joinedOn ≤ on, leftOn null or ≥ on) */
  on?: string
}

/**
 * Every id must be a live member holding one of the roles (and, when asked, of the village and in
 * office on the date). The message names the first member that fails and why.
 */
export function checkMembers(ctx: Ctx, ids: readonly string[], rule: MemberRule): void {
  if (ids.length === 0) return
  const rows = prepared(
    ctx.db,
    'SELECT id, name, villageId, roles, joinedOn, leftOn, deletedAt FROM members WHERE id IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(ids)) as MemberRef[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  for (const id of ids) {
    const m = byId.get(id)
    if (!m || m.deletedAt) throw new ApiError('invalid_input', `所选的${rule.what}不存在或已删除`, rule.field)
    const roles = JSON.parse(m.roles) as string[]
    if (!rule.roles.some((r) => roles.includes(r)))
      throw new ApiError(
        'invalid_input',
        `「${m.name}」不是${rule.roles.map((r) => roleLabels[r]).join('或')}，不能选为${rule.what}`,
        rule.field,
      )
    if (rule.villageId && m.villageId !== rule.villageId)
      throw new ApiError('invalid_input', `「${m.name}」不是本村（社区）的${rule.what}`, rule.field)
    if (rule.on && m.joinedOn > rule.on)
      throw new ApiError('invalid_input', `「${m.name}」${m.joinedOn}才加入，${rule.on}时还不是${rule.what}`, rule.field)
    if (rule.on && m.leftOn && m.leftOn < rule.on)
      throw new ApiError('invalid_input', `「${m.name}」已于${m.leftOn}离队，${rule.on}时已不是${rule.what}`, rule.field)
  }
}

/** id -> name for every id in the lists, in one query. */
export function memberNames(ctx: Ctx, lists: readonly (readonly string[])[]): Map<string, string> {
  const ids = [...new Set(lists.flat())]
  if (ids.length === 0) return new Map()
  const rows = prepared(ctx.db, 'SELECT id, name FROM members WHERE id IN (SELECT value FROM json_each(?))').all(
    JSON.stringify(ids),
  ) as { id: string; name: string }[]
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Removes repeats, keeping the first occurrence's order. */
export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)]
}
