import { Suspense, lazy, useEffect, useMemo, useState, type ComponentProps } from 'react'
import { Card, Col, List, Row, Space, Table, Tag, Typography } from 'antd'
import { formatRate, type Rates, type VillageRates } from '../../../../shared/stats/rates'
import { reminderKindLabels, type ReminderList } from '../../../../shared/reminders/schema'
import type { Overview } from '../../../../shared/overview/schema'
import { invoke } from '../../api'
import { YEARS } from './reads'
import { useNav } from '../../nav'
import { allRateLabels, behind, rateNames } from './rates'
import { casesChart, hazardsChart, patrolsOption, trendOption } from './charts'

// echarts is half a megabyte: the to-do list and the villages' table show first, the charts a moment later
const LazyChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })))
function EChart(p: ComponentProps<typeof LazyChart>) {
  return (
    <Suspense fallback={<div style={{ height: p.height }} />}>
      <LazyChart {...p} />
    </Suspense>
  )
}

const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (y: number, m: number) => new Date(y, m, 0).getDate()

export interface StartPageRestProps {
  year: number
  thisYear: number
  setYear: (year: number) => void
  data: { rows: VillageRates[] } | null
  open: (page: string, filter: Record<string, string | number>) => void
}

/**
 * The start page below its rates: the to-do list, the charts (a click on a bar opens the register
 * filtered to it) and every village's rates. Loaded once the rates are painted (StartPage.tsx); its
 * first calls were asked for by early.ts long before (reads.ts).
 */
export function StartPageRest({ year, thisYear, setYear, data, open }: StartPageRestProps) {
  const nav = useNav()
  const [todo, setTodo] = useState<ReminderList | null>(null)
  const [charts, setCharts] = useState<Overview | null>(null)
  const [trend, setTrend] = useState<Rates[] | null>(null)
  useEffect(() => {
    void invoke('overview.charts', { year }).then(setCharts)
  }, [year])
  useEffect(() => {
    void invoke('reminders.list', {}).then(setTodo)
    void Promise.all(Array.from({ length: YEARS }, (_, i) => invoke('stats.rates', { year: thisYear - YEARS + 1 + i }))).then(setTrend)
  }, [thisYear])
  const cases = useMemo(() => (charts ? casesChart(charts) : null), [charts])
  const hazards = useMemo(() => (charts ? hazardsChart(charts) : null), [charts])
  const patrols = useMemo(() => (charts ? patrolsOption(charts) : null), [charts])
  const trendOpt = useMemo(() => (trend ? trendOption(trend) : null), [trend])

  return (
    <>
    <Row gutter={[12, 12]}>
      <Col span={8}>
        <Card size="small" title={`待办提醒（${todo?.total ?? 0}）`} extra={todo && <Typography.Text type="secondary">截至 {todo.today}</Typography.Text>} styles={{ body: { padding: '0 12px' } }}>
          <List
            size="small"
            locale={{ emptyText: '没有待办事项' }}
            dataSource={todo?.rows ?? []}
            style={{ height: 262, overflow: 'auto' }}
            renderItem={(r) => (
              <List.Item className="todo-item" style={{ cursor: 'pointer', padding: '6px 0' }} onClick={() => nav.go(r.register, { open: r.recordId })}>
                <List.Item.Meta
                  title={
                    <Space size={4} wrap>
                      <Tag color={r.overdue ? 'red' : 'gold'}>{reminderKindLabels[r.kind]}</Tag>
                      <a>{r.title}</a>
                      {r.villageName && <Typography.Text type="secondary">{r.villageName}</Typography.Text>}
                    </Space>
                  }
                  description={
                    <>
                      {r.detail}
                      <Typography.Text type={r.overdue ? 'danger' : 'secondary'} style={{ marginLeft: 8, whiteSpace: 'nowrap' }}>
                        期限 {r.dueOn}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small" title={`${year}年巡逻次数（按月）`} data-testid="chart-patrols">
          {patrols && (
            <EChart
              label="巡逻次数按月"
              height={262}
              option={patrols}
              onClick={(e) => open('patrols', { dateFrom: `${year}-${pad(e.dataIndex + 1)}-01`, dateTo: `${year}-${pad(e.dataIndex + 1)}-${lastDay(year, e.dataIndex + 1)}` })}
            />
          )}
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small" title={`${year}年矛盾纠纷（按类型和结果）`} data-testid="chart-cases">
          {cases && (cases.categories.length ? (
            <EChart
              label="矛盾纠纷按类型和结果"
              height={262}
              option={cases.option}
              onClick={(e) => open('mediation', { year, category: cases.categories[e.dataIndex]!, ...(e.seriesIndex !== undefined ? { status: cases.statusCodes[e.seriesIndex]! } : {}) })}
            />
          ) : (
            <Empty text={`${year}年没有受理矛盾纠纷`} />
          ))}
        </Card>
      </Col>
      <Col span={12}>
        <Card size="small" title={`近${YEARS}年比率`} data-testid="chart-trend">
          {trendOpt && <EChart label="近几年比率" height={240} option={trendOpt} onClick={(e) => setYear(thisYear - YEARS + 1 + e.dataIndex)} />}
        </Card>
      </Col>
      <Col span={12}>
        <Card size="small" title={`${year}年安全隐患（按类别，已整改与未整改）`} data-testid="chart-hazards">
          {hazards && (hazards.categories.length ? (
            <EChart
              label="安全隐患按类别和整改状态"
              height={240}
              option={hazards.option}
              onClick={(e) => open('hazards', { year, category: hazards.categories[e.dataIndex]!, ...(e.seriesIndex !== undefined ? { status: hazards.statusCodes[e.seriesIndex]! } : {}) })}
            />
          ) : (
            <Empty text={`${year}年没有发现安全隐患`} />
          ))}
        </Card>
      </Col>
    </Row>
    <Card size="small" title={`${year}年各村（社区）比率`} styles={{ body: { padding: 0 } }}>
      <Table<VillageRates>
        size="small"
        rowKey="villageId"
        pagination={false}
        dataSource={data?.rows ?? []}
        tableLayout="fixed"
        locale={{ emptyText: '还没有村（社区）。请先在“组织机构”中添加。' }}
        columns={[
          { title: '村（社区）', dataIndex: 'villageName', width: 120, ellipsis: { showTitle: true } },
          { title: '受理纠纷', render: (_, r) => r.counts.casesReceived, width: 64 },
          ...rateNames.map((n) => ({
            title: allRateLabels[n],
            key: n,
            render: (_: unknown, r: VillageRates) => <span title={behind[n](r.counts)}>{formatRate(r[n])}</span>,
          })),
          { title: '帮教期内', render: (_, r) => r.counts.underAftercare, width: 64 },
        ]}
      />
    </Card>
    </>
  )
}

function Empty({ text }: { text: string }) {
  return <div style={{ height: 240, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#999' }}>{text}</div>
}
