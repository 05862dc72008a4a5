import type { RecordColumns } from '../db/types'

export interface AftercarePeopleTable extends RecordColumns {
  name: string
  idNumber: string
  kind: string
  crime: string
  sentence: string
  releasedOn: string
  aftercareUntil: string
  villageId: string
  placement: string
  unplacedReason: string
  /** JSON array of member ids */
  helperIds: string
  reoffendedOn: string | null
  /** 0/1 */
  lostContact: number
  notes: string
  handoverOn: string | null
  handover: string
  risk: string
  registeredAddress: string
  address: string
}

export interface AftercareVisitsTable extends RecordColumns {
  personId: string
  date: string
  /** JSON array of member ids */
  helperIds: string
  content: string
}
