import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

let app: TestApp
beforeEach(() => {
  app = testApp()
})
afterEach(() => app.dispose())

const ID = makeIdNumber('430103', '1980-05-06', 123)

describe('member register', () => {
  it('creates a member with derived birth date and sex, and masks the number in lists', async () => {
    const v = await app.ok('villages.create', { name: '新塘村', kind: 'village', households: 500 })
    const m = await app.ok('members.create', { name: '张三', idNumber: ID.toLowerCase(), roles: ['mediator'], joinedOn: '2024-01-01', villageId: v.id })
    expect(m.idNumber).toBe(ID.toUpperCase())
    expect(m.birthDate).toBe('1980-05-06')
    expect(m.sex).toBe(Number(ID[16]) % 2 ? 'male' : 'female')
    const list = await app.ok('members.list', {})
    expect(list.total).toBe(1)
    expect(list.rows[0]!.idNumber).toBe(ID.slice(0, 6) + '********' + ID.slice(-4))
    expect((await app.ok('members.list', { fullId: true })).rows[0]!.idNumber).toBe(ID)
  })

  it('refuses a wrong check digit with the Chinese message on the field, and changes nothing', async () => {
    const before = app.contentHash()
    const bad = ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1')
    const e = await app.err('members.create', { name: '张三', idNumber: bad, roles: ['mediator'], joinedOn: '2024-01-01' })
    expect(e).toEqual({ code: 'invalid_input', message: '身份证号最后一位（校验位）不对，请核对', field: 'idNumber' })
    expect(app.contentHash()).toBe(before)
  })

  it('refuses a duplicate ID number and names the existing member', async () => {
    await app.ok('members.create', { name: '张三', idNumber: ID, roles: ['mediator'], joinedOn: '2024-01-01' })
    const before = app.contentHash()
    const e = await app.err('members.create', { name: '李四', idNumber: ID, roles: ['guard'], joinedOn: '2024-01-01' })
    expect(e.code).toBe('duplicate')
    expect(e.field).toBe('idNumber')
    expect(e.message).toContain('张三')
    expect(app.contentHash()).toBe(before)
  })

  it('refuses leftOn before joinedOn on update, keeps the stored record', async () => {
    const m = await app.ok('members.create', { name: '张三', idNumber: ID, roles: ['mediator'], joinedOn: '2024-01-01' })
    const e = await app.err('members.update', { id: m.id, leftOn: '2023-12-31' })
    expect(e).toMatchObject({ field: 'leftOn', message: '离队日期不能早于加入日期' })
    expect((await app.ok('members.get', { id: m.id })).leftOn).toBeNull()
  })

  it('deletes with a tombstone and restores (undo)', async () => {
    const m = await app.ok('members.create', { name: '张三', idNumber: ID, roles: ['mediator'], joinedOn: '2024-01-01' })
    await app.ok('members.delete', { id: m.id })
    expect((await app.ok('members.list', {})).total).toBe(0)
    const row = app.ctx.db.prepare('SELECT deletedAt FROM members WHERE id = ?').get(m.id) as { deletedAt: string }
    expect(row.deletedAt).toBeTruthy()
    await app.ok('members.restore', { id: m.id })
    expect((await app.ok('members.list', {})).total).toBe(1)
  })

  it('a village that still has members cannot be deleted, and the message says what holds it', async () => {
    const v = await app.ok('villages.create', { name: '新塘村', kind: 'village' })
    await app.ok('members.create', { name: '张三', idNumber: ID, roles: ['mediator'], joinedOn: '2024-01-01', villageId: v.id })
    await app.ok('grids.create', { villageId: v.id, name: '第一网格' })
    const e = await app.err('villages.delete', { id: v.id })
    expect(e.code).toBe('conflict')
    expect(e.message).toContain('1名成员')
    expect(e.message).toContain('1个网格')
  })

  it('lists with filters, sort and paging; total counts every match', async () => {
    const v = await app.ok('villages.create', { name: '新塘村', kind: 'village' })
    for (let i = 0; i < 25; i++)
      await app.ok('members.create', { name: `队员${String(i).padStart(2, '0')}`, idNumber: makeIdNumber('430103', '1980-01-01', i), roles: i % 2 ? ['patrol_fulltime'] : ['gridder'], joinedOn: '2024-01-01', villageId: v.id })
    const r = await app.ok('members.list', { filters: { role: 'patrol_fulltime' }, sort: [{ field: 'name', dir: 'desc' }], limit: 5, offset: 5 })
    expect(r.total).toBe(12)
    expect(r.rows.map((m) => m.name)).toEqual(['队员13', '队员11', '队员09', '队员07', '队员05'])
    const stats = await app.ok('members.stats', {})
    expect(stats.byRole.find((x) => x.role === 'gridder')!.count).toBe(13)
  })
})
