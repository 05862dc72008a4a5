import { ApiError } from '../../shared/errors'
import { caseRefusals, closingDate } from '../../shared/mediation/stage'
import {
  type CaseStatus,
  type FollowUp,
  type MediationCase,
  type Party,
  moveRefusal,
} from '../../shared/mediation/schema'
import type { HandlerMap } from '../api/handlers-type'
import type { ParsedInput } from '../../shared/api/contract'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import { requireTownship } from '../org/township'
import { checkVillage } from '../org/refs'
import { checkMembers, unique } from '../members/refs'
import { caseNoTaken, nextCaseNo } from './caseNo'
import { listCases, toCases } from './queries'
import type { MediationCasesTable } from './table'

const WHAT = '矛盾纠纷案件'

function load(ctx: Ctx, id: string): MediationCase {
  const row = prepared(ctx.db, 'SELECT c.*, v.name AS villageName FROM mediation_cases c LEFT JOIN villages v ON v.id = c.villageId WHERE c.id = ?').get(id) as
    | (MediationCasesTable & { villageName: string | null })
    | undefined
  if (!row) throw new ApiError('not_found', `找不到这条${WHAT}`, 'id')
  return toCases(ctx, [row], true)[0]!
}

interface CaseValues {
  receivedOn: string
  villageId: string
  parties: Party[]
  mediatorIds: string[]
  status: CaseStatus
  mediatedOn: string | null
  agreementForm: string | null
  agreement: string | null
  fulfillment: string | null
  followUps: FollowUp[]
  closedOn: string | null
}

const bad = (message: string, field: string) => new ApiError('invalid_input', message, field)

/** The rules a stored case must satisfy (shared with the form: caseRefusals), then its references. */
function checkCase(ctx: Ctx, c: CaseValues, refs: { village: boolean; mediators: boolean }): void {
  const refusals = caseRefusals(c, ctx.today())
  // the parties and the receiving date come before the references, as the form lists them
  const first = refusals[0]
  if (first && (first.field === 'receivedOn' || first.field === 'parties')) throw bad(first.message, first.field)
  if (refs.village) checkVillage(ctx, c.villageId)
  if (refs.mediators) checkMembers(ctx, c.mediatorIds, { roles: ['mediator'], what: '调解员', field: 'mediatorIds' })
  if (first) throw bad(first.message, first.field)
}

function checkMove(from: CaseStatus, to: CaseStatus): void {
  const why = moveRefusal(from, to)
  if (why) throw bad(why, 'status')
}

function normalise(c: { agreement?: string | null; followUps: FollowUp[] }) {
  return {
    agreement: c.agreement?.trim() ? c.agreement : null,
    followUps: [...c.followUps].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  }
}

/**
 * The row a create writes, after every rule; writes nothing. caseNo is null when the case takes the
 * next number (nextCaseNo, which counts: the writer draws it). The Excel import checks its rows with
 * it (excel/registers.ts) and writes them in one statement.
 */
export function caseRow(ctx: Ctx, input: ParsedInput<'mediation.create'>) {
  const township = requireTownship(ctx).code
  const n = normalise(input)
  const c: CaseValues = {
    receivedOn: input.receivedOn,
    villageId: input.villageId,
    parties: input.parties,
    mediatorIds: unique(input.mediatorIds),
    status: input.status,
    mediatedOn: input.mediatedOn ?? null,
    agreementForm: input.agreementForm ?? null,
    agreement: n.agreement,
    fulfillment: input.fulfillment ?? null,
    followUps: n.followUps,
    // no 结案日期 on a success or failed case: closed on its 调解日期 (shared/mediation/stage.ts)
    closedOn: closingDate({ status: input.status, mediatedOn: input.mediatedOn ?? null, closedOn: input.closedOn ?? null }),
  }
  checkCase(ctx, c, { village: true, mediators: true })
  if (input.caseNo && caseNoTaken(ctx, township, input.caseNo))
    throw new ApiError('duplicate', `案件编号「${input.caseNo}」已被使用（含已删除的案件），不能重复`, 'caseNo')
  return {
    caseNo: input.caseNo ?? null,
    source: input.source,
    category: input.category,
    summary: input.summary,
    ...c,
    parties: JSON.stringify(c.parties),
    mediatorIds: JSON.stringify(c.mediatorIds),
    followUps: JSON.stringify(c.followUps),
    // 履行方式、地点、期限 for the 调解协议书 (issue 14)
    performanceMethod: input.performanceMethod?.trim() ?? '',
    performancePlace: input.performancePlace?.trim() ?? '',
    performanceDeadline: input.performanceDeadline?.trim() ?? '',
  }
}

export const mediationHandlers: HandlerMap<
  'mediation.create' | 'mediation.get' | 'mediation.list' | 'mediation.update' | 'mediation.delete' | 'mediation.restore'
> = {
  'mediation.create': (input, ctx) =>
    ctx.db.transaction(() => {
      const values = caseRow(ctx, input)
      const caseNo = values.caseNo ?? nextCaseNo(ctx, Number(input.receivedOn.slice(0, 4)))
      const row = insertRecord(ctx, 'mediation_cases', { ...values, caseNo })
      return load(ctx, row.id)
    })(),
  'mediation.get': (input, ctx) => {
    getLiveRow(ctx, 'mediation_cases', input.id, WHAT)
    return load(ctx, input.id)
  },
  'mediation.list': (input, ctx) => listCases(ctx, input),
  'mediation.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const oldRow = getLiveRow<MediationCasesTable>(ctx, 'mediation_cases', input.id, WHAT)
      const old = load(ctx, input.id)
      if (input.status) checkMove(old.status, input.status)
      const followUps = input.followUps ?? old.followUps
      const n = normalise({ agreement: input.agreement === undefined ? old.agreement : input.agreement, followUps })
      const c: CaseValues = {
        receivedOn: input.receivedOn ?? old.receivedOn,
        villageId: input.villageId ?? old.villageId,
        parties: input.parties ?? old.parties,
        mediatorIds: input.mediatorIds ? unique(input.mediatorIds) : old.mediatorIds,
        status: input.status ?? old.status,
        mediatedOn: input.mediatedOn === undefined ? old.mediatedOn : input.mediatedOn,
        agreementForm: input.agreementForm === undefined ? old.agreementForm : input.agreementForm,
        agreement: n.agreement,
        fulfillment: input.fulfillment === undefined ? old.fulfillment : input.fulfillment,
        followUps: n.followUps,
        closedOn: input.closedOn === undefined ? old.closedOn : input.closedOn,
      }
      c.closedOn = closingDate(c)
      const mediatorsJson = JSON.stringify(c.mediatorIds)
      checkCase(ctx, c, { village: c.villageId !== oldRow.villageId, mediators: mediatorsJson !== oldRow.mediatorIds })
      const patch: Record<string, string | null> = {
        ...c,
        parties: JSON.stringify(c.parties),
        mediatorIds: mediatorsJson,
        followUps: JSON.stringify(c.followUps),
      }
      if (input.source) patch.source = input.source
      if (input.category) patch.category = input.category
      if (input.summary) patch.summary = input.summary
      for (const k of ['performanceMethod', 'performancePlace', 'performanceDeadline'] as const) if (input[k] !== undefined) patch[k] = input[k].trim()
      updateRecord(ctx, 'mediation_cases', input.id, patch, WHAT)
      return load(ctx, input.id)
    })(),
  'mediation.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'mediation_cases', input.id, WHAT))(),
  'mediation.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = getRow<MediationCasesTable>(ctx, 'mediation_cases', input.id)
      if (row?.deletedAt) checkVillage(ctx, row.villageId)
      restoreRecord(ctx, 'mediation_cases', input.id, WHAT)
      return load(ctx, input.id)
    })(),
}
