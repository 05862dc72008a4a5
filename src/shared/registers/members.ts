import { roleLabels } from '../domain'
import { makeIdNumber } from '../idNumber'
import type { Member } from '../members/schema'
import { fieldOf, seqColumn, sheetColumn, villageColumn, type RegisterDefinition } from './define'

const fields = [
  { key: 'name', label: '姓名', kind: 'text', required: true },
  { key: 'idNumber', label: '身份证号', kind: 'idNumber', personal: 'idNumber', required: true },
  { key: 'phone', label: '联系电话', kind: 'phone', personal: 'phone' },
  { key: 'villageId', label: '所属村（社区）', kind: 'village' },
  { key: 'gridId', label: '所属网格', kind: 'grid' },
  { key: 'unitId', label: '所属单位', kind: 'unit' },
  { key: 'roles', label: '职务/角色', kind: 'enums', options: roleLabels, required: true },
  { key: 'joinedOn', label: '加入日期', kind: 'date', required: true },
  { key: 'leftOn', label: '离队日期', kind: 'date' },
  { key: 'notes', label: '备注', kind: 'text' },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'members', fields }, key)
const sexLabel = (sex: string) => (sex === 'male' ? '男' : sex === 'female' ? '女' : '')
const roleText = (m: Member) => m.roles.map((r) => roleLabels[r]).join('、')

export const membersRegister: RegisterDefinition<Member> = {
  key: 'members',
  table: 'members',
  api: 'members',
  title: '成员台账',
  noun: '成员',
  countWord: '名成员',
  fields,
  nameField: 'name',
  villageField: 'villageId',
  dateField: 'joinedOn',
  fullId: true,
  searchHint: '搜索姓名、身份证号、电话、村',
  excel: [
    seqColumn,
    sheetColumn(f('name'), 'text', { aliases: ['名字', '成员姓名', '队员姓名', '人员姓名'], width: 10, example: '张三' }),
    sheetColumn(f('idNumber'), 'id', { aliases: ['身份证号码', '公民身份号码', '公民身份证号码', '身份证', '证件号码', '证件号', '身份证件号码'], width: 21, example: makeIdNumber('430103', '1980-05-06', 123), textCell: true }),
    { key: 'sex', label: '性别', aliases: [], kind: 'ignore', width: 6, exportOnly: true },
    sheetColumn(f('phone'), 'phone', { aliases: ['手机号', '手机号码', '手机', '电话', '电话号码', '联系方式', '联系电话（手机）'], width: 14, example: '13800138000', textCell: true }),
    villageColumn(f('villageId')),
    sheetColumn(f('gridId'), 'grid', { aliases: ['网格', '网格名称', '所在网格'], width: 12 }),
    sheetColumn(f('unitId'), 'unit', { aliases: ['单位', '工作单位', '单位名称', '所在单位'], width: 16 }),
    sheetColumn(f('roles'), 'roles', { aliases: ['职务', '角色', '岗位', '身份', '职务（角色）', '人员类别', '队伍类别', '类别'], width: 22, example: '专职巡防队员、调解员' }),
    sheetColumn(f('joinedOn'), 'date', { aliases: ['入队时间', '入队日期', '加入时间', '参加时间', '参加日期', '任职时间', '入职时间'], width: 12, example: '2024-03-01' }),
    sheetColumn(f('leftOn'), 'date', { aliases: ['离队时间', '退出时间', '退出日期', '离职时间'], width: 12 }),
    sheetColumn(f('notes'), 'text', { aliases: ['说明'], width: 20, example: '示例行，导入时自动跳过' }),
  ],
  word: [
    { title: '姓名', width: 9, value: (m) => m.name },
    { title: '性别', width: 5, value: (m) => sexLabel(m.sex) },
    { title: '身份证号', width: 18.5, value: (m, x) => x.id(m.idNumber) },
    { title: '联系电话', width: 12.5, value: (m) => m.phone },
    { title: '村（社区）', width: 11, value: (m) => m.villageName ?? '乡镇（街道）' },
    { title: '网格/单位', width: 22, align: 'left', value: (m, x) => (m.unitId ? x.unitName(m.unitId) : x.gridName(m.gridId)) },
    { title: '职务/角色', width: 28, align: 'left', value: roleText },
    { title: '加入日期', width: 10, value: (m, x) => x.date(m.joinedOn) },
    { title: '离队日期', width: 10, value: (m, x) => x.date(m.leftOn) },
    { title: '备注', width: 17.7, align: 'left', value: (m) => m.notes },
  ],
  grid: [
    { key: 'name', title: '姓名', width: 110, textFilter: true },
    { key: 'idNumber', title: '身份证号', width: 172, mono: true, textFilter: true },
    { key: 'sex', title: '性别', width: 70, sortable: false, value: (m) => sexLabel(m.sex) },
    { key: 'birthDate', title: '出生日期', width: 120, sortable: false },
    { key: 'phone', title: '联系电话', width: 140, textFilter: true },
    { key: 'villageName', title: '所属村（社区）', width: 140 },
    { key: 'roles', title: '职务/角色', sortable: false, flex: 3, minWidth: 200, value: roleText },
    { key: 'joinedOn', title: '加入日期', width: 120 },
    { key: 'leftOn', title: '离队日期', width: 120 },
  ],
  filters: [
    { key: 'villageId', kind: 'village', placeholder: '全部村（社区）', width: 160 },
    { key: 'role', kind: 'options', placeholder: '全部职务', options: roleLabels, width: 190 },
  ],
}
