import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CaseCreateInput } from '../../src/shared/mediation/schema'
import type { PersonCreateInput } from '../../src/shared/aftercare/schema'
import type { ReminderKind } from '../../src/shared/reminders/schema'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

// "today" is Monday 15 June 2026, in the second quarter (1 April – 30 June)
let app: TestApp
let V: string
let mediator: string
let helper: string
let seq = 10
beforeEach(async () => {
  app = testApp()
  app.ctx.today = () => '2026-06-15'
  V = (await app.ok('villages.create', { name: '新塘村', kind: 'village' })).id
  mediator = (await app.ok('members.create', { name: '刘调解', idNumber: makeIdNumber('430103', '1970-01-01', 1), roles: ['mediator'], joinedOn: '2015-01-01' })).id
  helper = (await app.ok('members.create', { name: '周帮教', idNumber: makeIdNumber('430103', '1971-01-01', 2), roles: ['aftercare_helper'], joinedOn: '2015-01-01' })).id
})
afterEach(() => app.dispose())

function kase(extra: Partial<CaseCreateInput>) {
  return app.ok('mediation.create', {
    receivedOn: '2026-05-01',
    source: 'application',
    category: '合同',
    villageId: V,
    summary: '欠款纠纷',
    parties: [{ name: '甲', side: 'applicant' }, { name: '乙', side: 'respondent' }],
    mediatorIds: [mediator],
    ...extra,
  })
}
function person(extra: Partial<PersonCreateInput>) {
  return app.ok('aftercare.people.create', {
    name: `对象${++seq}`,
    idNumber: makeIdNumber('430103', '1985-01-01', seq),
    kind: 'released',
    crime: '诈骗罪',
    releasedOn: '2024-01-01',
    handoverOn: '2024-01-02',
    villageId: V,
    placement: 'employed',
    helperIds: [helper],
    ...extra,
  })
}
const visit = (personId: string, date: string) => app.ok('aftercare.visits.create', { personId, date, helperIds: [helper], content: '走访' })
async function ids(kind: ReminderKind) {
  const r = await app.ok('reminders.list', { kinds: [kind] })
  return r.rows.map((x) => x.recordId).sort()
}

describe('reminders', () => {
  it('nothing to do in an empty township', async () => {
    const r = await app.ok('reminders.list', {})
    expect(r).toMatchObject({ today: '2026-06-15', total: 0, rows: [] })
  })

  it('a case still open a month after it was received is overdue', async () => {
    const late = await kase({ receivedOn: '2026-05-14' })
    await kase({ receivedOn: '2026-05-15' }) // due today: not yet overdue
    const mediating = await kase({ receivedOn: '2026-04-01', status: 'mediating', mediatedOn: '2026-04-02' })
    await kase({ receivedOn: '2026-04-01', status: 'failed', mediatedOn: '2026-04-02', closedOn: '2026-04-03' })
    expect(await ids('case_overdue')).toEqual([late.id, mediating.id].sort())
    const r = await app.ok('reminders.list', { kinds: ['case_overdue'] })
    const item = r.rows.find((x) => x.recordId === late.id)!
    expect(item).toMatchObject({ register: 'mediation', title: late.caseNo, dueOn: '2026-06-14', overdue: true, villageName: '新塘村' })
    expect(item.detail).toContain('2026-05-14受理')
    // once mediated to an end, the reminder goes away
    await app.ok('mediation.update', { id: late.id, status: 'mediating', mediatedOn: '2026-06-01' })
    await app.ok('mediation.update', { id: late.id, status: 'failed', closedOn: '2026-06-02' })
    expect(await ids('case_overdue')).toEqual([mediating.id])
  })

  it('a written agreement has a 30-day 司法确认 window; every agreement needs a 回访', async () => {
    const base = { status: 'success' as const, mediatedOn: '2026-05-02' }
    const inWindow = await kase({ ...base, closedOn: '2026-05-16', agreementForm: 'written', agreement: '分期还款' })
    await kase({ ...base, closedOn: '2026-05-15', agreementForm: 'written', agreement: '分期还款', followUps: [{ date: '2026-06-01', note: '已履行' }] })
    const oral = await kase({ ...base, closedOn: '2026-06-10', agreementForm: 'oral' })
    expect(await ids('judicial_confirmation')).toEqual([inWindow.id])
    const j = (await app.ok('reminders.list', { kinds: ['judicial_confirmation'] })).rows[0]!
    expect(j).toMatchObject({ dueOn: '2026-06-15', overdue: false })
    expect(j.detail).toContain('还剩0天')
    expect(await ids('follow_up_due')).toEqual([inWindow.id, oral.id].sort())
    const f = (await app.ok('reminders.list', { kinds: ['follow_up_due'] })).rows
    expect(f.find((x) => x.recordId === inWindow.id)).toMatchObject({ dueOn: '2026-06-15', overdue: false })
    await app.ok('mediation.update', { id: oral.id, followUps: [{ date: '2026-06-12', note: '已回访' }] })
    expect(await ids('follow_up_due')).toEqual([inWindow.id])
  })

  it('an aftercare person not visited in the current quarter', async () => {
    const lastQuarter = await person({})
    await visit(lastQuarter.id, '2026-03-31')
    const visited = await person({})
    await visit(visited.id, '2026-04-01')
    const never = await person({})
    await person({ reoffendedOn: '2026-02-01' }) // back in custody: not visited at home
    await person({ releasedOn: '2019-01-01', handoverOn: '2019-01-02' }) // period over on 2024-01-01
    expect(await ids('no_visit_this_quarter')).toEqual([lastQuarter.id, never.id].sort())
    const r = (await app.ok('reminders.list', { kinds: ['no_visit_this_quarter'] })).rows.find((x) => x.recordId === lastQuarter.id)!
    expect(r).toMatchObject({ register: 'aftercare', dueOn: '2026-06-30', overdue: false })
    expect(r.detail).toBe('2026年第二季度尚未走访（最近一次走访：2026-03-31）')
  })

  it('衔接 more than 3 days after release, and aftercare ending within 30 days', async () => {
    const missing = await person({ releasedOn: '2026-06-11', handoverOn: null })
    await person({ releasedOn: '2026-06-12', handoverOn: null }) // still within 3 days
    const late = await person({ releasedOn: '2026-05-01', handoverOn: '2026-05-05' })
    await person({ releasedOn: '2026-05-01', handoverOn: '2026-05-04' })
    expect(await ids('late_handover')).toEqual([missing.id, late.id].sort())
    const l = (await app.ok('reminders.list', { kinds: ['late_handover'] })).rows.find((x) => x.recordId === late.id)!
    expect(l.detail).toBe('2026-05-01释放，2026-05-05才衔接，晚了1天（应在释放后3日内）')
    const ending = await person({ releasedOn: '2021-07-15', handoverOn: '2021-07-15' }) // until 2026-07-15 = today + 30
    await person({ releasedOn: '2021-07-16', handoverOn: '2021-07-16' })
    expect(await ids('aftercare_ending')).toEqual([ending.id])
  })

  it('follows ctx.today, puts overdue items first, and filters by village', async () => {
    const c = await kase({ receivedOn: '2026-05-01' })
    app.ctx.today = () => '2026-05-20'
    expect((await app.ok('reminders.list', {})).total).toBe(0)
    app.ctx.today = () => '2026-06-15'
    await person({ releasedOn: '2021-07-01', handoverOn: '2021-07-01' })
    const all = await app.ok('reminders.list', {})
    expect(all.rows[0]).toMatchObject({ recordId: c.id, overdue: true })
    expect(all.counts.case_overdue).toBe(1)
    const other = (await app.ok('villages.create', { name: '大托村', kind: 'village' })).id
    expect((await app.ok('reminders.list', { villageId: other })).total).toBe(0)
    expect(await app.err('reminders.list', { kinds: ['nope'] })).toMatchObject({ code: 'invalid_input', message: '提醒类型不是可选的值' })
  })
})
