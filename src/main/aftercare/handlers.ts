import { AFTERCARE_YEARS, addYears, type AftercarePerson, type AftercareVisit } from '../../shared/aftercare/schema'
import { lostNow, periodsRefusal, sortPeriods, type LostContactPeriod } from '../../shared/aftercare/lostContact'
import { ApiError } from '../../shared/errors'
import type { HandlerMap } from '../api/handlers-type'
import type { ParsedInput } from '../../shared/api/contract'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import { checkVillage } from '../org/refs'
import { checkMembers, unique } from '../members/refs'
import { listPeople, listVisits, toPeople, toVisits } from './queries'
import type { AftercarePeopleTable, AftercareVisitsTable } from './table'

const PERSON = '帮教对象'
const VISIT = '走访记录'

function loadPerson(ctx: Ctx, id: string, fullId = true): AftercarePerson {
  const row = prepared(
    ctx.db,
    `SELECT a.*, v.name AS villageName,
       (SELECT max(date) FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL) AS lastVisitOn,
       (SELECT count(*) FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL) AS visitCount
     FROM aftercare_people a LEFT JOIN villages v ON v.id = a.villageId WHERE a.id = ?`,
  ).get(id) as (AftercarePeopleTable & { villageName: string | null; lastVisitOn: string | null; visitCount: number }) | undefined
  if (!row) throw new ApiError('not_found', `找不到这名${PERSON}`, 'id')
  return toPeople(ctx, [row], fullId)[0]!
}

function loadVisit(ctx: Ctx, id: string): AftercareVisit {
  const row = prepared(
    ctx.db,
    `SELECT w.*, a.name AS personName, v.name AS villageName FROM aftercare_visits w
     LEFT JOIN aftercare_people a ON a.id = w.personId LEFT JOIN villages v ON v.id = a.villageId WHERE w.id = ?`,
  ).get(id) as (AftercareVisitsTable & { personName: string | null; villageName: string | null }) | undefined
  if (!row) throw new ApiError('not_found', `找不到这条${VISIT}`, 'id')
  return toVisits(ctx, [row])[0]!
}

const bad = (message: string, field: string) => new ApiError('invalid_input', message, field)

type PersonValues = Omit<AftercarePeopleTable, 'id' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'township'>

function checkPerson(ctx: Ctx, p: PersonValues, selfId: string | null, refs: { village: boolean; helpers: boolean }): void {
  const today = ctx.today()
  if (p.aftercareUntil < p.releasedOn) throw bad('帮教期满日期不能早于释放（矫正开始）日期', 'aftercareUntil')
  if (p.placement === 'unplaced' && !p.unplacedReason.trim()) throw bad('未安置的请填写未安置原因', 'unplacedReason')
  if (p.reoffendedOn && p.reoffendedOn < p.releasedOn) throw bad('重新犯罪日期不能早于释放（矫正开始）日期', 'reoffendedOn')
  if (p.reoffendedOn && p.reoffendedOn > today) throw bad('重新犯罪日期不能晚于今天', 'reoffendedOn')
  if (p.handoverOn && p.handoverOn > today) throw bad('衔接日期不能晚于今天', 'handoverOn')
  const why = periodsRefusal(JSON.parse(p.lostContactPeriods) as LostContactPeriod[], p.releasedOn, today)
  if (why) throw bad(why, 'lostContactPeriods')
  if (refs.village) checkVillage(ctx, p.villageId)
  if (refs.helpers) checkMembers(ctx, JSON.parse(p.helperIds) as string[], { roles: ['aftercare_helper'], what: '帮教人员', field: 'helperIds', on: today })
  const dup = prepared(ctx.db, 'SELECT name FROM aftercare_people WHERE idNumber = ? AND deletedAt IS NULL AND id IS NOT ?').get(p.idNumber, selfId) as
    | { name: string }
    | undefined
  if (dup) throw new ApiError('duplicate', `该身份证号已登记为帮教对象「${dup.name}」，请修改原记录，不要重复登记`, 'idNumber')
}

/**
 * The periods to store and the flag kept in step with them. Periods sent win; the flag sent alone
 * (older forms, sheets with only 是/否, the CLI) opens a period today or closes the open one today.
 * Both sent must agree, so a clerk never saves a contradiction.
 */
function lostContactOf(
  ctx: Ctx,
  current: LostContactPeriod[],
  sent: { periods?: LostContactPeriod[]; flag?: boolean },
): { lostContactPeriods: string; lostContact: number } {
  let periods = current
  if (sent.periods) {
    periods = sent.periods.map((p) => ({ from: p.from, to: p.to, ...(p.note ? { note: p.note } : {}) }))
    if (sent.flag === true && !lostNow(periods))
      throw bad('已标为“脱管漏管”，请在脱管漏管时段中填写开始日期（尚未结束的不填结束日期）', 'lostContactPeriods')
    if (sent.flag === false && lostNow(periods)) throw bad('脱管漏管时段中有尚未结束的时段，请填写结束日期，或标为“脱管漏管”', 'lostContactPeriods')
  } else if (sent.flag === true && !lostNow(periods)) periods = [...periods, { from: ctx.today(), to: null }]
  else if (sent.flag === false && lostNow(periods)) periods = periods.map((p) => (p.to === null ? { ...p, to: ctx.today() } : p))
  const sorted = sortPeriods(periods)
  return { lostContactPeriods: JSON.stringify(sorted), lostContact: lostNow(sorted) ? 1 : 0 }
}

/**
 * The rows a create writes, after every rule; they write nothing. The Excel import checks its rows
 * with them (excel/registers.ts) and writes them in one statement.
 */
export function personRow(ctx: Ctx, input: ParsedInput<'aftercare.people.create'>): PersonValues {
  const p: PersonValues = {
    name: input.name,
    idNumber: input.idNumber,
    kind: input.kind,
    crime: input.crime,
    sentence: input.sentence,
    releasedOn: input.releasedOn,
    aftercareUntil: input.aftercareUntil ?? addYears(input.releasedOn, AFTERCARE_YEARS),
    villageId: input.villageId,
    placement: input.placement,
    unplacedReason: input.placement === 'unplaced' ? input.unplacedReason : '',
    helperIds: JSON.stringify(unique(input.helperIds)),
    reoffendedOn: input.reoffendedOn ?? null,
    ...lostContactOf(ctx, [], { periods: input.lostContactPeriods, flag: input.lostContact }),
    notes: input.notes,
    handoverOn: input.handoverOn ?? null,
    handover: input.handover,
    risk: input.risk,
    registeredAddress: input.registeredAddress,
    address: input.address,
  }
  checkPerson(ctx, p, null, { village: true, helpers: true })
  return p
}

export function visitRow(ctx: Ctx, input: ParsedInput<'aftercare.visits.create'>) {
  const person = getRow<AftercarePeopleTable>(ctx, 'aftercare_people', input.personId)
  if (!person || person.deletedAt) throw bad('所选的帮教对象不存在或已删除', 'personId')
  const earliest = person.handoverOn && person.handoverOn < person.releasedOn ? person.handoverOn : person.releasedOn
  if (input.date < earliest) throw bad(`走访日期不能早于${person.handoverOn && person.handoverOn < person.releasedOn ? '衔接' : '释放（矫正开始）'}日期 ${earliest}`, 'date')
  if (input.date > ctx.today()) throw bad('走访日期不能晚于今天', 'date')
  const helperIds = unique(input.helperIds)
  checkMembers(ctx, helperIds, { roles: ['aftercare_helper'], what: '帮教人员', field: 'helperIds', on: input.date })
  return { personId: input.personId, date: input.date, helperIds: JSON.stringify(helperIds), content: input.content }
}

export const aftercareHandlers: HandlerMap<
  | 'aftercare.people.create'
  | 'aftercare.people.get'
  | 'aftercare.people.list'
  | 'aftercare.people.update'
  | 'aftercare.people.delete'
  | 'aftercare.people.restore'
  | 'aftercare.visits.create'
  | 'aftercare.visits.list'
  | 'aftercare.visits.delete'
  | 'aftercare.visits.restore'
> = {
  'aftercare.people.create': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = insertRecord(ctx, 'aftercare_people', personRow(ctx, input))
      return loadPerson(ctx, row.id)
    })(),
  'aftercare.people.get': (input, ctx) => {
    getLiveRow(ctx, 'aftercare_people', input.id, PERSON)
    return loadPerson(ctx, input.id, input.fullId !== false)
  },
  'aftercare.people.list': (input, ctx) => listPeople(ctx, input),
  'aftercare.people.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getLiveRow<AftercarePeopleTable>(ctx, 'aftercare_people', input.id, PERSON)
      const { id, helperIds, lostContact, lostContactPeriods, ...rest } = input
      const patch: Record<string, string | number | null> = {}
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) patch[k] = v as string | null
      if (helperIds) patch.helperIds = JSON.stringify(unique(helperIds))
      if (lostContact !== undefined || lostContactPeriods !== undefined) {
        const next = lostContactOf(ctx, JSON.parse(old.lostContactPeriods) as LostContactPeriod[], { periods: lostContactPeriods, flag: lostContact })
        if (next.lostContactPeriods !== old.lostContactPeriods) patch.lostContactPeriods = next.lostContactPeriods
        if (next.lostContact !== old.lostContact) patch.lostContact = next.lostContact
      }
      // a period left at its default follows a corrected release date
      if (input.releasedOn && input.aftercareUntil === undefined && old.aftercareUntil === addYears(old.releasedOn, AFTERCARE_YEARS))
        patch.aftercareUntil = addYears(input.releasedOn, AFTERCARE_YEARS)
      const merged = { ...old, ...patch } as AftercarePeopleTable
      if (merged.placement !== 'unplaced') patch.unplacedReason = merged.unplacedReason = ''
      checkPerson(ctx, merged, id, { village: merged.villageId !== old.villageId, helpers: merged.helperIds !== old.helperIds })
      updateRecord(ctx, 'aftercare_people', id, patch, PERSON)
      return loadPerson(ctx, id)
    })(),
  'aftercare.people.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'aftercare_people', input.id, PERSON))(),
  'aftercare.people.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = getRow<AftercarePeopleTable>(ctx, 'aftercare_people', input.id)
      if (row?.deletedAt) checkPerson(ctx, row, row.id, { village: true, helpers: false })
      restoreRecord(ctx, 'aftercare_people', input.id, PERSON)
      return loadPerson(ctx, input.id)
    })(),

  'aftercare.visits.create': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = insertRecord(ctx, 'aftercare_visits', visitRow(ctx, input))
      return loadVisit(ctx, row.id)
    })(),
  'aftercare.visits.list': (input, ctx) => listVisits(ctx, input),
  'aftercare.visits.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'aftercare_visits', input.id, VISIT))(),
  'aftercare.visits.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      restoreRecord(ctx, 'aftercare_visits', input.id, VISIT)
      return loadVisit(ctx, input.id)
    })(),
}
