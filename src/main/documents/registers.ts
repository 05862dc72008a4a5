import { roles, type Role } from '../../shared/domain'
import type { Hazard } from '../../shared/hazards/types'
import type { WordColumn, WordFormat } from '../../shared/registers/define'
import { membersRegister } from '../../shared/registers/members'
import { patrolsRegister } from '../../shared/registers/patrols'
import { mediationRegister } from '../../shared/registers/mediation'
import { aftercareRegister } from '../../shared/registers/aftercare'
import { visitsRegister } from '../../shared/registers/visits'
import { hazardsRegister } from '../../shared/registers/hazards'
import { naturalCompare } from '../../shared/documents/cnText'
import { eachCase, eachHazard, eachMember, eachPatrol, eachPerson, eachVisit } from './rows'
import type { TableSpec } from './format'
import { yearRange, type DocContext } from './common'

/**
 * The registers as tables: each function reads its register for the year (and village) and returns
 * the table in the order a clerk files it. Which records and in what order is decided here; the
 * columns (titles, widths, cell values) are the register definition's `word` columns
 * (src/shared/registers), after a 序号 column. The stand-alone register documents and the dossier's
 * sections share them. Records come from rows.ts one at a time and only their cells are kept: a
 * dossier of 10,000 rows a register never holds the records themselves (issue 15.5).
 */
/** Column widths are relative; on a register page they read as hundreds of twips (its body is 14,968 wide). */
export interface RegisterTable {
  spec: TableSpec
  count: number
}

/** 序号, then the definition's columns, each cell read from the record the document's way. */
function registerTable<R>(columns: WordColumn<R>[], rows: string[][], seqWidth = 6): RegisterTable {
  return {
    count: rows.length,
    spec: {
      numbered: true,
      columns: [{ title: '序号', width: seqWidth }, ...columns.map((c) => ({ title: c.title, width: c.width, ...(c.align ? { align: c.align } : {}) }))],
      rows,
      // the 填表人 line after a register comes onto the page of its last two rows
      keepEnd: 2,
    },
  }
}

/** a record's cells: what its table keeps of it (the record itself is let go at once) */
const cellsOf = <R>(columns: WordColumn<R>[], f: WordFormat) => (r: R): string[] => columns.map((c) => c.value(r, f))

/** Some of a definition's columns by title, at other widths (a narrower table inside a portrait case file). */
function pick<R>(columns: WordColumn<R>[], widths: Record<string, number>): WordColumn<R>[] {
  return Object.entries(widths).map(([title, width]) => {
    const c = columns.find((x) => x.title === title)
    if (!c) throw new Error(`no Word column ${title}`)
    return { ...c, width }
  })
}

const roleRank = (rs: Role[]) => Math.min(...rs.map((r) => roles.indexOf(r)), roles.length)
/** the same order as localeCompare(b, 'zh-CN'), without making a collator per comparison */
const zh = new Intl.Collator('zh-CN').compare

/** members on the roll during the year: joined by 31 Dec, not left before 1 Jan */
export async function membersTable(d: DocContext): Promise<RegisterTable> {
  const { from, to } = yearRange(d.year)
  const cells = cellsOf(membersRegister.word, await d.wordFormat())
  // each member's sort keys and cells; the village's place among the villages' names is found once per village
  const rows: { village: string; role: number; joinedOn: string; name: string; cells: string[] }[] = []
  eachMember(d.ctx, { villageId: d.village?.id, fullId: d.fullId }, (m) => {
    if (m.joinedOn <= to && (!m.leftOn || m.leftOn >= from)) rows.push({ village: m.villageName ?? '\uffff', role: roleRank(m.roles), joinedOn: m.joinedOn, name: m.name, cells: cells(m) })
  })
  const names = [...new Set(rows.map((r) => r.village))].sort(naturalCompare)
  const rank = new Map<string, number>()
  names.forEach((n, i) => rank.set(n, i > 0 && naturalCompare(names[i - 1]!, n) === 0 ? rank.get(names[i - 1]!)! : i))
  rows.sort((a, b) => rank.get(a.village)! - rank.get(b.village)! || a.role - b.role || a.joinedOn.localeCompare(b.joinedOn) || zh(a.name, b.name))
  return registerTable(membersRegister.word, rows.map((r) => r.cells))
}

/** patrols dated in the year, oldest first */
export async function patrolsTable(d: DocContext): Promise<RegisterTable> {
  const cells = cellsOf(patrolsRegister.word, await d.wordFormat())
  const rows: string[][] = []
  eachPatrol(d.ctx, { ...yearRange(d.year), villageId: d.village?.id }, (p) => rows.push(cells(p)))
  return registerTable(patrolsRegister.word, rows)
}

/** cases received in the year, in order of receipt */
export async function mediationTable(d: DocContext): Promise<RegisterTable> {
  const cells = cellsOf(mediationRegister.word, await d.wordFormat())
  const rows: string[][] = []
  eachCase(d.ctx, { year: d.year, villageId: d.village?.id }, (c) => rows.push(cells(c)))
  return registerTable(mediationRegister.word, rows)
}

/** people under aftercare in the year (帮教对象花名册), by release date */
export async function aftercareTable(d: DocContext): Promise<RegisterTable> {
  const cells = cellsOf(aftercareRegister.word, await d.wordFormat())
  const rows: string[][] = []
  eachPerson(d.ctx, { year: d.year, villageId: d.village?.id, fullId: d.fullId }, (p) => rows.push(cells(p)))
  return registerTable(aftercareRegister.word, rows)
}

/** one person's visits in a portrait 帮教档案: no name or village column, room for what was said */
const personVisitColumns = pick(visitsRegister.word, { 走访日期: 12, 走访人员: 18, 走访内容: 65 })

/** visits dated in the year, oldest first (走访记录); or all of one person's visits */
export async function visitsTable(d: DocContext, personId?: string): Promise<RegisterTable> {
  const columns = personId ? personVisitColumns : visitsRegister.word
  const cells = cellsOf(columns, await d.wordFormat())
  const rows: string[][] = []
  eachVisit(d.ctx, personId ? { personId } : { ...yearRange(d.year), villageId: d.village?.id }, (v) => rows.push(cells(v)))
  return personId ? registerTable(columns, rows, 5) : registerTable(columns, rows)
}

/** hazards found in the year (by 发现日期), oldest first */
export async function hazardsTable(d: DocContext): Promise<RegisterTable & { hazards: Hazard[] }> {
  const hazards: Hazard[] = []
  eachHazard(d.ctx, { year: d.year, villageId: d.village?.id }, (h) => hazards.push(h))
  return { ...registerTable(hazardsRegister.word, hazards.map(cellsOf(hazardsRegister.word, await d.wordFormat()))), hazards }
}
