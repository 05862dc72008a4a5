import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/main/demo/demo'
import { caseRefusals } from '../../src/shared/mediation/stage'
import type { CaseStatus } from '../../src/shared/mediation/schema'
import { patrolTimeRefusal } from '../../src/shared/patrols/times'
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
    } finally {
      a.dispose()
    }
  })
})
