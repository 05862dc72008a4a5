import type { RecordColumns } from '../db/types'

export interface HazardsTable extends RecordColumns {
  foundOn: string
  villageId: string | null
  unitId: string | null
  location: string
  category: string
  description: string
  level: string
  foundBy: string
  responsible: string
  deadline: string | null
  measures: string
  result: string
  reviewer: string
  closedOn: string | null
  status: string
}
