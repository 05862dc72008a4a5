import { checkApplies, type Check, type CheckOp, type Criterion, type StandardSet, type TargetKind } from '../../shared/checklist/catalog'
import { checksFor } from '../../shared/checklist/checks'
import { metrics } from '../../shared/checklist/metrics'
import type {
  CheckResult,
  CheckStatus,
  ChecklistEntry,
  ChecklistTarget,
  CriterionResult,
  CriterionStatus,
  Evaluation,
  Rollup,
} from '../../shared/checklist/schema'
import { criterionStatusLabels } from '../../shared/checklist/schema'
import { ApiError } from '../../shared/errors'
import type { Township } from '../../shared/org/schema'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import type { ChecklistEntriesTable } from './table'
import { YearFigures, type Figure, type VillageRow } from './figures'
import { recordsFor } from './records'

/**
 * The checklist engine: for a set, a year and (optionally) one target, every criterion of every
 * target is met (every applicable check passes), unmet (one fails), unknown (one has no data or no
 * answer yet) or 不适用 (marked so with a reason, or no check applies). Figures come from YearFigures
 * (grouped SQL, once per year); answers from checklist_entries. A value is the answer of its own
 * criterion, or of another criterion's survey only where the clerk linked it.
 */

const EPS = 1e-9

export function compare(figure: number, op: CheckOp, threshold: number): boolean {
  switch (op) {
    case '>=':
      return figure >= threshold - EPS
    case '<=':
      return figure <= threshold + EPS
    case '=':
      return Math.abs(figure - threshold) <= EPS
    case '>':
      return figure > threshold + EPS
    case '<':
      return figure < threshold - EPS
  }
}

interface GridRow {
  id: string
  name: string
  villageId: string
  households: number
}
interface UnitRow {
  id: string
  name: string
  kind: string
  villageId: string | null
  headcount: number
}
interface FamilyRow {
  id: string
  name: string
  villageId: string
}

export function entryFromRow(r: ChecklistEntriesTable): ChecklistEntry {
  const na = JSON.parse(r.notApplicable) as string[]
  return {
    id: r.id,
    criterionId: r.criterionId,
    targetId: r.targetId,
    year: r.year,
    attested: r.attested === null ? null : r.attested === 1,
    attestations: JSON.parse(r.attestations || '{}') as ChecklistEntry['attestations'],
    values: JSON.parse(r.figures) as Record<string, number>,
    surveys: JSON.parse(r.surveys || '{}') as ChecklistEntry['surveys'],
    links: JSON.parse(r.links || '{}') as ChecklistEntry['links'],
    notApplicable: na.includes('*'),
    notApplicableKeys: na.filter((k) => k !== '*'),
    notApplicableReason: r.notApplicableReason ?? '',
    note: r.note,
    evidence: r.evidence,
    updatedAt: r.updatedAt,
  }
}

/**
 * Everything a year's evaluation reads, loaded once: the organisation, the answers of the year, and
 * the lazily computed register figures. One instance can evaluate several sets (the bench, the
 * dossier) without computing a figure twice.
 */
export class YearData {
  readonly township: Township
  readonly villages: VillageRow[]
  readonly grids: GridRow[]
  readonly units: UnitRow[]
  readonly families: FamilyRow[]
  readonly villageName: Map<string, string>
  readonly figures: YearFigures
  /** `${criterionId}|${targetId}` → entry (every set's: a value may be linked to another set's survey) */
  readonly entries = new Map<string, ChecklistEntry>()

  constructor(
    readonly ctx: Ctx,
    readonly year: number,
  ) {
    this.township = requireTownship(ctx)
    const t = { township: this.township.code }
    this.villages = prepared(ctx.db, 'SELECT id, name, kind, households FROM villages WHERE deletedAt IS NULL AND township = @township ORDER BY name').all(t) as VillageRow[]
    this.grids = prepared(ctx.db, 'SELECT id, name, villageId, households FROM grids WHERE deletedAt IS NULL AND township = @township ORDER BY name').all(t) as GridRow[]
    this.units = prepared(ctx.db, 'SELECT id, name, kind, villageId, headcount FROM units WHERE deletedAt IS NULL AND township = @township ORDER BY name').all(t) as UnitRow[]
    this.families = prepared(
      ctx.db,
      'SELECT id, name, villageId FROM families WHERE deletedAt IS NULL AND township = @township AND declaredOn <= @to ORDER BY name',
    ).all({ ...t, to: `${year}-12-31` }) as FamilyRow[]
    this.villageName = new Map(this.villages.map((v) => [v.id, v.name]))
    this.figures = new YearFigures(
      ctx,
      year,
      this.township.code,
      this.villages,
      new Map(this.grids.map((g) => [g.id, g.households])),
      new Map(this.units.map((u) => [u.id, u.headcount])),
    )
    const rows = prepared(ctx.db, 'SELECT * FROM checklist_entries WHERE township = @township AND year = @year AND deletedAt IS NULL').all({
      ...t,
      year,
    }) as ChecklistEntriesTable[]
    for (const r of rows) {
      const e = entryFromRow(r)
      this.entries.set(`${e.criterionId}|${e.targetId}`, e)
    }
  }
}

const unitKindSet = new Set(['school', 'hospital', 'market', 'scenic', 'enterprise', 'property', 'business', 'association'])

/** the unit kinds a target kind of the set covers; null: every unit (cunju's 平安单位) */
function unitKindsOf(set: StandardSet, kind: TargetKind): readonly string[] | null {
  const listed = set.targets.find((t) => t.id === kind)?.unitKinds
  if (listed) return listed
  if (kind === 'unit') return null
  return unitKindSet.has(kind) ? [kind] : []
}
/** kinds a `common` criterion is never evaluated for: goals of the whole township */
const notCommon = new Set<TargetKind>(['common', 'township', 'street'])

/**
 * The least patrol team a village of `entity` kind must have under the loaded standard sets: the
 * highest threshold of `metric` among the checks its targets are evaluated against — patrolTeamSize
 * for the whole team (专兼职: liuda's 6), fulltimePatrolTeamSize for its 专职 members (cunju: 6 for a 村,
 * 8 for a 社区) — or null when no set asks.
 */
export function patrolTeamMinimum(
  sets: StandardSet[],
  entity: string,
  metric: 'patrolTeamSize' | 'fulltimePatrolTeamSize' = 'patrolTeamSize',
): number | null {
  let min: number | null = null
  for (const set of sets)
    for (const k of kindsOf(set)) {
      if (!villageIsTarget(set, k.kind, k.label, entity)) continue
      for (const c of k.criteria)
        for (const check of c.checks) {
          if (check.kind !== 'metric' || check.metric !== metric || !checkApplies(check, k.kind)) continue
          const need = check.op === '>=' ? check.threshold : check.op === '>' ? check.threshold + 1 : null
          if (need !== null && (min === null || need > min)) min = need
        }
    }
  return min
}

/** the set's concrete target kinds (not `common`) and, for each, the criteria its targets are checked against */
export function kindsOf(set: StandardSet): { kind: TargetKind; label: string; criteria: Criterion[] }[] {
  const hasCommon = set.targets.some((t) => t.id === 'common')
  const common = set.criteria.filter((c) => c.target === 'common')
  return set.targets
    .filter((t) => t.id !== 'common')
    .map((t) => ({
      kind: t.id,
      label: t.label,
      criteria: [...(hasCommon && !notCommon.has(t.id) ? common : []), ...set.criteria.filter((c) => c.target === t.id)],
    }))
}

/**
 * Whether a village of `entity` kind is a target of `kind`. `village` means villages of kind 'village',
 * except in a set that lists no `community` target but labels its village target 村（社区）
 * (liuda-2015's 平安村（社区）), where communities are village targets too.
 */
export function villageIsTarget(set: StandardSet, kind: TargetKind, label: string, entity: string): boolean {
  if (kind === 'community') return entity === 'community'
  if (kind !== 'village') return false
  return entity === 'village' || (label.includes('社区') && !set.targets.some((t) => t.id === 'community'))
}

/** The concrete targets of a kind (see villageIsTarget for villages and communities). */
export function targetsOfKind(set: StandardSet, kind: TargetKind, label: string, d: YearData): ChecklistTarget[] {
  const base = { kind, unitKind: null as string | null }
  const villageTarget = (v: VillageRow): ChecklistTarget => ({ ...base, id: v.id, name: v.name, villageId: v.id, villageName: v.name, entity: v.kind })
  const unitTarget = (u: UnitRow): ChecklistTarget => ({
    ...base,
    id: u.id,
    name: u.name,
    villageId: u.villageId,
    villageName: u.villageId ? (d.villageName.get(u.villageId) ?? null) : null,
    entity: 'unit',
    unitKind: u.kind,
  })
  switch (kind) {
    case 'village':
    case 'community':
      return d.villages.filter((v) => villageIsTarget(set, kind, label, v.kind)).map(villageTarget)
    case 'grid':
      return d.grids.map((g) => ({ ...base, id: g.id, name: g.name, villageId: g.villageId, villageName: d.villageName.get(g.villageId) ?? null, entity: 'grid' as const }))
    case 'family':
      return d.families.map((f) => ({ ...base, id: f.id, name: f.name, villageId: f.villageId, villageName: d.villageName.get(f.villageId) ?? null, entity: 'family' as const }))
    case 'township':
    case 'street':
      return [{ ...base, id: d.township.code, name: d.township.name, villageId: null, villageName: null, entity: 'township' }]
    case 'common':
      return []
    default: {
      const kinds = unitKindsOf(set, kind)
      return (kinds === null ? d.units : d.units.filter((u) => kinds.includes(u.kind))).map(unitTarget)
    }
  }
}

/** grids, units and families first; then villages (whose 创建率 counts them); then the township */
function level(t: ChecklistTarget): number {
  return t.entity === 'township' ? 2 : t.entity === 'village' || t.entity === 'community' ? 1 : 0
}

/** a criterion from its checks: one failing → unmet; one open → unknown; none applying → 不适用 */
function criterionStatus(statuses: CheckStatus[]): CriterionStatus {
  if (statuses.includes('fail')) return 'unmet'
  if (statuses.includes('unknown')) return 'unknown'
  return statuses.every((s) => s === 'na') ? 'na' : 'met'
}

/** a target from its criteria: 不适用 ones are left out, never counted as met */
function overallStatus(statuses: CriterionStatus[]): CriterionStatus {
  if (statuses.includes('unmet')) return 'unmet'
  if (statuses.includes('unknown')) return 'unknown'
  return statuses.length > 0 && statuses.every((s) => s === 'na') ? 'na' : 'met'
}

function rate(n: number, d: number): number | null {
  return d === 0 ? null : n / d
}

type RollupMetric = 'creationRate' | 'passRate' | 'passShare'

interface Row {
  target: ChecklistTarget
  participating: boolean
  status: CriterionStatus
}

export interface EvaluateOptions {
  targetId?: string
}

export function evaluateSet(d: YearData, set: StandardSet, opts: EvaluateOptions = {}): Evaluation {
  const prefix = `${set.id}.`
  const kinds = kindsOf(set)
  const perKind = kinds.map((k) => ({ ...k, targets: targetsOfKind(set, k.kind, k.label, d) }))
  const all: { target: ChecklistTarget; criteria: Criterion[] }[] = []
  for (const k of perKind) for (const t of k.targets) all.push({ target: t, criteria: k.criteria })
  if (opts.targetId !== undefined && !all.some((x) => x.target.id === opts.targetId))
    throw new ApiError('not_found', '该创建对象不在这个标准集的创建对象中（可能已被删除）', 'targetId')

  const participating = new Set<string>()
  for (const e of d.entries.values()) if (e.criterionId.startsWith(prefix)) participating.add(e.targetId)

  const rows = new Map<string, Row>()
  const results: CriterionResult[] = []
  const order = [...all].sort((a, b) => level(a.target) - level(b.target))

  /**
   * 创建率 / 达标率 / 达标占比 over the targets a goal speaks of, from the statuses so far: for a village,
   * its grids and units (平安村(社区)、平安单位 — never its 平安家庭); for the township, every target of
   * the set below it. A target whose every criterion is 不适用 is in neither side of a pass measure.
   */
  const area = (t: ChecklistTarget, which: RollupMetric): Figure & { scope: Row[] } => {
    const lv = level(t)
    const scope: Row[] = []
    for (const r of rows.values()) {
      if (level(r.target) >= lv) continue
      if (lv === 2 || (r.target.villageId === t.id && r.target.entity !== 'family')) scope.push(r)
    }
    const joined = scope.filter((r) => r.participating)
    if (which === 'creationRate') return { figure: rate(joined.length, scope.length), numerator: joined.length, denominator: scope.length, scope }
    const over = (which === 'passRate' ? joined : scope).filter((r) => r.status !== 'na')
    const met = over.filter((r) => r.status === 'met').length
    return { figure: rate(met, over.length), numerator: met, denominator: over.length, scope }
  }

  for (const { target, criteria } of order) {
    const statuses: CriterionStatus[] = []
    const detailed = opts.targetId === target.id
    for (const c of criteria) {
      const applicable = checksFor(c, target.kind, target.entity)
      if (applicable.length === 0) continue
      const entry = d.entries.get(`${c.id}|${target.id}`) ?? null
      const checks: CheckResult[] = applicable.map(({ check, index, entered }) => {
        const r = evalCheck(d, check, index, target, entry, area, detailed)
        if (entered) r.entered = true
        if (check.kind === 'value' && entered) r.metric = check.key as CheckResult['metric']
        if (check.words) r.words = check.words
        return r
      })
      const whole = entry?.notApplicable === true
      if (whole)
        for (const k of checks) {
          k.status = 'na'
          k.reason = entry.notApplicableReason || '整条标为不适用'
        }
      const status = whole ? 'na' : criterionStatus(checks.map((k) => k.status))
      statuses.push(status)
      if (opts.targetId === undefined || detailed) results.push({ criterionId: c.id, targetId: target.id, status, notApplicable: whole, checks, entry })
    }
    rows.set(target.id, { target, participating: participating.has(target.id), status: overallStatus(statuses) })
  }

  const rollupOf = (kind: Rollup['kind'], label: string, rs: Row[]): Rollup => {
    const joined = rs.filter((r) => r.participating)
    const met = joined.filter((r) => r.status === 'met').length
    const na = joined.filter((r) => r.status === 'na').length
    return {
      kind,
      label,
      total: rs.length,
      participating: joined.length,
      met,
      unmet: joined.filter((r) => r.status === 'unmet').length,
      unknown: joined.filter((r) => r.status === 'unknown').length,
      notApplicable: na,
      notStarted: rs.length - joined.length,
      creationRate: rate(joined.length, rs.length),
      passRate: rate(met, joined.length - na),
    }
  }
  const rowsOf = (ts: ChecklistTarget[]) => ts.map((t) => rows.get(t.id)!)
  const rollups = perKind.map((k) => rollupOf(k.kind, k.label, rowsOf(k.targets)))
  const overall = rollupOf(
    'overall',
    '全部创建对象',
    perKind.filter((k) => k.kind !== 'township').flatMap((k) => rowsOf(k.targets)),
  )

  const targetStatus: Record<string, CriterionStatus> = {}
  for (const [id, r] of rows) if (opts.targetId === undefined || id === opts.targetId) targetStatus[id] = r.status

  return {
    setId: set.id,
    title: set.title,
    year: d.year,
    kinds: kinds.map((k) => ({ kind: k.kind, label: k.label, criterionIds: k.criteria.map((c) => c.id) })),
    targets: opts.targetId === undefined ? all.map((x) => x.target) : all.filter((x) => x.target.id === opts.targetId).map((x) => x.target),
    results,
    targetStatus,
    rollups,
    overall,
  }

  function evalCheck(
    data: YearData,
    check: Check,
    index: number,
    target: ChecklistTarget,
    entry: ChecklistEntry | null,
    areaOf: typeof area,
    detailed: boolean,
  ): CheckResult {
    const words = check.words ? { words: check.words } : {}
    const naKey = check.kind !== 'metric' && check.key !== undefined && entry?.notApplicableKeys.includes(check.key) === true
    const naReason = entry?.notApplicableReason || '标为不适用'
    if (check.kind === 'attest') {
      const base = { index, kind: 'attest' as const, label: check.label, ...(check.key ? { key: check.key } : {}), ...words }
      if (naKey) return { ...base, status: 'na', figure: null, attested: null, reason: naReason }
      const attested = (check.key === undefined ? entry?.attested : entry?.attestations[check.key]) ?? null
      return { ...base, status: attested === null ? 'unknown' : attested ? 'pass' : 'fail', figure: null, attested }
    }
    if (check.kind === 'value') {
      const base = { index, kind: 'value' as const, label: check.label, key: check.key, op: check.op, threshold: check.threshold, ...(check.unit ? { unit: check.unit } : {}), ...words }
      if (naKey) return { ...base, status: 'na', figure: null, reason: naReason }
      const judge = (v: number): CheckStatus => (compare(v, check.op, check.threshold) ? 'pass' : 'fail')
      const link = entry?.links[check.key]
      if (link) {
        // the clerk's explicit link: the other criterion's surveyed value, for the same target and year
        const from = { valueFrom: link.criterionId, valueFromKey: link.key }
        const src = data.entries.get(`${link.criterionId}|${target.id}`)
        const v = src?.values[link.key]
        const survey = src?.surveys[link.key]
        if (v === undefined || survey === undefined) return { ...base, ...from, status: 'unknown', figure: null }
        return { ...base, ...from, survey, status: judge(v), figure: v }
      }
      const own = entry?.values[check.key]
      const survey = entry?.surveys[check.key]
      if (own !== undefined) return { ...base, ...(survey ? { survey } : {}), status: judge(own), figure: own }
      return { ...base, ...(survey ? { survey } : {}), status: 'unknown', figure: null }
    }
    const def = metrics[check.metric]
    const base = { index, kind: 'metric' as const, label: check.label, metric: check.metric, op: check.op, threshold: check.threshold, unit: def.unit }
    let f: Figure
    let scope: Row[] | null = null
    if (check.metric === 'creationRate' || check.metric === 'passRate' || check.metric === 'passShare') {
      if (target.entity === 'village' || target.entity === 'community' || target.entity === 'township') {
        const a = areaOf(target, check.metric)
        f = a
        scope = a.scope
      } else f = { figure: null }
    } else f = data.figures.metric(check.metric, target)
    const status: CheckStatus = f.na ? 'na' : f.figure === null ? 'unknown' : compare(f.figure, check.op, check.threshold) ? 'pass' : 'fail'
    const out: CheckResult = { ...base, ...words, status, figure: f.figure, ...(f.na && f.reason ? { reason: f.reason } : {}) }
    if (f.numerator !== undefined) out.numerator = f.numerator
    if (f.denominator !== undefined) out.denominator = f.denominator
    if (detailed) {
      const recs =
        scope !== null
          ? {
              records: scope.slice(0, 500).map((r) => ({
                table: 'targets' as const,
                id: r.target.id,
                title: r.target.name,
                detail: r.participating ? criterionStatusLabels[r.status] : '未参加自查',
                counted: check.metric === 'creationRate' ? r.participating : r.status === 'met',
              })),
              total: scope.length,
            }
          : recordsFor(data, check.metric, target, check)
      out.records = recs.records
      out.recordsTotal = recs.total
    }
    return out
  }
}

/** Evaluates one set for a year (a fresh YearData unless one is handed in). */
export function evaluate(ctx: Ctx, set: StandardSet, year: number, opts: EvaluateOptions & { data?: YearData } = {}): Evaluation {
  const d = opts.data ?? new YearData(ctx, year)
  return evaluateSet(d, set, opts)
}
