import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { ListResult } from '../../shared/api/define'
import type { ParsedInput } from '../../shared/api/contract'
import type { Patrol, PatrolMode } from '../../shared/patrols/schema'
import { isOvernight, MAX_OVERNIGHT_MINUTES, patrolMinutes } from '../../shared/patrols/times'
import type { Ctx } from '../context'
import { cachedCount, contains, extend, inRowidOrder, pageRowids } from '../db/paging'
import { villagesNamed } from '../db/search'
import { quickSearch, searchPage } from '../db/searchPage'
import { prepared } from '../db/query'
import { memberNames } from '../members/refs'
import type { DB } from '../db/types'
import type { PatrolsTable } from './table'

export { isOvernight, patrolMinutes, MAX_OVERNIGHT_MINUTES }

type Row = PatrolsTable & { villageName?: string | null }

type Base = ReturnType<typeof basePatrols>
type EB = ExpressionBuilder<DB & { p: PatrolsTable }, 'p'>
const basePatrols = (ctx: Ctx) => ctx.k.selectFrom('patrols as p')

/**
 * A search page (issue 15.3): the register's trigram index (db/search.ts), or the scan where it cannot
 * answer; and the villages so named. Where q alone narrows the list, the index counts it; a page
 * sorted by date walks the date index while that is cheaper than reading every row found.
 */
function searchRowids(ctx: Ctx, base: Base, q: string, input: ParsedInput<'patrols.list'>, sort: { field: string; dir: 'asc' | 'desc' }[]): { rowids: number[]; total: number } {
  const villages = villagesNamed(ctx.db, q)
  const s = quickSearch(ctx.db, 'patrols', 'p.rowid', q)
  const scan = (eb: EB) => eb.or([contains('p.route', q), contains('p.findings', q), contains('p.handling', q)])
  const named = (eb: EB, own: Expression<SqlBool>) => (villages.length ? eb.or([own, eb('p.villageId', 'in', villages)]) : own)
  const alone = villages.length === 0 && Object.values(input.filters ?? {}).every((v) => v === undefined || v === null || v === '' || v === false)
  const total = (alone ? s.total(input.includeDeleted === true) : null) ?? cachedCount(ctx.db, base.where((eb) => named(eb, s.where(scan(eb)))))
  if (total === 0) return { rowids: [], total }
  const page = { total, offset: input.offset ?? 0, limit: input.limit ?? 100 }
  // the date indexes (patrols_date, patrols_village: deletedAt before date) hold the sort's order for live rows
  const own = sort[0]!.field === 'date' && !input.includeDeleted ? (eb: EB) => s.pageWhere(scan(eb), page) : (eb: EB) => s.where(scan(eb))
  return { rowids: searchPage(ctx.db, base.where((eb) => named(eb, own(eb))), { sort, offset: page.offset, limit: page.limit }, sortable, 'p.rowid'), total }
}

export function toPatrols(ctx: Ctx, rows: Row[]): Patrol[] {
  const parsed = rows.map((r) => ({ r, memberIds: JSON.parse(r.memberIds) as string[] }))
  const names = memberNames(ctx, parsed.map((p) => [...p.memberIds, p.r.leaderId]))
  // extend, not an object spread: the same record, several times cheaper per row (db/paging.ts)
  return parsed.map(({ r, memberIds }) =>
    extend(r, {
      mode: r.mode as PatrolMode,
      memberIds,
      overnight: isOvernight(r.startTime, r.endTime),
      minutes: patrolMinutes(r.startTime, r.endTime),
      villageName: r.villageName ?? null,
      leaderName: names.get(r.leaderId) ?? null,
      memberNames: memberIds.map((id) => names.get(id) ?? '（已删除）'),
    }),
  )
}

/**
 * Sort keys the grid may ask for. Only indexed columns, so a page of a million patrols stays fast;
 * a date sort also orders by start time within the day.
 */
const sortable: Record<string, string> = {
  date: 'p.date',
  startTime: 'p.startTime',
  endTime: 'p.endTime',
  mode: 'p.mode',
  createdAt: 'p.createdAt',
  updatedAt: 'p.updatedAt',
}

export function listPatrols(ctx: Ctx, input: ParsedInput<'patrols.list'>): ListResult<Patrol> {
  const f = input.filters ?? {}
  const q = input.q?.trim()
  let base = basePatrols(ctx)
  if (!input.includeDeleted) base = base.where('p.deletedAt', 'is', null)
  if (f.township) base = base.where('p.township', '=', f.township)
  if (f.villageId) base = base.where('p.villageId', '=', f.villageId)
  if (f.mode) base = base.where('p.mode', '=', f.mode)
  if (f.dateFrom) base = base.where('p.date', '>=', f.dateFrom)
  if (f.dateTo) base = base.where('p.date', '<=', f.dateTo)
  if (f.memberId)
    base = base.where((eb) =>
      eb.or([
        eb('p.leaderId', '=', f.memberId!),
        sql<boolean>`EXISTS (SELECT 1 FROM json_each(p.memberIds) WHERE value = ${f.memberId})`,
      ]),
    )
  if (f.route) base = base.where(contains('p.route', f.route))
  if (f.findings) base = base.where(contains('p.findings', f.findings))
  if (f.withFindings === true) base = base.where('p.findings', '!=', '')
  let sort = input.sort?.length ? input.sort : [{ field: 'date', dir: 'desc' as const }]
  if (sort.length === 1 && sort[0]!.field === 'date') sort = [sort[0]!, { field: 'startTime', dir: sort[0]!.dir }]
  const { rowids, total } = q ? searchRowids(ctx, base, q, input, sort) : pageRowids(ctx.db, base, { sort, offset: input.offset, limit: input.limit }, sortable, 'p.rowid')
  if (rowids.length === 0) return { rows: [], total }
  // rows of a million-row register: one prepared statement, not a built query per page
  const rows = prepared(
    ctx.db,
    'SELECT p.rowid AS __rid, p.*, v.name AS villageName FROM patrols p LEFT JOIN villages v ON v.id = p.villageId WHERE p.rowid IN (SELECT value FROM json_each(?))',
  ).all(JSON.stringify(rowids)) as (Row & { __rid: number })[]
  return { total, rows: toPatrols(ctx, inRowidOrder(rowids, rows)) }
}
