import { sql } from 'kysely'
import type { ListResult } from '../../shared/api/define'
import type { ParsedInput } from '../../shared/api/contract'
import { checkIdNumber, maskIdNumber } from '../../shared/idNumber'
import type { Member } from '../../shared/members/schema'
import type { Role } from '../../shared/domain'
import type { Ctx } from '../context'
import type { MembersTable } from '../db/types'
import { contains, jsonHas, page } from '../db/paging'
import { searchWhere, villagesNamed } from '../db/search'

export function toMember(row: MembersTable & { villageName?: string | null }, fullId = true): Member {
  const id = checkIdNumber(row.idNumber)
  return {
    ...row,
    roles: JSON.parse(row.roles) as Role[],
    idNumber: fullId ? row.idNumber : maskIdNumber(row.idNumber),
    birthDate: id.ok ? id.birthDate : '',
    sex: id.ok ? id.sex : 'male',
    villageName: row.villageName ?? null,
  }
}

const sortable: Record<string, string> = {
  name: 'm.name',
  idNumber: 'm.idNumber',
  phone: 'm.phone',
  joinedOn: 'm.joinedOn',
  leftOn: 'm.leftOn',
  villageName: 'v.name',
  updatedAt: 'm.updatedAt',
  createdAt: 'm.createdAt',
}

function withVillage(ctx: Ctx) {
  return ctx.k.selectFrom('members as m').leftJoin('villages as v', 'v.id', 'm.villageId')
}

export function listMembers(ctx: Ctx, input: ParsedInput<'members.list'>): ListResult<Member> {
  const f = input.filters ?? {}
  const sorts = input.sort ?? [{ field: 'createdAt', dir: 'desc' }]
  // the village join only where a sort needs its name, so counts and pages stay on members' indexes
  const needVillage = sorts.some((s) => s.field === 'villageName')
  // (typed as the joined query; 'v.*' is referenced only when needVillage)
  let base = needVillage ? withVillage(ctx) : (ctx.k.selectFrom('members as m') as unknown as ReturnType<typeof withVillage>)
  if (!input.includeDeleted) base = base.where('m.deletedAt', 'is', null)
  if (f.villageId) base = base.where('m.villageId', '=', f.villageId)
  if (f.gridId) base = base.where('m.gridId', '=', f.gridId)
  if (f.unitId) base = base.where('m.unitId', '=', f.unitId)
  if (f.role) base = base.where(jsonHas('m.roles', f.role))
  if (f.active === true) base = base.where((eb) => eb.or([eb('m.leftOn', 'is', null), eb('m.leftOn', '>', ctx.today())]))
  if (f.name) base = base.where(contains('m.name', f.name))
  if (f.idNumber) base = base.where(contains('m.idNumber', f.idNumber.toUpperCase()))
  if (f.phone) base = base.where(contains('m.phone', f.phone))
  if (input.q) {
    // the register's trigram index (db/search.ts), and the villages whose name holds the text
    const t = input.q.trim()
    const villages = villagesNamed(ctx.db, t)
    base = base.where((eb) => {
      const scan = eb.or([contains('m.name', t), contains('m.idNumber', t.toUpperCase()), contains('m.phone', t)])
      const own = searchWhere(ctx.db, 'members', 'm.rowid', t, scan)
      return villages.length ? eb.or([own, eb('m.villageId', 'in', villages)]) : own
    })
  }
  const r = page(
    ctx.db,
    base,
    (qb) => qb.selectAll('m').select(sql<string | null>`(SELECT name FROM villages WHERE id = m.villageId)`.as('villageName')),
    { sort: sorts, offset: input.offset, limit: input.limit },
    sortable,
    'm.id',
  )
  return { total: r.total, rows: r.rows.map((row) => toMember(row, input.fullId === true)) }
}
