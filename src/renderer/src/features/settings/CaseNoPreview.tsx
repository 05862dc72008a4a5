import { useEffect, useState } from 'react'
import { Form, Typography, type FormInstance } from 'antd'
import { invoke } from '../../api'
import { useTownship } from '../../nav'

/** 大托铺街道 -> 大托, as the main side shortens it when no 简称 is set (mediation/caseNo.ts). */
const shortOf = (name: string) => name.replace(/(街道办事处|街道|镇|乡)$/, '').slice(0, 2)

/**
 * The case-number format as the clerk will see it: the next number of this year, filled in from the
 * format and 简称 being typed, instead of the raw template.
 */
export function CaseNoPreview({ form }: { form: FormInstance }) {
  const t = useTownship()
  const format = (Form.useWatch('caseNoFormat', form) as string | undefined) ?? ''
  const short = (Form.useWatch('caseNoShort', form) as string | undefined) || shortOf(t.name)
  const [count, setCount] = useState<number | null>(null)
  const year = new Date().getFullYear()
  useEffect(() => {
    if (t.mode !== 'township') return
    void invoke('mediation.list', { filters: { year }, limit: 1, includeDeleted: true }).then((r) => setCount(r.total))
  }, [t.mode, year])
  if (t.mode !== 'township' || !format) return null
  const next = format.replace(/\{year\}/g, String(year)).replace(/\{short\}/g, short).replace(/\{seq\}/g, String((count ?? 0) + 1))
  return (
    <Typography.Paragraph data-testid="case-no-preview" style={{ marginTop: -12 }}>
      下一个案件的编号将是：<Typography.Text strong>{next}</Typography.Text>
    </Typography.Paragraph>
  )
}
