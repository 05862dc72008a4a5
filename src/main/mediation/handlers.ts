import { ApiError } from '../../shared/errors'
import {
  caseStatusLabels,
  closedStatuses,
  type CaseStatus,
  type FollowUp,
  type MediationCase,
  type Party,
  moveRefusal,
} from '../../shared/mediation/schema'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import { requireTownship } from '../db/township'
import { checkVillage } from '../org/refs'
import { checkMembers, unique } from '../patrols/memberRefs'
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

/** The rules a stored case must satisfy: parties, the dates and agreement its state needs, date order. */
function checkCase(ctx: Ctx, c: CaseValues, refs: { village: boolean; mediators: boolean }): void {
  const today = ctx.today()
  const label = caseStatusLabels[c.status]
  if (c.receivedOn > today) throw bad('受理日期不能晚于今天', 'receivedOn')
  if (!c.parties.some((p) => p.side === 'applicant')) throw bad('请至少填写一名申请人', 'parties')
  if (!c.parties.some((p) => p.side === 'respondent')) throw bad('请至少填写一名被申请人', 'parties')
  if (refs.village) checkVillage(ctx, c.villageId)
  if (refs.mediators) checkMembers(ctx, c.mediatorIds, { roles: ['mediator'], what: '调解员', field: 'mediatorIds' })

  const needsMediation = c.status === 'mediating' || c.status === 'success' || c.status === 'failed'
  if (needsMediation && !c.mediatedOn) throw bad(`「${label}」的案件请填写调解日期`, 'mediatedOn')
  if (c.status === 'pending' && c.mediatedOn) throw bad('待调解的案件还没有调解日期；已开始调解请把状态改为「调解中」', 'mediatedOn')
  if (c.mediatedOn && c.mediatedOn < c.receivedOn) throw bad('调解日期不能早于受理日期', 'mediatedOn')
  if (c.mediatedOn && c.mediatedOn > today) throw bad('调解日期不能晚于今天', 'mediatedOn')

  const closed = closedStatuses.includes(c.status)
  if (closed && !c.closedOn) throw bad(c.status === 'referred' ? '请填写移交日期（结案日期）' : `「${label}」的案件请填写结案日期`, 'closedOn')
  if (!closed && c.closedOn) throw bad(`「${label}」的案件还没有结案，不能填写结案日期`, 'closedOn')
  if (c.closedOn && c.closedOn < (c.mediatedOn ?? c.receivedOn))
    throw bad(c.mediatedOn ? '结案日期不能早于调解日期' : '结案日期不能早于受理日期', 'closedOn')
  if (c.closedOn && c.closedOn > today) throw bad('结案日期不能晚于今天', 'closedOn')

  if (c.status === 'success') {
    if (!c.agreementForm) throw bad('调解成功的案件请选择协议形式（口头或书面）', 'agreementForm')
    if (c.agreementForm === 'written' && !c.agreement?.trim()) throw bad('书面协议请填写协议内容', 'agreement')
  } else {
    if (c.agreementForm || c.agreement?.trim()) throw bad(`「${label}」的案件没有调解协议，不能填写协议形式或内容`, 'agreementForm')
    if (c.fulfillment) throw bad('只有调解成功的案件才有履行情况', 'fulfillment')
    if (c.followUps.length) throw bad('只有调解成功的案件才需要回访', 'followUps')
  }
  for (const [i, f] of c.followUps.entries()) {
    if (c.closedOn && f.date < c.closedOn) throw bad('回访日期不能早于结案日期', `followUps.${i}.date`)
    if (f.date > today) throw bad('回访日期不能晚于今天', `followUps.${i}.date`)
  }
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

export const mediationHandlers: HandlerMap<
  'mediation.create' | 'mediation.get' | 'mediation.list' | 'mediation.update' | 'mediation.delete' | 'mediation.restore'
> = {
  'mediation.create': (input, ctx) =>
    ctx.db.transaction(() => {
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
        closedOn: input.closedOn ?? null,
      }
      checkCase(ctx, c, { village: true, mediators: true })
      if (input.caseNo && caseNoTaken(ctx, township, input.caseNo))
        throw new ApiError('duplicate', `案件编号「${input.caseNo}」已被使用（含已删除的案件），不能重复`, 'caseNo')
      const caseNo = input.caseNo ?? nextCaseNo(ctx, Number(input.receivedOn.slice(0, 4)))
      const row = insertRecord(ctx, 'mediation_cases', {
        caseNo,
        source: input.source,
        category: input.category,
        summary: input.summary,
        ...c,
        parties: JSON.stringify(c.parties),
        mediatorIds: JSON.stringify(c.mediatorIds),
        followUps: JSON.stringify(c.followUps),
      })
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
