import { checkIdNumber } from '../../shared/idNumber'
import { roleLabels } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import { caseStatusLabels, fulfillmentLabels, partySideLabels, type CaseSource, type MediationCase } from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels, riskLabels, type AftercarePerson } from '../../shared/aftercare/schema'
import { arDate, h1No } from '../../shared/documents/cnText'
import { readSettings } from '../settings/store'
import { call } from './data'
import { STYLE, type Block, type Cell, type ParaStyle, type SectionSpec, type Span } from './format'
import { idShown, keepTogether, sexLabel, type DocContext } from './common'
import { visitsTable } from './registers'
import type { Built } from './registerDocs'

/**
 * Case files. A mediation case prints as 人民调解文书格式 does for its outcome: the 受理登记表 always;
 * a written agreement → 人民调解协议书; an oral agreement → its 人民调解记录 (no 协议书); a failed case
 * → the 人民调解记录 of the ended mediation, telling the parties of arbitration and the courts (no
 * 协议书); one 回访记录 for each 回访. Labels are bold with a colon; dates in Arabic numerals; every
 * signature block travels with the lines before it.
 */
const label = (text: string): Cell => ({ text, font: 'hei', align: 'center' })
const value = (text: string, span = 1, minLines?: number): Cell => ({ text, span, align: 'left', ...(minLines ? { minLines } : {}) })
const FORM4 = [
  { title: '', width: 18 },
  { title: '', width: 32 },
  { title: '', width: 18 },
  { title: '', width: 32 },
]
const BLANK_DATE = '年\u3000\u3000月\u3000\u3000日'
const dateOrBlank = (iso: string | null | undefined) => (iso ? arDate(iso) : BLANK_DATE)
const blank = (n: number) => '\u3000'.repeat(n)

/** a labelled paragraph: 「当事人：」 in bold, then the text */
function labelled(name: string, text: string, style: ParaStyle = STYLE.plain, keepNext = false): Block {
  const spans: Span[] = [{ text: `${name}：`, bold: true }]
  if (text) spans.push({ text })
  return { t: 'p', text: spans, style, ...(keepNext ? { keepNext: true } : {}) }
}

/** a signature line: label, then room to sign */
const signLine = (text: string): Block => ({ t: 'p', text: [{ text, bold: true }, { text: blank(8), underline: true }], style: { ...STYLE.plain, indent: 640 } })

const receiveWays: Record<CaseSource, string> = { application: '当事人申请', screening: '主动调解（排查发现）', referral: '有关部门移送' }

/** 申请人陈大山，男，46岁，住新塘村三组，联系电话…: what the form knows of a party */
function partyFacts(d: DocContext, c: MediationCase, p: MediationCase['parties'][number], withId: boolean): string {
  const id = p.idNumber ? checkIdNumber(p.idNumber, d.today) : null
  const bits = [p.name]
  if (id?.ok) {
    bits.push(id.sex === 'female' ? '女' : '男')
    const at = c.receivedOn
    const age = Number(at.slice(0, 4)) - Number(id.birthDate.slice(0, 4)) - (at.slice(5) < id.birthDate.slice(5) ? 1 : 0)
    bits.push(withId ? `${arDate(id.birthDate)}出生` : `${age}岁`)
  }
  if (withId && p.idNumber) bits.push(`公民身份号码${idShown(d, p.idNumber)}`)
  if (p.address) bits.push(`住${p.address}`)
  if (p.phone) bits.push(`联系电话${p.phone}`)
  return bits.join('，')
}

function header(title: string, caseNo: string, first: boolean): Block[] {
  return [
    ...(first ? [] : [{ t: 'break' } as Block]),
    { t: 'p', text: title, style: STYLE.title },
    { t: 'p', text: `编号：${caseNo}`, style: { ...STYLE.right, after: 120 } },
  ]
}

function registration(d: DocContext, c: MediationCase): Block[] {
  return [
    ...header('人民调解受理登记表', c.caseNo, true),
    {
      t: 'table',
      spec: {
        kind: 'form',
        columns: FORM4,
        rows: [
          [label('受理日期'), value(arDate(c.receivedOn)), label('受理方式'), value(receiveWays[c.source])],
          [label('纠纷类型'), value(c.category), label('村（社区）'), value(c.villageName ?? '')],
          [label('当事人'), value(c.parties.map((p) => `${partySideLabels[p.side]}：${partyFacts(d, c, p, false)}`).join('\n'), 3)],
          [label('纠纷简要情况'), value(c.summary, 3, 6)],
          [label('调解员'), value(c.mediatorNames.join('、'), 3)],
          [label('调解结果'), value(caseStatusLabels[c.status]), label('调解日期'), value(arDate(c.mediatedOn))],
          [label('登记人（签名）'), value(''), label('登记日期'), value(arDate(c.receivedOn))],
        ],
      },
    },
  ]
}

function partiesBlock(d: DocContext, c: MediationCase): Block[] {
  return [
    labelled('当事人', '', STYLE.plain, true),
    ...c.parties.map((p): Block => labelled(partySideLabels[p.side], `${partyFacts(d, c, p, true)}。`, { ...STYLE.plain, indent: 640 })),
  ]
}

function performanceText(c: MediationCase): string {
  const bits = [
    c.performanceMethod && `履行方式：${c.performanceMethod}`,
    c.performancePlace && `履行地点：${c.performancePlace}`,
    c.performanceDeadline && `履行期限：${c.performanceDeadline}`,
  ].filter(Boolean)
  return bits.length ? `${bits.join('；')}。` : ''
}

function agreementLines(c: MediationCase): Block[] {
  return (c.agreement ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l): Block => ({ t: 'p', text: l, style: STYLE.body }))
}

/** the committee's seal place and the date, with the signatures before them: one block that never splits */
function signatures(lead: Block[], lines: Block[], committee: string, date: string | null): Block[] {
  return keepTogether([
    ...lead,
    { t: 'space', lines: 1 },
    ...lines,
    { t: 'space', lines: 1 },
    { t: 'p', text: `${committee}（印章）`, style: STYLE.right },
    { t: 'p', text: dateOrBlank(date), style: { ...STYLE.right, indentRight: 640 } },
  ])
}

function writtenAgreement(d: DocContext, c: MediationCase, committee: string): Block[] {
  const copies = c.parties.length + 1
  const performance = performanceText(c)
  const body = agreementLines(c)
  return [
    ...header('人民调解协议书', c.caseNo, false),
    ...partiesBlock(d, c),
    labelled('纠纷主要事实、争议事项', '', STYLE.plain, true),
    { t: 'p', text: c.summary, style: STYLE.body },
    labelled('经调解，自愿达成如下协议', '', STYLE.plain, true),
    ...body,
    performance
      ? labelled('履行方式、地点、期限', performance)
      : // not given: a line to write them on by hand
        { t: 'p', text: [{ text: '履行方式、地点、期限：', bold: true }, { text: blank(16), underline: true }], style: STYLE.plain },
    ...signatures(
      [
        {
          t: 'p',
          text: `本协议一式${copies}份，当事人、人民调解委员会各持一份。本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。`,
          style: STYLE.body,
        },
      ],
      [...c.parties.map((p) => signLine(`${partySideLabels[p.side]}（签名盖章或按指印）：`)), signLine('人民调解员（签名）：')],
      committee,
      c.mediatedOn,
    ),
  ]
}

/** 人民调解记录: an oral agreement, or a mediation that ended without one */
function mediationRecord(d: DocContext, c: MediationCase, committee: string, outcome: 'oral' | 'failed'): Block[] {
  const parties = c.parties.map((p) => `${partySideLabels[p.side]}${p.name}`).join('，')
  const result: Block[] =
    outcome === 'oral'
      ? [
          labelled('调解结果', '经调解，各方当事人自愿达成口头协议，协议内容如下：', STYLE.plain, true),
          ...(agreementLines(c).length ? agreementLines(c) : [{ t: 'p', text: '（协议内容未录入）', style: STYLE.body } as Block]),
          ...(performanceText(c) ? [labelled('履行方式、地点、期限', performanceText(c))] : []),
          { t: 'p', text: '本口头协议自各方当事人达成协议之日起生效，由人民调解委员会记录在案，不另制作调解协议书。', style: STYLE.body },
        ]
      : [
          labelled('调解结果', '经调解，各方当事人未能达成协议，本委员会终止调解。', STYLE.plain, true),
          {
            t: 'p',
            text: '已告知各方当事人：可以依法通过仲裁、行政、司法等途径维护自己的权利，例如依法申请仲裁或者向人民法院提起诉讼。',
            style: STYLE.body,
          },
        ]
  return [
    ...header('人民调解记录', c.caseNo, false),
    labelled('调解时间', arDate(c.mediatedOn) || BLANK_DATE),
    labelled('调解地点', c.villageName ? `${c.villageName}人民调解委员会` : blank(12)),
    labelled('当事人', parties),
    labelled('人民调解员', c.mediatorNames.join('、')),
    labelled('纠纷事实及调解情况', '', STYLE.plain, true),
    { t: 'p', text: c.summary, style: STYLE.body },
    ...result.slice(0, -1),
    ...signatures(
      result.slice(-1),
      [...c.parties.map((p) => signLine(`${partySideLabels[p.side]}（签名或按指印）：`)), signLine('人民调解员（签名）：'), signLine('记录人（签名）：')],
      committee,
      c.mediatedOn,
    ),
  ]
}

function followUpRecord(c: MediationCase, f: MediationCase['followUps'][number], n: number, total: number): Block[] {
  return [
    ...header(total > 1 ? `人民调解回访记录（第${n}次）` : '人民调解回访记录', c.caseNo, false),
    {
      t: 'table',
      spec: {
        kind: 'form',
        columns: FORM4,
        rows: [
          [label('回访日期'), value(arDate(f.date)), label('协议日期'), value(arDate(c.mediatedOn))],
          [label('被回访人'), value(c.parties.map((p) => p.name).join('、'), 3)],
          [label('回访事由'), value('了解调解协议履行情况及当事人意见', 3)],
          [label('回访情况'), value(f.note, 3, 6)],
          [label('协议履行情况'), value(c.fulfillment ? fulfillmentLabels[c.fulfillment] : '', 3)],
          [label('回访人（签名）'), value(''), label('记录日期'), value(arDate(f.date))],
        ],
      },
    },
  ]
}

/** The case's file: 受理登记表, then what its outcome calls for, then its 回访记录 */
export async function mediationCaseDoc(d: DocContext, caseId: string): Promise<Built & { caseNo: string }> {
  const c = await call<MediationCase>(d.ctx, 'mediation.get', { id: caseId }, '矛盾纠纷台账')
  const committee = `${c.villageName ?? d.township.name}人民调解委员会`
  const blocks: Block[] = [...registration(d, c)]
  if (c.status === 'success' && c.agreementForm === 'written') blocks.push(...writtenAgreement(d, c, committee))
  else if (c.status === 'success') blocks.push(...mediationRecord(d, c, committee, 'oral'))
  else if (c.status === 'failed') blocks.push(...mediationRecord(d, c, committee, 'failed'))
  c.followUps.forEach((f, i) => blocks.push(...followUpRecord(c, f, i + 1, c.followUps.length)))
  const sections: SectionSpec[] = [{ orientation: 'portrait', pageNumbers: true, restartAt: 1, blocks }]
  return { title: `${c.caseNo}调解案卷`, sections, caseNo: c.caseNo }
}

/** 帮教档案: basic information, helpers, the 帮教协议 with its signatures, visit log, 建档人 */
export async function aftercarePersonDoc(d: DocContext, personId: string): Promise<Built & { name: string }> {
  const p = await call<AftercarePerson>(d.ctx, 'aftercare.people.get', { id: personId, fullId: d.fullId }, '帮教台账')
  const helpers: Member[] = []
  for (const id of p.helperIds) {
    try {
      helpers.push(await call<Member>(d.ctx, 'members.get', { id, fullId: false }, '成员台账'))
    } catch {
      /* a helper deleted since: listed by name below */
    }
  }
  const until = p.aftercareUntil
  const kindLabel = aftercareKindLabels[p.kind]
  const opened = p.handoverOn ?? p.createdAt.slice(0, 10)
  const operator = readSettings(d.ctx).operator.trim()
  const village = p.villageName ?? ''
  const blocks: Block[] = [
    { t: 'p', text: `${kindLabel}帮教档案`, style: STYLE.title },
    { t: 'p', text: `${village}\u3000\u3000建档日期：${arDate(opened)}`, style: { ...STYLE.right, after: 120 } },
    { t: 'p', text: `${h1No(1)}基本情况`, style: STYLE.h1, keepNext: true },
    {
      t: 'table',
      spec: {
        kind: 'form',
        columns: FORM4,
        rows: [
          [label('姓名'), value(p.name), label('性别'), value(sexLabel(p.sex))],
          [label('出生日期'), value(arDate(p.birthDate)), label('人员类别'), value(kindLabel)],
          [label('公民身份号码'), value(idShown(d, p.idNumber), 3)],
          [label('罪名'), value(p.crime), label('原判刑期'), value(p.sentence)],
          [label('释放（矫正）日期'), value(arDate(p.releasedOn)), label('帮教期满日期'), value(arDate(until))],
          [label('户籍地'), value(p.registeredAddress, 3)],
          [label('现住地'), value(p.address, 3)],
          [label('衔接日期'), value(arDate(p.handoverOn)), label('危险性评估'), value(riskLabels[p.risk])],
          [label('衔接情况'), value(p.handover, 3)],
          [label('安置情况'), value(placementLabels[p.placement] + (p.placement === 'unplaced' && p.unplacedReason ? `（${p.unplacedReason}）` : '')), label('脱管漏管'), value(p.lostContact ? '是' : '否')],
          [label('重新犯罪'), value(p.reoffendedOn ? `是（${arDate(p.reoffendedOn)}）` : '否'), label('所属村（社区）'), value(village)],
          [label('备注'), value(p.notes, 3, 2)],
        ],
      },
    },
    { t: 'p', text: `${h1No(2)}帮教人员`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
    {
      t: 'table',
      spec: {
        numbered: true,
        columns: [
          { title: '序号', width: 8 },
          { title: '姓名', width: 16 },
          { title: '职务/角色', width: 46, align: 'left' },
          { title: '联系电话', width: 30 },
        ],
        rows: p.helperIds.map((id, i) => {
          const m = helpers.find((h) => h.id === id)
          return [m?.name ?? p.helperNames[i] ?? '', m ? m.roles.map((r) => roleLabels[r]).join('、') : '', m?.phone ?? '']
        }),
      },
    },
    { t: 'p', text: `${h1No(3)}帮教协议`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
    {
      t: 'p',
      text: `帮教期限自${arDate(p.releasedOn)}起至${arDate(until)}止。帮教小组由${p.helperNames.length ? p.helperNames.join('、') : '（待确定）'}组成，负责对${p.name}开展思想教育和法治教育，帮助解决就业、生活等实际困难，每季度至少走访一次并作记录。`,
      style: STYLE.body,
    },
    ...keepTogether([
      {
        t: 'p',
        text: `${p.name}应当遵守法律法规，服从管理，主动接受帮教，定期报告思想、工作和生活情况；外出、变更住址应事先告知帮教小组。`,
        style: STYLE.body,
      },
      { t: 'space', lines: 1 },
      signLine('帮教对象（签名或按指印）：'),
      signLine('帮教小组成员（签名）：'),
      { t: 'p', text: `${village || d.township.name}（盖章）`, style: STYLE.right },
      { t: 'p', text: BLANK_DATE, style: { ...STYLE.right, indentRight: 640 } },
    ]),
    { t: 'p', text: `${h1No(4)}走访记录`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
  ]
  const v = await visitsTable(d, personId)
  // 建档人 under the visit log, held with its last rows
  const closing = { spans: [{ text: '建档人：', bold: true }, { text: operator || blank(6) }, { text: `\u3000\u3000建档日期：${arDate(opened)}` }], look: { ...STYLE.plain, before: 200 } }
  blocks.push({ t: 'table', spec: { ...v.spec, keepEnd: 2, closing } })
  return { title: `${p.name}帮教档案`, name: p.name, sections: [{ orientation: 'portrait', pageNumbers: true, restartAt: 1, blocks }] }
}
