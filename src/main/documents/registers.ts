import { roles, type Role } from '../../shared/domain'
import type { Member } from '../../shared/members/schema'
import type { Patrol } from '../../shared/patrols/schema'
import type { MediationCase } from '../../shared/mediation/schema'
import type { AftercarePerson, AftercareVisit } from '../../shared/aftercare/schema'
import type { Hazard } from '../../shared/hazards/types'
import type { WordColumn, WordFormat } from '../../shared/registers/define'
import { membersRegister } from '../../shared/registers/members'
import { patrolsRegister } from '../../shared/registers/patrols'
import { mediationRegister } from '../../shared/registers/mediation'
import { aftercareRegister } from '../../shared/registers/aftercare'
import { visitsRegister } from '../../shared/registers/visits'
import { hazardsRegister } from '../../shared/registers/hazards'
import { naturalCompare } from '../../shared/documents/cnText'
import { listAll } from './data'
import type { TableSpec } from './format'
import { yearRange, type DocContext } from './common'

/**
 * The registers as tables: each function reads its register for the year (and village) and returns
 * the table in the order a clerk files it. Which records and in what order is decided here; the
 * columns (titles, widths, cell values) are the register definition's `word` columns
 * (src/shared/registers), after a 序号 column. The stand-alone register documents and the dossier's
 * sections share them.
 */
/** Column widths are relative; on a register page they read as hundreds of twips (its body is 14,968 wide). */
export interface RegisterTable {
  spec: TableSpec
  count: number
}

/** 序号, then the definition's columns, each cell read from the record the document's way. */
function registerTable<R>(columns: WordColumn<R>[], rows: R[], f: WordFormat, seqWidth = 6): RegisterTable {
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [{ title: '序号', width: seqWidth }, ...columns.map((c) => ({ title: c.title, width: c.width, ...(c.align ? { align: c.align } : {}) }))],
      rows: rows.map((r) => columns.map((c) => c.value(r, f))),
      // the 填表人 line after a register comes onto the page of its last two rows
      keepEnd: 2,
    },
  }
}

/** Some of a definition's columns by title, at other widths (a narrower table inside a portrait case file). */
function pick<R>(columns: WordColumn<R>[], widths: Record<string, number>): WordColumn<R>[] {
  return Object.entries(widths).map(([title, width]) => {
    const c = columns.find((x) => x.title === title)
    if (!c) throw new Error(`no Word column ${title}`)
    return { ...c, width }
  })
}

const roleRank = (rs: Role[]) => Math.min(...rs.map((r) => roles.indexOf(r)), roles.length)

/** members on the roll during the year: joined by 31 Dec, not left before 1 Jan */
export async function membersTable(d: DocContext): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const filters = d.village ? { villageId: d.village.id } : {}
  const all = await listAll<Member>(d.ctx, 'members.list', { filters, fullId: d.fullId, sort: [{ field: 'name', dir: 'asc' }] }, membersRegister.title)
  const rows = all
    .filter((m) => m.joinedOn <= to && (!m.leftOn || m.leftOn >= from))
    .sort(
      (a, b) =>
        naturalCompare(a.villageName ?? '\uffff', b.villageName ?? '\uffff') ||
        roleRank(a.roles) - roleRank(b.roles) ||
        a.joinedOn.localeCompare(b.joinedOn) ||
        a.name.localeCompare(b.name, 'zh-CN'),
    )
  return registerTable(membersRegister.word, rows, await d.wordFormat())
}

/** patrols dated in the year, oldest first */
export async function patrolsTable(d: DocContext): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const rows = await listAll<Patrol>(
    d.ctx,
    'patrols.list',
    {
      filters: { dateFrom: from, dateTo: to, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [
        { field: 'date', dir: 'asc' },
        { field: 'startTime', dir: 'asc' },
      ],
    },
    patrolsRegister.title,
  )
  return registerTable(patrolsRegister.word, rows, await d.wordFormat())
}

/** cases received in the year, in order of receipt */
export async function mediationTable(d: DocContext): Promise<RegisterTable> {
  const rows = await listAll<MediationCase>(
    d.ctx,
    'mediation.list',
    {
      filters: { year: d.year, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [
        { field: 'receivedOn', dir: 'asc' },
        { field: 'caseNo', dir: 'asc' },
      ],
    },
    mediationRegister.title,
  )
  return registerTable(mediationRegister.word, rows, await d.wordFormat())
}

export async function aftercarePeople(d: DocContext): Promise<AftercarePerson[]> {
  return listAll<AftercarePerson>(
    d.ctx,
    'aftercare.people.list',
    {
      filters: { year: d.year, ...(d.village ? { villageId: d.village.id } : {}) },
      fullId: d.fullId,
      sort: [{ field: 'releasedOn', dir: 'asc' }],
    },
    aftercareRegister.title,
  )
}

/** people under aftercare in the year (帮教对象花名册) */
export async function aftercareTable(d: DocContext, people?: AftercarePerson[]): Promise<RegisterTable> {
  const rows = people ?? (await aftercarePeople(d))
  return registerTable(aftercareRegister.word, rows, await d.wordFormat())
}

/** one person's visits in a portrait 帮教档案: no name or village column, room for what was said */
const personVisitColumns = pick(visitsRegister.word, { 走访日期: 12, 走访人员: 18, 走访内容: 65 })

/** visits dated in the year, oldest first (走访记录); or all of one person's visits */
export async function visitsTable(d: DocContext, personId?: string): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const rows = await listAll<AftercareVisit>(
    d.ctx,
    'aftercare.visits.list',
    {
      filters: personId ? { personId } : { dateFrom: from, dateTo: to, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [{ field: 'date', dir: 'asc' }],
    },
    visitsRegister.title,
  )
  const f = await d.wordFormat()
  return personId ? registerTable(personVisitColumns, rows, f, 5) : registerTable(visitsRegister.word, rows, f)
}

/** hazards found in the year (by 发现日期), oldest first */
export async function hazardsTable(d: DocContext): Promise<RegisterTable & { hazards: Hazard[] }> {
  const hazards = await listAll<Hazard>(
    d.ctx,
    'hazards.list',
    {
      filters: { year: d.year, ...(d.village ? { villageId: d.village.id } : {}) },
      sort: [{ field: 'foundOn', dir: 'asc' }],
    },
    hazardsRegister.title,
  )
  return { ...registerTable(hazardsRegister.word, hazards, await d.wordFormat()), hazards }
}
