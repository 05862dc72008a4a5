import type { RecordTableName } from './types'

/**
 * Record tables in dependency order (a row's references come before it). Packages export and merge
 * them in this order; a capability that adds a record table appends it here.
 */
export const recordTables: readonly RecordTableName[] = ['villages', 'grids', 'units', 'members', 'patrols', 'mediation_cases', 'aftercare_people', 'aftercare_visits', 'families', 'checklist_entries']

/** The Chinese name of each register, for previews, reports and messages. */
export const recordTableLabels: Record<RecordTableName, string> = {
  villages: '村（社区）',
  grids: '网格',
  units: '单位',
  members: '成员',
  patrols: '巡逻记录',
  mediation_cases: '矛盾纠纷',
  aftercare_people: '帮教对象',
  aftercare_visits: '帮教走访记录',
  families: '平安家庭',
  checklist_entries: '创建自查记录',
}
