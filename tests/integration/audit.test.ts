import { afterEach, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose()
})
const ID = makeIdNumber('430103', '1985-07-21', 37)
const ID2 = makeIdNumber('430103', '1990-02-03', 12)

async function seed() {
  const a = testApp()
  apps.push(a)
  await a.ok('settings.update', { operator: '张三' })
  const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  const m = await a.ok('members.create', { name: '王建国', idNumber: ID, phone: '13812345678', roles: ['officer'], joinedOn: '2024-01-01', villageId: v.id })
  await a.ok('members.update', { id: m.id, phone: '13900001111' })
  await a.ok('members.delete', { id: m.id })
  await a.ok('members.restore', { id: m.id })
  return { a, v, m }
}

describe('audit trail', () => {
  it('records create, update, delete and restore of a record with operator and changed fields, newest first', async () => {
    const { a, m } = await seed()
    const r = await a.ok('audit.list', { recordId: m.id })
    expect(r.total).toBe(4)
    expect(r.rows.map((e) => e.action)).toEqual(['restore', 'delete', 'update', 'create'])
    expect(r.rows.every((e) => e.operator === '张三' && e.tableName === 'members' && e.tableLabel === '成员' && e.recordLabel === '王建国')).toBe(true)
    const upd = r.rows[2]!
    expect(upd.changes).toEqual([{ field: 'phone', label: '联系电话', old: '13812345678', new: '13900001111', oldText: '13812345678', newText: '13900001111' }])
  })

  it('masks 身份证号 in the trail, also inside a mediation case’s party list', async () => {
    const { a, v, m } = await seed()
    const created = (await a.ok('audit.list', { recordId: m.id, action: 'create' })).rows[0]!
    const id = created.changes.find((c) => c.field === 'idNumber')!
    expect(id.label).toBe('身份证号')
    expect(id.new).toBe(ID.slice(0, 6) + '********' + ID.slice(-4))
    await a.ok('mediation.create', {
      receivedOn: '2026-03-01',
      source: 'application',
      category: '邻里',
      villageId: v.id,
      summary: '宅基地边界',
      parties: [
        { name: '李四', idNumber: ID2, side: 'applicant' },
        { name: '赵六', side: 'respondent' },
      ],
    } as never)
    const raw = JSON.stringify(a.ctx.db.prepare('SELECT * FROM audit').all())
    expect(raw).not.toContain(ID)
    expect(raw).not.toContain(ID2)
    const all = JSON.stringify(await a.ok('audit.list', { limit: 1000 }))
    expect(all).not.toContain(ID2)
    expect(all).toContain(ID2.slice(0, 6))
  })

  it('filters by operator, register, action and local date range, and pages', async () => {
    const { a, m } = await seed()
    await a.ok('settings.update', { operator: '李四' })
    await a.ok('members.update', { id: m.id, notes: '调岗' })
    expect((await a.ok('audit.list', { operator: '李四' })).rows.map((e) => e.action)).toEqual(['update'])
    expect((await a.ok('audit.list', { operator: '张三' })).total).toBe(5)
    const filters = await a.ok('audit.filters', {})
    expect(filters.operators.sort()).toEqual(['张三', '李四'].sort())
    expect(filters.tables).toEqual(expect.arrayContaining([{ name: 'members', label: '成员' }, { name: 'villages', label: '村（社区）' }]))
    expect((await a.ok('audit.list', { tableName: 'villages' })).total).toBe(1)
    expect((await a.ok('audit.list', { action: 'delete' })).total).toBe(1)
    const today = a.ctx.today()
    const [y, mo, d] = today.split('-').map(Number) as [number, number, number]
    const p = (n: number) => String(n).padStart(2, '0')
    const yd = new Date(y, mo - 1, d - 1)
    const yesterday = `${yd.getFullYear()}-${p(yd.getMonth() + 1)}-${p(yd.getDate())}`
    expect((await a.ok('audit.list', { from: today, to: today })).total).toBe(6)
    expect((await a.ok('audit.list', { to: yesterday })).total).toBe(0)
    expect((await a.ok('audit.list', { from: yesterday })).total).toBe(6)
    const p1 = await a.ok('audit.list', { limit: 4, offset: 0 })
    const p2 = await a.ok('audit.list', { limit: 4, offset: 4 })
    expect(p1.total).toBe(6)
    expect(p1.rows).toHaveLength(4)
    expect(p2.rows).toHaveLength(2)
    expect(new Set([...p1.rows, ...p2.rows].map((e) => e.id)).size).toBe(6)
  })

  it('rejects bad filters with a Chinese message', async () => {
    const { a } = await seed()
    expect(await a.err('audit.list', { from: '2026-02-30' })).toMatchObject({ code: 'invalid_input', field: 'from' })
    expect(await a.err('audit.list', { limit: -1 })).toMatchObject({ code: 'invalid_input', field: 'limit' })
    expect((await a.err('audit.list', { who: 'x' })).message).toContain('不认识的字段')
  })
})
