import type { RecordColumns } from '../db/types'

/** 整改措施 and 下一步工作 of a creation target's 自查报告, per year (migration 010). */
export interface SelfCheckTextsTable extends RecordColumns {
  targetId: string
  year: number
  measures: string
  nextSteps: string
}
