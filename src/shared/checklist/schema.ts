/**
 * The checklist's part of the API (创建标准自查): standard sets, evaluation, the clerk's answers, set
 * imports, and declared families (平安家庭, a creation target kept in its own small register).
 *
 * No Node, no DOM: shared by main and renderer.
 */

import { z } from 'zod'
import { idInput, listInput, method, type ListResult } from '../api/define'
import type { RecordBase } from '../domain'
import { isoDate, refId, requiredText, text } from '../validation'
import type { Criterion, TargetKind, ValueUnit, CheckOp } from './catalog'
import type { MetricName } from './metrics'

// ---------------------------------------------------------------------------------------------
// sets

export interface SetInfo {
  id: string
  title: string
  source: string
  issuer: string | null
  year: number | null
  targets: { id: TargetKind; label: string }[]
  criteriaCount: number
  /** shipped with the program (resources/standards) or imported from a county-issued file */
  origin: 'shipped' | 'imported'
  /** an imported set that replaces the shipped set of the same id */
  replacesShipped: boolean
  importedAt: string | null
}

export interface ImportSetResult {
  set: SetInfo
  /** what the imported file replaced: the shipped set, an earlier import, or nothing */
  replaced: 'shipped' | 'imported' | null
  /** one Chinese sentence for the clerk */
  message: string
}

// ---------------------------------------------------------------------------------------------
// evaluation

/**
 * 'na' (不适用): marked so by the clerk with a reason, or every check of it does not apply. It is its
 * own state: never counted as 达标, and counted as 不适用 in every roll-up.
 */
export type CriterionStatus = 'met' | 'unmet' | 'unknown' | 'na'
/** 'na': not applicable (marked 不适用 by the clerk, or no target of that kind exists) */
export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'na'

export const criterionStatusLabels: Record<CriterionStatus, string> = { met: '达标', unmet: '未达标', unknown: '待核实', na: '不适用' }
export const checkStatusLabels: Record<CheckStatus, string> = { pass: '符合', fail: '不符合', unknown: '无数据/未填', na: '不适用' }

/** A concrete creation target: a village/community, grid, unit, declared family, or the township itself. */
export interface ChecklistTarget {
  /** villages.id / grids.id / units.id / families.id, or the township's 区划代码 */
  id: string
  /** the set's target kind this row belongs to (liuda's `village` holds communities too) */
  kind: TargetKind
  name: string
  /** the village or community it sits in (null for the township and units without one) */
  villageId: string | null
  villageName: string | null
  /** village/community kind, unit kind, 'grid', 'family' or 'township' */
  entity: 'village' | 'community' | 'grid' | 'unit' | 'family' | 'township'
  unitKind: string | null
}

/** A record counted in a metric (shown when one target is evaluated) */
export interface CountedRecord {
  table: 'mediation_cases' | 'aftercare_people' | 'members' | 'villages' | 'hazards' | 'targets'
  id: string
  /** e.g. a case number and summary, a person's name */
  title: string
  /** e.g. 调解成功 / 已履行, 有帮教人员·当年走访3次 */
  detail: string
  /** whether this record counts towards the numerator (for a rate) */
  counted: boolean
}

/**
 * A survey behind an entered value (what was asked, of whom, when); its result is the value. One
 * survey may serve several criteria only through an explicit link made by the clerk.
 */
export interface Survey {
  /** 调查内容：what was asked */
  asked: string
  /** 调查对象：of whom (e.g. 本村住户，抽样200户) */
  respondents: string
  /** 调查日期 */
  conductedOn: string
}

/** a value taken from another criterion's surveyed value (same target and year) */
export interface ValueLink {
  criterionId: string
  key: string
}

export interface CheckResult {
  /** position of the check in the criterion */
  index: number
  kind: 'metric' | 'value' | 'attest'
  label: string
  status: CheckStatus
  metric?: MetricName
  /** a value's key; a keyed attestation's key; for a unit's own figure of a village metric, the metric's name */
  key?: string
  op?: CheckOp
  threshold?: number
  /** '%' means figure and threshold are fractions 0..1 */
  unit?: ValueUnit | '%' | '人'
  /** the computed or entered number; null when there is no data or no answer */
  figure: number | null
  /** for rates: numerator / denominator */
  numerator?: number
  denominator?: number
  /** for a value linked by the clerk to another criterion's survey: that criterion (and its key) */
  valueFrom?: string
  valueFromKey?: string
  /** the survey behind the value (its own, or the linked one's) */
  survey?: Survey
  /**
   * a metric whose records belong to villages, asked of a unit as its own figure (kind is then
   * 'value', `metric` names the metric and `key` is the metric's name)
   */
  entered?: boolean
  /** why the check does not apply (status 'na'): the clerk's reason, or the program's */
  reason?: string
  /** the words of the criterion's text this check comes from */
  words?: string[]
  attested?: boolean | null
  /** the records behind a metric (only when a single target is evaluated) */
  records?: CountedRecord[]
  recordsTotal?: number
}

export interface ChecklistEntry {
  id: string
  criterionId: string
  targetId: string
  year: number
  /** the answer of the criterion's one attestation without a key */
  attested: boolean | null
  /** answers of keyed attestations (xibao-2017.school.2's 五无) */
  attestations: Record<string, boolean>
  values: Record<string, number>
  /** per value key: the survey behind the number */
  surveys: Record<string, Survey>
  /** per value key: the other criterion's surveyed value this one is taken from */
  links: Record<string, ValueLink>
  /** the whole criterion marked 不适用 */
  notApplicable: boolean
  /** value (or keyed attestation) keys marked 不适用 */
  notApplicableKeys: string[]
  /** why (required when anything is marked 不适用) */
  notApplicableReason: string
  note: string
  evidence: string
  updatedAt: string
}

export interface CriterionResult {
  criterionId: string
  targetId: string
  status: CriterionStatus
  /** the whole criterion is marked 不适用 (status 'na', never counted as met) */
  notApplicable: boolean
  checks: CheckResult[]
  entry: ChecklistEntry | null
}

export interface Rollup {
  /** a target kind of the set, or 'overall' */
  kind: TargetKind | 'overall'
  label: string
  /** targets */
  total: number
  /** targets with at least one self-check answer in the year (参加创建) */
  participating: number
  /** participating targets with every criterion met */
  met: number
  /** participating targets with a criterion unmet */
  unmet: number
  /** participating targets with no criterion unmet but some still unknown */
  unknown: number
  /** participating targets whose every criterion is 不适用 (not counted in 达标率) */
  notApplicable: number
  /** targets with no self-check answer yet (not counted in 达标率) */
  notStarted: number
  /** 创建率 = participating / total; null when there is no target */
  creationRate: number | null
  /** 达标率 = met / (participating − notApplicable); null when none is left */
  passRate: number | null
}

export interface Evaluation {
  setId: string
  title: string
  year: number
  /** target kinds of the set in document order, with the criteria each is checked against */
  kinds: { kind: TargetKind; label: string; criterionIds: string[] }[]
  targets: ChecklistTarget[]
  /** one per target and criterion that applies to it */
  results: CriterionResult[]
  /** per target: every criterion met / some unmet / else unknown */
  targetStatus: Record<string, CriterionStatus>
  rollups: Rollup[]
  overall: Rollup
}

export interface AttestResult {
  entry: ChecklistEntry
  result: CriterionResult
}

/** a surveyed value a clerk may link another criterion's value to (checklist.surveys) */
export interface SurveyedValue {
  setId: string
  criterionId: string
  key: string
  label: string
  unit: ValueUnit | null
  value: number
  survey: Survey
}

// ---------------------------------------------------------------------------------------------
// inputs

const year = z.number({ error: '请选择年份' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对')
const setId = z.string({ error: '请选择标准集' }).min(1, '请选择标准集').max(64)
const figure = z.number({ error: '数值应为数字' }).finite('数值应为有限的数字').min(-1e9).max(1e9)
const key = z.string().max(64)

export const surveyInput = z.strictObject({
  asked: requiredText('调查内容', 500),
  respondents: requiredText('调查对象', 200),
  conductedOn: isoDate('调查日期'),
})
export const valueLinkInput = z.strictObject({
  criterionId: z.string({ error: '请选择要关联的标准条目' }).min(1, '请选择要关联的标准条目').max(120),
  key: z.string({ error: '请选择要关联的调查数值' }).min(1, '请选择要关联的调查数值').max(64),
})

export const attestInput = z.strictObject({
  criterionId: z.string({ error: '缺少标准条目编号' }).min(1, '缺少标准条目编号').max(120),
  targetId: z.string({ error: '缺少创建对象' }).min(1, '缺少创建对象').max(64),
  year,
  /** yes/no for the attestation; null clears it */
  attested: z.boolean({ error: '确认结果应为是或否' }).nullable().optional(),
  /** the number of the criterion's single value check; null clears it */
  value: figure.nullable().optional(),
  /** numbers per value key; a null removes that key's number */
  values: z.record(z.string().max(64), figure.nullable(), { error: '填报数值应为 {名称: 数字}' }).optional(),
  /** true: the whole criterion does not apply; false: it does; a list: these value keys do not apply */
  notApplicable: z.union([z.boolean(), z.array(z.string().max(64)).max(50)], { error: '不适用应为是/否或数值名称的列表' }).optional(),
  /** the value (or keyed attestation) keys that do not apply, set alongside a yes/no `notApplicable` */
  notApplicableKeys: z.array(key).max(50, '不适用的数值不能超过50项').optional(),
  /** why it does not apply: required while anything is marked 不适用 */
  notApplicableReason: text('不适用的原因', 500).optional(),
  /** answers of keyed attestations; a null clears one */
  attestations: z.record(key, z.boolean({ error: '确认结果应为是或否' }).nullable(), { error: '确认结果应为 {名称: 是/否}' }).optional(),
  /** the survey behind a value, per value key; a null removes it */
  surveys: z.record(key, surveyInput.nullable(), { error: '调查情况应为 {名称: {调查内容, 调查对象, 调查日期}}' }).optional(),
  /** take a value from another criterion's surveyed value (same target and year); a null removes the link */
  links: z.record(key, valueLinkInput.nullable(), { error: '关联应为 {名称: {标准条目, 数值名称}}' }).optional(),
  note: text('说明', 2000).optional(),
  evidence: text('佐证材料', 2000).optional(),
})
export type AttestInput = z.input<typeof attestInput>

export const attestLabels = {
  criterionId: '标准条目',
  targetId: '创建对象',
  year: '年份',
  attested: '确认结果',
  value: '填报数值',
  values: '填报数值',
  notApplicable: '不适用',
  notApplicableKeys: '不适用的数值',
  notApplicableReason: '不适用的原因',
  attestations: '确认结果',
  surveys: '调查情况',
  links: '关联的调查',
  note: '说明',
  evidence: '佐证材料',
}

export const checklistApi = {
  'checklist.sets': method<SetInfo[]>('none')(z.strictObject({})),
  'checklist.criteria': method<Criterion[]>('none')(z.strictObject({ setId }), { setId: '标准集' }),
  'checklist.evaluate': method<Evaluation>('none')(
    z.strictObject({ setId, year, targetId: z.string().min(1).max(64).optional() }),
    { setId: '标准集', year: '年份', targetId: '创建对象' },
  ),
  'checklist.attest': method<AttestResult>('record')(attestInput, attestLabels),
  /** the surveyed values entered for a target in a year, across every set: what a value may be linked to */
  'checklist.surveys': method<SurveyedValue[]>('none')(
    z.strictObject({ year, targetId: z.string({ error: '缺少创建对象' }).min(1, '缺少创建对象').max(64) }),
    { year: '年份', targetId: '创建对象' },
  ),
  'checklist.importSet': method<ImportSetResult>('record')(
    z.strictObject({
      json: z.string({ error: '请选择标准集文件' }).min(1, '标准集文件是空的').max(10_000_000, '标准集文件太大（超过10MB）'),
    }),
    { json: '标准集文件' },
  ),
}

// ---------------------------------------------------------------------------------------------
// families (平安家庭 declared as creation targets)

export interface Family extends RecordBase {
  /** e.g. 张建国家庭 */
  name: string
  villageId: string
  householder: string
  address: string
  /** 申报日期 */
  declaredOn: string
  villageName: string | null
}

export const familyLabels = {
  name: '家庭名称',
  villageId: '所属村（社区）',
  householder: '户主',
  address: '住址',
  declaredOn: '申报日期',
}

const familyFields = {
  name: requiredText('家庭名称', 50),
  villageId: refId('所属村（社区）'),
  householder: requiredText('户主', 30),
  address: text('住址', 200),
  declaredOn: isoDate('申报日期'),
}

export const familyCreateInput = z.strictObject({ ...familyFields, address: familyFields.address.default('') })
export type FamilyCreateInput = z.input<typeof familyCreateInput>

export const familiesApi = {
  'families.create': method<Family>('record')(familyCreateInput, familyLabels),
  'families.list': method<ListResult<Family>>('none')(
    listInput({ villageId: z.string().max(64), name: z.string().max(100) }),
    familyLabels,
  ),
  'families.update': method<Family>('record')(
    z.strictObject({ id: idInput.shape.id, ...familyFields }).partial({ name: true, villageId: true, householder: true, address: true, declaredOn: true }),
    familyLabels,
  ),
  'families.delete': method<{ id: string }>('record')(idInput),
  'families.restore': method<Family>('record')(idInput),
}

/** "92.5%" for fractions, "6人" for counts, "无数据" for null */
export function formatFigure(v: number | null | undefined, unit: string | undefined): string {
  if (v === null || v === undefined) return '无数据'
  if (unit === '%') {
    const p = Math.round(v * 10000) / 100
    return `${p}%`
  }
  return `${Math.round(v * 100) / 100}${unit ?? ''}`
}

export const opLabels: Record<CheckOp, string> = { '>=': '≥', '<=': '≤', '=': '=', '>': '>', '<': '<' }
