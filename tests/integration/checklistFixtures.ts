import { makeIdNumber } from '../../src/shared/idNumber'
import type { Role, UnitKind } from '../../src/shared/domain'
import type { TestApp } from '../helpers'

/**
 * Checklist test fixtures, made through the API (app.ok → the dispatcher → the handlers): every row
 * is one the program accepts, with the dates, agreement and references its register's rules ask for,
 * so an evaluation counts only records a clerk could have entered. Each helper returns the new id.
 */
export const TOWNSHIP = '430103005'
let seq = 0

export async function village(app: TestApp, name: string, kind: 'village' | 'community' = 'village', households = 100): Promise<string> {
  return (await app.ok('villages.create', { name, kind, households, population: households * 3 })).id
}

export async function grid(app: TestApp, villageId: string, name: string, households: number): Promise<string> {
  return (await app.ok('grids.create', { villageId, name, households })).id
}

export async function unit(app: TestApp, name: string, kind: UnitKind, villageId: string | null, headcount: number): Promise<string> {
  return (await app.ok('units.create', { name, kind, villageId, headcount })).id
}

export async function member(
  app: TestApp,
  roles: Role[],
  where: { villageId?: string | null; gridId?: string | null; unitId?: string | null } = {},
  dates: { joinedOn?: string; leftOn?: string | null } = {},
): Promise<string> {
  seq++
  const m = await app.ok('members.create', {
    name: `成员${seq}`,
    idNumber: makeIdNumber('430103', '1980-01-01', seq),
    villageId: where.villageId ?? null,
    gridId: where.gridId ?? null,
    unitId: where.unitId ?? null,
    roles,
    joinedOn: dates.joinedOn ?? '2020-01-01',
    leftOn: dates.leftOn ?? null,
  })
  return m.id
}

export async function members(app: TestApp, n: number, roles: Role[], where: Parameters<typeof member>[2]): Promise<void> {
  for (let i = 0; i < n; i++) await member(app, roles, where)
}

type CaseStatus = 'pending' | 'mediating' | 'success' | 'failed' | 'referred'

/**
 * A case in the given state with what that state needs (caseStage): an applicant and a respondent;
 * mediated and closed on the day it was received where the state asks for it; a successful case
 * with a written agreement and, unless told otherwise, fulfilled. The program numbers it.
 */
export async function mediationCase(
  app: TestApp,
  villageId: string,
  status: CaseStatus,
  opts: { receivedOn?: string; fulfillment?: 'fulfilled' | 'partial' | 'unfulfilled' | null } = {},
): Promise<string> {
  seq++
  const receivedOn = opts.receivedOn ?? '2025-03-01'
  const success = status === 'success'
  const c = await app.ok('mediation.create', {
    receivedOn,
    source: 'application',
    category: '邻里',
    villageId,
    summary: `邻里纠纷${seq}`,
    parties: [
      { name: `申请人${seq}`, side: 'applicant' },
      { name: `被申请人${seq}`, side: 'respondent' },
    ],
    status,
    mediatedOn: status === 'pending' || status === 'referred' ? null : receivedOn,
    closedOn: status === 'pending' || status === 'mediating' ? null : receivedOn,
    agreementForm: success ? 'written' : null,
    agreement: success ? '双方自愿达成调解协议' : null,
    fulfillment: success ? (opts.fulfillment === undefined ? 'fulfilled' : opts.fulfillment) : null,
  })
  return c.id
}

/** One 帮教人员 per app, in office since 2020, for the people's helpers and their visits. */
const helpers = new WeakMap<TestApp, string>()
async function helper(app: TestApp): Promise<string> {
  let id = helpers.get(app)
  if (!id) {
    id = await member(app, ['aftercare_helper'])
    helpers.set(app, id)
  }
  return id
}

/**
 * A person under aftercare (刑满释放人员 unless told) with one visit (on visitOn, default 2025-04-01;
 * null: none) by the app's helper. An unplaced person carries the reason the program asks for.
 * Lost contact is given with its dates (lostContactPeriods) or, the old way, as today's flag.
 */
export async function aftercarePerson(
  app: TestApp,
  villageId: string,
  opts: {
    kind?: 'released' | 'community_correction'
    placement?: 'employed' | 'unplaced'
    visitOn?: string | null
    reoffendedOn?: string | null
    lostContact?: boolean
    lostContactPeriods?: { from: string; to: string | null }[]
    releasedOn?: string
  } = {},
): Promise<string> {
  seq++
  const helperId = await helper(app)
  const placement = opts.placement ?? 'employed'
  const p = await app.ok('aftercare.people.create', {
    name: `对象${seq}`,
    idNumber: makeIdNumber('430103', '1975-01-01', 5000 + seq),
    kind: opts.kind ?? 'released',
    crime: '盗窃罪',
    sentence: '有期徒刑二年',
    releasedOn: opts.releasedOn ?? '2024-01-01',
    aftercareUntil: '2029-01-01',
    villageId,
    placement,
    unplacedReason: placement === 'unplaced' ? '暂未找到工作' : '',
    helperIds: [helperId],
    reoffendedOn: opts.reoffendedOn ?? null,
    ...(opts.lostContact !== undefined ? { lostContact: opts.lostContact } : {}),
    ...(opts.lostContactPeriods ? { lostContactPeriods: opts.lostContactPeriods } : {}),
  })
  const visitOn = opts.visitOn === undefined ? '2025-04-01' : opts.visitOn
  if (visitOn) await app.ok('aftercare.visits.create', { personId: p.id, date: visitOn, helperIds: [helperId], content: '走访' })
  return p.id
}

/** a figure that meets `op threshold` exactly at its boundary */
function passing(op: string, threshold: number, unit: string | undefined): number {
  if (op === '>') return unit === '%' ? Math.min(1, threshold + 0.01) : threshold + 1
  if (op === '<') return Math.max(0, threshold - (unit === '%' ? 0.01 : 1))
  return threshold
}

/**
 * Answers every criterion of a target in a set the way a clerk whose target meets the standard would:
 * each value at its threshold, each attestation yes. Figures from the registers stay as they are.
 */
export async function answerAll(app: TestApp, setId: string, targetId: string, year = 2025): Promise<void> {
  const ev = await app.ok('checklist.evaluate', { setId, year, targetId })
  for (const r of ev.results) {
    const values: Record<string, number> = {}
    const attestations: Record<string, boolean> = {}
    let attested: boolean | undefined
    for (const c of r.checks) {
      if (c.kind === 'value' && c.key && c.op && c.threshold !== undefined) values[c.key] = passing(c.op, c.threshold, c.unit)
      if (c.kind === 'attest') {
        if (c.key) attestations[c.key] = true
        else attested = true
      }
    }
    const any = (o: object) => Object.keys(o).length > 0
    if (!any(values) && !any(attestations) && attested === undefined) continue
    await app.ok('checklist.attest', {
      criterionId: r.criterionId,
      targetId,
      year,
      ...(attested ? { attested } : {}),
      ...(any(values) ? { values } : {}),
      ...(any(attestations) ? { attestations } : {}),
    })
  }
}
