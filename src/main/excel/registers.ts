import type { MethodName } from '../../shared/api/contract'
import type { ExcelRegister } from '../../shared/excel/columns'
import { roleLabels, type Role } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import { patrolModeLabels, type Patrol } from '../../shared/patrols/schema'
import { caseSourceLabels, caseStatusLabels, agreementFormLabels, fulfillmentLabels, type MediationCase } from '../../shared/mediation/schema'
import { aftercareKindLabels, placementLabels, riskLabels, type AftercarePerson, type AftercareVisit } from '../../shared/aftercare/schema'
import { parsePeriods, periodsText } from '../../shared/aftercare/lostContact'
import { registerByKey, type RecordTableName } from '../../shared/registers'
import type { ColumnDef, FieldKind } from '../../shared/registers/define'
import { maskIdNumber } from '../../shared/idNumber'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { memberHandlers, memberRow } from '../members/handlers'
import { patrolHandlers, patrolRow } from '../patrols/handlers'
import { caseRow, mediationHandlers } from '../mediation/handlers'
import { nextCaseNo } from '../mediation/caseNo'
import { aftercareHandlers, personRow, visitRow } from '../aftercare/handlers'
import { hazardHandlers } from '../hazards/handlers'
import { hazardRow } from '../hazards/write'

/**
 * What the importer and the exporter need to know about each register. Rules are NOT here: rows go
 * through the register's own zod input schema (from the contract) and its own create handler.
 * The table, the method names and whether the list takes fullId come from the register's definition
 * (src/shared/registers); what stays here is how sheet values become a create input and a record
 * becomes cells.
 *
 * The importer checks each row with the register's own create minus its write (`row`: memberRow,
 * patrolRow … exported beside the handler, which calls the same function), on its own connection and
 * without holding the write lock, then writes all rows in one statement (stage.ts). `handler` serves
 * the undo (delete) and the export (list).
 */
export type Values = Record<string, unknown>
type Raw = (input: never, ctx: Ctx) => unknown
type Op = 'create' | 'remove' | 'list'

export interface RegisterDef {
  table: RecordTableName
  create: MethodName
  remove: MethodName
  list: MethodName
  handler: (m: Op) => Raw
  /** the register's create without its write: every rule checked, the row to store returned; throws ApiError */
  row: (ctx: Ctx, input: never) => Record<string, unknown>
  /** stored fields holding references, and the table each points at (JSON arrays where many) */
  refs: { field: string; table: RecordTableName; many: boolean }[]
  /** a value the writer draws when the row has none (a case's number): column, and how to draw it */
  draw?: { column: string; next: (ctx: Ctx, row: Record<string, unknown>, taken: (value: string) => boolean) => string }
  /** converted sheet values → the create method's input */
  assemble: (v: Values) => Record<string, unknown>
  /**
   * A field old ledgers keep no column for although some rows need it (a village 调委会's ledger has no
   * 协议形式): when the sheet lacks the column, a row that needs it takes the clerk's choice for the
   * whole file (the wizard asks, CLI flag), else the default the wizard shows preselected.
   */
  absent?: { field: string; when: string; needs: (v: Values) => boolean; default: string }
  /** a create-input path (zod issue path or ApiError field) → the sheet field it came from */
  fieldOf: (path: string, input: Record<string, unknown>) => string
  /** a field that can come from another column instead (patrol start/end from a 巡逻时段 column) */
  alternatives?: Record<string, string>
  /** the stored column that must be unique in the register (the commit re-checks rows whose value appeared meanwhile) */
  unique?: string
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

/** What only the sheet side knows about a register; the rest is derived from its definition. */
type SheetSide = Omit<RegisterDef, 'table' | 'create' | 'remove' | 'list' | 'handler' | 'fullId' | 'fieldOf' | 'refs'> & {
  /** the register's handler map (src/main/<register>/handlers.ts) */
  handlers: object
  fieldOf?: RegisterDef['fieldOf']
}

/** the table a reference field points at, by its kind */
const refTables: Partial<Record<FieldKind, RecordTableName>> = {
  village: 'villages',
  grid: 'grids',
  unit: 'units',
  member: 'members',
  members: 'members',
  person: 'aftercare_people',
}

const methodOf = (api: string, m: Op) => `${api}.${m === 'remove' ? 'delete' : m}` as MethodName

function sheetRegister(key: ExcelRegister, side: SheetSide): RegisterDef {
  const definition = registerByKey[key]
  const { handlers, ...rest } = side
  const map = handlers as Record<string, Raw | undefined>
  const handler = (m: Op) => {
    const fn = map[methodOf(definition.api, m)]
    if (!fn) throw new Error(`register ${key} has no handler ${methodOf(definition.api, m)}`)
    return fn
  }
  // a typo in a definition's api shows when the program starts, not at the first import
  for (const m of ['create', 'remove', 'list'] as const) handler(m)
  const refs = definition.fields.flatMap((f) => {
    const table = refTables[f.kind]
    return table ? [{ field: f.key, table, many: f.kind === 'members' }] : []
  })
  return {
    table: definition.table as RecordTableName,
    refs,
    create: methodOf(definition.api, 'create'),
    remove: methodOf(definition.api, 'remove'),
    list: methodOf(definition.api, 'list'),
    handler,
    ...(definition.fullId ? { fullId: true } : {}),
    fieldOf: (p) => p.split('.')[0]!,
    ...rest,
  }
}

/** o without its undefined values (a loop: it runs once per imported row) */
function clean(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k in o) if (o[k] !== undefined) out[k] = o[k]
  return out
}
const joinNames = (xs: string[] | undefined) => (xs ?? []).join('、')
const importKeys = (key: ExcelRegister) => registerByKey[key].excel.filter((c) => !c.exportOnly && c.kind !== 'ignore').map((c) => c.key)

/** Sheet values → create input for a register whose columns are its fields one to one. */
function plainAssemble(key: ExcelRegister): (v: Values) => Record<string, unknown> {
  const keys = importKeys(key)
  return (v) => clean(Object.fromEntries(keys.map((k) => [k, v[k]])))
}

const plainKinds = new Set<ColumnDef['kind']>(['village', 'unit', 'grid', 'enum', 'bool', 'text', 'date', 'time'])

/** One export cell of a column that is a field of the record: coded values by label, references by name. */
function plainCell(c: ColumnDef, rec: Record<string, unknown>, names: Names): string | number | null {
  const v = rec[c.key]
  switch (c.kind) {
    case 'village':
      return (rec.villageName as string | null) ?? ''
    case 'unit':
      return names.unit((v as string | null) ?? null)
    case 'grid':
      return names.grid((v as string | null) ?? null)
    case 'enum':
      return typeof v === 'string' ? (c.options?.[v] ?? v) : ''
    case 'bool':
      return v ? '是' : '否'
    default:
      return (v as string | null | undefined) ?? null
  }
}

/** A record → export cells for a register whose columns are its fields one to one. */
function plainExport(key: ExcelRegister): RegisterDef['exportValues'] {
  const cols = registerByKey[key].excel.filter((c) => !c.importOnly && c.kind !== 'ignore')
  // members, people and ID columns are read from names the record carries: such a register writes its own
  for (const c of cols) if (!plainKinds.has(c.kind)) throw new Error(`register ${key}: column ${c.key} (${c.kind}) needs the register's own exportValues`)
  return (rec: Record<string, unknown>, names) => Object.fromEntries(cols.map((c) => [c.key, plainCell(c, rec, names)]))
}

const members = sheetRegister('members', {
  handlers: memberHandlers,
  row: memberRow,
  unique: 'idNumber',
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
})

const patrols = sheetRegister('patrols', {
  handlers: patrolHandlers,
  row: patrolRow,
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
})

const mediation = sheetRegister('mediation', {
  handlers: mediationHandlers,
  row: caseRow,
  unique: 'caseNo',
  // 人民调解法第二十八条: an agreement is written when a 协议书 is made, else oral and recorded by the mediator; a
  // ledger that has no 协议形式 column (nor the 协议书's content) is taken as recording oral ones unless the clerk says otherwise
  absent: { field: 'agreementForm', when: '调解成功的案件', needs: (v) => v.status === 'success', default: 'oral' },
  // a case without a number takes the township's next one when written, skipping numbers the file gives
  draw: {
    column: 'caseNo',
    next: (ctx, row, taken) => {
      for (;;) {
        const no = nextCaseNo(ctx, Number(String(row.receivedOn).slice(0, 4)))
        if (!taken(no)) return no
      }
    },
  },
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
      performanceMethod: v.performanceMethod,
      performancePlace: v.performancePlace,
      performanceDeadline: v.performanceDeadline,
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
      performanceMethod: c.performanceMethod,
      performancePlace: c.performancePlace,
      performanceDeadline: c.performanceDeadline,
      followUpOn: last?.date ?? null,
      followUpNote: last?.note ?? '',
      closedOn: c.closedOn,
    }
  },
  yearFilters: (y) => ({ year: y }),
})

const aftercare = sheetRegister('aftercare', {
  handlers: aftercareHandlers,
  row: personRow,
  unique: 'idNumber',
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
      // "2025-03-01至2025-04-10；…": a text the schema cannot read stays text, and its message says how to write it
      lostContactPeriods: typeof v.lostContactPeriods === 'string' && v.lostContactPeriods.trim() ? (parsePeriods(v.lostContactPeriods) ?? v.lostContactPeriods) : undefined,
      notes: v.notes,
      handoverOn: v.handoverOn,
      handover: v.handover,
      risk: v.risk,
      registeredAddress: v.registeredAddress,
      address: v.address,
    }),
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
    lostContactPeriods: periodsText(a.lostContactPeriods),
    notes: a.notes,
  }),
  yearFilters: (y) => ({ year: y }),
})

const visits = sheetRegister('visits', {
  handlers: aftercareHandlers,
  row: visitRow,
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
})

/** 安全隐患: its columns are its fields one to one, so the sheet side is derived from the definition too. */
const hazardAssemble = plainAssemble('hazards')
const hazards = sheetRegister('hazards', {
  handlers: hazardHandlers,
  row: hazardRow,
  // a ledger with a 销号日期 but no status column means the hazard was closed
  assemble: (v) => hazardAssemble({ ...v, status: v.status ?? (v.closedOn ? 'closed' : undefined) }),
  exportValues: plainExport('hazards'),
  yearFilters: (y) => ({ year: y }),
})

export const registerDefs: Record<ExcelRegister, RegisterDef> = { members, patrols, mediation, aftercare, visits, hazards }

/** For lists printed with masked numbers on request. */
export const maskId = maskIdNumber
