/**
 * A standard set (平安创建标准) catalog: the schema of the JSON files in resources/standards/ and of any
 * set a county issues later. See DESIGN §4 and docs/standards.md.
 *
 * No Node, no DOM: this file is shared by main and renderer.
 */

import { z } from 'zod'
import { unitKinds } from '../domain'
import { metricNames, metrics, unitTargetKinds, type MetricName } from './metrics'

/** kinds of creation target (创建对象) a criterion can be written for */
export const targetKinds = [
  'village',
  'community',
  'grid',
  'school',
  'hospital',
  'market',
  'scenic',
  'family',
  'enterprise',
  'property',
  'business',
  'association',
  'street',
  'unit',
  'common',
  'township',
] as const
export type TargetKind = (typeof targetKinds)[number]

export const checkOps = ['>=', '<=', '=', '>', '<'] as const
export type CheckOp = (typeof checkOps)[number]

/** units of a clerk-entered value; '%' values are stored as fractions 0..1 */
export const valueUnits = ['%', '人', '处', '个', '次', '件', '户'] as const
export type ValueUnit = (typeof valueUnits)[number]

const nonEmpty = z.string().trim().min(1)
const targetKind = z.enum(targetKinds)
/** For a `common` criterion: the concrete target kinds this check is evaluated for (default: all). */
const appliesTo = z.array(targetKind).min(1).optional()
/**
 * The words of the criterion's text this check comes from (each phrase found in `text`), so an
 * inspector sees which requirement each check stands for (docs/standards.md lists them). A sole
 * attestation without words stands for the whole text.
 */
const words = z.array(nonEmpty).min(1).optional()
const checkKey = z.string().regex(/^[a-z][A-Za-z0-9]*$/)

export const metricCheckSchema = z.strictObject({
  kind: z.literal('metric'),
  metric: z.enum(metricNames),
  op: z.enum(checkOps),
  threshold: z.number(),
  label: nonEmpty,
  appliesTo,
  words,
})

export const valueCheckSchema = z.strictObject({
  kind: z.literal('value'),
  /**
   * what the number is, e.g. 'awareness' 知晓率. A value belongs to its criterion: the same key in
   * another criterion is another answer (a survey that serves both is linked by the clerk).
   */
  key: checkKey,
  op: z.enum(checkOps),
  threshold: z.number(),
  unit: z.enum(valueUnits).optional(),
  label: nonEmpty,
  appliesTo,
  words,
})

export const attestCheckSchema = z.strictObject({
  kind: z.literal('attest'),
  /**
   * needed when a criterion has several attestations (xibao-2017.school.2's 五无): each is answered
   * on its own. A criterion's one attestation without a key is the entry's `attested`.
   */
  key: checkKey.optional(),
  label: nonEmpty,
  appliesTo,
  words,
})

export const checkSchema = z.discriminatedUnion('kind', [metricCheckSchema, valueCheckSchema, attestCheckSchema])

export const criterionSchema = z.strictObject({
  /** `<set>.<target>.<n>` */
  id: nonEmpty,
  target: targetKind,
  /** the item's own number in the document (or its order where the document numbers none) */
  n: z.number().int().positive(),
  title: nonEmpty.optional(),
  /** the full text exactly as written in the document */
  text: nonEmpty,
  /** 牵头 units */
  lead: z.array(nonEmpty),
  /** 配合/落实/协助 units */
  assist: z.array(nonEmpty),
  checks: z.array(checkSchema).min(1),
  /** an editor's remark on the text (lost digits, typos in the source), shown beside it */
  note: nonEmpty.optional(),
})

export const targetSchema = z.strictObject({
  id: targetKind,
  /** e.g. '平安村（社区）' */
  label: nonEmpty,
  /**
   * For a target backed by units: the unit kinds it covers (shida-2020's 平安企事业单位: enterprise,
   * agency, institution). Default: units of the kind named like the target (`unit`: every unit).
   */
  unitKinds: z.array(z.enum(unitKinds)).min(1).optional(),
})

const baseSetSchema = z.strictObject({
  formatVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: nonEmpty,
  /** the source document's title */
  source: nonEmpty,
  issuer: nonEmpty.optional(),
  year: z.number().int().min(1949).max(2200).optional(),
  targets: z.array(targetSchema).min(1),
  criteria: z.array(criterionSchema).min(1),
})

export type Check = z.infer<typeof checkSchema>
export type MetricCheck = z.infer<typeof metricCheckSchema>
export type ValueCheck = z.infer<typeof valueCheckSchema>
export type AttestCheck = z.infer<typeof attestCheckSchema>
export type Criterion = z.infer<typeof criterionSchema>
export type StandardSet = z.infer<typeof baseSetSchema>

export function criterionId(setId: string, target: TargetKind, n: number): string {
  return `${setId}.${target}.${n}`
}

/**
 * Whether `check` is evaluated for a target of kind `kind` (a `common` criterion is evaluated for
 * villages, communities and units alike; `appliesTo` narrows a check to some of them).
 */
export function checkApplies(check: Check, kind: TargetKind): boolean {
  return check.appliesTo === undefined || check.appliesTo.includes(kind)
}

function isFractionCheck(check: Check): boolean {
  if (check.kind === 'metric') return metrics[check.metric].unit === '%'
  if (check.kind === 'value') return check.unit === '%'
  return false
}

/** the rules that span fields: unique ids, id spelling, listed targets, metric/target fit, fractions */
function crossFieldRules(set: StandardSet, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message })
  }

  const listed = new Map<TargetKind, number>()
  set.targets.forEach((t, i) => {
    const first = listed.get(t.id)
    if (first !== undefined) issue(['targets', i, 'id'], `创建对象“${t.id}”重复列出（与 targets[${first}] 相同）`)
    else listed.set(t.id, i)
  })

  set.targets.forEach((t, i) => {
    if (t.unitKinds !== undefined && !(unitTargetKinds as readonly string[]).includes(t.id))
      issue(['targets', i, 'unitKinds'], `创建对象“${t.id}”不是单位，不能指定单位类型`)
  })

  const seen = new Map<string, number>()
  set.criteria.forEach((c, i) => {
    const keys = new Map<string, number>()
    let unkeyed: number | null = null
    const first = seen.get(c.id)
    if (first !== undefined) issue(['criteria', i, 'id'], `编号“${c.id}”重复（与 criteria[${first}] 相同）`)
    else seen.set(c.id, i)

    const expected = criterionId(set.id, c.target, c.n)
    if (c.id !== expected) issue(['criteria', i, 'id'], `编号应为“${expected}”（标准集编号.创建对象.序号），现为“${c.id}”`)

    if (!listed.has(c.target)) issue(['criteria', i, 'target'], `创建对象“${c.target}”未在 targets 中列出`)

    c.checks.forEach((check, j) => {
      const path = ['criteria', i, 'checks', j]
      check.words?.forEach((w, m) => {
        if (!c.text.includes(w)) issue([...path, 'words', m], `依据的原文“${w.slice(0, 40)}”不在本条标准的原文中`)
      })
      const key = check.kind === 'metric' ? undefined : check.key
      if (key !== undefined) {
        const first = keys.get(key)
        if (first !== undefined) issue([...path, 'key'], `“${key}”在本条中重复（与 checks[${first}] 相同），每个数值和确认项的名称应不同`)
        else keys.set(key, j)
        if ((metricNames as readonly string[]).includes(key)) issue([...path, 'key'], `“${key}”是指标名，填报数值和确认项不能用这个名称`)
      } else if (check.kind === 'attest') {
        if (unkeyed !== null) issue([...path, 'key'], `本条有多个确认项，每个都要写 key（与 checks[${unkeyed}] 区分）`)
        else unkeyed = j
      }
      if (check.appliesTo !== undefined) {
        check.appliesTo.forEach((k, m) => {
          if (c.target === 'common') {
            if (k === 'common' || !listed.has(k)) {
              issue([...path, 'appliesTo', m], `“${k}”不是本标准集列出的具体创建对象，共性标准的检查项只能限定到已列出的对象`)
            }
          } else if (k !== c.target) {
            issue([...path, 'appliesTo', m], `本条标准的创建对象是“${c.target}”，检查项不能限定到“${k}”`)
          }
        })
      }
      if (check.kind === 'metric') {
        const def = metrics[check.metric]
        const kinds: readonly TargetKind[] = check.appliesTo ?? [c.target]
        const allowed: readonly TargetKind[] = def.appliesTo
        for (const k of kinds) {
          if (!allowed.includes(k)) {
            issue([...path, 'metric'], `指标“${def.label}”（${check.metric}）不适用于创建对象“${k}”（适用于：${allowed.join('、')}）`)
          }
        }
      }
      if (check.kind !== 'attest' && isFractionCheck(check) && (check.threshold < 0 || check.threshold > 1)) {
        issue([...path, 'threshold'], `百分比应写成 0 到 1 之间的小数（如 90% 写 0.9），现为 ${check.threshold}`)
      }
    })
  })
}

export const standardSetSchema = baseSetSchema.superRefine(crossFieldRules)

// ---------------------------------------------------------------------------------------------
// Chinese error messages

type PathSeg = PropertyKey

function formatPath(path: readonly PathSeg[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? String(seg) : `.${String(seg)}`
  }
  return out === '' ? '（整个文件）' : out
}

function valueAt(root: unknown, path: readonly PathSeg[]): unknown {
  let cur: unknown = root
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[seg]
  }
  return cur
}

const typeNames: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是/否（true/false）',
  array: '数组（列表）',
  object: '对象',
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return `“${v}”`
  if (v === null) return 'null'
  if (Array.isArray(v)) return '数组'
  if (typeof v === 'object') return '对象'
  return String(v)
}

function issueMessage(issue: z.core.$ZodIssue, input: unknown): { path: readonly PathSeg[]; message: string }[] {
  const path = issue.path
  const last = path[path.length - 1]
  const here = valueAt(input, path)
  switch (issue.code) {
    case 'invalid_type': {
      if (here === undefined && path.length > 0) return [{ path, message: '缺少必填项' }]
      const name = typeNames[issue.expected] ?? issue.expected
      if (issue.expected === 'int' && typeof here === 'number') return [{ path, message: '应为整数' }]
      return [{ path, message: `应为${name}` }]
    }
    case 'too_small': {
      const min = Number(issue.minimum)
      if (issue.origin === 'string') return [{ path, message: '不能为空' }]
      if (issue.origin === 'array') return [{ path, message: `至少应有 ${min} 项` }]
      if (last === 'n') return [{ path, message: '应为正整数' }]
      return [{ path, message: issue.inclusive === false ? `应大于 ${min}` : `应不小于 ${min}` }]
    }
    case 'too_big': {
      const max = Number(issue.maximum)
      if (issue.origin === 'string') return [{ path, message: `不能超过 ${max} 个字` }]
      if (issue.origin === 'array') return [{ path, message: `最多 ${max} 项` }]
      return [{ path, message: issue.inclusive === false ? `应小于 ${max}` : `应不大于 ${max}` }]
    }
    case 'invalid_format': {
      if (last === 'id') return [{ path, message: '只能由小写英文字母、数字和连字符（-）组成' }]
      if (last === 'key') return [{ path, message: '应为小写英文字母开头的字母数字标识，如 awareness' }]
      return [{ path, message: '格式不正确' }]
    }
    case 'invalid_value': {
      if (last === 'metric') {
        return [{ path, message: `未知的指标名${describeValue(here)}（可用：${metricNames.join('、')}）` }]
      }
      if (last === 'formatVersion') return [{ path, message: `不支持的格式版本 ${describeValue(here)}，本程序只能读取格式版本 1` }]
      if (last === 'target' || last === 'id' || typeof last === 'number') {
        return [{ path, message: `未知的创建对象${describeValue(here)}（可用：${issue.values.join('、')}）` }]
      }
      return [{ path, message: `应为以下之一：${issue.values.map(String).join('、')}（现为${describeValue(here)}）` }]
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        return [{ path, message: here === undefined ? '缺少必填项（应为 metric、value 或 attest）' : `应为 metric（指标）、value（填报数值）或 attest（确认）之一，现为${describeValue(here)}` }]
      }
      return [{ path, message: '内容不符合任何一种允许的写法' }]
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: [...path, k], message: '不认识的字段（是否拼写有误？）' }))
    case 'custom':
      return [{ path, message: issue.message }]
    default:
      return [{ path, message: '内容不正确' }]
  }
}

export type ValidateResult = { ok: true; set: StandardSet } | { ok: false; errors: string[] }

/**
 * Validates a parsed JSON catalog. Every error is a Chinese sentence that starts with the path of the
 * offending field, e.g. `criteria[3].checks[0].threshold：应为数字`.
 */
export function validateStandardSet(json: unknown): ValidateResult {
  const r = standardSetSchema.safeParse(json)
  if (r.success) return { ok: true, set: r.data }
  const errors: string[] = []
  for (const issue of r.error.issues) {
    for (const { path, message } of issueMessage(issue, json)) errors.push(`${formatPath(path)}：${message}`)
  }
  return { ok: false, errors }
}

export type { MetricName }
