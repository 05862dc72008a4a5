import {
  personKinds,
  ratesFromCounts,
  zeroKindCounts,
  type PersonKind,
  type PersonKindCounts,
  type RateCounts,
  type Rates,
  type VillageRates,
} from '../../shared/stats/rates'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

interface Scope {
  year: number
  villageId?: string
  township?: string
}

const CASES = `count(*) AS casesReceived,
  count(CASE WHEN status = 'pending' THEN 1 END) AS casesPending,
  count(CASE WHEN status = 'mediating' THEN 1 END) AS casesMediating,
  count(CASE WHEN status = 'success' THEN 1 END) AS casesSuccess,
  count(CASE WHEN status = 'failed' THEN 1 END) AS casesFailed,
  count(CASE WHEN status = 'referred' THEN 1 END) AS casesReferred,
  count(CASE WHEN status <> 'pending' THEN 1 END) AS casesMediated,
  count(CASE WHEN status = 'success' AND fulfillment = 'fulfilled' THEN 1 END) AS casesFulfilled`

const PEOPLE = `count(*) AS underAftercare,
  count(CASE WHEN json_array_length(a.helperIds) > 0 AND EXISTS (
    SELECT 1 FROM aftercare_visits w WHERE w.personId = a.id AND w.date BETWEEN @from AND @to AND w.deletedAt IS NULL
  ) THEN 1 END) AS helped,
  count(CASE WHEN a.placement <> 'unplaced' THEN 1 END) AS placed,
  count(CASE WHEN a.reoffendedOn BETWEEN @from AND @to THEN 1 END) AS reoffended,
  count(CASE WHEN a.lostContact = 1 THEN 1 END) AS lostContact,
  count(CASE WHEN EXISTS (
    SELECT 1 FROM json_each(a.lostContactPeriods) p
    WHERE json_extract(p.value, '$.from') <= @to AND (json_extract(p.value, '$.to') IS NULL OR json_extract(p.value, '$.to') >= @from)
  ) THEN 1 END) AS lostContactInYear`

// closed on time: the same rule as closedOnTime (shared/hazards/stage.ts), in SQL
const HAZARDS = `count(*) AS hazardsFound,
  count(CASE WHEN h.status = 'closed' THEN 1 END) AS hazardsClosed,
  count(CASE WHEN h.status = 'closed' AND (h.deadline IS NULL OR h.closedOn <= h.deadline) THEN 1 END) AS hazardsClosedOnTime`

const zero: RateCounts = {
  casesReceived: 0,
  casesPending: 0,
  casesMediating: 0,
  casesSuccess: 0,
  casesFailed: 0,
  casesReferred: 0,
  casesMediated: 0,
  casesFulfilled: 0,
  underAftercare: 0,
  helped: 0,
  placed: 0,
  reoffended: 0,
  lostContact: 0,
  hazardsFound: 0,
  hazardsClosed: 0,
  hazardsClosedOnTime: 0,
}

type Grouped = RateCounts & { villageId: string | null }
type KindRow = PersonKindCounts & { villageId: string | null; kind: PersonKind }

interface Counted {
  counts: RateCounts
  kinds: Record<PersonKind, PersonKindCounts>
}
const emptyKinds = () => Object.fromEntries(personKinds.map((k) => [k, zeroKindCounts()])) as Record<PersonKind, PersonKindCounts>

/**
 * DESIGN §3 counts for a year, in three indexed aggregate queries: cases by receivedOn in the year;
 * people under aftercare in the year (releasedOn ≤ 31 Dec, aftercareUntil ≥ 1 Jan); hazards by
 * foundOn in the year. Only the
 * conditions that apply are written into the SQL, so each variant gets its own index-friendly plan.
 */
function countRates(ctx: Ctx, s: Scope, byVillage: boolean): Map<string | null, Counted> {
  const p = { from: `${s.year}-01-01`, to: `${s.year}-12-31`, villageId: s.villageId, township: s.township }
  const extra = (t: string) =>
    (s.villageId ? ` AND ${t}.villageId = @villageId` : '') + (s.township ? ` AND ${t}.township = @township` : '')
  const params = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))
  const group = byVillage ? ' GROUP BY villageId' : ''
  const cases = prepared(
    ctx.db,
    `SELECT ${byVillage ? 'c.villageId AS villageId,' : 'NULL AS villageId,'} ${CASES} FROM mediation_cases c
     WHERE c.receivedOn BETWEEN @from AND @to AND c.deletedAt IS NULL${extra('c')}${group}`,
  ).all(params) as Grouped[]
  // per kind of person too: the standards speak of 刑满释放人员 or of 社区矫正对象, never of both
  const people = prepared(
    ctx.db,
    `SELECT ${byVillage ? 'a.villageId AS villageId,' : 'NULL AS villageId,'} a.kind AS kind, ${PEOPLE} FROM aftercare_people a
     WHERE a.releasedOn <= @to AND a.aftercareUntil >= @from AND a.deletedAt IS NULL${extra('a')}${byVillage ? ' GROUP BY a.villageId, a.kind' : ' GROUP BY a.kind'}`,
  ).all(params) as KindRow[]
  const hazards = prepared(
    ctx.db,
    `SELECT ${byVillage ? 'h.villageId AS villageId,' : 'NULL AS villageId,'} ${HAZARDS} FROM hazards h
     WHERE h.foundOn BETWEEN @from AND @to AND h.deletedAt IS NULL${extra('h')}${group}`,
  ).all(params) as Grouped[]
  const out = new Map<string | null, Counted>()
  const entry = (id: string | null) => {
    let c = out.get(id)
    if (!c) out.set(id, (c = { counts: { ...zero }, kinds: emptyKinds() }))
    return c
  }
  const get = (id: string | null) => entry(id).counts
  for (const r of cases) {
    if (r.casesReceived === 0) continue
    const c = get(r.villageId)
    for (const k of ['casesReceived', 'casesPending', 'casesMediating', 'casesSuccess', 'casesFailed', 'casesReferred', 'casesMediated', 'casesFulfilled'] as const) c[k] = r[k]
  }
  for (const r of people) {
    if (r.underAftercare === 0) continue
    const e = entry(r.villageId)
    for (const k of ['underAftercare', 'helped', 'placed', 'reoffended', 'lostContact'] as const) e.counts[k] += r[k]
    if (r.kind in e.kinds) e.kinds[r.kind] = { underAftercare: r.underAftercare, helped: r.helped, placed: r.placed, reoffended: r.reoffended, lostContact: r.lostContact, lostContactInYear: r.lostContactInYear }
  }
  for (const r of hazards) {
    if (r.hazardsFound === 0) continue
    const c = get(r.villageId)
    for (const k of ['hazardsFound', 'hazardsClosed', 'hazardsClosedOnTime'] as const) c[k] = r[k]
  }
  return out
}

export function computeRates(ctx: Ctx, s: Scope): Rates {
  const c = countRates(ctx, s, false).get(null)
  return ratesFromCounts(s.year, s.villageId ?? null, s.township ?? null, c?.counts ?? { ...zero }, c?.kinds)
}

export function computeRatesByVillage(ctx: Ctx, s: { year: number; township?: string }): { year: number; rows: VillageRates[]; total: Rates } {
  const counts = countRates(ctx, s, true)
  const villages = prepared(
    ctx.db,
    `SELECT id, name FROM villages WHERE (deletedAt IS NULL OR id IN (SELECT value FROM json_each(@seen)))
     ${s.township ? 'AND township = @township' : ''} ORDER BY name`,
  ).all({ seen: JSON.stringify([...counts.keys()]), ...(s.township ? { township: s.township } : {}) }) as { id: string; name: string }[]
  const rows = villages.map((v) => {
    const c = counts.get(v.id)
    return { ...ratesFromCounts(s.year, v.id, s.township ?? null, c?.counts ?? { ...zero }, c?.kinds), villageId: v.id, villageName: v.name }
  })
  const sum = { ...zero }
  const kinds = emptyKinds()
  for (const c of counts.values()) {
    for (const k of Object.keys(sum) as (keyof RateCounts)[]) sum[k] += c.counts[k]
    for (const kind of personKinds) for (const k of Object.keys(kinds[kind]) as (keyof PersonKindCounts)[]) kinds[kind][k] += c.kinds[kind][k]
  }
  return { year: s.year, rows, total: ratesFromCounts(s.year, null, s.township ?? null, sum, kinds) }
}
