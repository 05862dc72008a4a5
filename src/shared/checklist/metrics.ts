/**
 * The fixed list of metrics the checklist engine computes from the registers (DESIGN §3).
 * A catalog's metric check names one of these; anything the registers cannot give is a value check
 * (a number the clerk enters) instead.
 *
 * Conventions:
 * - Rates are fractions 0..1 (unit '%'); a rate over zero cases is null ("no data"), never 1.
 * - "Active" member: `deletedAt` null, `joinedOn` ≤ 31 Dec Y, and `leftOn` null or ≥ 1 Jan Y.
 * - Scope: a village/community target → that village; the township/street → the whole township. A
 *   criterion of kind `common` is evaluated for each concrete target (village, community, unit) with
 *   that target's scope.
 * - A unit is judged on its own records (its members, its hazards). Cases and aftercare people belong
 *   to villages, never to a unit: for a unit target a `byVillage` metric is asked of the clerk as the
 *   unit's own figure (a value under the metric's name), never borrowed from its village.
 * - 专职 counts patrol_fulltime only; 专兼职 counts both roles. 刑满释放/刑释解教 metrics count people of
 *   kind `released`, 社区矫正/服刑人员 metrics people of kind `community_correction`.
 *
 * No Node, no DOM: this file is shared by main and renderer.
 */

import type { TargetKind } from './catalog'

export type MetricUnit = '%' | '人' | '件'

export interface MetricDef {
  /** Chinese label shown to the clerk */
  readonly label: string
  readonly unit: MetricUnit
  /** criterion target kinds (or a check's `appliesTo` kinds) the metric may be used with */
  readonly appliesTo: readonly TargetKind[]
  /** how it is computed, for the engine's author and for the 自查 report's footnote */
  readonly description: string
  /** counted from records that belong to villages (cases, aftercare people): a unit enters its own figure */
  readonly byVillage?: true
}

/** target kinds that are villages, the township, or a `common` criterion evaluated for them */
const areaKinds = ['village', 'community', 'unit', 'common', 'township', 'street'] as const satisfies readonly TargetKind[]
/** target kinds backed by a `unit` row */
export const unitTargetKinds = [
  'unit',
  'school',
  'hospital',
  'market',
  'scenic',
  'enterprise',
  'property',
  'business',
  'association',
] as const satisfies readonly TargetKind[]
const rollupKinds = ['village', 'community', 'common', 'township', 'street'] as const satisfies readonly TargetKind[]

export const metrics = {
  patrolTeamSize: {
    label: '巡防队员人数（专兼职）',
    unit: '人',
    appliesTo: ['village', 'community', 'common'],
    byVillage: true,
    description: '本村（社区）在册的专职、兼职巡防队员人数：角色含 patrol_fulltime 或 patrol_parttime 的在职成员（villageId 为该村），每人计一次。',
  },
  fulltimePatrolTeamSize: {
    label: '专职巡防队员人数',
    unit: '人',
    appliesTo: ['village', 'community', 'common'],
    byVillage: true,
    description: '本村（社区）在册的专职巡防队员人数：角色含 patrol_fulltime 的在职成员（villageId 为该村）；兼职队员不计。',
  },
  villagePatrolTeamMin: {
    label: '各村巡防队最少人数',
    unit: '人',
    appliesTo: ['township', 'street'],
    description: '全乡镇 kind=village 的各村 patrolTeamSize 中的最小值；没有村时为 null。',
  },
  communityPatrolTeamMin: {
    label: '各社区巡防队最少人数',
    unit: '人',
    appliesTo: ['township', 'street'],
    description: '全乡镇 kind=community 的各社区 patrolTeamSize 中的最小值；没有社区时为 null。',
  },
  villageFulltimePatrolMin: {
    label: '各村专职巡防队最少人数',
    unit: '人',
    appliesTo: ['township', 'street'],
    description: '全乡镇 kind=village 的各村 fulltimePatrolTeamSize 中的最小值；没有村时不适用。',
  },
  communityFulltimePatrolMin: {
    label: '各社区专职巡防队最少人数',
    unit: '人',
    appliesTo: ['township', 'street'],
    description: '全乡镇 kind=community 的各社区 fulltimePatrolTeamSize 中的最小值；没有社区时不适用。',
  },
  mediationRate: {
    label: '矛盾纠纷调解率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年受理的矛盾纠纷中状态不是 pending 的件数 / 当年受理件数（调解中、调解成功、不成功和移交都算已调处）。',
  },
  mediationSuccessRate: {
    label: '调解成功率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年受理的案件中 success / (success + failed)；移交的案件不计入。',
  },
  mediationFulfillmentRate: {
    label: '调解协议履行率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年受理且调解成功的案件中 fulfillment = fulfilled 的比例。',
  },
  aftercareRate: {
    label: '帮教率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的对象中，有帮教人员且当年至少走访一次的比例。',
  },
  placementRate: {
    label: '安置率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的对象中 placement 不是 unplaced 的比例。',
  },
  recidivismRate: {
    label: '重新犯罪率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的对象中 reoffendedOn 在当年的比例。',
  },
  lostContactCount: {
    label: '脱管漏管人数',
    unit: '人',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内、有脱管漏管时段与当年相交的帮教对象人数（各类人员；无帮教对象时为 0）。',
  },
  releasedAftercareRate: {
    label: '刑满释放人员帮教率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的刑满释放人员（kind=released）中，有帮教人员且当年至少走访一次的比例。社区矫正对象不计。',
  },
  releasedPlacementRate: {
    label: '刑满释放人员安置率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的刑满释放人员中 placement 不是 unplaced 的比例。社区矫正对象不计。',
  },
  releasedRecidivismRate: {
    label: '刑满释放人员重新犯罪率',
    unit: '%',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在帮教期内的刑满释放人员中 reoffendedOn 在当年的比例。社区矫正对象不计。',
  },
  correctionLostContactCount: {
    label: '社区矫正对象脱管漏管人数',
    unit: '人',
    appliesTo: areaKinds,
    byVillage: true,
    description: '当年在矫正期内的社区矫正对象（kind=community_correction）中，有脱管漏管时段（起止日期）与当年相交的人数。',
  },
  redArmbandRatio: {
    label: '红袖标会员占住户比例',
    unit: '%',
    appliesTo: ['grid'],
    description: '本网格角色含 red_armband 的在职成员人数 / 网格 households；住户数为 0 时为 null。',
  },
  associationRatio: {
    label: '平安创建协会会员占住户比例',
    unit: '%',
    appliesTo: ['village', 'community'],
    description: '本村角色含 association_member 的在职成员人数 / 村 households；住户数为 0 时为 null。',
  },
  guardCount: {
    label: '专职保安人数',
    unit: '人',
    appliesTo: unitTargetKinds,
    description: '本单位（unitId）角色含 guard 的在职成员人数。',
  },
  guardSufficiency: {
    label: '专职治安保卫人员配备率',
    unit: '%',
    appliesTo: unitTargetKinds,
    description:
      '本单位 guardCount / requiredGuards(headcount)（全县平安村居建构方案 工作措施9）；≥1 即配足。headcount 未填时为 null。',
  },
  hazardRectificationRate: {
    label: '安全隐患整改率',
    unit: '%',
    appliesTo: [...areaKinds, ...unitTargetKinds],
    description: '当年发现的安全隐患中，到年底（当年则到今天）已销号的比例；单位按本单位的隐患，村按本村的隐患，乡镇按全部。没有隐患时为 null。',
  },
  hazardOverdueCount: {
    label: '逾期未整改隐患',
    unit: '件',
    appliesTo: [...areaKinds, ...unitTargetKinds],
    description: '到年底（当年则到今天）仍未销号且已过整改期限的安全隐患件数（范围同安全隐患整改率）。',
  },
  hazardOpenCount: {
    label: '未销号隐患',
    unit: '件',
    appliesTo: [...areaKinds, ...unitTargetKinds],
    description: '到年底（当年则到今天）已发现、尚未销号的安全隐患件数（范围同安全隐患整改率）。',
  },
  openFireHazardCount: {
    label: '未销号火灾隐患',
    unit: '件',
    appliesTo: [...areaKinds, ...unitTargetKinds],
    description: '到年底（当年则到今天）已发现、尚未销号的消防类安全隐患件数（范围同安全隐患整改率）。',
  },
  creationRate: {
    label: '创建率',
    unit: '%',
    appliesTo: rollupKinds,
    description:
      '范围内（村：该村的网格和 villageId 为该村的单位，不含平安家庭；乡镇：本标准集的全部村、社区、网格、单位和平安家庭）当年参加创建（有自查记录）的对象数 / 对象总数。',
  },
  passRate: {
    label: '达标率',
    unit: '%',
    appliesTo: rollupKinds,
    description: '范围同创建率：当年参加创建的对象中全部适用标准均达到的对象数 / 参加创建的对象数；各条均不适用的对象不计入分子和分母。',
  },
  passShare: {
    label: '达标对象占全部对象的比例',
    unit: '%',
    appliesTo: rollupKinds,
    description: '范围同创建率：全部适用标准均达到的对象数 / 全部对象数（未参加创建的对象计入分母）；各条均不适用的对象不计入分子和分母。',
  },
} as const satisfies Record<string, MetricDef>

export type MetricName = keyof typeof metrics

export const metricNames = Object.keys(metrics) as [MetricName, ...MetricName[]]

export function isMetricName(s: string): s is MetricName {
  return Object.prototype.hasOwnProperty.call(metrics, s)
}

/**
 * Required full-time security staff (专职治安保卫人员) for a unit of `headcount` people, per 全县平安村居建构方案
 * 五、工作措施 9: 200人以下 → 2; 200人以上、500人以下 → 3; 500人以上、2000人以下 → 5‰; 2000人以上 → 4‰
 * (rounded up). 以上/以下 include the number itself, so a unit of exactly 200, 500 or 2000 sits in two
 * bands: it must meet both, i.e. the larger number (200 → 3, 500 → 3, 2000 → 10). docs/standards.md.
 * null when the headcount is unknown (0 or not a number).
 */
export function requiredGuards(headcount: number): number | null {
  if (!Number.isFinite(headcount) || headcount <= 0) return null
  const bands: number[] = []
  if (headcount <= 200) bands.push(2)
  if (headcount >= 200 && headcount <= 500) bands.push(3)
  if (headcount >= 500 && headcount <= 2000) bands.push(Math.ceil((headcount * 5) / 1000))
  if (headcount >= 2000) bands.push(Math.ceil((headcount * 4) / 1000))
  return Math.max(...bands)
}
