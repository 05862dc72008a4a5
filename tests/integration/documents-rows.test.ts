import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { roles, type Role } from '../../src/shared/domain'
import { makeIdNumber } from '../../src/shared/idNumber'
import { naturalCompare } from '../../src/shared/documents/cnText'
import type { WordColumn, WordFormat } from '../../src/shared/registers/define'
import { membersRegister } from '../../src/shared/registers/members'
import { patrolsRegister } from '../../src/shared/registers/patrols'
import { mediationRegister } from '../../src/shared/registers/mediation'
import { aftercareRegister } from '../../src/shared/registers/aftercare'
import { visitsRegister } from '../../src/shared/registers/visits'
import { hazardsRegister } from '../../src/shared/registers/hazards'
import type { Member } from '../../src/shared/members/schema'
import { runDemo } from '../../src/main/demo/demo'
import { docContext, type DocContext } from '../../src/main/documents/common'
import { listAll } from '../../src/main/documents/data'
import { aftercareTable, hazardsTable, mediationTable, membersTable, patrolsTable, visitsTable } from '../../src/main/documents/registers'
import { ByteSink } from '../../src/main/documents/format/bytes'
import { fontSets } from '../../src/main/documents/format/fonts'
import { measureTable, tableXml, writeTable, type TableSpec } from '../../src/main/documents/format/table'
import { testApp, type TestApp } from '../helpers'
import { fillTownship } from './documentsFixture'

/**
 * The documents read the big registers with their own statements (documents/rows.ts, issue 15.5).
 * What a register's Word table holds must stay what its list method gives for the same question —
 * the same records, in the same order, each cell the same text — or the dossier would print rows
 * the screen does not show (a deleted record, last year's) or miss some. The expected tables here are
 * built the way the documents built them before: every page of the list method, each record through
 * the definition's Word columns.
 */
let t: TestApp
let fx: Awaited<ReturnType<typeof fillTownship>>

beforeAll(async () => {
  t = testApp()
  t.ctx.today = () => '2026-11-20'
  fx = await fillTownship(t, { patrols: 30 })
  runDemo(t.ctx, { scale: 1, today: '2026-11-20' })
  // records the tables must leave out or place by their own rules
  const { xt, a, b, p } = fx
  const gone = await t.ok('patrols.create', { villageId: xt.id, date: '2026-05-05', startTime: '08:00', endTime: '09:00', mode: 'foot', route: '已删除的巡逻', leaderId: a.id, memberIds: [a.id], findings: '', handling: '' })
  await t.ok('patrols.delete', { id: gone.id })
  // the same day and start time as another: the tie is broken the list's way
  await t.ok('patrols.create', { villageId: xt.id, date: '2026-03-05', startTime: '20:00', endTime: '01:30', mode: 'vehicle', route: '同一时间的第二次巡逻 & <夜巡>', leaderId: a.id, memberIds: [a.id, b.id], findings: '  前后有空格  ', handling: '第一行\n第二行' })
  await t.ok('members.create', { name: '钱早退', idNumber: makeIdNumber('430103', '1990-01-01', 40), phone: '13907319040', villageId: xt.id, roles: ['volunteer'], joinedOn: '2020-01-01', leftOn: '2025-12-31' })
  const deletedMember = await t.ok('members.create', { name: '孙已删', idNumber: makeIdNumber('430103', '1990-01-02', 41), phone: '13907319041', villageId: null, roles: ['volunteer'], joinedOn: '2026-02-01' })
  await t.ok('members.delete', { id: deletedMember.id })
  const visit = await t.ok('aftercare.visits.create', { personId: p.id, date: '2026-07-01', helperIds: [b.id], content: '已删除的走访' })
  await t.ok('aftercare.visits.delete', { id: visit.id })
}, 120_000)
afterAll(() => t.dispose())

const cells = <R>(columns: WordColumn<R>[], rows: R[], f: WordFormat) => rows.map((r) => columns.map((c) => c.value(r, f)))
const yearOf = (d: DocContext) => ({ from: `${d.year}-01-01`, to: `${d.year}-12-31` })
const village = (d: DocContext) => (d.village ? { villageId: d.village.id } : {})
const roleRank = (rs: Role[]) => Math.min(...rs.map((r) => roles.indexOf(r)), roles.length)

/** each register's table as the list methods give it */
async function expected(d: DocContext) {
  const f = await d.wordFormat()
  const { from, to } = yearOf(d)
  const members = (await listAll<Member>(d.ctx, 'members.list', { filters: village(d), fullId: d.fullId, sort: [{ field: 'name', dir: 'asc' }] }, '成员'))
    .filter((m) => m.joinedOn <= to && (!m.leftOn || m.leftOn >= from))
    .sort((a, b) => naturalCompare(a.villageName ?? '\uffff', b.villageName ?? '\uffff') || roleRank(a.roles) - roleRank(b.roles) || a.joinedOn.localeCompare(b.joinedOn) || a.name.localeCompare(b.name, 'zh-CN'))
  const list = (method: string, input: Record<string, unknown>) => listAll<never>(d.ctx, method, input, method)
  return {
    members: cells(membersRegister.word, members, f),
    patrols: cells(patrolsRegister.word, await list('patrols.list', { filters: { dateFrom: from, dateTo: to, ...village(d) }, sort: [{ field: 'date', dir: 'asc' }, { field: 'startTime', dir: 'asc' }] }), f),
    mediation: cells(mediationRegister.word, await list('mediation.list', { filters: { year: d.year, ...village(d) }, sort: [{ field: 'receivedOn', dir: 'asc' }, { field: 'caseNo', dir: 'asc' }] }), f),
    aftercare: cells(aftercareRegister.word, await list('aftercare.people.list', { filters: { year: d.year, ...village(d) }, fullId: d.fullId, sort: [{ field: 'releasedOn', dir: 'asc' }] }), f),
    visits: cells(visitsRegister.word, await list('aftercare.visits.list', { filters: { dateFrom: from, dateTo: to, ...village(d) }, sort: [{ field: 'date', dir: 'asc' }] }), f),
    hazards: cells(hazardsRegister.word, await list('hazards.list', { filters: { year: d.year, ...village(d) }, sort: [{ field: 'foundOn', dir: 'asc' }] }), f),
  }
}

async function actual(d: DocContext) {
  return {
    members: (await membersTable(d)).spec.rows,
    patrols: (await patrolsTable(d)).spec.rows,
    mediation: (await mediationTable(d)).spec.rows,
    aftercare: (await aftercareTable(d)).spec.rows,
    visits: (await visitsTable(d)).spec.rows,
    hazards: (await hazardsTable(d)).spec.rows,
  }
}

describe("the documents' register tables hold what the list methods give", () => {
  const cases = [
    { name: 'the whole township, IDs masked', input: { year: 2026 } },
    { name: 'the whole township, IDs in full', input: { year: 2026, fullId: true } },
    { name: 'the year before', input: { year: 2025 } },
    { name: 'one village (the fixture’s, with the records left out below)', village: 'fixture', input: { year: 2026 } },
    { name: 'one village of the demo township', village: 'demo', input: { year: 2026 } },
  ]
  // the demo village with the most hazards of the year: every one of its tables has rows
  const demoVillage = () =>
    (t.ctx.db.prepare("SELECT villageId FROM hazards WHERE deletedAt IS NULL AND foundOn >= '2026-01-01' GROUP BY villageId ORDER BY count(*) DESC LIMIT 1").get() as { villageId: string }).villageId
  for (const c of cases)
    it(c.name, async () => {
      const villageId = c.village === 'fixture' ? fx.xt.id : c.village === 'demo' ? demoVillage() : undefined
      const d = await docContext(t.ctx, { ...c.input, ...(villageId ? { villageId } : {}) })
      const want = await expected(d)
      const got = await actual(d)
      for (const k of Object.keys(want) as (keyof typeof want)[]) {
        // a register with nothing in it proves nothing: every table here has rows
        if (c.input.year === 2026 && (c.village !== 'fixture' || k !== 'hazards')) expect(want[k].length, k).toBeGreaterThan(0)
        expect(got[k], k).toEqual(want[k])
      }
    })

  it('leaves out deleted records and those of other years, and keeps the list’s order on ties', async () => {
    const d = await docContext(t.ctx, { year: 2026, villageId: fx.xt.id })
    const patrols = (await patrolsTable(d)).spec.rows.map((r) => r[4])
    expect(patrols).not.toContain('已删除的巡逻')
    expect(patrols).not.toContain('2025-12-31沿新塘路—大托路巡逻')
    expect(patrols.indexOf('2026-03-05沿新塘路—大托路巡逻')).toBe(patrols.indexOf('同一时间的第二次巡逻 & <夜巡>') - 1)
    const members = (await membersTable(d)).spec.rows.map((r) => r[0])
    expect(members).not.toContain('钱早退')
    expect(members).not.toContain('孙已删')
    const visits = (await visitsTable(d)).spec.rows.map((r) => r[4])
    expect(visits).not.toContain('已删除的走访')
    expect(visits).toContain('春节后走访，思想稳定。')
  })
})

describe('a register table written into the file', () => {
  // the file is written a row at a time from bytes made once per column (pack.ts); it must be the
  // table's XML exactly, whatever the cells hold
  const spec = (extra: Partial<TableSpec>): TableSpec => ({
    numbered: true,
    columns: [{ title: '序号', width: 6 }, { title: '姓名', width: 10 }, { title: '情况', width: 40, align: 'left' }, { title: '日期', width: 12 }],
    rows: [
      ['张三', '发现问题 & <处理>', '2026年3月5日'],
      ['', '', ''],
      ['李四', ' 前后有空格 ', '2026年3月6日'],
      ['王五', '第一行\n第二行', ''],
      ['赵六', { text: '占两格', span: 2, bold: true }],
      ['钱七', '"引号"与\u0001控制字符', '2026年3月7日'],
      ['孙八', '很长的内容'.repeat(40), '2026年3月8日'],
    ],
    ...extra,
  })
  const variants: [string, Partial<TableSpec>][] = [
    ['plain', {}],
    ['with a 合计 row', { totals: [[{ text: '合计', span: 2, bold: true }, { text: '7', bold: true }, '']] }],
    ['its last rows kept with what follows', { keepEnd: 2 }],
    ['with the 填表人 line held to its last rows', { keepEnd: 2, closing: { spans: [{ text: '填表人：周文书' }], look: { font: 'body', size: 10.5, line: 360 } } }],
  ]
  for (const [name, extra] of variants)
    it(name, () => {
      const t = measureTable(spec(extra), 14968, fontSets.system, true)
      const out = new ByteSink()
      const bufs: Buffer[] = []
      for (const _ of writeTable(t, 9000, out)) bufs.push(...out.take())
      bufs.push(...out.end())
      expect(Buffer.concat(bufs).toString('utf8')).toBe(tableXml(t, 9000))
    })
})
