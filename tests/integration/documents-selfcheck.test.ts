import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportDocument } from '../../src/main/documents/export'
import { travelTables } from '../../src/main/handoff/travel'
import { uncoveredColumns } from '../../src/main/handoff/rows'
import { testApp, type TestApp } from '../helpers'
import { answerAll } from './checklistFixtures'
import { fillTownship } from './documentsFixture'
import { dataRows, openDocx, tables, textOf } from './documentsXml'

/**
 * The 自查报告 a county expects (基本情况 from the data, 自查结果 item by item, 存在问题 in whole
 * sentences, 整改措施 and 下一步工作 as the clerk wrote them, signature and date), and shida-2020's
 * 申报表, 审核表 and 奖牌: each on one page, nothing cut mid-phrase, no plaque for a target that has
 * not met its standard.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof fillTownship>>
let family: string

beforeAll(async () => {
  t = testApp()
  f = await fillTownship(t)
  family = (await t.ok('families.create', { name: '陈大山家庭', villageId: f.xt.id, householder: '陈大山', address: '三组', declaredOn: '2026-03-01' })).id
}, 60_000)
afterAll(() => t.dispose())

async function report(setId: string, targetId: string) {
  const r = await exportDocument(t.ctx, { kind: 'self-check', setId, targetId, year: 2026 })
  const doc = await openDocx(r.buffer)
  return { ...r, doc, text: textOf(doc.xml) }
}

const between = (text: string, a: string, b?: string) => text.slice(text.indexOf(a), b ? text.indexOf(b) : undefined)

describe('自查报告', () => {
  it('has every section a county expects, from the data, in that order', async () => {
    const r = await report('shida-2020', f.xt.id)
    const heads = ['新塘村2026年平安村创建自查报告', '一、基本情况', '二、自查结果', '三、存在问题', '四、整改措施', '五、下一步工作']
    const at = heads.map((h) => r.text.indexOf(h))
    expect(at.filter((x) => x < 0)).toEqual([])
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    // 基本情况: households, population, grids, teams; the year's patrols, cases and 帮教
    const facts = between(r.text, '一、基本情况', '二、自查结果')
    expect(facts).toContain('新塘村共620户、1800人，划分网格1个')
    expect(facts).toMatch(/现有综治、巡防、调解等工作人员3名，其中[^。]*巡防队员2名/)
    expect(facts).toContain('2026年开展巡逻3次；受理矛盾纠纷2件，调解成功1件')
    expect(facts).toContain('在帮教期内的帮教对象1人')
    // 自查结果: each criterion with its status, figure and threshold
    const ev = await t.ok('checklist.evaluate', { setId: 'shida-2020', year: 2026, targetId: f.xt.id })
    const mine = ev.results.filter((x) => x.targetId === f.xt.id)
    const rows = dataRows(tables(r.doc.xml)[0]!)
    expect(rows.length).toBe(mine.length)
    const labels = { met: '达标', unmet: '未达标', unknown: '待核实', na: '不适用' }
    expect(rows.map((c) => c[2])).toEqual(mine.map((x) => labels[x.status]))
    const n = (s: string) => mine.filter((x) => x.status === s).length
    expect(r.text).toContain(`共${mine.length}项：达标${n('met')}项，未达标${n('unmet')}项，待核实${n('unknown')}项`)
    // a rate with the counts behind it, on one line of its cell
    expect(rows.map((c) => c[3]).join('\n')).toMatch(/(?:^|：|[①-⑩])(\d+(\.\d)?%|0)（\d+\/\d+）$/m)
    // signature and date
    expect(r.text).toMatch(/新塘村（盖章）\d{4}年\d{1,2}月\d{1,2}日$/)
  })

  it('存在问题 names the unmet and the unknown items in whole sentences and never says none is unmet while items wait', async () => {
    const r = await report('shida-2020', f.xt.id)
    const problems = between(r.text, '三、存在问题', '四、整改措施')
    const ev = await t.ok('checklist.evaluate', { setId: 'shida-2020', year: 2026, targetId: f.xt.id })
    const unmet = ev.results.filter((x) => x.status === 'unmet').length
    const unknown = ev.results.filter((x) => x.status === 'unknown').length
    expect(unknown).toBeGreaterThan(0)
    expect(problems).toContain(`（${unmet ? '二' : '一'}）尚待核实的项目（${unknown}项）`)
    if (unmet) expect(problems).toContain(`（一）未达到标准的项目（${unmet}项）`)
    // item by item, each a sentence ending in 。, no fragments of the criterion's text
    const items = problems.split(/(?=第\d+项：)|(?=（[一二]）)/).filter((x) => x.startsWith('第'))
    expect(items.length).toBe(unmet + unknown)
    for (const i of items) expect(i).toMatch(/。$/)
    expect(problems).not.toContain('……')
    expect(problems).not.toMatch(/。：|，要求是。/)
    expect(r.text).not.toContain('未发现未达标')
    expect(r.text).not.toContain('各项标准均已达到')
    expect(r.text).toMatch(new RegExp(`另有${unknown}项尚待核实|尚有${unknown}项待核实`))
  })

  it('整改措施 and 下一步工作 as the clerk wrote them for the target and year; lines to write on while there are none', async () => {
    const empty = await report('shida-2020', f.xt.id)
    expect(between(empty.text, '四、整改措施', '五、下一步工作').replace('四、整改措施', '')).toMatch(/^\u3000+$/)
    const saved = await t.ok('documents.selfCheckTexts.save', { targetId: f.xt.id, year: 2026, measures: '组织网格员逐户宣传。\n补齐红袖章队伍。', nextSteps: '每季度开展一次自查。' })
    expect(saved.updatedAt).not.toBeNull()
    expect(await t.ok('documents.selfCheckTexts.get', { targetId: f.xt.id, year: 2026 })).toMatchObject({ measures: '组织网格员逐户宣传。\n补齐红袖章队伍。' })
    const r = await report('shida-2020', f.xt.id)
    expect(between(r.text, '四、整改措施', '五、下一步工作')).toBe('四、整改措施组织网格员逐户宣传。补齐红袖章队伍。')
    expect(between(r.text, '五、下一步工作', '新塘村（盖章）')).toBe('五、下一步工作每季度开展一次自查。')
    // another year has its own
    expect((await t.ok('documents.selfCheckTexts.get', { targetId: f.xt.id, year: 2025 })).measures).toBe('')
    // saving again changes the one record, audited
    await t.ok('documents.selfCheckTexts.save', { targetId: f.xt.id, year: 2026, measures: '组织网格员逐户宣传。', nextSteps: '每季度开展一次自查。' })
    const trail = await t.ok('audit.list', { tableName: 'self_check_texts' })
    expect(trail.rows.map((e) => e.action)).toEqual(['update', 'create'])
    expect(trail.rows[0]!.tableLabel).toBe('自查整改措施')
    // the texts travel in packages, checked like every register's rows
    const travel = travelTables(t.ctx.db).find((x) => x.name === 'self_check_texts')!
    expect(travel).toBeDefined()
    expect(uncoveredColumns(travel)).toEqual([])
    // bad input: a clear message naming the field, nothing written
    const before = t.contentHash()
    expect(await t.err('documents.selfCheckTexts.save', { targetId: 'no-such-target', year: 2026, measures: '', nextSteps: '' })).toMatchObject({ code: 'not_found', field: 'targetId' })
    expect(await t.err('documents.selfCheckTexts.save', { targetId: f.xt.id, year: 2026, measures: 'x'.repeat(5001), nextSteps: '' })).toMatchObject({ field: 'measures', message: '整改措施不能超过5000个字' })
    expect(t.contentHash()).toBe(before)
  })

  it('a target whose every item is met says so; one with items still to check says how many', async () => {
    const none = await report('shida-2020', family)
    expect(none.text).toContain('尚有2项待核实，核实前不能确认是否全部达标')
    expect(none.text).not.toContain('未发现')
    await answerAll(t, 'shida-2020', family, 2026)
    const all = await report('shida-2020', family)
    expect(all.text).toContain('共2项：达标2项，未达标0项，待核实0项。经自查，各项标准均已达到。')
    expect(between(all.text, '三、存在问题', '四、整改措施')).toContain('经自查，各项标准均已达到，未发现存在问题。')
  })
})

describe('申报表, 审核表 and 奖牌', () => {
  it('申报表 and 审核表: filled from the data, one page each, no item cut mid-phrase', async () => {
    const a = await exportDocument(t.ctx, { kind: 'application-form', targetId: f.xt.id, year: 2026 })
    expect(a.pages).toBe(1)
    const at = textOf((await openDocx(a.buffer)).xml)
    for (const s of ['附件1', '2026年“十大平安”创建申报表', '申报单位', '新塘村', '申报内容', '活动计划', '牵头单位：（盖章）']) expect(at).toContain(s)
    expect(at).not.toContain('……')
    const plan = at.slice(at.indexOf('逐项落实：'), at.indexOf('牵头单位'))
    for (const item of plan.match(/\d+．[^．]*?。/g) ?? []) expect(item).not.toMatch(/[，、：]。$/)
    const b = await exportDocument(t.ctx, { kind: 'review-form', targetId: f.xt.id, year: 2026 })
    expect(b.pages).toBe(1)
    const bt = textOf((await openDocx(b.buffer)).xml)
    for (const s of ['附件2', '审核表', '开展情况', '及成果', '审核单位：（盖章）', '全年受理矛盾纠纷2件']) expect(bt).toContain(s)
    expect(bt).not.toMatch(/\d+\.0%|\d\.\d\d%/)
  })

  it('the plaque is refused, with the reason, for a target that has not met its standard; made on one page for one that has', async () => {
    const e = await t.err('documents.export', { kind: 'award', targetId: f.xt.id, year: 2026 })
    expect(e).toMatchObject({ code: 'conflict', field: 'targetId' })
    expect(e.message).toMatch(/^新塘村2026年“平安村”创建尚未达标（(未达标\d+项、)?待核实\d+项），不能制作奖牌/)
    await answerAll(t, 'shida-2020', family, 2026)
    const w = await exportDocument(t.ctx, { kind: 'award', targetId: family, year: 2026 })
    expect(w.pages).toBe(1)
    const text = textOf((await openDocx(w.buffer)).xml)
    expect(text).toContain('陈大山家庭')
    expect(text).toContain('被评为2026年度')
    expect(text).toContain('平 安 家 庭')
    expect(text).not.toMatch(/[〇一二三四五六七八九]{4}年/)
  })
})
