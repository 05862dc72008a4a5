import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/main/demo/demo'
import { caseRefusals } from '../../src/shared/mediation/stage'
import type { CaseStatus } from '../../src/shared/mediation/schema'
import { patrolTimeRefusal } from '../../src/shared/patrols/times'
import { hazardRefusals, isOverdue, type HazardFacts } from '../../src/shared/hazards/stage'
import { testApp } from '../helpers'

/** The demo township holds only records the forms would accept: the same shared rules judge them. */
describe('demo data', () => {
  it('every case and patrol passes the rules the forms and handlers use', async () => {
    const a = testApp()
    try {
      await runDemo(a.ctx, { scale: 1 })
      const today = a.ctx.today()
      const cases = a.ctx.db.prepare('SELECT * FROM mediation_cases').all() as Record<string, string | null>[]
      expect(cases.length).toBeGreaterThan(20)
      for (const c of cases) {
        const facts = { ...c, status: c.status as CaseStatus, parties: JSON.parse(c.parties!), followUps: JSON.parse(c.followUps!) } as Parameters<typeof caseRefusals>[0]
        expect(caseRefusals(facts, today), `${c.caseNo} ${c.status}`).toEqual([])
      }
      const times = a.ctx.db.prepare('SELECT DISTINCT startTime, endTime FROM patrols').all() as { startTime: string; endTime: string }[]
      expect(times.length).toBeGreaterThan(3)
      for (const t of times) expect(patrolTimeRefusal(t.startTime, t.endTime), `${t.startTime}-${t.endTime}`).toBeNull()
      const hazards = a.ctx.db.prepare('SELECT * FROM hazards').all() as (HazardFacts & { id: string })[]
      for (const h of hazards) expect(hazardRefusals(h, today), `${h.id} ${h.status}`).toEqual([])
    } finally {
      await a.dispose()
    }
  })

  it('every village has hazards over the years, mostly closed on time, some late, a few open and a couple overdue', async () => {
    const a = testApp()
    try {
      const counts = await runDemo(a.ctx, { scale: 1 })
      const today = a.ctx.today()
      const hazards = a.ctx.db.prepare('SELECT * FROM hazards').all() as (HazardFacts & { id: string; category: string })[]
      expect(counts.hazards).toBe(hazards.length)
      const villages = a.ctx.db.prepare('SELECT id FROM villages').all() as { id: string }[]
      for (const v of villages) expect(hazards.filter((h) => h.villageId === v.id).length).toBeGreaterThan(3)
      const years = new Set(hazards.map((h) => h.foundOn.slice(0, 4)))
      expect(years.size).toBeGreaterThanOrEqual(2)
      const closed = hazards.filter((h) => h.status === 'closed')
      const late = closed.filter((h) => h.deadline && h.closedOn! > h.deadline)
      expect(closed.length / hazards.length).toBeGreaterThan(0.8)
      expect(late.length).toBeGreaterThan(0)
      expect(late.length / closed.length).toBeLessThan(0.3)
      // the newest three are still open or being fixed, two more are past their deadline
      expect(hazards.filter((h) => h.status !== 'closed').length).toBeGreaterThanOrEqual(5)
      expect(hazards.filter((h) => isOverdue(h, today)).length).toBe(2)
      expect((await a.ok('reminders.list', { kinds: ['hazard_overdue'] })).total).toBe(2)
      // schools and markets have their fire and electric hazards, the villages their water ones
      const kinds = a.ctx.db
        .prepare(`SELECT DISTINCT u.kind || ':' || h.category AS k FROM hazards h JOIN units u ON u.id = h.unitId`)
        .all()
        .map((r) => (r as { k: string }).k)
      expect(kinds).toEqual(expect.arrayContaining(['school:fire', 'school:electric', 'market:fire', 'market:electric']))
      expect(hazards.some((h) => h.category === 'water' && !h.unitId)).toBe(true)
    } finally {
      await a.dispose()
    }
  })
})
