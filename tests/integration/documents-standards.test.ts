import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportDocument } from '../../src/main/documents/export'
import { standardsDir } from '../../src/main/checklist/sets'
import { testApp, type TestApp } from '../helpers'
import { openDocx, textOf } from './documentsXml'

/**
 * The township's own standards: it chooses in 设置 (or at the first visit of 创建自查) which sets apply;
 * the checklist, 文书打印 and the dossier use only those; a set the county sends afterwards applies too.
 */
let t: TestApp
let village: string
beforeAll(async () => {
  t = testApp()
  village = (await t.ok('villages.create', { name: '新塘村', kind: 'village', households: 100, population: 300 })).id
})
afterAll(() => t.dispose())

/** a county-issued set: a shipped catalog under another id and title */
function countySet(id: string, title: string): string {
  const raw = readFileSync(join(standardsDir(), 'jingqu.json'), 'utf8')
  const set = JSON.parse(raw.replace(/"jingqu\./g, `"${id}.`)) as Record<string, unknown>
  return JSON.stringify({ ...set, id, title })
}

/** the installation's clock, set by the test: what came before the choice and what after is never a matter of milliseconds */
const at = (iso: string) => (t.ctx.now = () => iso)

const ids = async () => (await t.ok('checklist.sets', {})).map((s) => s.id)

describe('the standard sets that apply', () => {
  it('before any choice every set applies, and 创建自查 is to ask', async () => {
    const c = await t.ok('settings.standardSets', {})
    expect(c.chosen).toBeNull()
    expect(c.sets.map((s) => s.id)).toEqual(expect.arrayContaining(['liuda-2015', 'cunju', 'xibao-2017', 'shida-2020', 'jingqu']))
    expect(c.applied).toEqual(c.sets.map((s) => s.id))
    expect(await ids()).toEqual(c.applied)
  })

  it('bad choices are refused, naming the field, and change nothing', async () => {
    const before = t.contentHash()
    expect(await t.err('settings.update', { standardSets: [] })).toMatchObject({ code: 'invalid_input', field: 'standardSets', message: '请至少选择一项适用于本乡镇（街道）的创建标准' })
    expect(await t.err('settings.update', { standardSets: ['shida-2020', 'no-such-set'] })).toMatchObject({ code: 'invalid_input', field: 'standardSets', message: '没有这个标准集：no-such-set' })
    expect(await t.err('settings.update', { retention: '长期' })).toMatchObject({ field: 'retention' })
    expect(t.contentHash()).toBe(before)
  })

  it('once chosen, only those: the checklist, 文书打印 and the dossier', async () => {
    // imported before the choice and not chosen: not this township's
    at('2026-03-01T08:00:00.000Z')
    await t.ok('checklist.importSet', { json: countySet('old-county', '邻县2019年平安创建标准') })
    at('2026-03-02T08:00:00.000Z')
    await t.ok('settings.update', { standardSets: ['shida-2020', 'cunju'] })
    expect((await t.ok('settings.get', {})).standardSetsChosenAt).not.toBeNull()
    expect(await ids()).toEqual(['cunju', 'shida-2020'])
    const d = await exportDocument(t.ctx, { kind: 'dossier', year: 2026 })
    const text = textOf((await openDocx(d.buffer)).xml)
    const checklist = text.slice(text.lastIndexOf('六、创建标准自查结果'))
    expect(checklist).toContain('大托铺街道2020年“十大平安”创建标准')
    expect(checklist).toContain('全县平安村居创建标准')
    // other places' documents are not in it
    for (const other of ['江州县', '徐城街道', '邻县2019年', '景区和非景区']) expect(text).not.toContain(other)
    // a set that does not apply is not printed either
    const e = await t.err('documents.export', { kind: 'self-check', setId: 'liuda-2015', targetId: village, year: 2026 })
    expect(e).toMatchObject({ code: 'not_found', field: 'setId' })
    expect(e.message).toContain('设置')
    expect((await t.ok('documents.export', { kind: 'self-check', setId: 'shida-2020', targetId: village, year: 2026 })).pages).toBeGreaterThan(0)
  })

  it('a set the county sends after the choice applies too; the clerk can still drop it in 设置', async () => {
    at('2026-03-03T08:00:00.000Z')
    await t.ok('checklist.importSet', { json: countySet('tianxin-2026', '天心区2026年平安创建标准') })
    expect(await ids()).toEqual(['cunju', 'shida-2020', 'tianxin-2026'])
    expect((await t.ok('settings.standardSets', {})).applied).toEqual(['cunju', 'shida-2020', 'tianxin-2026'])
    await t.ok('settings.update', { standardSets: ['shida-2020'] })
    expect(await ids()).toEqual(['shida-2020'])
  })
})
