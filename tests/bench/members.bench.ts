import { uuidv7 } from '../../src/shared/uuid'
import { serve } from '../../src/main/http/server'
import { testApp } from '../helpers'
import { indexSearchBacklog, withoutSearchTrigger } from '../../src/main/db/search'
import { benchIdNumber, median, time, type Report } from './measure'

/** 100,000 members: a filtered, sorted 100-row page (first and deep), and one HTTP round trip. */
export async function benchMembers(report: Report): Promise<void> {
  const app = testApp()
  try {
    const villages = Array.from({ length: 20 }, (_, i) => uuidv7() + String(i))
    const now = new Date().toISOString()
    const db = app.ctx.db
    const insV = db.prepare("INSERT INTO villages (id, createdAt, updatedAt, township, name, kind) VALUES (?, ?, ?, '430103005', ?, 'village')")
    const insM = db.prepare(
      "INSERT INTO members (id, createdAt, updatedAt, township, name, idNumber, phone, villageId, roles, joinedOn) VALUES (?, ?, ?, '430103005', ?, ?, ?, ?, ?, '2024-01-01')",
    )
    const roles = ['["patrol_fulltime"]', '["gridder"]', '["mediator","volunteer"]', '["red_armband"]']
    // names as a roster has them: a surname and one or two characters (many 2-character names repeat)
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'
    const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华红玉梅建国志文斌辉鹏宇浩'
    const nameOf = (i: number) => {
      const r = (i * 7919) % 100_000
      return surnames[r % surnames.length]! + given[(r >> 4) % given.length]! + (r % 3 ? given[(r >> 9) % given.length]! : '')
    }
    db.transaction(() => {
      villages.forEach((id, i) => insV.run(id, now, now, `村${i}`))
      withoutSearchTrigger(db, 'members', () => {
        for (let i = 0; i < 100_000; i++)
          insM.run(uuidv7(), now, now, nameOf(i), benchIdNumber(i), `13${String((i * 104_729) % 1_000_000_000).padStart(9, '0')}`, villages[i % 20]!, roles[i % 4]!)
      })
    })()
    indexSearchBacklog(db)
    db.exec('ANALYZE')
    const query = (offset: number) => ({
      filters: { villageId: villages[3]!, role: 'patrol_fulltime' as const },
      sort: [{ field: 'name', dir: 'asc' as const }],
      offset,
      limit: 100,
    })
    const first = await median(30, () => time(() => app.invoke('members.list', query(0))))
    const deep = await median(30, () => time(() => app.invoke('members.list', { sort: [{ field: 'name', dir: 'desc' }], offset: 90_000, limit: 100 })))
    report('members: filtered+sorted page of 100, first page (100k members)', `${first.toFixed(2)} ms`, { value: first, unit: 'ms' })
    report('members: sorted page of 100 at offset 90,000', `${deep.toFixed(2)} ms`, { value: deep, unit: 'ms' })
    // issue 15.3: the search box from the trigram index, beside the LIKE scan it replaced (count and a sorted page)
    const like = (q: string) => {
      const p = `%${q}%`
      const where = 'm.deletedAt IS NULL AND (m.name LIKE @p OR m.idNumber LIKE @p OR m.phone LIKE @p OR v.name LIKE @p)'
      db.prepare(`SELECT count(*) FROM members m LEFT JOIN villages v ON v.id = m.villageId WHERE ${where}`).get({ p })
      db.prepare(`SELECT m.rowid FROM members m LEFT JOIN villages v ON v.id = m.villageId WHERE ${where} ORDER BY m.createdAt DESC LIMIT 100`).all({ p })
    }
    const probe = db.prepare('SELECT name, idNumber, phone FROM members WHERE rowid = 54321').get() as { name: string; idNumber: string; phone: string }
    for (const [what, q] of [
      [`a 2-character name (${probe.name.slice(0, 2)})`, probe.name.slice(0, 2)],
      [`a full name (${probe.name})`, probe.name],
      ['6 digits of an ID (birth year and month)', probe.idNumber.slice(6, 12)],
      ['the last 4 digits of a phone', probe.phone.slice(-4)],
      ['the last 6 characters of an ID', probe.idNumber.slice(-6)],
    ] as const) {
      const found = await app.invoke('members.list', { q, limit: 100 })
      if (!found.ok) throw new Error(found.error.message)
      // a new query each time, as a clerk types: the count is not the cached one
      const page = await median(15, () => time(async () => {
        db.prepare('UPDATE villages SET updatedAt = updatedAt WHERE rowid = 1').run()
        await app.invoke('members.list', { q, limit: 100 })
      }))
      const scan = await median(5, () => time(() => like(q)))
      report(`members: search 100k, ${what}: page ms (target ≤ 20) / LIKE scan ms`, `${page.toFixed(1)} / ${scan.toFixed(0)} (${(found.data as { total: number }).total} found)`, {
        value: Math.round(page * 10) / 10,
        unit: 'ms',
        target: '≤ 20 ms',
      })
    }
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
    report('HTTP round trip: members.list page (100 rows)', `${rt.toFixed(2)} ms`, { value: rt, unit: 'ms' })
    report('HTTP round trip: township.get', `${ping.toFixed(2)} ms`, { value: ping, unit: 'ms' })
    await running.close()
  } finally {
    await app.dispose()
  }
}
