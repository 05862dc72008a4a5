import { Tag } from 'antd'
import type { CheckStatus, CriterionStatus } from '../../../../shared/checklist/schema'
import { checkStatusLabels, criterionStatusLabels } from '../../../../shared/checklist/schema'

/** 达标 / 未达标 / 待核实 / 不适用: colour and text together, so the matrix reads in black-and-white print too. */
export const statusColor: Record<CriterionStatus, string> = { met: 'success', unmet: 'error', unknown: 'warning', na: 'default' }
const checkColor: Record<CheckStatus, string> = { pass: 'success', fail: 'error', unknown: 'warning', na: 'default' }

/** `notApplicable` (the whole criterion marked so) is shown as 不适用 whatever the status says */
export function StatusTag({ status, notApplicable }: { status: CriterionStatus; notApplicable?: boolean }) {
  const s: CriterionStatus = notApplicable ? 'na' : status
  return <Tag color={statusColor[s]}>{criterionStatusLabels[s]}</Tag>
}

export function CheckTag({ status }: { status: CheckStatus }) {
  return <Tag color={checkColor[status]}>{checkStatusLabels[status]}</Tag>
}

export function pct(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 1000) / 10}%`
}
