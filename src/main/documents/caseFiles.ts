import { checkIdNumber } from '../../shared/idNumber'
import { roleLabels } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import {
  agreementFormLabels,
  caseSourceLabels,
  caseStatusLabels,
  fulfillmentLabels,
  partySideLabels,
  type MediationCase,
} from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels, riskLabels, type AftercarePerson } from '../../shared/aftercare/schema'
import { arDate, cnDate, dotDate, h1No } from '../../shared/documents/cnText'
import { call } from './data'
import { STYLE, type Block, type Cell, type SectionSpec } from './format'
import { idShown, sexLabel, type DocContext } from './common'
import { visitsTable } from './registers'
import type { Built } from './registerDocs'

const label = (text: string): Cell => ({ text, font: 'hei', align: 'center' })
const value = (text: string, span = 1, minLines?: number): Cell => ({ text, span, align: 'left', ...(minLines ? { minLines } : {}) })
const FORM4 = [
  { title: '', width: 18 },
  { title: '', width: 32 },
  { title: '', width: 18 },
  { title: '', width: 32 },
]
/** a line to write on by hand */
const BLANK: Block = { t: 'p', text: [{ text: '\u3000'.repeat(24), underline: true }], style: { font: 'body', size: 16, line: 579, align: 'left', indent: 640 } }

function partyLine(d: DocContext, p: MediationCase['parties'][number]): string {
  const id = p.idNumber ? checkIdNumber(p.idNumber) : null
  const bits = [p.name]
  if (id?.ok) bits.push(id.sex === 'female' ? '女' : '男', `${arDate(id.birthDate)}出生`)
  if (p.idNumber) bits.push(`公民身份号码${idShown(d, p.idNumber)}`)
  if (p.address) bits.push(`住${p.address}`)
  if (p.phone) bits.push(`联系电话${p.phone}`)
  return `${partySideLabels[p.side]}：${bits.join('，')}。`
}

/** 人民调解受理登记表, 调解协议书 and 回访记录 of one case: three pages of one portrait file */
export async function mediationCaseDoc(d: DocContext, caseId: string): Promise<Built & { caseNo: string }> {
  const c = await call<MediationCase>(d.ctx, 'mediation.get', { id: caseId }, '矛盾纠纷台账')
  const committee = `${c.villageName ?? d.township.name}人民调解委员会`
  const partyRows: Cell[][] = []
  for (const p of c.parties) {
    partyRows.push([label(partySideLabels[p.side]), value(p.name), label('公民身份号码'), value(idShown(d, p.idNumber))])
    partyRows.push([label('联系电话'), value(p.phone), label('住址'), value(p.address)])
  }
  const register: Block[] = [
    { t: 'p', text: '人民调解受理登记表', style: STYLE.title },
    { t: 'p', text: `编号：${c.caseNo}`, style: { ...STYLE.right, after: 120 } },
    {
      t: 'table',
      spec: {
        kind: 'form',
        columns: FORM4,
        rows: [
          [label('受理日期'), value(arDate(c.receivedOn)), label('纠纷来源'), value(caseSourceLabels[c.source])],
          [label('纠纷类型'), value(c.category), label('村（社区）'), value(c.villageName ?? '')],
          ...partyRows,
          [label('纠纷简要情况'), value(c.summary, 3, 6)],
          [label('调解员'), value(c.mediatorNames.join('、'), 3)],
          [label('调解结果'), value(caseStatusLabels[c.status]), label('调解日期'), value(arDate(c.mediatedOn))],
          [label('登记人签名'), value(''), label('登记日期'), value(arDate(c.receivedOn))],
        ],
      },
    },
  ]

  const agreed = c.agreement?.trim()
  const agreement: Block[] = [
    { t: 'break' },
    { t: 'p', text: '人民调解协议书', style: STYLE.title },
    { t: 'p', text: `编号：${c.caseNo}`, style: { ...STYLE.right, after: 120 } },
    { t: 'p', text: '当事人', style: STYLE.h1 },
    ...c.parties.map((p): Block => ({ t: 'p', text: partyLine(d, p), style: { ...STYLE.body, align: 'left' } })),
    { t: 'p', text: '纠纷主要事实、争议事项', style: STYLE.h1, keepNext: true },
    { t: 'p', text: c.summary, style: STYLE.body },
    { t: 'p', text: '各方当事人的责任', style: STYLE.h1, keepNext: true },
    BLANK,
    BLANK,
    { t: 'p', text: '经调解，自愿达成如下协议', style: STYLE.h1, keepNext: true },
    ...(agreed
      ? agreed.split('\n').map((line): Block => ({ t: 'p', text: line, style: STYLE.body }))
      : [{ t: 'p', text: `（本案${caseStatusLabels[c.status]}，尚未达成协议）`, style: STYLE.body } as Block]),
    { t: 'p', text: '履行方式、地点、期限', style: STYLE.h1, keepNext: true },
    BLANK,
    BLANK,
    {
      t: 'p',
      text: `本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。本协议一式${c.parties.length + 1}份，当事人、人民调解委员会各持一份。${c.agreementForm ? `协议形式：${agreementFormLabels[c.agreementForm]}。` : ''}`,
      style: STYLE.body,
    },
    { t: 'space', lines: 1 },
    ...c.parties.map((p): Block => ({ t: 'p', text: `${partySideLabels[p.side]}（签名、按指印）：`, style: { ...STYLE.plain, indent: 640 } })),
    { t: 'p', text: '人民调解员（签名）：', style: { ...STYLE.plain, indent: 640 } },
    { t: 'space', lines: 1 },
    { t: 'p', text: `${committee}（印章）`, style: { ...STYLE.right, indent: 0 } },
    { t: 'p', text: c.mediatedOn ? cnDate(c.mediatedOn) : '年\u3000\u3000月\u3000\u3000日', style: STYLE.right },
  ]

  const followRows = c.followUps.length ? c.followUps.map((f) => [dotDate(f.date), f.note, '']) : [['', '', ''], ['', '', ''], ['', '', '']]
  const visits: Block[] = [
    { t: 'break' },
    { t: 'p', text: '人民调解回访记录', style: STYLE.title },
    { t: 'p', text: `编号：${c.caseNo}`, style: { ...STYLE.right, after: 120 } },
    {
      t: 'table',
      spec: {
        kind: 'form',
        columns: FORM4,
        rows: [
          [label('当事人'), value(c.parties.map((p) => p.name).join('、'), 3)],
          [label('协议日期'), value(arDate(c.mediatedOn)), label('履行情况'), value(c.fulfillment ? fulfillmentLabels[c.fulfillment] : '')],
        ],
      },
    },
    {
      t: 'table',
      spec: {
        numbered: true,
        columns: [
          { title: '序号', width: 8 },
          { title: '回访日期', width: 18 },
          { title: '回访情况', width: 56, align: 'left' },
          { title: '回访人（签名）', width: 18 },
        ],
        rows: followRows.map((r) => r.map((t, i) => (i === 1 && t === '' ? { text: '', minLines: 4 } : t))),
      },
    },
  ]
  const sections: SectionSpec[] = [{ orientation: 'portrait', pageNumbers: true, restartAt: 1, blocks: [...register, ...agreement, ...visits] }]
  return { title: `${c.caseNo}调解案卷`, sections, caseNo: c.caseNo }
}

/** 帮教档案: basic information, helpers, the 帮教协议 in brief, visit log */
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
  const blocks: Block[] = [
    { t: 'p', text: `${kindLabel}帮教档案`, style: STYLE.title },
    { t: 'p', text: `${p.villageName ?? ''}\u3000\u3000建档日期：${arDate(p.handoverOn ?? p.createdAt.slice(0, 10))}`, style: { ...STYLE.right, after: 120 } },
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
          [label('重新犯罪'), value(p.reoffendedOn ? `是（${arDate(p.reoffendedOn)}）` : '否'), label('所属村（社区）'), value(p.villageName ?? '')],
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
    { t: 'p', text: `${h1No(3)}帮教协议（摘要）`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
    {
      t: 'p',
      text: `帮教期限自${arDate(p.releasedOn)}起至${arDate(until)}止。帮教小组由${p.helperNames.length ? p.helperNames.join('、') : '（待确定）'}组成，负责对${p.name}开展思想教育和法治教育，帮助解决就业、生活等实际困难，每季度至少走访一次并作记录。`,
      style: STYLE.body,
    },
    {
      t: 'p',
      text: `${p.name}应当遵守法律法规，服从管理，主动接受帮教，定期报告思想、工作和生活情况；外出、变更住址应事先告知帮教小组。`,
      style: STYLE.body,
    },
    { t: 'p', text: `${h1No(4)}走访记录`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
  ]
  const v = await visitsTable(d, personId)
  blocks.push({ t: 'table', spec: v.spec })
  return { title: `${p.name}帮教档案`, name: p.name, sections: [{ orientation: 'portrait', pageNumbers: true, restartAt: 1, blocks }] }
}
