import type { RecordBase } from '../domain'
import type { hazardCategoryOptions, hazardLevelOptions, hazardStatusOptions } from '../registers/hazards'

export type HazardCategory = keyof typeof hazardCategoryOptions
export type HazardLevel = keyof typeof hazardLevelOptions
export type HazardStatus = keyof typeof hazardStatusOptions

/** One entry of the 安全隐患排查整改台账, as the API returns it. */
export interface Hazard extends RecordBase {
  foundOn: string
  villageId: string | null
  unitId: string | null
  location: string
  category: HazardCategory
  description: string
  level: HazardLevel
  foundBy: string
  responsible: string
  deadline: string | null
  measures: string
  result: string
  reviewer: string
  closedOn: string | null
  status: HazardStatus
  /** derived */
  villageName: string | null
  unitName: string | null
  /** not closed and the deadline is before today */
  overdue: boolean
}
