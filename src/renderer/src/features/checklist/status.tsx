import { Tag } from 'antd'
import type { CheckStatus, CriterionStatus } from '../../../../shared/checklist/schema'
import { checkStatusLabels, criterionStatusLabels } from '../../../../shared/checklist/schema'

/** 达标 / 未达标 / 待核实: colour and text together, so the matrix reads in black-and-white print too. */
export const statusColor: Record<CriterionStatus, string> = { met: 'success', unmet: 'error', unknown: 'warning' }
const checkColor: Record<CheckStatus, string> = { pass: 'success', fail: 'error', unknown: 'warning', na: 'default' }

export function StatusTag({ status, notApplicable }: { status: CriterionStatus; notApplicable?: boolean }) {
  if (notApplicable) return <Tag color="default">不适用</Tag>
  return <Tag color={statusColor[status]}>{criterionStatusLabels[status]}</Tag>
}

export function CheckTag({ status }: { status: CheckStatus }) {
  return <Tag color={checkColor[status]}>{checkStatusLabels[status]}</Tag>
}

export function pct(v: number | null): string {
  return v === null ? '—' : `${Math.round(v * 1000) / 10}%`
}
