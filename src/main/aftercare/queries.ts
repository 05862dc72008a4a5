import { sql } from 'kysely'
import type { ListResult } from '../../shared/api/define'
import type { ParsedInput } from '../../shared/api/contract'
import type { AftercarePerson, AftercareVisit } from '../../shared/aftercare/schema'
import type { LostContactPeriod } from '../../shared/aftercare/lostContact'
import { checkIdNumber, maskIdNumber } from '../../shared/idNumber'
import type { Ctx } from '../context'
import { contains, page } from '../db/paging'
import { searchWhere } from '../db/search'
import { memberNames } from '../members/refs'
import type { AftercarePeopleTable, AftercareVisitsTable } from './table'

type PersonRow = AftercarePeopleTable & { villageName?: string | null; lastVisitOn?: string | null; visitCount?: number }

export function toPeople(ctx: Ctx, rows: PersonRow[], fullId: boolean): AftercarePerson[] {
  const parsed = rows.map((r) => ({ r, helperIds: JSON.parse(r.helperIds) as string[] }))
  const names = memberNames(ctx, parsed.map((p) => p.helperIds))
  return parsed.map(({ r, helperIds }) => {
    const id = checkIdNumber(r.idNumber)
    return {
      ...(r as unknown as AftercarePerson),
      idNumber: fullId ? r.idNumber : maskIdNumber(r.idNumber),
      helperIds,
      lostContact: r.lostContact === 1,
      lostContactPeriods: JSON.parse(r.lostContactPeriods || '[]') as LostContactPeriod[],
      birthDate: id.ok ? id.birthDate : '',
      sex: id.ok ? id.sex : 'male',
      villageName: r.villageName ?? null,
      helperNames: helperIds.map((h) => names.get(h) ?? '（已删除）'),
      lastVisitOn: r.lastVisitOn ?? null,
      visitCount: r.visitCount ?? 0,
    }
  })
}

type VisitRow = AftercareVisitsTable & { personName?: string | null; villageName?: string | null }

export function toVisits(ctx: Ctx, rows: VisitRow[]): AftercareVisit[] {
  const parsed = rows.map((r) => ({ r, helperIds: JSON.parse(r.helperIds) as string[] }))
  const names = memberNames(ctx, parsed.map((p) => p.helperIds))
  return parsed.map(({ r, helperIds }) => ({
    ...r,
    helperIds,
    personName: r.personName ?? null,
    villageName: r.villageName ?? null,
    helperNames: helperIds.map((h) => names.get(h) ?? '（已删除）'),
  }))
}

const personSortable: Record<string, string> = {
  name: 'a.name',
  kind: 'a.kind',
  releasedOn: 'a.releasedOn',
  aftercareUntil: 'a.aftercareUntil',
  placement: 'a.placement',
  risk: 'a.risk',
  handoverOn: 'a.handoverOn',
  reoffendedOn: 'a.reoffendedOn',
  crime: 'a.crime',
  villageName: 'v.name',
  lastVisitOn: 'lastVisitOn',
  visitCount: 'visitCount',
  createdAt: 'a.createdAt',
  updatedAt: 'a.updatedAt',
}

export function listPeople(ctx: Ctx, input: ParsedInput<'aftercare.people.list'>): ListResult<AftercarePerson> {
  const f = input.filters ?? {}
  let base = ctx.k.selectFrom('aftercare_people as a').leftJoin('villages as v', 'v.id', 'a.villageId')
  if (!input.includeDeleted) base = base.where('a.deletedAt', 'is', null)
  if (f.township) base = base.where('a.township', '=', f.township)
  if (f.villageId) base = base.where('a.villageId', '=', f.villageId)
  if (f.kind) base = base.where('a.kind', '=', f.kind)
  if (f.placement) base = base.where('a.placement', '=', f.placement)
  if (f.risk) base = base.where('a.risk', '=', f.risk)
  if (f.name) base = base.where(contains('a.name', f.name))
  if (f.idNumber) base = base.where(contains('a.idNumber', f.idNumber.toUpperCase()))
  if (f.year) base = base.where('a.releasedOn', '<=', `${f.year}-12-31`).where('a.aftercareUntil', '>=', `${f.year}-01-01`)
  if (f.current === true) {
    const today = ctx.today()
    base = base.where('a.releasedOn', '<=', today).where('a.aftercareUntil', '>=', today)
  }
  if (f.lostContact !== undefined) base = base.where('a.lostContact', '=', f.lostContact ? 1 : 0)
  if (f.reoffended !== undefined) base = base.where('a.reoffendedOn', f.reoffended ? 'is not' : 'is', null)
  if (f.helperId) base = base.where(contains('a.helperIds', `"${f.helperId}"`))
  if (f.releasedFrom) base = base.where('a.releasedOn', '>=', f.releasedFrom)
  if (f.releasedTo) base = base.where('a.releasedOn', '<=', f.releasedTo)
  if (input.q) {
    const t = input.q.trim()
    // the register's trigram index (db/search.ts), or the scan where it cannot answer
    base = base.where((eb) =>
      eb.or([searchWhere(ctx.db, 'aftercare_people', 'a.rowid', t, eb.or([contains('a.name', t), contains('a.idNumber', t.toUpperCase()), contains('a.crime', t)])), contains('v.name', t)]),
    )
  }
  const sort = input.sort?.length ? input.sort : [{ field: 'releasedOn', dir: 'desc' as const }]
  const r = page(
    ctx.db,
    base,
    (qb) =>
      qb
        .selectAll('a')
        .select('v.name as villageName')
        .select(sql<string | null>`(SELECT max(date) FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL)`.as('lastVisitOn'))
        .select(sql<number>`(SELECT count(*) FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL)`.as('visitCount')),
    { sort, offset: input.offset, limit: input.limit },
    personSortable,
    'a.id',
  )
  return { total: r.total, rows: toPeople(ctx, r.rows, input.fullId === true) }
}

const visitSortable: Record<string, string> = {
  date: 'w.date',
  personName: 'a.name',
  villageName: 'v.name',
  createdAt: 'w.createdAt',
}

export function listVisits(ctx: Ctx, input: ParsedInput<'aftercare.visits.list'>): ListResult<AftercareVisit> {
  const f = input.filters ?? {}
  let base = ctx.k
    .selectFrom('aftercare_visits as w')
    .innerJoin('aftercare_people as a', 'a.id', 'w.personId')
    .leftJoin('villages as v', 'v.id', 'a.villageId')
  if (!input.includeDeleted) base = base.where('w.deletedAt', 'is', null).where('a.deletedAt', 'is', null)
  if (f.township) base = base.where('w.township', '=', f.township)
  if (f.personId) base = base.where('w.personId', '=', f.personId)
  if (f.villageId) base = base.where('a.villageId', '=', f.villageId)
  if (f.helperId) base = base.where(contains('w.helperIds', `"${f.helperId}"`))
  if (f.dateFrom) base = base.where('w.date', '>=', f.dateFrom)
  if (f.dateTo) base = base.where('w.date', '<=', f.dateTo)
  if (f.content) base = base.where(contains('w.content', f.content))
  if (input.q) {
    const t = input.q.trim()
    base = base.where((eb) => eb.or([searchWhere(ctx.db, 'aftercare_visits', 'w.rowid', t, contains('w.content', t)), contains('a.name', t), contains('v.name', t)]))
  }
  const sort = input.sort?.length ? input.sort : [{ field: 'date', dir: 'desc' as const }]
  const r = page(
    ctx.db,
    base,
    (qb) => qb.selectAll('w').select(['a.name as personName', 'v.name as villageName']),
    { sort, offset: input.offset, limit: input.limit },
    visitSortable,
    'w.id',
  )
  return { total: r.total, rows: toVisits(ctx, r.rows) }
}
