import type { RegisterDefinition } from './define'
import { membersRegister } from './members'
import { patrolsRegister } from './patrols'
import { mediationRegister } from './mediation'
import { aftercareRegister } from './aftercare'
import { visitsRegister } from './visits'
import { hazardsRegister } from './hazards'

/**
 * Every register, in dependency order (a record's references come before it: members before the
 * patrols that name them, aftercare people before their visits). Adding a register is adding its
 * definition here; docs/architecture.md walks through the rest.
 */
export const registers = [membersRegister, patrolsRegister, mediationRegister, aftercareRegister, visitsRegister, hazardsRegister] as const

export const registerKeys = ['members', 'patrols', 'mediation', 'aftercare', 'visits', 'hazards'] as const
export type RegisterKey = (typeof registerKeys)[number]

export const registerByKey = Object.fromEntries(registers.map((r) => [r.key, r])) as unknown as Record<RegisterKey, RegisterDefinition<never>>

/** Record tables that are not registers: the township's organisation before them, checklist data after. */
const orgTables = { villages: '村（社区）', grids: '网格', units: '单位' } as const
const checklistTables = { families: '平安家庭', checklist_entries: '创建自查记录', self_check_texts: '自查整改措施' } as const

/** Tables that hold records (id, timestamps, tombstones): they travel in packages and are audited. */
export type RecordTableName =
  | keyof typeof orgTables
  | 'members'
  | 'patrols'
  | 'mediation_cases'
  | 'aftercare_people'
  | 'aftercare_visits'
  | 'hazards'
  | keyof typeof checklistTables

/**
 * Record tables in dependency order. Packages export and merge them in this order, backups verify
 * them, the audit list names them; a register's table joins by its definition alone.
 */
export const recordTables = [...Object.keys(orgTables), ...registers.map((r) => r.table), ...Object.keys(checklistTables)] as RecordTableName[]

/** The Chinese name of each record table, for previews, reports and messages. */
export const recordTableLabels = {
  ...orgTables,
  ...Object.fromEntries(registers.map((r) => [r.table, r.noun])),
  ...checklistTables,
} as Record<RecordTableName, string>

/** Registers whose records hold a village: what keeps a village from being deleted, and how it is said. */
export const villageHolders = registers.flatMap((r) => (r.villageField ? [{ table: r.table, field: r.villageField, countWord: r.countWord }] : []))
