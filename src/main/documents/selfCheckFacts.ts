import { unitKindLabels, type Role } from '../../shared/domain'
import type { ListResult } from '../../shared/api/define'
import type { ChecklistTarget, Family } from '../../shared/checklist/schema'
import type { Member } from '../../shared/members/schema'
import type { Grid, Unit, Village } from '../../shared/org/schema'
import type { Rates } from '../../shared/stats/rates'
import { percent } from '../../shared/documents/cnText'
import { call, has, listAll } from './data'
import { yearRange, type DocContext } from './common'

/**
 * 基本情况 of a 自查报告, from the data: the target's households, population and grids, its teams, and
 * the year's patrols, cases, 帮教 and hazards — for a village its own, for the township all of them.
 */
const teams: { label: string; roles: Role[] }[] = [
  { label: '综治工作人员', roles: ['station_head', 'officer'] },
  { label: '巡防队员', roles: ['patrol_fulltime', 'patrol_parttime'] },
  { label: '调解员', roles: ['mediator'] },
  { label: '网格长和网格员', roles: ['grid_head', 'gridder'] },
  { label: '帮教人员', roles: ['aftercare_helper'] },
  { label: '治保人员和保安', roles: ['security_director', 'guard'] },
  { label: '平安志愿者', roles: ['volunteer', 'association_member', 'red_armband'] },
]

function teamsText(members: Member[]): string {
  if (members.length === 0) return '尚未登记综治、巡防、调解等工作人员'
  const parts = teams.map((t) => ({ t, n: members.filter((m) => m.roles.some((r) => t.roles.includes(r))).length })).filter((x) => x.n > 0)
  return `现有综治、巡防、调解等工作人员${members.length}名${parts.length ? `，其中${parts.map((x) => `${x.t.label}${x.n}名`).join('、')}` : ''}`
}

async function count(d: DocContext, method: string, filters: Record<string, unknown>, what: string): Promise<number> {
  if (!has(method)) return 0
  return (await call<ListResult<unknown>>(d.ctx, method, { filters, limit: 1 }, what)).total
}

async function workText(d: DocContext, villageId: string | null): Promise<string> {
  const { from, to } = yearRange(d.year)
  const where = villageId ? { villageId } : {}
  const patrols = await count(d, 'patrols.list', { dateFrom: from, dateTo: to, ...where }, '巡逻台账')
  if (!has('stats.rates')) return `${d.year}年开展巡逻${patrols}次。`
  const r = await call<Rates>(d.ctx, 'stats.rates', { year: d.year, ...where }, '统计')
  const c = r.counts
  return (
    `${d.year}年开展巡逻${patrols}次；受理矛盾纠纷${c.casesReceived}件，调解成功${c.casesSuccess}件，调解成功率${percent(r.mediationSuccessRate)}；` +
    `在帮教期内的帮教对象${c.underAftercare}人，帮教率${percent(r.aftercareRate)}，安置率${percent(r.placementRate)}，重新犯罪${c.reoffended}人；` +
    `排查发现安全隐患${c.hazardsFound}条，已整改销号${c.hazardsClosed}条。`
  )
}

/** members on the roll during the year */
function inYear(d: DocContext, ms: Member[]): Member[] {
  const { from, to } = yearRange(d.year)
  return ms.filter((m) => m.joinedOn <= to && (!m.leftOn || m.leftOn >= from))
}

export async function basicFacts(d: DocContext, t: ChecklistTarget): Promise<string[]> {
  const members = inYear(d, await listAll<Member>(d.ctx, 'members.list', { fullId: false }, '成员台账'))
  switch (t.entity) {
    case 'township': {
      const villages = await listAll<Village>(d.ctx, 'villages.list', {}, '村（社区）')
      const grids = await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')
      const units = await listAll<Unit>(d.ctx, 'units.list', {}, '单位')
      const households = villages.reduce((a, v) => a + v.households, 0)
      const population = villages.reduce((a, v) => a + v.population, 0)
      return [
        `${t.name}辖村（社区）${villages.length}个，共${households}户、${population}人，划分网格${grids.length}个，登记单位${units.length}家；${teamsText(members)}。`,
        await workText(d, null),
      ]
    }
    case 'village':
    case 'community': {
      const v = await call<Village>(d.ctx, 'villages.get', { id: t.id }, '村（社区）')
      const grids = (await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')).filter((g) => g.villageId === t.id)
      return [
        `${t.name}共${v.households}户、${v.population}人，划分网格${grids.length}个；${teamsText(members.filter((m) => m.villageId === t.id))}。`,
        await workText(d, t.id),
      ]
    }
    case 'grid': {
      const g = (await listAll<Grid>(d.ctx, 'grids.list', {}, '网格')).find((x) => x.id === t.id)
      return [`${t.name}属${t.villageName ?? ''}，共${g?.households ?? 0}户；${teamsText(members.filter((m) => m.gridId === t.id))}。`, await workText(d, t.villageId)]
    }
    case 'unit': {
      const u = (await listAll<Unit>(d.ctx, 'units.list', {}, '单位')).find((x) => x.id === t.id)
      const kind = u ? (unitKindLabels[u.kind] ?? '') : ''
      return [
        `${t.name}${kind ? `（${kind}）` : ''}${t.villageName ? `位于${t.villageName}` : ''}，现有人员${u?.headcount ?? 0}人；${teamsText(members.filter((m) => m.unitId === t.id))}。`,
      ]
    }
    case 'family': {
      const f = has('families.list') ? (await listAll<Family>(d.ctx, 'families.list', {}, '平安家庭')).find((x) => x.id === t.id) : undefined
      return [`${t.name}${f ? `户主${f.householder}，` : ''}${t.villageName ? `住${t.villageName}${f?.address ? f.address : ''}` : ''}。`]
    }
  }
}
