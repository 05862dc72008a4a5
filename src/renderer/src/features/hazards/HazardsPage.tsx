import { useEffect, useState } from 'react'
import { Card, Space, Statistic, Tag } from 'antd'
import type { Hazard, HazardStatus } from '../../../../shared/hazards/types'
import { hazardStatusOptions, hazardsRegister } from '../../../../shared/registers/hazards'
import { formatRate, hazardRateLabels, type Rates } from '../../../../shared/stats/rates'
import { invoke } from '../../api'
import { RegisterPage, type RegisterScreen, type RegisterSummaryProps } from '../../components/RegisterPage'
import { HazardForm } from './HazardForm'

const screen: RegisterScreen<Hazard> = { addLabel: '登记隐患', openLabel: '办理', recordName: (h) => `${h.foundOn} ${h.location}` }
const statuses = Object.keys(hazardStatusOptions) as HazardStatus[]
const statusColor: Record<HazardStatus, string> = { open: 'orange', rectifying: 'blue', closed: 'green' }

interface Counts {
  byStatus: Record<HazardStatus, number>
  overdue: number
}

/** 整改率 and 按期整改率 of the year, how many hazards stand in each state, and how many are overdue. */
function HazardSummary({ filters, version, setFilter }: RegisterSummaryProps) {
  const villageId = typeof filters.villageId === 'string' ? filters.villageId : undefined
  const chosenYear = typeof filters.year === 'number' ? filters.year : undefined
  const year = chosenYear ?? new Date().getFullYear()
  const [rates, setRates] = useState<Rates | null>(null)
  const [counts, setCounts] = useState<Counts | null>(null)
  useEffect(() => {
    const scope = villageId ? { villageId } : {}
    // the counts follow the screen's village and year; the rates are always of one year
    const shown = { ...scope, ...(chosenYear ? { year: chosenYear } : {}) }
    const total = (f: Record<string, unknown>) => invoke('hazards.list', { limit: 1, filters: { ...shown, ...f } }).then((r) => r.total)
    void invoke('stats.rates', { year, ...scope }).then(setRates)
    void Promise.all([...statuses.map((status) => total({ status })), total({ overdue: true })]).then(([open, rectifying, closed, overdue]) =>
      setCounts({ byStatus: { open: open!, rectifying: rectifying!, closed: closed! }, overdue: overdue! }),
    )
  }, [villageId, chosenYear, year, version])
  if (!rates || !counts) return null
  return (
    <Card size="small" data-testid="register-summary">
      <Space size={32} wrap align="center">
        <Statistic title={`${year}年${hazardRateLabels.hazardRectificationRate}`} value={formatRate(rates.hazardRectificationRate)} />
        <Statistic title={`${year}年${hazardRateLabels.hazardOnTimeRate}`} value={formatRate(rates.hazardOnTimeRate)} />
        <Space wrap size={[4, 6]}>
          {statuses.map((s) => (
            <Tag key={s} color={statusColor[s]} style={{ cursor: 'pointer' }} onClick={() => setFilter('status', s)}>
              {hazardStatusOptions[s]} {counts.byStatus[s]}
            </Tag>
          ))}
          <Tag color={counts.overdue ? 'red' : undefined} style={{ cursor: 'pointer' }} onClick={() => setFilter('overdue', true)}>
            逾期未整改 {counts.overdue}
          </Tag>
        </Space>
      </Space>
    </Card>
  )
}

export function HazardsPage({ openId, filter }: { openId?: string; filter?: string }) {
  return <RegisterPage definition={hazardsRegister} form={HazardForm} summary={HazardSummary} screen={screen} openId={openId} filter={filter} />
}
