import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskIdNumber } from '../../src/shared/idNumber'
import { arDate, cnNumber, naturalCompare, percent } from '../../src/shared/documents/cnText'
import { exportDocument } from '../../src/main/documents/export'
import { main as cliMain } from '../../src/main/cli'
import { testApp, type TestApp } from '../helpers'
import { fillTownship } from './documentsFixture'
import { bodyRows, closingText, dataRows, openDocx, rowsOf, tables, textOf, type Docx } from './documentsXml'

type Fx = Awaited<ReturnType<typeof fillTownship>>
let t: TestApp
let f: Fx

beforeAll(async () => {
  t = testApp()
  await t.ok('settings.update', { operator: '周文书' })
  f = await fillTownship(t, { patrols: 40 })
}, 60_000)
afterAll(() => t.dispose())

async function make(kind: string, extra: Record<string, unknown> = {}) {
  const r = await exportDocument(t.ctx, { kind: kind as never, year: 2026, ...extra })
  return { ...r, doc: await openDocx(r.buffer) }
}

/** every table's cells have widths in twips adding up to the table's width; fixed layout (WPS reads the grid, Word the widths) */
function expectWpsSafeTables(xml: string, bodyWidth: number) {
  const tbls = tables(xml)
  expect(tbls.length).toBeGreaterThan(0)
  const check = (tb: string) => {
    const tblW = Number(/<w:tblW w:w="(\d+)" w:type="dxa"\/>/.exec(tb)?.[1])
    const own = tb.slice(0, tb.indexOf('</w:tblGrid>'))
    const grid = [...own.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]))
    expect(tb).toContain('<w:tblLayout w:type="fixed"/>')
    expect(tblW).toBeLessThanOrEqual(bodyWidth)
    expect(grid.reduce((a, b) => a + b, 0)).toBe(tblW)
    expect(tb).not.toMatch(/w:type="auto"|w:type="pct"/)
    for (const r of rowsOf(tb)) {
      const own = r.replace(/<w:tbl>[\s\S]*<\/w:tbl>/, '')
      const spans = [...own.matchAll(/<w:tcW w:w="(\d+)" w:type="dxa"\/>/g)].map((m) => Number(m[1]))
      expect(spans.length).toBe((own.match(/<w:tc>/g) ?? []).length)
      expect(spans.reduce((a, b) => a + b, 0)).toBe(tblW)
      // the closing row holds a table of the same width
      for (const inner of tables(r.slice(r.indexOf('>') + 1))) check(inner)
    }
  }
  for (const tb of tbls) check(tb)
}

function expectEastAsiaEverywhere(d: Docx) {
  for (const part of [d.xml, ...d.footers]) {
    const runs = [...part.matchAll(/<w:r>[\s\S]*?<\/w:r>/g)].map((m) => m[0]).filter((r) => !r.includes('<w:fldChar'))
    expect(runs.length).toBeGreaterThan(0)
    for (const r of runs) expect(r, r.slice(0, 200)).toMatch(/<w:rFonts [^>]*w:eastAsia="[^"]+"/)
  }
}

const PORTRAIT_BODY = 11906 - 1588 - 1474
/** a register page: landscape, 20 mm top and bottom, 18 mm binding side, 15 mm outer side */
const REGISTER_BODY = 16838 - 1020 - 850

function expectRegisterPage(sect: string) {
  const sz = /<w:pgSz ([^>]*)\/>/.exec(sect)![1]!
  expect(sz).toMatch(/w:w="16838"/)
  expect(sz).toMatch(/w:h="11906"/)
  expect(sz).toMatch(/w:orient="landscape"/)
  const mar = /<w:pgMar ([^>]*)\/>/.exec(sect)![1]!
  expect(mar).toMatch(/w:top="1134"/)
  expect(mar).toMatch(/w:bottom="1134"/)
  expect(mar).toMatch(/w:left="1020"/)
  expect(mar).toMatch(/w:right="850"/)
}

const sectionsOf = (xml: string) => [...xml.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0])

function expectRegisterPages(xml: string) {
  const sects = sectionsOf(xml)
  expect(sects.length).toBeGreaterThan(0)
  for (const s of sects) expectRegisterPage(s)
}

/** a 公文 page (reports, forms, cover, contents): GB/T 9704's margins */
function expectGbPage(xml: string, orientation: 'landscape' | 'portrait') {
  const sects = sectionsOf(xml)
  expect(sects.length).toBeGreaterThan(0)
  for (const s of sects) {
    const sz = /<w:pgSz ([^>]*)\/>/.exec(s)![1]!
    expect(sz).toMatch(orientation === 'landscape' ? /w:w="16838"/ : /w:w="11906"/)
    const mar = /<w:pgMar ([^>]*)\/>/.exec(s)![1]!
    expect(mar).toMatch(/w:top="2098"/)
    expect(mar).toMatch(/w:bottom="1984"/)
    expect(mar).toMatch(/w:left="1588"/)
    expect(mar).toMatch(/w:right="1474"/)
  }
}

function expectPageNumbers(d: Docx) {
  // "— N —" with a PAGE field, odd pages on the right and even pages on the left
  const withField = d.footers.filter((x) => /PAGE/.test(x) && x.includes('— ') && x.includes(' —'))
  expect(withField.length).toBeGreaterThanOrEqual(2)
  expect(withField.length % 2).toBe(0)
  expect(withField.some((x) => x.includes('<w:jc w:val="right"/>'))).toBe(true)
  expect(withField.some((x) => x.includes('<w:jc w:val="left"/>'))).toBe(true)
  expect(d.settings).toContain('<w:evenAndOddHeaders/>')
}

/** Word and WPS paginate a register: one table, its header row repeated, no break forced inside it */
function expectFlowingRegister(xml: string) {
  const tbls = tables(xml)
  expect(tbls.length).toBe(1)
  const trs = rowsOf(tbls[0]!)
  expect(trs[0]).toContain('<w:tblHeader/>')
  expect(trs.slice(1).every((x) => !x.includes('<w:tblHeader/>') && x.includes('<w:cantSplit/>'))).toBe(true)
  expect(xml).not.toContain('<w:pageBreakBefore/>')
  expect(xml).not.toContain('w:type="page"')
}

describe('figures as an official writes them', () => {
  it('dates in Arabic numerals, rates with one decimal only where needed, names in natural order', () => {
    expect(arDate('2025-01-18')).toBe('2025年1月18日')
    expect([1, 0.985, 0, 0.5, 1 / 3, 0.0003].map(percent)).toEqual(['100%', '98.5%', '0', '50%', '33.3%', '0.03%'])
    expect(percent(null)).toBe('无数据')
    expect(['第十网格', '第二网格', '第一网格', '第十一网格', '第三网格'].sort(naturalCompare)).toEqual(['第一网格', '第二网格', '第三网格', '第十网格', '第十一网格'])
    expect(['10组', '2组', '1组'].sort(naturalCompare)).toEqual(['1组', '2组', '10组'])
    expect([1, 10, 12, 20, 21, 105].map(cnNumber)).toEqual(['一', '十', '十二', '二十', '二十一', '一百零五'])
  })
})

describe('register documents', () => {
  it("members: the year's roll, grouped by village, heads first, numbers masked, signed by 填表人", async () => {
    const r = await make('members')
    expect(r.fileName).toBe('大托铺街道_2026年_成员花名册.docx')
    const rows = bodyRows(r.doc.xml)
    // 孙离 left in 2025: not on the 2026 roll
    expect(rows.map((c) => c[1])).toEqual(['赵红', '王建国', '李明', '张伟'])
    expect(rows.map((c) => c[0])).toEqual(['1', '2', '3', '4'])
    const full = f.memberId(2)
    expect(rows[2]![3]).toBe(maskIdNumber(full))
    expect(rows[2]![8]).toBe('2020年1月1日')
    expect(r.doc.xml).not.toContain(full)
    const text = textOf(r.doc.xml)
    expect(text).toContain('大托铺街道2026年成员花名册')
    expect(text).toMatch(/填报单位：大托铺街道综治办（盖章）.*填报时间：\d{4}年\d{1,2}月\d{1,2}日/)
    // the 填表人 line under the table, held with its last two rows
    const closing = closingText(tables(r.doc.xml)[0]!)
    expect(closing).toMatch(/^填表人：周文书\s+审核人：\s+负责人：\s*$/)
    expectRegisterPages(r.doc.xml)
    expectWpsSafeTables(r.doc.xml, REGISTER_BODY)
    // register tables are set in 小五 (9 pt) on an exact 13.5 pt line
    expect(r.doc.xml).toContain('<w:pStyle w:val="RegC"/>')
    expect(r.doc.xml).not.toMatch(/w:val="Tab[CLR]"/)
    expectEastAsiaEverywhere(r.doc)
    expectPageNumbers(r.doc)
    expectFlowingRegister(r.doc.xml)
    // no automatic space between Chinese text and digits: 2026年1月1日 reads as one figure
    expect(r.doc.styles).toMatch(/<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"\/><w:autoSpaceDN w:val="0"\/>/)
  })

  it('members with --full-id print the whole number', async () => {
    const r = await make('members', { fullId: true })
    expect(bodyRows(r.doc.xml)[2]![3]).toBe(f.memberId(2))
  })

  it('members of one village only', async () => {
    const r = await make('members', { villageId: f.gh.id })
    expect(r.fileName).toBe('大托铺街道桂花社区_2026年_成员花名册.docx')
    expect(bodyRows(r.doc.xml).map((c) => c[1])).toEqual(['赵红'])
  })

  it('patrols: the year, oldest first, one table whose rows flow over several pages with the header repeated', async () => {
    const r = await make('patrols')
    const rows = bodyRows(r.doc.xml)
    expect(rows.length).toBe(43)
    const dates = rows.map((c) => c[1]!)
    expect(dates.every((d) => /^2026年\d{1,2}月\d{1,2}日$/.test(d))).toBe(true)
    const iso = (d: string) => d.replace(/(\d+)年(\d+)月(\d+)日/, (_, y: string, m: string, dd: string) => `${y}-${m.padStart(2, '0')}-${dd.padStart(2, '0')}`)
    expect([...dates].map(iso).sort()).toEqual(dates.map(iso))
    expect(rows.map((c) => Number(c[0]))).toEqual(rows.map((_, i) => i + 1))
    expect(rows.find((c) => c[1] === '2026年2月20日')![8]).toBe('发现路灯损坏一处')
    expect(r.pages).toBeGreaterThan(1)
    expectFlowingRegister(r.doc.xml)
    expectRegisterPages(r.doc.xml)
    expectWpsSafeTables(r.doc.xml, REGISTER_BODY)
  })

  it("mediation: the year's cases in order of receipt", async () => {
    const r = await make('mediation')
    expect(r.fileName).toBe('大托铺街道_2026年_矛盾纠纷排查调处台账.docx')
    const rows = bodyRows(r.doc.xml)
    expect(rows.map((c) => c[1])).toEqual([f.c2.caseNo, f.c1.caseNo])
    expect(rows[1]![5]).toBe('申请人：陈大山\n被申请人：刘小河')
    expect(rows[1]![8]).toBe('调解成功')
    expect(rows[1]![11]).toBe('2026年4月10日')
  })

  it("aftercare: the roll with masked numbers and the year's visits, each register signed", async () => {
    const r = await make('aftercare')
    const [people, visits] = tables(r.doc.xml)
    expect(dataRows(people!).map((c) => c[1])).toEqual(['黄某某'])
    expect(dataRows(people!)[0]![3]).toBe(maskIdNumber(f.personId))
    expect(r.doc.xml).not.toContain(f.personId)
    expect(dataRows(visits!).map((c) => c[1])).toEqual(['2026年2月1日', '2026年6月1日'])
    expect(closingText(people!)).toContain('填表人：周文书')
    expect(closingText(visits!)).toContain('负责人：')
  })
})

describe('the aftercare person file', () => {
  it('帮教档案: helpers, the 帮教协议 with its signatures and seal, the visits, 建档人', async () => {
    const r = await make('aftercare-person', { personId: f.p.id })
    const text = textOf(r.doc.xml)
    for (const s of ['刑满释放人员帮教档案', '一、基本情况', '二、帮教人员', '三、帮教协议', '四、走访记录', '盗窃罪', '张伟', '王建国', '上门走访，了解就业情况，工作稳定。'])
      expect(text).toContain(s)
    for (const s of ['帮教对象（签名或按指印）：', '帮教小组成员（签名）：', '新塘村（盖章）', '年\u3000\u3000月\u3000\u3000日']) expect(text).toContain(s)
    expect(text).toContain(maskIdNumber(f.personId))
    // dates whole: 2025年3月1日, never 2025.03.01
    expect(text).toContain('帮教期限自2025年3月1日起至2030年3月1日止')
    expect(text).not.toMatch(/\d{4}\.\d{2}\.\d{2}/)
    // 建档人 under the visit log, held with its last rows
    expect(closingText(tables(r.doc.xml).at(-1)!)).toBe('建档人：周文书\u3000\u3000建档日期：2025年3月2日')
    expectGbPage(r.doc.xml, 'portrait')
    expectWpsSafeTables(r.doc.xml, PORTRAIT_BODY)
  })
})

describe('CLI and API', () => {
  it('export KIND writes the file; a bad kind is refused', async () => {
    t.close()
    const out = join(t.dir, 'm.docx')
    const code = await cliMain(['export', 'mediation', '--data-dir', t.dir, '--out', out, '--year', '2026'])
    expect(code).toBe(0)
    expect(bodyRows((await openDocx(readFileSync(out))).xml).length).toBe(2)
    expect(await cliMain(['export', 'nonsense', '--data-dir', t.dir, '--out', out])).toBe(2)
    expect(await cliMain(['export', 'mediation-case', '--data-dir', t.dir, '--out', out])).toBe(2)
    // reopen for the remaining tests
    const again = testApp({ dir: t.dir, setup: false })
    Object.assign(t, { ctx: again.ctx, invoke: again.invoke, ok: again.ok, err: again.err, close: again.close })
  })

  it('documents.export returns the file as base64 with a name that says what it is', async () => {
    const r = await t.ok('documents.export', { kind: 'patrols', year: 2026 })
    expect(r.fileName).toBe('大托铺街道_2026年_巡逻记录台账.docx')
    expect(bodyRows((await openDocx(Buffer.from(r.base64, 'base64'))).xml).length).toBe(43)
    const e = await t.err('documents.export', { kind: 'mediation-case' })
    expect(e.field).toBe('caseId')
  })
})

describe('inspection dossier', () => {
  it('a 目录 field over heading-styled section titles, its cached entries carrying the laid-out pages', async () => {
    const r = await make('dossier')
    expect(r.fileName).toBe('大托铺街道_2026年_迎检档案.docx')
    const text = textOf(r.doc.xml)
    for (const s of ['平安创建迎检档案', '目\u3000\u3000录']) expect(text).toContain(s)
    // the cover: labels four characters wide, 保管期限 in the current terms, the date in Arabic numerals
    expect(text).toContain('保管期限：30年')
    expect(text).toContain('立\u2002卷\u2002人：周文书')
    expect(text).toMatch(/立卷日期：\d{4}年\d{1,2}月\d{1,2}日/)
    expect(text).not.toContain('长期')
    expectPageNumbers(r.doc)
    expectEastAsiaEverywhere(r.doc)
    // the TOC field, Word's way: begin, instruction, separate, the cached entries, end
    expect(r.doc.xml).toMatch(/<w:fldChar w:fldCharType="begin"\/><\/w:r><w:r>.*?<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u <\/w:instrText>/)
    const field = r.doc.xml.slice(r.doc.xml.indexOf('w:fldCharType="separate"'), r.doc.xml.indexOf('w:fldCharType="end"'))
    const titles = ['一、组织机构与成员', '二、巡逻记录台账', '三、矛盾纠纷排查调处台账', '四、安置帮教', '五、安全隐患排查整改台账', '六、创建标准自查结果']
    const toc = textOf(field)
    for (const title of titles) expect(toc).toContain(title)
    expect(r.doc.xml).toContain('<w:pStyle w:val="TOC1"/>')
    expect(r.doc.xml).toContain('<w:pStyle w:val="TOC2"/>')
    expect(r.doc.styles).toMatch(/w:styleId="TOC1"[\s\S]*?<w:name w:val="toc 1"\/>/)
    // every section title is a Heading 1 (outline level 0), its parts Heading 2
    for (const title of titles) expect(r.doc.xml).toMatch(new RegExp(`<w:pStyle w:val="Heading1"/>(?:(?!</w:p>).)*${title}`))
    expect(r.doc.styles).toMatch(/w:styleId="Heading1"[\s\S]*?<w:outlineLvl w:val="0"\/>/)
    expect(r.doc.xml).toMatch(/<w:pStyle w:val="Heading2"\/>(?:(?!<\/w:p>).)*（一）村（社区）与网格/)
    // cover and contents are 公文 pages; then one register-page section per part
    const sects = sectionsOf(r.doc.xml)
    expect(sects.length).toBe(8)
    expectGbPage(sects.slice(0, 2).join(''), 'portrait')
    for (const s of sects.slice(2)) expectRegisterPage(s)
    // inside the registers' sections nothing forces a page: their rows flow
    const body = r.doc.xml.split(/<w:sectPr/).slice(2, -1).join('')
    expect(body).not.toContain('<w:pageBreakBefore/>')
  })

  it('the village table in natural order with a 合计 row counting every village', async () => {
    await t.ok('grids.create', { villageId: f.xt.id, name: '第十网格', households: 10 })
    await t.ok('grids.create', { villageId: f.xt.id, name: '第二网格', households: 20 })
    const r = await make('dossier')
    const villages = tables(r.doc.xml).find((tb) => textOf(tb).includes('网格数'))!
    const rows = dataRows(villages)
    expect(rows.slice(0, 2).map((c) => c[1])).toEqual(['桂花社区', '新塘村'])
    expect(rows[1]![6]).toBe('第一网格（300户）、第二网格（20户）、第十网格（10户）')
    expect(rows[2]).toEqual(['合计', '', '3020', '8800', '3', ''])
  })
})

describe('the dossier\'s checklist results', () => {
  it('the summary, the roll-up and the list below it count the same targets; 合计 adds up every row', async () => {
    // 新塘村 answers one item (and fails another by its figures); the others have not started
    await t.ok('checklist.attest', { criterionId: 'shida-2020.village.1', targetId: f.xt.id, year: 2026, attested: true })
    const r = await make('dossier')
    const text = textOf(r.doc.xml)
    // the set's own part (its title's last occurrence: the first is the 目录's)
    const shida = text.slice(text.lastIndexOf('大托铺街道2020年“十大平安”创建标准'))
    const summary = /共有创建对象(\d+)个，参加创建(\d+)个（达标(\d+)个、未达标(\d+)个、待核实(\d+)个、不适用(\d+)个），未开展自查(\d+)个/.exec(shida)!.slice(1).map(Number)
    const [total, joined, met, unmet, unknown, , notStarted] = summary as [number, number, number, number, number, number, number]
    const from = r.doc.xml.lastIndexOf('大托铺街道2020年“十大平安”创建标准')
    const at = tables(r.doc.xml).findIndex((tb) => textOf(tb).includes('创建对象类别') && r.doc.xml.indexOf(tb) > from)
    const rollup = dataRows(tables(r.doc.xml)[at]!)
    const list = dataRows(tables(r.doc.xml)[at + 1]!)
    const sum = (k: number) => rollup.slice(0, -1).reduce((a, row) => a + Number(row[k]), 0)
    expect(rollup.at(-1)!.slice(0, 3)).toEqual(['合计', String(total), String(joined)])
    expect([sum(1), sum(2), sum(3), sum(4), sum(5)]).toEqual([total, joined, met, unmet, unknown])
    expect(list.length).toBe(total)
    const count = (s: string) => list.filter((row) => row[4] === s).length
    expect([count('达标'), count('未达标'), count('待核实'), count('未开展自查')]).toEqual([met, unmet, unknown, notStarted])
    expect(joined).toBe(1)
    expect(list.find((row) => row[1] === '新塘村')![4]).toBe('未达标')
  })
})

describe('the dossier appendix', () => {
  it("adds the year's audit trail only when asked, in human terms, with ID numbers masked", async () => {
    const list = await t.ok('members.list', { limit: 1, fullId: true })
    const m = list.rows[0]!
    await t.ok('members.update', { id: m.id, phone: '13900001111', roles: ['gridder', 'mediator'] })
    await t.ok('mediation.update', { id: f.c2.id, status: 'failed', closedOn: '2026-01-25' })
    const plain = textOf((await make('dossier')).doc.xml)
    expect(plain).not.toContain('附录\u3000操作记录')
    const withAudit = textOf((await make('dossier', { audit: true })).doc.xml)
    const appendix = withAudit.slice(withAudit.lastIndexOf('附录\u3000操作记录'))
    expect(appendix).toContain('13900001111')
    expect(appendix).toContain('修改')
    // value labels, not codes; names, not ids
    expect(appendix).toContain('调解状态：调解中 → 调解不成功')
    expect(appendix).toMatch(/职务\/角色：[^；]*网格员、调解员/)
    expect(appendix).not.toMatch(/\["|mediating|gridder/)
    expect(appendix).toContain('结案日期：2026年1月25日')
    expect(appendix).not.toMatch(/\d{17}[\dX]/)
    expect(withAudit).not.toContain(m.idNumber)
    // times in the PC's own time zone: on the screen as every screen writes them, in Word as documents do
    const at = (await t.ok('audit.list', { limit: 1 })).rows[0]!
    const d = new Date(at.at)
    const p2 = (n: number) => String(n).padStart(2, '0')
    const hm = `${p2(d.getHours())}:${p2(d.getMinutes())}`
    expect(at.atText).toBe(`${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${hm}`)
    expect(appendix).toContain(`${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${hm}`)
  }, 120_000)
})
