import { contract } from '../../shared/api/contract'
import type { HazardCategory, HazardLevel, HazardStatus } from '../../shared/hazards/types'
import { closedOnTime } from '../../shared/hazards/stage'
import type { Ctx } from '../context'
import { createHazard } from '../hazards/write'
import type { DemoOrg, DemoStep } from './demo'
import { personName, rng, type Rng } from './random'

/**
 * The demo township's 安全隐患排查整改台账: each village's own checks (ponds and rivers, old houses,
 * village roads, wiring) and each unit's (schools', markets' and firms' fire and electric hazards,
 * the school canteen's food safety), over the same years as the other registers. Most are closed by
 * their deadline, some late, the newest still open or being fixed, and a couple past their
 * deadline, so the rates, the overdue reminders and the 逾期 tag all have something to show.
 *
 * Every hazard goes in through the register's own form schema and write path (the stage rule,
 * the references, the audit trail), so the demo holds only what a clerk could have entered.
 */

interface Template {
  category: HazardCategory
  location: string
  description: string
  measures: string
  result: string
}

const T = (category: HazardCategory, location: string, description: string, measures: string, result: string): Template => ({ category, location, description, measures, result })

const VILLAGE: Template[] = [
  T('water', '沿河路下河台阶', '河边无防护栏和警示牌，暑期常有儿童下河玩水', '设置防溺水警示牌和救生圈，安排志愿者暑期巡河', '已设警示牌3块、救生圈2个，巡河排班落实'),
  T('water', '村部后山塘', '山塘坝体无护栏，塘边杂草遮挡视线', '加装护栏，清理塘边杂草，设置警示标识', '护栏已安装，杂草已清理，警示牌已设置'),
  T('water', '机埠旁水渠', '水渠盖板破损，行人夜间易失足', '更换破损盖板，加装路灯', '盖板已更换，路灯已通电'),
  T('building', '三组老屋', '土坯房墙体开裂，仍有老人居住', '动员住户搬离，设置警戒线，纳入危房改造', '住户已搬至亲属家，老屋已封闭'),
  T('building', '村小旧教学楼', '闲置旧楼屋面瓦片松动，临近村道', '拆除松动瓦片，设置围挡', '屋面已处理，围挡已设置'),
  T('traffic', '村道急弯处', '急弯无反光镜和减速带，夜间视线差', '安装凸面镜和减速带，设置警示标志', '凸面镜、减速带已安装'),
  T('traffic', '学校门口村道', '上下学时段车辆乱停，学生横穿马路', '施划斑马线，安排护学岗', '斑马线已施划，护学岗每日到岗'),
  T('electric', '五组民房', '电线私拉乱接，电动车在楼道内充电', '拆除私拉电线，引导到集中充电点充电', '私拉电线已拆除，住户已签承诺书'),
  T('fire', '村部会议室', '灭火器过期，消防通道堆放杂物', '更换灭火器，清理通道杂物', '灭火器已更换，通道已清理'),
  T('security', '村口废旧厂房', '厂房闲置无人管理，有外来人员夜间逗留', '封堵出入口，纳入夜间巡逻路线', '出入口已封堵，已列入巡逻点'),
]

const COMMUNITY: Template[] = [
  T('fire', '3栋楼道', '楼道堆放纸箱杂物，堵塞疏散通道', '通知住户清理，物业每周巡查', '杂物已清理，已张贴禁堆放告示'),
  T('electric', '小区地下车库', '电动车在车库内飞线充电', '拆除飞线，增设集中充电桩', '飞线已拆除，新增充电桩20个'),
  T('fire', '沿街门面', '门面“三合一”住人，未配灭火器', '责令人员搬离，配齐灭火器', '人员已搬离，灭火器已配齐'),
  T('building', '老旧小区围墙', '围墙倾斜开裂，靠近人行道', '设置警戒区，联系产权单位加固', '围墙已拆除重砌'),
  T('security', '小区东门', '门禁损坏，外来人员随意进出', '维修门禁，加强门岗登记', '门禁已修复，门岗登记落实'),
  T('traffic', '社区主干道', '路口无信号灯，早晚高峰拥堵', '协调交警设置临时指示牌，高峰时段疏导', '指示牌已设置，高峰时段有人疏导'),
]

const UNIT: Record<string, Template[]> = {
  school: [
    T('fire', '教学楼走廊', '部分灭火器压力不足，应急照明灯不亮', '更换灭火器，维修应急照明', '灭火器已更换，应急照明已修复'),
    T('electric', '学生宿舍', '宿舍内发现学生私用电热毯和充电插排', '收缴违规电器，开展用电安全教育', '违规电器已收缴，已组织安全教育'),
    T('food', '学校食堂', '留样记录不全，部分食材无进货凭证', '完善留样和索证索票制度，专人负责', '留样记录已完善，索证索票落实'),
    T('building', '学校围墙', '围墙一段倾斜，临近学生活动区', '设置隔离带，维修加固围墙', '围墙已加固'),
  ],
  market: [
    T('fire', '市场B区摊位', '摊位间通道被货物占用，消防栓被遮挡', '清理通道，消防栓前划定禁放区', '通道已清理，禁放区已划线'),
    T('electric', '市场配电房', '配电箱线路老化，未上锁', '更换老化线路，配电箱上锁专人管理', '线路已更换，配电箱已上锁'),
    T('food', '市场水产区', '部分摊位无健康证，活禽与水产混放', '督促办理健康证，分区经营', '健康证已办理，活禽区已分隔'),
  ],
  hospital: [
    T('fire', '住院部楼梯间', '防火门常开，闭门器损坏', '维修闭门器，防火门保持常闭', '闭门器已更换'),
    T('electric', '药房', '空调插座线路过载发热', '更换线路，分路供电', '线路已改造'),
  ],
  enterprise: [
    T('fire', '生产车间', '车间内吸烟，易燃物料堆放过近', '设置禁烟标识，物料分区存放', '已分区存放，禁烟落实'),
    T('electric', '仓库', '仓库内使用碘钨灯照明', '更换为防爆照明', '已更换为LED防爆灯'),
  ],
  scenic: [
    T('water', '风光带亲水平台', '亲水平台护栏缺失一段，无救生设施', '补齐护栏，配置救生圈和警示牌', '护栏已补齐，救生设施已配置'),
    T('traffic', '景区停车场出口', '出口视线受阻，无减速设施', '修剪绿化，加装减速带', '绿化已修剪，减速带已安装'),
  ],
  property: [
    T('fire', '小区消防控制室', '值班人员无证上岗，消防主机有故障报警', '安排持证人员值班，维修消防主机', '持证人员已到岗，主机故障已排除'),
    T('electric', '小区电动车棚', '车棚内充电线路裸露', '更换线路，加装漏电保护', '线路已更换，漏电保护已安装'),
  ],
  business: [
    T('fire', '建材城仓库', '油漆等易燃品与普通建材混放', '易燃品单独存放，配齐灭火器', '已单独存放，灭火器已配齐'),
    T('electric', '商铺门头', '广告灯箱线路老化', '更换线路，定期检查', '线路已更换'),
  ],
}
const OTHER_UNIT: Template[] = [T('fire', '办公楼', '灭火器过期，疏散指示标志损坏', '更换灭火器和疏散指示标志', '已更换')]

const DAY = 86_400_000
const dayNo = (iso: string) => Date.parse(iso + 'T00:00:00Z') / DAY
const isoOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10)
const addDays = (iso: string, n: number) => isoOf(dayNo(iso) + n)
const minIso = (a: string, b: string) => (a < b ? a : b)

function level(r: Rng): HazardLevel {
  const x = r.next()
  return x < 0.75 ? 'general' : x < 0.95 ? 'major' : 'severe'
}

/** days allowed to put it right: more for bigger hazards, as a 整改通知书 would give */
const ALLOWED: Record<HazardLevel, [number, number]> = { general: [7, 20], major: [15, 45], severe: [30, 90] }

interface Plan {
  villageId: string | null
  unitId: string | null
  template: Template
  foundOn: string
}

export interface HazardGenOptions {
  today: string
  from: string
  /** open hazards left past their deadline (found 3 weeks to 3 months ago) */
  overdue: number
  /** hazards found in the last week, not yet closed */
  fresh: number
}

/** Hazards over [from, today]: per village a few a year, per unit one to three. Returns counts by outcome. */
export function generateHazards(ctx: Ctx, org: Pick<DemoOrg, 'villages' | 'units'>, r: Rng, o: HazardGenOptions): Record<HazardStatus | 'late' | 'overdue', number> {
  const years = (dayNo(o.today) - dayNo(o.from) + 1) / 365
  const plans: Plan[] = []
  const day = () => isoOf(dayNo(o.from) + Math.floor(r.next() * (dayNo(o.today) - dayNo(o.from) + 1)))
  for (const v of org.villages) {
    const pool = v.kind === 'community' ? COMMUNITY : VILLAGE
    const n = Math.round(r.int(3, 6) * years)
    for (let i = 0; i < n; i++) plans.push({ villageId: v.id, unitId: null, template: r.pick(pool), foundOn: day() })
  }
  for (const u of org.units) {
    const pool = UNIT[u.kind] ?? OTHER_UNIT
    const n = Math.round(r.int(1, 3) * years)
    // a unit alone: the hazard takes the unit's village (the write path fills it in). Its kinds in
    // turn, fire and electric first, so every school and market has both whatever the date.
    for (let i = 0; i < n; i++) plans.push({ villageId: null, unitId: u.id, template: pool[i % pool.length]!, foundOn: day() })
  }
  plans.sort((a, b) => (a.foundOn < b.foundOn ? -1 : a.foundOn > b.foundOn ? 1 : 0))
  // the newest few were found this week and are still being dealt with
  const fresh = new Set(plans.slice(-o.fresh))
  for (const p of fresh) p.foundOn = addDays(o.today, -r.int(0, 6))

  // the write path judges dates against the demo's today, not the machine's
  const c = { ...ctx, today: () => o.today }
  const create = contract['hazards.create'].input
  const out: Record<HazardStatus | 'late' | 'overdue', number> = { open: 0, rectifying: 0, closed: 0, late: 0, overdue: 0 }
  let overdueLeft = o.overdue
  for (const p of plans) {
    const lv = level(r)
    const [lo, hi] = ALLOWED[lv]
    const deadline = addDays(p.foundOn, r.int(lo, hi))
    const age = dayNo(o.today) - dayNo(p.foundOn)
    let status: HazardStatus
    let closedOn: string | null = null
    if (fresh.has(p)) status = r.chance(0.5) ? 'open' : 'rectifying'
    else if (overdueLeft > 0 && deadline < o.today && age >= 21 && age <= 90) {
      status = r.chance(0.5) ? 'open' : 'rectifying'
      overdueLeft--
    } else if (deadline >= o.today) {
      // not yet due: some already fixed, the rest in hand
      const x = r.next()
      status = x < 0.45 && age >= 2 ? 'closed' : x < 0.75 ? 'rectifying' : 'open'
      if (status === 'closed') closedOn = addDays(p.foundOn, r.int(1, age))
    } else {
      status = 'closed'
      // most on time; some a week or three late
      closedOn = r.chance(0.86) ? addDays(p.foundOn, r.int(1, dayNo(deadline) - dayNo(p.foundOn))) : minIso(addDays(deadline, r.int(1, 21)), o.today)
    }
    const t = p.template
    const input = create.parse({
      foundOn: p.foundOn,
      villageId: p.villageId,
      unitId: p.unitId,
      location: t.location,
      category: t.category,
      description: t.description,
      level: lv,
      foundBy: personName(r),
      responsible: personName(r),
      deadline,
      measures: status === 'open' ? '' : t.measures,
      result: status === 'closed' ? t.result : status === 'rectifying' ? '正在整改' : '',
      reviewer: status === 'closed' ? personName(r) : '',
      closedOn,
      status,
    })
    const h = createHazard(c, input)
    out[status]++
    if (status === 'closed' && !closedOnTime(h)) out.late++
    if (h.overdue) out.overdue++
  }
  return out
}

/** The demo step: three years of hazards, with its own seed so the other registers' data stay as they were. */
export const hazardsDemo: DemoStep = (ctx, org, _r, opts) => {
  const year = Number(opts.today.slice(0, 4))
  const out = generateHazards(ctx, org, rng(20260316 + opts.scale), { today: opts.today, from: `${year - 2}-01-01`, overdue: 2, fresh: 3 })
  return { hazards: out.open + out.rectifying + out.closed }
}
