import { ApiError } from '../../shared/errors'
import type { Member } from '../../shared/members/schema'
import type { ParsedInput } from '../../shared/api/contract'
import { roles as allRoles } from '../../shared/domain'
import type { Ctx } from '../context'
import type { HandlerMap } from '../api/handlers-type'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import type { MembersTable } from '../db/types'
import { checkGrid, checkUnit, checkVillage, villageName } from '../org/refs'
import { listMembers, toMember } from './queries'

const WHAT = '成员记录'

function load(ctx: Ctx, id: string, fullId = true): Member {
  const row = getRow<MembersTable>(ctx, 'members', id)
  if (!row) throw new ApiError('not_found', `找不到这条${WHAT}`, 'id')
  return toMember({ ...row, villageName: villageName(ctx, row.villageId) || null }, fullId)
}

/** The rules a stored member must satisfy, checked on the merged record for create and update alike. */
function checkRules(ctx: Ctx, m: Pick<MembersTable, 'idNumber' | 'villageId' | 'gridId' | 'unitId' | 'joinedOn' | 'leftOn'>, selfId?: string): void {
  if (m.leftOn && m.leftOn < m.joinedOn) throw new ApiError('invalid_input', '离队日期不能早于加入日期', 'leftOn')
  checkVillage(ctx, m.villageId)
  checkGrid(ctx, m.gridId, m.villageId)
  checkUnit(ctx, m.unitId)
  const dup = prepared(
    ctx.db,
    `SELECT m.id, m.name, v.name AS villageName FROM members m LEFT JOIN villages v ON v.id = m.villageId
     WHERE m.township = (SELECT code FROM township WHERE id = 1) AND m.idNumber = ? AND m.deletedAt IS NULL AND m.id IS NOT ?`,
  ).get(m.idNumber, selfId ?? null) as { id: string; name: string; villageName: string | null } | undefined
  if (dup)
    throw new ApiError(
      'duplicate',
      `该身份证号已登记为成员「${dup.name}」${dup.villageName ? `（${dup.villageName}）` : ''}，同一人不能重复登记`,
      'idNumber',
    )
}

/**
 * The row a create writes, after every rule; writes nothing. The Excel import checks its rows with it
 * (excel/registers.ts) and writes them in one statement.
 */
export function memberRow(ctx: Ctx, input: ParsedInput<'members.create'>) {
  const values = {
    name: input.name,
    idNumber: input.idNumber,
    phone: input.phone ?? '',
    villageId: input.villageId ?? null,
    gridId: input.gridId ?? null,
    unitId: input.unitId ?? null,
    roles: JSON.stringify([...new Set(input.roles)]),
    joinedOn: input.joinedOn,
    leftOn: input.leftOn ?? null,
    notes: input.notes ?? '',
  }
  checkRules(ctx, values)
  return values
}

export const memberHandlers: HandlerMap<
  'members.create' | 'members.get' | 'members.list' | 'members.update' | 'members.delete' | 'members.restore' | 'members.stats'
> = {
  'members.create': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = insertRecord(ctx, 'members', memberRow(ctx, input))
      return load(ctx, row.id)
    })(),
  'members.get': (input, ctx) => {
    getLiveRow(ctx, 'members', input.id, WHAT)
    return load(ctx, input.id, input.fullId !== false)
  },
  'members.list': (input, ctx) => listMembers(ctx, input),
  'members.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getLiveRow<MembersTable>(ctx, 'members', input.id, WHAT)
      const { id, roles, ...rest } = input
      const patch: Record<string, string | number | null> = {}
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) patch[k] = v as string | null
      if (roles) patch.roles = JSON.stringify([...new Set(roles)])
      const merged = { ...old, ...patch } as MembersTable
      checkRules(ctx, merged, id)
      updateRecord(ctx, 'members', id, patch, WHAT)
      return load(ctx, id)
    })(),
  'members.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'members', input.id, WHAT))(),
  'members.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = getRow<MembersTable>(ctx, 'members', input.id)
      if (row?.deletedAt) checkRules(ctx, row, row.id)
      restoreRecord(ctx, 'members', input.id, WHAT)
      return load(ctx, input.id)
    })(),
  'members.stats': (input, ctx) => {
    const today = ctx.today()
    const where = `m.deletedAt IS NULL ${input.villageId ? 'AND m.villageId = @villageId' : ''}`
    const p = input.villageId ? { villageId: input.villageId, today } : { today }
    const totals = prepared(
      ctx.db,
      `SELECT count(*) AS total, sum(CASE WHEN m.leftOn IS NULL OR m.leftOn > @today THEN 1 ELSE 0 END) AS active FROM members m WHERE ${where}`,
    ).get(p) as { total: number; active: number | null }
    const byRoleRows = prepared(
      ctx.db,
      `SELECT j.value AS role, count(*) AS count FROM members m, json_each(m.roles) j
       WHERE ${where} AND (m.leftOn IS NULL OR m.leftOn > @today) GROUP BY j.value`,
    ).all(p) as { role: string; count: number }[]
    const byVillage = prepared(
      ctx.db,
      `SELECT m.villageId AS villageId, coalesce(v.name, '未归属村（社区）') AS villageName, count(*) AS count
       FROM members m LEFT JOIN villages v ON v.id = m.villageId
       WHERE ${where} AND (m.leftOn IS NULL OR m.leftOn > @today) GROUP BY m.villageId ORDER BY villageName`,
    ).all(p) as { villageId: string | null; villageName: string; count: number }[]
    const counts = new Map(byRoleRows.map((r) => [r.role, r.count]))
    return {
      total: totals.total,
      active: totals.active ?? 0,
      byRole: allRoles.map((role) => ({ role, count: counts.get(role) ?? 0 })),
      byVillage,
    }
  },
}
