import { roleLabels, roles } from '../domain'
import { makeIdNumber } from '../idNumber'
import { normHeader, stripBrackets } from './cells'

const EXAMPLE_ID = makeIdNumber('430103', '1980-05-06', 123)
const EXAMPLE_PERSON_ID = makeIdNumber('430103', '1985-07-08', 456)

/**
 * The columns of each register as they appear in a sheet: the header the program writes, the other
 * headers clerks use for the same thing, how a cell is read, and the example the template shows.
 * One table per register serves the importer's automatic mapping, the export and the template.
 */
export const excelRegisters = ['members', 'patrols', 'mediation', 'aftercare', 'visits'] as const
export type ExcelRegister = (typeof excelRegisters)[number]

export const excelRegisterLabels: Record<ExcelRegister, string> = {
  members: '成员台账',
  patrols: '巡逻台账',
  mediation: '矛盾纠纷调解台账',
  aftercare: '安置帮教对象台账',
  visits: '帮教走访记录',
}

export type ColumnKind =
  | 'text'
  | 'id'
  | 'optionalId'
  | 'phone'
  | 'date'
  | 'time'
  | 'timeRange'
  | 'bool'
  | 'enum'
  | 'roles'
  | 'village'
  | 'grid'
  | 'unit'
  | 'member'
  | 'members'
  | 'person'
  | 'ignore'

export interface ColumnDef {
  key: string
  label: string
  aliases: string[]
  kind: ColumnKind
  required?: boolean
  /** column width in characters, for export and template */
  width: number
  /** the template's example value, as text */
  example?: string
  /** for enum: stored value → label */
  options?: Record<string, string>
  /** for enum: more words → stored value */
  optionAliases?: Record<string, string>
  /** written on export, ignored on import (序号, derived values) */
  exportOnly?: boolean
  /** read on import only (e.g. a combined 巡逻时间 column) */
  importOnly?: boolean
  /** stored as text in exported files (ID, phone, case numbers), never as a number */
  textCell?: boolean
}

const seq: ColumnDef = { key: 'seq', label: '序号', aliases: ['序', 'NO', 'No.', '顺序号'], kind: 'ignore', width: 6, exportOnly: true }

const village = (label = '所属村（社区）'): ColumnDef => ({
  key: 'villageId',
  label,
  aliases: ['所属村（社区）', '所属村(社区)', '村（社区）', '村(社区)', '村居', '所属村居', '村社区', '村/社区', '所在村', '所在村（社区）', '所属村', '所属社区', '村名', '村别', '村（居）', '巡逻村（社区）', '巡逻村', '辖区'],
  kind: 'village',
  width: 14,
  example: '新塘村',
})

const memberColumns: ColumnDef[] = [
  seq,
  { key: 'name', label: '姓名', aliases: ['名字', '成员姓名', '队员姓名', '人员姓名'], kind: 'text', required: true, width: 10, example: '张三' },
  { key: 'idNumber', label: '身份证号', aliases: ['身份证号码', '公民身份号码', '公民身份证号码', '身份证', '证件号码', '证件号', '身份证件号码'], kind: 'id', required: true, width: 21, example: EXAMPLE_ID, textCell: true },
  { key: 'sex', label: '性别', aliases: [], kind: 'ignore', width: 6, exportOnly: true },
  { key: 'phone', label: '联系电话', aliases: ['手机号', '手机号码', '手机', '电话', '电话号码', '联系方式', '联系电话（手机）'], kind: 'phone', width: 14, example: '13800138000', textCell: true },
  village(),
  { key: 'gridId', label: '所属网格', aliases: ['网格', '网格名称', '所在网格'], kind: 'grid', width: 12 },
  { key: 'unitId', label: '所属单位', aliases: ['单位', '工作单位', '单位名称', '所在单位'], kind: 'unit', width: 16 },
  { key: 'roles', label: '职务/角色', aliases: ['职务', '角色', '岗位', '身份', '职务（角色）', '人员类别', '队伍类别', '类别'], kind: 'roles', required: true, width: 22, example: '专职巡防队员、调解员' },
  { key: 'joinedOn', label: '加入日期', aliases: ['入队时间', '入队日期', '加入时间', '参加时间', '参加日期', '任职时间', '入职时间'], kind: 'date', required: true, width: 12, example: '2024-03-01' },
  { key: 'leftOn', label: '离队日期', aliases: ['离队时间', '退出时间', '退出日期', '离职时间'], kind: 'date', width: 12 },
  { key: 'notes', label: '备注', aliases: ['说明'], kind: 'text', width: 20, example: '示例行，导入时自动跳过' },
]

const patrolColumns: ColumnDef[] = [
  seq,
  { key: 'date', label: '巡逻日期', aliases: ['日期', '巡逻时间（日期）', '巡防日期', '时间'], kind: 'date', required: true, width: 12, example: '2024-03-01' },
  { key: 'time', label: '巡逻时段', aliases: ['巡逻时间', '起止时间', '巡防时间', '时段'], kind: 'timeRange', width: 13, importOnly: true },
  { key: 'startTime', label: '开始时间', aliases: ['起始时间', '出发时间', '开始'], kind: 'time', width: 9, example: '19:30' },
  { key: 'endTime', label: '结束时间', aliases: ['终止时间', '返回时间', '结束'], kind: 'time', width: 9, example: '22:00' },
  village('巡逻村（社区）'),
  {
    key: 'mode', label: '巡逻方式', aliases: ['方式', '巡防方式'], kind: 'enum', width: 10, example: '徒步巡逻',
    options: { foot: '徒步巡逻', vehicle: '车辆巡逻', electronic: '电子巡逻' },
    optionAliases: { 徒步: 'foot', 步行: 'foot', 步巡: 'foot', 车辆: 'vehicle', 车巡: 'vehicle', 巡逻车: 'vehicle', 摩托车: 'vehicle', 电动车: 'vehicle', 电子: 'electronic', 视频: 'electronic', 视频巡逻: 'electronic', 监控: 'electronic' },
  },
  { key: 'route', label: '巡逻路线', aliases: ['路线', '巡逻地点', '巡逻区域', '巡逻范围', '地点'], kind: 'text', width: 24, example: '村部—学校—农贸市场' },
  { key: 'leaderId', label: '带队人', aliases: ['带班人', '带队', '负责人', '带班领导', '队长'], kind: 'member', required: true, width: 10, example: '张三' },
  { key: 'memberIds', label: '参加人员', aliases: ['巡逻人员', '参加巡逻人员', '队员', '人员', '巡防人员', '参与人员'], kind: 'members', required: true, width: 24, example: '张三、李四' },
  { key: 'findings', label: '发现问题', aliases: ['发现情况', '巡逻情况', '发现的问题', '问题'], kind: 'text', width: 24, example: '示例行，导入时自动跳过' },
  { key: 'handling', label: '处理情况', aliases: ['处置情况', '处理结果', '处置结果'], kind: 'text', width: 24 },
]

const mediationColumns: ColumnDef[] = [
  seq,
  { key: 'caseNo', label: '案件编号', aliases: ['编号', '案号', '卷宗号', '档案号', '案件号'], kind: 'text', width: 22, textCell: true },
  { key: 'receivedOn', label: '受理日期', aliases: ['受理时间', '登记日期', '登记时间', '日期', '发生时间', '排查时间', '受理'], kind: 'date', required: true, width: 12, example: '2024-03-01' },
  {
    key: 'source', label: '纠纷来源', aliases: ['来源', '受理方式', '案件来源'], kind: 'enum', width: 9, example: '申请',
    options: { application: '申请', screening: '排查', referral: '移交' },
    optionAliases: { 当事人申请: 'application', 主动申请: 'application', 申请调解: 'application', 排查发现: 'screening', 主动排查: 'screening', 摸排: 'screening', 移送: 'referral', 委托: 'referral', 转交: 'referral' },
  },
  {
    key: 'category', label: '纠纷类型', aliases: ['类型', '纠纷类别', '案件类型', '类别'], kind: 'enum', required: true, width: 12, example: '邻里',
    options: Object.fromEntries(['婚姻家庭', '邻里', '房屋宅基地', '合同', '生产经营', '损害赔偿', '山林土地', '征地拆迁', '环境污染', '劳动争议', '消费', '医疗', '道路交通事故', '物业', '其他'].map((c) => [c, c])),
    optionAliases: { 婚姻: '婚姻家庭', 家庭: '婚姻家庭', 邻里纠纷: '邻里', 宅基地: '房屋宅基地', 房屋: '房屋宅基地', 土地: '山林土地', 山林: '山林土地', 拆迁: '征地拆迁', 征地: '征地拆迁', 劳动: '劳动争议', 劳资: '劳动争议', 交通事故: '道路交通事故', 医患: '医疗', 医疗纠纷: '医疗', 合同纠纷: '合同', 损害: '损害赔偿', 环境: '环境污染' },
  },
  village(),
  { key: 'applicants', label: '申请人', aliases: ['当事人（申请人）', '申请方', '当事人甲', '甲方', '当事人'], kind: 'text', required: true, width: 12, example: '王五' },
  { key: 'applicantId', label: '申请人身份证号', aliases: ['申请人身份证号码', '申请人证件号码'], kind: 'optionalId', width: 21, textCell: true },
  { key: 'applicantPhone', label: '申请人电话', aliases: ['申请人联系电话', '申请人手机'], kind: 'phone', width: 14, textCell: true },
  { key: 'respondents', label: '被申请人', aliases: ['当事人（被申请人）', '被申请方', '当事人乙', '乙方'], kind: 'text', width: 12, example: '赵六' },
  { key: 'respondentId', label: '被申请人身份证号', aliases: ['被申请人身份证号码', '被申请人证件号码'], kind: 'optionalId', width: 21, textCell: true },
  { key: 'respondentPhone', label: '被申请人电话', aliases: ['被申请人联系电话', '被申请人手机'], kind: 'phone', width: 14, textCell: true },
  { key: 'summary', label: '纠纷简要情况', aliases: ['纠纷简要', '简要案情', '纠纷情况', '纠纷概况', '基本情况', '主要事实', '纠纷事由', '事由', '案情'], kind: 'text', required: true, width: 30, example: '示例行，导入时自动跳过' },
  { key: 'mediatorIds', label: '调解员', aliases: ['调解人员', '调解人', '承办人'], kind: 'members', width: 12, example: '张三' },
  {
    key: 'status', label: '调解状态', aliases: ['调解结果', '状态', '结果', '处理结果', '是否调解成功'], kind: 'enum', width: 10, example: '调解成功',
    options: { pending: '待调解', mediating: '调解中', success: '调解成功', failed: '调解不成功', referred: '移交' },
    optionAliases: { 成功: 'success', 已调解: 'success', 调成: 'success', 是: 'success', 不成功: 'failed', 失败: 'failed', 调解失败: 'failed', 未成功: 'failed', 否: 'failed', 正在调解: 'mediating', 未调解: 'pending', 已移交: 'referred', 移送: 'referred' },
  },
  { key: 'mediatedOn', label: '调解日期', aliases: ['调解时间'], kind: 'date', width: 12, example: '2024-03-05' },
  {
    key: 'agreementForm', label: '协议形式', aliases: ['协议类型', '达成协议形式'], kind: 'enum', width: 9, example: '书面协议',
    options: { oral: '口头协议', written: '书面协议' },
    optionAliases: { 口头: 'oral', 书面: 'written' },
  },
  { key: 'agreement', label: '协议内容', aliases: ['协议', '调解协议', '协议主要内容'], kind: 'text', width: 24, example: '赵六赔偿王五500元' },
  {
    key: 'fulfillment', label: '履行情况', aliases: ['履行', '是否履行', '协议履行情况'], kind: 'enum', width: 9, example: '已履行',
    options: { fulfilled: '已履行', partial: '部分履行', unfulfilled: '未履行' },
    optionAliases: { 履行: 'fulfilled', 是: 'fulfilled', 已: 'fulfilled', 部分: 'partial', 否: 'unfulfilled', 未: 'unfulfilled' },
  },
  { key: 'followUpOn', label: '回访日期', aliases: ['回访时间'], kind: 'date', width: 12 },
  { key: 'followUpNote', label: '回访情况', aliases: ['回访记录', '回访结果'], kind: 'text', width: 20 },
  { key: 'closedOn', label: '结案日期', aliases: ['结案时间', '办结日期', '办结时间'], kind: 'date', width: 12, example: '2024-03-05' },
]

const aftercareColumns: ColumnDef[] = [
  seq,
  { key: 'name', label: '姓名', aliases: ['帮教对象', '帮教对象姓名', '人员姓名', '矫正对象'], kind: 'text', required: true, width: 10, example: '钱七' },
  { key: 'idNumber', label: '身份证号', aliases: ['身份证号码', '公民身份号码', '公民身份证号码', '身份证', '证件号码', '证件号'], kind: 'id', required: true, width: 21, example: EXAMPLE_PERSON_ID, textCell: true },
  {
    key: 'kind', label: '人员类别', aliases: ['类别', '人员类型', '类型', '对象类别'], kind: 'enum', required: true, width: 12, example: '刑满释放人员',
    options: { released: '刑满释放人员', community_correction: '社区矫正对象' },
    optionAliases: { 刑满释放: 'released', 刑释人员: 'released', 刑释: 'released', 释放人员: 'released', 社区矫正: 'community_correction', 矫正对象: 'community_correction', 社矫: 'community_correction', 社区服刑人员: 'community_correction' },
  },
  { key: 'crime', label: '罪名', aliases: ['原罪名', '犯罪类型', '案由'], kind: 'text', required: true, width: 12, example: '盗窃罪' },
  { key: 'sentence', label: '原判刑期', aliases: ['刑期', '原判刑罚', '判决情况'], kind: 'text', width: 12, example: '有期徒刑二年' },
  { key: 'releasedOn', label: '释放日期', aliases: ['刑满释放日期', '释放时间', '刑满释放时间', '矫正开始日期', '入矫日期', '入矫时间', '释放（矫正开始）日期'], kind: 'date', required: true, width: 12, example: '2024-03-01' },
  { key: 'aftercareUntil', label: '帮教期满日期', aliases: ['帮教期满', '帮教截止日期', '帮教期限', '矫正期满日期', '解矫日期'], kind: 'date', width: 12, example: '2029-03-01' },
  village(),
  {
    key: 'placement', label: '安置情况', aliases: ['安置', '就业情况', '安置方式', '是否安置'], kind: 'enum', width: 10, example: '务农',
    options: { employed: '就业', farming: '务农', self_employed: '自主创业', unplaced: '未安置' },
    optionAliases: { 已就业: 'employed', 务工: 'employed', 打工: 'employed', 外出务工: 'employed', 种田: 'farming', 农业: 'farming', 个体: 'self_employed', 自谋职业: 'self_employed', 经商: 'self_employed', 创业: 'self_employed', 无: 'unplaced', 待安置: 'unplaced', 否: 'unplaced' },
  },
  { key: 'unplacedReason', label: '未安置原因', aliases: ['未安置理由'], kind: 'text', width: 14 },
  { key: 'helperIds', label: '帮教人员', aliases: ['帮教责任人', '帮教人', '帮教小组成员', '责任人'], kind: 'members', width: 14, example: '张三' },
  { key: 'handoverOn', label: '衔接日期', aliases: ['衔接时间', '接收日期'], kind: 'date', width: 12, example: '2024-03-02' },
  { key: 'handover', label: '衔接情况', aliases: ['衔接'], kind: 'text', width: 14, example: '已衔接' },
  {
    key: 'risk', label: '危险性评估', aliases: ['危险程度', '风险等级', '危险性', '评估等级'], kind: 'enum', width: 10, example: '低',
    options: { low: '低', medium: '中', high: '高' },
    optionAliases: { 低风险: 'low', 中风险: 'medium', 高风险: 'high', 一般: 'low', 较低: 'low', 较高: 'high' },
  },
  { key: 'registeredAddress', label: '户籍地', aliases: ['户籍地址', '户籍所在地', '户口所在地'], kind: 'text', width: 20 },
  { key: 'address', label: '现住地', aliases: ['现住址', '现居住地', '住址', '居住地', '家庭住址'], kind: 'text', width: 20 },
  { key: 'reoffendedOn', label: '重新犯罪日期', aliases: ['重新犯罪时间', '再犯罪日期'], kind: 'date', width: 12 },
  { key: 'lostContact', label: '脱管漏管', aliases: ['是否脱管', '是否脱管漏管', '脱管', '漏管'], kind: 'bool', width: 9, example: '否' },
  { key: 'notes', label: '备注', aliases: ['说明'], kind: 'text', width: 20, example: '示例行，导入时自动跳过' },
]

const visitColumns: ColumnDef[] = [
  seq,
  { key: 'personName', label: '帮教对象', aliases: ['帮教对象姓名', '姓名', '对象姓名', '走访对象'], kind: 'person', width: 10, example: '钱七' },
  { key: 'personIdNumber', label: '身份证号', aliases: ['帮教对象身份证号', '身份证号码', '公民身份号码', '证件号码'], kind: 'optionalId', width: 21, textCell: true, example: EXAMPLE_PERSON_ID },
  { key: 'date', label: '走访日期', aliases: ['走访时间', '帮教日期', '帮教时间', '日期'], kind: 'date', required: true, width: 12, example: '2024-04-10' },
  { key: 'helperIds', label: '走访人员', aliases: ['帮教人员', '走访人', '帮教人'], kind: 'members', required: true, width: 16, example: '张三' },
  { key: 'content', label: '走访内容', aliases: ['帮教内容', '走访情况', '帮教情况', '内容'], kind: 'text', required: true, width: 36, example: '示例行，导入时自动跳过' },
]

export const excelColumns: Record<ExcelRegister, ColumnDef[]> = {
  members: memberColumns,
  patrols: patrolColumns,
  mediation: mediationColumns,
  aftercare: aftercareColumns,
  visits: visitColumns,
}

/** Columns read on import, in sheet order. */
export function importColumns(register: ExcelRegister): ColumnDef[] {
  return excelColumns[register].filter((c) => !c.exportOnly)
}

/** Columns written on export and in templates. */
export function exportColumns(register: ExcelRegister): ColumnDef[] {
  return excelColumns[register].filter((c) => !c.importOnly)
}

/** The field a header names, or null; '' for headers that are known but not imported (序号, 性别…). */
export function matchHeader(register: ExcelRegister, header: string): string | null {
  const h = normHeader(header)
  if (!h) return null
  const cols = excelColumns[register]
  const names = (c: ColumnDef) => [c.label, ...c.aliases].map(normHeader)
  for (const c of cols) if (names(c).includes(h)) return c.exportOnly ? '' : c.key
  const bare = stripBrackets(h)
  if (bare && bare !== h) for (const c of cols) if (names(c).map(stripBrackets).includes(bare)) return c.exportOnly ? '' : c.key
  if (['出生日期', '出生年月', '年龄', '民族', '文化程度', '政治面貌'].includes(bare)) return ''
  return null
}

/** Maps sheet headers (1-based column → text) to fields: each field takes the first column that names it. */
export function suggestMapping(register: ExcelRegister, headers: Record<number, string>): Record<string, number | null> {
  const mapping: Record<string, number | null> = {}
  for (const c of importColumns(register)) mapping[c.key] = null
  for (const [col, text] of Object.entries(headers)) {
    const f = matchHeader(register, text)
    if (f && mapping[f] === null) mapping[f] = Number(col)
  }
  return mapping
}

/** Words a clerk writes for each role, besides its label. */
const roleAliases: Record<string, (typeof roles)[number]> = {
  站长: 'station_head', 工作站站长: 'station_head', 综治站长: 'station_head',
  专干: 'officer', 综治专员: 'officer',
  专职巡防: 'patrol_fulltime', 专职巡逻队员: 'patrol_fulltime', 专职队员: 'patrol_fulltime', 巡防队员: 'patrol_fulltime', 专职巡防员: 'patrol_fulltime',
  兼职巡防: 'patrol_parttime', 兼职巡防队员: 'patrol_parttime', 群防群治队员: 'patrol_parttime', 兼职队员: 'patrol_parttime', 义务巡逻队员: 'patrol_parttime', 义务巡防队员: 'patrol_parttime', 群防群治: 'patrol_parttime',
  网格管理员: 'gridder', 专职网格员: 'gridder', 兼职网格员: 'gridder',
  人民调解员: 'mediator', 调解委员: 'mediator', 调委会主任: 'mediator',
  治保委员: 'security_director',
  志愿者: 'volunteer', 平安志愿者: 'volunteer',
  协会会员: 'association_member', 会员: 'association_member', 平安协会会员: 'association_member',
  红袖章: 'red_armband', 红袖标队员: 'red_armband',
  保安员: 'guard',
  帮教员: 'aftercare_helper', 帮教责任人: 'aftercare_helper', 帮教志愿者: 'aftercare_helper',
}

/** 专职巡防队员、调解员 → ['patrol_fulltime', 'mediator']; unknown words are returned apart. */
export function parseRoles(text: string): { roles: (typeof roles)[number][]; unknown: string[] } {
  const byWord = new Map<string, (typeof roles)[number]>()
  for (const r of roles) byWord.set(roleLabels[r], r)
  for (const [w, r] of Object.entries(roleAliases)) byWord.set(w, r)
  const out: (typeof roles)[number][] = []
  const unknown: string[] = []
  let rest = text.trim()
  // labels that themselves contain a separator go first
  for (const [w, r] of byWord)
    if (w.includes('/') && rest.includes(w)) {
      out.push(r)
      rest = rest.split(w).join('、')
    }
  for (const part of rest.split(/[、,，;；/\s]+/).map((s) => s.trim()).filter(Boolean)) {
    const r = byWord.get(part)
    if (r) out.push(r)
    else unknown.push(part)
  }
  return { roles: [...new Set(out)], unknown }
}

/** An enum cell's text → stored value, or null. */
export function parseOption(col: ColumnDef, text: string): string | null {
  const t = text.trim().replace(/\s+/g, '')
  if (!t || !col.options) return null
  for (const [value, label] of Object.entries(col.options)) if (label === t || value === t) return value
  if (col.optionAliases?.[t]) return col.optionAliases[t]!
  for (const [value, label] of Object.entries(col.options)) if (label.startsWith(t) || t.startsWith(label)) return value
  return null
}
