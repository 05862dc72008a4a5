import { requiredGuards, type MetricName } from '../../shared/checklist/metrics'
import type { ChecklistTarget } from '../../shared/checklist/schema'
import type { PersonKind, PersonKindCounts, PersonKindRates, Rates, RateCounts } from '../../shared/stats/rates'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { computeRatesByVillage } from '../stats/rates'
import { HazardFigures } from './hazards'

/**
 * The registers' figures for one year, each computed once for every target at the same time with a
 * grouped query (never per criterion or per target). The rate definitions are the stats module's
 * (DESIGN §3); this file only picks the right scope for a target.
 */

export interface Figure {
  figure: number | null
  numerator?: number
  denominator?: number
  /** the check does not apply (e.g. the minimum over communities when there is no community) */
  na?: boolean
  /** why it does not apply */
  reason?: string
}

/** 专兼职: both patrol roles; 专职: full-time only */
const PATROL_ROLES = `('patrol_fulltime','patrol_parttime')`
const FULLTIME_ROLES = `('patrol_fulltime')`

/** "active in year Y": joined by 31 Dec and not left before 1 Jan (metrics.ts) */
const ACTIVE = `m.deletedAt IS NULL AND m.joinedOn <= @to AND (m.leftOn IS NULL OR m.leftOn >= @from)`

function countBy(ctx: Ctx, year: number, township: string, col: 'villageId' | 'gridId' | 'unitId', roleList: string): Map<string, number> {
  const rows = prepared(
    ctx.db,
    `SELECT m.${col} AS k, count(*) AS n FROM members m
     WHERE ${ACTIVE} AND m.township = @township AND m.${col} IS NOT NULL
       AND EXISTS (SELECT 1 FROM json_each(m.roles) r WHERE r.value IN ${roleList})
     GROUP BY m.${col}`,
  ).all({ from: `${year}-01-01`, to: `${year}-12-31`, township }) as { k: string; n: number }[]
  return new Map(rows.map((r) => [r.k, r.n]))
}

export interface VillageRow {
  id: string
  name: string
  kind: 'village' | 'community'
  households: number
}

/** Lazily computed, memoised figures for a year; one instance may serve several sets. */
export class YearFigures {
  private ratesCache: { byVillage: Map<string, Rates>; total: Rates } | null = null
  private patrolCache: Map<string, number> | null = null
  private fulltimeCache: Map<string, number> | null = null
  private assocCache: Map<string, number> | null = null
  private armbandCache: Map<string, number> | null = null
  private guardCache: Map<string, number> | null = null
  private villageById: Map<string, VillageRow>
  private hazardCache: HazardFigures | null = null

  constructor(
    readonly ctx: Ctx,
    readonly year: number,
    readonly township: string,
    /** live villages and communities of the township */
    readonly villages: VillageRow[],
    /** households of each grid, headcount of each unit */
    readonly gridHouseholds: Map<string, number>,
    readonly unitHeadcount: Map<string, number>,
  ) {
    this.villageById = new Map(villages.map((v) => [v.id, v]))
  }

  rates(): { byVillage: Map<string, Rates>; total: Rates } {
    if (!this.ratesCache) {
      const r = computeRatesByVillage(this.ctx, { year: this.year, township: this.township })
      this.ratesCache = { byVillage: new Map(r.rows.map((x) => [x.villageId, x])), total: r.total }
    }
    return this.ratesCache
  }

  patrol(): Map<string, number> {
    return (this.patrolCache ??= countBy(this.ctx, this.year, this.township, 'villageId', PATROL_ROLES))
  }

  fulltime(): Map<string, number> {
    return (this.fulltimeCache ??= countBy(this.ctx, this.year, this.township, 'villageId', FULLTIME_ROLES))
  }

  association(): Map<string, number> {
    return (this.assocCache ??= countBy(this.ctx, this.year, this.township, 'villageId', `('association_member')`))
  }

  armband(): Map<string, number> {
    return (this.armbandCache ??= countBy(this.ctx, this.year, this.township, 'gridId', `('red_armband')`))
  }

  guards(): Map<string, number> {
    return (this.guardCache ??= countBy(this.ctx, this.year, this.township, 'unitId', `('guard')`))
  }

  hazards(): HazardFigures {
    return (this.hazardCache ??= new HazardFigures(this.ctx, this.year, this.township))
  }

  /** the village a target's area figures are taken from; null = the whole township */
  static scopeVillage(t: ChecklistTarget): string | null {
    return t.entity === 'village' || t.entity === 'community' ? t.id : t.entity === 'township' ? null : t.villageId
  }

  private ratesFor(t: ChecklistTarget): Rates | null {
    const r = this.rates()
    const v = YearFigures.scopeVillage(t)
    if (v === null) return r.total
    return r.byVillage.get(v) ?? null
  }

  private patrolMin(kind: 'village' | 'community', counts: Map<string, number>): Figure {
    const of = this.villages.filter((v) => v.kind === kind)
    if (of.length === 0) return { figure: null, na: true, reason: kind === 'village' ? '本乡镇（街道）没有村' : '本乡镇（街道）没有社区' }
    return { figure: Math.min(...of.map((v) => counts.get(v.id) ?? 0)) }
  }

  /** a metric's figure for a target (creationRate/passRate/passShare are computed by the evaluator) */
  metric(name: Exclude<MetricName, 'creationRate' | 'passRate' | 'passShare'>, t: ChecklistTarget): Figure {
    const rateOf = (pick: (r: Rates) => number | null, num: (c: RateCounts) => number, den: (c: RateCounts) => number): Figure => {
      const r = this.ratesFor(t)
      if (!r) return { figure: null, numerator: 0, denominator: 0 }
      return { figure: pick(r), numerator: num(r.counts), denominator: den(r.counts) }
    }
    // the people the text names: 刑满释放人员 (released) or 社区矫正对象 (community_correction)
    const kindRate = (kind: PersonKind, pick: (r: PersonKindRates) => number | null, num: (c: PersonKindCounts) => number): Figure => {
      const r = this.ratesFor(t)?.byKind[kind]
      if (!r) return { figure: null, numerator: 0, denominator: 0 }
      return { figure: pick(r), numerator: num(r.counts), denominator: r.counts.underAftercare }
    }
    const lostInYear = (kinds: readonly PersonKind[]): Figure => {
      const r = this.ratesFor(t)
      return { figure: r ? kinds.reduce((n, k) => n + r.byKind[k].counts.lostContactInYear, 0) : 0 }
    }
    switch (name) {
      case 'patrolTeamSize':
      case 'fulltimePatrolTeamSize': {
        const v = YearFigures.scopeVillage(t)
        return v === null ? { figure: null } : { figure: (name === 'patrolTeamSize' ? this.patrol() : this.fulltime()).get(v) ?? 0 }
      }
      case 'villagePatrolTeamMin':
        return this.patrolMin('village', this.patrol())
      case 'communityPatrolTeamMin':
        return this.patrolMin('community', this.patrol())
      case 'villageFulltimePatrolMin':
        return this.patrolMin('village', this.fulltime())
      case 'communityFulltimePatrolMin':
        return this.patrolMin('community', this.fulltime())
      case 'mediationRate':
        return rateOf((r) => r.mediationRate, (c) => c.casesMediated, (c) => c.casesReceived)
      case 'mediationSuccessRate':
        return rateOf((r) => r.mediationSuccessRate, (c) => c.casesSuccess, (c) => c.casesSuccess + c.casesFailed)
      case 'mediationFulfillmentRate':
        return rateOf((r) => r.mediationFulfillmentRate, (c) => c.casesFulfilled, (c) => c.casesSuccess)
      case 'aftercareRate':
        return rateOf((r) => r.aftercareRate, (c) => c.helped, (c) => c.underAftercare)
      case 'placementRate':
        return rateOf((r) => r.placementRate, (c) => c.placed, (c) => c.underAftercare)
      case 'recidivismRate':
        return rateOf((r) => r.recidivismRate, (c) => c.reoffended, (c) => c.underAftercare)
      case 'lostContactCount':
        return lostInYear(['released', 'community_correction'])
      case 'releasedAftercareRate':
        return kindRate('released', (r) => r.aftercareRate, (c) => c.helped)
      case 'releasedPlacementRate':
        return kindRate('released', (r) => r.placementRate, (c) => c.placed)
      case 'releasedRecidivismRate':
        return kindRate('released', (r) => r.recidivismRate, (c) => c.reoffended)
      case 'correctionLostContactCount':
        return lostInYear(['community_correction'])
      case 'redArmbandRatio': {
        if (t.entity !== 'grid') return { figure: null }
        const n = this.armband().get(t.id) ?? 0
        const h = this.gridHouseholds.get(t.id) ?? 0
        return { figure: h > 0 ? n / h : null, numerator: n, denominator: h }
      }
      case 'associationRatio': {
        const v = YearFigures.scopeVillage(t)
        const village = v === null ? undefined : this.villageById.get(v)
        if (!village) return { figure: null }
        const n = this.association().get(village.id) ?? 0
        return { figure: village.households > 0 ? n / village.households : null, numerator: n, denominator: village.households }
      }
      case 'hazardRectificationRate':
      case 'hazardOverdueCount':
      case 'hazardOpenCount':
      case 'openFireHazardCount':
        return this.hazards().metric(name, t, YearFigures.scopeVillage(t))
      case 'guardCount':
        return t.entity === 'unit' ? { figure: this.guards().get(t.id) ?? 0 } : { figure: null }
      case 'guardSufficiency': {
        if (t.entity !== 'unit') return { figure: null }
        const n = this.guards().get(t.id) ?? 0
        const need = requiredGuards(this.unitHeadcount.get(t.id) ?? 0)
        return need === null ? { figure: null, numerator: n } : { figure: n / need, numerator: n, denominator: need }
      }
    }
  }
}
