import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CheckResult, Evaluation } from '../../src/shared/checklist/schema'
import { testApp, type TestApp } from '../helpers'
import { unit, village } from './checklistFixtures'

/**
 * Criteria that speak of hazards are judged from the hazard register: a hospital "无火灾隐患", a
 * property company "及时整改消防内部安全隐患", a school "无治安、安全隐患". A unit answers for its own
 * hazards only, and a year is judged as of its last day.
 */
let app: TestApp
beforeEach(() => {
  app = testApp()
})
afterEach(() => app.dispose())

const Y = 2025

function checkOf(ev: Evaluation, criterionId: string, targetId: string, metric: string): CheckResult {
  const r = ev.results.find((x) => x.criterionId === criterionId && x.targetId === targetId)
  if (!r) throw new Error(`no result for ${criterionId}`)
  const c = r.checks.find((k) => k.metric === metric)
  if (!c) throw new Error(`no ${metric} check in ${criterionId}`)
  return c
}

const hazard = (over: Record<string, unknown>) =>
  app.ok('hazards.create', {
    foundOn: '2025-03-01',
    location: '配电房',
    category: 'fire',
    description: '灭火器过期',
    level: 'general',
    foundBy: '张三',
    responsible: '李四',
    deadline: '2025-03-15',
    ...over,
  })

describe('checklist: hazard criteria', () => {
  it('a hospital with an open fire hazard is not 无火灾隐患 until the hazard is closed; another place’s hazard does not count', async () => {
    const v = await village(app, '新塘村')
    const hospital = await unit(app, '新塘卫生院', 'hospital', v, 80)
    await hazard({ villageId: v, location: '村部', description: '村部电线老化' })
    const h = await hazard({ villageId: v, unitId: hospital })

    let ev = await app.ok('checklist.evaluate', { setId: 'shida-2020', year: Y, targetId: hospital })
    let c = checkOf(ev, 'shida-2020.hospital.4', hospital, 'openFireHazardCount')
    expect(c.figure).toBe(1)
    expect(c.status).toBe('fail')
    expect(c.records?.map((r) => r.id)).toEqual([h.id])

    await app.ok('hazards.update', { id: h.id, status: 'closed', result: '已更换灭火器', reviewer: '王五', closedOn: '2025-03-10' })
    ev = await app.ok('checklist.evaluate', { setId: 'shida-2020', year: Y, targetId: hospital })
    c = checkOf(ev, 'shida-2020.hospital.4', hospital, 'openFireHazardCount')
    expect(c.figure).toBe(0)
    expect(c.status).toBe('pass')
  })

  it('a property company’s hazard past its deadline is overdue at the year’s end; one found the next year is not counted', async () => {
    const v = await village(app, '新塘村')
    const property = await unit(app, '新塘物业', 'property', v, 30)
    await hazard({ villageId: v, unitId: property, foundOn: '2025-11-01', deadline: '2025-11-20' })
    await hazard({ villageId: v, unitId: property, foundOn: '2026-01-05', deadline: '2026-01-10' })
    const ev = await app.ok('checklist.evaluate', { setId: 'shida-2020', year: Y, targetId: property })
    const c = checkOf(ev, 'shida-2020.property.2', property, 'hazardOverdueCount')
    expect(c.figure).toBe(1)
    expect(c.status).toBe('fail')
  })

  it('a hazard closed after the year’s end is still open in that year’s judgement', async () => {
    const v = await village(app, '新塘村')
    const school = await unit(app, '新塘小学', 'school', v, 300)
    const h = await hazard({ villageId: v, unitId: school, category: 'security', foundOn: '2025-12-20', deadline: '2026-01-20' })
    await app.ok('hazards.update', { id: h.id, status: 'closed', result: '已加装护栏', reviewer: '王五', closedOn: '2026-01-05' })
    const ev = await app.ok('checklist.evaluate', { setId: 'shida-2020', year: Y, targetId: school })
    expect(checkOf(ev, 'shida-2020.school.6', school, 'hazardOpenCount').figure).toBe(1)
    const next = await app.ok('checklist.evaluate', { setId: 'shida-2020', year: Y + 1, targetId: school })
    expect(checkOf(next, 'shida-2020.school.6', school, 'hazardOpenCount').figure).toBe(0)
  })
})
