import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentKinds, type DocumentKind } from '../../src/shared/documents/schema'
import { exportDocument } from '../../src/main/documents/export'
import { testApp, type TestApp } from '../helpers'
import { answerAll } from './checklistFixtures'
import { fillTownship } from './documentsFixture'
import { openDocx, textOf } from './documentsXml'

/**
 * Figures as an official writes them, in every kind of document: dates 2025年1月18日 in Arabic
 * numerals (GB/T 9704-2012 7.3.5), never 2025.01.18 or 二〇二五年; rates 100%, 98.5%, 0 — never
 * 100.0%, 0.00%, ≥20.0%.
 */
let t: TestApp
let params: Record<DocumentKind, Record<string, unknown>>

beforeAll(async () => {
  t = testApp()
  await t.ok('settings.update', { operator: '周文书' })
  const f = await fillTownship(t, { patrols: 12 })
  await t.ok('hazards.create', {
    foundOn: '2026-03-02', villageId: f.xt.id, location: '村部后山坡', category: 'building', description: '山体有落石风险', level: 'major', foundBy: '王建国',
    responsible: '李明', deadline: '2026-03-20', measures: '设置警示牌', result: '浮石已清理', reviewer: '王建国', closedOn: '2026-03-18', status: 'closed',
  })
  const family = (await t.ok('families.create', { name: '陈大山家庭', villageId: f.xt.id, householder: '陈大山', declaredOn: '2026-03-01' })).id
  await answerAll(t, 'shida-2020', family, 2026)
  await t.ok('members.update', { id: f.a.id, phone: '13900001111' })
  params = {
    members: {},
    patrols: {},
    mediation: {},
    aftercare: {},
    hazards: {},
    'mediation-case': { caseId: f.c1.id },
    'aftercare-person': { personId: f.p.id },
    'self-check': { setId: 'shida-2020', targetId: f.xt.id },
    'application-form': { targetId: f.xt.id },
    'review-form': { targetId: f.xt.id },
    award: { targetId: family },
    dossier: { audit: true },
  }
}, 60_000)
afterAll(() => t.dispose())

const BAD: [RegExp, string][] = [
  [/\d{4}\.\d{1,2}\.\d{1,2}/, 'a dotted date'],
  [/[〇一二三四五六七八九]{4}年/, 'a year in Chinese numerals'],
  [/\d\.0%|\d\.\d0%/, 'a rate with a trailing zero'],
  [/[1-9]\.\d{2}%|0\.[1-9]\d%/, 'a rate with two decimals'],
  [/[≥≤]\d+\.0(?!\d)/, 'a threshold with a trailing zero'],
  [/\d{4}-\d{2}-\d{2}/, 'an ISO date'],
  [/T\d{2}:\d{2}:\d{2}/, 'a UTC time stamp'],
]

describe('figures in every kind of document', () => {
  it.each(documentKinds.map((k) => [k]))('%s', async (kind) => {
    const r = await exportDocument(t.ctx, { kind: kind as DocumentKind, year: 2026, ...params[kind as DocumentKind] })
    // the fixture's patrol routes carry an ISO date the clerk typed: data, not the program's writing
    const text = textOf((await openDocx(r.buffer)).xml).replace(/\d{4}-\d{2}-\d{2}沿新塘路/g, '沿新塘路')
    for (const [re, what] of BAD) expect(re.exec(text)?.[0] ?? null, `${kind}: ${what}`).toBeNull()
    // a date in full, Arabic numerals, on every document but the plaque (which carries only its month)
    if (kind === 'award') expect(text).toMatch(/被评为2026年度.*\d{4}年\d{1,2}月$/)
    else expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/)
  })
})
