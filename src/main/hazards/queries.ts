import type { ListResult } from '../../shared/api/define'
import type { ParsedInput } from '../../shared/api/contract'
import type { Hazard } from '../../shared/hazards/types'
import { isOverdue } from '../../shared/hazards/stage'
import type { Ctx } from '../context'
import { contains, page } from '../db/paging'
import { searchWhere } from '../db/search'
import { prepared } from '../db/query'
import type { HazardsTable } from './table'

export type HazardRow = HazardsTable & { villageName: string | null; unitName: string | null }

export function toHazard(r: HazardRow, today: string): Hazard {
  const h = { ...(r as unknown as Hazard), villageName: r.villageName ?? null, unitName: r.unitName ?? null }
  return { ...h, overdue: isOverdue(h, today) }
}

/** One hazard with its village's and unit's names, deleted or not; undefined when there is no such id. */
export function readHazard(ctx: Ctx, id: string): HazardRow | undefined {
  return prepared(
    ctx.db,
    `SELECT h.*, v.name AS villageName, u.name AS unitName FROM hazards h
     LEFT JOIN villages v ON v.id = h.villageId LEFT JOIN units u ON u.id = h.unitId WHERE h.id = ?`,
  ).get(id) as HazardRow | undefined
}

const sortable: Record<string, string> = {
  foundOn: 'h.foundOn',
  villageName: 'v.name',
  location: 'h.location',
  category: 'h.category',
  level: 'h.level',
  responsible: 'h.responsible',
  deadline: 'h.deadline',
  status: 'h.status',
  closedOn: 'h.closedOn',
  createdAt: 'h.createdAt',
  updatedAt: 'h.updatedAt',
}

/** The register's list: the clerk's filters and quick search composed with the query builder, paged by the one pager. */
export function listHazards(ctx: Ctx, input: ParsedInput<'hazards.list'>): ListResult<Hazard> {
  const f = input.filters ?? {}
  const today = ctx.today()
  let base = ctx.k.selectFrom('hazards as h').leftJoin('villages as v', 'v.id', 'h.villageId').leftJoin('units as u', 'u.id', 'h.unitId')
  if (!input.includeDeleted) base = base.where('h.deletedAt', 'is', null)
  if (f.township) base = base.where('h.township', '=', f.township)
  if (f.villageId) base = base.where('h.villageId', '=', f.villageId)
  if (f.unitId) base = base.where('h.unitId', '=', f.unitId)
  if (f.status) base = base.where('h.status', '=', f.status)
  if (f.category) base = base.where('h.category', '=', f.category)
  if (f.level) base = base.where('h.level', '=', f.level)
  if (f.year) base = base.where('h.foundOn', '>=', `${f.year}-01-01`).where('h.foundOn', '<=', `${f.year}-12-31`)
  if (f.foundFrom) base = base.where('h.foundOn', '>=', f.foundFrom)
  if (f.foundTo) base = base.where('h.foundOn', '<=', f.foundTo)
  // the same condition as isOverdue (shared/hazards/stage.ts), in SQL
  if (f.overdue === true) base = base.where('h.status', '<>', 'closed').where('h.deadline', 'is not', null).where('h.deadline', '<', today)
  if (f.overdue === false)
    base = base.where((eb) => eb.or([eb('h.status', '=', 'closed'), eb('h.deadline', 'is', null), eb('h.deadline', '>=', today)]))
  if (f.location) base = base.where(contains('h.location', f.location))
  if (f.description) base = base.where(contains('h.description', f.description))
  if (input.q) {
    const t = input.q.trim()
    // the register's trigram index (db/search.ts), or the scan where it cannot answer
    base = base.where((eb) =>
      eb.or([searchWhere(ctx.db, 'hazards', 'h.rowid', t, eb.or([contains('h.location', t), contains('h.description', t), contains('h.responsible', t)])), contains('v.name', t)]),
    )
  }
  const sort = input.sort?.length ? input.sort : [{ field: 'foundOn', dir: 'desc' as const }]
  const r = page(ctx.db, base, (qb) => qb.selectAll('h').select(['v.name as villageName', 'u.name as unitName']), { sort, offset: input.offset, limit: input.limit }, sortable, 'h.id')
  return { total: r.total, rows: r.rows.map((row) => toHazard(row as HazardRow, today)) }
}
