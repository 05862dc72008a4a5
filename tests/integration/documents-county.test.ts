import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import { wholeCounty } from '../../src/main/handoff/county'
import { tempDir, testApp, type TestApp } from '../helpers'
import { closingText, dataRows, headerOf, openDocx, tables, textOf } from './documentsXml'

/**
 * The county's 平安创建情况汇总表: the counts behind the rates beside them, the county named as itself,
 * a 填表人 line; and the 自查报告's 整改措施 travelling to the county in the township's package.
 */
const apps: TestApp[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const a of apps) await a.dispose()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function installation(setup: Record<string, unknown>): Promise<TestApp> {
  const a = testApp({ setup: false })
  apps.push(a)
  await a.ok('township.setup', setup as never)
  return a
}

describe('平安创建情况汇总表', () => {
  it('names the county as itself', () => {
    expect(['天心区', '长沙县', '浏阳市', '科尔沁右翼前旗', '某地'].map(wholeCounty)).toEqual(['全区', '全县', '全市', '全旗', '全县（区）'])
  })

  it('puts 受理件数 and 帮教人数 beside the rates, the county row as 全区, and a 填表人 line; 整改措施 came with the package', async () => {
    const a = await installation({ mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
    const v = await a.ok('villages.create', { name: '新塘村', kind: 'village', households: 100, population: 300 })
    const m = await a.ok('members.create', { name: '李明', idNumber: makeIdNumber('430103', '1975-01-02', 5), roles: ['mediator', 'aftercare_helper'], joinedOn: '2020-01-01', villageId: v.id })
    const parties = [
      { name: '甲', side: 'applicant' as const },
      { name: '乙', side: 'respondent' as const },
    ]
    const kase = { source: 'application' as const, category: '邻里' as const, villageId: v.id, summary: '邻里纠纷', parties, mediatorIds: [m.id] }
    await a.ok('mediation.create', { ...kase, receivedOn: '2026-03-01', status: 'success', mediatedOn: '2026-03-02', agreementForm: 'oral', closedOn: '2026-03-02' })
    await a.ok('mediation.create', { ...kase, receivedOn: '2026-03-05', status: 'success', mediatedOn: '2026-03-06', agreementForm: 'oral', closedOn: '2026-03-06' })
    await a.ok('mediation.create', { ...kase, receivedOn: '2026-03-08', status: 'failed', mediatedOn: '2026-03-09', closedOn: '2026-03-09' })
    await a.ok('aftercare.people.create', {
      name: '丙', idNumber: makeIdNumber('430103', '1985-08-08', 88), kind: 'released', crime: '盗窃罪', sentence: '一年', releasedOn: '2025-03-01', villageId: v.id, placement: 'employed', helperIds: [m.id], risk: 'low',
    })
    await a.ok('documents.selfCheckTexts.save', { targetId: v.id, year: 2026, measures: '加强巡逻。', nextSteps: '继续开展自查。' })
    const usb = tempDir('pingan-usb-')
    dirs.push(usb)
    const c = await installation({ mode: 'county', code: '430103', county: '天心区' })
    await c.ok('settings.update', { operator: '县综治中心张三' })
    await c.ok('package.import', { files: [(await a.ok('package.export', { dir: usb })).file] })
    // the clerk's 整改措施 reached the county with the registers
    const texts = c.ctx.db.prepare('SELECT measures, nextSteps FROM self_check_texts WHERE township = ?').all('430103005')
    expect(texts).toEqual([{ measures: '加强巡逻。', nextSteps: '继续开展自查。' }])

    const doc = await c.ok('county.summaryDoc', { year: 2026 })
    expect(doc.fileName).toBe('天心区_2026年_平安创建情况汇总表.docx')
    const x = await openDocx(Buffer.from(doc.base64, 'base64'))
    const [table] = tables(x.xml)
    expect(headerOf(table!)).toEqual(['序号', '乡镇（街道）', '最新报送', '受理纠纷（件）', '调解率', '调解成功率', '协议履行率', '帮教人数（人）', '帮教率', '安置率', '重新犯罪率', '达标率'])
    const rows = dataRows(table!)
    expect(rows.map((r) => r[1])).toEqual(['大托铺街道', '全区'])
    // 3 cases, all mediated, 2 of 3 settled, none of the 2 agreements yet fulfilled; 1 person under aftercare, not visited this year
    expect(rows[0]!.slice(3)).toEqual(['3', '100%', '66.7%', '0', '1', '0', '100%', '0', '无数据'])
    expect(rows[1]!.slice(3, 9)).toEqual(['3', '100%', '66.7%', '0', '1', '0'])
    expect(rows[0]![2]).toMatch(/^第1号 \d{4}年\d{1,2}月\d{1,2}日$/)
    expect(closingText(table!)).toMatch(/^填表人：县综治中心张三\s+审核人：\s+负责人：/)
    expect(textOf(x.xml)).not.toMatch(/\d\.0%|全县（区）/)
  })
})
