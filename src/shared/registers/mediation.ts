import type { MediationCase } from '../mediation/schema'
import { fieldOf, seqColumn, sheetColumn, villageColumn, type RegisterDefinition } from './define'

export const caseSourceOptions = { application: '申请', screening: '排查', referral: '移交' } as const
/** The 15 usual dispute types; the value is the Chinese name itself. */
export const caseCategoryOptions = {
  婚姻家庭: '婚姻家庭',
  邻里: '邻里',
  房屋宅基地: '房屋宅基地',
  合同: '合同',
  生产经营: '生产经营',
  损害赔偿: '损害赔偿',
  山林土地: '山林土地',
  征地拆迁: '征地拆迁',
  环境污染: '环境污染',
  劳动争议: '劳动争议',
  消费: '消费',
  医疗: '医疗',
  道路交通事故: '道路交通事故',
  物业: '物业',
  其他: '其他',
} as const
export const caseStatusOptions = { pending: '待调解', mediating: '调解中', success: '调解成功', failed: '调解不成功', referred: '移交' } as const
export const agreementFormOptions = { oral: '口头协议', written: '书面协议' } as const
export const fulfillmentOptions = { fulfilled: '已履行', partial: '部分履行', unfulfilled: '未履行' } as const
export const partySideOptions = { applicant: '申请人', respondent: '被申请人', third: '第三人' } as const
const statusColor: Record<string, string> = { pending: 'orange', mediating: 'blue', success: 'green', failed: 'red', referred: 'default' }

const fields = [
  { key: 'caseNo', label: '案件编号', kind: 'text' },
  { key: 'receivedOn', label: '受理日期', kind: 'date', required: true },
  { key: 'source', label: '纠纷来源', kind: 'enum', options: caseSourceOptions },
  { key: 'category', label: '纠纷类型', kind: 'enum', options: caseCategoryOptions, required: true },
  { key: 'villageId', label: '所属村（社区）', kind: 'village', required: true },
  { key: 'summary', label: '纠纷简要情况', kind: 'text', required: true },
  { key: 'parties', label: '当事人', kind: 'list' },
  { key: 'name', label: '姓名', kind: 'text' },
  { key: 'idNumber', label: '身份证号', kind: 'idNumber', personal: 'idNumber' },
  { key: 'phone', label: '联系电话', kind: 'phone', personal: 'phone' },
  { key: 'address', label: '住址', kind: 'text' },
  { key: 'side', label: '当事人身份', kind: 'enum', options: partySideOptions },
  { key: 'mediatorIds', label: '调解员', kind: 'members' },
  { key: 'status', label: '调解状态', kind: 'enum', options: caseStatusOptions },
  { key: 'mediatedOn', label: '调解日期', kind: 'date' },
  { key: 'agreementForm', label: '协议形式', kind: 'enum', options: agreementFormOptions },
  { key: 'agreement', label: '协议内容', kind: 'text' },
  { key: 'performanceMethod', label: '履行方式', kind: 'text' },
  { key: 'performancePlace', label: '履行地点', kind: 'text' },
  { key: 'performanceDeadline', label: '履行期限', kind: 'text' },
  { key: 'fulfillment', label: '履行情况', kind: 'enum', options: fulfillmentOptions },
  { key: 'followUps', label: '回访记录', kind: 'list' },
  { key: 'date', label: '回访日期', kind: 'date' },
  { key: 'note', label: '回访情况', kind: 'text' },
  { key: 'closedOn', label: '结案日期', kind: 'date' },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'mediation', fields }, key)

function partiesText(c: MediationCase): string {
  const parts: string[] = []
  if (c.applicantNames) parts.push(`申请人：${c.applicantNames}`)
  if (c.respondentNames) parts.push(`被申请人：${c.respondentNames}`)
  const third = c.parties.filter((p) => p.side === 'third').map((p) => p.name)
  if (third.length) parts.push(`第三人：${third.join('、')}`)
  return parts.join('\n')
}

const opt = (o: Record<string, string>, v: string | null) => (v ? (o[v] ?? v) : '')

export const mediationRegister: RegisterDefinition<MediationCase> = {
  key: 'mediation',
  table: 'mediation_cases',
  api: 'mediation',
  title: '矛盾纠纷调解台账',
  noun: '矛盾纠纷',
  countWord: '件矛盾纠纷',
  fields,
  nameField: 'caseNo',
  villageField: 'villageId',
  dateField: 'receivedOn',
  searchHint: '搜索编号、当事人、情况、村',
  excel: [
    seqColumn,
    sheetColumn(f('caseNo'), 'text', { aliases: ['编号', '案号', '卷宗号', '档案号', '案件号'], width: 22, textCell: true }),
    sheetColumn(f('receivedOn'), 'date', { aliases: ['受理时间', '登记日期', '登记时间', '日期', '发生时间', '排查时间', '受理'], width: 12, example: '2024-03-01' }),
    sheetColumn(f('source'), 'enum', {
      aliases: ['来源', '受理方式', '案件来源'], width: 9, example: '申请',
      optionAliases: { 当事人申请: 'application', 主动申请: 'application', 申请调解: 'application', 排查发现: 'screening', 主动排查: 'screening', 摸排: 'screening', 移送: 'referral', 委托: 'referral', 转交: 'referral' },
    }),
    sheetColumn(f('category'), 'enum', {
      aliases: ['类型', '纠纷类别', '案件类型', '类别'], width: 12, example: '邻里',
      optionAliases: { 婚姻: '婚姻家庭', 家庭: '婚姻家庭', 邻里纠纷: '邻里', 宅基地: '房屋宅基地', 房屋: '房屋宅基地', 土地: '山林土地', 山林: '山林土地', 拆迁: '征地拆迁', 征地: '征地拆迁', 劳动: '劳动争议', 劳资: '劳动争议', 交通事故: '道路交通事故', 医患: '医疗', 医疗纠纷: '医疗', 合同纠纷: '合同', 损害: '损害赔偿', 环境: '环境污染' },
    }),
    { ...villageColumn(f('villageId')), required: false },
    { key: 'applicants', label: '申请人', aliases: ['当事人（申请人）', '申请方', '当事人甲', '甲方', '当事人'], kind: 'text', required: true, width: 12, example: '王五' },
    { key: 'applicantId', label: '申请人身份证号', aliases: ['申请人身份证号码', '申请人证件号码'], kind: 'optionalId', width: 21, textCell: true },
    { key: 'applicantPhone', label: '申请人电话', aliases: ['申请人联系电话', '申请人手机'], kind: 'phone', width: 14, textCell: true },
    { key: 'respondents', label: '被申请人', aliases: ['当事人（被申请人）', '被申请方', '当事人乙', '乙方'], kind: 'text', width: 12, example: '赵六' },
    { key: 'respondentId', label: '被申请人身份证号', aliases: ['被申请人身份证号码', '被申请人证件号码'], kind: 'optionalId', width: 21, textCell: true },
    { key: 'respondentPhone', label: '被申请人电话', aliases: ['被申请人联系电话', '被申请人手机'], kind: 'phone', width: 14, textCell: true },
    sheetColumn(f('summary'), 'text', { aliases: ['纠纷简要', '简要案情', '纠纷情况', '纠纷概况', '基本情况', '主要事实', '纠纷事由', '事由', '案情'], width: 30, example: '示例行，导入时自动跳过' }),
    sheetColumn(f('mediatorIds'), 'members', { aliases: ['调解人员', '调解人', '承办人'], width: 12, example: '张三' }),
    sheetColumn(f('status'), 'enum', {
      aliases: ['调解结果', '状态', '结果', '处理结果', '是否调解成功'], width: 10, example: '调解成功',
      optionAliases: { 成功: 'success', 已调解: 'success', 调成: 'success', 是: 'success', 不成功: 'failed', 失败: 'failed', 调解失败: 'failed', 未成功: 'failed', 否: 'failed', 正在调解: 'mediating', 未调解: 'pending', 已移交: 'referred', 移送: 'referred' },
    }),
    sheetColumn(f('mediatedOn'), 'date', { aliases: ['调解时间'], width: 12, example: '2024-03-05' }),
    sheetColumn(f('agreementForm'), 'enum', { aliases: ['协议类型', '达成协议形式'], width: 9, example: '书面协议', optionAliases: { 口头: 'oral', 书面: 'written' } }),
    sheetColumn(f('agreement'), 'text', { aliases: ['协议', '调解协议', '协议主要内容'], width: 24, example: '赵六赔偿王五500元' }),
    sheetColumn(f('performanceMethod'), 'text', { aliases: ['协议履行方式', '履行方法'], width: 14, example: '一次性现金支付' }),
    sheetColumn(f('performancePlace'), 'text', { aliases: ['协议履行地点', '履行地'], width: 14, example: '新塘村村部' }),
    sheetColumn(f('performanceDeadline'), 'text', { aliases: ['履行时限', '协议履行期限', '履行时间'], width: 14, example: '2024年3月20日前' }),
    sheetColumn(f('fulfillment'), 'enum', {
      aliases: ['履行', '是否履行', '协议履行情况'], width: 9, example: '已履行',
      optionAliases: { 履行: 'fulfilled', 是: 'fulfilled', 已: 'fulfilled', 部分: 'partial', 否: 'unfulfilled', 未: 'unfulfilled' },
    }),
    { key: 'followUpOn', label: '回访日期', aliases: ['回访时间'], kind: 'date', width: 12 },
    { key: 'followUpNote', label: '回访情况', aliases: ['回访记录', '回访结果'], kind: 'text', width: 20 },
    sheetColumn(f('closedOn'), 'date', { aliases: ['结案时间', '办结日期', '办结时间'], width: 12, example: '2024-03-05' }),
  ],
  word: [
    { title: '案件编号', width: 13, value: (c) => c.caseNo },
    { title: '受理日期', width: 10, value: (c, x) => x.date(c.receivedOn) },
    { title: '来源', width: 5, value: (c) => opt(caseSourceOptions, c.source) },
    { title: '纠纷类型', width: 9, value: (c) => c.category },
    { title: '当事人', width: 19, align: 'left', value: partiesText },
    { title: '纠纷简要情况', width: 38.7, align: 'left', value: (c) => c.summary },
    { title: '调解员', width: 12, align: 'left', value: (c) => c.mediatorNames.join('、') },
    { title: '调解结果', width: 9, value: (c) => opt(caseStatusOptions, c.status) },
    { title: '协议形式', width: 9, value: (c) => opt(agreementFormOptions, c.agreementForm) },
    { title: '履行情况', width: 9, value: (c) => opt(fulfillmentOptions, c.fulfillment) },
    { title: '结案日期', width: 10, value: (c, x) => x.date(c.closedOn) },
  ],
  grid: [
    { key: 'caseNo', title: '案件编号', width: 200, textFilter: true },
    { key: 'receivedOn', title: '受理日期', width: 115 },
    { key: 'source', title: '来源', width: 80 },
    { key: 'category', title: '类型', width: 110 },
    { key: 'villageName', title: '村（社区）', width: 110 },
    { key: 'applicantNames', title: '申请人', width: 110, sortable: false },
    { key: 'respondentNames', title: '被申请人', width: 110, sortable: false },
    { key: 'summary', title: '纠纷简要情况', flex: 1, minWidth: 200, sortable: false, textFilter: true },
    { key: 'mediators', title: '调解员', width: 110, value: (c) => c.mediatorNames.join('、') },
    { key: 'status', title: '状态', width: 110, sortable: true, value: () => '', tags: (c) => [{ text: opt(caseStatusOptions, c.status), color: statusColor[c.status] ?? 'default' }] },
    { key: 'closedOn', title: '结案日期', width: 115 },
    { key: 'fulfillment', title: '履行', width: 95 },
    { key: 'followUps', title: '回访', width: 70, value: (c) => (c.followUps.length ? String(c.followUps.length) : '') },
  ],
  filters: [
    { key: 'year', kind: 'year', placeholder: '全部年度', width: 110 },
    { key: 'villageId', kind: 'village', placeholder: '全部村（社区）', width: 150 },
    { key: 'status', kind: 'options', placeholder: '全部状态', options: caseStatusOptions, width: 120 },
    { key: 'category', kind: 'options', placeholder: '全部类型', options: caseCategoryOptions, width: 130 },
  ],
}
