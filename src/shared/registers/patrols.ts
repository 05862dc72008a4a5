import type { Patrol } from '../patrols/schema'
import { fieldOf, seqColumn, sheetColumn, villageColumn, type RegisterDefinition } from './define'

export const patrolModeOptions = { foot: '徒步巡逻', vehicle: '车辆巡逻', electronic: '电子巡逻' } as const

const fields = [
  { key: 'villageId', label: '巡逻村（社区）', kind: 'village', required: true },
  { key: 'date', label: '巡逻日期', kind: 'date', required: true },
  { key: 'startTime', label: '开始时间', kind: 'time', required: true },
  { key: 'endTime', label: '结束时间', kind: 'time', required: true },
  { key: 'mode', label: '巡逻方式', kind: 'enum', options: patrolModeOptions, required: true },
  { key: 'route', label: '巡逻路线', kind: 'text' },
  { key: 'leaderId', label: '带队人', kind: 'member', required: true },
  { key: 'memberIds', label: '参加人员', kind: 'members', required: true },
  { key: 'findings', label: '发现问题', kind: 'text' },
  { key: 'handling', label: '处理情况', kind: 'text' },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'patrols', fields }, key)

export const patrolsRegister: RegisterDefinition<Patrol> = {
  key: 'patrols',
  table: 'patrols',
  api: 'patrols',
  title: '巡逻台账',
  noun: '巡逻记录',
  countWord: '条巡逻记录',
  fields,
  nameField: 'date',
  villageField: 'villageId',
  dateField: 'date',
  searchHint: '搜索路线、发现问题、村',
  excel: [
    seqColumn,
    sheetColumn(f('date'), 'date', { aliases: ['日期', '巡逻时间（日期）', '巡防日期', '时间'], width: 12, example: '2024-03-01' }),
    { key: 'time', label: '巡逻时段', aliases: ['巡逻时间', '起止时间', '巡防时间', '时段'], kind: 'timeRange', width: 13, importOnly: true },
    { ...sheetColumn(f('startTime'), 'time', { aliases: ['起始时间', '出发时间', '开始'], width: 9, example: '19:30' }), required: false },
    { ...sheetColumn(f('endTime'), 'time', { aliases: ['终止时间', '返回时间', '结束'], width: 9, example: '22:00' }), required: false },
    { ...villageColumn(f('villageId')), required: false },
    {
      ...sheetColumn(f('mode'), 'enum', {
        aliases: ['方式', '巡防方式'], width: 10, example: '徒步巡逻',
        optionAliases: { 徒步: 'foot', 步行: 'foot', 步巡: 'foot', 车辆: 'vehicle', 车巡: 'vehicle', 巡逻车: 'vehicle', 摩托车: 'vehicle', 电动车: 'vehicle', 电子: 'electronic', 视频: 'electronic', 视频巡逻: 'electronic', 监控: 'electronic' },
      }),
      required: false,
    },
    sheetColumn(f('route'), 'text', { aliases: ['路线', '巡逻地点', '巡逻区域', '巡逻范围', '地点'], width: 24, example: '村部—学校—农贸市场' }),
    sheetColumn(f('leaderId'), 'member', { aliases: ['带班人', '带队', '负责人', '带班领导', '队长'], width: 10, example: '张三' }),
    sheetColumn(f('memberIds'), 'members', { aliases: ['巡逻人员', '参加巡逻人员', '队员', '人员', '巡防人员', '参与人员'], width: 24, example: '张三、李四' }),
    sheetColumn(f('findings'), 'text', { aliases: ['发现情况', '巡逻情况', '发现的问题', '问题'], width: 24, example: '示例行，导入时自动跳过' }),
    sheetColumn(f('handling'), 'text', { aliases: ['处置情况', '处理结果', '处置结果'], width: 24 }),
  ],
  word: [
    { title: '巡逻日期', width: 10, value: (p, x) => x.date(p.date) },
    { title: '起止时间', width: 17, value: (p) => `${p.startTime}—${p.overnight ? '次日' : ''}${p.endTime}` },
    { title: '村（社区）', width: 10.5, value: (p) => p.villageName ?? '' },
    { title: '巡逻方式', width: 9, value: (p) => patrolModeOptions[p.mode] ?? p.mode },
    { title: '巡逻路线', width: 27, align: 'left', value: (p) => p.route },
    { title: '带队人', width: 7, value: (p) => p.leaderName ?? '' },
    { title: '参加人员', width: 29, align: 'left', value: (p) => p.memberNames.join('、') },
    { title: '发现问题', width: 17.5, align: 'left', value: (p) => p.findings || '无' },
    { title: '处理情况', width: 16.7, align: 'left', value: (p) => p.handling },
  ],
  grid: [
    { key: 'date', title: '巡逻日期', width: 120 },
    { key: 'startTime', title: '时间', width: 170, sortable: true, value: (p) => `${p.startTime}—${p.endTime}`, tags: (p) => (p.overnight ? [{ text: '跨夜', color: 'purple' }] : []) },
    { key: 'villageName', title: '村（社区）', width: 120, sortable: false },
    { key: 'mode', title: '方式', width: 100, sortable: true, value: (p) => patrolModeOptions[p.mode] ?? p.mode },
    { key: 'leaderName', title: '带队人', width: 100, sortable: false },
    { key: 'members', title: '参加人员', width: 200, value: (p) => p.memberNames.join('、') },
    { key: 'route', title: '巡逻路线', width: 200, sortable: false, textFilter: true },
    { key: 'findings', title: '发现问题', flex: 1, minWidth: 180, sortable: false, textFilter: true },
    { key: 'handling', title: '处理情况', width: 180, sortable: false },
  ],
  filters: [
    { key: 'villageId', kind: 'village', placeholder: '全部村（社区）', width: 160 },
    { key: 'mode', kind: 'options', placeholder: '全部方式', options: patrolModeOptions, width: 120 },
    { key: 'date', kind: 'dateRange', placeholder: '巡逻日期' },
  ],
}
