import type { AftercareVisit } from '../aftercare/schema'
import { makeIdNumber } from '../idNumber'
import { fieldOf, seqColumn, sheetColumn, type RegisterDefinition } from './define'

const fields = [
  { key: 'personId', label: '帮教对象', kind: 'person', required: true },
  { key: 'date', label: '走访日期', kind: 'date', required: true },
  { key: 'helperIds', label: '走访人员', kind: 'members', required: true },
  { key: 'content', label: '走访内容', kind: 'text', required: true },
] as const satisfies RegisterDefinition['fields']

const f = (key: (typeof fields)[number]['key']) => fieldOf({ key: 'visits', fields }, key)

/**
 * 帮教走访记录: kept under each aftercare person (no screen of its own), but a register for Excel,
 * Word, packages and the audit list like the others.
 */
export const visitsRegister: RegisterDefinition<AftercareVisit> = {
  key: 'visits',
  table: 'aftercare_visits',
  api: 'aftercare.visits',
  title: '帮教走访记录',
  noun: '帮教走访记录',
  countWord: '条帮教走访记录',
  fields,
  nameField: 'date',
  dateField: 'date',
  searchHint: '搜索走访内容',
  excel: [
    seqColumn,
    { ...sheetColumn(f('personId'), 'person', { aliases: ['帮教对象姓名', '姓名', '对象姓名', '走访对象'], width: 10, example: '钱七' }), key: 'personName', required: false },
    { key: 'personIdNumber', label: '身份证号', aliases: ['帮教对象身份证号', '身份证号码', '公民身份号码', '证件号码'], kind: 'optionalId', width: 21, textCell: true, example: makeIdNumber('430103', '1985-07-08', 456) },
    sheetColumn(f('date'), 'date', { aliases: ['走访时间', '帮教日期', '帮教时间', '日期'], width: 12, example: '2024-04-10' }),
    sheetColumn(f('helperIds'), 'members', { aliases: ['帮教人员', '走访人', '帮教人'], width: 16, example: '张三' }),
    sheetColumn(f('content'), 'text', { aliases: ['帮教内容', '走访情况', '帮教情况', '内容'], width: 36, example: '示例行，导入时自动跳过' }),
  ],
  word: [
    { title: '走访日期', width: 10, value: (v, x) => x.date(v.date) },
    { title: '帮教对象', width: 9, value: (v) => v.personName ?? '' },
    { title: '村（社区）', width: 10.5, value: (v) => v.villageName ?? '' },
    { title: '走访人员', width: 20, align: 'left', value: (v) => v.helperNames.join('、') },
    { title: '走访内容', width: 94.2, align: 'left', value: (v) => v.content },
  ],
  grid: [
    { key: 'date', title: '走访日期', width: 115 },
    { key: 'helpers', title: '走访人员', width: 160, value: (v) => v.helperNames.join('、') },
    { key: 'content', title: '走访内容', flex: 1, minWidth: 200, sortable: false },
  ],
  filters: [],
}
