import type { Hazard } from '../hazards/types'
import { fieldOf, seqColumn, sheetColumn, villageColumn, type RegisterDefinition } from './define'

export const hazardCategoryOptions = {
  fire: '消防',
  security: '治安',
  traffic: '交通',
  electric: '用电',
  building: '建筑',
  water: '涉水',
  food: '食品',
  other: '其他',
} as const
export const hazardLevelOptions = { general: '一般', major: '较大', severe: '重大' } as const
export const hazardStatusOptions = { open: '待整改', rectifying: '整改中', closed: '已销号' } as const
const statusColor: Record<string, string> = { open: 'orange', rectifying: 'blue', closed: 'green' }
const levelColor: Record<string, string> = { general: 'default', major: 'orange', severe: 'red' }

const fields = [
  { key: 'foundOn', label: '发现日期', kind: 'date', required: true },
  { key: 'villageId', label: '所属村（社区）', kind: 'village' },
  { key: 'unitId', label: '所属单位', kind: 'unit' },
  { key: 'location', label: '地点/部位', kind: 'text', required: true },
  { key: 'category', label: '隐患类别', kind: 'enum', options: hazardCategoryOptions, required: true },
  { key: 'description', label: '隐患描述', kind: 'text', required: true },
  { key: 'level', label: '风险等级', kind: 'enum', options: hazardLevelOptions, required: true },
  { key: 'foundBy', label: '发现人', kind: 'text', required: true },
  { key: 'responsible', label: '整改责任人', kind: 'text' },
  { key: 'deadline', label: '整改期限', kind: 'date' },
  { key: 'measures', label: '整改措施', kind: 'text' },
  { key: 'result', label: '整改情况', kind: 'text' },
  { key: 'reviewer', label: '复查人', kind: 'text' },
  { key: 'closedOn', label: '销号日期', kind: 'date' },
  { key: 'status', label: '整改状态', kind: 'enum', options: hazardStatusOptions },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'hazards', fields }, key)
const where = (h: Hazard) => [h.villageName, h.unitName].filter(Boolean).join(' ') || '乡镇（街道）'

export const hazardsRegister: RegisterDefinition<Hazard> = {
  key: 'hazards',
  table: 'hazards',
  api: 'hazards',
  title: '安全隐患排查整改台账',
  noun: '安全隐患',
  countWord: '条安全隐患',
  fields,
  nameField: 'location',
  villageField: 'villageId',
  dateField: 'foundOn',
  searchHint: '搜索地点、描述、责任人、村',
  excel: [
    seqColumn,
    sheetColumn(f('foundOn'), 'date', { aliases: ['发现时间', '排查日期', '排查时间', '日期', '检查日期', '检查时间'], width: 12, example: '2024-03-01' }),
    villageColumn(f('villageId')),
    sheetColumn(f('unitId'), 'unit', { aliases: ['单位', '单位名称', '场所', '被检查单位', '检查单位'], width: 16 }),
    sheetColumn(f('location'), 'text', { aliases: ['地点', '部位', '隐患地点', '隐患部位', '具体位置', '位置', '地址'], width: 18, example: '村部后山坡' }),
    sheetColumn(f('category'), 'enum', {
      aliases: ['类别', '隐患类型', '类型'], width: 9, example: '消防',
      optionAliases: { 消防安全: 'fire', 火灾: 'fire', 治安隐患: 'security', 社会治安: 'security', 交通安全: 'traffic', 道路交通: 'traffic', 用电安全: 'electric', 电力: 'electric', 电气: 'electric', 建筑安全: 'building', 房屋: 'building', 危房: 'building', 溺水: 'water', 防溺水: 'water', 水域: 'water', 食品安全: 'food' },
    }),
    sheetColumn(f('description'), 'text', { aliases: ['描述', '隐患情况', '存在问题', '隐患内容', '主要问题', '问题描述'], width: 30, example: '示例行，导入时自动跳过' }),
    sheetColumn(f('level'), 'enum', { aliases: ['等级', '隐患等级', '风险级别'], width: 9, example: '一般', optionAliases: { 一般隐患: 'general', 较大隐患: 'major', 重大隐患: 'severe', 低: 'general', 中: 'major', 高: 'severe' } }),
    sheetColumn(f('foundBy'), 'text', { aliases: ['排查人', '检查人', '发现人员'], width: 10, example: '张三' }),
    sheetColumn(f('responsible'), 'text', { aliases: ['责任人', '整改负责人', '整改责任单位（人）'], width: 10, example: '李四' }),
    sheetColumn(f('deadline'), 'date', { aliases: ['整改时限', '整改期限（日期）', '限期', '期限'], width: 12, example: '2024-03-15' }),
    sheetColumn(f('measures'), 'text', { aliases: ['措施', '整改要求'], width: 24 }),
    sheetColumn(f('result'), 'text', { aliases: ['整改结果', '整改落实情况', '处理情况'], width: 24 }),
    sheetColumn(f('reviewer'), 'text', { aliases: ['复查人员', '验收人', '复核人'], width: 10 }),
    sheetColumn(f('closedOn'), 'date', { aliases: ['销号时间', '整改完成日期', '完成日期', '复查日期'], width: 12 }),
    sheetColumn(f('status'), 'enum', { aliases: ['状态', '是否整改', '整改状况'], width: 9, example: '待整改', optionAliases: { 未整改: 'open', 正在整改: 'rectifying', 已整改: 'closed', 已完成: 'closed', 销号: 'closed', 是: 'closed', 否: 'open' } }),
  ],
  word: [
    { title: '发现日期', width: 10, value: (h, x) => x.date(h.foundOn) },
    { title: '村（社区）/单位', width: 14, align: 'left', value: where },
    { title: '地点/部位', width: 14, align: 'left', value: (h) => h.location },
    { title: '类别', width: 6, value: (h) => hazardCategoryOptions[h.category] ?? h.category },
    { title: '隐患描述', width: 26, align: 'left', value: (h) => h.description },
    { title: '风险等级', width: 6, value: (h) => hazardLevelOptions[h.level] ?? h.level },
    { title: '发现人', width: 7, value: (h) => h.foundBy },
    { title: '整改责任人', width: 7.5, value: (h) => h.responsible },
    { title: '整改期限', width: 10, value: (h, x) => x.date(h.deadline) },
    { title: '整改措施及情况', width: 23.7, align: 'left', value: (h) => [h.measures, h.result].filter(Boolean).join('；') },
    { title: '复查人', width: 7, value: (h) => h.reviewer },
    { title: '销号日期', width: 10, value: (h, x) => x.date(h.closedOn) },
  ],
  grid: [
    { key: 'foundOn', title: '发现日期', width: 115 },
    { key: 'villageName', title: '村（社区）', width: 110 },
    { key: 'unitName', title: '单位', width: 130, sortable: false },
    { key: 'location', title: '地点/部位', width: 150, textFilter: true },
    { key: 'category', title: '类别', width: 80 },
    {
      key: 'status', title: '状态', width: 130, sortable: true, value: () => '',
      tags: (h) => [{ text: hazardStatusOptions[h.status] ?? h.status, color: statusColor[h.status] ?? 'default' }, ...(h.overdue ? [{ text: '逾期', color: 'red' }] : [])],
    },
    { key: 'description', title: '隐患描述', flex: 1, minWidth: 200, sortable: false, textFilter: true },
    { key: 'level', title: '等级', width: 80, sortable: true, value: () => '', tags: (h) => [{ text: hazardLevelOptions[h.level] ?? h.level, color: levelColor[h.level] ?? 'default' }] },
    { key: 'responsible', title: '责任人', width: 90 },
    { key: 'deadline', title: '整改期限', width: 115 },
    { key: 'closedOn', title: '销号日期', width: 115 },
  ],
  filters: [
    { key: 'year', kind: 'year', placeholder: '全部年度', width: 110 },
    { key: 'villageId', kind: 'village', placeholder: '全部村（社区）', width: 150 },
    { key: 'status', kind: 'options', placeholder: '全部状态', options: hazardStatusOptions, width: 110 },
    { key: 'category', kind: 'options', placeholder: '全部类别', options: hazardCategoryOptions, width: 110 },
    { key: 'overdue', kind: 'switch', placeholder: '仅逾期未整改' },
  ],
}
