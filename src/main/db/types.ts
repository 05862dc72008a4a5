import type { PatrolsTable } from '../patrols/table'
import type { MediationCasesTable } from '../mediation/table'
import type { AftercarePeopleTable, AftercareVisitsTable } from '../aftercare/table'
import type { HazardsTable } from '../hazards/table'
import type { HandoffExportsTable, HandoffImportsTable, TownshipsTable } from '../handoff/table'
import type { ChecklistEntriesTable, FamiliesTable, StandardSetsTable } from '../checklist/table'
import type { SelfCheckTextsTable } from '../documents/table'
/** Table shapes as stored. Arrays are JSON text; booleans are 0/1. */
export interface RecordColumns {
  id: string
  createdAt: string
  updatedAt: string
  deletedAt: string | null
  township: string
}

export interface TownshipTable {
  id: number
  code: string
  name: string
  county: string
  countyCode: string
  mode: 'township' | 'county'
  createdAt: string
}

export interface SettingsTable {
  key: string
  value: string
}

export interface VillagesTable extends RecordColumns {
  name: string
  kind: string
  households: number
  population: number
}

export interface GridsTable extends RecordColumns {
  villageId: string
  name: string
  households: number
}

export interface UnitsTable extends RecordColumns {
  name: string
  kind: string
  villageId: string | null
  headcount: number
}

export interface MembersTable extends RecordColumns {
  name: string
  idNumber: string
  phone: string
  villageId: string | null
  gridId: string | null
  unitId: string | null
  roles: string
  joinedOn: string
  leftOn: string | null
  notes: string
}

export interface AuditTable {
  id: string
  at: string
  operator: string
  township: string
  tableName: string
  recordId: string
  action: 'create' | 'update' | 'delete' | 'restore'
  changes: string
}

export interface CountersTable {
  name: string
  value: number
}

export interface DB {
  township: TownshipTable
  settings: SettingsTable
  villages: VillagesTable
  grids: GridsTable
  units: UnitsTable
  members: MembersTable
  audit: AuditTable
  counters: CountersTable
  patrols: PatrolsTable
  mediation_cases: MediationCasesTable
  aftercare_people: AftercarePeopleTable
  aftercare_visits: AftercareVisitsTable
  hazards: HazardsTable
  import_batches: ImportBatchesTable
  import_batch_records: ImportBatchRecordsTable
  handoff_exports: HandoffExportsTable
  handoff_imports: HandoffImportsTable
  townships: TownshipsTable
  families: FamiliesTable
  checklist_entries: ChecklistEntriesTable
  self_check_texts: SelfCheckTextsTable
  standard_sets: StandardSetsTable
}

export type { RecordTableName } from '../../shared/registers'

export interface ImportBatchesTable {
  id: string
  createdAt: string
  township: string
  register: string
  fileName: string
  sheet: string
  imported: number
  rejected: number
  operator: string
  undoneAt: string | null
  /** the rowids of its records (imports since migration 009); null: they are listed in import_batch_records */
  fromRowid: number | null
  toRowid: number | null
}

export interface ImportBatchRecordsTable {
  batchId: string
  tableName: string
  recordId: string
}
