import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { makeIdNumber } from '../../src/shared/idNumber'
import { runDemo } from '../../src/main/demo/demo'
import { DB_FILE } from '../../src/main/app'
import { openDatabase } from '../../src/main/db/connection'
import { migrations } from '../../src/main/db/migrations'
import * as m009 from '../../src/main/db/migrations/009_search'
import { indexSearchBacklog, mergeSearchIndexes, pauseSearchTrigger, scheduleSearchIndex, searchTuning, searchWhere, type PageWay } from '../../src/main/db/search'
import { pairToken, pairTokens } from '../../src/main/db/pairs'
import { contains } from '../../src/main/db/paging'
import { tuning } from '../../src/main/handoff/import'
import { tempDir, testApp, type TestApp } from '../helpers'
import { rmSync } from 'node:fs'

/**
 * Issue 15.3: the registers' search box is answered by a trigram index kept by triggers. What a
 * clerk notices: a 2-character name, a piece of an ID or phone number, a word of a finding is found,
 * exactly the records the old scan found; the index is there for a database from before it, and a
 * county's merged rows are found too.
 */
const apps: TestApp[] = []
const dirs: string[] = []
afterEach(async () => {
  while (apps.length) await apps.pop()!.dispose()
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

function app(): TestApp {
  const a = testApp()
  apps.push(a)
  return a
}

const surnames = '王李张刘陈杨黄赵吴周'
const given = '伟芳娜敏静丽强磊军洋'
const ID = (i: number) => makeIdNumber('430103', new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), 1 + (i % 900))

/** n members with 2- and 3-character names, IDs and phones, written as the register writes them */
async function members(a: TestApp, n: number): Promise<void> {
  const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  for (let i = 0; i < n; i++) {
    const name = surnames[i % 10]! + given[Math.floor(i / 10) % 10]! + (i % 3 ? '' : given[(i * 7) % 10]!)
    await a.ok('members.create', { name, idNumber: ID(i), phone: `138${String(i * 7919).padStart(8, '0')}`, villageId: v.id, roles: ['volunteer'], joinedOn: '2024-01-01' })
  }
}

const names = async (a: TestApp, q: string) => (await a.ok('members.list', { q, limit: 1000, fullId: true, sort: [{ field: 'name', dir: 'asc' }] })).rows.map((m) => m.idNumber).sort()

/** what the old LIKE scan over name, ID and phone returned */
function scanned(a: TestApp, q: string): string[] {
  const p = `%${q}%`
  return (a.ctx.db.prepare('SELECT idNumber FROM members WHERE deletedAt IS NULL AND (name LIKE ? OR idNumber LIKE ? OR phone LIKE ?)').pluck().all(p, p, p) as string[]).sort()
}

describe('the search box of the member register', () => {
  it('finds exactly what the scan found: 2-character names, one character, ID and phone fragments, nothing', { timeout: 60_000 }, async () => {
    const a = app()
    await members(a, 300)
    const all = a.ctx.db.prepare('SELECT name, idNumber, phone FROM members').all() as { name: string; idNumber: string; phone: string }[]
    const queries = new Set(['王伟', '伟', '张芳娜', '芳', 'x', 'X', '0101', '138000', '19600', '没有这个人', '王伟伟伟'])
    // pieces of stored values at every length from 1 to 6, from the start, the middle and the end
    for (const [i, m] of all.entries()) {
      if (i % 7) continue
      for (const v of [m.name, m.idNumber, m.phone]) for (let len = 1; len <= 6; len++) queries.add(v.slice((i % v.length) % Math.max(1, v.length - len + 1)).slice(0, len))
    }
    // the index answering whatever it finds (1 and 2 characters through its term list), then as shipped
    // (a text in many rows is scanned instead): the same records either way
    const shipped = searchTuning.scanShare
    try {
      searchTuning.scanShare = 0
      for (const q of queries) expect(await names(a, q), `index: q = ${q}`).toEqual(scanned(a, q))
    } finally {
      searchTuning.scanShare = shipped
    }
    for (const q of queries) expect(await names(a, q), `q = ${q}`).toEqual(scanned(a, q))
    expect(scanned(a, '王伟').length).toBeGreaterThan(2)
  })

  it('is answered from the index, not by reading the whole register', { timeout: 60_000 }, async () => {
    const a = app()
    await members(a, 300)
    const db = a.ctx.db
    const plan = (q: string) => {
      const c = a.ctx.k
        .selectFrom('members as m')
        .select('m.id')
        .where((eb) => searchWhere(db, 'members', 'm.rowid', q, eb.or([contains('m.name', q), contains('m.idNumber', q), contains('m.phone', q)])))
        .compile()
      return (db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...c.parameters) as { detail: string }[]).map((r) => r.detail).join('\n')
    }
    const three = db.prepare('SELECT name FROM members WHERE length(name) = 3 LIMIT 1').pluck().get() as string
    for (const q of ['王伟', '00553', three]) {
      expect(plan(q), q).toMatch(/VIRTUAL TABLE/)
      expect(plan(q), q).not.toMatch(/SCAN m\b/)
    }
    // two characters are one token of the pair index; longer texts are phrases of the trigram index
    expect(plan('王伟')).toContain('members_pairs')
    expect(plan(three)).toContain('members_search')
    // a text in most rows (138 begins every phone) is scanned: the faster way for it
    expect(plan('138')).toMatch(/SCAN m\b/)
  })

  it('follows every change: an edited name, a deleted and restored member', { timeout: 60_000 }, async () => {
    const a = app()
    await members(a, 20)
    const m = (await a.ok('members.list', { q: '王伟', limit: 10 })).rows[0]!
    await a.ok('members.update', { id: m.id, name: '欧阳修' })
    expect((await a.ok('members.list', { q: '欧阳', limit: 10 })).rows.map((x) => x.id)).toEqual([m.id])
    expect((await a.ok('members.list', { q: '王伟', limit: 10 })).rows.map((x) => x.id)).not.toContain(m.id)
    await a.ok('members.delete', { id: m.id })
    expect((await a.ok('members.list', { q: '欧阳', limit: 10 })).total).toBe(0)
    expect((await a.ok('members.list', { q: '欧阳', limit: 10, includeDeleted: true })).total).toBe(1)
  })
})

describe('the other registers', () => {
  it('patrols by route and finding, cases by party, number and summary, people, visits and hazards by their words', { timeout: 60_000 }, async () => {
    const a = app()
    runDemo(a.ctx, { scale: 1, today: '2026-06-30' })
    const db = a.ctx.db
    const check = async (method: 'patrols.list' | 'mediation.list' | 'aftercare.people.list' | 'aftercare.visits.list' | 'hazards.list', table: string, fields: string[], q: string) => {
      const got = (await a.ok(method, { q, limit: 1000 } as never)) as { rows: { id: string }[]; total: number }
      const p = `%${q}%`
      const want = db.prepare(`SELECT id FROM ${table} WHERE deletedAt IS NULL AND (${fields.map((f) => `${f} LIKE ?`).join(' OR ')})`).pluck().all(...fields.map(() => p)) as string[]
      expect(got.rows.map((r) => r.id).sort(), `${table}: ${q}`).toEqual(want.sort())
      return want.length
    }
    const someOf = (table: string, field: string) => (db.prepare(`SELECT ${field} FROM ${table} WHERE ${field} <> '' LIMIT 1`).pluck().get() as string | undefined) ?? ''
    const patrol = someOf('patrols', 'findings')
    expect(await check('patrols.list', 'patrols', ['route', 'findings', 'handling'], [...patrol].slice(0, 4).join(''))).toBeGreaterThan(0)
    expect(await check('patrols.list', 'patrols', ['route', 'findings', 'handling'], [...someOf('patrols', 'route')].slice(1, 3).join(''))).toBeGreaterThan(0)
    const party = (JSON.parse(someOf('mediation_cases', 'parties')) as { name: string }[])[0]!.name
    expect(await check('mediation.list', 'mediation_cases', ['caseNo', 'summary', 'parties'], party)).toBeGreaterThan(0)
    expect(await check('mediation.list', 'mediation_cases', ['caseNo', 'summary', 'parties'], someOf('mediation_cases', 'caseNo'))).toBe(1)
    expect(await check('aftercare.people.list', 'aftercare_people', ['name', 'idNumber', 'crime'], someOf('aftercare_people', 'crime').slice(0, 2))).toBeGreaterThan(0)
    expect(await check('aftercare.visits.list', 'aftercare_visits', ['content'], [...someOf('aftercare_visits', 'content')].slice(0, 3).join(''))).toBeGreaterThan(0)
    const hazard = someOf('hazards', 'description')
    if (hazard) expect(await check('hazards.list', 'hazards', ['location', 'description', 'responsible'], [...hazard].slice(0, 3).join(''))).toBeGreaterThan(0)
  })

  it('a village name finds that village\'s records', { timeout: 60_000 }, async () => {
    const a = app()
    runDemo(a.ctx, { scale: 1, today: '2026-06-30' })
    const v = a.ctx.db.prepare('SELECT id, name FROM villages LIMIT 1').get() as { id: string; name: string }
    const byVillage = (await a.ok('patrols.list', { filters: { villageId: v.id }, limit: 1 })).total
    const bySearch = await a.ok('patrols.list', { q: v.name, limit: 1 })
    expect(bySearch.total).toBeGreaterThanOrEqual(byVillage)
    expect(byVillage).toBeGreaterThan(0)
  })
})

describe('a search page of the patrol register', () => {
  it('shows the same total and the same rows in the same order, however the page is read', { timeout: 120_000 }, async () => {
    const a = app()
    runDemo(a.ctx, { scale: 1, today: '2026-06-30' })
    const db = a.ctx.db
    const finding = db.prepare("SELECT findings FROM patrols WHERE findings <> '' GROUP BY findings ORDER BY count(*) DESC LIMIT 1").pluck().get() as string
    const route = db.prepare("SELECT route FROM patrols WHERE route <> '' LIMIT 1").pluck().get() as string
    const word = [...finding].slice(0, 4).join('')
    // deleted patrols that hold the word: the count of live ones must leave them out
    const gone = db.prepare('SELECT id FROM patrols WHERE findings LIKE ? ORDER BY rowid LIMIT 5').pluck().all(`%${word}%`) as string[]
    for (const id of gone) await a.ok('patrols.delete', { id })
    const village = db.prepare('SELECT name FROM villages LIMIT 1').pluck().get() as string
    /** what the old LIKE scan showed: the page and the total */
    const scanned = (q: string, dir: 'asc' | 'desc', offset: number, includeDeleted: boolean) => {
      const p = `%${q}%`
      const where = `${includeDeleted ? '1' : 'deletedAt IS NULL'} AND (route LIKE @p OR findings LIKE @p OR handling LIKE @p OR villageId IN (SELECT id FROM villages WHERE name LIKE @p))`
      return {
        total: db.prepare(`SELECT count(*) FROM patrols WHERE ${where}`).pluck().get({ p }) as number,
        ids: db.prepare(`SELECT id FROM patrols WHERE ${where} ORDER BY date ${dir}, startTime ${dir}, rowid ${dir} LIMIT 30 OFFSET @offset`).pluck().all({ p, offset }) as string[],
      }
    }
    const queries = [word, [...route].slice(1, 3).join(''), [...finding][0]!, village, '没有这回事']
    const shipped = searchTuning.scanShare
    try {
      for (const share of [shipped, 0])
        for (const way of [null, 'lookup', 'walk', 'scan'] as (PageWay | null)[])
          for (const q of queries)
            for (const [dir, offset, includeDeleted] of [['desc', 0, false], ['asc', 7, false], ['desc', 40, true]] as const) {
              searchTuning.scanShare = share
              searchTuning.pageWay = way
              const got = await a.ok('patrols.list', { q, limit: 30, offset, sort: [{ field: 'date', dir }], includeDeleted })
              const want = scanned(q, dir, offset, includeDeleted)
              const what = `q = ${q}, ${way ?? 'by cost'}, share ${share}, ${dir} from ${offset}${includeDeleted ? ', deleted too' : ''}`
              expect(got.total, what).toBe(want.total)
              expect(got.rows.map((r) => r.id), what).toEqual(want.ids)
            }
    } finally {
      searchTuning.scanShare = shipped
      searchTuning.pageWay = null
    }
    expect(scanned(word, 'desc', 0, false).total).toBeGreaterThan(30)
    expect(scanned(word, 'desc', 0, true).total).toBe(scanned(word, 'desc', 0, false).total + gone.length)
  })
})

describe('the index is built and kept', () => {
  it('a database from before the index gets it when the program is updated', () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir, DB_FILE)
    // the database as the previous version left it: every migration before the index, with members
    const before = migrations.indexOf(m009.up)
    expect(before).toBeGreaterThan(0)
    const old = new Database(file)
    old.pragma('journal_mode = WAL')
    old.transaction(() => {
      for (const up of migrations.slice(0, before)) up(old)
      old.pragma(`user_version = ${before}`)
      old.prepare("INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, '430103005', '大托铺街道', '天心区', '430103', 'township', '2026-01-01T00:00:00.000Z')").run()
      const ins = old.prepare("INSERT INTO members (id, createdAt, updatedAt, township, name, idNumber, phone, roles, joinedOn) VALUES (?, 'x', 'x', '430103005', ?, ?, '13912345678', '[]', '2024-01-01')")
      ins.run('m1', '李白', ID(1))
      ins.run('m2', '杜甫', ID(2))
    })()
    old.close()
    const db = openDatabase(file)
    try {
      const hit = (q: string) => db.prepare('SELECT rowid FROM members_search WHERE members_search MATCH ?').pluck().all(q)
      expect(hit('"李白"')).toHaveLength(0) // two characters are found through the term list, not as a phrase
      expect(hit('"李白\u001f"')).toHaveLength(1)
      expect(hit('"12345678"')).toHaveLength(2)
      expect(hit(`"${ID(2).slice(6, 14)}"`)).toHaveLength(1)
      // and the pair index (migration 011): 李白 is one token
      const pair = (q: string) => db.prepare('SELECT rowid FROM members_pairs WHERE members_pairs MATCH ?').pluck().all(`"${pairToken(q)}"`)
      expect(pair('李白')).toHaveLength(1)
      expect(pair('白杜')).toHaveLength(0) // never across two records
      expect(pair('78')).toHaveLength(2)
    } finally {
      db.close()
    }
  })

  it('rows a county merges are found: a first (bulk) package, then a change', { timeout: 120_000 }, async () => {
    const t = testApp({ setup: false })
    apps.push(t)
    await t.ok('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
    runDemo(t.ctx, { scale: 1, today: '2026-06-30' })
    const c = testApp({ setup: false })
    apps.push(c)
    await c.ok('township.setup', { mode: 'county', code: '430103', county: '天心区' })
    const usb = tempDir()
    dirs.push(usb)
    const finding = t.ctx.db.prepare("SELECT findings FROM patrols WHERE findings <> '' LIMIT 1").pluck().get() as string
    const q = [...finding].slice(0, 4).join('')
    const townFound = (await t.ok('patrols.list', { q, limit: 1 })).total
    tuning.bulkRows = 1
    try {
      await c.ok('package.import', { files: [(await t.ok('package.export', { dir: usb })).file] })
    } finally {
      tuning.bulkRows = 50_000
    }
    // the bulk load's rows wait for the background index; the search finds them meanwhile and after
    expect((await c.ok('patrols.list', { q, limit: 1 })).total).toBe(townFound)
    expect(indexSearchBacklog(c.ctx.db)).toBe(0)
    expect((await c.ok('patrols.list', { q, limit: 1 })).total).toBe(townFound)
    // a change travels in the next package and the county's search follows it
    const id = t.ctx.db.prepare('SELECT id FROM patrols WHERE deletedAt IS NULL LIMIT 1').pluck().get() as string
    await t.ok('patrols.update', { id, findings: '发现可疑人员徘徊' })
    await c.ok('package.import', { files: [(await t.ok('package.export', { dir: usb })).file] })
    expect((await c.ok('patrols.list', { q: '可疑人员徘徊', limit: 5 })).rows.map((p) => p.id)).toEqual([id])
    const rows = c.ctx.db.prepare(`SELECT rowid FROM patrols_search WHERE patrols_search MATCH '"可疑人员徘徊"'`).pluck().all()
    expect(rows).toHaveLength(1)
  })
})

describe('the pair index (two characters)', () => {
  it('holds each pair within a field once, never across fields, with ASCII case folded as LIKE folds it', () => {
    expect(pairTokens('学校门', null, 'AB').split(' ').sort()).toEqual([pairToken('学校'), pairToken('校门'), pairToken('ab')].sort())
    expect(pairTokens('张三\u001f李四')).not.toContain(pairToken('三李'))
    expect(pairTokens('校门', '学校')).not.toContain(pairToken('门学'))
    expect(pairToken('Ab')).toBe(pairToken('aB'))
    expect(pairToken('Éa')).not.toBe(pairToken('éa')) // LIKE does not fold beyond ASCII either
    expect(pairTokens('学学学').split(' ')).toEqual([pairToken('学学')])
  })

  it('counts from its term list exactly what the scan counts, after edits, hard and soft deletions, a bulk load and its backlog', { timeout: 120_000 }, async () => {
    const a = app()
    runDemo(a.ctx, { scale: 1, today: '2026-06-30' })
    const db = a.ctx.db
    const alphabet = [...'学校门口周边Aa1 —']
    let seed = 11
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n)
    const text = () => Array.from({ length: 1 + rand(8) }, () => alphabet[rand(alphabet.length)]).join('')
    const rowids = () => db.prepare('SELECT rowid FROM patrols').pluck().all() as number[]
    const scanCount = (q: string, includeDeleted: boolean) =>
      db
        .prepare(`SELECT count(*) FROM patrols WHERE ${includeDeleted ? '1' : 'deletedAt IS NULL'} AND (route LIKE @p OR findings LIKE @p OR handling LIKE @p OR villageId IN (SELECT id FROM villages WHERE name LIKE @p))`)
        .pluck()
        .get({ p: `%${q}%` }) as number
    const pairs = ['学校', '校门', '门口', 'aa', 'A1', '1—', '—1', '—学', '周边', '边学']
    const compare = async (when: string) => {
      for (const q of pairs)
        for (const includeDeleted of [false, true]) {
          const got = await a.ok('patrols.list', { q, limit: 5, includeDeleted })
          expect(got.total, `${when}: ${q}${includeDeleted ? ', deleted too' : ''}`).toBe(scanCount(q, includeDeleted))
        }
    }
    const shipped = searchTuning.scanShare
    searchTuning.scanShare = 0
    try {
      for (let round = 0; round < 4; round++) {
        const ids = rowids()
        for (let i = 0; i < 60; i++) {
          const r = ids[rand(ids.length)]!
          const op = rand(10)
          if (op < 6) db.prepare(`UPDATE patrols SET ${['route', 'findings', 'handling'][rand(3)]} = ? WHERE rowid = ?`).run(text(), r)
          else if (op < 8) db.prepare('UPDATE patrols SET deletedAt = CASE WHEN deletedAt IS NULL THEN ? ELSE NULL END WHERE rowid = ?').run('2026-06-30T00:00:00.000Z', r)
          else db.prepare('DELETE FROM patrols WHERE rowid = ?').run(r)
        }
        await compare(`round ${round}`)
      }
      // a bulk load's rows wait on the backlog (scanned meanwhile), then are indexed in both indexes
      db.transaction(() => {
        const resume = pauseSearchTrigger(db, 'patrols')
        db.prepare("INSERT INTO patrols (id, createdAt, updatedAt, township, villageId, date, startTime, endTime, mode, route, leaderId, memberIds, findings, handling) SELECT id || '-b', createdAt, updatedAt, township, villageId, date, startTime, endTime, mode, '学校门口A1', leaderId, memberIds, findings, handling FROM patrols LIMIT 50").run()
        resume()
      })()
      await compare('bulk, not indexed yet')
      // a loaded row edited before the backlog reached it is indexed once, as edited
      db.prepare("UPDATE patrols SET route = '校门口边' WHERE id = (SELECT max(id) FROM patrols WHERE id LIKE '%-b')").run()
      await compare('bulk, one row edited')
      // the background run indexes the load, then merges each index it wrote into one segment
      await scheduleSearchIndex(db)
      expect(indexSearchBacklog(db)).toBe(0)
      expect(mergeSearchIndexes(db, ['patrols'], 1), 'nothing left to merge').toBe(true)
      expect(db.prepare('SELECT count(*) FROM patrols_pairs WHERE patrols_pairs MATCH ?').pluck().get(`"${pairToken('学校')}"`)).toBe(scanCount('学校', true))
      await compare('bulk, indexed and merged')
    } finally {
      searchTuning.scanShare = shipped
    }
    expect(scanCount('学校', false)).toBeGreaterThan(10)
  })
})
