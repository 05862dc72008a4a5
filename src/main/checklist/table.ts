import type { RecordColumns } from '../db/types'

export interface FamiliesTable extends RecordColumns {
  name: string
  villageId: string
  householder: string
  address: string
  declaredOn: string
}

export interface ChecklistEntriesTable extends RecordColumns {
  criterionId: string
  targetId: string
  year: number
  /** 0/1, null = not answered */
  attested: number | null
  /** JSON {key: number} — the API's `values` */
  figures: string
  /** JSON array of value keys marked 不适用; ["*"] = the whole criterion */
  notApplicable: string
  /** why it does not apply */
  notApplicableReason: string
  /** JSON {key: boolean}: answers of keyed attestations */
  attestations: string
  /** JSON {key: {asked, respondents, conductedOn}}: the survey behind a value */
  surveys: string
  /** JSON {key: {criterionId, key}}: a value taken from another criterion's survey */
  links: string
  note: string
  evidence: string
}

export interface StandardSetsTable {
  id: string
  json: string
  importedAt: string
}
