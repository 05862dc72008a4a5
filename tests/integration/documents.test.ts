import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskIdNumber } from '../../src/shared/idNumber'
import { cnDate, cnNumber } from '../../src/shared/documents/cnText'
import { exportDocument } from '../../src/main/documents/export'
import { main as cliMain } from '../../src/main/cli'
import { testApp, type TestApp } from '../helpers'
import { fillTownship } from './documentsFixture'

type Fx = Awaited<ReturnType<typeof fillTownship>>
let t: TestApp
let f: Fx

beforeAll(async () => {
  t = testApp()
  f = await fillTownship(t, { patrols: 40 })
}, 60_000)
afterAll(() => t.dispose())

interface Docx {
  xml: string
  footers: string[]
  settings: string
}

async function open(buf: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(buf)
  const xml = await zip.file('word/document.xml')!.async('string')
  const footers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d*\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')))
  const settings = await zip.file('word/settings.xml')!.async('string')
  return { xml, footers, settings }
}

async function make(kind: string, extra: Record<string, unknown> = {}) {
  const r = await exportDocument(t.ctx, { kind: kind as never, year: 2026, ...extra })
  return { ...r, doc: await open(r.buffer) }
}

const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
const textOf = (x: string) => unesc([...x.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((m) => m[1] ?? '\n').join(''))
const tables = (xml: string) => [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0])
const rowsOf = (tbl: string) => [...tbl.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0])
const cells = (tr: string) => [...tr.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => textOf(m[0]))
/** body rows of every table (header rows dropped), as cell texts */
function bodyRows(xml: string): string[][] {
  return tables(xml).flatMap((tb) => rowsOf(tb).filter((r) => !r.includes('<w:tblHeader/>')).map(cells))
}

function expectWpsSafeTables(xml: string, bodyWidth: number) {
  const tbls = tables(xml)
  expect(tbls.length).toBeGreaterThan(0)
  for (const tb of tbls) {
    const tblW = Number(/<w:tblW w:w="(\d+)" w:type="dxa"\/>/.exec(tb)?.[1])
    const grid = [...tb.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]))
    expect(tb).toContain('<w:tblLayout w:type="fixed"/>')
    expect(tblW).toBeLessThanOrEqual(bodyWidth)
    expect(grid.reduce((a, b) => a + b, 0)).toBe(tblW)
    expect(tb).not.toMatch(/w:type="auto"|w:type="pct"/)
    const rows = rowsOf(tb)
    // every cell has its width in twips, and the cells of a row add up to the table's width
    for (const r of rows) {
      const spans = [...r.matchAll(/<w:tcW w:w="(\d+)" w:type="dxa"\/>/g)].map((m) => Number(m[1]))
      expect(spans.length).toBe((r.match(/<w:tc>/g) ?? []).length)
      expect(spans.reduce((a, b) => a + b, 0)).toBe(tblW)
    }
  }
}

function expectEastAsiaEverywhere(d: Docx) {
  for (const part of [d.xml, ...d.footers]) {
    const runs = [...part.matchAll(/<w:r>[\s\S]*?<\/w:r>/g)].map((m) => m[0])
    expect(runs.length).toBeGreaterThan(0)
    for (const r of runs) expect(r, r.slice(0, 200)).toMatch(/<w:rFonts [^>]*w:eastAsia="[^"]+"/)
  }
}

const PORTRAIT_BODY = 11906 - 1588 - 1474
/** a register page: landscape, 20 mm top and bottom, 18 mm binding side, 15 mm outer side */
const REGISTER_BODY = 16838 - 1020 - 850

/** the page of a register table (台账): GB/T 9704 is for 公文, so narrow margins and 20-odd rows a page */
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

function expectRegisterPages(xml: string) {
  const sects = [...xml.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0])
  expect(sects.length).toBeGreaterThan(0)
  for (const s of sects) expectRegisterPage(s)
}

/** a 公文 page (reports, forms, cover, contents): GB/T 9704's margins */
function expectGbPage(xml: string, orientation: 'landscape' | 'portrait') {
  const sects = [...xml.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0])
  expect(sects.length).toBeGreaterThan(0)
  for (const s of sects) {
    const sz = /<w:pgSz ([^>]*)\/>/.exec(s)![1]!
    if (orientation === 'landscape') {
      expect(sz).toMatch(/w:w="16838"/)
      expect(sz).toMatch(/w:h="11906"/)
      expect(sz).toMatch(/w:orient="landscape"/)
    } else {
      expect(sz).toMatch(/w:w="11906"/)
      expect(sz).toMatch(/w:h="16838"/)
    }
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

describe('Chinese numbers and dates', () => {
  it('writes them as clerks do', () => {
    expect(cnDate('2026-11-23')).toBe('二〇二六年十一月二十三日')
    expect(cnDate('2020-10-01')).toBe('二〇二〇年十月一日')
    expect([1, 10, 12, 20, 21, 105].map(cnNumber)).toEqual(['一', '十', '十二', '二十', '二十一', '一百零五'])
  })
})

describe('register documents', () => {
  it('members: the year\'s roll, grouped by village, heads first, numbers masked', async () => {
    const r = await make('members')
    expect(r.fileName).toBe('大托铺街道_2026年_成员花名册.docx')
    const rows = bodyRows(r.doc.xml)
    // 孙离 left in 2025: not on the 2026 roll
    expect(rows.map((c) => c[1])).toEqual(['赵红', '王建国', '李明', '张伟'])
    expect(rows.map((c) => c[0])).toEqual(['1', '2', '3', '4'])
    const full = f.memberId(2)
    expect(rows[2]![3]).toBe(maskIdNumber(full))
    expect(r.doc.xml).not.toContain(full)
    expect(textOf(r.doc.xml)).toContain('大托铺街道2026年成员花名册')
    expect(textOf(r.doc.xml)).toMatch(/填报单位：大托铺街道综治办（盖章）.*填报时间：\d{4}年\d{1,2}月\d{1,2}日/)
    expectRegisterPages(r.doc.xml)
    expectWpsSafeTables(r.doc.xml, REGISTER_BODY)
    // register tables are set in 小五 (9 pt) on an exact 13.5 pt line
    expect(r.doc.xml).toContain('<w:pStyle w:val="RegC"/>')
    expect(r.doc.xml).not.toMatch(/w:val="Tab[CLR]"/)
    expectEastAsiaEverywhere(r.doc)
    expectPageNumbers(r.doc)
    // the header row repeats on every page; rows never split across pages
    for (const tb of tables(r.doc.xml)) {
      const trs = rowsOf(tb)
      expect(trs[0]).toContain('<w:tblHeader/>')
      expect(trs.slice(1).every((x) => !x.includes('<w:tblHeader/>') && x.includes('<w:cantSplit/>'))).toBe(true)
    }
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

  it('patrols: only the year, oldest first, over several pages each with its header', async () => {
    const r = await make('patrols')
    const rows = bodyRows(r.doc.xml)
    expect(rows.length).toBe(43)
    const dates = rows.map((c) => c[1]!)
    expect(dates.every((d) => d.startsWith('2026.'))).toBe(true)
    expect([...dates].sort()).toEqual(dates)
    expect(rows.map((c) => Number(c[0]))).toEqual(rows.map((_, i) => i + 1))
    expect(rows.find((c) => c[1] === '2026.02.20')![8]).toBe('发现路灯损坏一处')
    const tbls = tables(r.doc.xml)
    expect(r.pages).toBeGreaterThan(1)
    expect(tbls.length).toBe(r.pages)
    for (const tb of tbls) expect(rowsOf(tb)[0]).toContain('<w:tblHeader/>')
    // a landscape register page is dense: even these long 2–3-line rows go 10 or more to a page
    expect(rowsOf(tbls[0]!).length - 1).toBeGreaterThanOrEqual(10)
    expectRegisterPages(r.doc.xml)
    expectWpsSafeTables(r.doc.xml, REGISTER_BODY)
  })

  it('mediation: the year\'s cases in order of receipt', async () => {
    const r = await make('mediation')
    expect(r.fileName).toBe('大托铺街道_2026年_矛盾纠纷排查调处台账.docx')
    const rows = bodyRows(r.doc.xml)
    expect(rows.map((c) => c[1])).toEqual([f.c2.caseNo, f.c1.caseNo])
    expect(rows[1]![5]).toBe('申请人：陈大山\n被申请人：刘小河')
    expect(rows[1]![8]).toBe('调解成功')
  })

  it('aftercare: the roll with masked numbers and the year\'s visits', async () => {
    const r = await make('aftercare')
    const [people, visits] = tables(r.doc.xml).map((tb) => rowsOf(tb).filter((x) => !x.includes('<w:tblHeader/>')).map(cells))
    expect(people!.map((c) => c[1])).toEqual(['黄某某'])
    expect(people![0]![3]).toBe(maskIdNumber(f.personId))
    expect(r.doc.xml).not.toContain(f.personId)
    expect(visits!.map((c) => c[1])).toEqual(['2026.02.01', '2026.06.01'])
  })
})

describe('case and person files', () => {
  it('a mediation case: 受理登记表, 调解协议书 with signature places, 回访记录', async () => {
    const r = await make('mediation-case', { caseId: f.c1.id })
    const text = textOf(r.doc.xml)
    for (const s of ['人民调解受理登记表', '人民调解协议书', '人民调解回访记录', '纠纷主要事实、争议事项', '各方当事人的责任', '履行方式、地点、期限', '申请人（签名、按指印）：', '被申请人（签名、按指印）：', '人民调解员（签名）：', '新塘村人民调解委员会（印章）', '二〇二六年四月十日', '一、被申请人于2026年4月20日前疏通排水沟。', '排水沟已疏通，双方满意。'])
      expect(text).toContain(s)
    expect(text).toContain(maskIdNumber(f.applicantId))
    expect(r.doc.xml).not.toContain(f.applicantId)
    expect(r.fileName).toBe(`大托铺街道_${f.c1.caseNo}_调解案卷.docx`)
    expectGbPage(r.doc.xml, 'portrait')
    expectWpsSafeTables(r.doc.xml, PORTRAIT_BODY)
    expectEastAsiaEverywhere(r.doc)
  })

  it('an aftercare person: 帮教档案 with helpers, agreement summary and visits', async () => {
    const r = await make('aftercare-person', { personId: f.p.id })
    const text = textOf(r.doc.xml)
    for (const s of ['刑满释放人员帮教档案', '一、基本情况', '二、帮教人员', '三、帮教协议（摘要）', '四、走访记录', '盗窃罪', '张伟', '王建国', '上门走访，了解就业情况，工作稳定。'])
      expect(text).toContain(s)
    expect(text).toContain(maskIdNumber(f.personId))
  })
})

describe('self-check and shida-2020 forms', () => {
  it('the self-check report lists every criterion with its status and a summary count', async () => {
    const r = await make('self-check', { setId: 'shida-2020', targetId: f.xt.id })
    expectGbPage(r.doc.xml, 'portrait')
    const ev = await t.ok('checklist.evaluate', { setId: 'shida-2020', year: 2026, targetId: f.xt.id })
    const mine = ev.results.filter((x) => x.targetId === f.xt.id)
    const rows = bodyRows(r.doc.xml)
    expect(rows.length).toBe(mine.length)
    const labels = { met: '达标', unmet: '未达标', unknown: '待核实' }
    expect(rows.map((c) => c[2])).toEqual(mine.map((x) => (x.notApplicable ? '不适用' : labels[x.status])))
    const n = (s: string) => mine.filter((x) => x.status === s).length
    expect(textOf(r.doc.xml)).toContain(`共${mine.length}项，其中达标${n('met')}项，未达标${n('unmet')}项，待核实${n('unknown')}项`)
  })

  it('申报表 and 审核表 are filled from the data', async () => {
    const a = textOf((await make('application-form', { targetId: f.xt.id })).doc.xml)
    expect(a).toContain('附件1')
    expect(a).toMatch(/2026年“十大平安”创建申报表/)
    for (const s of ['申报单位', '新塘村', '申报内容', '平安创建', '活动计划', '牵头单位：（盖章）']) expect(a).toContain(s)
    const b = textOf((await make('review-form', { targetId: f.xt.id })).doc.xml)
    for (const s of ['附件2', '审核表', '开展情况', '及成果', '审核单位：（盖章）', '全年受理矛盾纠纷2件']) expect(b).toContain(s)
    const w = textOf((await make('award', { targetId: f.xt.id })).doc.xml)
    expect(w).toContain('被评为二〇二六年度')
    expect(w).toContain('平 安 村')
  })
})

describe('CLI and API', () => {
  it('export KIND writes the file; a bad kind is refused', async () => {
    t.close()
    const out = join(t.dir, 'm.docx')
    const code = await cliMain(['export', 'mediation', '--data-dir', t.dir, '--out', out, '--year', '2026'])
    expect(code).toBe(0)
    expect(bodyRows((await open(readFileSync(out))).xml).length).toBe(2)
    expect(await cliMain(['export', 'nonsense', '--data-dir', t.dir, '--out', out])).toBe(2)
    expect(await cliMain(['export', 'mediation-case', '--data-dir', t.dir, '--out', out])).toBe(2)
    // reopen for the remaining tests
    const again = testApp({ dir: t.dir, setup: false })
    Object.assign(t, { ctx: again.ctx, invoke: again.invoke, ok: again.ok, err: again.err, close: again.close })
  })

  it('documents.export returns the file as base64 with a name that says what it is', async () => {
    const r = await t.ok('documents.export', { kind: 'patrols', year: 2026 })
    expect(r.fileName).toBe('大托铺街道_2026年_巡逻记录台账.docx')
    expect(bodyRows((await open(Buffer.from(r.base64, 'base64'))).xml).length).toBe(43)
    const e = await t.err('documents.export', { kind: 'mediation-case' })
    expect(e.field).toBe('caseId')
  })
})

const hasSoffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore' })
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('inspection dossier', () => {
  it.skipIf(!hasSoffice)('prints in LibreOffice with the pages its contents promise', async () => {
    const r = await make('dossier')
    expect(r.fileName).toBe('大托铺街道_2026年_迎检档案.docx')
    const text = textOf(r.doc.xml)
    for (const s of ['平安创建迎检档案', '保管期限', '立 卷 人', '立卷日期', '目\u3000\u3000录']) expect(text).toContain(s)
    expectPageNumbers(r.doc)
    expectEastAsiaEverywhere(r.doc)
    // cover and contents are 公文 pages (GB/T 9704, portrait); the register sections are register pages,
    // and every table fits its page's body
    const sects = [...r.doc.xml.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0])
    expect(sects.length).toBe(7)
    expectGbPage(sects.slice(0, 2).join(''), 'portrait')
    for (const s of sects.slice(2)) expectRegisterPage(s)
    const sections = r.doc.xml.split(/<w:sectPr/)
    for (const s of sections.slice(0, -1)) {
      if (!s.includes('<w:tbl>')) continue
      expectWpsSafeTables(s, REGISTER_BODY)
    }

    const dir = mkdtempSync(join(tmpdir(), 'pingan-pdf-'))
    try {
      const docx = join(dir, 'dossier.docx')
      writeFileSync(docx, r.buffer)
      const profile = join(dir, 'profile')
      execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], { stdio: 'ignore', timeout: 170_000 })
      const pdf = join(dir, 'dossier.pdf')
      expect(existsSync(pdf)).toBe(true)
      const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((p, i, a) => i < a.length - 1 || p.trim() !== '')
      expect(pages.length).toBe(r.pages)
      // the contents page: each title with the page number printed beside it
      const toc = pages[1]!
      const titles = ['一、组织机构与成员', '二、巡逻记录台账', '三、矛盾纠纷排查调处台账', '四、安置帮教', '五、创建标准自查结果']
      for (const title of titles) {
        const m = new RegExp(`${title}[.\\s…·]*?(\\d+)\\s*$`, 'm').exec(toc)
        expect(m, `${title} in the contents`).not.toBeNull()
        const promised = Number(m![1])
        // the page that starts with the title carries the footer "— promised —"
        const at = pages.findIndex((p, i) => i > 1 && p.includes(title))
        expect(at, `${title} in the body`).toBeGreaterThan(1)
        expect(pages[at]).toMatch(new RegExp(`—\\s*${promised}\\s*—`))
      }
      // nothing printed beyond the right margin of its page
      const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' })
      const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g
      let n = 0
      for (const m of bbox.matchAll(pageRe)) {
        n++
        const width = Number(m[1])
        // landscape register pages have a 15 mm outer margin, the portrait cover and contents GB/T 9704's 26 mm
        const right = width > Number(m[2]) ? 15 : 26
        const xMax = Math.max(0, ...[...m[3]!.matchAll(/xMax="([\d.]+)"/g)].map((x) => Number(x[1])))
        expect(xMax, `page ${n}`).toBeLessThanOrEqual(width - right * (72 / 25.4) + 3)
      }
      expect(n).toBe(r.pages)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 200_000)
})

describe('the dossier appendix', () => {
  it('adds the year\'s audit trail only when asked, with ID numbers masked', async () => {
    const list = await t.ok('members.list', { limit: 1, fullId: true })
    const m = list.rows[0]!
    await t.ok('members.update', { id: m.id, phone: '13900001111' })
    const plain = textOf((await make('dossier')).doc.xml)
    expect(plain).not.toContain('附录\u3000操作记录')
    const withAudit = textOf((await make('dossier', { audit: true })).doc.xml)
    const appendix = withAudit.slice(withAudit.lastIndexOf('附录\u3000操作记录'))
    expect(appendix).toContain('附录\u3000操作记录')
    expect(appendix).toContain('13900001111')
    expect(appendix).toContain('修改')
    expect(appendix).not.toMatch(/\d{17}[\dX]/)
    expect(withAudit).not.toContain(m.idNumber)
  }, 120_000)
})
