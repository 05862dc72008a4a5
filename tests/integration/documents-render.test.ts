import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import { docContext } from '../../src/main/documents/common'
import { dossier } from '../../src/main/documents/dossier'
import { exportDocument } from '../../src/main/documents/export'
import { fontsFor } from '../../src/main/documents/format'
import { testApp, type TestApp } from '../helpers'
import { answerAll } from './checklistFixtures'
import { fillTownship } from './documentsFixture'
import { bodyFill, bodyLines, footerNumber, hasSoffice, hasTimesMetrics, renderPdf, renderPdfs, type PdfPage } from './documentsXml'

/**
 * The documents as LibreOffice prints them: with the fonts the program measured with (Times New
 * Roman's metrics, as on a standard Windows PC), and with Times New Roman replaced by a wider face
 * (a PC without it). Word and WPS paginate the same file; these check what a reader would notice.
 */
let t: TestApp
let f: Awaited<ReturnType<typeof fillTownship>>

beforeAll(async () => {
  t = testApp()
  await t.ok('settings.update', { operator: '周文书' })
  f = await fillTownship(t, { patrols: 260 })
  // a roll of several pages
  for (let i = 0; i < 70; i++)
    await t.ok('members.create', {
      name: `队员${String(i).padStart(2, '0')}`,
      idNumber: makeIdNumber('430103', `19${60 + (i % 30)}-0${(i % 9) + 1}-1${i % 10}`, 200 + i),
      phone: `1390731${String(5000 + i)}`,
      villageId: i % 2 ? f.xt.id : f.gh.id,
      roles: i % 3 ? ['red_armband'] : ['patrol_parttime', 'volunteer'],
      joinedOn: `20${10 + (i % 15)}-0${(i % 9) + 1}-2${i % 8}`,
    })
}, 120_000)
afterAll(() => t.dispose())

const squash = (s: string) => s.replace(/\s+/g, '')

/** a line of a signature block: a signing place, a seal, a date, the 填表人 line */
const SIGNATURE = /（(签名|盖章|印章|签名盖章或按指印|签名或按指印)）|^\d{4}年\d{1,2}月\d{1,2}日$|^年\s*月\s*日$|^填表人：|^建档人：/

/** no page holds only a signature block or a date; a 填表人 line stands with numbered rows */
function expectNoLoneSignatures(pages: PdfPage[], what: string) {
  pages.forEach((p, i) => {
    const lines = bodyLines(p)
    if (lines.length === 0) return
    expect(
      lines.every((l) => SIGNATURE.test(l.replace(/\s{2,}/g, ' ').trim()) || /^[_\s]+$/.test(l)),
      `${what} page ${i + 1} holds only: ${lines.join(' | ')}`,
    ).toBe(false)
    // the 填表人 line comes with numbered rows, or with its whole (empty) register: its title and header on the page
    if (lines.some((l) => l.startsWith('填表人：')))
      expect(lines.some((l) => /^\d+\s{2,}\S/.test(l)) || (lines.some((l) => /台账|花名册|记录/.test(l)) && lines.some((l) => l.startsWith('序号'))), `${what} page ${i + 1}: 填表人 without rows`).toBe(true)
  })
}

describe.skipIf(!hasSoffice)('the dossier with other fonts', () => {
  let r: Awaited<ReturnType<typeof dossier>>
  beforeAll(async () => {
    const d = await docContext(t.ctx, { year: 2026 })
    r = await dossier({ ...d, village: null }, fontsFor(t.ctx))
  })

  it.skipIf(!hasTimesMetrics)('with the fonts the program measured with, prints the pages its 目录 promises', () => {
    const normal = renderPdf(r.buffer)
    expect(normal.length).toBe(r.pages)
    // the contents page shows each entry with the page the program laid out; that page starts with it
    const tocText = normal[1]!.text
    for (const e of r.toc) {
      expect(squash(tocText)).toMatch(new RegExp(`${squash(e.title).replace(/[()（）]/g, '.')}[.…·]*${e.page}`))
      const at = normal.findIndex((p, i) => i > 1 && squash(p.text).includes(squash(e.title)))
      expect(at, `${e.title} in the body`).toBeGreaterThan(1)
      expect(footerNumber(normal[at]!), e.title).toBe(e.page)
    }
    // nothing printed beyond the right margin of its page
    normal.forEach((p, i) => {
      const right = p.width > p.height ? 15 : 26
      const xMax = Math.max(0, ...p.words.map((w) => w.xMax))
      expect(xMax, `page ${i + 1}`).toBeLessThanOrEqual(p.width - right * (72 / 25.4) + 3)
    })
    expectNoLoneSignatures(normal, 'dossier')
  }, 300_000)

  it('with a wider font the registers still fill their pages, the count grows by at most a quarter, no date breaks', () => {
    const wide = renderPdf(r.buffer, { wide: true })
    expect(wide.length).toBeLessThanOrEqual(Math.floor(r.pages * 1.25))
    // each register section: every page but its last at least 80% filled
    const starts = r.toc.filter((e) => e.level === 1).map((e) => ({ title: e.title, at: wide.findIndex((p, i) => i > 1 && squash(p.text).includes(squash(e.title))) }))
    expect(starts.every((s) => s.at > 1)).toBe(true)
    const registers = starts.filter((s) => /^[一二三四五]、/.test(s.title))
    expect(registers.length).toBe(5)
    for (const s of registers) {
      const next = starts.find((x) => x.at > s.at)?.at ?? wide.length
      for (let i = s.at; i < next - 1; i++) expect(bodyFill(wide[i]!), `${s.title}, page ${i + 1} of ${wide.length}`).toBeGreaterThanOrEqual(0.8)
    }
    expectNoLoneSignatures(wide, 'dossier (wide)')
    // a date never breaks inside its cell, even in the wider face
    const text = wide.map((p) => p.text.replace(/(\d)\s+(?=[年月日])/g, '$1').replace(/([年月])\s+(?=\d)/g, '$1')).join('\n')
    expect(text).toMatch(/2026年\d{1,2}月\d{1,2}日/)
    expect(text).not.toMatch(/\d{4}年\d{1,2}月\d{1,2}(?![\d日])/)
    expect(text).not.toMatch(/\d{4}年\d{1,2}(?![\d月])/)
  }, 300_000)
})

describe.skipIf(!hasSoffice)('signature blocks', () => {
  it('a 调解协议书, a 自查报告 and a 帮教档案 never leave the signatures or the date alone on a page, however long the text before them', async () => {
    const parties = [
      { name: '陈大山', side: 'applicant' as const },
      { name: '刘小河', side: 'respondent' as const },
    ]
    const line = '被申请人应于本协议签订之日起十日内将堆放在申请人宅前的建筑材料全部清理完毕，并恢复原状。'
    const files: Buffer[] = []
    // agreements of every length from one line to a page and a half: some end right at a page's foot
    for (let n = 1; n <= 24; n += 1) {
      const c = await t.ok('mediation.create', {
        receivedOn: '2026-04-02', source: 'application', category: '邻里', villageId: f.xt.id, summary: '宅前堆放建筑材料引发纠纷。', parties,
        status: 'success', mediatedOn: '2026-04-10', agreementForm: 'written', agreement: Array.from({ length: n }, (_, i) => `${i + 1}．${line}`).join('\n'), closedOn: '2026-04-10',
      })
      files.push((await exportDocument(t.ctx, { kind: 'mediation-case', caseId: c.id })).buffer)
    }
    for (let n = 0; n < 12; n += 2) {
      await t.ok('documents.selfCheckTexts.save', { targetId: f.xt.id, year: 2026, measures: Array.from({ length: n + 1 }, () => line).join('\n'), nextSteps: line })
      files.push((await exportDocument(t.ctx, { kind: 'self-check', setId: 'shida-2020', targetId: f.xt.id, year: 2026 })).buffer)
    }
    files.push((await exportDocument(t.ctx, { kind: 'aftercare-person', personId: f.p.id })).buffer)
    files.push((await exportDocument(t.ctx, { kind: 'members', year: 2026 })).buffer)
    const rendered = renderPdfs(files)
    rendered.forEach((pages, i) => expectNoLoneSignatures(pages, `file ${i + 1}`))
    // the agreements: the date is on the page of the signatures, and the signatures with the text before them
    for (const pages of rendered.slice(0, 24)) {
      const last = pages.findIndex((p) => p.text.includes('人民调解员（签名）'))
      expect(last).toBeGreaterThanOrEqual(0)
      expect(squash(pages[last]!.text)).toContain('2026年4月10日')
      expect(squash(pages[last]!.text)).toContain('本协议一式3份')
    }
  }, 400_000)
})

describe.skipIf(!hasSoffice)('one-page forms', () => {
  it('申报表, 审核表 and 奖牌 each print on one page, with the fonts measured and with a wider one', async () => {
    const family = (await t.ok('families.create', { name: '陈大山家庭', villageId: f.xt.id, householder: '陈大山', declaredOn: '2026-03-01' })).id
    await answerAll(t, 'shida-2020', family, 2026)
    const files = [
      (await exportDocument(t.ctx, { kind: 'application-form', targetId: f.xt.id, year: 2026 })).buffer,
      (await exportDocument(t.ctx, { kind: 'review-form', targetId: f.xt.id, year: 2026 })).buffer,
      (await exportDocument(t.ctx, { kind: 'award', targetId: family, year: 2026 })).buffer,
    ]
    for (const wide of [false, true]) expect(renderPdfs(files, { wide }).map((p) => p.length)).toEqual([1, 1, 1])
  }, 200_000)
})
