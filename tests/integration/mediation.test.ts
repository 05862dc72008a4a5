import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import type { CaseCreateInput } from '../../src/shared/mediation/schema'
import { testApp, type TestApp } from '../helpers'

let app: TestApp
let villageId: string
let mediatorId: string
beforeEach(async () => {
  app = testApp()
  app.ctx.today = () => '2026-06-15'
  villageId = (await app.ok('villages.create', { name: '新塘村', kind: 'village' })).id
  mediatorId = (await app.ok('members.create', { name: '刘调解', idNumber: makeIdNumber('430103', '1970-02-03', 1), roles: ['mediator'], joinedOn: '2020-01-01', villageId })).id
})
afterEach(() => app.dispose())

const PARTY_ID = makeIdNumber('430103', '1985-07-08', 2)
function newCase(extra: Partial<CaseCreateInput> = {}): CaseCreateInput {
  return {
    receivedOn: '2026-05-10',
    source: 'application',
    category: '邻里',
    villageId,
    summary: '张家与李家因排水沟堵塞发生争执',
    parties: [
      { name: '张大山', side: 'applicant', idNumber: PARTY_ID, phone: '13812345678' },
      { name: '李小河', side: 'respondent' },
    ],
    mediatorIds: [mediatorId],
    ...extra,
  }
}

describe('mediation case numbers', () => {
  it('numbers per year and township in the default format, never reusing a deleted number', async () => {
    const a = await app.ok('mediation.create', newCase())
    const b = await app.ok('mediation.create', newCase())
    expect([a.caseNo, b.caseNo]).toEqual(['〔2026〕大托调字第1号', '〔2026〕大托调字第2号'])
    await app.ok('mediation.delete', { id: b.id })
    const c = await app.ok('mediation.create', newCase())
    expect(c.caseNo).toBe('〔2026〕大托调字第3号')
    // a case received last year is numbered in last year's series
    const old = await app.ok('mediation.create', newCase({ receivedOn: '2025-12-31', status: 'failed', mediatedOn: '2026-01-05', closedOn: '2026-01-06' }))
    expect(old.caseNo).toBe('〔2025〕大托调字第1号')
    // restoring the deleted case keeps its number, and it stays unique
    expect((await app.ok('mediation.restore', { id: b.id })).caseNo).toBe('〔2026〕大托调字第2号')
  })

  it('follows the configured format and short name, and refuses a hand-entered number already used', async () => {
    await app.ok('settings.update', { caseNoFormat: '{short}调〔{year}〕{seq}号', caseNoShort: '托铺' })
    expect((await app.ok('mediation.create', newCase())).caseNo).toBe('托铺调〔2026〕1号')
    const hand = await app.ok('mediation.create', newCase({ caseNo: '托铺调〔2026〕2号', receivedOn: '2026-01-03' }))
    expect(hand.caseNo).toBe('托铺调〔2026〕2号')
    // the counter skips the number taken by hand
    expect((await app.ok('mediation.create', newCase())).caseNo).toBe('托铺调〔2026〕3号')
    const before = app.contentHash()
    const e = await app.err('mediation.create', newCase({ caseNo: '托铺调〔2026〕1号' }))
    expect(e).toMatchObject({ code: 'duplicate', field: 'caseNo' })
    expect(app.contentHash()).toBe(before)
  })
})

describe('mediation status rules', () => {
  it('takes a case from pending through mediating to success, with agreement, fulfilment and a follow-up', async () => {
    const c = await app.ok('mediation.create', newCase())
    expect(c.status).toBe('pending')
    expect(c.applicantNames).toBe('张大山')
    expect(c.respondentNames).toBe('李小河')
    expect(c.mediatorNames).toEqual(['刘调解'])
    expect((await app.err('mediation.update', { id: c.id, status: 'mediating' })).field).toBe('mediatedOn')
    const m = await app.ok('mediation.update', { id: c.id, status: 'mediating', mediatedOn: '2026-05-12' })
    expect(m.status).toBe('mediating')
    const before = app.contentHash()
    expect(await app.err('mediation.update', { id: c.id, status: 'success', closedOn: '2026-05-20' })).toEqual({
      code: 'invalid_input',
      message: '调解成功的案件请选择协议形式（口头或书面）',
      field: 'agreementForm',
    })
    expect(await app.err('mediation.update', { id: c.id, status: 'success', closedOn: '2026-05-20', agreementForm: 'written' })).toEqual({
      code: 'invalid_input',
      message: '书面协议请填写协议内容',
      field: 'agreement',
    })
    expect((await app.err('mediation.update', { id: c.id, status: 'success', agreementForm: 'oral', closedOn: '2026-05-11' })).message).toBe('结案日期不能早于调解日期')
    expect(app.contentHash()).toBe(before)
    const s = await app.ok('mediation.update', {
      id: c.id,
      status: 'success',
      closedOn: '2026-05-20',
      agreementForm: 'written',
      agreement: '李家于5月25日前疏通排水沟，费用双方各半。',
    })
    expect(s).toMatchObject({ status: 'success', agreementForm: 'written', fulfillment: null, closedOn: '2026-05-20' })
    expect((await app.err('mediation.update', { id: c.id, followUps: [{ date: '2026-05-19', note: '已疏通' }] })).message).toBe('回访日期不能早于结案日期')
    const f = await app.ok('mediation.update', { id: c.id, fulfillment: 'fulfilled', followUps: [{ date: '2026-06-01', note: '排水沟已疏通，双方满意' }] })
    expect(f.fulfillment).toBe('fulfilled')
    expect(f.followUps).toEqual([{ date: '2026-06-01', note: '排水沟已疏通，双方满意' }])
  })

  it('never moves back, and a closed case cannot change state', async () => {
    const c = await app.ok('mediation.create', newCase({ status: 'mediating', mediatedOn: '2026-05-11' }))
    expect(await app.err('mediation.update', { id: c.id, status: 'pending', mediatedOn: null })).toEqual({
      code: 'invalid_input',
      message: '案件已在调解中，不能改回「待调解」',
      field: 'status',
    })
    await app.ok('mediation.update', { id: c.id, status: 'failed', closedOn: '2026-05-30' })
    expect(await app.err('mediation.update', { id: c.id, status: 'success', agreementForm: 'oral' })).toEqual({
      code: 'invalid_input',
      message: '案件已结案（调解不成功），不能改为「调解成功」',
      field: 'status',
    })
    expect((await app.ok('mediation.get', { id: c.id })).status).toBe('failed')
  })

  it('back-fills a finished case in one create, and checks what its state needs', async () => {
    const done = await app.ok('mediation.create', newCase({
      receivedOn: '2024-03-01',
      status: 'success',
      mediatedOn: '2024-03-03',
      closedOn: '2024-03-05',
      agreementForm: 'oral',
      fulfillment: 'partial',
      followUps: [{ date: '2024-04-01', note: '已付一半' }],
    }))
    expect(done).toMatchObject({ caseNo: '〔2024〕大托调字第1号', status: 'success', fulfillment: 'partial' })
    // an old ledger's finished case without 结案日期 closes on its 调解日期
    const failed = await app.ok('mediation.create', newCase({ status: 'failed', mediatedOn: '2026-05-11' }))
    expect(failed.closedOn).toBe('2026-05-11')
    const referred = await app.ok('mediation.create', newCase({ status: 'referred', closedOn: '2026-05-11' }))
    expect(referred.mediatedOn).toBeNull()
    const before = app.contentHash()
    const bad: [Partial<CaseCreateInput>, string, string][] = [
      [{ status: 'failed' }, 'mediatedOn', '「调解不成功」的案件请填写调解日期（没有结案日期时按调解日期结案）'],
      [{ status: 'failed', mediatedOn: '2026-05-11', closedOn: '2026-05-12', agreementForm: 'oral' }, 'agreementForm', '「调解不成功」的案件没有调解协议，不能填写协议形式或内容'],
      [{ status: 'mediating', mediatedOn: '2026-05-11', fulfillment: 'fulfilled' }, 'fulfillment', '只有调解成功的案件才有履行情况'],
      [{ status: 'pending', closedOn: '2026-05-12' }, 'closedOn', '「待调解」的案件还没有结案，不能填写结案日期'],
      [{ status: 'mediating', mediatedOn: '2026-05-09' }, 'mediatedOn', '调解日期不能早于受理日期'],
      [{ status: 'referred' }, 'closedOn', '请填写移交日期（结案日期）'],
      [{ receivedOn: '2026-06-16' }, 'receivedOn', '受理日期不能晚于今天'],
      [{ status: 'success', mediatedOn: '2026-05-11', closedOn: '2026-05-12', agreementForm: 'oral', followUps: [{ date: '2026-07-01', note: '回访' }] }, 'followUps.0.date', '回访日期不能晚于今天'],
    ]
    for (const [extra, field, message] of bad) expect(await app.err('mediation.create', newCase(extra))).toEqual({ code: 'invalid_input', message, field })
    expect(app.contentHash()).toBe(before)
    // the counter was not advanced by the refused creates
    expect((await app.ok('mediation.create', newCase())).caseNo).toBe('〔2026〕大托调字第3号')
  })

  it('needs an applicant and a respondent, valid party ID numbers, and mediators holding the role', async () => {
    const patrolman = await app.ok('members.create', { name: '巡防员', idNumber: makeIdNumber('430103', '1980-01-01', 9), roles: ['patrol_fulltime'], joinedOn: '2020-01-01', villageId })
    const before = app.contentHash()
    expect(await app.err('mediation.create', newCase({ parties: [{ name: '张大山', side: 'applicant' }] }))).toEqual({ code: 'invalid_input', message: '请至少填写一名被申请人', field: 'parties' })
    expect(await app.err('mediation.create', newCase({ parties: [{ name: '李小河', side: 'respondent' }, { name: '王', side: 'third' }] }))).toEqual({ code: 'invalid_input', message: '请至少填写一名申请人', field: 'parties' })
    const badId = PARTY_ID.slice(0, 17) + (PARTY_ID[17] === '1' ? '2' : '1')
    expect(await app.err('mediation.create', newCase({ parties: [{ name: '张大山', side: 'applicant', idNumber: badId }, { name: '李小河', side: 'respondent' }] }))).toMatchObject({ message: '身份证号最后一位（校验位）不对，请核对', field: 'parties.0.idNumber' })
    expect(await app.err('mediation.create', newCase({ parties: [{ name: ' ', side: 'applicant' }, { name: '李小河', side: 'respondent' }] }))).toMatchObject({ message: '请填写当事人姓名', field: 'parties.0.name' })
    expect(await app.err('mediation.create', newCase({ mediatorIds: [patrolman.id] }))).toMatchObject({ field: 'mediatorIds', message: '「巡防员」不是调解员，不能选为调解员' })
    expect(await app.err('mediation.create', newCase({ category: '吵架' as never }))).toMatchObject({ field: 'category', message: '请选择纠纷类型' })
    expect(await app.err('mediation.create', newCase({ summary: '' }))).toMatchObject({ field: 'summary', message: '请填写纠纷简要情况' })
    expect(app.contentHash()).toBe(before)
  })

  it('lists with filters and masks party ID numbers in lists only', async () => {
    await app.ok('mediation.create', newCase())
    await app.ok('mediation.create', newCase({ category: '婚姻家庭', receivedOn: '2025-04-01', status: 'mediating', mediatedOn: '2025-04-02' }))
    const list = await app.ok('mediation.list', {})
    expect(list.total).toBe(2)
    expect(list.rows[0]!.receivedOn).toBe('2026-05-10')
    expect(list.rows[0]!.parties[0]!.idNumber).toBe(PARTY_ID.slice(0, 6) + '********' + PARTY_ID.slice(-4))
    expect((await app.ok('mediation.get', { id: list.rows[0]!.id })).parties[0]!.idNumber).toBe(PARTY_ID)
    expect((await app.ok('mediation.list', { filters: { year: 2025 } })).rows.map((r) => r.category)).toEqual(['婚姻家庭'])
    expect((await app.ok('mediation.list', { filters: { status: 'pending' } })).total).toBe(1)
    expect((await app.ok('mediation.list', { filters: { statuses: ['pending', 'mediating'] } })).total).toBe(2)
    expect((await app.ok('mediation.list', { filters: { party: '张大山' } })).total).toBe(2)
    expect((await app.ok('mediation.list', { q: '排水沟' })).total).toBe(2)
    expect((await app.ok('mediation.list', { filters: { mediatorId } })).total).toBe(2)
    expect((await app.ok('mediation.list', { filters: { township: '999999999' } })).total).toBe(0)
  })
})
