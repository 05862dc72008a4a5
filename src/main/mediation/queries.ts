import type { ListResult } from '../../shared/api/define'
import type { ParsedInput } from '../../shared/api/contract'
import { maskIdNumber } from '../../shared/idNumber'
import type { FollowUp, MediationCase, Party } from '../../shared/mediation/schema'
import type { Ctx } from '../context'
import { contains, page } from '../db/paging'
import { searchWhere } from '../db/search'
import { memberNames } from '../members/refs'
import type { MediationCasesTable } from './table'

type Row = MediationCasesTable & { villageName?: string | null }

export function toCases(ctx: Ctx, rows: Row[], fullId: boolean): MediationCase[] {
  const parsed = rows.map((r) => ({ r, mediatorIds: JSON.parse(r.mediatorIds) as string[], parties: JSON.parse(r.parties) as Party[] }))
  const names = memberNames(ctx, parsed.map((p) => p.mediatorIds))
  const join = (ps: Party[], side: Party['side']) => ps.filter((p) => p.side === side).map((p) => p.name).join('、')
  return parsed.map(({ r, mediatorIds, parties }) => ({
    ...(r as unknown as MediationCase),
    parties: fullId ? parties : parties.map((p) => ({ ...p, idNumber: p.idNumber ? maskIdNumber(p.idNumber) : null })),
    mediatorIds,
    followUps: JSON.parse(r.followUps) as FollowUp[],
    villageName: r.villageName ?? null,
    mediatorNames: mediatorIds.map((id) => names.get(id) ?? '（已删除）'),
    applicantNames: join(parties, 'applicant'),
    respondentNames: join(parties, 'respondent'),
  }))
}

const sortable: Record<string, string> = {
  receivedOn: 'c.receivedOn',
  caseNo: 'c.caseNo',
  status: 'c.status',
  category: 'c.category',
  source: 'c.source',
  mediatedOn: 'c.mediatedOn',
  closedOn: 'c.closedOn',
  fulfillment: 'c.fulfillment',
  villageName: 'v.name',
  createdAt: 'c.createdAt',
  updatedAt: 'c.updatedAt',
}

export function listCases(ctx: Ctx, input: ParsedInput<'mediation.list'>): ListResult<MediationCase> {
  const f = input.filters ?? {}
  let base = ctx.k.selectFrom('mediation_cases as c').leftJoin('villages as v', 'v.id', 'c.villageId')
  if (!input.includeDeleted) base = base.where('c.deletedAt', 'is', null)
  if (f.township) base = base.where('c.township', '=', f.township)
  if (f.villageId) base = base.where('c.villageId', '=', f.villageId)
  if (f.status) base = base.where('c.status', '=', f.status)
  if (f.statuses?.length) base = base.where('c.status', 'in', f.statuses)
  if (f.source) base = base.where('c.source', '=', f.source)
  if (f.category) base = base.where('c.category', '=', f.category)
  if (f.fulfillment) base = base.where('c.fulfillment', '=', f.fulfillment)
  if (f.receivedFrom) base = base.where('c.receivedOn', '>=', f.receivedFrom)
  if (f.receivedTo) base = base.where('c.receivedOn', '<=', f.receivedTo)
  if (f.year) base = base.where('c.receivedOn', '>=', `${f.year}-01-01`).where('c.receivedOn', '<=', `${f.year}-12-31`)
  if (f.caseNo) base = base.where(contains('c.caseNo', f.caseNo))
  if (f.party) base = base.where(contains('c.parties', f.party))
  if (f.summary) base = base.where(contains('c.summary', f.summary))
  if (f.mediatorId) base = base.where(contains('c.mediatorIds', `"${f.mediatorId}"`))
  if (input.q) {
    const t = input.q.trim()
    // the register's trigram index (db/search.ts), or the scan where it cannot answer
    base = base.where((eb) =>
      eb.or([searchWhere(ctx.db, 'mediation_cases', 'c.rowid', t, eb.or([contains('c.caseNo', t), contains('c.summary', t), contains('c.parties', t)])), contains('v.name', t)]),
    )
  }
  const sort = input.sort?.length ? input.sort : [{ field: 'receivedOn', dir: 'desc' as const }]
  const r = page(ctx.db, base, (qb) => qb.selectAll('c').select('v.name as villageName'), { sort, offset: input.offset, limit: input.limit }, sortable, 'c.id')
  return { total: r.total, rows: toCases(ctx, r.rows, false) }
}
