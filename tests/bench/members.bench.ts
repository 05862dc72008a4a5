import { uuidv7 } from '../../src/shared/uuid'
import { serve } from '../../src/main/http/server'
import { testApp } from '../helpers'
import { benchIdNumber, median, time } from './measure'

/** 100,000 members: a filtered, sorted 100-row page (first and deep), and one HTTP round trip. */
export async function benchMembers(report: (name: string, value: string) => void): Promise<void> {
  const app = testApp()
  try {
    const villages = Array.from({ length: 20 }, (_, i) => uuidv7() + String(i))
    const now = new Date().toISOString()
    const db = app.ctx.db
    const insV = db.prepare("INSERT INTO villages (id, createdAt, updatedAt, township, name, kind) VALUES (?, ?, ?, '430103005', ?, 'village')")
    const insM = db.prepare(
      "INSERT INTO members (id, createdAt, updatedAt, township, name, idNumber, phone, villageId, roles, joinedOn) VALUES (?, ?, ?, '430103005', ?, ?, '13800000000', ?, ?, '2024-01-01')",
    )
    const roles = ['["patrol_fulltime"]', '["gridder"]', '["mediator","volunteer"]', '["red_armband"]']
    db.transaction(() => {
      villages.forEach((id, i) => insV.run(id, now, now, `村${i}`))
      for (let i = 0; i < 100_000; i++)
        insM.run(uuidv7(), now, now, `成员${(i * 7919) % 100_000}`, benchIdNumber(i), villages[i % 20]!, roles[i % 4]!)
    })()
    db.exec('ANALYZE')
    const query = (offset: number) => ({
      filters: { villageId: villages[3]!, role: 'patrol_fulltime' as const },
      sort: [{ field: 'name', dir: 'asc' as const }],
      offset,
      limit: 100,
    })
    const first = await median(30, () => time(() => app.invoke('members.list', query(0))))
    const deep = await median(30, () => time(() => app.invoke('members.list', { sort: [{ field: 'name', dir: 'desc' }], offset: 90_000, limit: 100 })))
    const search = await median(30, () => time(() => app.invoke('members.list', { q: '成员123', sort: [{ field: 'joinedOn', dir: 'asc' }], limit: 100 })))
    report('members: filtered+sorted page of 100, first page (100k members)', `${first.toFixed(2)} ms`)
    report('members: sorted page of 100 at offset 90,000', `${deep.toFixed(2)} ms`)
    report('members: quick search page', `${search.toFixed(2)} ms`)
    const running = await serve({ invoke: app.invoke, staticDir: '/nonexistent' })
    const call = () =>
      time(async () => {
        const res = await fetch(`http://127.0.0.1:${running.port}/api/invoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Pingan-Token': running.token },
          body: JSON.stringify({ method: 'members.list', input: query(0) }),
        })
        await res.json()
      })
    const rt = await median(50, call)
    const ping = await median(50, () =>
      time(async () => {
        const res = await fetch(`http://127.0.0.1:${running.port}/api/invoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Pingan-Token': running.token },
          body: JSON.stringify({ method: 'township.get', input: {} }),
        })
        await res.json()
      }),
    )
    report('HTTP round trip: members.list page (100 rows)', `${rt.toFixed(2)} ms`)
    report('HTTP round trip: township.get', `${ping.toFixed(2)} ms`)
    await running.close()
  } finally {
    app.dispose()
  }
}
