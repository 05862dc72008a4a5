/** Fields every record table carries (DESIGN §3). */
export interface RecordBase {
  id: string
  createdAt: string
  updatedAt: string
  deletedAt: string | null
  /** the township's 区划代码, so a county database can hold many townships */
  township: string
}

export const roles = [
  'station_head',
  'officer',
  'patrol_fulltime',
  'patrol_parttime',
  'grid_head',
  'gridder',
  'mediator',
  'security_director',
  'volunteer',
  'association_member',
  'red_armband',
  'guard',
  'aftercare_helper',
] as const
export type Role = (typeof roles)[number]

export const roleLabels: Record<Role, string> = {
  station_head: '综治工作站站长',
  officer: '综治专干',
  patrol_fulltime: '专职巡防队员',
  patrol_parttime: '兼职巡防/群防群治队员',
  grid_head: '网格长',
  gridder: '网格员',
  mediator: '调解员',
  security_director: '治保主任',
  volunteer: '志愿者',
  association_member: '平安创建协会会员',
  red_armband: '红袖标',
  guard: '保安',
  aftercare_helper: '帮教人员',
}

export const patrolRoles: readonly Role[] = ['patrol_fulltime', 'patrol_parttime']

export const villageKinds = ['village', 'community'] as const
export type VillageKind = (typeof villageKinds)[number]
export const villageKindLabels: Record<VillageKind, string> = { village: '村', community: '社区' }

export const unitKinds = [
  'school',
  'hospital',
  'enterprise',
  'market',
  'scenic',
  'property',
  'business',
  'association',
  'peace_association',
  'agency',
  'institution',
  'other',
] as const
export type UnitKind = (typeof unitKinds)[number]
export const unitKindLabels: Record<UnitKind, string> = {
  school: '学校',
  hospital: '医院',
  enterprise: '企业',
  market: '市场',
  scenic: '景区景点',
  property: '物业小区',
  business: '商户',
  association: '社会组织',
  peace_association: '平安创建协会',
  agency: '机关单位',
  institution: '事业单位',
  other: '其他',
}

export const modes = ['township', 'county'] as const
export type Mode = (typeof modes)[number]
