import { ApiError } from '../../shared/errors'
import { makeIdNumber } from '../../shared/idNumber'
import { uuidv7 } from '../../shared/uuid'
import type { Role } from '../../shared/domain'
import type { Ctx } from '../context'
import { readTownship } from '../org/township'
import { prepared } from '../db/query'
import { isoDay, mobile, personName, rng, type Rng } from './random'
import { registersDemo } from './registers'
import { hazardsDemo } from './hazards'
import { indexSearchBacklog, pauseSearchTriggers } from '../db/search'

export interface DemoOptions {
  scale: number
  /** fixed "today" for the data, default the real one */
  today?: string
}

export interface DemoOrg {
  township: string
  villages: { id: string; name: string; kind: 'village' | 'community'; households: number }[]
  grids: { id: string; villageId: string; households: number }[]
  units: { id: string; villageId: string | null; kind: string; headcount: number }[]
  members: { id: string; villageId: string | null; roles: Role[]; leftOn: string | null }[]
}

/** Extra registers (patrols, cases, aftercare…) plug in here, each filling its own tables. */
export type DemoStep = (ctx: Ctx, org: DemoOrg, r: Rng, opts: Required<DemoOptions>) => Record<string, number>
export const demoSteps: DemoStep[] = []
demoSteps.push(registersDemo, hazardsDemo)

const VILLAGES: [string, 'village' | 'community'][] = [
  ['新塘村', 'village'], ['牛角塘村', 'village'], ['大托村', 'village'], ['桂井村', 'village'], ['黄合村', 'village'],
  ['许兴村', 'village'], ['新路村', 'village'], ['先锋村', 'village'], ['洞井社区', 'community'], ['桂花社区', 'community'],
  ['南湖社区', 'community'], ['湘府社区', 'community'],
]
const UNITS: [string, string][] = [
  ['大托中心小学', 'school'], ['大托铺中学', 'school'], ['新塘幼儿园', 'school'], ['大托卫生院', 'hospital'],
  ['桂井社区卫生服务站', 'hospital'], ['大托农贸市场', 'market'], ['湘江风光带景区', 'scenic'], ['金桂物业小区', 'property'],
  ['长沙利民机械有限公司', 'enterprise'], ['湘南食品有限公司', 'enterprise'], ['大托建材城', 'business'], ['平安创建协会', 'association'],
]

const ROLE_MIX: Role[][] = [
  ['patrol_fulltime'], ['patrol_parttime', 'red_armband'], ['patrol_parttime'], ['gridder'], ['mediator'],
  ['volunteer', 'red_armband'], ['association_member'], ['aftercare_helper'], ['red_armband'], ['association_member', 'volunteer'],
]

/** Fills the data folder with a realistic township: org, members, and whatever registered steps add. */
export function runDemo(ctx: Ctx, options: DemoOptions): Record<string, number> {
  const scale = options.scale
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new ApiError('invalid_input', '规模倍数应为 1 到 1000 的整数', 'scale')
  const today = options.today ?? ctx.today()
  if (!readTownship(ctx))
    prepared(ctx.db, "INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, '430103005', '大托铺街道', '长沙市天心区', '430103', 'township', ?)").run(ctx.now())
  const t = readTownship(ctx)!
  if (t.mode !== 'township') throw new ApiError('conflict', '县区模式的数据库不能生成演示乡镇数据', 'mode')
  const r = rng(20260101 + scale)
  const area = t.code.slice(0, 6)
  const counts: Record<string, number> = {}
  ctx.db.transaction(() => {
    // thousands of rows: indexed for search in one pass after, not row by row (db/search.ts)
    const resumeSearch = pauseSearchTriggers(ctx.db)
    const now = ctx.now()
    const org: DemoOrg = { township: t.code, villages: [], grids: [], units: [], members: [] }
    const insVillage = prepared(ctx.db, 'INSERT INTO villages (id, createdAt, updatedAt, deletedAt, township, name, kind, households, population) VALUES (?,?,?,NULL,?,?,?,?,?)')
    const insGrid = prepared(ctx.db, 'INSERT INTO grids (id, createdAt, updatedAt, deletedAt, township, villageId, name, households) VALUES (?,?,?,NULL,?,?,?,?)')
    const insUnit = prepared(ctx.db, 'INSERT INTO units (id, createdAt, updatedAt, deletedAt, township, name, kind, villageId, headcount) VALUES (?,?,?,NULL,?,?,?,?,?)')
    const insMember = prepared(ctx.db, 'INSERT INTO members (id, createdAt, updatedAt, deletedAt, township, name, idNumber, phone, villageId, gridId, unitId, roles, joinedOn, leftOn, notes) VALUES (?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?)')
    const suffix = (i: number) => (i === 0 ? '' : `${i + 1}`)
    for (let s = 0; s < scale; s++) {
      for (const [vname, kind] of VILLAGES) {
        const households = kind === 'community' ? r.int(1200, 3500) : r.int(400, 1100)
        const v = { id: uuidv7(), name: vname.replace(/(村|社区)$/, suffix(s) + '$1'), kind, households }
        insVillage.run(v.id, now, now, t.code, v.name, kind, households, Math.round(households * (2.6 + r.next())))
        org.villages.push(v)
        const gridCount = kind === 'community' ? r.int(4, 8) : r.int(2, 5)
        for (let g = 0; g < gridCount; g++) {
          const grid = { id: uuidv7(), villageId: v.id, households: Math.round(households / gridCount) }
          insGrid.run(grid.id, now, now, t.code, v.id, `第${'一二三四五六七八'[g]}网格`, grid.households)
          org.grids.push(grid)
        }
      }
      for (const [uname, kind] of UNITS) {
        const v = org.villages[org.villages.length - VILLAGES.length + r.int(0, VILLAGES.length - 1)]!
        const u = { id: uuidv7(), villageId: v.id, kind, headcount: r.pick([45, 120, 180, 260, 420, 800, 2400]) }
        insUnit.run(u.id, now, now, t.code, uname + suffix(s), kind, v.id, u.headcount)
        org.units.push(u)
      }
    }
    let seq = 0
    const addMember = (villageId: string | null, gridId: string | null, unitId: string | null, roles: Role[]) => {
      seq++
      const birth = isoDay(r, '1958-01-01', '2002-12-31')
      const idNumber = makeIdNumber(area, birth, seq)
      const joinedOn = isoDay(r, '2016-01-01', today)
      const leftOn = r.chance(0.05) ? isoDay(r, joinedOn, today) : null
      const m = { id: uuidv7(), villageId, roles, leftOn }
      insMember.run(m.id, now, now, t.code, personName(r), idNumber, mobile(r), villageId, gridId, unitId, JSON.stringify(roles), joinedOn, leftOn, '')
      org.members.push(m)
    }
    for (const v of org.villages) {
      const grids = org.grids.filter((g) => g.villageId === v.id)
      addMember(v.id, null, null, ['station_head'])
      addMember(v.id, null, null, ['officer', 'mediator'])
      addMember(v.id, null, null, ['security_director', 'mediator'])
      const team = v.kind === 'community' ? r.int(7, 10) : r.int(5, 9)
      for (let i = 0; i < team; i++) addMember(v.id, r.pick(grids).id, null, r.pick(ROLE_MIX.slice(0, 3)))
      for (const g of grids) addMember(v.id, g.id, null, ['grid_head', 'gridder'])
      const extra = r.int(4, 9)
      for (let i = 0; i < extra; i++) addMember(v.id, r.pick(grids).id, null, r.pick(ROLE_MIX.slice(3)))
    }
    for (const u of org.units) {
      const guards = u.headcount < 200 ? r.int(1, 3) : u.headcount <= 500 ? r.int(2, 4) : Math.ceil(u.headcount * 0.005)
      for (let i = 0; i < Math.min(guards, 8); i++) addMember(u.villageId, null, u.id, ['guard'])
    }
    counts.villages = org.villages.length
    counts.grids = org.grids.length
    counts.units = org.units.length
    counts.members = org.members.length
    for (const step of demoSteps) Object.assign(counts, step(ctx, org, r, { scale, today }))
    resumeSearch()
  })()
  indexSearchBacklog(ctx.db)
  return counts
}
