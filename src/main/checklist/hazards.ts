import type { ChecklistTarget, CountedRecord } from '../../shared/checklist/schema'
import { hazardCategoryOptions, hazardStatusOptions } from '../../shared/registers/hazards'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import type { Figure } from './figures'

/**
 * The hazard register's checklist figures (安全隐患排查整改). A unit is judged by its own hazards, a
 * village by the hazards in it (its units' included), the township by all. "As of" is the end of the
 * year, or today while the year runs: a hazard counts as open when it was found by then and not
 * closed by then, overdue when it is open and its deadline has passed.
 */
export type HazardMetric = 'hazardRectificationRate' | 'hazardOverdueCount' | 'hazardOpenCount' | 'openFireHazardCount'

interface Row {
  id: string
  foundOn: string
  villageId: string | null
  unitId: string | null
  location: string
  category: string
  description: string
  deadline: string | null
  closedOn: string | null
  status: string
}

export class HazardFigures {
  private rows: Row[] | null = null
  readonly asOf: string

  constructor(
    private readonly ctx: Ctx,
    private readonly year: number,
    private readonly township: string,
  ) {
    const end = `${year}-12-31`
    const today = ctx.today()
    this.asOf = today < end ? today : end
  }

  /** every live hazard found by the as-of date: a township has hundreds, not millions */
  private all(): Row[] {
    return (this.rows ??= prepared(
      this.ctx.db,
      `SELECT id, foundOn, villageId, unitId, location, category, description, deadline, closedOn, status FROM hazards
       WHERE deletedAt IS NULL AND township = @township AND foundOn <= @asOf ORDER BY foundOn, id`,
    ).all({ township: this.township, asOf: this.asOf }) as Row[])
  }

  private inScope(t: ChecklistTarget, village: string | null): Row[] {
    if (t.entity === 'unit') return this.all().filter((h) => h.unitId === t.id)
    return village === null ? this.all() : this.all().filter((h) => h.villageId === village)
  }

  private closedByAsOf = (h: Row) => h.status === 'closed' && h.closedOn !== null && h.closedOn <= this.asOf
  private isOpen = (h: Row) => !this.closedByAsOf(h)
  private isOverdue = (h: Row) => this.isOpen(h) && h.deadline !== null && h.deadline < this.asOf
  private foundInYear = (h: Row) => h.foundOn >= `${this.year}-01-01`

  /** the hazards a metric counts, and which of them count towards its figure */
  select(metric: HazardMetric, t: ChecklistTarget, village: string | null): { rows: Row[]; counted: (h: Row) => boolean } {
    const scope = this.inScope(t, village)
    switch (metric) {
      case 'hazardRectificationRate':
        return { rows: scope.filter(this.foundInYear), counted: this.closedByAsOf }
      case 'hazardOverdueCount':
        return { rows: scope.filter(this.isOverdue), counted: () => true }
      case 'hazardOpenCount':
        return { rows: scope.filter(this.isOpen), counted: () => true }
      case 'openFireHazardCount':
        return { rows: scope.filter((h) => h.category === 'fire' && this.isOpen(h)), counted: () => true }
    }
  }

  metric(metric: HazardMetric, t: ChecklistTarget, village: string | null): Figure {
    const { rows, counted } = this.select(metric, t, village)
    if (metric !== 'hazardRectificationRate') return { figure: rows.length }
    const n = rows.filter(counted).length
    return { figure: rows.length ? n / rows.length : null, numerator: n, denominator: rows.length }
  }

  records(metric: HazardMetric, t: ChecklistTarget, village: string | null): { records: CountedRecord[]; total: number } {
    const { rows, counted } = this.select(metric, t, village)
    return {
      total: rows.length,
      records: rows.slice(0, 500).map((h) => ({
        table: 'hazards' as const,
        id: h.id,
        title: `${h.location} ${(hazardCategoryOptions as Record<string, string>)[h.category] ?? h.category}隐患：${h.description.slice(0, 30)}`,
        detail: [`${h.foundOn}发现`, (hazardStatusOptions as Record<string, string>)[h.status] ?? h.status, h.closedOn ? `${h.closedOn}销号` : h.deadline ? `期限${h.deadline}` : ''].filter(Boolean).join('，'),
        counted: counted(h),
      })),
    }
  }
}
