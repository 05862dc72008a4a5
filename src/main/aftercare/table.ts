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
  /** 0/1: lost contact now (an open period in lostContactPeriods) */
  lostContact: number
  /** JSON [{from, to, note?}]: 脱管漏管 periods, `to` null while still lost */
  lostContactPeriods: string
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
