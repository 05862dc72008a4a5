import type { RecordColumns } from '../db/types'

export interface MediationCasesTable extends RecordColumns {
  caseNo: string
  receivedOn: string
  source: string
  category: string
  villageId: string
  summary: string
  /** JSON array of parties */
  parties: string
  /** JSON array of member ids */
  mediatorIds: string
  status: string
  mediatedOn: string | null
  agreementForm: string | null
  agreement: string | null
  fulfillment: string | null
  /** JSON array of { date, note } */
  followUps: string
  closedOn: string | null
  /** 履行方式、地点、期限 of the agreement (人民调解协议书), '' when not given */
  performanceMethod: string
  performancePlace: string
  performanceDeadline: string
}
