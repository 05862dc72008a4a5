import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import type { Role } from '../../src/shared/domain'
import { testApp, type TestApp } from '../helpers'

let app: TestApp
let seq = 0
beforeEach(() => {
  app = testApp()
  app.ctx.today = () => '2026-06-15'
})
afterEach(() => app.dispose())

async function village(name = '新塘村') {
  return app.ok('villages.create', { name, kind: 'village' })
}
async function member(villageId: string | null, name: string, roles: Role[], extra: { joinedOn?: string; leftOn?: string } = {}) {
  return app.ok('members.create', {
    name,
    idNumber: makeIdNumber('430103', '1980-01-01', ++seq),
    roles,
    joinedOn: extra.joinedOn ?? '2024-01-01',
    ...(extra.leftOn ? { leftOn: extra.leftOn } : {}),
    villageId,
  })
}

async function team() {
  const v = await village()
  const lead = await member(v.id, '王队长', ['patrol_fulltime'])
  const a = await member(v.id, '李四', ['patrol_parttime', 'red_armband'])
  const b = await member(v.id, '赵五', ['patrol_fulltime'])
  return { v, lead, a, b }
}

describe('patrol register', () => {
  it('records a patrol with its participants and leader, and lists it with their names', async () => {
    const { v, lead, a } = await team()
    const p = await app.ok('patrols.create', {
      villageId: v.id,
      date: '2026-06-01',
      startTime: '19:30',
      endTime: '21:30',
      mode: 'foot',
      route: '村部—新塘组—学校',
      leaderId: lead.id,
      memberIds: [lead.id, a.id, a.id],
      findings: '学校后门路灯损坏',
      handling: '已报村委维修',
    })
    expect(p.memberIds).toEqual([lead.id, a.id])
    expect(p.leaderName).toBe('王队长')
    expect(p.memberNames).toEqual(['王队长', '李四'])
    expect(p.villageName).toBe('新塘村')
    expect(p.overnight).toBe(false)
    expect(p.minutes).toBe(120)
    const list = await app.ok('patrols.list', {})
    expect(list.total).toBe(1)
    expect(list.rows[0]).toMatchObject({ id: p.id, route: '村部—新塘组—学校', memberNames: ['王队长', '李四'] })
  })

  it('allows a patrol past midnight and shows it as such; refuses an end not after the start', async () => {
    const { v, lead } = await team()
    const base = { villageId: v.id, date: '2026-06-01', mode: 'vehicle' as const, leaderId: lead.id, memberIds: [lead.id] }
    const night = await app.ok('patrols.create', { ...base, startTime: '22:00', endTime: '02:00' })
    expect(night.overnight).toBe(true)
    expect(night.minutes).toBe(240)
    const before = app.contentHash()
    expect(await app.err('patrols.create', { ...base, startTime: '08:00', endTime: '08:00' })).toEqual({
      code: 'invalid_input',
      message: '结束时间应晚于开始时间',
      field: 'endTime',
    })
    // 08:00 to 07:30 would be a 23½-hour patrol: a typing mistake, not a night patrol
    const e = await app.err('patrols.create', { ...base, startTime: '08:00', endTime: '07:30' })
    expect(e.field).toBe('endTime')
    expect(e.message).toContain('结束时间应晚于开始时间')
    expect(app.contentHash()).toBe(before)
  })

  it('refuses participants who are not active patrol members of the village, and a leader outside them', async () => {
    const { v, lead, a } = await team()
    const other = await village('大托村')
    const outsider = await member(other.id, '外村人', ['patrol_fulltime'])
    const gridder = await member(v.id, '网格员甲', ['gridder'])
    const gone = await member(v.id, '已离队', ['patrol_parttime'], { leftOn: '2026-03-01' })
    const late = await member(v.id, '新队员', ['patrol_parttime'], { joinedOn: '2026-06-10' })
    const base = { villageId: v.id, date: '2026-06-01', startTime: '19:00', endTime: '21:00', mode: 'foot' as const, leaderId: lead.id }
    const before = app.contentHash()
    const cases: [string[], string][] = [
      [[lead.id, outsider.id], '「外村人」不是本村（社区）的巡防队员'],
      [[lead.id, gridder.id], '「网格员甲」不是专职巡防队员或兼职巡防/群防群治队员，不能选为巡防队员'],
      [[lead.id, gone.id], '「已离队」已于2026-03-01离队，2026-06-01时已不是巡防队员'],
      [[lead.id, late.id], '「新队员」2026-06-10才加入，2026-06-01时还不是巡防队员'],
      [[lead.id, 'no-such-id'], '所选的巡防队员不存在或已删除'],
    ]
    for (const [memberIds, message] of cases)
      expect(await app.err('patrols.create', { ...base, memberIds })).toEqual({ code: 'invalid_input', message, field: 'memberIds' })
    expect(await app.err('patrols.create', { ...base, leaderId: a.id, memberIds: [lead.id] })).toEqual({
      code: 'invalid_input',
      message: '带队人应是参加人员之一',
      field: 'leaderId',
    })
    expect(app.contentHash()).toBe(before)
  })

  it('refuses bad input field by field, in Chinese, changing nothing', async () => {
    const { v, lead } = await team()
    const good = { villageId: v.id, date: '2026-06-01', startTime: '19:00', endTime: '21:00', mode: 'foot', leaderId: lead.id, memberIds: [lead.id] }
    const before = app.contentHash()
    const bad: [Record<string, unknown>, string, string][] = [
      [{ date: '2026-02-30' }, 'date', '巡逻日期不是有效日期（格式：2026-03-01）'],
      [{ date: '2026-06-16' }, 'date', '巡逻日期不能晚于今天'],
      [{ startTime: '7:00' }, 'startTime', '开始时间应为 时:分，例如 08:30'],
      [{ endTime: '24:00' }, 'endTime', '结束时间应为 时:分，例如 08:30'],
      [{ mode: 'boat' }, 'mode', '请选择巡逻方式（徒步、车辆或电子巡逻）'],
      [{ memberIds: [] }, 'memberIds', '请至少选择一名参加人员'],
      [{ villageId: 'nope' }, 'villageId', '所选的村（社区）不存在或已删除'],
      [{ extra: 1 }, '', '不认识的字段：extra'],
    ]
    for (const [patch, field, message] of bad) {
      const e = await app.err('patrols.create', { ...good, ...patch })
      expect(e.message).toBe(message)
      if (field) expect(e.field).toBe(field)
    }
    expect(app.contentHash()).toBe(before)
  })

  it('updates, deletes with a tombstone and restores (undo)', async () => {
    const { v, lead, a, b } = await team()
    const p = await app.ok('patrols.create', { villageId: v.id, date: '2026-06-01', startTime: '19:00', endTime: '21:00', mode: 'foot', leaderId: lead.id, memberIds: [lead.id, a.id] })
    const u = await app.ok('patrols.update', { id: p.id, memberIds: [lead.id, b.id], findings: '无异常' })
    expect(u.memberNames).toEqual(['王队长', '赵五'])
    expect(u.findings).toBe('无异常')
    // the leader must stay among the participants
    expect((await app.err('patrols.update', { id: p.id, memberIds: [b.id] })).field).toBe('leaderId')
    await app.ok('patrols.delete', { id: p.id })
    expect((await app.ok('patrols.list', {})).total).toBe(0)
    expect((await app.err('patrols.get', { id: p.id })).code).toBe('not_found')
    await app.ok('patrols.restore', { id: p.id })
    expect((await app.ok('patrols.list', {})).rows.map((r) => r.id)).toEqual([p.id])
    // a village with patrols cannot be deleted
    const e = await app.err('villages.delete', { id: v.id })
    expect(e.message).toContain('1条巡逻记录')
  })

  it('filters, sorts and pages in SQL', async () => {
    const { v, lead, a } = await team()
    const w = await village('大托村')
    const wl = await member(w.id, '大托队长', ['patrol_fulltime'])
    for (let d = 1; d <= 20; d++) {
      const date = `2026-05-${String(d).padStart(2, '0')}`
      await app.ok('patrols.create', { villageId: v.id, date, startTime: '19:00', endTime: '21:00', mode: d % 2 ? 'foot' : 'vehicle', leaderId: lead.id, memberIds: d % 4 ? [lead.id] : [lead.id, a.id], findings: d === 7 ? '发现可疑车辆' : '' })
      if (d <= 5) await app.ok('patrols.create', { villageId: w.id, date, startTime: '08:00', endTime: '09:00', mode: 'electronic', leaderId: wl.id, memberIds: [wl.id] })
    }
    expect((await app.ok('patrols.list', {})).total).toBe(25)
    const r = await app.ok('patrols.list', { filters: { villageId: v.id, dateFrom: '2026-05-05', dateTo: '2026-05-14' }, sort: [{ field: 'date', dir: 'asc' }], limit: 3, offset: 2 })
    expect(r.total).toBe(10)
    expect(r.rows.map((x) => x.date)).toEqual(['2026-05-07', '2026-05-08', '2026-05-09'])
    expect((await app.ok('patrols.list', { filters: { memberId: a.id } })).total).toBe(5)
    expect((await app.ok('patrols.list', { filters: { mode: 'electronic' } })).total).toBe(5)
    expect((await app.ok('patrols.list', { filters: { withFindings: true } })).rows.map((x) => x.date)).toEqual(['2026-05-07'])
    expect((await app.ok('patrols.list', { q: '可疑' })).total).toBe(1)
    expect((await app.ok('patrols.list', { filters: { township: '430103005' } })).total).toBe(25)
    expect((await app.ok('patrols.list', { filters: { township: '430103006' } })).total).toBe(0)
    const first = await app.ok('patrols.list', { limit: 1 })
    expect(first.rows[0]!.date).toBe('2026-05-20')
  })

  it('counts patrols per village per month and the active patrol team per village', async () => {
    const { v, lead, a } = await team()
    const w = await village('大托村')
    const wl = await member(w.id, '大托队长', ['patrol_parttime'])
    await member(w.id, '离队者', ['patrol_fulltime'], { leftOn: '2026-01-01' })
    const gone = await member(w.id, '删除者', ['patrol_fulltime'])
    await app.ok('members.delete', { id: gone.id })
    await member(w.id, '网格员', ['gridder'])
    const mk = (villageId: string, leader: string, date: string) =>
      app.ok('patrols.create', { villageId, date, startTime: '19:00', endTime: '20:00', mode: 'foot', leaderId: leader, memberIds: [leader] })
    await mk(v.id, lead.id, '2026-01-05')
    await mk(v.id, lead.id, '2026-01-31')
    await mk(v.id, a.id, '2026-03-01')
    await mk(w.id, wl.id, '2026-03-15')
    await mk(w.id, wl.id, '2025-12-31')
    const del = await mk(w.id, wl.id, '2026-04-01')
    await app.ok('patrols.delete', { id: del.id })
    const m = await app.ok('patrols.monthly', { year: 2026 })
    expect(m.total).toBe(4)
    expect(m.months.slice(0, 4)).toEqual([2, 0, 2, 0])
    const xt = m.rows.find((r) => r.villageName === '新塘村')!
    expect(xt.months.slice(0, 3)).toEqual([2, 0, 1])
    expect(xt.total).toBe(3)
    expect(m.rows.find((r) => r.villageName === '大托村')!.total).toBe(1)
    expect((await app.ok('patrols.monthly', { year: 2026, villageId: w.id })).rows).toHaveLength(1)
    expect((await app.ok('patrols.monthly', { year: 2025 })).total).toBe(1)
    expect((await app.err('patrols.monthly', { year: 26 })).field).toBe('year')

    const t = await app.ok('patrols.teamSize', {})
    expect(t.rows.find((r) => r.villageName === '新塘村')).toMatchObject({ fulltime: 2, parttime: 1, total: 3 })
    expect(t.rows.find((r) => r.villageName === '大托村')).toMatchObject({ fulltime: 0, parttime: 1, total: 1 })
    expect(t.total).toBe(4)
    expect((await app.ok('patrols.teamSize', { villageId: w.id })).total).toBe(1)
  })

  it('flags a team smaller than the standards ask: 6 in all (liuda 专兼职); 专职 6 for a village, 8 for a community (cunju 共性标准 7)', async () => {
    const v = await village('新塘村')
    const c = await app.ok('villages.create', { name: '托湖社区', kind: 'community' })
    for (let i = 0; i < 6; i++) await member(v.id, `村队员${i}`, ['patrol_fulltime'])
    for (let i = 0; i < 7; i++) await member(c.id, `社区队员${i}`, ['patrol_fulltime'])
    const rows = (await app.ok('patrols.teamSize', {})).rows
    expect(rows.find((r) => r.villageId === v.id)).toMatchObject({ total: 6, minimum: 6, fulltimeMinimum: 6, short: false })
    expect(rows.find((r) => r.villageId === c.id)).toMatchObject({ total: 7, fulltime: 7, fulltimeMinimum: 8, short: true })
    // a 兼职 member makes the team 8 but not the 专职 team
    await member(c.id, '社区兼职队员', ['patrol_parttime'])
    expect((await app.ok('patrols.teamSize', { villageId: c.id })).rows[0]).toMatchObject({ total: 8, fulltime: 7, short: true })
    await member(c.id, '社区队员7', ['patrol_fulltime'])
    expect((await app.ok('patrols.teamSize', { villageId: c.id })).rows[0]).toMatchObject({ total: 9, fulltime: 8, short: false })
  })

  it('picks a page on a covering index (no table scan, no full sort) and never serves a stale total', async () => {
    const plan = (q: string) =>
      (app.ctx.db.prepare('EXPLAIN QUERY PLAN ' + q).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
    const p1 = plan(`SELECT p.rowid FROM patrols p WHERE p.deletedAt IS NULL ORDER BY p.date DESC, p.startTime DESC, p.rowid LIMIT 100 OFFSET 5000`)
    expect(p1).toMatch(/COVERING INDEX patrols_date/)
    expect(p1).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    const p2 = plan(`SELECT p.rowid FROM patrols p WHERE p.deletedAt IS NULL AND p.villageId = 'x' AND p.date >= '2025-01-01' ORDER BY p.date DESC, p.startTime DESC, p.rowid LIMIT 100`)
    expect(p2).toMatch(/COVERING INDEX patrols_village/)
    expect(p2).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    expect(plan(`SELECT count(*) FROM patrols p WHERE p.deletedAt IS NULL AND p.mode = 'foot' AND p.date BETWEEN '2025-01-01' AND '2025-01-31'`)).toMatch(/COVERING INDEX patrols_date/)

    const { v, lead } = await team()
    const mk = () => app.ok('patrols.create', { villageId: v.id, date: '2026-06-01', startTime: '19:00', endTime: '20:00', mode: 'foot', leaderId: lead.id, memberIds: [lead.id] })
    const a = await mk()
    expect((await app.ok('patrols.list', { limit: 1 })).total).toBe(1)
    await mk()
    expect((await app.ok('patrols.list', { limit: 1 })).total).toBe(2)
    await app.ok('patrols.delete', { id: a.id })
    expect((await app.ok('patrols.list', { limit: 1 })).total).toBe(1)
  })
})
