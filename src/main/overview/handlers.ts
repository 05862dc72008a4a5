import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import type { Overview } from '../../shared/overview/schema'

/** Fixed statements (the program chooses their shape): counts by month, category and status for one year. */
export function overview(ctx: Ctx, year: number): Overview {
  const range = { from: `${year}-01-01`, to: `${year}-12-31` }
  const months = prepared(
    ctx.db,
    `SELECT CAST(substr(date, 6, 2) AS INTEGER) AS m, count(*) AS n FROM patrols
     WHERE deletedAt IS NULL AND date BETWEEN @from AND @to GROUP BY m`,
  ).all(range) as { m: number; n: number }[]
  const patrolsByMonth = Array.from({ length: 12 }, () => 0)
  for (const r of months) if (r.m >= 1 && r.m <= 12) patrolsByMonth[r.m - 1] = r.n
  const grouped = (table: string, dateCol: string) =>
    (
      prepared(
        ctx.db,
        `SELECT category, status, count(*) AS count FROM ${table}
         WHERE deletedAt IS NULL AND ${dateCol} BETWEEN @from AND @to GROUP BY category, status`,
      ).all(range) as { category: string; status: string; count: number }[]
    ).map((r) => ({ ...r }))
  return { year, patrolsByMonth, cases: grouped('mediation_cases', 'receivedOn'), hazards: grouped('hazards', 'foundOn') }
}

export const overviewHandlers: HandlerMap<'overview.charts'> = {
  'overview.charts': (input, ctx) => overview(ctx, input.year),
}
