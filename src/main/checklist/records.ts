import type { MetricCheck } from '../../shared/checklist/catalog'
import type { MetricName } from '../../shared/checklist/metrics'
import type { ChecklistTarget, CountedRecord } from '../../shared/checklist/schema'
import { caseStatusLabels, fulfillmentLabels } from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels } from '../../shared/aftercare/schema'
import { overlapsYear, periodsText, type LostContactPeriod } from '../../shared/aftercare/lostContact'
import { roleLabels, type Role } from '../../shared/domain'
import { prepared } from '../db/query'
import type { YearData } from './evaluate'
import { YearFigures } from './figures'

/**
 * The records behind a metric for one target and year — what the clerk opens a cell to see (the
 * cases behind 调解成功率, the people behind 帮教率, the members behind 巡防队员人数). Only read when a
 * single target is evaluated. The selection is the same as the rate's (DESIGN §3).
 */

const LIMIT = 500

interface Out {
  records: CountedRecord[]
  total: number
}

interface CaseRow {
  id: string
  caseNo: string
  summary: string
  status: string
  fulfillment: string | null
  receivedOn: string
}

interface PersonRow {
  id: string
  name: string
  kind: string
  helpers: number
  visits: number
  placement: string
  reoffendedOn: string | null
  lostContactPeriods: string
}

/** the people a metric counts: the kind its text names, or everyone */
const personKindOf: Partial<Record<MetricName, 'released' | 'community_correction'>> = {
  releasedAftercareRate: 'released',
  releasedPlacementRate: 'released',
  releasedRecidivismRate: 'released',
  correctionLostContactCount: 'community_correction',
}

function label<T extends string>(labels: Record<T, string>, v: string | null): string {
  return v === null ? '' : ((labels as Record<string, string>)[v] ?? v)
}

function cases(d: YearData, village: string | null, metric: MetricName): Out {
  const where =
    metric === 'mediationSuccessRate' ? ` AND status IN ('success','failed')` : metric === 'mediationFulfillmentRate' ? ` AND status = 'success'` : ''
  const p = { from: `${d.year}-01-01`, to: `${d.year}-12-31`, township: d.township.code, ...(village ? { village } : {}) }
  const base = `FROM mediation_cases WHERE receivedOn BETWEEN @from AND @to AND deletedAt IS NULL AND township = @township${village ? ' AND villageId = @village' : ''}${where}`
  const total = (prepared(d.ctx.db, `SELECT count(*) AS n ${base}`).get(p) as { n: number }).n
  const rows = prepared(d.ctx.db, `SELECT id, caseNo, summary, status, fulfillment, receivedOn ${base} ORDER BY receivedOn, caseNo LIMIT ${LIMIT}`).all(p) as CaseRow[]
  return {
    total,
    records: rows.map((r) => ({
      table: 'mediation_cases',
      id: r.id,
      title: `${r.caseNo} ${r.summary.slice(0, 40)}`,
      detail: [`${r.receivedOn}受理`, label(caseStatusLabels, r.status), r.status === 'success' ? label(fulfillmentLabels, r.fulfillment) || '履行情况未填' : ''].filter(Boolean).join('，'),
      counted:
        metric === 'mediationRate' ? r.status !== 'pending' : metric === 'mediationSuccessRate' ? r.status === 'success' : r.fulfillment === 'fulfilled',
    })),
  }
}

function people(d: YearData, village: string | null, metric: MetricName): Out {
  const kind = personKindOf[metric]
  const p = { from: `${d.year}-01-01`, to: `${d.year}-12-31`, township: d.township.code, ...(village ? { village } : {}), ...(kind ? { kind } : {}) }
  const base = `FROM aftercare_people a WHERE a.releasedOn <= @to AND a.aftercareUntil >= @from AND a.deletedAt IS NULL AND a.township = @township${village ? ' AND a.villageId = @village' : ''}${kind ? ' AND a.kind = @kind' : ''}`
  const total = (prepared(d.ctx.db, `SELECT count(*) AS n ${base}`).get(p) as { n: number }).n
  const rows = prepared(
    d.ctx.db,
    `SELECT a.id, a.name, a.kind, json_array_length(a.helperIds) AS helpers, a.placement, a.reoffendedOn, a.lostContactPeriods,
       (SELECT count(*) FROM aftercare_visits w WHERE w.personId = a.id AND w.date BETWEEN @from AND @to AND w.deletedAt IS NULL) AS visits
     ${base} ORDER BY a.name LIMIT ${LIMIT}`,
  ).all(p) as PersonRow[]
  return {
    total,
    records: rows.map((r) => {
      const reoffended = r.reoffendedOn !== null && r.reoffendedOn >= p.from && r.reoffendedOn <= p.to
      const lost = (JSON.parse(r.lostContactPeriods || '[]') as LostContactPeriod[]).filter((x) => overlapsYear(x, d.year))
      const counted =
        metric === 'aftercareRate' || metric === 'releasedAftercareRate'
          ? r.helpers > 0 && r.visits > 0
          : metric === 'placementRate' || metric === 'releasedPlacementRate'
            ? r.placement !== 'unplaced'
            : metric === 'recidivismRate' || metric === 'releasedRecidivismRate'
              ? reoffended
              : lost.length > 0
      const detail = [
        label(aftercareKindLabels, r.kind),
        r.helpers > 0 ? `帮教人员${r.helpers}名` : '无帮教人员',
        `当年走访${r.visits}次`,
        label(placementLabels, r.placement),
        reoffended ? `${r.reoffendedOn}重新犯罪` : '',
        lost.length ? `脱管漏管${periodsText(lost)}` : '',
      ]
      return { table: 'aftercare_people' as const, id: r.id, title: r.name, detail: detail.filter(Boolean).join('，'), counted }
    }),
  }
}

function members(d: YearData, col: 'villageId' | 'gridId' | 'unitId', id: string, roles: Role[]): Out {
  const p = { from: `${d.year}-01-01`, to: `${d.year}-12-31`, id, roles: JSON.stringify(roles) }
  const rows = prepared(
    d.ctx.db,
    `SELECT m.id, m.name, m.roles FROM members m WHERE m.${col} = @id AND m.deletedAt IS NULL AND m.joinedOn <= @to AND (m.leftOn IS NULL OR m.leftOn >= @from)
       AND EXISTS (SELECT 1 FROM json_each(m.roles) r WHERE r.value IN (SELECT value FROM json_each(@roles)))
     ORDER BY m.name`,
  ).all(p) as { id: string; name: string; roles: string }[]
  return {
    total: rows.length,
    records: rows.slice(0, LIMIT).map((r) => ({
      table: 'members' as const,
      id: r.id,
      title: r.name,
      detail: (JSON.parse(r.roles) as Role[]).map((x) => roleLabels[x] ?? x).join('、'),
      counted: true,
    })),
  }
}

export function recordsFor(d: YearData, metric: MetricName, t: ChecklistTarget, check: MetricCheck): Out {
  const village = YearFigures.scopeVillage(t)
  switch (metric) {
    case 'mediationRate':
    case 'mediationSuccessRate':
    case 'mediationFulfillmentRate':
      return cases(d, village, metric)
    case 'aftercareRate':
    case 'placementRate':
    case 'recidivismRate':
    case 'lostContactCount':
    case 'releasedAftercareRate':
    case 'releasedPlacementRate':
    case 'releasedRecidivismRate':
    case 'correctionLostContactCount':
      return people(d, village, metric)
    case 'patrolTeamSize':
      return village ? members(d, 'villageId', village, ['patrol_fulltime', 'patrol_parttime']) : { records: [], total: 0 }
    case 'fulltimePatrolTeamSize':
      return village ? members(d, 'villageId', village, ['patrol_fulltime']) : { records: [], total: 0 }
    case 'associationRatio':
      return village ? members(d, 'villageId', village, ['association_member']) : { records: [], total: 0 }
    case 'redArmbandRatio':
      return t.entity === 'grid' ? members(d, 'gridId', t.id, ['red_armband']) : { records: [], total: 0 }
    case 'guardCount':
    case 'guardSufficiency':
      return t.entity === 'unit' ? members(d, 'unitId', t.id, ['guard']) : { records: [], total: 0 }
    case 'villagePatrolTeamMin':
    case 'communityPatrolTeamMin':
    case 'villageFulltimePatrolMin':
    case 'communityFulltimePatrolMin': {
      const kind = metric === 'villagePatrolTeamMin' || metric === 'villageFulltimePatrolMin' ? 'village' : 'community'
      const fulltime = metric === 'villageFulltimePatrolMin' || metric === 'communityFulltimePatrolMin'
      const p = fulltime ? d.figures.fulltime() : d.figures.patrol()
      const vs = d.villages.filter((v) => v.kind === kind)
      return {
        total: vs.length,
        records: vs.slice(0, LIMIT).map((v) => {
          const n = p.get(v.id) ?? 0
          return { table: 'villages' as const, id: v.id, title: v.name, detail: `${fulltime ? '专职' : ''}巡防队员${n}人`, counted: n >= check.threshold }
        }),
      }
    }
    case 'hazardRectificationRate':
    case 'hazardOverdueCount':
    case 'hazardOpenCount':
    case 'openFireHazardCount':
      return d.figures.hazards().records(metric, t, village)
    case 'creationRate':
    case 'passRate':
    case 'passShare':
      return { records: [], total: 0 }
  }
}
