import { z } from 'zod'
import { contract, type MethodName } from '../../shared/api/contract'
import { auditActions } from '../../shared/audit/schema'
import { caseRefusals, type CaseFacts } from '../../shared/mediation/stage'
import { hazardRefusals, type HazardFacts } from '../../shared/hazards/stage'
import { patrolTimeRefusal } from '../../shared/patrols/times'
import { describeIssue } from '../../shared/validation'
import type { CheckPlan, Conv, PlanField, PlanTable, WorkerRule } from './rowCheck'
import { Unsupported, compileNode } from './rowSpec'
import type { TravelTable } from './travel'

/**
 * The county checks every incoming row as the township's forms would (DESIGN §6): the form's own zod
 * schema (the create input of its register) applied to the stored row, the rules of the record that
 * do not depend on other records (dates in order, nothing after today), and the stored row's shape:
 * a UUID, ISO time stamps no later than a day after the import, the township's code. References,
 * NOT NULL and uniqueness are SQLite's (foreign keys, constraints, unique indexes) as before.
 *
 * Two ways, one verdict: a register whose form compiles to plain data (rowSpec.ts) is checked on the
 * reader's worker while SQLite merges the rows before it (a million patrols cost no extra time on the
 * main thread); any other register (a form with the 身份证号 normalisation, or rules not carried to the
 * worker) is checked here with zod itself. Either way the clerk's message comes from zod and the rule
 * on the main thread, naming the register, the row and the field.
 */
export interface Refusal {
  field: string
  message: string
  /** the package as a whole is refused with this message: not a row for the township to correct */
  whole?: true
}

/** Rows of another township in a township's package: the file was altered (signed manifests name one township). */
export const alienRows = (township: string): string => `数据包中有不属于该乡镇（${township}）的记录，文件已被改动，不能导入`

type Values = Record<string, unknown>

interface Rule {
  check: (v: Values, today: string) => Refusal | null
  /** the same rule in the worker's checker, if it is there */
  worker?: WorkerRule
}

interface TableForm {
  form: z.ZodObject
  labels: Record<string, string>
  /** stored columns whose form field differs in name or representation */
  columns?: Record<string, { field: string; conv: Conv }>
  rules?: Rule[]
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

const notAfterToday = (field: string, message: string): Rule => ({
  check: (v, today) => {
    const d = str(v[field])
    return d !== null && d > today ? { field, message } : null
  },
  worker: ['notAfterToday', field],
})

function fromMethod(name: MethodName, extra: Omit<TableForm, 'form' | 'labels'> = {}): TableForm {
  const def = contract[name]
  if (!(def.input instanceof z.ZodObject)) throw new Error(`${name}: not an object schema`)
  return { form: def.input, labels: def.labels, ...extra }
}

/** what an audit entry must look like (the trail has no form; its rows are written by records.ts) */
const auditForm = z.strictObject({
  operator: z.string().max(100),
  tableName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
  recordId: z.string().min(1).max(64),
  action: z.enum(auditActions),
  changes: z.record(z.string().max(200), z.unknown()),
})

let registry: Record<string, TableForm> | null = null

/** Per register: the form it is checked with and the rules of its record (the handlers' own, where they apply to a stored row). */
function forms(): Record<string, TableForm> {
  registry ??= {
    villages: fromMethod('villages.create'),
    grids: fromMethod('grids.create'),
    units: fromMethod('units.create'),
    members: fromMethod('members.create', {
      rules: [
        {
          check: (v) => {
            const joined = str(v.joinedOn)
            const left = str(v.leftOn)
            return joined && left && left < joined ? { field: 'leftOn', message: '离队日期不能早于加入日期' } : null
          },
        },
      ],
    }),
    patrols: fromMethod('patrols.create', {
      rules: [
        notAfterToday('date', '巡逻日期不能晚于今天'),
        {
          check: (v) => {
            const s = str(v.startTime)
            const e = str(v.endTime)
            const why = s && e ? patrolTimeRefusal(s, e) : null
            return why ? { field: 'endTime', message: why } : null
          },
          worker: ['patrolTimes'],
        },
      ],
    }),
    mediation_cases: fromMethod('mediation.create', {
      rules: [
        {
          check: (v, today) => {
            const first = caseRefusals(v as unknown as CaseFacts, today)[0]
            return first ?? null
          },
        },
      ],
    }),
    aftercare_people: fromMethod('aftercare.people.create', {
      rules: [
        {
          check: (v, today) => {
            const released = str(v.releasedOn) ?? ''
            const until = str(v.aftercareUntil)
            const reoffended = str(v.reoffendedOn)
            const handover = str(v.handoverOn)
            if (until !== null && until < released) return { field: 'aftercareUntil', message: '帮教期满日期不能早于释放（矫正开始）日期' }
            if (v.placement === 'unplaced' && !(str(v.unplacedReason) ?? '').trim()) return { field: 'unplacedReason', message: '未安置的请填写未安置原因' }
            if (reoffended && reoffended < released) return { field: 'reoffendedOn', message: '重新犯罪日期不能早于释放（矫正开始）日期' }
            if (reoffended && reoffended > today) return { field: 'reoffendedOn', message: '重新犯罪日期不能晚于今天' }
            if (handover && handover > today) return { field: 'handoverOn', message: '衔接日期不能晚于今天' }
            return null
          },
        },
      ],
    }),
    aftercare_visits: fromMethod('aftercare.visits.create', { rules: [notAfterToday('date', '走访日期不能晚于今天')] }),
    hazards: fromMethod('hazards.create', { rules: [{ check: (v, today) => hazardRefusals(v as unknown as HazardFacts, today)[0] ?? null }] }),
    families: fromMethod('families.create'),
    // an entry is stored as figures and marks; the attest form's fields say what each may hold
    checklist_entries: fromMethod('checklist.attest', {
      columns: {
        figures: { field: 'values', conv: 'json' },
        notApplicable: { field: 'notApplicable', conv: 'naKeys' },
        attested: { field: 'attested', conv: 'bool' },
      },
    }),
    // 整改措施 and 下一步工作 of a 自查报告 (issue 14): the form they are saved with
    self_check_texts: fromMethod('documents.selfCheckTexts.save'),
    audit: {
      form: auditForm,
      labels: { operator: '操作员', tableName: '台账', recordId: '记录编号', action: '操作类型', changes: '修改内容' },
      columns: { changes: { field: 'changes', conv: 'json' } },
    },
  }
  return registry
}

const BASE_RECORD = ['id', 'createdAt', 'updatedAt', 'deletedAt', 'township']
const BASE_APPEND = ['id', 'at', 'township']

function baseOf(t: TravelTable): string[] {
  return t.mode === 'record' ? BASE_RECORD : BASE_APPEND
}

/** The zod type under optional/nullable/default wrappers (and a transform's input). */
function coreType(schema: unknown): string {
  let d = (schema as { _zod: { def: { type: string; innerType?: unknown; in?: unknown } } })._zod.def
  for (;;) {
    const next = d.type === 'pipe' ? d.in : d.innerType
    if (!next || !['optional', 'nullable', 'default', 'prefault', 'pipe', 'readonly'].includes(d.type)) return d.type
    d = (next as typeof schema & { _zod: { def: typeof d } })._zod.def
  }
}

interface Mapped {
  column: string
  field: string
  conv: Conv
}

/** The table's columns that the form checks, with the form field and the conversion of each. */
export function mappedColumns(t: TravelTable, f: TableForm = forms()[t.name]!): Mapped[] {
  const shape = f.form.shape as Record<string, unknown>
  const out: Mapped[] = []
  for (const column of t.columns) {
    if (baseOf(t).includes(column)) continue
    const explicit = f.columns?.[column]
    if (explicit) {
      out.push({ column, ...explicit })
      continue
    }
    if (!(column in shape)) continue
    const type = coreType(shape[column])
    // arrays and objects are stored as JSON text, booleans as 0/1
    const conv: Conv = ['array', 'record', 'object', 'union', 'tuple'].includes(type) ? 'json' : type === 'boolean' ? 'bool' : 'raw'
    out.push({ column, field: column, conv })
  }
  return out
}

/** Columns of a travel table that neither the stored-row checks nor a form cover (tests keep this empty). */
export function uncoveredColumns(t: TravelTable): string[] {
  const f = forms()[t.name]
  if (!f) return t.columns.filter((c) => !baseOf(t).includes(c))
  const mapped = new Set(mappedColumns(t, f).map((m) => m.column))
  return t.columns.filter((c) => !baseOf(t).includes(c) && !mapped.has(c))
}

/** The worker's plan for a table, or null when the table is checked on the main thread. */
function planTable(t: TravelTable): PlanTable | null {
  const f = forms()[t.name]
  if (!f) return null
  const rules = f.rules ?? []
  if (rules.some((r) => !r.worker)) return null
  const shape = f.form.shape as Record<string, unknown>
  try {
    const fields: PlanField[] = mappedColumns(t, f).map((m) => ({ ...m, node: compileNode(shape[m.field]) }))
    return { base: t.mode, fields, rules: rules.map((r) => r.worker!) }
  } catch (e) {
    if (e instanceof Unsupported) return null
    throw e
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const TOWNSHIP = /^\d{6,12}$/
const stampLabels: Record<string, string> = { createdAt: '建立时间', updatedAt: '修改时间', deletedAt: '删除时间', at: '操作时间' }
const BAD = Symbol('bad')

function convert(conv: Conv, v: unknown): unknown {
  if (conv === 'raw') return v
  if (conv === 'bool') return v === 0 ? false : v === 1 ? true : v === null ? null : BAD
  if (typeof v !== 'string') return BAD
  let x: unknown
  try {
    x = JSON.parse(v)
  } catch {
    return BAD
  }
  return conv === 'naKeys' && Array.isArray(x) ? x.filter((k) => k !== '*') : x
}

/** A stamp as Date#toISOString writes it (…T08:30:00.000Z), of a real moment. */
export function isStamp(v: unknown): v is string {
  if (typeof v !== 'string' || !STAMP.test(v)) return false
  const t = Date.parse(v)
  return !Number.isNaN(t) && new Date(t).toISOString() === v
}

function stampRefusal(column: string, v: unknown, limit: string): Refusal | null {
  const label = stampLabels[column] ?? column
  if (!isStamp(v)) return { field: column, message: `${label}不是有效的时间` }
  if (v > limit) return { field: column, message: `${label}（${v}）晚于导入时间一天以上，可能是乡镇电脑的日期或时间设置不对` }
  return null
}

export type ExactCheck = (row: unknown) => Refusal | null

/** The main thread's check of one register's rows (zod and the record's rules), for a package's header. */
export function exactCheck(t: TravelTable, columns: string[], plan: Pick<CheckPlan, 'limit' | 'today' | 'township'>): ExactCheck {
  const f = forms()[t.name]
  const at = (c: string) => columns.indexOf(c)
  const mapped = f ? mappedColumns(t, f).filter((m) => at(m.column) >= 0) : []
  const shape = (f?.form.shape ?? {}) as Record<string, unknown>
  // a column an older program did not have yet is not carried: the form's field is then not asked for
  const absent = Object.keys(shape).filter((k) => !mapped.some((m) => m.field === k))
  const form = f ? (absent.length ? f.form.partial(Object.fromEntries(absent.map((k) => [k, true])) as Record<string, true>) : f.form) : null
  const labels = f?.labels ?? {}
  const label = (field: string) => labels[field] ?? field
  const base = baseOf(t)
  return (row) => {
    if (!Array.isArray(row) || row.length !== columns.length) return { field: '', message: '记录的格式不对' }
    const id = row[at('id')] as unknown
    if (typeof id !== 'string' || !UUID.test(id)) return { field: 'id', message: '记录编号不是本程序生成的编号' }
    for (const c of base) {
      const i = at(c)
      if (i < 0 || c === 'id') continue
      const v = row[i] as unknown
      if (c === 'township') {
        if (typeof v !== 'string' || !TOWNSHIP.test(v)) return { field: c, message: '所属乡镇的区划代码不对' }
        if (plan.township && v !== plan.township) return { field: c, message: alienRows(plan.township), whole: true }
      } else if (!(c === 'deletedAt' && v === null)) {
        const r = stampRefusal(c, v, plan.limit)
        if (r) return r
      }
    }
    if (!form) return null
    const values: Values = {}
    for (const m of mapped) {
      const x = convert(m.conv, row[at(m.column)])
      if (x === BAD) return { field: m.field, message: `${label(m.field)}的内容已损坏（不是本程序保存的格式）` }
      values[m.field] = x
    }
    const parsed = form.safeParse(values)
    if (!parsed.success) {
      const d = describeIssue(parsed.error.issues[0]!, labels)
      return { field: d.field ?? '', message: d.message }
    }
    for (const r of f?.rules ?? []) {
      const why = r.check(values, plan.today)
      if (why) return why
    }
    return null
  }
}

/** The day after `today` (YYYY-MM-DD): dates of the township's "today" may be a day ahead of the county's (time zones, clocks). */
export function dayAfter(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** What the worker checks for an import starting at `now` (ISO) on the local day `today`. */
export function checkPlan(tables: TravelTable[], now: string, today: string): CheckPlan {
  const plan: CheckPlan = { limit: new Date(Date.parse(now) + 86_400_000).toISOString(), today: dayAfter(today), tables: {} }
  for (const t of tables) {
    const p = planTable(t)
    if (p) plan.tables[t.name] = p
  }
  return plan
}

/** The refusal a clerk reads: the register, the row's place and id, what is wrong. */
export function rowRefusalMessage(t: TravelTable, index: number, id: unknown, r: Refusal | null): string {
  if (r?.whole) return r.message
  const which = typeof id === 'string' && UUID.test(id) ? `（编号 ${id}）` : ''
  const what = r?.message ?? '不符合本程序的填写规则'
  return `「${t.label}」第 ${index} 条记录${which}：${what}。县（区）按乡镇填表的规则核对每一条记录，这条不符合，整个数据包未导入；请乡镇（街道）改正这条记录后重新导出`
}
