import type { AftercarePerson } from '../aftercare/schema'
import { periodsText } from '../aftercare/lostContact'
import { makeIdNumber } from '../idNumber'
import { fieldOf, seqColumn, sheetColumn, villageColumn, type RegisterDefinition } from './define'
import { aftercareKindOptions, placementOptions, riskOptions } from './aftercareOptions'

export { aftercareKindOptions, placementOptions, riskOptions }

const fields = [
  { key: 'name', label: '姓名', kind: 'text', required: true },
  { key: 'idNumber', label: '身份证号', kind: 'idNumber', personal: 'idNumber', required: true },
  { key: 'kind', label: '人员类别', kind: 'enum', options: aftercareKindOptions, required: true },
  { key: 'crime', label: '罪名', kind: 'text', required: true },
  { key: 'sentence', label: '原判刑期', kind: 'text' },
  { key: 'releasedOn', label: '释放（矫正开始）日期', kind: 'date', required: true },
  { key: 'aftercareUntil', label: '帮教期满日期', kind: 'date' },
  { key: 'villageId', label: '所属村（社区）', kind: 'village', required: true },
  { key: 'placement', label: '安置情况', kind: 'enum', options: placementOptions },
  { key: 'unplacedReason', label: '未安置原因', kind: 'text' },
  { key: 'helperIds', label: '帮教人员', kind: 'members' },
  { key: 'reoffendedOn', label: '重新犯罪日期', kind: 'date' },
  { key: 'lostContact', label: '脱管漏管', kind: 'bool' },
  { key: 'lostContactPeriods', label: '脱管漏管时段', kind: 'list' },
  { key: 'notes', label: '备注', kind: 'text' },
  { key: 'handoverOn', label: '衔接日期', kind: 'date' },
  { key: 'handover', label: '衔接情况', kind: 'text' },
  { key: 'risk', label: '危险性评估', kind: 'enum', options: riskOptions },
  { key: 'registeredAddress', label: '户籍地', kind: 'text' },
  { key: 'address', label: '现住地', kind: 'text' },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'aftercare', fields }, key)
const sexLabel = (sex: string) => (sex === 'male' ? '男' : sex === 'female' ? '女' : '')

export const aftercareRegister: RegisterDefinition<AftercarePerson> = {
  key: 'aftercare',
  table: 'aftercare_people',
  api: 'aftercare.people',
  title: '安置帮教对象台账',
  noun: '帮教对象',
  countWord: '名帮教对象',
  fields,
  nameField: 'name',
  villageField: 'villageId',
  dateField: 'releasedOn',
  fullId: true,
  searchHint: '搜索姓名、身份证号、罪名、村',
  excel: [
    seqColumn,
    sheetColumn(f('name'), 'text', { aliases: ['帮教对象', '帮教对象姓名', '人员姓名', '矫正对象'], width: 10, example: '钱七' }),
    sheetColumn(f('idNumber'), 'id', { aliases: ['身份证号码', '公民身份号码', '公民身份证号码', '身份证', '证件号码', '证件号'], width: 21, example: makeIdNumber('430103', '1985-07-08', 456), textCell: true }),
    sheetColumn(f('kind'), 'enum', {
      aliases: ['类别', '人员类型', '类型', '对象类别'], width: 12, example: '刑满释放人员',
      optionAliases: { 刑满释放: 'released', 刑释人员: 'released', 刑释: 'released', 释放人员: 'released', 社区矫正: 'community_correction', 矫正对象: 'community_correction', 社矫: 'community_correction', 社区服刑人员: 'community_correction' },
    }),
    sheetColumn(f('crime'), 'text', { aliases: ['原罪名', '犯罪类型', '案由'], width: 12, example: '盗窃罪' }),
    sheetColumn(f('sentence'), 'text', { aliases: ['刑期', '原判刑罚', '判决情况'], width: 12, example: '有期徒刑二年' }),
    sheetColumn(f('releasedOn'), 'date', { label: '释放日期', aliases: ['刑满释放日期', '释放时间', '刑满释放时间', '矫正开始日期', '入矫日期', '入矫时间', '释放（矫正开始）日期'], width: 12, example: '2024-03-01' }),
    sheetColumn(f('aftercareUntil'), 'date', { aliases: ['帮教期满', '帮教截止日期', '帮教期限', '矫正期满日期', '解矫日期'], width: 12, example: '2029-03-01' }),
    { ...villageColumn(f('villageId')), required: false },
    sheetColumn(f('placement'), 'enum', {
      aliases: ['安置', '就业情况', '安置方式', '是否安置'], width: 10, example: '务农',
      optionAliases: { 已就业: 'employed', 务工: 'employed', 打工: 'employed', 外出务工: 'employed', 种田: 'farming', 农业: 'farming', 个体: 'self_employed', 自谋职业: 'self_employed', 经商: 'self_employed', 创业: 'self_employed', 无: 'unplaced', 待安置: 'unplaced', 否: 'unplaced' },
    }),
    sheetColumn(f('unplacedReason'), 'text', { aliases: ['未安置理由'], width: 14 }),
    sheetColumn(f('helperIds'), 'members', { aliases: ['帮教责任人', '帮教人', '帮教小组成员', '责任人'], width: 14, example: '张三' }),
    sheetColumn(f('handoverOn'), 'date', { aliases: ['衔接时间', '接收日期'], width: 12, example: '2024-03-02' }),
    sheetColumn(f('handover'), 'text', { aliases: ['衔接'], width: 14, example: '已衔接' }),
    sheetColumn(f('risk'), 'enum', {
      aliases: ['危险程度', '风险等级', '危险性', '评估等级'], width: 10, example: '低',
      optionAliases: { 低风险: 'low', 中风险: 'medium', 高风险: 'high', 一般: 'low', 较低: 'low', 较高: 'high' },
    }),
    sheetColumn(f('registeredAddress'), 'text', { aliases: ['户籍地址', '户籍所在地', '户口所在地'], width: 20 }),
    sheetColumn(f('address'), 'text', { aliases: ['现住址', '现居住地', '住址', '居住地', '家庭住址'], width: 20 }),
    sheetColumn(f('reoffendedOn'), 'date', { aliases: ['重新犯罪时间', '再犯罪日期'], width: 12 }),
    sheetColumn(f('lostContact'), 'bool', { aliases: ['是否脱管', '是否脱管漏管', '脱管', '漏管'], width: 9, example: '否' }),
    sheetColumn(f('lostContactPeriods'), 'text', { aliases: ['脱管时段', '脱管漏管期间', '脱管期间', '脱管漏管起止日期', '脱管起止日期'], width: 24, example: '2025-03-01至2025-04-10' }),
    sheetColumn(f('notes'), 'text', { aliases: ['说明'], width: 20, example: '示例行，导入时自动跳过' }),
  ],
  word: [
    { title: '姓名', width: 8, value: (p) => p.name },
    { title: '性别', width: 5, value: (p) => sexLabel(p.sex) },
    { title: '身份证号', width: 18.5, value: (p, x) => x.id(p.idNumber) },
    { title: '人员类别', width: 12.3, value: (p) => aftercareKindOptions[p.kind] ?? p.kind },
    { title: '罪名', width: 18, align: 'left', value: (p) => p.crime },
    { title: '原判刑期', width: 18, value: (p) => p.sentence },
    { title: '释放（矫正）日期', width: 10, value: (p, x) => x.date(p.releasedOn) },
    { title: '帮教期满', width: 10, value: (p, x) => x.date(p.aftercareUntil) },
    { title: '村（社区）', width: 10.5, value: (p) => p.villageName ?? '' },
    { title: '安置情况', width: 9, value: (p) => placementOptions[p.placement] ?? p.placement },
    { title: '帮教人员', width: 13.5, align: 'left', value: (p) => p.helperNames.join('、') },
    { title: '危险性', width: 6, value: (p) => riskOptions[p.risk] ?? p.risk },
    { title: '脱管漏管', width: 6, value: (p) => (p.lostContact ? '是' : '否') },
  ],
  grid: [
    { key: 'name', title: '姓名', width: 100, textFilter: true },
    { key: 'idNumber', title: '身份证号', width: 172, mono: true, sortable: false, textFilter: true },
    { key: 'kind', title: '类别', width: 120 },
    { key: 'villageName', title: '村（社区）', width: 110 },
    { key: 'crime', title: '罪名', width: 120 },
    { key: 'releasedOn', title: '释放日期', width: 115 },
    { key: 'aftercareUntil', title: '帮教期满', width: 115 },
    { key: 'placement', title: '安置', width: 90, sortable: true, value: () => '', tags: (p) => [{ text: placementOptions[p.placement] ?? p.placement, color: p.placement === 'unplaced' ? 'orange' : 'green' }] },
    { key: 'risk', title: '危险性', width: 80 },
    { key: 'helpers', title: '帮教人员', width: 130, value: (p) => p.helperNames.join('、') },
    { key: 'lastVisitOn', title: '最近走访', width: 115 },
    { key: 'visitCount', title: '走访次数', width: 95 },
    {
      key: 'flags', title: '情况', width: 100, value: () => '',
      tags: (p) => [
        ...(p.reoffendedOn ? [{ text: '重新犯罪', color: 'red' }] : []),
        ...(p.lostContact ? [{ text: '脱管', color: 'red' }] : p.lostContactPeriods.length ? [{ text: `曾脱管（${periodsText(p.lostContactPeriods)}）`, color: 'orange' }] : []),
      ],
    },
  ],
  filters: [
    { key: 'villageId', kind: 'village', placeholder: '全部村（社区）', width: 150 },
    { key: 'placement', kind: 'options', placeholder: '全部安置情况', options: placementOptions, width: 130 },
    { key: 'current', kind: 'switch', placeholder: '仅帮教期内', defaultOn: true },
  ],
}
