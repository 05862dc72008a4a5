import { ApiError } from '../../shared/errors'
import type { Criterion } from '../../shared/checklist/catalog'
import {
  checkStatusLabels,
  criterionStatusLabels,
  type CheckResult,
  type ChecklistTarget,
  type CriterionResult,
  type Evaluation,
  type SetInfo,
} from '../../shared/checklist/schema'
import type { Rates } from '../../shared/stats/rates'
import { arDate, cnYear, h1No, percent } from '../../shared/documents/cnText'
import { call } from './data'
import { STYLE, type Block, type Cell, type TableSpec } from './format'
import { scopeName, type DocContext } from './common'
import type { Built } from './registerDocs'

/**
 * 自查报告, and shida-2020's 申报表 (附件1), 审核表 (附件2) and 奖牌 (附件3). Status, figures and
 * thresholds come from checklist.evaluate; rates from stats.rates. Nothing is recomputed here.
 */
export const SHIDA = 'shida-2020'

const OPS: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' }

function num(v: number, unit: string | undefined): string {
  if (unit === '%') return percent(v)
  return `${Number.isInteger(v) ? v : v.toFixed(2)}${unit ?? ''}`
}

export function figureText(c: CheckResult): string {
  if (c.kind === 'attest') return c.attested === true ? '是' : c.attested === false ? '否' : '未填'
  if (c.figure === null) return c.status === 'na' ? '不适用' : '无数据'
  const f = num(c.figure, c.unit)
  return c.numerator !== undefined && c.denominator !== undefined ? `${f}（${c.numerator}/${c.denominator}）` : f
}

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
  counts: { total: number; met: number; unmet: number; unknown: number }
}

export async function targetCheck(d: DocContext, setId: string, targetId: string): Promise<TargetCheck> {
  const sets = await call<SetInfo[]>(d.ctx, 'checklist.sets', {}, '创建标准自查')
  const set = sets.find((s) => s.id === setId)
  if (!set) throw new ApiError('not_found', `找不到标准集“${setId}”`, 'setId')
  const evaluation = await call<Evaluation>(d.ctx, 'checklist.evaluate', { setId, year: d.year, targetId }, '创建标准自查')
  const target = evaluation.targets.find((t) => t.id === targetId)
  if (!target) throw new ApiError('not_found', `“${set.title}”中没有这个创建对象`, 'targetId')
  const criteria = new Map((await call<Criterion[]>(d.ctx, 'checklist.criteria', { setId }, '创建标准自查')).map((c) => [c.id, c]))
  const results = evaluation.results.filter((r) => r.targetId === targetId)
  const counts = { total: results.length, met: 0, unmet: 0, unknown: 0 }
  for (const r of results) counts[r.status]++
  const targetLabel = set.targets.find((t) => t.id === target.kind)?.label ?? target.kind
  return { set, target, targetLabel, evaluation, criteria, results, counts }
}

/** one row per criterion: its text, each check's status, figure and threshold, the clerk's note */
export function checklistTable(tc: TargetCheck): TableSpec {
  return {
    numbered: true,
    columns: [
      { title: '序号', width: 5 },
      { title: '创建标准', width: 37, align: 'left' },
      { title: '自查结果', width: 9 },
      { title: '检查项', width: 14, align: 'left' },
      { title: '实际情况', width: 12 },
      { title: '标准要求', width: 9 },
      { title: '说明及佐证', width: 14, align: 'left' },
    ],
    rows: tc.results.map((r) => {
      const c = tc.criteria.get(r.criterionId)
      const note = [r.entry?.note, r.entry?.evidence ? `佐证：${r.entry.evidence}` : ''].filter(Boolean).join('\n')
      const status: Cell = { text: r.notApplicable ? '不适用' : criterionStatusLabels[r.status], font: r.status === 'unmet' ? 'hei' : undefined }
      return [
        `${c?.n ? `（${c.n}）` : ''}${c?.text ?? r.criterionId}`,
        status,
        r.checks.map((k) => `${k.label}：${checkStatusLabels[k.status]}`).join('\n'),
        r.checks.map(figureText).join('\n'),
        r.checks.map(thresholdText).join('\n'),
        note,
      ]
    }),
  }
}

export function summaryText(tc: TargetCheck): string {
  const { total, met, unmet, unknown } = tc.counts
  return `对照《${tc.set.title}》${tc.targetLabel}创建标准，共${total}项，其中达标${met}项，未达标${unmet}项，待核实${unknown}项。${
    unmet === 0 && unknown === 0 && total > 0 ? '各项标准均已达到。' : unmet > 0 ? '未达标的项目已列明，正在整改。' : '待核实的项目正在补充材料。'
  }`
}

export async function selfCheckDoc(d: DocContext, setId: string, targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, setId, targetId)
  const title = `${tc.target.name}${d.year}年${tc.targetLabel}创建自查报告`
  const unmet = tc.results.filter((r) => r.status === 'unmet')
  const blocks: Block[] = [
    { t: 'p', text: title, style: STYLE.title },
    {
      t: 'p',
      text: `根据《${tc.set.title}》的要求，${tc.target.name}对照${tc.targetLabel}创建标准，结合${d.year}年台账记录逐项开展了自查，现将自查情况报告如下。`,
      style: STYLE.body,
    },
    { t: 'p', text: `${h1No(1)}总体情况`, style: STYLE.h1, keepNext: true },
    { t: 'p', text: summaryText(tc), style: STYLE.body },
    { t: 'p', text: `${h1No(2)}逐项自查情况`, style: STYLE.h1, keepNext: true },
    { t: 'table', spec: checklistTable(tc) },
    { t: 'p', text: `${h1No(3)}存在问题和整改措施`, style: { ...STYLE.h1, before: 200 }, keepNext: true },
    ...(unmet.length
      ? unmet.map((r, i): Block => {
          const c = tc.criteria.get(r.criterionId)
          const fails = r.checks.filter((k) => k.status === 'fail').map((k) => `${k.label}${figureText(k)}，要求${thresholdText(k)}`)
          return { t: 'p', text: `${i + 1}．${(c?.text ?? r.criterionId).slice(0, 40)}${(c?.text.length ?? 0) > 40 ? '……' : ''}：${fails.join('；') || '未达标'}。`, style: STYLE.body }
        })
      : [{ t: 'p', text: '经自查，未发现未达标项目。', style: STYLE.body } as Block]),
    { t: 'space', lines: 1 },
    { t: 'p', text: `${scopeName({ ...d, village: null })}综治办`, style: { ...STYLE.right, indent: 0 } },
    { t: 'p', text: arDate(d.today), style: STYLE.right },
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

/** 附件1 申报表 / 附件2 审核表 of shida-2020 */
export async function shidaFormDoc(d: DocContext, which: 'application' | 'review', targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, SHIDA, targetId)
  const county = d.township.county.replace(/^.*?市/, '')
  const title = `${county}${d.year}年“十大平安”创建${which === 'application' ? '申报表' : '审核表'}`
  const content = `平安${tc.targetLabel.replace(/^平安/, '')}`
  const plan = [
    `对照${tc.targetLabel}创建标准（共${tc.counts.total}项）逐项落实：`,
    ...tc.results.map((r, i) => {
      const c = tc.criteria.get(r.criterionId)
      const text = c?.text ?? r.criterionId
      return `${i + 1}．${text.length > 46 ? text.slice(0, 46) + '……' : text}`
    }),
  ].join('\n')
  const villageId = tc.target.entity === 'village' || tc.target.entity === 'community' ? tc.target.id : tc.target.villageId
  const results = [
    await ratesText(d, villageId),
    summaryText(tc),
    ...tc.results
      .filter((r) => r.checks.some((k) => k.kind !== 'attest' && k.figure !== null))
      .map((r) => r.checks.filter((k) => k.kind !== 'attest' && k.figure !== null).map((k) => `${k.label}：${figureText(k)}（${checkStatusLabels[k.status]}）`).join('；')),
  ]
    .filter(Boolean)
    .join('\n')
  const opinion = (unit: string): Cell => ({ text: `\n\n\n${unit}：（盖章）\u3000\u3000\u3000\u3000\n年\u3000\u3000月\u3000\u3000日\u3000\u3000`, align: 'right', minLines: 6 })
  const rows: Cell[][] = [
    [label('申报单位'), { text: `${tc.target.name}\u3000\u3000\u3000\u3000\u3000\u3000（盖章）`, align: 'left' }],
    [label('申报内容'), { text: content, align: 'left' }],
    which === 'application'
      ? [label('平安创建\n活动计划'), { text: plan, align: 'left', minLines: 8 }]
      : [label('平安创建\n开展情况\n及成果'), { text: results, align: 'left', minLines: 8 }],
    [label('牵头单位\n意见'), opinion('牵头单位')],
    ...(which === 'review' ? [[label('审核单位\n意见'), opinion('审核单位')]] : []),
  ]
  const blocks: Block[] = [
    { t: 'p', text: `附件${which === 'application' ? 1 : 2}：`, style: { ...STYLE.plain, font: 'hei' } },
    { t: 'p', text: title, style: STYLE.title },
    { t: 'p', text: `填表时间：${arDate(d.today)}`, style: { ...STYLE.right, after: 120 } },
    { t: 'table', spec: { kind: 'form', columns: FORM2, rows } },
  ]
  return { title, targetName: tc.target.name, sections: [{ orientation: 'portrait', pageNumbers: false, blocks }] }
}

/** 附件3: the 奖牌's text for a target of shida-2020 */
export async function awardDoc(d: DocContext, targetId: string): Promise<Built & { targetName: string }> {
  const tc = await targetCheck(d, SHIDA, targetId)
  const honour = tc.targetLabel.replace(/（.*?）/g, '')
  const spaced = honour.split('').join(' ')
  const big = { font: 'title' as const, size: 36, line: 900, align: 'center' as const }
  const blocks: Block[] = [
    { t: 'space', lines: 3 },
    { t: 'p', text: '“十大平安”创建', style: { ...big, size: 26, line: 700 } },
    { t: 'space', lines: 1 },
    { t: 'p', text: tc.target.name, style: { font: 'kai', size: 26, line: 700, align: 'center' } },
    { t: 'p', text: `被评为${cnYear(d.year)}年度`, style: { font: 'kai', size: 22, line: 700, align: 'center' } },
    { t: 'space', lines: 1 },
    { t: 'p', text: spaced, style: { ...big, size: 48, line: 1200 } },
    { t: 'space', lines: 2 },
    { t: 'p', text: `${d.township.county}平安建设领导小组`, style: { font: 'kai', size: 20, line: 600, align: 'right' } },
    { t: 'p', text: `${d.today.slice(0, 4)}年${Number(d.today.slice(5, 7))}月`, style: { font: 'kai', size: 20, line: 600, align: 'right' } },
  ]
  return { title: `${tc.target.name}${honour}奖牌`, targetName: tc.target.name, sections: [{ orientation: 'landscape', pageNumbers: false, blocks }] }
}
