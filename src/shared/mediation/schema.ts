import { z } from 'zod'
import { idInput } from '../api/define'
import { codesOf, labelsOf } from '../registers/define'
import { registerMethods } from '../registers/api'
import {
  agreementFormOptions,
  caseCategoryOptions,
  caseSourceOptions,
  caseStatusOptions,
  fulfillmentOptions,
  mediationRegister,
  partySideOptions,
} from '../registers/mediation'
import type { RecordBase } from '../domain'
import { checkIdNumber } from '../idNumber'
import { isoDate, phone, refId, requiredText, text } from '../validation'

export const caseSources = codesOf(caseSourceOptions)
export type CaseSource = (typeof caseSources)[number]
export const caseSourceLabels: Record<CaseSource, string> = caseSourceOptions

/** The 15 usual dispute types; the value is the Chinese name itself. */
export const caseCategories = codesOf(caseCategoryOptions)
export type CaseCategory = (typeof caseCategories)[number]

export const caseStatuses = codesOf(caseStatusOptions)
export type CaseStatus = (typeof caseStatuses)[number]
export const caseStatusLabels: Record<CaseStatus, string> = caseStatusOptions
/** Final states: a case in one of them is closed (closedOn set) and cannot move again. */
export const closedStatuses: readonly CaseStatus[] = ['success', 'failed', 'referred']
const statusRank: Record<CaseStatus, number> = { pending: 0, mediating: 1, success: 2, failed: 2, referred: 2 }

/**
 * Why a case may not move from `from` to `to` (only forward: pending → mediating → a final state, and
 * never out of a final state), or null when it may.
 */
export function moveRefusal(from: CaseStatus, to: CaseStatus): string | null {
  if (from === to) return null
  if (statusRank[from] === 2) return `案件已结案（${caseStatusLabels[from]}），不能改为「${caseStatusLabels[to]}」`
  if (statusRank[to] < statusRank[from]) return `案件已在${caseStatusLabels[from]}，不能改回「${caseStatusLabels[to]}」`
  return null
}

export const agreementForms = codesOf(agreementFormOptions)
export type AgreementForm = (typeof agreementForms)[number]
export const agreementFormLabels: Record<AgreementForm, string> = agreementFormOptions

export const fulfillments = codesOf(fulfillmentOptions)
export type Fulfillment = (typeof fulfillments)[number]
export const fulfillmentLabels: Record<Fulfillment, string> = fulfillmentOptions

export const partySides = codesOf(partySideOptions)
export type PartySide = (typeof partySides)[number]
export const partySideLabels: Record<PartySide, string> = partySideOptions

export interface Party {
  name: string
  idNumber: string | null
  phone: string
  address: string
  side: PartySide
}

export interface FollowUp {
  date: string
  note: string
}

export interface MediationCase extends RecordBase {
  caseNo: string
  receivedOn: string
  source: CaseSource
  category: CaseCategory
  villageId: string
  summary: string
  parties: Party[]
  mediatorIds: string[]
  status: CaseStatus
  mediatedOn: string | null
  agreementForm: AgreementForm | null
  agreement: string | null
  fulfillment: Fulfillment | null
  followUps: FollowUp[]
  closedOn: string | null
  /** 履行方式、地点、期限 of the agreement, as the 人民调解协议书 prints them ('' when not given) */
  performanceMethod: string
  performancePlace: string
  performanceDeadline: string
  villageName: string | null
  mediatorNames: string[]
  /** 申请人 names, then 被申请人 names, for lists */
  applicantNames: string
  respondentNames: string
}

export const caseLabels = labelsOf(mediationRegister)

const partyInput = z.strictObject({
  name: requiredText('当事人姓名', 30),
  /** optional: empty means not given */
  idNumber: z
    .string({ error: '身份证号应为文字' })
    .nullable()
    .optional()
    .transform((raw, ctx) => {
      if (!raw || raw.trim() === '') return null
      const r = checkIdNumber(raw)
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message })
        return z.NEVER
      }
      return r.value
    }),
  phone: phone.optional().transform((v) => v ?? ''),
  address: text('住址', 200).optional().transform((v) => v ?? ''),
  side: z.enum(partySides, { error: '请选择当事人身份（申请人、被申请人或第三人）' }),
})

const followUpInput = z.strictObject({
  date: isoDate('回访日期'),
  note: requiredText('回访情况', 500),
})

const fields = {
  receivedOn: isoDate('受理日期'),
  source: z.enum(caseSources, { error: '请选择纠纷来源（申请、排查或移交）' }),
  category: z.enum(caseCategories, { error: '请选择纠纷类型' }),
  villageId: refId('所属村（社区）'),
  summary: requiredText('纠纷简要情况', 2000),
  parties: z.array(partyInput, { error: '当事人应为列表' }).max(50, '当事人不能超过50人'),
  mediatorIds: z.array(refId('调解员'), { error: '调解员应为列表' }).max(20, '调解员不能超过20人'),
  status: z.enum(caseStatuses, { error: '调解状态不是可选的值' }),
  mediatedOn: isoDate('调解日期').nullable(),
  agreementForm: z.enum(agreementForms, { error: '请选择协议形式（口头或书面）' }).nullable(),
  agreement: text('协议内容', 5000).nullable(),
  fulfillment: z.enum(fulfillments, { error: '履行情况不是可选的值' }).nullable(),
  followUps: z.array(followUpInput, { error: '回访记录应为列表' }).max(50, '回访记录不能超过50条'),
  closedOn: isoDate('结案日期').nullable(),
  performanceMethod: text('履行方式', 200),
  performancePlace: text('履行地点', 200),
  performanceDeadline: text('履行期限', 200),
}

/**
 * A case may be created in any state (clerks back-fill old ledgers with finished cases); the dates and
 * agreement its state needs are checked on the stored record, for create and update alike.
 * caseNo is normally numbered by the program; an old ledger's own number may be given instead.
 */
export const caseCreateInput = z.strictObject({
  ...fields,
  caseNo: requiredText('案件编号', 60).optional(),
  mediatorIds: fields.mediatorIds.default([]),
  status: fields.status.default('pending'),
  mediatedOn: fields.mediatedOn.optional(),
  agreementForm: fields.agreementForm.optional(),
  agreement: fields.agreement.optional(),
  fulfillment: fields.fulfillment.optional(),
  followUps: fields.followUps.default([]),
  closedOn: fields.closedOn.optional(),
  performanceMethod: fields.performanceMethod.optional(),
  performancePlace: fields.performancePlace.optional(),
  performanceDeadline: fields.performanceDeadline.optional(),
})
export type CaseCreateInput = z.input<typeof caseCreateInput>

export const caseUpdateInput = z.strictObject({ id: idInput.shape.id, ...fields }).partial({
  receivedOn: true,
  source: true,
  category: true,
  villageId: true,
  summary: true,
  parties: true,
  mediatorIds: true,
  status: true,
  mediatedOn: true,
  agreementForm: true,
  agreement: true,
  fulfillment: true,
  followUps: true,
  closedOn: true,
  performanceMethod: true,
  performancePlace: true,
  performanceDeadline: true,
})
export type CaseUpdateInput = z.input<typeof caseUpdateInput>

const range = z.string().max(10)
export const caseListFilters = {
  township: z.string().max(12),
  villageId: z.string().max(64),
  status: z.enum(caseStatuses),
  /** several statuses at once, e.g. the open ones */
  statuses: z.array(z.enum(caseStatuses)).max(5),
  source: z.enum(caseSources),
  category: z.enum(caseCategories),
  fulfillment: z.enum(fulfillments),
  /** receivedOn from..to inclusive */
  receivedFrom: range,
  receivedTo: range,
  year: z.number().int().min(1900).max(2200),
  caseNo: z.string().max(60),
  /** a party's name */
  party: z.string().max(30),
  summary: z.string().max(100),
  mediatorId: z.string().max(64),
}

export const mediationApi = {
  ...registerMethods<MediationCase>()('mediation', mediationRegister, { create: caseCreateInput, update: caseUpdateInput, filters: caseListFilters }),
}
