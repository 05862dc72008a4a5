import { ApiError } from '../../shared/errors'
import type { Criterion } from '../../shared/checklist/catalog'
import {
  criterionStatusLabels,
  type CheckResult,
  type ChecklistTarget,
  type CriterionResult,
  type CriterionStatus,
  type Evaluation,
  type SetInfo,
} from '../../shared/checklist/schema'
import type { Rates } from '../../shared/stats/rates'
import { answerNotes } from '../../shared/checklist/text'
import { arDate, figure, h1No, h2No, percent } from '../../shared/documents/cnText'
import { call } from './data'
import { lineCount } from './format/measure'
import { STYLE, type Block, type Cell, type TableSpec } from './format'
import { keepTogether, type DocContext } from './common'
import { readSelfCheckTexts } from './selfCheckTexts'
import { basicFacts } from './selfCheckFacts'
import type { Built } from './registerDocs'

/**
 * 自查报告, and shida-2020's 申报表 (附件1), 审核表 (附件2) and 奖牌 (附件3). Status, figures and
 * thresholds come from checklist.evaluate; rates from stats.rates. Nothing is recomputed here.
 */
export const SHIDA = 'shida-2020'

const OPS: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' }
/** the threshold in words, for sentences: 不低于20% */
const OP_WORDS: Record<string, string> = { '>=': '不低于', '<=': '不高于', '=': '为', '>': '高于', '<': '低于' }

function num(v: number, unit: string | undefined): string {
  if (unit === '%') return percent(v)
  return `${figure(v)}${unit ?? ''}`
}

/** 0.5%（2/441）: the figure with the counts behind it; 是/否 for an attestation */
export function figureText(c: CheckResult): string {
  if (c.kind === 'attest') return c.attested === true ? '是' : c.attested === false ? '否' : '未确认'
  if (c.status === 'na') return '不适用'
  if (c.figure === null) return c.kind === 'value' ? '未填报' : '无数据'
  const f = num(c.figure, c.unit)
  return c.numerator !== undefined && c.denominator !== undefined ? `${f}（${c.numerator}/${c.denominator}）` : f
}

/** ≥20% */
export function thresholdText(c: CheckResult): string {
  if (c.kind === 'attest') return '是'
  if (c.threshold === undefined || !c.op) return ''
  return `${OPS[c.op] ?? c.op}${num(c.threshold, c.unit)}`
}

export interface TargetCheck {
  set: SetInfo
  target: ChecklistTarget
  targetLabel: string
  evaluation: Evaluation
  criteria: Map<string, Criterion>
  results: CriterionResult[]
  counts: Record<CriterionStatus, number> & { total: number }
  status: CriterionStatus
}

export async function targetCheck(d: DocContext, setId: string, targetId: string): Promise<TargetCheck> {
  const sets = await call<SetInfo[]>(d.ctx, 'checklist.sets', {}, '创建标准自查')
  const set = sets.find((s) => s.id === setId)
  if (!set) throw new ApiError('not_found', `标准集“${setId.slice(0, 64)}”不在本乡镇（街道）适用的创建标准中（可在“设置”中选择）`, 'setId')
  const evaluation = await call<Evaluation>(d.ctx, 'checklist.evaluate', { setId, year: d.year, targetId }, '创建标准自查')
  const target = evaluation.targets.find((t) => t.id === targetId)
  if (!target) throw new ApiError('not_found', `“${set.title}”中没有这个创建对象`, 'targetId')
  const criteria = new Map((await call<Criterion[]>(d.ctx, 'checklist.criteria', { setId }, '创建标准自查')).map((c) => [c.id, c]))
  const results = evaluation.results.filter((r) => r.targetId === targetId)
  const counts = { total: results.length, met: 0, unmet: 0, unknown: 0, na: 0 }
  for (const r of results) counts[r.status]++
  const targetLabel = set.targets.find((t) => t.id === target.kind)?.label ?? target.kind
  const status = evaluation.targetStatus[targetId] ?? 'unknown'
  return { set, target, targetLabel, evaluation, criteria, results, counts, status }
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩'

const itemNo = (tc: TargetCheck, r: CriterionResult, i: number) => {
  const c = tc.criteria.get(r.criterionId)
  return c?.n ? String(c.n) : String(i + 1)
}

/** one row per criterion: its text, status, each check's figure (with the counts behind it) and threshold, the clerk's note */
export function checklistTable(tc: TargetCheck): TableSpec {
  return {
    columns: [
      { title: '序号', width: 5 },
      { title: '创建标准', width: 40, align: 'left' },
      { title: '自查结果', width: 9 },
      { title: '实际情况', width: 16 },
      { title: '标准要求', width: 10 },
      { title: '说明及佐证', width: 20, align: 'left' },
    ],
    rows: tc.results.map((r, i) => {
      const c = tc.criteria.get(r.criterionId)
      // the survey behind each value (or the criterion it is linked to) and why anything is 不适用 (issue 17)
      const note = [r.entry?.note, ...answerNotes(r), r.entry?.evidence ? `佐证：${r.entry.evidence}` : ''].filter(Boolean).join('\n')
      const status: Cell = { text: criterionStatusLabels[r.status], font: r.status === 'unmet' ? 'hei' : undefined }
      const checks = r.checks.filter((k) => k.status !== 'na' || r.status === 'na')
      // several checks: numbered ①② in both columns, so a figure and its threshold pair up line by line
      const lead = (i: number) => (checks.length > 1 ? (CIRCLED[i] ?? `${i + 1}.`) : '')
      return [
        itemNo(tc, r, i),
        c?.text ?? r.criterionId,
        status,
        checks.map((k, i) => `${lead(i)}${figureText(k)}`).join('\n'),
        checks.map((k, i) => `${lead(i)}${thresholdText(k)}`).join('\n'),
        note,
      ]
    }),
  }
}

/** 共10项：达标6项，未达标1项，待核实3项 */
export function countsText(tc: TargetCheck): string {
  const { total, met, unmet, unknown, na } = tc.counts
  return `共${total}项：达标${met}项，未达标${unmet}项，待核实${unknown}项${na ? `，不适用${na}项` : ''}`
}

/**
 * The conclusion, never stronger than the data: all met only when nothing is unmet or unknown; with
 * items still 待核实 it says how many, and never that none is unmet.
 */
export function summaryText(tc: TargetCheck, inReport = true): string {
  const { total, unmet, unknown } = tc.counts
  const head = `对照《${tc.set.title}》${tc.targetLabel}创建标准，${countsText(tc)}。`
  // the report lists the items under 存在问题; a form has no such part to point to
  const see = inReport ? '，具体见“存在问题”' : ''
  if (total === 0) return `${head}本年度没有需要自查的项目。`
  if (unmet === 0 && unknown === 0) return `${head}经自查，各项标准均已达到。`
  if (unmet > 0 && unknown > 0) return `${head}经自查，有${unmet}项未达到标准，另有${unknown}项尚待核实${see}。`
  if (unmet > 0) return `${head}经自查，有${unmet}项未达到标准${see}。`
  return `${head}尚有${unknown}项待核实，核实前不能确认是否全部达标。`
}

/** why a check is unmet, in a sentence: 红袖章会员数占住户数比例为0.5%（2/441），要求不低于20%。 */
function failSentence(k: CheckResult): string {
  if (k.kind === 'attest') return `自查确认未做到“${k.label}”。`
  const want = k.threshold !== undefined && k.op ? `要求${OP_WORDS[k.op] ?? OPS[k.op] ?? k.op}${num(k.threshold, k.unit)}` : '未达到要求'
  return `${k.label}为${figureText(k)}，${want}。`
}

function unknownSentence(k: CheckResult): string {
  if (k.kind === 'attest') return `“${k.label}”尚未确认。`
  if (k.kind === 'value') return `${k.label}尚未填报调查数值。`
  return `${k.label}暂无数据。`
}

/** 存在问题: the unmet items, then those still 待核实, one whole sentence per check */
function problems(tc: TargetCheck): Block[] {
  const unmet = tc.results.filter((r) => r.status === 'unmet')
  const unknown = tc.results.filter((r) => r.status === 'unknown')
  const item = (r: CriterionResult, only: CheckResult['status'], sentence: (k: CheckResult) => string): Block => {
    const text = r.checks
      .filter((k) => k.status === only)
      .map(sentence)
      .join('')
    return { t: 'p', text: `第${itemNo(tc, r, tc.results.indexOf(r))}项：${text || '未达到标准要求。'}`, style: STYLE.body }
  }
  if (unmet.length === 0 && unknown.length === 0) return [{ t: 'p', text: '经自查，各项标准均已达到，未发现存在问题。', style: STYLE.body }]
  const out: Block[] = []
  if (unmet.length) {
    out.push({ t: 'p', text: `${h2No(1)}未达到标准的项目（${unmet.length}项）`, style: STYLE.h2, keepNext: true })
    unmet.forEach((r) => out.push(item(r, 'fail', failSentence)))
  }
  if (unknown.length) {
    out.push({ t: 'p', text: `${h2No(unmet.length ? 2 : 1)}尚待核实的项目（${unknown.length}项）`, style: STYLE.h2, keepNext: true })
    unknown.forEach((r) => out.push(item(r, 'unknown', unknownSentence)))
  }
  return out
}

/** the clerk's own text, paragraph by paragraph; lines to write on by hand while there is none */
function clerkText(text: string): Block[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  if (lines.length) return lines.map((l): Block => ({ t: 'p', text: l, style: STYLE.body }))
  const line: Block = { t: 'p', text: [{ text: '\u3000'.repeat(26), underline: true }], style: { ...STYLE.plain, indent: 640 } }
  return [line, line]
}

/** who signs: the township's 综治办, or the target itself */
function signer(d: DocContext, tc: TargetCheck): string {
  return tc.target.entity === 'township' ? `${d.township.name}综治办` : tc.target.name
}

export async function selfCheckDoc(d: DocContext, setId: string, targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, setId, targetId)
  const title = `${tc.target.name}${d.year}年${tc.targetLabel}创建自查报告`
  const texts = readSelfCheckTexts(d.ctx, targetId, d.year)
  const facts = await basicFacts(d, tc.target)
  const nextSteps = clerkText(texts.nextSteps)
  const blocks: Block[] = [
    { t: 'p', text: title, style: STYLE.title },
    {
      t: 'p',
      text: `根据《${tc.set.title}》的要求，${tc.target.name}对照${tc.targetLabel}创建标准，结合${d.year}年台账记录逐项开展了自查，现将自查情况报告如下。`,
      style: STYLE.body,
    },
    { t: 'p', text: `${h1No(1)}基本情况`, style: STYLE.h1, keepNext: true },
    ...facts.map((f): Block => ({ t: 'p', text: f, style: STYLE.body })),
    { t: 'p', text: `${h1No(2)}自查结果`, style: STYLE.h1, keepNext: true },
    { t: 'p', text: summaryText(tc), style: STYLE.body, keepNext: true },
    { t: 'table', spec: checklistTable(tc) },
    { t: 'p', text: `${h1No(3)}存在问题`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
    ...problems(tc),
    { t: 'p', text: `${h1No(4)}整改措施`, style: STYLE.h1, keepNext: true },
    ...clerkText(texts.measures),
    { t: 'p', text: `${h1No(5)}下一步工作`, style: STYLE.h1, keepNext: true },
    ...nextSteps.slice(0, -1),
    ...keepTogether([
      ...nextSteps.slice(-1),
      { t: 'space', lines: 2 },
      { t: 'p', text: `${signer(d, tc)}（盖章）`, style: { ...STYLE.right, indentRight: 640 } },
      { t: 'p', text: arDate(d.today), style: { ...STYLE.right, indentRight: 640 } },
    ]),
  ]
  return { title, targetName: tc.target.name, sections: [{ orientation: 'portrait', pageNumbers: true, restartAt: 1, blocks }] }
}

const label = (text: string): Cell => ({ text, font: 'hei' })
const FORM2 = [
  { title: '', width: 22 },
  { title: '', width: 78 },
]

async function ratesText(d: DocContext, villageId: string | null): Promise<string> {
  try {
    const r = await call<Rates>(d.ctx, 'stats.rates', { year: d.year, ...(villageId ? { villageId } : {}) }, '统计')
    const c = r.counts
    return `全年受理矛盾纠纷${c.casesReceived}件，调解成功${c.casesSuccess}件，调解成功率${percent(r.mediationSuccessRate)}；在帮教期内的帮教对象${c.underAftercare}人，帮教率${percent(r.aftercareRate)}，安置率${percent(r.placementRate)}，重新犯罪${c.reoffended}人。`
  } catch {
    return ''
  }
}

/** the lines of 小四 text the one-page form's free cell may hold (A4 portrait, the rest of the form around it) */
const FORM_CELL_LINES = 17
/** the free cell's text width in twips (78% of the body, less the cell's margins) */
const FORM_CELL_WIDTH = Math.floor((11906 - 1588 - 1474) * 0.78) - 140

function fits(text: string): boolean {
  return lineCount(text, FORM_CELL_WIDTH, 12) <= FORM_CELL_LINES
}

/** the first whole phrase of a label (up to its first comma or colon): never a cut in mid-phrase */
function firstPhrase(s: string): string {
  const m = /^[^，：；。]+/.exec(s)
  return m ? m[0] : s
}

/** The fullest text that fits the form's one page: every item, then each item's first phrase, then only the count. */
function fitted(head: string, items: string[], tail = ''): string {
  const make = (xs: string[]) => [head, ...xs, tail].filter(Boolean).join('\n')
  const full = make(items.map((x, i) => `${i + 1}．${x}。`))
  if (fits(full)) return full
  const short = make(items.map((x, i) => `${i + 1}．${firstPhrase(x)}。`))
  if (fits(short)) return short
  return make([])
}

/** 附件1 申报表 / 附件2 审核表 of shida-2020: one page each */
export async function shidaFormDoc(d: DocContext, which: 'application' | 'review', targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, SHIDA, targetId)
  const county = d.township.county.replace(/^.*?市/, '')
  const title = `${county}${d.year}年“十大平安”创建${which === 'application' ? '申报表' : '审核表'}`
  const content = `平安${tc.targetLabel.replace(/^平安/, '')}`
  const labels = tc.results.map((r) => r.checks[0]?.label ?? tc.criteria.get(r.criterionId)?.text ?? r.criterionId)
  const plan = fitted(`对照${tc.targetLabel}创建标准（共${tc.counts.total}项）逐项落实：`, labels)
  const villageId = tc.target.entity === 'village' || tc.target.entity === 'community' ? tc.target.id : tc.target.villageId
  const figures = tc.results.flatMap((r) => r.checks.filter((k) => k.kind !== 'attest' && k.figure !== null).map((k) => `${k.label}${figureText(k)}（${criterionStatusLabels[r.status]}）`))
  const results = fitted([await ratesText(d, villageId), summaryText(tc, false)].filter(Boolean).join('\n'), figures)
  const opinion = (unit: string): Cell => ({ text: `\n\n${unit}（盖章）\u3000\u3000\u3000\u3000\n年\u3000\u3000月\u3000\u3000日\u3000\u3000`, align: 'right', minLines: 5 })
  const rows: Cell[][] = [
    [label('申报单位'), { text: `${tc.target.name}\u3000\u3000\u3000\u3000\u3000\u3000（盖章）`, align: 'left' }],
    [label('申报内容'), { text: content, align: 'left' }],
    which === 'application'
      ? [label('平安创建\n活动计划'), { text: plan, align: 'left', minLines: 8 }]
      : [label('平安创建\n开展情况\n及成果'), { text: results, align: 'left', minLines: 8 }],
    [label('牵头单位\n意见'), opinion('牵头单位：')],
    ...(which === 'review' ? [[label('审核单位\n意见'), opinion('审核单位：')]] : []),
  ]
  const blocks: Block[] = [
    { t: 'p', text: `附件${which === 'application' ? 1 : 2}：`, style: { ...STYLE.plain, font: 'hei' } },
    { t: 'p', text: title, style: STYLE.title },
    { t: 'p', text: `填表时间：${arDate(d.today)}`, style: { ...STYLE.right, after: 120 } },
    { t: 'table', spec: { kind: 'form', columns: FORM2, rows } },
  ]
  return { title, targetName: tc.target.name, sections: [{ orientation: 'portrait', pageNumbers: false, blocks }] }
}

/** 附件3: the 奖牌's text, for a target that has met every criterion of shida-2020 */
export async function awardDoc(d: DocContext, targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, SHIDA, targetId)
  const honour = tc.targetLabel.replace(/（.*?）/g, '')
  if (tc.status !== 'met') {
    const { unmet, unknown } = tc.counts
    const why = [unmet ? `未达标${unmet}项` : '', unknown ? `待核实${unknown}项` : ''].filter(Boolean).join('、')
    throw new ApiError(
      'conflict',
      `${tc.target.name}${d.year}年“${honour}”创建尚未达标（${why || criterionStatusLabels[tc.status]}），不能制作奖牌。请先在“创建自查”中核实、整改，全部达标后再制作。`,
      'targetId',
    )
  }
  const spaced = honour.split('').join(' ')
  const big = { font: 'title' as const, size: 36, line: 900, align: 'center' as const }
  const blocks: Block[] = [
    { t: 'space', lines: 1 },
    { t: 'p', text: '“十大平安”创建', style: { ...big, size: 26, line: 700 } },
    { t: 'p', text: tc.target.name, style: { font: 'kai', size: 26, line: 700, before: 300, align: 'center' } },
    { t: 'p', text: `被评为${d.year}年度`, style: { font: 'kai', size: 22, line: 700, align: 'center' } },
    { t: 'p', text: spaced, style: { ...big, size: 48, line: 1200, before: 300 } },
    { t: 'p', text: `${d.township.county}平安建设领导小组`, style: { font: 'kai', size: 20, line: 600, before: 600, align: 'right' } },
    { t: 'p', text: `${d.today.slice(0, 4)}年${Number(d.today.slice(5, 7))}月`, style: { font: 'kai', size: 20, line: 600, align: 'right' } },
  ]
  return { title: `${tc.target.name}${honour}奖牌`, targetName: tc.target.name, sections: [{ orientation: 'landscape', pageNumbers: false, blocks }] }
}
