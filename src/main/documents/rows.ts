import type { AftercarePerson, AftercareVisit } from '../../shared/aftercare/schema'
import type { Hazard } from '../../shared/hazards/types'
import type { Member } from '../../shared/members/schema'
import type { MediationCase } from '../../shared/mediation/schema'
import type { Patrol } from '../../shared/patrols/schema'
import { toPeople, toVisits } from '../aftercare/queries'
import type { Ctx } from '../context'
import type { Statement } from 'better-sqlite3'
import { prepared } from '../db/query'
import { toHazard, type HazardRow } from '../hazards/queries'
import { toCases } from '../mediation/queries'
import { toMember } from '../members/queries'
import { toPatrols } from '../patrols/queries'

/**
 * The documents' reader of the registers (issue 15.5): one prepared statement per register, walked
 * row by row, instead of its list method page by page. A list page costs a count, a page of rowids,
 * a second query for their rows and (for 帮教对象) two subqueries per person for the screen's 最近走访
 * and 走访次数; a 10,000-row dossier spent most of its time there and in the garbage collector
 * keeping those rows alive.
 *
 * Which rows and in what order are the list method's for the same input (its WHERE for these
 * filters, its ORDER BY with the pager's rowid tie-break, tests/integration/documents-rows.test.ts
 * compares them); each record is made by the register's own conversion (toPatrols …: names of
 * members, 跨夜, 性别 from the ID, masking), a batch at a time, and handed to `each` at once, so
 * a 10,000-row register never exists as records, only as the table's cell texts.
 */
const BATCH = 200

/**
 * Rows of a statement as the list's objects, a batch at a time through `convert`. Read as arrays and
 * made into objects here: better-sqlite3 builds an object row field by field from C++, which for a
 * table of 25 columns cost three times the array.
 */
function walk<Row, R>(stmt: Statement, params: unknown[], convert: (batch: Row[]) => R[], each: (r: R) => void): void {
  const raw = stmt.raw(true)
  const names = raw.columns().map((c) => c.name)
  let batch: Row[] = []
  const flush = () => {
    for (const r of convert(batch)) each(r)
    batch = []
  }
  for (const values of raw.iterate(...params) as Iterable<unknown[]>) {
    const row: Record<string, unknown> = {}
    for (let k = 0; k < names.length; k++) row[names[k]!] = values[k]
    batch.push(row as Row)
    if (batch.length === BATCH) flush()
  }
  if (batch.length) flush()
}

const byVillage = (villageId: string | undefined) => (villageId ? ' AND villageId = ?' : '')
const args = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined)

/** members.list sorted by name (the members' own name order; documents sort further) */
export function eachMember(ctx: Ctx, q: { villageId?: string; fullId: boolean }, each: (m: Member) => void): void {
  const sql = `SELECT m.*, (SELECT name FROM villages WHERE id = m.villageId) AS villageName FROM members m WHERE m.deletedAt IS NULL${byVillage(q.villageId).replace('villageId', 'm.villageId')} ORDER BY m.name, m.rowid`
  walk(prepared(ctx.db, sql), args([q.villageId]), (b: Parameters<typeof toMember>[0][]) => b.map((r) => toMember(r, q.fullId)), each)
}

/** patrols.list dated from–to, by date and start time */
export function eachPatrol(ctx: Ctx, q: { from: string; to: string; villageId?: string }, each: (p: Patrol) => void): void {
  const sql = `SELECT p.*, v.name AS villageName FROM patrols p LEFT JOIN villages v ON v.id = p.villageId WHERE p.deletedAt IS NULL AND p.date >= ? AND p.date <= ?${byVillage(q.villageId).replace('villageId', 'p.villageId')} ORDER BY p.date, p.startTime, p.rowid`
  walk(prepared(ctx.db, sql), args([q.from, q.to, q.villageId]), (b: Parameters<typeof toPatrols>[1]) => toPatrols(ctx, b), each)
}

/** mediation.list received in the year, by date received and case number (parties' IDs masked, as the list gives them) */
export function eachCase(ctx: Ctx, q: { year: number; villageId?: string }, each: (c: MediationCase) => void): void {
  const sql = `SELECT c.*, v.name AS villageName FROM mediation_cases c LEFT JOIN villages v ON v.id = c.villageId WHERE c.deletedAt IS NULL AND c.receivedOn >= ? AND c.receivedOn <= ?${byVillage(q.villageId).replace('villageId', 'c.villageId')} ORDER BY c.receivedOn, c.caseNo, c.rowid`
  walk(prepared(ctx.db, sql), args([`${q.year}-01-01`, `${q.year}-12-31`, q.villageId]), (b: Parameters<typeof toCases>[1]) => toCases(ctx, b, false), each)
}

/**
 * aftercare.people.list of the year (released by its end, aftercare not over before its start), by
 * release date. 最近走访 and 走访次数 (lastVisitOn, visitCount) are the screen's and are not read:
 * they come as null and 0.
 */
export function eachPerson(ctx: Ctx, q: { year: number; villageId?: string; fullId: boolean }, each: (p: AftercarePerson) => void): void {
  const sql = `SELECT a.*, v.name AS villageName FROM aftercare_people a LEFT JOIN villages v ON v.id = a.villageId WHERE a.deletedAt IS NULL AND a.releasedOn <= ? AND a.aftercareUntil >= ?${byVillage(q.villageId).replace('villageId', 'a.villageId')} ORDER BY a.releasedOn, a.rowid`
  walk(prepared(ctx.db, sql), args([`${q.year}-12-31`, `${q.year}-01-01`, q.villageId]), (b: Parameters<typeof toPeople>[1]) => toPeople(ctx, b, q.fullId), each)
}

/** aftercare.visits.list dated from–to (or all of one person's), by date */
export function eachVisit(ctx: Ctx, q: { personId: string } | { from: string; to: string; villageId?: string }, each: (v: AftercareVisit) => void): void {
  const head = 'SELECT w.*, a.name AS personName, v.name AS villageName FROM aftercare_visits w JOIN aftercare_people a ON a.id = w.personId LEFT JOIN villages v ON v.id = a.villageId WHERE w.deletedAt IS NULL AND a.deletedAt IS NULL'
  const [where, params] = 'personId' in q ? [' AND w.personId = ?', [q.personId]] : [` AND w.date >= ? AND w.date <= ?${byVillage(q.villageId).replace('villageId', 'a.villageId')}`, args([q.from, q.to, q.villageId])]
  walk(prepared(ctx.db, `${head}${where} ORDER BY w.date, w.rowid`), params, (b: Parameters<typeof toVisits>[1]) => toVisits(ctx, b), each)
}

/** hazards.list found in the year, by date found */
export function eachHazard(ctx: Ctx, q: { year: number; villageId?: string }, each: (h: Hazard) => void): void {
  const today = ctx.today()
  const sql = `SELECT h.*, v.name AS villageName, u.name AS unitName FROM hazards h LEFT JOIN villages v ON v.id = h.villageId LEFT JOIN units u ON u.id = h.unitId WHERE h.deletedAt IS NULL AND h.foundOn >= ? AND h.foundOn <= ?${byVillage(q.villageId).replace('villageId', 'h.villageId')} ORDER BY h.foundOn, h.rowid`
  walk(prepared(ctx.db, sql), args([`${q.year}-01-01`, `${q.year}-12-31`, q.villageId]), (b: HazardRow[]) => b.map((r) => toHazard(r, today)), each)
}
