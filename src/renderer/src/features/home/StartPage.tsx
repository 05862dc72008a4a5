import { Suspense, lazy, useEffect, useMemo, useRef, useState, type ComponentProps } from 'react'
import { Card, Col, List, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd'
import { formatRate, personKindLabels, personKinds, type Rates, type VillageRates } from '../../../../shared/stats/rates'
import { reminderKindLabels, type ReminderList } from '../../../../shared/reminders/schema'
import type { Overview } from '../../../../shared/overview/schema'
import { invoke, invokeNow } from '../../api'
import { afterPaint, firstScreenPainted } from '../../firstScreen'
import { YEARS } from './reads'
import { useNav, useTownship } from '../../nav'
import { allRateLabels, behind, rateNames, rateOpens } from './rates'
import { casesChart, hazardsChart, patrolsOption, trendOption } from './charts'

// echarts is half a megabyte: the rates and the to-do list show first, the charts a moment later
const LazyChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })))
function EChart(p: ComponentProps<typeof LazyChart>) {
  return (
    <Suspense fallback={<div style={{ height: p.height }} />}>
      <LazyChart {...p} />
    </Suspense>
  )
}

// its first calls were asked for by early.ts, before this code arrived (reads.ts)
const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (y: number, m: number) => new Date(y, m, 0).getDate()

/**
 * 工作台, the first screen: the year's rates with the counts behind them, the to-do list, charts
 * (patrols per month, cases by type and outcome, rates over the last years, hazards by category and
 * state: a click opens the register filtered to that bar) and every village's rates.
 */
export function StartPage() {
  const t = useTownship()
  const nav = useNav()
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  // the figures asked for by early.ts are usually here by now: drawn in the page's first drawing
  const [data, setData] = useState(() => invokeNow('stats.ratesByVillage', { year: thisYear }) ?? null)
  const had = useRef(data !== null)
  const [todo, setTodo] = useState<ReminderList | null>(null)
  const [charts, setCharts] = useState<Overview | null>(null)
  const [trend, setTrend] = useState<Rates[] | null>(null)
  useEffect(() => {
    if (had.current) had.current = false
    else void invoke('stats.ratesByVillage', { year }).then(setData)
    void invoke('overview.charts', { year }).then(setCharts)
  }, [year])
  useEffect(() => {
    void invoke('reminders.list', {}).then(setTodo)
    void Promise.all(Array.from({ length: YEARS }, (_, i) => invoke('stats.rates', { year: thisYear - YEARS + 1 + i }))).then(setTrend)
  }, [thisYear])

  // true once the rates are painted (then the top bar's search and the rest of this page are drawn)
  const [rest, setRest] = useState(false)
  useEffect(() => {
    if (!data || rest) return
    return afterPaint(() => {
      firstScreenPainted()
      setRest(true)
    })
  }, [data, rest])

  const open = (page: string, filter: Record<string, string | number>) => nav.go(page, { filter: JSON.stringify(filter) })
  const cases = useMemo(() => (charts ? casesChart(charts) : null), [charts])
  const hazards = useMemo(() => (charts ? hazardsChart(charts) : null), [charts])
  const patrols = useMemo(() => (charts ? patrolsOption(charts) : null), [charts])
  const trendOpt = useMemo(() => (trend ? trendOption(trend) : null), [trend])

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="start-page">
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            {t.name} 平安台账
          </Typography.Title>
          <Select aria-label="统计年度" value={year} onChange={setYear} style={{ width: 110 }} options={Array.from({ length: YEARS }, (_, i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))} />
          <Typography.Text type="secondary">比率口径：当年受理的案件；当年在帮教期内的人员；当年发现的隐患。没有数据时显示“无数据”。点图表中的柱子可打开对应台账。</Typography.Text>
        </Space>
      </Card>
      {data && (
        // eight to a line; a plain CSS grid, so antd's grid styles are not needed before the rates show
        <div className="start-rates">
          {rateNames.map((n) => (
            <Card key={n} size="small" data-rate={n} hoverable styles={{ body: { padding: '8px 10px' } }} style={{ height: '100%' }} onClick={() => open(rateOpens[n].page, { ...(rateOpens[n].filter ?? {}), ...(rateOpens[n].page !== 'aftercare' ? { year } : {}) })}>
              <Statistic title={allRateLabels[n]} value={formatRate(data.total[n])} valueStyle={{ fontSize: 20 }} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {behind[n](data.total.counts)}
              </Typography.Text>
            </Card>
          ))}
        </div>
      )}
      {data && (
        // the standards speak of 刑满释放人员 or of 社区矫正对象: their rates side by side (issue 17)
        <Card size="small" data-testid="rates-by-kind">
          {personKinds.map((k) => {
            const r = data.total.byKind[k]
            return (
              <Typography.Paragraph key={k} style={{ margin: 0 }} data-kind={k}>
                <b>{personKindLabels[k]}</b>（帮教期内 {r.counts.underAftercare} 人）：帮教率 {formatRate(r.aftercareRate)}，安置率 {formatRate(r.placementRate)}，重新犯罪率{' '}
                {formatRate(r.recidivismRate)}，当年脱管漏管 {r.counts.lostContactInYear} 人
              </Typography.Paragraph>
            )
          })}
        </Card>
      )}
      {/* the rates first; the to-do list, the charts and the villages' table in the next frame, once
          the rates are on screen (the clerk reads them first; the rest costs the most to draw) */}
      {rest ? (
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
      ) : (
        <div style={{ height: 560 }} />
      )}
    </Space>
  )
}

function Empty({ text }: { text: string }) {
  return <div style={{ height: 240, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#999' }}>{text}</div>
}
