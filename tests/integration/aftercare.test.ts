import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PersonCreateInput } from '../../src/shared/aftercare/schema'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

let app: TestApp
let villageId: string
let helperId: string
beforeEach(async () => {
  app = testApp()
  app.ctx.today = () => '2026-06-15'
  villageId = (await app.ok('villages.create', { name: '新塘村', kind: 'village' })).id
  helperId = (await app.ok('members.create', { name: '周帮教', idNumber: makeIdNumber('430103', '1975-01-01', 1), roles: ['aftercare_helper'], joinedOn: '2020-01-01', villageId })).id
})
afterEach(() => app.dispose())

const ID = makeIdNumber('430103', '1990-04-05', 7)
function person(extra: Partial<PersonCreateInput> = {}): PersonCreateInput {
  return {
    name: '陈某某',
    idNumber: ID,
    kind: 'released',
    crime: '盗窃罪',
    sentence: '有期徒刑三年',
    releasedOn: '2025-03-01',
    villageId,
    placement: 'employed',
    helperIds: [helperId],
    handoverOn: '2025-03-02',
    risk: 'low',
    ...extra,
  }
}

describe('aftercare people', () => {
  it('records a person with every field, the 5-year default period and derived birth date', async () => {
    const p = await app.ok('aftercare.people.create', person({ registeredAddress: '湖南省长沙市天心区', address: '新塘村三组', handover: '监狱派员送回，村委接收', notes: '家有老母' }))
    expect(p).toMatchObject({
      name: '陈某某',
      kind: 'released',
      releasedOn: '2025-03-01',
      aftercareUntil: '2030-03-01',
      placement: 'employed',
      unplacedReason: '',
      helperNames: ['周帮教'],
      lostContact: false,
      reoffendedOn: null,
      risk: 'low',
      handoverOn: '2025-03-02',
      handover: '监狱派员送回，村委接收',
      registeredAddress: '湖南省长沙市天心区',
      address: '新塘村三组',
      birthDate: '1990-04-05',
      villageName: '新塘村',
      visitCount: 0,
      lastVisitOn: null,
    })
    const leap = await app.ok('aftercare.people.create', person({ idNumber: makeIdNumber('430103', '1990-04-05', 8), releasedOn: '2024-02-29' }))
    expect(leap.aftercareUntil).toBe('2029-02-28')
    const list = await app.ok('aftercare.people.list', {})
    expect(list.total).toBe(2)
    expect(list.rows.find((r) => r.id === p.id)!.idNumber).toBe(ID.slice(0, 6) + '********' + ID.slice(-4))
    expect((await app.ok('aftercare.people.get', { id: p.id })).idNumber).toBe(ID)
    // moving the release date moves a default period along; an explicit one stays
    expect((await app.ok('aftercare.people.update', { id: p.id, releasedOn: '2025-04-01' })).aftercareUntil).toBe('2030-04-01')
    expect((await app.ok('aftercare.people.update', { id: p.id, aftercareUntil: '2028-01-01' })).aftercareUntil).toBe('2028-01-01')
    expect((await app.ok('aftercare.people.update', { id: p.id, releasedOn: '2025-05-01' })).aftercareUntil).toBe('2028-01-01')
  })

  it('refuses bad people with the field named, changing nothing', async () => {
    await app.ok('aftercare.people.create', person())
    const notHelper = (await app.ok('members.create', { name: '巡防员', idNumber: makeIdNumber('430103', '1980-01-01', 3), roles: ['patrol_fulltime'], joinedOn: '2020-01-01', villageId })).id
    const before = app.contentHash()
    const other = makeIdNumber('430103', '1991-01-01', 4)
    const bad: [Partial<PersonCreateInput>, string, string, string?][] = [
      [{}, 'idNumber', '该身份证号已登记为帮教对象「陈某某」，请修改原记录，不要重复登记', 'duplicate'],
      [{ idNumber: other, placement: 'unplaced' }, 'unplacedReason', '未安置的请填写未安置原因'],
      [{ idNumber: other, placement: 'unplaced', unplacedReason: '  ' }, 'unplacedReason', '未安置的请填写未安置原因'],
      [{ idNumber: other, aftercareUntil: '2025-02-28' }, 'aftercareUntil', '帮教期满日期不能早于释放（矫正开始）日期'],
      [{ idNumber: other, reoffendedOn: '2025-01-01' }, 'reoffendedOn', '重新犯罪日期不能早于释放（矫正开始）日期'],
      [{ idNumber: other, helperIds: [notHelper] }, 'helperIds', '「巡防员」不是帮教人员，不能选为帮教人员'],
      [{ idNumber: other, kind: 'parole' as never }, 'kind', '请选择人员类别（刑满释放或社区矫正）'],
      [{ idNumber: other, crime: '' }, 'crime', '请填写罪名'],
      [{ idNumber: other, releasedOn: '2025-13-01' }, 'releasedOn', '释放（矫正开始）日期不是有效日期（格式：2026-03-01）'],
      [{ idNumber: '12345' }, 'idNumber', '身份证号应为18位，现为5位'],
      [{ idNumber: other, villageId: 'gone' }, 'villageId', '所选的村（社区）不存在或已删除'],
    ]
    for (const [extra, field, message, code] of bad)
      expect(await app.err('aftercare.people.create', person(extra))).toEqual({ code: code ?? 'invalid_input', message, field })
    expect(app.contentHash()).toBe(before)
  })

  it('an unplaced person keeps the reason; placing them clears it', async () => {
    const p = await app.ok('aftercare.people.create', person({ placement: 'unplaced', unplacedReason: '年老体弱，无劳动能力' }))
    expect(p.unplacedReason).toBe('年老体弱，无劳动能力')
    expect((await app.err('aftercare.people.update', { id: p.id, unplacedReason: '' })).field).toBe('unplacedReason')
    const u = await app.ok('aftercare.people.update', { id: p.id, placement: 'farming' })
    expect(u).toMatchObject({ placement: 'farming', unplacedReason: '' })
  })

  it('keeps a visit log per person; visits count, delete and restore', async () => {
    const p = await app.ok('aftercare.people.create', person())
    const v1 = await app.ok('aftercare.visits.create', { personId: p.id, date: '2026-04-02', helperIds: [helperId], content: '上门走访，了解就业情况' })
    expect(v1).toMatchObject({ personName: '陈某某', helperNames: ['周帮教'], villageName: '新塘村' })
    await app.ok('aftercare.visits.create', { personId: p.id, date: '2026-05-20', helperIds: [helperId], content: '电话回访' })
    let got = await app.ok('aftercare.people.get', { id: p.id })
    expect(got).toMatchObject({ visitCount: 2, lastVisitOn: '2026-05-20' })
    const visits = await app.ok('aftercare.visits.list', { filters: { personId: p.id } })
    expect(visits.rows.map((v) => v.date)).toEqual(['2026-05-20', '2026-04-02'])
    await app.ok('aftercare.visits.delete', { id: visits.rows[0]!.id })
    got = await app.ok('aftercare.people.get', { id: p.id })
    expect(got).toMatchObject({ visitCount: 1, lastVisitOn: '2026-04-02' })
    await app.ok('aftercare.visits.restore', { id: visits.rows[0]!.id })
    expect((await app.ok('aftercare.people.get', { id: p.id })).visitCount).toBe(2)
    // deleting the person hides their visits; restoring brings them back
    await app.ok('aftercare.people.delete', { id: p.id })
    expect((await app.ok('aftercare.visits.list', {})).total).toBe(0)
    expect((await app.ok('aftercare.people.list', {})).total).toBe(0)
    await app.ok('aftercare.people.restore', { id: p.id })
    expect((await app.ok('aftercare.visits.list', {})).total).toBe(2)
  })

  it('refuses a bad visit, changing nothing', async () => {
    const p = await app.ok('aftercare.people.create', person())
    const before = app.contentHash()
    const good = { personId: p.id, date: '2026-04-02', helperIds: [helperId], content: '走访' }
    expect(await app.err('aftercare.visits.create', { ...good, date: '2025-02-01' })).toEqual({ code: 'invalid_input', message: '走访日期不能早于释放（矫正开始）日期 2025-03-01', field: 'date' })
    expect(await app.err('aftercare.visits.create', { ...good, date: '2026-06-16' })).toEqual({ code: 'invalid_input', message: '走访日期不能晚于今天', field: 'date' })
    expect(await app.err('aftercare.visits.create', { ...good, helperIds: [] })).toEqual({ code: 'invalid_input', message: '请至少选择一名走访人员', field: 'helperIds' })
    expect(await app.err('aftercare.visits.create', { ...good, content: ' ' })).toEqual({ code: 'invalid_input', message: '请填写走访内容', field: 'content' })
    expect(await app.err('aftercare.visits.create', { ...good, personId: 'x' })).toEqual({ code: 'invalid_input', message: '所选的帮教对象不存在或已删除', field: 'personId' })
    expect(app.contentHash()).toBe(before)
  })

  it('filters people under aftercare in a year, by placement and by village', async () => {
    await app.ok('aftercare.people.create', person())
    await app.ok('aftercare.people.create', person({ name: '旧对象', idNumber: makeIdNumber('430103', '1960-01-01', 5), releasedOn: '2018-01-01', placement: 'unplaced', unplacedReason: '外出' }))
    expect((await app.ok('aftercare.people.list', { filters: { year: 2026 } })).rows.map((r) => r.name)).toEqual(['陈某某'])
    expect((await app.ok('aftercare.people.list', { filters: { year: 2022 } })).rows.map((r) => r.name)).toEqual(['旧对象'])
    expect((await app.ok('aftercare.people.list', { filters: { current: true } })).total).toBe(1)
    expect((await app.ok('aftercare.people.list', { filters: { placement: 'unplaced' } })).total).toBe(1)
    expect((await app.ok('aftercare.people.list', { filters: { villageId } })).total).toBe(2)
    expect((await app.ok('aftercare.people.list', { q: '旧对' })).total).toBe(1)
    expect((await app.ok('aftercare.people.list', { filters: { helperId } })).total).toBe(2)
  })
})
