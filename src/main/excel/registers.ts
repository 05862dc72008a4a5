import type { MethodName } from '../../shared/api/contract'
import type { ExcelRegister } from '../../shared/excel/columns'
import { roleLabels, type Role } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import { patrolModeLabels, type Patrol } from '../../shared/patrols/schema'
import { caseSourceLabels, caseStatusLabels, agreementFormLabels, fulfillmentLabels, type MediationCase } from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels, riskLabels, type AftercarePerson, type AftercareVisit } from '../../shared/aftercare/schema'
import { maskIdNumber } from '../../shared/idNumber'
import type { Ctx } from '../context'
import type { RecordTableName } from '../db/types'
import { prepared } from '../db/query'
import { memberHandlers } from '../members/handlers'
import { patrolHandlers } from '../patrols/handlers'
import { mediationHandlers } from '../mediation/handlers'
import { aftercareHandlers } from '../aftercare/handlers'

/**
 * What the importer and the exporter need to know about each register. Rules are NOT here: rows go
 * through the register's own zod input schema (from the contract) and its own create handler.
 */
export type Values = Record<string, unknown>
type Raw = (input: never, ctx: Ctx) => unknown

export interface RegisterDef {
  table: RecordTableName
  what: string
  create: MethodName
  remove: MethodName
  list: MethodName
  handler: (m: 'create' | 'remove' | 'list') => Raw
  /** converted sheet values → the create method's input */
  assemble: (v: Values) => Record<string, unknown>
  /** a create-input path (zod issue path or ApiError field) → the sheet field it came from */
  fieldOf: (path: string, input: Record<string, unknown>) => string
  /** a field that can come from another column instead (patrol start/end from a 巡逻时段 column) */
  alternatives?: Record<string, string>
  /** the value that must be unique within a file, and its field */
  dedupe?: (v: Values) => { key: string; field: string } | null
  /** a record as the list method returns it → export cells by column key (dates as YYYY-MM-DD) */
  exportValues: (rec: never, names: Names) => Record<string, string | number | null>
  /** the list filters that select a year */
  yearFilters?: (year: number) => Record<string, unknown>
  /** for registers whose list has no year filter: does this record belong to the year */
  inYear?: (rec: never, year: number) => boolean
  /** the list takes fullId */
  fullId?: boolean
  /** the field of the record's date, for the file title's year when none is given */
  dateField?: string
}

export interface Names {
  grid: (id: string | null) => string
  unit: (id: string | null) => string
}

export function namesFor(ctx: Ctx): Names {
  const grids = new Map((prepared(ctx.db, 'SELECT id, name FROM grids').all() as { id: string; name: string }[]).map((g) => [g.id, g.name]))
  const units = new Map((prepared(ctx.db, 'SELECT id, name FROM units').all() as { id: string; name: string }[]).map((u) => [u.id, u.name]))
  return { grid: (id) => (id ? grids.get(id) ?? '' : ''), unit: (id) => (id ? units.get(id) ?? '' : '') }
}

const h = <T extends object>(map: T, names: Record<'create' | 'remove' | 'list', keyof T>) => (m: 'create' | 'remove' | 'list') =>
  map[names[m]] as unknown as Raw

const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
const joinNames = (xs: string[] | undefined) => (xs ?? []).join('、')

const members: RegisterDef = {
  table: 'members',
  what: '成员',
  create: 'members.create',
  remove: 'members.delete',
  list: 'members.list',
  handler: h(memberHandlers, { create: 'members.create', remove: 'members.delete', list: 'members.list' }),
  fullId: true,
  assemble: (v) =>
    clean({
      name: v.name,
      idNumber: v.idNumber,
      phone: v.phone,
      villageId: v.villageId ?? null,
      gridId: v.gridId ?? null,
      unitId: v.unitId ?? null,
      roles: v.roles,
      joinedOn: v.joinedOn,
      leftOn: v.leftOn ?? null,
      notes: v.notes,
    }),
  fieldOf: (p) => p.split('.')[0]!,
  dedupe: (v) => (typeof v.idNumber === 'string' && v.idNumber ? { key: v.idNumber.toUpperCase(), field: 'idNumber' } : null),
  exportValues: (m: Member, names) => ({
    name: m.name,
    idNumber: m.idNumber,
    sex: m.sex === 'male' ? '男' : '女',
    phone: m.phone,
    villageId: m.villageName ?? '',
    gridId: names.grid(m.gridId),
    unitId: names.unit(m.unitId),
    roles: m.roles.map((r: Role) => roleLabels[r]).join('、'),
    joinedOn: m.joinedOn,
    leftOn: m.leftOn,
    notes: m.notes,
  }),
  inYear: (m: Member, y) => m.joinedOn <= `${y}-12-31` && (!m.leftOn || m.leftOn >= `${y}-01-01`),
}

const patrols: RegisterDef = {
  table: 'patrols',
  what: '巡逻记录',
  create: 'patrols.create',
  remove: 'patrols.delete',
  list: 'patrols.list',
  handler: h(patrolHandlers, { create: 'patrols.create', remove: 'patrols.delete', list: 'patrols.list' }),
  dateField: 'date',
  alternatives: { startTime: 'time', endTime: 'time' },
  assemble: (v) => {
    const range = v.time as { start: string; end: string } | undefined
    const memberIds = [...((v.memberIds as string[] | undefined) ?? [])]
    // the leader is one of the patrol's members: a sheet that lists them apart still means that
    if (typeof v.leaderId === 'string' && !memberIds.includes(v.leaderId)) memberIds.unshift(v.leaderId)
    return clean({
      villageId: v.villageId,
      date: v.date,
      startTime: v.startTime ?? range?.start,
      endTime: v.endTime ?? range?.end,
      mode: v.mode ?? 'foot',
      route: v.route,
      leaderId: v.leaderId,
      memberIds: memberIds.length ? memberIds : undefined,
      findings: v.findings,
      handling: v.handling,
    })
  },
  fieldOf: (p) => p.split('.')[0]!,
  exportValues: (p: Patrol) => ({
    date: p.date,
    startTime: p.startTime,
    endTime: p.endTime,
    villageId: p.villageName ?? '',
    mode: patrolModeLabels[p.mode],
    route: p.route,
    leaderId: p.leaderName ?? '',
    memberIds: joinNames(p.memberNames),
    findings: p.findings,
    handling: p.handling,
  }),
  yearFilters: (y) => ({ dateFrom: `${y}-01-01`, dateTo: `${y}-12-31` }),
}

const mediation: RegisterDef = {
  table: 'mediation_cases',
  what: '矛盾纠纷案件',
  create: 'mediation.create',
  remove: 'mediation.delete',
  list: 'mediation.list',
  handler: h(mediationHandlers, { create: 'mediation.create', remove: 'mediation.delete', list: 'mediation.list' }),
  dateField: 'receivedOn',
  assemble: (v) => {
    const parties: Record<string, unknown>[] = []
    for (const side of ['applicant', 'respondent'] as const) {
      const names = String(v[`${side}s`] ?? '')
        .split(/[、,，;；]+/)
        .map((s) => s.trim())
        .filter(Boolean)
      names.forEach((name, i) =>
        parties.push(
          clean({
            name,
            side,
            // an ID or phone column belongs to the party when the cell names one person
            idNumber: i === 0 && names.length === 1 ? (v[`${side}Id`] ?? null) : null,
            phone: i === 0 && names.length === 1 ? v[`${side}Phone`] : undefined,
          }),
        ),
      )
    }
    const followUps = v.followUpOn || v.followUpNote ? [clean({ date: v.followUpOn, note: v.followUpNote ?? '已回访' })] : undefined
    return clean({
      caseNo: v.caseNo,
      receivedOn: v.receivedOn,
      source: v.source ?? 'application',
      category: v.category,
      villageId: v.villageId,
      summary: v.summary,
      parties,
      mediatorIds: v.mediatorIds,
      status: v.status,
      mediatedOn: v.mediatedOn,
      agreementForm: v.agreementForm,
      agreement: v.agreement,
      fulfillment: v.fulfillment,
      followUps,
      closedOn: v.closedOn,
    })
  },
  fieldOf: (p, input) => {
    const [head, i, leaf] = p.split('.')
    if (head === 'parties') {
      const party = (input.parties as { side?: string }[] | undefined)?.[Number(i)]
      const side = party?.side === 'respondent' ? 'respondent' : 'applicant'
      if (leaf === 'idNumber') return `${side}Id`
      if (leaf === 'phone') return `${side}Phone`
      return i === undefined ? 'applicants' : `${side}s`
    }
    if (head === 'followUps') return leaf === 'note' ? 'followUpNote' : 'followUpOn'
    return head!
  },
  dedupe: (v) => (typeof v.caseNo === 'string' && v.caseNo ? { key: v.caseNo, field: 'caseNo' } : null),
  exportValues: (c: MediationCase) => {
    const side = (s: string) => c.parties.filter((p) => p.side === s)
    const one = (s: string) => (side(s).length === 1 ? side(s)[0]! : null)
    const last = c.followUps[c.followUps.length - 1]
    return {
      caseNo: c.caseNo,
      receivedOn: c.receivedOn,
      source: caseSourceLabels[c.source],
      category: c.category,
      villageId: c.villageName ?? '',
      applicants: side('applicant').map((p) => p.name).join('、'),
      applicantId: one('applicant')?.idNumber ?? '',
      applicantPhone: one('applicant')?.phone ?? '',
      respondents: side('respondent').map((p) => p.name).join('、'),
      respondentId: one('respondent')?.idNumber ?? '',
      respondentPhone: one('respondent')?.phone ?? '',
      summary: c.summary,
      mediatorIds: joinNames(c.mediatorNames),
      status: caseStatusLabels[c.status],
      mediatedOn: c.mediatedOn,
      agreementForm: c.agreementForm ? agreementFormLabels[c.agreementForm] : '',
      agreement: c.agreement ?? '',
      fulfillment: c.fulfillment ? fulfillmentLabels[c.fulfillment] : '',
      followUpOn: last?.date ?? null,
      followUpNote: last?.note ?? '',
      closedOn: c.closedOn,
    }
  },
  yearFilters: (y) => ({ year: y }),
}

const aftercare: RegisterDef = {
  table: 'aftercare_people',
  what: '帮教对象',
  create: 'aftercare.people.create',
  remove: 'aftercare.people.delete',
  list: 'aftercare.people.list',
  handler: h(aftercareHandlers, { create: 'aftercare.people.create', remove: 'aftercare.people.delete', list: 'aftercare.people.list' }),
  fullId: true,
  assemble: (v) =>
    clean({
      name: v.name,
      idNumber: v.idNumber,
      kind: v.kind,
      crime: v.crime,
      sentence: v.sentence,
      releasedOn: v.releasedOn,
      aftercareUntil: v.aftercareUntil,
      villageId: v.villageId,
      placement: v.placement ?? (v.unplacedReason ? 'unplaced' : undefined),
      unplacedReason: v.unplacedReason,
      helperIds: v.helperIds,
      reoffendedOn: v.reoffendedOn,
      lostContact: v.lostContact,
      notes: v.notes,
      handoverOn: v.handoverOn,
      handover: v.handover,
      risk: v.risk,
      registeredAddress: v.registeredAddress,
      address: v.address,
    }),
  fieldOf: (p) => p.split('.')[0]!,
  dedupe: (v) => (typeof v.idNumber === 'string' && v.idNumber ? { key: v.idNumber.toUpperCase(), field: 'idNumber' } : null),
  exportValues: (a: AftercarePerson) => ({
    name: a.name,
    idNumber: a.idNumber,
    kind: aftercareKindLabels[a.kind],
    crime: a.crime,
    sentence: a.sentence,
    releasedOn: a.releasedOn,
    aftercareUntil: a.aftercareUntil,
    villageId: a.villageName ?? '',
    placement: placementLabels[a.placement],
    unplacedReason: a.unplacedReason,
    helperIds: joinNames(a.helperNames),
    handoverOn: a.handoverOn,
    handover: a.handover,
    risk: riskLabels[a.risk],
    registeredAddress: a.registeredAddress,
    address: a.address,
    reoffendedOn: a.reoffendedOn,
    lostContact: a.lostContact ? '是' : '否',
    notes: a.notes,
  }),
  yearFilters: (y) => ({ year: y }),
}

const visits: RegisterDef = {
  table: 'aftercare_visits',
  what: '帮教走访记录',
  create: 'aftercare.visits.create',
  remove: 'aftercare.visits.delete',
  list: 'aftercare.visits.list',
  handler: h(aftercareHandlers, { create: 'aftercare.visits.create', remove: 'aftercare.visits.delete', list: 'aftercare.visits.list' }),
  dateField: 'date',
  alternatives: { personName: 'personIdNumber' },
  assemble: (v) => clean({ personId: v.personName, date: v.date, helperIds: v.helperIds, content: v.content }),
  fieldOf: (p) => {
    const head = p.split('.')[0]!
    return head === 'personId' ? 'personName' : head
  },
  exportValues: (w: AftercareVisit & { personIdNumber?: string }) => ({
    personName: w.personName ?? '',
    personIdNumber: w.personIdNumber ?? '',
    date: w.date,
    helperIds: joinNames(w.helperNames),
    content: w.content,
  }),
  yearFilters: (y) => ({ dateFrom: `${y}-01-01`, dateTo: `${y}-12-31` }),
}

export const registerDefs: Record<ExcelRegister, RegisterDef> = { members, patrols, mediation, aftercare, visits }

/** For lists printed with masked numbers on request. */
export const maskId = maskIdNumber
