import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import JSZip from 'jszip'
import { dataRows, headerOf as header, rowsOf, tables, textOf } from './documentsXml'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { makeIdNumber, maskIdNumber } from '../../src/shared/idNumber'
import { exportDocument } from '../../src/main/documents/export'
import { main as cliMain } from '../../src/main/cli'
import { testApp, type TestApp } from '../helpers'

/** The 安全隐患排查整改台账 in Word: the stand-alone register and its section in the 迎检档案. */

// nesting-aware readers: a register's last rows and its 填表人 line are one row holding a table of those rows
const bodyOf = dataRows
const headerOf = (tbl: string) => (rowsOf(tbl).some((r) => r.includes('<w:tblHeader/>')) ? header(tbl) : [])

async function documentXml(buf: Buffer): Promise<string> {
  return (await JSZip.loadAsync(buf)).file('word/document.xml')!.async('string')
}

const memberId = makeIdNumber('430103', '1975-04-12', 31)

/** Two villages, a school, a member with an ID number, and hazards in every state, entered through the API. */
async function township(t: TestApp) {
  const xt = await t.ok('villages.create', { name: '新塘村', kind: 'village', households: 620, population: 1800 })
  const gh = await t.ok('villages.create', { name: '桂花社区', kind: 'community', households: 2400, population: 7000 })
  const school = await t.ok('units.create', { name: '大托中心小学', kind: 'school', villageId: xt.id, headcount: 420 })
  await t.ok('members.create', { name: '王建国', idNumber: memberId, villageId: xt.id, roles: ['station_head'], joinedOn: '2020-01-01' })
  const base = { category: 'other', level: 'general', foundBy: '王建国' } as const
  const closedOnTime = await t.ok('hazards.create', {
    ...base, foundOn: '2026-03-02', villageId: xt.id, location: '村部后山坡', category: 'building', description: '山体有落石风险', level: 'major',
    responsible: '李明', deadline: '2026-03-20', measures: '设置警示牌，清理浮石', result: '浮石已清理', reviewer: '王建国', closedOn: '2026-03-18', status: 'closed',
  })
  // a unit alone: the hazard takes the school's village
  const closedLate = await t.ok('hazards.create', {
    ...base, foundOn: '2026-01-15', unitId: school.id, location: '食堂后厨', category: 'fire', description: '灭火器过期', foundBy: '张伟',
    deadline: '2026-01-25', result: '已更换灭火器', reviewer: '王建国', closedOn: '2026-02-10', status: 'closed',
  })
  const rectifying = await t.ok('hazards.create', {
    ...base, foundOn: '2026-05-06', villageId: gh.id, location: '桂花路口', category: 'traffic', description: '路口缺少减速带', responsible: '桂花社区居委会', deadline: '2026-06-30', measures: '申请安装减速带', status: 'rectifying',
  })
  const closedNoDeadline = await t.ok('hazards.create', {
    ...base, foundOn: '2026-08-01', villageId: gh.id, location: '河堤', category: 'water', description: '护栏缺失', level: 'severe', result: '已补装护栏', reviewer: '赵红', closedOn: '2026-08-05', status: 'closed',
  })
  const lastYear = await t.ok('hazards.create', { ...base, foundOn: '2025-11-20', villageId: xt.id, location: '去年的隐患', description: '去年发现' })
  const deleted = await t.ok('hazards.create', { ...base, foundOn: '2026-04-01', villageId: xt.id, location: '已删除的隐患', description: '录错了' })
  await t.ok('hazards.delete', { id: deleted.id })
  return { xt, gh, school, closedOnTime, closedLate, rectifying, closedNoDeadline, lastYear }
}

let t: TestApp
let f: Awaited<ReturnType<typeof township>>
beforeAll(async () => {
  t = testApp()
  f = await township(t)
}, 60_000)
afterAll(() => t.dispose())

const make = (kind: string, extra: Record<string, unknown> = {}) => exportDocument(t.ctx, { kind: kind as never, year: 2026, ...extra })

describe('安全隐患排查整改台账 (Word)', () => {
  it('lists the year\'s hazards by date found, with rectification and 销号日期 columns', async () => {
    const r = await make('hazards')
    expect(r.fileName).toBe('大托铺街道_2026年_安全隐患排查整改台账.docx')
    const xml = await documentXml(r.buffer)
    const text = textOf(xml)
    expect(text).toContain('大托铺街道2026年安全隐患排查整改台账')
    expect(text).toMatch(/填报单位：大托铺街道综治办（盖章）.*共4条/)
    const [tbl] = tables(xml)
    expect(headerOf(tbl!)).toEqual(['序号', '发现日期', '村（社区）/单位', '地点/部位', '类别', '隐患描述', '风险等级', '发现人', '整改责任人', '整改期限', '整改措施及情况', '复查人', '销号日期'])
    // last year's and the deleted hazard are not in it; oldest found first
    expect(bodyOf(tbl!)).toEqual([
      ['1', '2026年1月15日', '新塘村 大托中心小学', '食堂后厨', '消防', '灭火器过期', '一般', '张伟', '', '2026年1月25日', '已更换灭火器', '王建国', '2026年2月10日'],
      ['2', '2026年3月2日', '新塘村', '村部后山坡', '建筑', '山体有落石风险', '较大', '王建国', '李明', '2026年3月20日', '设置警示牌，清理浮石；浮石已清理', '王建国', '2026年3月18日'],
      ['3', '2026年5月6日', '桂花社区', '桂花路口', '交通', '路口缺少减速带', '一般', '王建国', '桂花社区居委会', '2026年6月30日', '申请安装减速带', '', ''],
      ['4', '2026年8月1日', '桂花社区', '河堤', '涉水', '护栏缺失', '重大', '王建国', '', '', '已补装护栏', '赵红', '2026年8月5日'],
    ])
    // a landscape register page like the other registers
    expect(xml).toMatch(/<w:pgSz [^>]*w:orient="landscape"/)
    expect(xml).toContain('<w:pStyle w:val="RegC"/>')
  })

  it('of one village only, and of another year', async () => {
    const r = await make('hazards', { villageId: f.gh.id })
    expect(r.fileName).toBe('大托铺街道桂花社区_2026年_安全隐患排查整改台账.docx')
    expect(bodyOf(tables(await documentXml(r.buffer))[0]!).map((c) => c[3])).toEqual(['桂花路口', '河堤'])
    const y = await make('hazards', { year: 2025 })
    expect(bodyOf(tables(await documentXml(y.buffer))[0]!).map((c) => c[3])).toEqual(['去年的隐患'])
  })

  it('documents.export makes it for the screen\'s Word button', async () => {
    const r = await t.ok('documents.export', { kind: 'hazards', year: 2026, villageId: f.xt.id })
    expect(r.fileName).toBe('大托铺街道新塘村_2026年_安全隐患排查整改台账.docx')
    expect(bodyOf(tables(await documentXml(Buffer.from(r.base64, 'base64')))[0]!).map((c) => c[3])).toEqual(['食堂后厨', '村部后山坡'])
  })
})

describe('the dossier', () => {
  it('has the hazards section beside the other registers, before the checklist results, in its contents, with the year\'s 整改率 and 按期整改率', async () => {
    const r = await make('dossier')
    const xml = await documentXml(r.buffer)
    const text = textOf(xml)
    // issue 14: a register among the registers (五), the checklist results after it (六)
    const title = '五、安全隐患排查整改台账'
    // once in the contents (with its page) and once as the section's heading
    expect(text.split(title).length - 1).toBe(2)
    expect(text.lastIndexOf(title)).toBeLessThan(text.lastIndexOf('六、创建标准自查结果'))
    // found 4 in 2026; closed 3 (75%), of which 2 by their deadline or without one (66.7%)
    expect(text).toContain('2026年排查发现安全隐患4条，已整改销号3条，整改率75%，按期整改率66.7%。')
    const hazardTable = tables(xml).find((tb) => headerOf(tb).includes('销号日期'))!
    expect(bodyOf(hazardTable).map((c) => c[3])).toEqual(['食堂后厨', '村部后山坡', '桂花路口', '河堤'])
    // the members' roll in the same dossier: ID numbers masked unless asked for in full
    expect(xml).not.toContain(memberId)
    expect(text).toContain(maskIdNumber(memberId))
    const full = textOf(await documentXml((await make('dossier', { fullId: true })).buffer))
    expect(full).toContain(memberId)
  }, 120_000)
})

describe('CLI', () => {
  it('export hazards writes the register; the kinds it lists include hazards', async () => {
    const other = testApp()
    try {
      await township(other)
      other.close()
      const out = join(other.dir, 'h.docx')
      const out2 = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
      let err = ''
      const err2 = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
      try {
        expect(await cliMain(['export', 'hazards', '--data-dir', other.dir, '--out', out, '--year', '2026'])).toBe(0)
        expect(await cliMain(['export', 'hazard', '--data-dir', other.dir, '--out', out])).toBe(2)
      } finally {
        out2.mockRestore()
        err2.mockRestore()
      }
      expect(JSON.parse(err).message).toContain('|hazards|')
      expect(bodyOf(tables(await documentXml(readFileSync(out)))[0]!)).toHaveLength(4)
    } finally {
      await other.dispose()
    }
  })
})
