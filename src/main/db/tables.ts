import type { RecordTableName } from './types'

/**
 * Record tables in dependency order (a row's references come before it). Packages export and merge
 * them in this order; a capability that adds a record table appends it here.
 */
export const recordTables: readonly RecordTableName[] = ['villages', 'grids', 'units', 'members']

/** The Chinese name of each register, for previews, reports and messages. */
export const recordTableLabels: Record<RecordTableName, string> = {
  villages: '村（社区）',
  grids: '网格',
  units: '单位',
  members: '成员',
}
