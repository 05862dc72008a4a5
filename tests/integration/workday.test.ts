import { afterEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers'

/**
 * Issue 18's main-side pieces: an old ledger's success/failed case without 结案日期 closes on its
 * 调解日期; Excel exports named like the Word documents with the village they were filtered to; the
 * start page's chart counts; files.pick outside the desktop lists drives and opens no dialog.
 */
const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose()
})

async function seed() {
  const a = testApp()
  apps.push(a)
  const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  return { a, v }
}
const parties = [
  { name: '李四', side: 'applicant' as const },
  { name: '赵六', side: 'respondent' as const },
]

describe('a finished case without 结案日期', () => {
  it('closes on its 调解日期, when created and when moved to 调解不成功', async () => {
    const { a, v } = await seed()
    const base = { receivedOn: '2024-03-01', source: 'application' as const, category: '邻里' as const, villageId: v.id, summary: '宅基地边界', parties }
    const done = await a.ok('mediation.create', { ...base, status: 'success', mediatedOn: '2024-03-05', agreementForm: 'oral' })
    expect(done.closedOn).toBe('2024-03-05')
    const open = await a.ok('mediation.create', { ...base, status: 'mediating', mediatedOn: '2024-03-06' })
    expect(open.closedOn).toBeNull()
    const failed = await a.ok('mediation.update', { id: open.id, status: 'failed' })
    expect(failed.closedOn).toBe('2024-03-06')
    // a 结案日期 given is kept, and a referral still needs its own date
    const given = await a.ok('mediation.create', { ...base, status: 'success', mediatedOn: '2024-03-05', closedOn: '2024-03-09', agreementForm: 'oral' })
    expect(given.closedOn).toBe('2024-03-09')
    const e = await a.err('mediation.create', { ...base, status: 'referred' })
    expect(e.field).toBe('closedOn')
  })
})

describe('Excel export names', () => {
  it('say township, year and register like the Word documents, and the village filtered to', async () => {
    const { a, v } = await seed()
    const all = await a.ok('excel.export', { register: 'patrols', year: 2026 })
    expect(all.fileName).toBe('大托铺街道_2026年_巡逻台账.xlsx')
    const one = await a.ok('excel.export', { register: 'members', filters: { villageId: v.id } } as never)
    expect(one.fileName).toMatch(/^大托铺街道新塘村_\d{4}年_成员台账\.xlsx$/)
  })
})

describe('start page charts', () => {
  it('count patrols per month and cases by category and status for the year', async () => {
    const { a, v } = await seed()
    const leader = await a.ok('members.create', { name: '王队长', idNumber: '430103197505050011', roles: ['patrol_fulltime'], joinedOn: '2020-01-01', villageId: v.id } as never).catch(() => null)
    if (leader)
      await a.ok('patrols.create', { villageId: v.id, date: '2024-02-10', startTime: '20:00', endTime: '22:00', mode: 'foot', route: '村部—学校', leaderId: leader.id, memberIds: [leader.id] } as never)
    await a.ok('mediation.create', { receivedOn: '2024-05-01', source: 'application', category: '邻里', villageId: v.id, summary: '噪音', parties })
    const o = await a.ok('overview.charts', { year: 2024 })
    expect(o.patrolsByMonth).toHaveLength(12)
    if (leader) expect(o.patrolsByMonth[1]).toBe(1)
    expect(o.cases).toEqual([{ category: '邻里', status: 'pending', count: 1 }])
    expect((await a.ok('overview.charts', { year: 2023 })).cases).toEqual([])
  })
})

describe('files.pick outside the desktop', () => {
  it('opens no dialog and answers with the drives it found', async () => {
    const { a } = await seed()
    const r = await a.ok('files.pick', { kind: 'folder' })
    expect(r.dialog).toBe(false)
    expect(r.path).toBeNull()
    expect(Array.isArray(r.volumes)).toBe(true)
    expect((await a.err('files.pick', { kind: 'disk' })).field).toBe('kind')
  })
})
