import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CaseCreateInput } from '../../src/shared/mediation/schema'
import type { PersonCreateInput } from '../../src/shared/aftercare/schema'
import { makeIdNumber } from '../../src/shared/idNumber'
import { ratio } from '../../src/shared/stats/rates'
import { testApp, type TestApp } from '../helpers'

let app: TestApp
let A: string
let B: string
let mediator: string
let helper: string
let seq = 100
beforeEach(async () => {
  app = testApp()
  app.ctx.today = () => '2026-06-15'
  A = (await app.ok('villages.create', { name: '新塘村', kind: 'village' })).id
  B = (await app.ok('villages.create', { name: '大托村', kind: 'village' })).id
  mediator = (await app.ok('members.create', { name: '刘调解', idNumber: makeIdNumber('430103', '1970-01-01', 1), roles: ['mediator'], joinedOn: '2015-01-01' })).id
  helper = (await app.ok('members.create', { name: '周帮教', idNumber: makeIdNumber('430103', '1971-01-01', 2), roles: ['aftercare_helper'], joinedOn: '2015-01-01' })).id
})
afterEach(() => app.dispose())

type Outcome = 'pending' | 'mediating' | 'success' | 'failed' | 'referred'
async function kase(villageId: string, receivedOn: string, status: Outcome, fulfillment: 'fulfilled' | 'partial' | 'unfulfilled' | null = null) {
  const c: CaseCreateInput = {
    receivedOn,
    source: 'screening',
    category: '邻里',
    villageId,
    summary: '纠纷',
    parties: [{ name: '甲', side: 'applicant' }, { name: '乙', side: 'respondent' }],
    mediatorIds: [mediator],
    status,
  }
  if (status === 'mediating' || status === 'success' || status === 'failed') c.mediatedOn = receivedOn
  if (status === 'success' || status === 'failed' || status === 'referred') c.closedOn = receivedOn
  if (status === 'success') c.agreementForm = 'oral'
  if (fulfillment) c.fulfillment = fulfillment
  return app.ok('mediation.create', c)
}

async function person(villageId: string, releasedOn: string, extra: Partial<PersonCreateInput> = {}) {
  return app.ok('aftercare.people.create', {
    name: `对象${++seq}`,
    idNumber: makeIdNumber('430103', '1980-01-01', seq),
    kind: 'released',
    crime: '盗窃罪',
    releasedOn,
    villageId,
    placement: 'employed',
    helperIds: [helper],
    ...extra,
  })
}
const visit = (personId: string, date: string) => app.ok('aftercare.visits.create', { personId, date, helperIds: [helper], content: '走访' })

describe('ratio', () => {
  it('is null over nothing, never 100%', () => {
    expect(ratio(0, 0)).toBeNull()
    expect(ratio(49, 50)).toBe(0.98)
    expect(ratio(0, 3)).toBe(0)
  })
})

describe('stats.rates', () => {
  it('is "no data" everywhere for an empty year, with zero counts', async () => {
    const r = await app.ok('stats.rates', { year: 2025 })
    expect(r).toMatchObject({
      mediationRate: null,
      mediationSuccessRate: null,
      mediationFulfillmentRate: null,
      aftercareRate: null,
      placementRate: null,
      recidivismRate: null,
    })
    expect(Object.values(r.counts).every((n) => n === 0)).toBe(true)
  })

  it('49 successes out of 50 decided cases is exactly 0.98', async () => {
    for (let i = 0; i < 49; i++) await kase(A, '2025-03-01', 'success', 'fulfilled')
    await kase(A, '2025-03-02', 'failed')
    const r = await app.ok('stats.rates', { year: 2025 })
    expect(r.mediationSuccessRate).toBe(0.98)
    expect(r.mediationSuccessRate! >= 0.98).toBe(true)
    expect(r.mediationRate).toBe(1)
    expect(r.mediationFulfillmentRate).toBe(1)
    expect(r.counts).toMatchObject({ casesReceived: 50, casesSuccess: 49, casesFailed: 1 })
  })

  it('matches hand-computed figures per village and for the township', async () => {
    // 2025 cases — 新塘村: 3 success (2 fulfilled, 1 partial), 1 failed, 1 pending, 1 mediating, 1 referred
    await kase(A, '2025-01-01', 'success', 'fulfilled')
    await kase(A, '2025-06-01', 'success', 'fulfilled')
    await kase(A, '2025-12-31', 'success', 'partial')
    await kase(A, '2025-07-01', 'failed')
    await kase(A, '2025-08-01', 'pending')
    await kase(A, '2025-09-01', 'mediating')
    await kase(A, '2025-10-01', 'referred')
    // 大托村: 2 success, both fulfilled
    await kase(B, '2025-02-01', 'success', 'fulfilled')
    await kase(B, '2025-03-01', 'success', 'fulfilled')
    // not in 2025: received the day before and the day after; a deleted one
    await kase(A, '2024-12-31', 'failed')
    await kase(B, '2026-01-01', 'pending')
    const gone = await kase(B, '2025-05-05', 'failed')
    await app.ok('mediation.delete', { id: gone.id })

    // aftercare in 2025
    const p1 = await person(A, '2025-12-31') // released on the last day: counts; visited that day
    await visit(p1.id, '2025-12-31')
    await person(A, '2019-06-01', { aftercareUntil: '2024-12-31' }) // ended 31 Dec 2024: does not count
    const p3 = await person(A, '2020-01-01', { placement: 'unplaced', unplacedReason: '无劳动能力' }) // until 2025-01-01: counts
    await visit(p3.id, '2024-11-01') // a visit in another year does not help
    const v3 = await visit(p3.id, '2025-05-01')
    await app.ok('aftercare.visits.delete', { id: v3.id }) // nor a deleted one
    const p4 = await person(B, '2023-05-01', { placement: 'farming', reoffendedOn: '2025-08-01' })
    await visit(p4.id, '2025-03-01')
    const p5 = await person(B, '2024-01-01', { placement: 'self_employed', reoffendedOn: '2024-06-01' })
    await visit(p5.id, '2025-03-01')
    await app.ok('aftercare.people.update', { id: p5.id, helperIds: [] }) // visited but no helper assigned
    await person(B, '2026-01-01') // released after the year
    const p7 = await person(B, '2024-01-01')
    await app.ok('aftercare.people.delete', { id: p7.id })

    const t = await app.ok('stats.rates', { year: 2025 })
    expect(t.counts).toEqual({
      casesReceived: 9,
      casesPending: 1,
      casesMediating: 1,
      casesSuccess: 5,
      casesFailed: 1,
      casesReferred: 1,
      casesMediated: 8,
      casesFulfilled: 4,
      underAftercare: 4,
      helped: 2,
      placed: 3,
      reoffended: 1,
      lostContact: 0,
      hazardsFound: 0,
      hazardsClosed: 0,
      hazardsClosedOnTime: 0,
    })
    expect(t.mediationRate).toBeCloseTo(8 / 9, 12)
    expect(t.mediationSuccessRate).toBeCloseTo(5 / 6, 12)
    expect(t.mediationFulfillmentRate).toBe(0.8)
    expect(t.aftercareRate).toBe(0.5)
    expect(t.placementRate).toBe(0.75)
    expect(t.recidivismRate).toBe(0.25)

    const a = await app.ok('stats.rates', { year: 2025, villageId: A })
    expect([a.mediationRate, a.mediationSuccessRate, a.mediationFulfillmentRate]).toEqual([6 / 7, 0.75, 2 / 3])
    expect([a.aftercareRate, a.placementRate, a.recidivismRate]).toEqual([0.5, 0.5, 0])
    const b = await app.ok('stats.rates', { year: 2025, villageId: B })
    expect([b.mediationRate, b.mediationSuccessRate, b.mediationFulfillmentRate]).toEqual([1, 1, 1])
    expect([b.aftercareRate, b.placementRate, b.recidivismRate]).toEqual([0.5, 1, 0.5])

    const byVillage = await app.ok('stats.ratesByVillage', { year: 2025 })
    expect(byVillage.rows.map((r) => [r.villageName, r.counts.casesReceived, r.counts.underAftercare])).toEqual([
      ['大托村', 2, 2],
      ['新塘村', 7, 2],
    ])
    expect(byVillage.total.counts).toEqual(t.counts)

    expect((await app.ok('stats.rates', { year: 2025, township: '430103005' })).counts).toEqual(t.counts)
    expect((await app.ok('stats.rates', { year: 2025, township: '430103999' })).mediationRate).toBeNull()

    // 2026: one pending case received, people still under aftercare
    const y26 = await app.ok('stats.rates', { year: 2026 })
    expect(y26.mediationRate).toBe(0)
    expect(y26.mediationSuccessRate).toBeNull()
    expect(y26.counts.underAftercare).toBe(4) // p1, p4, p5, and the one released 2026-01-01
  })

  it('refuses a bad year', async () => {
    expect(await app.err('stats.rates', { year: '2025' })).toMatchObject({ code: 'invalid_input', field: 'year' })
    expect(await app.err('stats.rates', {})).toMatchObject({ code: 'invalid_input', field: 'year', message: '请填写年份' })
  })

  it('uses indexes for the year aggregates', () => {
    const plan = (q: string) => (app.ctx.db.prepare('EXPLAIN QUERY PLAN ' + q).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
    expect(plan(`SELECT count(*) FROM mediation_cases c WHERE c.receivedOn BETWEEN '2025-01-01' AND '2025-12-31' AND c.deletedAt IS NULL`)).toMatch(/USING (COVERING )?INDEX mediation_received/)
    expect(plan(`SELECT 1 FROM aftercare_visits w WHERE w.personId = 'x' AND w.date BETWEEN '2025-01-01' AND '2025-12-31'`)).toMatch(/INDEX aftercare_visits_person/)
  })
})
