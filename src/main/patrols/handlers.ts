import { ApiError } from '../../shared/errors'
import type { ParsedInput } from '../../shared/api/contract'
import { patrolRoles } from '../../shared/domain'
import type { Patrol, PatrolMonthly, PatrolTeamSize } from '../../shared/patrols/schema'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { patrolTeamMinimum } from '../checklist/evaluate'
import { loadedSets } from '../checklist/sets'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import { checkVillage } from '../org/refs'
import { checkMembers, unique } from '../members/refs'
import { patrolTimeRefusal } from '../../shared/patrols/times'
import { listPatrols, toPatrols } from './queries'
import type { PatrolsTable } from './table'

const WHAT = '巡逻记录'

function load(ctx: Ctx, id: string): Patrol {
  const row = prepared(ctx.db, 'SELECT p.*, v.name AS villageName FROM patrols p LEFT JOIN villages v ON v.id = p.villageId WHERE p.id = ?').get(id) as
    | (PatrolsTable & { villageName: string | null })
    | undefined
  if (!row) throw new ApiError('not_found', `找不到这条${WHAT}`, 'id')
  return toPatrols(ctx, [row])[0]!
}

type Values = Pick<PatrolsTable, 'villageId' | 'date' | 'startTime' | 'endTime' | 'leaderId'> & { memberIds: string[] }

/** Rules on the stored record; `people` false skips the member checks (an edit that leaves them alone). */
function checkRules(ctx: Ctx, p: Values, people: boolean): void {
  if (p.date > ctx.today()) throw new ApiError('invalid_input', '巡逻日期不能晚于今天', 'date')
  const timeRefusal = patrolTimeRefusal(p.startTime, p.endTime)
  if (timeRefusal) throw new ApiError('invalid_input', timeRefusal, 'endTime')
  if (!people) return
  checkVillage(ctx, p.villageId)
  if (!p.memberIds.includes(p.leaderId)) throw new ApiError('invalid_input', '带队人应是参加人员之一', 'leaderId')
  checkMembers(ctx, p.memberIds, { roles: patrolRoles, what: '巡防队员', field: 'memberIds', villageId: p.villageId, on: p.date })
}

/**
 * The row a create writes, after every rule; writes nothing. The Excel import checks its rows with it
 * (excel/registers.ts) and writes them in one statement.
 */
export function patrolRow(ctx: Ctx, input: ParsedInput<'patrols.create'>) {
  const memberIds = unique(input.memberIds)
  checkRules(ctx, { ...input, memberIds }, true)
  return {
    villageId: input.villageId,
    date: input.date,
    startTime: input.startTime,
    endTime: input.endTime,
    mode: input.mode,
    route: input.route,
    leaderId: input.leaderId,
    memberIds: JSON.stringify(memberIds),
    findings: input.findings,
    handling: input.handling,
  }
}

export const patrolHandlers: HandlerMap<
  | 'patrols.create'
  | 'patrols.get'
  | 'patrols.list'
  | 'patrols.update'
  | 'patrols.delete'
  | 'patrols.restore'
  | 'patrols.monthly'
  | 'patrols.teamSize'
> = {
  'patrols.create': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = insertRecord(ctx, 'patrols', patrolRow(ctx, input))
      return load(ctx, row.id)
    })(),
  'patrols.get': (input, ctx) => {
    getLiveRow(ctx, 'patrols', input.id, WHAT)
    return load(ctx, input.id)
  },
  'patrols.list': (input, ctx) => listPatrols(ctx, input),
  'patrols.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getLiveRow<PatrolsTable>(ctx, 'patrols', input.id, WHAT)
      const { id, memberIds, ...rest } = input
      const patch: Record<string, string | null> = {}
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) patch[k] = v as string
      const members = memberIds ? unique(memberIds) : (JSON.parse(old.memberIds) as string[])
      if (memberIds) patch.memberIds = JSON.stringify(members)
      const merged = { ...old, ...patch, memberIds: members } as Values
      const peopleTouched = ['villageId', 'date', 'leaderId', 'memberIds'].some((k) => k in patch && patch[k] !== (old as unknown as Record<string, unknown>)[k])
      checkRules(ctx, merged, peopleTouched)
      updateRecord(ctx, 'patrols', id, patch, WHAT)
      return load(ctx, id)
    })(),
  'patrols.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'patrols', input.id, WHAT))(),
  'patrols.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = getRow<PatrolsTable>(ctx, 'patrols', input.id)
      if (row?.deletedAt) checkVillage(ctx, row.villageId)
      restoreRecord(ctx, 'patrols', input.id, WHAT)
      return load(ctx, input.id)
    })(),

  'patrols.monthly': (input, ctx): PatrolMonthly => {
    const p = { from: `${input.year}-01-01`, to: `${input.year}-12-31`, villageId: input.villageId ?? null, township: input.township ?? null }
    // only the conditions that apply, so each variant is planned on its covering index
    const counts = prepared(
      ctx.db,
      `SELECT villageId, CAST(substr(date, 6, 2) AS INTEGER) AS month, count(*) AS n FROM patrols
       WHERE deletedAt IS NULL AND date BETWEEN @from AND @to
         ${input.villageId ? 'AND villageId = @villageId' : ''} ${input.township ? 'AND township = @township' : ''}
       GROUP BY villageId, month`,
    ).all(Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== null || k === 'from'))) as { villageId: string; month: number; n: number }[]
    const villages = prepared(
      ctx.db,
      `SELECT id, name FROM villages WHERE (deletedAt IS NULL OR id IN (SELECT value FROM json_each(@seen)))
         AND (@villageId IS NULL OR id = @villageId) AND (@township IS NULL OR township = @township) ORDER BY name`,
    ).all({ ...p, seen: JSON.stringify([...new Set(counts.map((c) => c.villageId))]) }) as { id: string; name: string }[]
    const rows = villages.map((v) => ({ villageId: v.id, villageName: v.name, months: Array<number>(12).fill(0), total: 0 }))
    const byId = new Map(rows.map((r) => [r.villageId, r]))
    const months = Array<number>(12).fill(0)
    for (const c of counts) {
      const r = byId.get(c.villageId)
      if (!r) continue
      r.months[c.month - 1]! += c.n
      r.total += c.n
      months[c.month - 1]! += c.n
    }
    return { year: input.year, rows, months, total: months.reduce((a, b) => a + b, 0) }
  },

  'patrols.teamSize': (input, ctx): PatrolTeamSize => {
    const rows = prepared(
      ctx.db,
      `SELECT v.id AS villageId, v.name AS villageName, v.kind AS kind,
         count(CASE WHEN EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'patrol_fulltime') THEN 1 END) AS fulltime,
         count(CASE WHEN EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'patrol_parttime') THEN 1 END) AS parttime,
         count(CASE WHEN EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value IN ('patrol_fulltime', 'patrol_parttime')) THEN 1 END) AS total
       FROM villages v
       LEFT JOIN members m ON m.villageId = v.id AND m.deletedAt IS NULL AND (m.leftOn IS NULL OR m.leftOn > @today)
       WHERE v.deletedAt IS NULL AND (@villageId IS NULL OR v.id = @villageId) AND (@township IS NULL OR v.township = @township)
       GROUP BY v.id ORDER BY v.name`,
    ).all({ today: ctx.today(), villageId: input.villageId ?? null, township: input.township ?? null }) as Omit<PatrolTeamSize['rows'][number], 'minimum' | 'fulltimeMinimum' | 'short'>[]
    const sets = loadedSets(ctx).map((l) => l.set)
    const minimum = { village: patrolTeamMinimum(sets, 'village'), community: patrolTeamMinimum(sets, 'community') }
    // a 专职 minimum is met by full-time members only (issue 17)
    const fulltime = { village: patrolTeamMinimum(sets, 'village', 'fulltimePatrolTeamSize'), community: patrolTeamMinimum(sets, 'community', 'fulltimePatrolTeamSize') }
    const below = (n: number, min: number | null) => min !== null && n < min
    return {
      rows: rows.map((r) => ({
        ...r,
        minimum: minimum[r.kind],
        fulltimeMinimum: fulltime[r.kind],
        short: below(r.total, minimum[r.kind]) || below(r.fulltime, fulltime[r.kind]),
      })),
      total: rows.reduce((a, r) => a + r.total, 0),
    }
  },
}
