import { AFTERCARE_YEARS, addYears } from '../../shared/aftercare/schema'
import { makeIdNumber } from '../../shared/idNumber'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { prepared } from '../db/query'
import { requireTownship } from '../org/township'
import { readSettings } from '../settings/store'
import { defaultShort, formatCaseNo } from '../mediation/caseNo'
import type { DemoOrg, DemoStep } from './demo'
import { isoDay, personName, type Rng } from './random'

/**
 * Demo data and bulk generation for the three working registers (patrols, mediation cases,
 * aftercare people and visits). Rows go in through prepared statements inside the caller's
 * transaction: the query builder's per-row cost would dominate at a million rows.
 */

const DAY = 86_400_000
const dayNo = (iso: string) => Date.parse(iso + 'T00:00:00Z') / DAY
const isoOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10)
export const addDays = (iso: string, n: number) => isoOf(dayNo(iso) + n)
const minIso = (a: string, b: string) => (a < b ? a : b)

interface TeamMember {
  id: string
  villageId: string | null
  roles: string[]
  joinedOn: string
  leftOn: string | null
}

function readMembers(ctx: Ctx): TeamMember[] {
  const rows = prepared(ctx.db, 'SELECT id, villageId, roles, joinedOn, leftOn FROM members WHERE deletedAt IS NULL').all() as (Omit<TeamMember, 'roles'> & { roles: string })[]
  return rows.map((m) => ({ ...m, roles: JSON.parse(m.roles) as string[] }))
}
const active = (m: TeamMember, on: string) => m.joinedOn <= on && (!m.leftOn || m.leftOn >= on)
const has = (m: TeamMember, ...roles: string[]) => roles.some((r) => m.roles.includes(r))

const SLOTS: [string, string][] = [
  ['08:30', '10:30'], ['09:00', '11:00'], ['14:00', '16:00'], ['15:00', '17:00'], ['19:00', '21:00'],
  ['19:30', '21:30'], ['20:00', '22:00'], ['21:00', '23:00'], ['22:00', '00:30'], ['23:00', '02:00'],
]
const ROUTES = ['村部—各组主干道—学校周边', '集贸市场—农家书屋—沿河路', '村口卡点—工业园—村部', '小区主干道—地下车库—商铺街', '沿江风光带—码头—村部', '学校—卫生室—老旧小区']
const FINDINGS: [string, string][] = [
  ['学校门口路灯损坏', '已报村委会维修'],
  ['发现一处电动车违规充电', '当场劝导，户主已整改'],
  ['河边有儿童玩水', '劝离并告知家长'],
  ['可疑人员在停车场徘徊', '上前询问，系走亲戚人员'],
  ['独居老人家中无人应门', '联系其子女，确认外出就医'],
  ['消防通道被车辆占用', '联系车主挪车'],
  ['两村民因停车发生口角', '现场调解，双方和解'],
]

export interface PatrolGenOptions {
  count: number
  from: string
  to: string
}

/** `count` patrols spread over [from, to], by each village's active patrol members. */
export function generatePatrols(ctx: Ctx, org: Pick<DemoOrg, 'township' | 'villages'>, r: Rng, o: PatrolGenOptions): number {
  const members = readMembers(ctx).filter((m) => has(m, 'patrol_fulltime', 'patrol_parttime'))
  const teams = org.villages
    .map((v) => ({ v, team: members.filter((m) => m.villageId === v.id) }))
    .filter((t) => t.team.length > 0)
  if (teams.length === 0) return 0
  const ins = prepared(
    ctx.db,
    'INSERT INTO patrols (id, createdAt, updatedAt, deletedAt, township, villageId, date, startTime, endTime, mode, route, leaderId, memberIds, findings, handling) VALUES (?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?)',
  )
  const now = ctx.now()
  const d0 = dayNo(o.from)
  const span = dayNo(o.to) - d0 + 1
  let n = 0
  for (let i = 0; i < o.count; i++) {
    const { v, team } = teams[Math.floor(r.next() * teams.length)]!
    const date = isoOf(d0 + Math.floor(r.next() * span))
    let crew = team.filter((m) => active(m, date))
    if (crew.length === 0) crew = team
    const size = Math.min(crew.length, 2 + Math.floor(r.next() * 3))
    const start = Math.floor(r.next() * crew.length)
    const ids: string[] = []
    for (let k = 0; k < size; k++) ids.push(crew[(start + k) % crew.length]!.id)
    const [st, et] = SLOTS[Math.floor(r.next() * SLOTS.length)]!
    const mode = r.next() < 0.7 ? 'foot' : r.next() < 0.8 ? 'vehicle' : 'electronic'
    const found = r.next() < 0.12 ? FINDINGS[Math.floor(r.next() * FINDINGS.length)]! : null
    ins.run(uuidv7(), now, now, org.township, v.id, date, st, et, mode, ROUTES[Math.floor(r.next() * ROUTES.length)]!, ids[0]!, JSON.stringify(ids), found?.[0] ?? '', found?.[1] ?? '')
    n++
  }
  return n
}

const SUMMARIES: Record<string, string[]> = {
  婚姻家庭: ['夫妻因家庭开支问题发生争吵，女方要求离婚', '兄弟之间因赡养老人费用分担发生纠纷'],
  邻里: ['两户因排水沟堵塞发生争执', '邻居装修噪音扰民引发矛盾', '相邻两户因滴水檐发生争执'],
  房屋宅基地: ['两户因宅基地界址不清发生纠纷', '建房越界占用邻居通道'],
  合同: ['村民与装修公司因工程款结算发生纠纷', '承包合同到期后租金结算发生争议'],
  生产经营: ['合伙养殖分红引发纠纷', '门面转让后经营权属发生争议'],
  损害赔偿: ['村民家犬咬伤他人，双方就赔偿发生争议', '施工损坏邻居围墙引发赔偿纠纷'],
  山林土地: ['两组之间山林界址纠纷', '土地流转租金发生争议'],
  征地拆迁: ['征地补偿款家庭内部分配纠纷', '拆迁安置面积认定争议'],
  环境污染: ['养殖场异味影响周边村民', '作坊排放污水引发纠纷'],
  劳动争议: ['务工人员被拖欠工资', '工地受伤后工伤待遇争议'],
  消费: ['购买家电质量问题退换货纠纷', '预付卡商家关门引发消费纠纷'],
  医疗: ['诊所诊疗费用及后果争议'],
  道路交通事故: ['电动车与小车相撞赔偿纠纷', '村道交通事故赔偿争议'],
  物业: ['业主与物业公司因物业费发生纠纷', '小区停车位管理引发纠纷'],
  其他: ['村民因借款未还发生纠纷'],
}
const CATEGORY_WEIGHTS: [string, number][] = [
  ['邻里', 22], ['婚姻家庭', 16], ['房屋宅基地', 10], ['合同', 7], ['损害赔偿', 8], ['劳动争议', 7], ['道路交通事故', 6],
  ['山林土地', 5], ['物业', 5], ['生产经营', 4], ['征地拆迁', 3], ['消费', 3], ['环境污染', 2], ['医疗', 1], ['其他', 1],
]
const totalWeight = CATEGORY_WEIGHTS.reduce((a, [, w]) => a + w, 0)
function pickCategory(r: Rng): string {
  let x = r.next() * totalWeight
  for (const [c, w] of CATEGORY_WEIGHTS) if ((x -= w) < 0) return c
  return '其他'
}

export interface CaseGenOptions {
  count: number
  from: string
  today: string
  /** how many deliberately overdue open cases (received 5–8 weeks ago, still open) */
  overdue?: number
}

/** `count` cases received over [from, today], numbered in each year's series, with realistic outcomes. */
export function generateCases(ctx: Ctx, org: Pick<DemoOrg, 'township' | 'villages'>, r: Rng, o: CaseGenOptions): Record<string, number> {
  const t = requireTownship(ctx)
  const s = readSettings(ctx)
  const short = s.caseNoShort || defaultShort(t.name)
  const mediators = readMembers(ctx).filter((m) => has(m, 'mediator'))
  const byVillage = new Map<string | null, string[]>()
  for (const m of mediators) byVillage.set(m.villageId, [...(byVillage.get(m.villageId) ?? []), m.id])
  const area = t.code.slice(0, 6)
  const ins = prepared(
    ctx.db,
    `INSERT INTO mediation_cases (id, createdAt, updatedAt, deletedAt, township, caseNo, receivedOn, source, category, villageId, summary,
       parties, mediatorIds, status, mediatedOn, agreementForm, agreement, fulfillment, followUps, closedOn)
     VALUES (?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  )
  const now = ctx.now()
  const counter = new Map<number, number>()
  for (const row of prepared(ctx.db, "SELECT name, value FROM counters WHERE name LIKE 'caseNo:' || ? || ':%'").all(t.code) as { name: string; value: number }[])
    counter.set(Number(row.name.split(':')[2]), row.value)
  const days = dayNo(o.today) - dayNo(o.from) + 1
  // received dates in order, so numbers rise with the date as in a paper ledger
  const dates = Array.from({ length: o.count }, () => isoOf(dayNo(o.from) + Math.floor(r.next() * days))).sort()
  let overdueLeft = o.overdue ?? 0
  const out: Record<string, number> = { success: 0, failed: 0, referred: 0, open: 0 }
  for (const receivedOn of dates) {
    const v = org.villages[Math.floor(r.next() * org.villages.length)]!
    const year = Number(receivedOn.slice(0, 4))
    const seq = (counter.get(year) ?? 0) + 1
    counter.set(year, seq)
    const caseNo = formatCaseNo(s.caseNoFormat, year, seq, short)
    const category = pickCategory(r)
    const summaries = SUMMARIES[category]!
    const parties = [
      { name: personName(r), idNumber: r.next() < 0.6 ? makeIdNumber(area, isoDay(r, '1950-01-01', '2000-12-31'), seq) : null, phone: '', address: `${v.name}`, side: 'applicant' },
      { name: personName(r), idNumber: null, phone: '', address: `${v.name}`, side: 'respondent' },
    ]
    const local = byVillage.get(v.id) ?? mediators.map((m) => m.id)
    const mediatorIds = local.length ? [local[Math.floor(r.next() * local.length)]!] : []
    const age = dayNo(o.today) - dayNo(receivedOn)
    let status: string
    if (overdueLeft > 0 && age >= 35 && age <= 60) {
      status = r.next() < 0.5 ? 'pending' : 'mediating'
      overdueLeft--
    } else if (age <= 6) status = r.next() < 0.5 ? 'pending' : 'mediating'
    else if (age <= 25 && r.next() < 0.3) status = 'mediating'
    else {
      const x = r.next()
      status = x < 0.975 ? 'success' : x < 0.985 ? 'failed' : 'referred'
    }
    const mediatedOn = status === 'pending' || status === 'referred' ? null : minIso(addDays(receivedOn, Math.floor(r.next() * 4)), o.today)
    const closedOn =
      status === 'success' || status === 'failed' ? minIso(addDays(mediatedOn!, Math.floor(r.next() * 10)), o.today) : status === 'referred' ? minIso(addDays(receivedOn, 1 + Math.floor(r.next() * 3)), o.today) : null
    let agreementForm: string | null = null
    let agreement: string | null = null
    let fulfillment: string | null = null
    let followUps: { date: string; note: string }[] = []
    if (status === 'success') {
      agreementForm = r.next() < 0.65 ? 'written' : 'oral'
      agreement = agreementForm === 'written' ? `经调解，双方自愿达成如下协议：${summaries[0]!.slice(0, 6)}一事，由被申请人于15日内履行约定义务，双方今后互不追究。` : '双方口头达成和解，当场履行。'
      const closedAge = dayNo(o.today) - dayNo(closedOn!)
      if (closedAge > 15) {
        const f = r.next()
        fulfillment = f < 0.96 ? 'fulfilled' : f < 0.99 ? 'partial' : 'unfulfilled'
      }
      if (closedAge > 20) followUps = [{ date: addDays(closedOn!, 7 + Math.floor(r.next() * 14)), note: fulfillment === 'fulfilled' ? '回访当事人，协议已履行，双方无异议' : '回访当事人，协议尚未完全履行，已督促' }]
    }
    out[status === 'pending' || status === 'mediating' ? 'open' : status]!++
    ins.run(
      uuidv7(), now, now, t.code, caseNo, receivedOn, r.next() < 0.55 ? 'screening' : r.next() < 0.85 ? 'application' : 'referral', category, v.id,
      summaries[Math.floor(r.next() * summaries.length)]!, JSON.stringify(parties), JSON.stringify(mediatorIds), status, mediatedOn, agreementForm,
      agreement, fulfillment, JSON.stringify(followUps), closedOn,
    )
  }
  const up = prepared(ctx.db, 'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)')
  for (const [year, value] of counter) up.run(`caseNo:${t.code}:${year}`, value)
  return out
}

const CRIMES: [string, string][] = [
  ['盗窃罪', '有期徒刑二年'], ['诈骗罪', '有期徒刑三年'], ['故意伤害罪', '有期徒刑一年六个月'], ['寻衅滋事罪', '有期徒刑一年'],
  ['危险驾驶罪', '拘役四个月'], ['开设赌场罪', '有期徒刑二年'], ['非法吸收公众存款罪', '有期徒刑三年六个月'], ['交通肇事罪', '有期徒刑一年'],
]
const VISIT_TEXT = ['上门走访，了解其生活和就业情况，思想稳定', '电话联系，本人在外务工，情况正常', '与其家属座谈，家庭关系和睦', '走访用工单位，工作表现良好', '开展法治教育谈话，本人表示遵纪守法']

export interface AftercareGenOptions {
  people: number
  /** visits per person; by default about one every five weeks of the period so far */
  visitsPerPerson?: number
  today: string
  /** earliest release date */
  from: string
  /** leave this many people under aftercare without a visit this quarter */
  unvisited?: number
}

export function generateAftercare(ctx: Ctx, org: Pick<DemoOrg, 'township' | 'villages'>, r: Rng, o: AftercareGenOptions): Record<string, number> {
  const t = requireTownship(ctx)
  const area = t.code.slice(0, 6)
  const helpers = readMembers(ctx).filter((m) => has(m, 'aftercare_helper') && !m.leftOn)
  const local = new Map<string | null, string[]>()
  for (const m of helpers) local.set(m.villageId, [...(local.get(m.villageId) ?? []), m.id])
  const insP = prepared(
    ctx.db,
    `INSERT INTO aftercare_people (id, createdAt, updatedAt, deletedAt, township, name, idNumber, kind, crime, sentence, releasedOn, aftercareUntil,
       villageId, placement, unplacedReason, helperIds, reoffendedOn, lostContact, notes, handoverOn, handover, risk, registeredAddress, address, lostContactPeriods)
     VALUES (?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  )
  const insV = prepared(ctx.db, 'INSERT INTO aftercare_visits (id, createdAt, updatedAt, deletedAt, township, personId, date, helperIds, content) VALUES (?,?,?,NULL,?,?,?,?,?)')
  const now = ctx.now()
  const q = Math.floor((Number(o.today.slice(5, 7)) - 1) / 3)
  const quarterStart = `${o.today.slice(0, 4)}-${String(q * 3 + 1).padStart(2, '0')}-01`
  let unvisited = o.unvisited ?? 0
  let visits = 0
  let reoffended = 0
  const span = dayNo(addDays(o.today, -10)) - dayNo(o.from) + 1
  for (let i = 0; i < o.people; i++) {
    const v = org.villages[Math.floor(r.next() * org.villages.length)]!
    const releasedOn = isoOf(dayNo(o.from) + Math.floor(r.next() * span))
    const aftercareUntil = addYears(releasedOn, AFTERCARE_YEARS)
    const pool = local.get(v.id)?.length ? local.get(v.id)! : helpers.map((h) => h.id)
    const helperIds = pool.length ? [...new Set([pool[Math.floor(r.next() * pool.length)]!, pool[Math.floor(r.next() * pool.length)]!])] : []
    const x = r.next()
    const placement = x < 0.5 ? 'employed' : x < 0.78 ? 'farming' : x < 0.975 ? 'self_employed' : 'unplaced'
    const end = minIso(o.today, aftercareUntil)
    const reoffendedOn = r.next() < 0.015 && dayNo(end) - dayNo(releasedOn) > 60 ? isoOf(dayNo(releasedOn) + 30 + Math.floor(r.next() * (dayNo(end) - dayNo(releasedOn) - 30))) : null
    if (reoffendedOn) reoffended++
    const [crime, sentence] = CRIMES[Math.floor(r.next() * CRIMES.length)]!
    const id = uuidv7()
    const birth = isoDay(r, '1960-01-01', '2003-12-31')
    // lost contact is drawn where it always was (the same demo for the same seed); its period follows
    let lost = false
    const lostFlag = () => {
      lost = r.next() < 0.01
      return lost ? 1 : 0
    }
    insP.run(
      id, now, now, t.code, personName(r), makeIdNumber(area, birth, i), r.next() < 0.8 ? 'released' : 'community_correction', crime, sentence,
      releasedOn, aftercareUntil, v.id, placement, placement === 'unplaced' ? r.pick(['年老体弱，无劳动能力', '患病治疗中', '本人暂无就业意愿，正在做思想工作']) : '',
      JSON.stringify(helperIds), reoffendedOn, lostFlag(), '', addDays(releasedOn, Math.floor(r.next() * 3)), '刑满释放人员衔接通知书已接收，本人已到村报到',
      r.next() < 0.8 ? 'low' : r.next() < 0.85 ? 'medium' : 'high', `湖南省长沙市${v.name}`, `${v.name}${1 + Math.floor(r.next() * 12)}组`,
      lost ? JSON.stringify([{ from: minIso(end, addDays(releasedOn, 60)), to: null }]) : '[]',
    )
    // visits from release to the end of the period (or the day of reoffending)
    const stop = reoffendedOn ?? end
    const len = dayNo(stop) - dayNo(releasedOn)
    if (len < 0 || helperIds.length === 0) continue
    const skipQuarter = !reoffendedOn && end === o.today && unvisited > 0 && releasedOn < quarterStart
    if (skipQuarter) unvisited--
    const last = skipQuarter ? dayNo(quarterStart) - 1 : dayNo(stop)
    const k = o.visitsPerPerson ?? Math.max(1, Math.floor(len / 35))
    const step = Math.max(1, (last - dayNo(releasedOn)) / k)
    for (let j = 0; j < k; j++) {
      const d = Math.min(last, Math.floor(dayNo(releasedOn) + step * j + r.next() * step))
      insV.run(uuidv7(), now, now, t.code, id, isoOf(d), JSON.stringify([helperIds[0]]), VISIT_TEXT[Math.floor(r.next() * VISIT_TEXT.length)]!)
      visits++
    }
    // everyone still under aftercare has been seen this quarter, except the deliberate few
    if (!skipQuarter && !reoffendedOn && end === o.today && isoOf(last) < quarterStart) {
      insV.run(uuidv7(), now, now, t.code, id, isoDay(r, quarterStart, o.today), JSON.stringify([helperIds[0]]), VISIT_TEXT[0]!)
      visits++
    }
  }
  return { people: o.people, visits, reoffended }
}

/** The demo township's three years of registers: a few patrols a week per village, ~15 cases a village a year. */
export const registersDemo: DemoStep = (ctx, org, r, opts) => {
  const year = Number(opts.today.slice(0, 4))
  const from = `${year - 2}-01-01`
  const weeks = (dayNo(opts.today) - dayNo(from)) / 7
  const patrols = generatePatrols(ctx, org, r, { count: Math.round(org.villages.length * weeks * 2.5), from, to: opts.today })
  const cases = generateCases(ctx, org, r, { count: Math.round(org.villages.length * 15 * (weeks / 52)), from, today: opts.today, overdue: 2 })
  const aftercare = generateAftercare(ctx, org, r, { people: org.villages.length * 4, today: opts.today, from: addYears(from, -5), unvisited: 1 })
  return {
    patrols,
    mediationCases: cases.success! + cases.failed! + cases.referred! + cases.open!,
    aftercarePeople: aftercare.people!,
    aftercareVisits: aftercare.visits!,
  }
}
