import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import type { HazardCreateInput } from '../../src/shared/hazards/schema'
import { formatRate } from '../../src/shared/stats/rates'
import { craftPackage } from './packageCraft'
import { readSigningKey } from '../../src/main/handoff/signing'
import { tempDir, testApp, type TestApp } from '../helpers'

/** The fifth register, 安全隐患排查整改台账: records, the stage rule, rates, reminders, org and packages. */

// "today" is Monday 15 June 2026
const TODAY = '2026-06-15'
let app: TestApp
let xt: string
let nj: string
let school: string
let loose: string
const extra: TestApp[] = []
const dirs: string[] = []

beforeEach(async () => {
  app = testApp()
  app.ctx.today = () => TODAY
  xt = (await app.ok('villages.create', { name: '新塘村', kind: 'village' })).id
  nj = (await app.ok('villages.create', { name: '牛角塘村', kind: 'village' })).id
  school = (await app.ok('units.create', { name: '新塘小学', kind: 'school', villageId: xt })).id
  loose = (await app.ok('units.create', { name: '湘南食品有限公司', kind: 'enterprise' })).id
})
afterEach(async () => {
  await app.dispose()
  for (const a of extra.splice(0)) await a.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function hazard(extra: Partial<HazardCreateInput> = {}): HazardCreateInput {
  return {
    foundOn: '2026-05-10',
    villageId: xt,
    location: '村部后山坡',
    category: 'fire',
    description: '山坡杂草丛生，紧邻村部，清明前后易引发山火',
    level: 'general',
    foundBy: '张三',
    ...extra,
  }
}
const add = (extra: Partial<HazardCreateInput> = {}) => app.ok('hazards.create', hazard(extra))
const closed = { status: 'closed' as const, result: '杂草已清理，设置防火隔离带', reviewer: '李四' }

describe('hazard records', () => {
  it('creates, reads, edits, deletes and restores a hazard, with the village and unit names and the audit trail', async () => {
    const h = await add({ responsible: '王五', deadline: '2026-05-31' })
    expect(h).toMatchObject({
      foundOn: '2026-05-10',
      villageId: xt,
      unitId: null,
      villageName: '新塘村',
      unitName: null,
      location: '村部后山坡',
      category: 'fire',
      level: 'general',
      foundBy: '张三',
      responsible: '王五',
      deadline: '2026-05-31',
      measures: '',
      result: '',
      reviewer: '',
      closedOn: null,
      status: 'open',
      deletedAt: null,
      township: '430103005',
    })
    expect(await app.ok('hazards.get', { id: h.id })).toEqual(h)

    const r = await app.ok('hazards.update', { id: h.id, status: 'rectifying', measures: '组织村民清理杂草' })
    expect(r).toMatchObject({ status: 'rectifying', measures: '组织村民清理杂草', responsible: '王五' })
    const c = await app.ok('hazards.update', { id: h.id, ...closed, closedOn: '2026-05-28' })
    expect(c).toMatchObject({ status: 'closed', closedOn: '2026-05-28', result: closed.result, reviewer: '李四', overdue: false })

    expect(await app.ok('hazards.delete', { id: h.id })).toEqual({ id: h.id })
    expect(await app.err('hazards.get', { id: h.id })).toMatchObject({ code: 'not_found', field: 'id' })
    expect((await app.ok('hazards.list', {})).total).toBe(0)
    expect((await app.ok('hazards.list', { includeDeleted: true })).total).toBe(1)
    expect(await app.ok('hazards.restore', { id: h.id })).toMatchObject({ id: h.id, deletedAt: null, status: 'closed' })

    // the audit list names the register and its fields in Chinese
    const trail = await app.ok('audit.list', { recordId: h.id })
    expect(trail.rows.map((e) => e.action)).toEqual(['restore', 'delete', 'update', 'update', 'create'])
    expect(trail.rows.every((e) => e.tableLabel === '安全隐患')).toBe(true)
    // named by its 地点/部位, the definition's name field
    expect(trail.rows[0]!.recordLabel).toBe(h.location)
    const closing = trail.rows[2]!.changes
    expect(closing.map((x) => [x.label, x.old, x.new])).toEqual([
      ['整改情况', '', closed.result],
      ['复查人', '', '李四'],
      ['销号日期', null, '2026-05-28'],
      ['整改状态', 'rectifying', 'closed'],
    ])
    const created = trail.rows[4]!.changes.map((x) => x.label)
    expect(created).toEqual(expect.arrayContaining(['发现日期', '所属村（社区）', '地点/部位', '隐患类别', '隐患描述', '风险等级', '发现人', '整改责任人', '整改期限']))
    expect((await app.ok('audit.filters', {})).tables).toContainEqual({ name: 'hazards', label: '安全隐患' })
  })

  it("a unit given alone lends the hazard its village; a unit without one leaves it to the unit", async () => {
    const s = await add({ villageId: null, unitId: school, location: '食堂', category: 'food', description: '留样记录不全' })
    expect(s).toMatchObject({ villageId: xt, villageName: '新塘村', unitId: school, unitName: '新塘小学' })
    const f = await add({ villageId: undefined, unitId: loose, location: '仓库', category: 'electric', description: '仓库内使用碘钨灯照明' })
    expect(f).toMatchObject({ villageId: null, villageName: null, unitId: loose, unitName: '湘南食品有限公司' })
    // a village given with the unit is kept as given
    const both = await add({ villageId: nj, unitId: loose })
    expect(both).toMatchObject({ villageId: nj, unitId: loose })
    // the unit's village also comes in when an edit takes the village away
    const moved = await app.ok('hazards.update', { id: both.id, villageId: null, unitId: school })
    expect(moved).toMatchObject({ villageId: xt, unitId: school })
    // a unit of one village is not filed under another
    const e = await app.err('hazards.create', hazard({ villageId: nj, unitId: school }))
    expect(e).toMatchObject({ field: 'unitId', message: '所属单位不在所选的村（社区），请重新选择村（社区）或单位' })
    expect((await app.ok('hazards.list', {})).total).toBe(3)
  })

  it('lists with filters, quick search, sort and paging', async () => {
    const a = await add({ foundOn: '2026-05-01', deadline: '2026-06-01', responsible: '王五' })
    const b = await add({ foundOn: '2026-03-02', villageId: nj, location: '沿河路下河台阶', category: 'water', description: '河边无防护栏', level: 'major', deadline: '2026-03-20', ...closed, closedOn: '2026-03-18' })
    const c = await add({ foundOn: '2025-11-20', villageId: null, unitId: school, location: '教学楼走廊', category: 'fire', description: '灭火器压力不足', status: 'rectifying', deadline: '2026-07-01' })
    const ids = async (input: object) => (await app.ok('hazards.list', input)).rows.map((h) => h.id)
    expect(await ids({})).toEqual([a.id, b.id, c.id])
    expect(await ids({ sort: [{ field: 'foundOn', dir: 'asc' }] })).toEqual([c.id, b.id, a.id])
    expect(await ids({ sort: [{ field: 'level', dir: 'desc' }, { field: 'foundOn', dir: 'asc' }] })).toEqual([b.id, c.id, a.id])
    expect(await ids({ filters: { villageId: nj } })).toEqual([b.id])
    expect(await ids({ filters: { unitId: school } })).toEqual([c.id])
    expect(await ids({ filters: { status: 'rectifying' } })).toEqual([c.id])
    expect(await ids({ filters: { category: 'water' } })).toEqual([b.id])
    expect(await ids({ filters: { level: 'major' } })).toEqual([b.id])
    expect(await ids({ filters: { year: 2025 } })).toEqual([c.id])
    expect(await ids({ filters: { foundFrom: '2026-03-01', foundTo: '2026-04-30' } })).toEqual([b.id])
    expect(await ids({ filters: { overdue: true } })).toEqual([a.id])
    expect(await ids({ filters: { overdue: false } })).toEqual([b.id, c.id])
    expect(await ids({ filters: { location: '河' } })).toEqual([b.id])
    expect(await ids({ filters: { description: '灭火器' } })).toEqual([c.id])
    expect(await ids({ q: '王五' })).toEqual([a.id])
    expect(await ids({ q: '牛角塘' })).toEqual([b.id])
    expect(await ids({ q: '防护栏' })).toEqual([b.id])
    expect(await ids({ q: '%' })).toEqual([])
    const page = await app.ok('hazards.list', { limit: 2, offset: 2 })
    expect({ total: page.total, ids: page.rows.map((h) => h.id) }).toEqual({ total: 3, ids: [c.id] })
    const row = (await app.ok('hazards.list', { filters: { overdue: true } })).rows[0]!
    expect(row).toMatchObject({ overdue: true, villageName: '新塘村', unitName: null })
  })
})

describe('the stage rule', () => {
  it('refuses each broken rule with its message and field, and changes nothing', async () => {
    const cases: [Partial<HazardCreateInput>, string, string][] = [
      [{ foundOn: '2026-06-16' }, 'foundOn', '发现日期不能晚于今天'],
      [{ villageId: null }, 'villageId', '请选择所属村（社区）或所属单位'],
      [{ deadline: '2026-05-09' }, 'deadline', '整改期限不能早于发现日期'],
      [{ status: 'closed', reviewer: '李四', closedOn: '2026-05-20' }, 'result', '销号的隐患请填写整改情况'],
      [{ status: 'closed', result: '  ', reviewer: '李四', closedOn: '2026-05-20' }, 'result', '销号的隐患请填写整改情况'],
      [{ status: 'closed', result: '已整改', closedOn: '2026-05-20' }, 'reviewer', '销号的隐患请填写复查人'],
      [{ ...closed }, 'closedOn', '销号的隐患请填写销号日期'],
      [{ ...closed, closedOn: '2026-05-09' }, 'closedOn', '销号日期不能早于发现日期'],
      [{ ...closed, closedOn: '2026-06-16' }, 'closedOn', '销号日期不能晚于今天'],
      [{ status: 'rectifying', closedOn: '2026-05-20' }, 'closedOn', '「整改中」的隐患还没有销号，不能填写销号日期；已销号请把整改状态改为「已销号」'],
      [{ villageId: 'no-such-village' }, 'villageId', '所选的村（社区）不存在或已删除'],
      [{ unitId: 'no-such-unit' }, 'unitId', '所选的单位不存在或已删除'],
      [{ location: '  ' }, 'location', '请填写地点/部位'],
      [{ category: 'flood' as never }, 'category', '请选择隐患类别（消防、治安、交通、用电、建筑、涉水、食品、其他）'],
      [{ level: 'low' as never }, 'level', '请选择风险等级（一般、较大、重大）'],
      [{ deadline: '2026-02-30' }, 'deadline', '整改期限不是有效日期（格式：2026-03-01）'],
    ]
    const before = app.contentHash()
    for (const [change, field, message] of cases) expect(await app.err('hazards.create', hazard(change)), message).toEqual({ code: 'invalid_input', field, message })
    expect(app.contentHash()).toBe(before)
  })

  it('moves only forward, never out of 已销号, and an edit is judged on the whole record', async () => {
    const h = await add({ deadline: '2026-05-31' })
    await app.ok('hazards.update', { id: h.id, status: 'rectifying' })
    let before = app.contentHash()
    expect(await app.err('hazards.update', { id: h.id, status: 'open' })).toEqual({ code: 'invalid_input', field: 'status', message: '隐患已在整改中，不能改回「待整改」' })
    // closing asks for what closing needs, on the stored record
    expect(await app.err('hazards.update', { id: h.id, status: 'closed', closedOn: '2026-05-30' })).toMatchObject({ field: 'result' })
    expect(await app.err('hazards.update', { id: h.id, foundOn: '2026-06-01' })).toEqual({ code: 'invalid_input', field: 'deadline', message: '整改期限不能早于发现日期' })
    expect(await app.err('hazards.update', { id: h.id, villageId: null })).toMatchObject({ field: 'villageId' })
    expect(app.contentHash()).toBe(before)
    await app.ok('hazards.update', { id: h.id, ...closed, closedOn: '2026-05-30' })
    before = app.contentHash()
    for (const to of ['open', 'rectifying'] as const)
      expect(await app.err('hazards.update', { id: h.id, status: to })).toEqual({ code: 'invalid_input', field: 'status', message: `隐患已销号，不能改为「${to === 'open' ? '待整改' : '整改中'}」` })
    expect(await app.err('hazards.update', { id: h.id, reviewer: '' })).toMatchObject({ field: 'reviewer', message: '销号的隐患请填写复查人' })
    expect(app.contentHash()).toBe(before)
    // a closed hazard's other fields may still be corrected
    expect(await app.ok('hazards.update', { id: h.id, location: '村部后山坡（东侧）' })).toMatchObject({ location: '村部后山坡（东侧）', status: 'closed' })
    // an old closed item may be entered as such (back-filling a paper ledger)
    expect(await add({ foundOn: '2024-03-01', deadline: '2024-03-15', ...closed, closedOn: '2024-03-10' })).toMatchObject({ status: 'closed' })
  })

  it('a hazard comes back only to a village that is still there', async () => {
    const g = (await app.ok('villages.create', { name: '桂井村', kind: 'village' })).id
    const h = await add({ villageId: g })
    await app.ok('hazards.delete', { id: h.id })
    await app.ok('villages.delete', { id: g })
    const before = app.contentHash()
    expect(await app.err('hazards.restore', { id: h.id })).toEqual({ code: 'invalid_input', field: 'villageId', message: '所选的村（社区）不存在或已删除' })
    expect(app.contentHash()).toBe(before)
  })
})

describe('整改率 and 按期整改率', () => {
  it('counts hazards found in the year: closed / found, and closed by the deadline (or without one) / closed', async () => {
    const d = { deadline: '2025-03-31' }
    // 7 found in 2025 in 新塘村: 5 closed, 4 of them on time (one without a deadline)
    await add({ foundOn: '2025-03-01', ...d, ...closed, closedOn: '2025-03-20' })
    await add({ foundOn: '2025-03-01', ...d, ...closed, closedOn: '2025-03-31' })
    await add({ foundOn: '2025-03-01', ...closed, closedOn: '2025-09-01' })
    await add({ foundOn: '2025-03-01', villageId: null, unitId: school, ...d, ...closed, closedOn: '2025-03-25' })
    await add({ foundOn: '2025-03-01', ...d, ...closed, closedOn: '2025-04-01' })
    await add({ foundOn: '2025-12-31', deadline: '2026-01-10', status: 'rectifying' })
    await add({ foundOn: '2025-01-01' })
    // not counted: found in another year, or deleted
    await add({ foundOn: '2024-12-31', ...closed, closedOn: '2025-01-05' })
    await app.ok('hazards.delete', { id: (await add({ foundOn: '2025-06-01' })).id })
    // 牛角塘村: 1 found, closed late
    await add({ foundOn: '2025-05-01', villageId: nj, deadline: '2025-05-10', ...closed, closedOn: '2025-05-11' })

    const village = await app.ok('stats.rates', { year: 2025, villageId: xt })
    expect(village.counts).toMatchObject({ hazardsFound: 7, hazardsClosed: 5, hazardsClosedOnTime: 4 })
    expect([formatRate(village.hazardRectificationRate), formatRate(village.hazardOnTimeRate)]).toEqual(['71.4%', '80.0%'])
    expect(village.hazardRectificationRate).toBeCloseTo(5 / 7, 12)
    expect(village.hazardOnTimeRate).toBe(0.8)

    const all = await app.ok('stats.rates', { year: 2025 })
    expect(all.counts).toMatchObject({ hazardsFound: 8, hazardsClosed: 6, hazardsClosedOnTime: 4 })
    expect(all.hazardRectificationRate).toBe(0.75)
    expect(all.hazardOnTimeRate).toBeCloseTo(4 / 6, 12)

    const by = await app.ok('stats.ratesByVillage', { year: 2025 })
    const row = (id: string) => by.rows.find((r) => r.villageId === id)!
    expect([row(xt).hazardRectificationRate, row(xt).hazardOnTimeRate]).toEqual([village.hazardRectificationRate, 0.8])
    expect([row(nj).hazardRectificationRate, row(nj).hazardOnTimeRate]).toEqual([1, 0])
    expect([by.total.hazardRectificationRate, by.total.hazardOnTimeRate]).toEqual([all.hazardRectificationRate, all.hazardOnTimeRate])

    // no hazards found, no figure: "no data", never 100%
    const none = await app.ok('stats.rates', { year: 2023 })
    expect([none.hazardRectificationRate, none.hazardOnTimeRate, none.counts.hazardsFound]).toEqual([null, null, 0])
    // found but none closed yet: 整改率 0, 按期整改率 no data
    const open = await app.ok('stats.rates', { year: 2026 })
    expect([open.hazardRectificationRate, open.hazardOnTimeRate]).toEqual([null, null])
    await add({ foundOn: '2026-06-01' })
    const one = await app.ok('stats.rates', { year: 2026 })
    expect([one.hazardRectificationRate, one.hazardOnTimeRate]).toEqual([0, null])
  })
})

describe('overdue hazards on the to-do list', () => {
  it('lists every hazard not closed whose deadline has passed, and links to it', async () => {
    const late = await add({ deadline: '2026-06-12' })
    const unit = await add({ villageId: null, unitId: school, location: '教学楼配电箱', category: 'electric', description: '配电箱未上锁', status: 'rectifying', deadline: '2026-06-01' })
    const town = await add({ villageId: null, unitId: loose, location: '仓库', category: 'electric', description: '碘钨灯照明', deadline: '2026-06-14' })
    await add({ deadline: TODAY }) // due today: not yet overdue
    await add({ deadline: '2026-06-01', ...closed, closedOn: '2026-06-10' }) // closed late: done
    await app.ok('hazards.delete', { id: (await add({ deadline: '2026-06-01' })).id })
    await add({}) // no deadline

    const r = await app.ok('reminders.list', { kinds: ['hazard_overdue'] })
    expect(r.counts.hazard_overdue).toBe(3)
    expect(r.rows.map((x) => x.recordId)).toEqual([unit.id, late.id, town.id])
    expect(r.rows[1]).toEqual({
      kind: 'hazard_overdue',
      register: 'hazards',
      recordId: late.id,
      title: '村部后山坡',
      detail: '新塘村 村部后山坡 消防隐患 已逾期3天',
      dueOn: '2026-06-12',
      overdue: true,
      villageName: '新塘村',
    })
    expect(r.rows[0]!.detail).toBe('新塘村 新塘小学 教学楼配电箱 用电隐患 已逾期14天')
    expect(r.rows[2]!).toMatchObject({ detail: '湘南食品有限公司 仓库 用电隐患 已逾期1天', villageName: null })
    // the list's 逾期 filter agrees with the reminder
    expect((await app.ok('hazards.list', { filters: { overdue: true } })).rows.map((h) => h.id).sort()).toEqual([late.id, unit.id, town.id].sort())
    // per village, and with the other kinds
    expect((await app.ok('reminders.list', { villageId: nj, kinds: ['hazard_overdue'] })).total).toBe(0)
    expect((await app.ok('reminders.list', {})).counts.hazard_overdue).toBe(3)
    // once closed it leaves the list
    await app.ok('hazards.update', { id: late.id, ...closed, closedOn: TODAY })
    expect((await app.ok('reminders.list', { kinds: ['hazard_overdue'] })).rows.map((x) => x.recordId)).toEqual([unit.id, town.id])
  })
})

describe('indexes', () => {
  it('the list, the rates and the overdue reminder are answered from an index, not a scan of the register', () => {
    const plan = (q: string) => (app.ctx.db.prepare('EXPLAIN QUERY PLAN ' + q).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
    const queries = [
      "SELECT h.rowid FROM hazards h WHERE h.deletedAt IS NULL ORDER BY h.foundOn DESC, h.rowid DESC LIMIT 100",
      "SELECT h.rowid FROM hazards h WHERE h.deletedAt IS NULL AND h.township = '430103005' ORDER BY h.foundOn DESC, h.rowid DESC LIMIT 100",
      "SELECT h.rowid FROM hazards h WHERE h.deletedAt IS NULL AND h.villageId = 'x' ORDER BY h.foundOn DESC, h.rowid DESC LIMIT 100",
      "SELECT count(*) FROM hazards h WHERE h.foundOn BETWEEN '2025-01-01' AND '2025-12-31' AND h.deletedAt IS NULL",
      "SELECT h.id FROM hazards h WHERE h.status IN ('open', 'rectifying') AND h.deletedAt IS NULL AND h.deadline < '2026-06-15'",
      "SELECT count(*) FROM hazards WHERE unitId = 'x' AND deletedAt IS NULL",
    ]
    for (const q of queries) {
      const p = plan(q)
      expect(p, q).toMatch(/USING (COVERING )?INDEX hazards_/)
      expect(p, q).not.toMatch(/SCAN h(azards)?\b|TEMP B-TREE/)
    }
  })
})

describe('the organisation', () => {
  it('a village or unit that hazards still hold cannot be deleted', async () => {
    const g = (await app.ok('villages.create', { name: '桂井村', kind: 'village' })).id
    const h = await add({ villageId: g })
    const u = await add({ villageId: null, unitId: loose })
    const before = app.contentHash()
    expect(await app.err('villages.delete', { id: g })).toEqual({ code: 'conflict', field: 'id', message: '「桂井村」下还有1条安全隐患，请先移走或删除这些记录后再删除' })
    expect(await app.err('units.delete', { id: loose })).toEqual({ code: 'conflict', field: 'id', message: '单位「湘南食品有限公司」下还有1条安全隐患，请先调整后再删除' })
    // the other holders are still counted, members first as before
    expect((await app.err('villages.delete', { id: xt })).message).toBe('「新塘村」下还有1个单位，请先移走或删除这些记录后再删除')
    expect(app.contentHash()).toBe(before)
    await app.ok('hazards.delete', { id: h.id })
    await app.ok('hazards.delete', { id: u.id })
    await app.ok('villages.delete', { id: g })
    await app.ok('units.delete', { id: loose })
  })
})

describe('packages', () => {
  async function setUp(mode: 'township' | 'county'): Promise<TestApp> {
    const a = testApp({ setup: false })
    extra.push(a)
    if (mode === 'township') await a.ok('township.setup', { mode, name: '大托铺街道', code: '430103005', county: '天心区' })
    else await a.ok('township.setup', { mode, code: '430103', county: '天心区' })
    return a
  }

  it('a hazard travels to the county with every field, and its rates are the same there', async () => {
    const t = await setUp('township')
    const v = (await t.ok('villages.create', { name: '新塘村', kind: 'village' })).id
    const u = (await t.ok('units.create', { name: '新塘小学', kind: 'school', villageId: v })).id
    const a = await t.ok('hazards.create', hazard({ villageId: null, unitId: u, foundOn: '2026-03-01', deadline: '2026-03-10', responsible: '王五', measures: '更换灭火器', ...closed, closedOn: '2026-03-09' }))
    const b = await t.ok('hazards.create', hazard({ villageId: v, foundOn: '2026-04-01', deadline: '2026-04-05' }))
    const gone = await t.ok('hazards.create', hazard({ villageId: v, foundOn: '2026-04-02' }))
    await t.ok('hazards.delete', { id: gone.id })
    const usb = tempDir('pingan-usb-')
    dirs.push(usb)
    const out = await t.ok('package.export', { dir: usb })
    expect(out.tables.find((x) => x.table === 'hazards')).toMatchObject({ rows: 3 })

    const c = await setUp('county')
    const preview = await c.ok('package.preview', { files: [out.file] })
    expect(preview.totals.find((x) => x.table === 'hazards')).toMatchObject({ label: '安全隐患', new: 2, deleted: 1 })
    await c.ok('package.import', { files: [out.file] })
    const rows = (x: TestApp) => x.ctx.db.prepare('SELECT * FROM hazards ORDER BY id').all()
    expect(rows(c)).toEqual(rows(t))
    const list = await c.ok('hazards.list', { filters: { township: '430103005' }, sort: [{ field: 'foundOn', dir: 'asc' }] })
    expect(list.rows.map((h) => [h.id, h.villageName, h.unitName])).toEqual([
      [a.id, '新塘村', '新塘小学'],
      [b.id, '新塘村', null],
    ])
    // the county's read-only register reads as the clerk wrote it: labels, Chinese codes, names
    const shown = await c.ok('county.records', { table: 'hazards', township: '430103005', sort: [{ field: 'foundOn', dir: 'asc' }] })
    expect(shown.columns.find((x) => x.field === 'status')?.label).toBe('整改状态')
    expect(shown.rows[0]).toMatchObject({ status: '已销号', category: '消防', villageId: '新塘村', unitId: '新塘小学' })
    const own = await t.ok('stats.rates', { year: 2026 })
    const there = await c.ok('stats.rates', { year: 2026, township: '430103005' })
    expect([there.hazardRectificationRate, there.hazardOnTimeRate]).toEqual([own.hazardRectificationRate, own.hazardOnTimeRate])
    expect(own.hazardRectificationRate).toBe(0.5)

    // a row the stage rule refuses is refused at the county, naming the register, row and field
    const key = readSigningKey(t.dir)!
    const bad = craftPackage(out.file, 'bad.pingan', (lines) => {
      const at = lines.findIndex((l) => l.startsWith('{') && (JSON.parse(l) as { table: string }).table === 'hazards')
      const columns = (JSON.parse(lines[at]!) as { columns: string[] }).columns
      const copy = [...lines]
      const row = JSON.parse(copy[at + 1]!) as unknown[]
      row[columns.indexOf('reviewer')] = ''
      row[columns.indexOf('status')] = 'closed'
      row[columns.indexOf('closedOn')] = '2026-03-09'
      row[columns.indexOf('result')] = '已整改'
      copy[at + 1] = JSON.stringify(row)
      return copy
    }, key, { dir: usb })
    const c2 = await setUp('county')
    const before = c2.contentHash()
    const e = await c2.err('package.import', { files: [bad] })
    expect(e.message).toContain('「安全隐患」第 1 条记录')
    expect(e.message).toContain('销号的隐患请填写复查人')
    expect(c2.contentHash()).toBe(before)
  })
})
