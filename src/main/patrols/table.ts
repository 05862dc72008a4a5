import type { RecordColumns } from '../db/types'

export interface PatrolsTable extends RecordColumns {
  villageId: string
  date: string
  startTime: string
  endTime: string
  mode: string
  route: string
  leaderId: string
  /** JSON array of member ids */
  memberIds: string
  findings: string
  handling: string
}
