import { z } from 'zod'
import { idInput, listInput, method, type ListResult } from '../api/define'
import { codesOf, labelsOf } from '../registers/define'
import { registerMethods } from '../registers/api'
import { aftercareKindOptions, aftercareRegister, placementOptions, riskOptions } from '../registers/aftercare'
import { visitsRegister } from '../registers/visits'
import type { RecordBase } from '../domain'
import { idNumber, isoDate, refId, requiredText, text } from '../validation'
import { PERIODS_HINT, type LostContactPeriod } from './lostContact'

export const aftercareKinds = codesOf(aftercareKindOptions)
export type AftercareKind = (typeof aftercareKinds)[number]
export const aftercareKindLabels: Record<AftercareKind, string> = aftercareKindOptions

export const placements = codesOf(placementOptions)
export type Placement = (typeof placements)[number]
export const placementLabels: Record<Placement, string> = placementOptions

export const risks = codesOf(riskOptions)
export type Risk = (typeof risks)[number]
export const riskLabels: Record<Risk, string> = riskOptions

/** 衔接 should happen within this many days of release. */
export const HANDOVER_DAYS = 3
/** aftercareUntil defaults to releasedOn + this many years */
export const AFTERCARE_YEARS = 5

/** releasedOn + n years, 29 Feb becoming 28 Feb in a common year. Pure, for both sides. */
export function addYears(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4)) + n
  const md = iso.slice(5)
  if (md === '02-29') {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
    return `${y}-02-${leap ? '29' : '28'}`
  }
  return `${y}-${md}`
}

export interface AftercarePerson extends RecordBase {
  name: string
  idNumber: string
  kind: AftercareKind
  crime: string
  sentence: string
  releasedOn: string
  aftercareUntil: string
  villageId: string
  placement: Placement
  unplacedReason: string
  helperIds: string[]
  reoffendedOn: string | null
  /** lost contact now: an open period in lostContactPeriods (kept in step by the program) */
  lostContact: boolean
  /** 脱管漏管 periods (from – to), oldest first */
  lostContactPeriods: LostContactPeriod[]
  notes: string
  handoverOn: string | null
  handover: string
  risk: Risk
  registeredAddress: string
  address: string
  /** derived */
  birthDate: string
  sex: 'male' | 'female'
  villageName: string | null
  helperNames: string[]
  lastVisitOn: string | null
  visitCount: number
}

export interface AftercareVisit extends RecordBase {
  personId: string
  date: string
  helperIds: string[]
  content: string
  personName: string | null
  helperNames: string[]
  villageName: string | null
}

export const personLabels = labelsOf(aftercareRegister)

const personFields = {
  name: requiredText('姓名', 30),
  idNumber,
  kind: z.enum(aftercareKinds, { error: '请选择人员类别（刑满释放或社区矫正）' }),
  crime: requiredText('罪名', 100),
  sentence: text('原判刑期', 100),
  releasedOn: isoDate('释放（矫正开始）日期'),
  aftercareUntil: isoDate('帮教期满日期'),
  villageId: refId('所属村（社区）'),
  placement: z.enum(placements, { error: '请选择安置情况' }),
  unplacedReason: text('未安置原因', 200),
  helperIds: z.array(refId('帮教人员'), { error: '帮教人员应为列表' }).max(10, '帮教人员不能超过10人'),
  reoffendedOn: isoDate('重新犯罪日期').nullable(),
  lostContact: z.boolean({ error: '脱管漏管应为是或否' }),
  lostContactPeriods: z
    .array(
      z.strictObject({
        from: isoDate('脱管漏管开始日期'),
        to: isoDate('脱管漏管结束日期').nullable(),
        note: text('脱管漏管说明', 200).optional(),
      }),
      { error: `脱管漏管时段应${PERIODS_HINT}` },
    )
    .max(20, '脱管漏管时段不能超过20段'),
  notes: text('备注', 1000),
  handoverOn: isoDate('衔接日期').nullable(),
  handover: text('衔接情况', 500),
  risk: z.enum(risks, { error: '请选择危险性评估（低、中、高）' }),
  registeredAddress: text('户籍地', 200),
  address: text('现住地', 200),
}

export const personCreateInput = z.strictObject({
  ...personFields,
  sentence: personFields.sentence.default(''),
  aftercareUntil: personFields.aftercareUntil.optional(),
  unplacedReason: personFields.unplacedReason.default(''),
  helperIds: personFields.helperIds.default([]),
  reoffendedOn: personFields.reoffendedOn.optional(),
  // not sent: follows lostContactPeriods (or false); sent alone: opens or closes a period today
  lostContact: personFields.lostContact.optional(),
  lostContactPeriods: personFields.lostContactPeriods.optional(),
  notes: personFields.notes.default(''),
  handoverOn: personFields.handoverOn.optional(),
  handover: personFields.handover.default(''),
  risk: personFields.risk.default('low'),
  registeredAddress: personFields.registeredAddress.default(''),
  address: personFields.address.default(''),
})
export type PersonCreateInput = z.input<typeof personCreateInput>

export const personUpdateInput = z
  .strictObject({ id: idInput.shape.id, ...personFields })
  .partial(Object.fromEntries(Object.keys(personFields).map((k) => [k, true])) as { [K in keyof typeof personFields]: true })

const range = z.string().max(10)
export const personListFilters = {
  township: z.string().max(12),
  villageId: z.string().max(64),
  kind: z.enum(aftercareKinds),
  placement: z.enum(placements),
  risk: z.enum(risks),
  name: z.string().max(30),
  idNumber: z.string().max(18),
  /** under aftercare in this year (releasedOn ≤ 31 Dec, aftercareUntil ≥ 1 Jan) */
  year: z.number().int().min(1900).max(2200),
  /** under aftercare today */
  current: z.boolean(),
  lostContact: z.boolean(),
  reoffended: z.boolean(),
  helperId: z.string().max(64),
  releasedFrom: range,
  releasedTo: range,
}

export const visitLabels = labelsOf(visitsRegister)

export const visitCreateInput = z.strictObject({
  personId: refId('帮教对象'),
  date: isoDate('走访日期'),
  helperIds: z.array(refId('走访人员'), { error: '走访人员应为列表' }).min(1, '请至少选择一名走访人员').max(10, '走访人员不能超过10人'),
  content: requiredText('走访内容', 2000),
})
export type VisitCreateInput = z.input<typeof visitCreateInput>

export const visitListFilters = {
  township: z.string().max(12),
  personId: z.string().max(64),
  villageId: z.string().max(64),
  helperId: z.string().max(64),
  dateFrom: range,
  dateTo: range,
  content: z.string().max(100),
}

export const aftercareApi = {
  ...registerMethods<AftercarePerson>()('aftercare.people', aftercareRegister, {
    create: personCreateInput,
    update: personUpdateInput,
    filters: personListFilters,
    fullId: true,
  }),
  'aftercare.visits.create': method<AftercareVisit>('record')(visitCreateInput, visitLabels),
  'aftercare.visits.list': method<ListResult<AftercareVisit>>('none')(listInput(visitListFilters), visitLabels),
  'aftercare.visits.delete': method<{ id: string }>('record')(idInput),
  'aftercare.visits.restore': method<AftercareVisit>('record')(idInput),
}
