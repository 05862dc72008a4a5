import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CheckResult, CriterionResult, Evaluation } from '../../src/shared/checklist/schema'
import { recordTables } from '../../src/main/db/tables'
import { testApp, type TestApp } from '../helpers'
import { TOWNSHIP, aftercarePerson, grid, mediationCase, member, members, unit, village } from './checklistFixtures'

let app: TestApp
beforeEach(() => {
  app = testApp()
})
afterEach(() => app.dispose())

const Y = 2025

function result(ev: Evaluation, criterionId: string, targetId: string): CriterionResult {
  const r = ev.results.find((x) => x.criterionId === criterionId && x.targetId === targetId)
  if (!r) throw new Error(`no result for ${criterionId} × ${targetId}`)
  return r
}

function check(r: CriterionResult, label: string | RegExp): CheckResult {
  const c = r.checks.find((k) => (typeof label === 'string' ? k.metric === label || k.key === label : label.test(k.label)))
  if (!c) throw new Error(`no check ${String(label)} in ${r.criterionId}`)
  return c
}

const evaluate = (setId: string, targetId?: string) => app.ok('checklist.evaluate', { setId, year: Y, ...(targetId ? { targetId } : {}) })

describe('checklist sets and criteria', () => {
  it('lists the five shipped sets with their targets', async () => {
    const sets = await app.ok('checklist.sets', {})
    expect(sets.map((s) => s.id).sort()).toEqual(['cunju', 'jingqu', 'liuda-2015', 'shida-2020', 'xibao-2017'])
    const liuda = sets.find((s) => s.id === 'liuda-2015')!
    expect(liuda.origin).toBe('shipped')
    expect(liuda.targets.map((t) => t.id)).toEqual(['village', 'school', 'hospital', 'market', 'scenic', 'family'])
    expect(liuda.targets[0]!.label).toBe('平安村（社区）')
  })

  it("returns each catalog's criteria count per target as in the document", async () => {
    const expected: Record<string, Record<string, number>> = {
      'liuda-2015': { village: 9, school: 7, hospital: 4, market: 6, scenic: 5, family: 6 },
      cunju: { township: 9, common: 11, community: 4, village: 3, unit: 5 },
      'xibao-2017': { township: 2, school: 4, hospital: 5, family: 2, enterprise: 3 },
      'shida-2020': { family: 2, grid: 8, property: 7, village: 9, street: 10, school: 7, business: 6, hospital: 7, enterprise: 7, association: 4 },
      jingqu: { township: 3, scenic: 7 },
    }
    for (const [setId, counts] of Object.entries(expected)) {
      const criteria = await app.ok('checklist.criteria', { setId })
      const got: Record<string, number> = {}
      for (const c of criteria) got[c.target] = (got[c.target] ?? 0) + 1
      expect(got, setId).toEqual(counts)
      for (const c of criteria) {
        expect(c.id).toBe(`${setId}.${c.target}.${c.n}`)
        expect(c.text.length).toBeGreaterThan(0)
        expect(Array.isArray(c.lead)).toBe(true)
        expect(c.checks.length).toBeGreaterThan(0)
      }
    }
  })

  it('refuses an unknown set with a Chinese message', async () => {
    const e = await app.err('checklist.evaluate', { setId: 'nope', year: Y })
    expect(e.code).toBe('not_found')
    expect(e.message).toContain('没有这个标准集')
  })
})

describe('targets', () => {
  it('maps target kinds to villages, communities, grids, units, families and the township', async () => {
    const v = await village(app, '新塘村', 'village')
    const c = await village(app, '洞井社区', 'community')
    const g = await grid(app, v, '第一网格', 50)
    const school = await unit(app, '大托中心小学', 'school', v, 300)
    const shop = await unit(app, '大托建材城', 'business', c, 20)
    const fam = await app.ok('families.create', { name: '张建国家庭', villageId: v, householder: '张建国', address: '新塘村3组', declaredOn: '2025-02-01' })

    const liuda = await evaluate('liuda-2015')
    const ids = (kind: string) => liuda.targets.filter((t) => t.kind === kind).map((t) => t.id).sort()
    // liuda's 平安村（社区） covers both kinds
    expect(ids('village')).toEqual([v, c].sort())
    expect(ids('school')).toEqual([school])
    expect(ids('family')).toEqual([fam.id])

    const cunju = await evaluate('cunju')
    const cids = (kind: string) => cunju.targets.filter((t) => t.kind === kind).map((t) => t.id).sort()
    expect(cids('village')).toEqual([v])
    expect(cids('community')).toEqual([c])
    expect(cids('unit')).toEqual([school, shop].sort())
    expect(cids('township')).toEqual([TOWNSHIP])
    // 共性标准 are checked for every village, community and unit, before their own criteria
    const villageKind = cunju.kinds.find((k) => k.kind === 'village')!
    expect(villageKind.criterionIds.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => `cunju.common.${i + 1}`))
    expect(villageKind.criterionIds.slice(11)).toEqual(['cunju.village.1', 'cunju.village.2', 'cunju.village.3'])
    expect(cunju.results.some((r) => r.criterionId === 'cunju.common.1' && r.targetId === shop)).toBe(true)

    const shida = await evaluate('shida-2020')
    expect(shida.targets.filter((t) => t.kind === 'grid').map((t) => t.id)).toEqual([g])
    expect(shida.targets.filter((t) => t.kind === 'street').map((t) => t.id)).toEqual([TOWNSHIP])
    expect(shida.targets.filter((t) => t.kind === 'business').map((t) => t.id)).toEqual([shop])
  })

  it('declares, edits and removes families', async () => {
    const v = await village(app, '新塘村')
    const before = app.contentHash()
    const e = await app.err('families.create', { name: '', villageId: v, householder: '李四', declaredOn: '2025-01-01' })
    expect(e.field).toBe('name')
    expect(app.contentHash()).toBe(before)
    const f = await app.ok('families.create', { name: '李四家庭', villageId: v, householder: '李四', declaredOn: '2025-01-01' })
    expect(f.villageName).toBe('新塘村')
    expect((await app.err('families.create', { name: '李四家庭', villageId: v, householder: '李四', declaredOn: '2025-01-01' })).code).toBe('duplicate')
    const u = await app.ok('families.update', { id: f.id, address: '新塘村5组' })
    expect(u.address).toBe('新塘村5组')
    expect((await app.ok('families.list', {})).rows.map((x) => x.name)).toEqual(['李四家庭'])
    await app.ok('families.delete', { id: f.id })
    expect((await app.ok('families.list', {})).total).toBe(0)
    expect((await evaluate('liuda-2015')).targets.filter((t) => t.kind === 'family')).toEqual([])
    // declared after the year: not a target of that year
    await app.ok('families.create', { name: '王五家庭', villageId: v, householder: '王五', declaredOn: '2026-01-05' })
    expect((await evaluate('liuda-2015')).targets.filter((t) => t.kind === 'family')).toEqual([])
  })

  it('makes checklist entries and families record tables that travel in packages', () => {
    expect(recordTables).toContain('families')
    expect(recordTables).toContain('checklist_entries')
    expect(recordTables.indexOf('families')).toBeGreaterThan(recordTables.indexOf('villages'))
  })
})

describe('metric checks at their boundaries', () => {
  it('成功率 ≥ 98%: 49 of 50 successes pass, 48 do not', async () => {
    const a = await village(app, '甲村')
    const b = await village(app, '乙村')
    for (let i = 0; i < 49; i++) await mediationCase(app, a, 'success')
    await mediationCase(app, a, 'failed')
    for (let i = 0; i < 48; i++) await mediationCase(app, b, 'success')
    await mediationCase(app, b, 'failed')
    await mediationCase(app, b, 'failed')
    // a case of another year never counts
    await mediationCase(app, b, 'failed', { receivedOn: '2024-12-31' })
    const ev = await evaluate('cunju')
    const ra = result(ev, 'cunju.common.9', a)
    const rb = result(ev, 'cunju.common.9', b)
    expect(check(ra, 'mediationSuccessRate')).toMatchObject({ status: 'pass', figure: 0.98, numerator: 49, denominator: 50, threshold: 0.98 })
    expect(check(rb, 'mediationSuccessRate')).toMatchObject({ status: 'fail', figure: 0.96, numerator: 48, denominator: 50 })
    expect(ra.status).toBe('met')
    expect(rb.status).toBe('unmet')
  })

  it('调解率 = 100% and 履行率 = 100%: one pending or one unfulfilled agreement fails', async () => {
    const a = await village(app, '甲村')
    for (let i = 0; i < 10; i++) await mediationCase(app, a, 'success')
    let r = result(await evaluate('cunju'), 'cunju.common.9', a)
    expect(r.status).toBe('met')
    await mediationCase(app, a, 'pending')
    await mediationCase(app, a, 'success', { fulfillment: 'partial' })
    r = result(await evaluate('cunju'), 'cunju.common.9', a)
    expect(check(r, 'mediationRate')).toMatchObject({ status: 'fail', numerator: 11, denominator: 12 })
    expect(check(r, 'mediationFulfillmentRate')).toMatchObject({ status: 'fail', numerator: 10, denominator: 11 })
    expect(r.status).toBe('unmet')
  })

  it('rates with no data are unknown, not met', async () => {
    const a = await village(app, '甲村')
    const r = result(await evaluate('cunju'), 'cunju.common.9', a)
    for (const k of r.checks) expect(k).toMatchObject({ status: 'unknown', figure: null })
    expect(r.status).toBe('unknown')
    const r8 = result(await evaluate('cunju'), 'cunju.common.8', a)
    expect(r8.status).toBe('unknown')
  })

  it('巡防队 ≥ 6: a team of 5 fails and 6 passes; communities need 8 专职; members who left before the year do not count', async () => {
    const five = await village(app, '五人村')
    const six = await village(app, '六人村')
    const seven = await village(app, '七人社区', 'community')
    const eight = await village(app, '八人社区', 'community')
    await members(app, 5, ['patrol_fulltime'], { villageId: five })
    await member(app, ['patrol_parttime'], { villageId: five }, { joinedOn: '2019-01-01', leftOn: '2024-12-31' })
    await member(app, ['patrol_fulltime'], { villageId: five }, { joinedOn: '2026-01-01' })
    await member(app, ['mediator'], { villageId: five })
    await members(app, 5, ['patrol_fulltime'], { villageId: six })
    await member(app, ['patrol_parttime', 'patrol_fulltime'], { villageId: six }) // one person, counted once
    await members(app, 7, ['patrol_fulltime'], { villageId: seven })
    await members(app, 8, ['patrol_parttime'], { villageId: eight })

    const liuda = await evaluate('liuda-2015')
    expect(check(result(liuda, 'liuda-2015.village.4', five), 'patrolTeamSize')).toMatchObject({ status: 'fail', figure: 5 })
    expect(check(result(liuda, 'liuda-2015.village.4', six), 'patrolTeamSize')).toMatchObject({ status: 'pass', figure: 6 })

    // liuda's 专兼职 team counts both roles: the 8 兼职 of the last community make its team
    expect(check(result(liuda, 'liuda-2015.village.4', eight), 'patrolTeamSize')).toMatchObject({ status: 'pass', figure: 8 })

    // cunju's 专职巡防队伍 counts full-time members only
    const cunju = await evaluate('cunju')
    const c7 = (id: string) => result(cunju, 'cunju.common.7', id).checks.filter((k) => k.metric === 'fulltimePatrolTeamSize')
    expect(c7(five)).toMatchObject([{ status: 'fail', figure: 5, threshold: 6 }])
    expect(c7(six)).toMatchObject([{ status: 'pass', figure: 6, threshold: 6 }])
    expect(c7(seven)).toMatchObject([{ status: 'fail', figure: 7, threshold: 8 }])
    expect(c7(eight)).toMatchObject([{ status: 'fail', figure: 0, threshold: 8 }])

    // 总体目标: the smallest 专职 team of each kind
    const t2 = result(cunju, 'cunju.township.2', TOWNSHIP)
    expect(check(t2, 'villageFulltimePatrolMin')).toMatchObject({ status: 'fail', figure: 5 })
    expect(check(t2, 'communityFulltimePatrolMin')).toMatchObject({ status: 'fail', figure: 0 })
  })

  it('帮教率 100% and 安置率 ≥ 98%: 49 of 50 placed pass, 48 do not; a person without a visit this year fails 帮教率', async () => {
    const a = await village(app, '甲村')
    const b = await village(app, '乙村')
    for (let i = 0; i < 49; i++) await aftercarePerson(app, a)
    await aftercarePerson(app, a, { placement: 'unplaced' })
    for (let i = 0; i < 48; i++) await aftercarePerson(app, b)
    await aftercarePerson(app, b, { placement: 'unplaced' })
    await aftercarePerson(app, b, { placement: 'unplaced', visitOn: '2024-11-01' })
    // released after the year: not under aftercare in it (and so not yet visited: a visit before the release is refused)
    await aftercarePerson(app, b, { releasedOn: '2026-02-01', placement: 'unplaced', visitOn: null })
    const ev = await evaluate('cunju')
    const ra = result(ev, 'cunju.common.8', a)
    const rb = result(ev, 'cunju.common.8', b)
    expect(check(ra, 'releasedPlacementRate')).toMatchObject({ status: 'pass', figure: 0.98, numerator: 49, denominator: 50 })
    expect(check(ra, 'releasedAftercareRate')).toMatchObject({ status: 'pass', figure: 1 })
    expect(ra.status).toBe('met')
    expect(check(rb, 'releasedPlacementRate')).toMatchObject({ status: 'fail', numerator: 48, denominator: 50 })
    expect(check(rb, 'releasedAftercareRate')).toMatchObject({ status: 'fail', numerator: 49, denominator: 50 })
    expect(rb.status).toBe('unmet')
  })

  it('重新犯罪率 ≤ 2.8%: 1 of 36 passes, 1 of 35 does not; one 社区矫正对象 脱管 in the year fails 脱管漏管 = 0', async () => {
    const a = await village(app, '甲村')
    const b = await village(app, '乙村')
    for (let i = 0; i < 35; i++) await aftercarePerson(app, a)
    await aftercarePerson(app, a, { reoffendedOn: '2025-05-01' })
    for (let i = 0; i < 34; i++) await aftercarePerson(app, b)
    await aftercarePerson(app, b, { reoffendedOn: '2025-05-01' })
    await aftercarePerson(app, b, { kind: 'community_correction', lostContactPeriods: [{ from: '2025-06-01', to: '2025-06-20' }] })
    const ev = await evaluate('shida-2020')
    expect(check(result(ev, 'shida-2020.village.3', a), 'releasedRecidivismRate')).toMatchObject({ status: 'pass', numerator: 1, denominator: 36 })
    expect(check(result(ev, 'shida-2020.village.3', a), 'correctionLostContactCount')).toMatchObject({ status: 'pass', figure: 0 })
    expect(check(result(ev, 'shida-2020.village.3', b), 'releasedRecidivismRate')).toMatchObject({ status: 'fail', numerator: 1, denominator: 35 })
    expect(check(result(ev, 'shida-2020.village.3', b), 'correctionLostContactCount')).toMatchObject({ status: 'fail', figure: 1 })
  })

  it('红袖章 and 协会会员 ≥ 20% of households: 10 of 50 pass, 9 do not', async () => {
    const v = await village(app, '甲村', 'village', 50)
    const w = await village(app, '乙村', 'village', 50)
    const g1 = await grid(app, v, '第一网格', 50)
    const g2 = await grid(app, v, '第二网格', 50)
    await members(app, 10, ['red_armband'], { villageId: v, gridId: g1 })
    await members(app, 9, ['red_armband', 'volunteer'], { villageId: v, gridId: g2 })
    await members(app, 10, ['association_member'], { villageId: v })
    await members(app, 9, ['association_member'], { villageId: w })
    const ev = await evaluate('shida-2020')
    expect(check(result(ev, 'shida-2020.grid.1', g1), 'redArmbandRatio')).toMatchObject({ status: 'pass', figure: 0.2, numerator: 10, denominator: 50 })
    expect(check(result(ev, 'shida-2020.grid.1', g2), 'redArmbandRatio')).toMatchObject({ status: 'fail', numerator: 9 })
    expect(check(result(ev, 'shida-2020.village.2', v), 'associationRatio')).toMatchObject({ status: 'pass', figure: 0.2 })
    expect(check(result(ev, 'shida-2020.village.2', w), 'associationRatio')).toMatchObject({ status: 'fail', figure: 0.18 })
  })

  it('保安: a unit of 250 needs 3 guards (2 fail, 3 pass); a school needs 2 专职保安', async () => {
    const v = await village(app, '甲村')
    const u2 = await unit(app, '二人厂', 'enterprise', v, 250)
    const u3 = await unit(app, '三人厂', 'enterprise', v, 250)
    const s1 = await unit(app, '一保安小学', 'school', v, 300)
    const s2 = await unit(app, '二保安小学', 'school', v, 300)
    await members(app, 2, ['guard'], { unitId: u2 })
    await members(app, 3, ['guard'], { unitId: u3 })
    await members(app, 1, ['guard'], { unitId: s1 })
    await members(app, 2, ['guard'], { unitId: s2 })
    const cunju = await evaluate('cunju')
    expect(check(result(cunju, 'cunju.unit.2', u2), 'guardSufficiency')).toMatchObject({ status: 'fail', numerator: 2, denominator: 3 })
    expect(check(result(cunju, 'cunju.unit.2', u3), 'guardSufficiency')).toMatchObject({ status: 'pass', figure: 1 })
    const xibao = await evaluate('xibao-2017')
    expect(check(result(xibao, 'xibao-2017.school.2', s1), 'guardCount')).toMatchObject({ status: 'fail', figure: 1 })
    expect(check(result(xibao, 'xibao-2017.school.2', s2), 'guardCount')).toMatchObject({ status: 'pass', figure: 2 })
  })

  it('shows the records behind a metric when one target is opened', async () => {
    const a = await village(app, '甲村')
    const b = await village(app, '乙村')
    const ok = await mediationCase(app, a, 'success')
    const bad = await mediationCase(app, a, 'failed')
    await mediationCase(app, a, 'pending')
    await mediationCase(app, b, 'success')
    const ev = await evaluate('cunju', a)
    expect(ev.targets.map((t) => t.id)).toEqual([a])
    expect(new Set(ev.results.map((r) => r.targetId))).toEqual(new Set([a]))
    const success = check(result(ev, 'cunju.common.9', a), 'mediationSuccessRate')
    expect(success.recordsTotal).toBe(2)
    expect(success.records!.map((r) => [r.id, r.counted]).sort()).toEqual([[bad, false], [ok, true]].sort())
    expect(success.records!.find((r) => r.id === ok)!.detail).toContain('调解成功')
    const rate = check(result(ev, 'cunju.common.9', a), 'mediationRate')
    expect(rate.recordsTotal).toBe(3)
    // the full matrix carries no record lists
    expect(check(result(await evaluate('cunju'), 'cunju.common.9', a), 'mediationSuccessRate').records).toBeUndefined()
  })
})

describe('values and attestations', () => {
  it('keeps a value check unknown until the value is entered, then compares it at the boundary', async () => {
    const v = await village(app, '甲村')
    let r = result(await evaluate('cunju'), 'cunju.common.10', v)
    expect(r.status).toBe('unknown')
    expect(r.checks[0]).toMatchObject({ kind: 'value', key: 'awareness', status: 'unknown', figure: null })

    let a = await app.ok('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, value: 0.9, note: '2025年5月问卷调查', evidence: '问卷汇总表' })
    expect(a.result.status).toBe('met')
    expect(a.entry).toMatchObject({ values: { awareness: 0.9 }, note: '2025年5月问卷调查', evidence: '问卷汇总表' })
    a = await app.ok('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, value: 0.89 })
    expect(a.result.status).toBe('unmet')
    expect(a.entry.note).toBe('2025年5月问卷调查') // kept when not sent
    r = result(await evaluate('cunju'), 'cunju.common.10', v)
    expect(r).toMatchObject({ status: 'unmet', entry: { values: { awareness: 0.89 } } })
    // another year is another answer
    const other = await app.ok('checklist.evaluate', { setId: 'cunju', year: 2024 })
    expect(result(other, 'cunju.common.10', v).status).toBe('unknown')
  })

  it('takes several values of one criterion by key, and stays unknown while one is missing', async () => {
    const v = await village(app, '甲村')
    await members(app, 6, ['patrol_fulltime'], { villageId: v })
    const id = 'liuda-2015.village.4'
    const e = await app.err('checklist.attest', { criterionId: id, targetId: v, year: Y, value: 0.95 })
    expect(e.message).toContain('个填报数值')
    let a = await app.ok('checklist.attest', { criterionId: id, targetId: v, year: Y, values: { awareness: 0.95 }, attested: true })
    expect(a.result.status).toBe('unknown')
    expect(check(a.result, 'satisfaction').status).toBe('unknown')
    a = await app.ok('checklist.attest', { criterionId: id, targetId: v, year: Y, values: { satisfaction: 0.93 } })
    expect(a.result.status).toBe('met')
    expect(a.entry.values).toEqual({ awareness: 0.95, satisfaction: 0.93 })
    a = await app.ok('checklist.attest', { criterionId: id, targetId: v, year: Y, values: { satisfaction: null } })
    expect(a.result.status).toBe('unknown')
  })

  it('never lends a value to another criterion with the same key; a survey serves another criterion only when linked', async () => {
    const v = await village(app, '甲村')
    await app.ok('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, value: 0.92 })
    let liuda = await evaluate('liuda-2015')
    expect(check(result(liuda, 'liuda-2015.village.4', v), 'awareness')).toMatchObject({ status: 'unknown', figure: null })
    expect(check(result(liuda, 'liuda-2015.village.4', v), 'awareness').valueFrom).toBeUndefined()
    const survey = { asked: '对基本安全防范常识的知晓情况', respondents: '本村住户，抽样100户', conductedOn: '2025-05-10' }
    await app.ok('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, surveys: { awareness: survey } })
    await app.ok('checklist.attest', { criterionId: 'liuda-2015.village.4', targetId: v, year: Y, links: { awareness: { criterionId: 'cunju.common.10', key: 'awareness' } } })
    liuda = await evaluate('liuda-2015')
    expect(check(result(liuda, 'liuda-2015.village.4', v), 'awareness')).toMatchObject({ status: 'pass', figure: 0.92, valueFrom: 'cunju.common.10', survey })
  })

  it('refuses a percentage outside 0..1, an unknown key, and a yes/no on a numbers-only criterion, changing nothing', async () => {
    const v = await village(app, '甲村')
    const before = app.contentHash()
    let e = await app.err('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, value: 92 })
    expect(e).toMatchObject({ code: 'invalid_input', field: 'values' })
    expect(e.message).toContain('0 到 1 之间的小数')
    e = await app.err('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, values: { happiness: 0.5 } })
    expect(e.message).toContain('happiness')
    e = await app.err('checklist.attest', { criterionId: 'cunju.common.10', targetId: v, year: Y, attested: true })
    expect(e.field).toBe('attested')
    e = await app.err('checklist.attest', { criterionId: 'cunju.common.99', targetId: v, year: Y, attested: true })
    expect(e.code).toBe('not_found')
    e = await app.err('checklist.attest', { criterionId: 'cunju.unit.1', targetId: v, year: Y, attested: true })
    expect(e).toMatchObject({ code: 'not_found', field: 'targetId' })
    expect(app.contentHash()).toBe(before)
  })

  it('an attestation is yes/no with a note and evidence; unknown until answered', async () => {
    const v = await village(app, '甲村')
    expect(result(await evaluate('cunju'), 'cunju.common.1', v).status).toBe('unknown')
    let a = await app.ok('checklist.attest', { criterionId: 'cunju.common.1', targetId: v, year: Y, attested: true, note: '经核查无群体性事件', evidence: '派出所证明' })
    expect(a.result).toMatchObject({ status: 'met', checks: [{ kind: 'attest', status: 'pass', attested: true }] })
    a = await app.ok('checklist.attest', { criterionId: 'cunju.common.1', targetId: v, year: Y, attested: false })
    expect(a.result.status).toBe('unmet')
    expect(a.entry).toMatchObject({ attested: false, note: '经核查无群体性事件', evidence: '派出所证明' })
    a = await app.ok('checklist.attest', { criterionId: 'cunju.common.1', targetId: v, year: Y, attested: null })
    expect(a.result.status).toBe('unknown')
    // one entry per criterion, target and year, kept as a record with an audit trail
    const n = app.ctx.db.prepare('SELECT count(*) AS n FROM checklist_entries WHERE deletedAt IS NULL').get() as { n: number }
    expect(n.n).toBe(1)
  })

  it('不适用: the 城区 figures of cunju 总体目标 can be marked not applicable with a reason; a kind with no target is not applicable', async () => {
    const v = await village(app, '甲村')
    await members(app, 6, ['patrol_fulltime'], { villageId: v })
    const id = 'cunju.township.2'
    let a = await app.ok('checklist.attest', { criterionId: id, targetId: TOWNSHIP, year: Y, values: { seatPatrolSize: 22 } })
    expect(a.result.status).toBe('unknown')
    // no community in this township: the community minimum does not apply, and says why
    expect(check(a.result, 'communityFulltimePatrolMin')).toMatchObject({ status: 'na', reason: '本乡镇（街道）没有社区' })
    const before = app.contentHash()
    const e = await app.err('checklist.attest', { criterionId: id, targetId: TOWNSHIP, year: Y, notApplicable: ['urbanPatrolSize', 'urbanPlainclothesSize'] })
    expect(e).toMatchObject({ code: 'invalid_input', field: 'notApplicableReason' })
    expect(app.contentHash()).toBe(before)
    a = await app.ok('checklist.attest', { criterionId: id, targetId: TOWNSHIP, year: Y, notApplicable: ['urbanPatrolSize', 'urbanPlainclothesSize'], notApplicableReason: '本镇无城区' })
    expect(check(a.result, 'urbanPatrolSize')).toMatchObject({ status: 'na', reason: '本镇无城区' })
    expect(a.result.status).toBe('met')
    expect(a.entry.notApplicableKeys.sort()).toEqual(['urbanPatrolSize', 'urbanPlainclothesSize'])
    // a whole criterion marked not applicable is its own state, not 达标
    a = await app.ok('checklist.attest', { criterionId: 'cunju.village.3', targetId: v, year: Y, notApplicable: true, notApplicableReason: '本村住户均已统一安装技防设施，由县里验收' })
    expect(a.result).toMatchObject({ status: 'na', notApplicable: true })
    a = await app.ok('checklist.attest', { criterionId: 'cunju.village.3', targetId: v, year: Y, notApplicable: false })
    expect(a.result.status).toBe('unknown')
  })
})

describe('roll-ups', () => {
  it('counts 创建率 and 达标率 per target kind and overall, and feeds them to the 总体目标 metrics', async () => {
    const a = await village(app, '甲村')
    const b = await village(app, '乙村')
    const c = await village(app, '丙社区', 'community')
    const s1 = await unit(app, '一小', 'school', a, 100)
    const s2 = await unit(app, '二小', 'school', b, 100)
    const xibao = 'xibao-2017'
    const criteria = await app.ok('checklist.criteria', { setId: xibao })
    // school s1: answer every criterion yes (item 2 is the guard count: give it 2 guards)
    await members(app, 2, ['guard'], { unitId: s1 })
    for (const cr of criteria.filter((x) => x.target === 'school' && x.checks.some((k) => k.kind === 'attest'))) {
      const keyed = cr.checks.flatMap((k) => (k.kind === 'attest' && k.key ? [k.key] : []))
      await app.ok('checklist.attest', { criterionId: cr.id, targetId: s1, year: Y, ...(keyed.length ? { attestations: Object.fromEntries(keyed.map((k) => [k, true])) } : { attested: true }) })
    }
    // school s2: one answer, a no
    await app.ok('checklist.attest', { criterionId: 'xibao-2017.school.1', targetId: s2, year: Y, attested: false })

    let ev = await evaluate(xibao)
    expect(ev.targetStatus[s1]).toBe('met')
    expect(ev.targetStatus[s2]).toBe('unmet')
    const school = ev.rollups.find((r) => r.kind === 'school')!
    expect(school).toMatchObject({ total: 2, participating: 2, met: 1, unmet: 1, unknown: 0, notStarted: 0, creationRate: 1, passRate: 0.5 })
    const hospital = ev.rollups.find((r) => r.kind === 'hospital')!
    expect(hospital).toMatchObject({ total: 0, participating: 0, creationRate: null, passRate: null })
    // 总体目标 (xibao township.1): 覆盖率 100%, 达标率 ≥ 90% over the same targets
    const t1 = result(ev, 'xibao-2017.township.1', TOWNSHIP)
    expect(check(t1, 'creationRate')).toMatchObject({ status: 'pass', figure: 1 })
    expect(check(t1, 'passRate')).toMatchObject({ status: 'fail', figure: 0.5 })
    expect(ev.overall).toMatchObject({ kind: 'overall', total: 2, participating: 2, met: 1, passRate: 0.5 })

    // liuda: villages count the units inside them (平安村 item 2), the township counts everything
    await app.ok('checklist.attest', { criterionId: 'liuda-2015.school.1', targetId: s1, year: Y, attested: true })
    ev = await evaluate('liuda-2015')
    const v2 = result(ev, 'liuda-2015.village.2', a)
    expect(check(v2, 'creationRate')).toMatchObject({ figure: 1, numerator: 1, denominator: 1, status: 'pass' })
    expect(check(v2, 'passRate')).toMatchObject({ figure: 0, status: 'fail' }) // s1 has 6 unanswered liuda criteria
    expect(check(result(ev, 'liuda-2015.village.2', b), 'creationRate')).toMatchObject({ figure: 0, status: 'fail' })
    expect(check(result(ev, 'liuda-2015.village.2', c), 'creationRate')).toMatchObject({ figure: null, status: 'unknown' })
    const overall = ev.overall
    expect(overall).toMatchObject({ total: 5, participating: 1, notStarted: 4, creationRate: 0.2, met: 0, unknown: 1, passRate: 0 })
  })
})

describe('importing a county-issued set', () => {
  const good = {
    formatVersion: 1,
    id: 'county-2026',
    title: '某县2026年平安村创建标准',
    source: '某县综治委文件',
    targets: [{ id: 'village', label: '平安村' }],
    criteria: [
      {
        id: 'county-2026.village.1',
        target: 'village',
        n: 1,
        text: '矛盾纠纷调解成功率达到95%以上。',
        lead: ['县司法局'],
        assist: [],
        checks: [{ kind: 'metric', metric: 'mediationSuccessRate', op: '>=', threshold: 0.95, label: '调解成功率' }],
      },
    ],
  }

  it('refuses a bad set file with a clear list of what is wrong, and loads nothing', async () => {
    const before = app.contentHash()
    const bad = structuredClone(good) as Record<string, unknown> & { criteria: Record<string, unknown>[] }
    bad.criteria[0]!.text = ''
    bad.criteria[0]!.n = 0
    bad.title = 42
    const e = await app.err('checklist.importSet', { json: JSON.stringify(bad) })
    expect(e.code).toBe('invalid_input')
    const lines = e.message.split('\n')
    expect(lines[0]).toBe('标准集文件有 3 处错误，未导入任何内容：')
    expect(lines.slice(1).sort()).toEqual(['title：应为文字', 'criteria[0].text：不能为空', 'criteria[0].n：应为正整数'].sort())
    expect(app.contentHash()).toBe(before)

    // a well-formed file that breaks a rule spanning fields (98 written for 98%)
    const pct = structuredClone(good)
    pct.criteria[0]!.checks[0]!.threshold = 95
    const e2 = await app.err('checklist.importSet', { json: JSON.stringify(pct) })
    expect(e2.message.split('\n')).toEqual([
      '标准集文件有 1 处错误，未导入任何内容：',
      'criteria[0].checks[0].threshold：百分比应写成 0 到 1 之间的小数（如 90% 写 0.9），现为 95',
    ])
    expect(app.contentHash()).toBe(before)
    expect((await app.ok('checklist.sets', {})).map((s) => s.id)).not.toContain('county-2026')

    const notJson = await app.err('checklist.importSet', { json: '{"formatVersion": 1, ' })
    expect(notJson.message).toMatch(/^标准集文件不是有效的 JSON，未导入任何内容/)
    expect(app.contentHash()).toBe(before)
  })

  it('loads a valid set, which can then be evaluated', async () => {
    const r = await app.ok('checklist.importSet', { json: JSON.stringify(good) })
    expect(r).toMatchObject({ replaced: null, set: { id: 'county-2026', origin: 'imported', criteriaCount: 1 } })
    expect(r.message).toContain('已导入标准集「某县2026年平安村创建标准」')
    const sets = await app.ok('checklist.sets', {})
    expect(sets.map((s) => s.id)).toContain('county-2026')
    const v = await village(app, '甲村')
    for (let i = 0; i < 19; i++) await mediationCase(app, v, 'success')
    await mediationCase(app, v, 'failed')
    const ev = await evaluate('county-2026')
    expect(result(ev, 'county-2026.village.1', v).status).toBe('met')
  })

  it('replaces a shipped set with the same id only when the file validates, and says so', async () => {
    const shipped = JSON.parse(readFileSync(fileURLToPath(new URL('../../resources/standards/jingqu.json', import.meta.url)), 'utf8')) as {
      title: string
      criteria: { text: string }[]
    }
    const broken = structuredClone(shipped)
    broken.criteria[0]!.text = ''
    await app.err('checklist.importSet', { json: JSON.stringify(broken) })
    let jingqu = (await app.ok('checklist.sets', {})).find((s) => s.id === 'jingqu')!
    expect(jingqu.origin).toBe('shipped')

    const revised = structuredClone(shipped)
    revised.title = '景区安全管理制度（2026年修订）'
    const r = await app.ok('checklist.importSet', { json: JSON.stringify(revised) })
    expect(r.replaced).toBe('shipped')
    expect(r.message).toContain('替换了程序自带的同编号标准集')
    jingqu = (await app.ok('checklist.sets', {})).find((s) => s.id === 'jingqu')!
    expect(jingqu).toMatchObject({ origin: 'imported', replacesShipped: true, title: '景区安全管理制度（2026年修订）' })
    expect((await app.ok('checklist.sets', {})).filter((s) => s.id === 'jingqu')).toHaveLength(1)
    const again = await app.ok('checklist.importSet', { json: JSON.stringify(revised) })
    expect(again.replaced).toBe('imported')
  })
})
