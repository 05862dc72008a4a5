import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeIdNumber, maskIdNumber } from '../../src/shared/idNumber'
import { exportDocument } from '../../src/main/documents/export'
import { testApp, type TestApp } from '../helpers'
import { toBase64 } from './excelFixtures'
import { openDocx, tables, textOf } from './documentsXml'

/**
 * The case file of a mediation case, by outcome (人民调解文书格式): the 受理登记表 always; a written
 * agreement → 调解协议书; an oral agreement → its 调解记录, no 协议书; a failed case → the 调解记录 of
 * the ended mediation telling of arbitration and the courts, no 协议书; a 回访记录 per 回访.
 */
let t: TestApp
let village: string
let mediator: string
const applicantId = makeIdNumber('430103', '1980-05-06', 77)

beforeAll(async () => {
  t = testApp()
  village = (await t.ok('villages.create', { name: '新塘村', kind: 'village', households: 620, population: 1800 })).id
  mediator = (await t.ok('members.create', { name: '李明', idNumber: makeIdNumber('430103', '1975-01-02', 5), roles: ['mediator'], joinedOn: '2020-01-01', villageId: village })).id
})
afterAll(() => t.dispose())

const base = () => ({
  receivedOn: '2026-04-02',
  source: 'application' as const,
  category: '邻里' as const,
  villageId: village,
  summary: '申请人与被申请人因宅前排水沟堵塞发生争执，双方互不相让。',
  parties: [
    { name: '陈大山', idNumber: applicantId, phone: '13907310077', address: '新塘村三组', side: 'applicant' as const },
    { name: '刘小河', idNumber: null, phone: '', address: '新塘村四组', side: 'respondent' as const },
  ],
  mediatorIds: [mediator],
})

async function caseFile(id: string) {
  const r = await exportDocument(t.ctx, { kind: 'mediation-case', caseId: id })
  const doc = await openDocx(r.buffer)
  return { ...r, doc, text: textOf(doc.xml) }
}

/** a paragraph's label is bold and ends with a colon: 纠纷主要事实、争议事项： */
function expectBoldLabel(xml: string, label: string) {
  expect(xml).toMatch(new RegExp(`<w:r><w:rPr>(?:(?!</w:rPr>).)*<w:b/>(?:(?!</w:rPr>).)*</w:rPr><w:t[^>]*>${label}：</w:t>`))
}

describe('受理登记表', () => {
  it('says how the case came in and what is known of each party: sex and age from the ID number, address', async () => {
    const c = await t.ok('mediation.create', { ...base(), status: 'pending' })
    const f = await caseFile(c.id)
    const form = textOf(tables(f.doc.xml)[0]!)
    expect(f.text).toContain('人民调解受理登记表')
    expect(form).toContain('受理方式当事人申请')
    expect(form).toContain('受理日期2026年4月2日')
    // 46 on the day the case came in; the respondent without an ID number: what is known only
    expect(form).toContain(`申请人：陈大山，男，45岁，住新塘村三组，联系电话13907310077`)
    expect(form).toContain('被申请人：刘小河，住新塘村四组')
    // a pending case has nothing more
    expect(f.text).not.toContain('人民调解协议书')
    expect(f.text).not.toContain('人民调解记录')
    expect(f.text).not.toContain('回访记录')
    expect(f.doc.xml).not.toContain(applicantId)
  })
})

describe('one file per outcome', () => {
  it('a written agreement: 调解协议书 with parties, facts, the agreement, 履行方式、地点、期限, 份数, signatures, seal place and date', async () => {
    const c = await t.ok('mediation.create', {
      ...base(),
      status: 'success',
      mediatedOn: '2026-04-10',
      agreementForm: 'written',
      agreement: '一、被申请人于2026年4月20日前疏通排水沟。\n二、费用双方各承担一半。',
      performanceMethod: '被申请人自行疏通，费用现金结清',
      performancePlace: '新塘村三组宅前',
      performanceDeadline: '2026年4月20日前',
      fulfillment: 'fulfilled',
      followUps: [{ date: '2026-05-10', note: '排水沟已疏通，双方满意。' }],
      closedOn: '2026-04-10',
    })
    const f = await caseFile(c.id)
    const agreement = f.text.slice(f.text.indexOf('人民调解协议书'), f.text.indexOf('人民调解回访记录'))
    for (const s of [
      '当事人：',
      `申请人：陈大山，男，1980年5月6日出生，公民身份号码${maskIdNumber(applicantId)}，住新塘村三组，联系电话13907310077。`,
      '被申请人：刘小河，住新塘村四组。',
      '纠纷主要事实、争议事项：',
      '经调解，自愿达成如下协议：',
      '一、被申请人于2026年4月20日前疏通排水沟。',
      '履行方式、地点、期限：履行方式：被申请人自行疏通，费用现金结清；履行地点：新塘村三组宅前；履行期限：2026年4月20日前。',
      '本协议一式3份，当事人、人民调解委员会各持一份。',
      '申请人（签名盖章或按指印）：',
      '被申请人（签名盖章或按指印）：',
      '人民调解员（签名）：',
      '新塘村人民调解委员会（印章）',
      '2026年4月10日',
    ])
      expect(agreement).toContain(s)
    for (const label of ['当事人', '纠纷主要事实、争议事项', '经调解，自愿达成如下协议', '履行方式、地点、期限']) expectBoldLabel(f.doc.xml, label)
    expect(f.text).not.toContain('人民调解记录')
    expect(f.text).not.toContain('二〇二六')
    // the signature block travels with the paragraph before it: each of its paragraphs keeps with the next
    const from = f.doc.xml.lastIndexOf('<w:p>', f.doc.xml.indexOf('本协议一式'))
    const tail = f.doc.xml.slice(from, f.doc.xml.indexOf('2026年4月10日</w:t>', from))
    const paras = tail.split('</w:p>').slice(0, -1)
    expect(paras.length).toBeGreaterThan(4)
    for (const p of paras) expect(p).toContain('<w:keepNext/>')
    // no hard page break before the date
    expect(tail).not.toMatch(/pageBreakBefore|w:type="page"/)
    expect(f.text).toContain('人民调解回访记录')
    expect(f.text).toContain('排水沟已疏通，双方满意。')
  })

  it('an oral agreement: its 调解记录 with what was agreed, and no 协议书', async () => {
    const c = await t.ok('mediation.create', {
      ...base(),
      status: 'success',
      mediatedOn: '2026-04-12',
      agreementForm: 'oral',
      agreement: '被申请人当场道歉，双方和好。',
      closedOn: '2026-04-12',
    })
    const f = await caseFile(c.id)
    expect(f.text).not.toContain('人民调解协议书')
    const record = f.text.slice(f.text.indexOf('人民调解记录'))
    for (const s of ['调解时间：2026年4月12日', '当事人：申请人陈大山，被申请人刘小河', '人民调解员：李明', '调解结果：经调解，各方当事人自愿达成口头协议', '被申请人当场道歉，双方和好。', '不另制作调解协议书', '记录人（签名）：', '新塘村人民调解委员会（印章）'])
      expect(record).toContain(s)
    expect(record).not.toContain('仲裁')
    expectBoldLabel(f.doc.xml, '调解结果')
  })

  it('a failed case: the 调解记录 of the ended mediation, telling the parties of arbitration and the courts; no 协议书', async () => {
    const c = await t.ok('mediation.create', { ...base(), status: 'failed', mediatedOn: '2026-04-15', closedOn: '2026-04-15' })
    const f = await caseFile(c.id)
    expect(f.text).not.toContain('人民调解协议书')
    expect(f.text).not.toContain('本协议自')
    const record = f.text.slice(f.text.indexOf('人民调解记录'))
    expect(record).toContain('本委员会终止调解')
    expect(record).toMatch(/仲裁.*人民法院提起诉讼/)
    expect(record).toContain('2026年4月15日')
  })

  it('a 回访记录 for each 回访, in order', async () => {
    const c = await t.ok('mediation.create', {
      ...base(),
      status: 'success',
      mediatedOn: '2026-04-10',
      agreementForm: 'written',
      agreement: '赔偿500元。',
      fulfillment: 'partial',
      followUps: [
        { date: '2026-06-01', note: '已付300元，余款约定月底付清。' },
        { date: '2026-05-01', note: '尚未付款，已督促。' },
      ],
      closedOn: '2026-04-10',
    })
    const f = await caseFile(c.id)
    expect(f.text.split('人民调解回访记录').length - 1).toBe(2)
    const first = f.text.indexOf('人民调解回访记录（第1次）')
    const second = f.text.indexOf('人民调解回访记录（第2次）')
    expect(first).toBeGreaterThan(0)
    expect(f.text.slice(first, second)).toContain('回访日期2026年5月1日')
    expect(f.text.slice(first, second)).toContain('尚未付款，已督促。')
    expect(f.text.slice(second)).toContain('已付300元，余款约定月底付清。')
    expect(f.text.slice(second)).toContain('协议履行情况部分履行')
  })
})

describe('履行方式、地点、期限 from Excel', () => {
  it('the import takes the three columns and the 协议书 prints them', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['受理日期', '纠纷类型', '村（社区）', '申请人', '被申请人', '纠纷简要情况', '调解结果', '调解日期', '协议形式', '协议内容', '履行方式', '履行地点', '履行期限', '结案日期'])
    ws.addRow(['2026-03-01', '邻里', '新塘村', '王五', '赵六', '宅基地边界争议。', '调解成功', '2026-03-05', '书面协议', '按原界桩划界。', '双方共同埋设界桩', '现场', '2026年3月20日前', '2026-03-05'])
    const r = await t.ok('excel.import', { register: 'mediation', fileBase64: await toBase64(wb), fileName: 'cases.xlsx' })
    expect(r.rejected).toEqual([])
    const c = (await t.ok('mediation.list', { q: '宅基地边界' })).rows[0]!
    expect([c.performanceMethod, c.performancePlace, c.performanceDeadline]).toEqual(['双方共同埋设界桩', '现场', '2026年3月20日前'])
    const f = await caseFile(c.id)
    expect(f.text).toContain('履行方式：双方共同埋设界桩；履行地点：现场；履行期限：2026年3月20日前。')
  })
})
