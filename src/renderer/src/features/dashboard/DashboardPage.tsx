import { useEffect, useState } from 'react'
import { Card, Col, List, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd'
import { formatRate, personKindLabels, personKinds, rateLabels, type RateName, type Rates, type VillageRates } from '../../../../shared/stats/rates'
import { reminderKindLabels, type ReminderList } from '../../../../shared/reminders/schema'
import { invoke } from '../../api'
import { useNav } from '../../nav'

/** For each rate: the counts behind it, as the clerk would say them. */
const behind: Record<RateName, (c: Rates['counts']) => string> = {
  mediationRate: (c) => `已调处 ${c.casesMediated} / 受理 ${c.casesReceived} 件`,
  mediationSuccessRate: (c) => `成功 ${c.casesSuccess} / (成功 ${c.casesSuccess} + 不成功 ${c.casesFailed}) 件`,
  mediationFulfillmentRate: (c) => `已履行 ${c.casesFulfilled} / 调解成功 ${c.casesSuccess} 件`,
  aftercareRate: (c) => `落实帮教 ${c.helped} / 帮教期内 ${c.underAftercare} 人`,
  placementRate: (c) => `已安置 ${c.placed} / 帮教期内 ${c.underAftercare} 人`,
  recidivismRate: (c) => `重新犯罪 ${c.reoffended} / 帮教期内 ${c.underAftercare} 人`,
}
const names = Object.keys(rateLabels) as RateName[]

export function DashboardPage() {
  const nav = useNav()
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  const [data, setData] = useState<{ rows: VillageRates[]; total: Rates } | null>(null)
  const [todo, setTodo] = useState<ReminderList | null>(null)
  useEffect(() => void invoke('stats.ratesByVillage', { year }).then(setData), [year])
  useEffect(() => void invoke('reminders.list', {}).then(setTodo), [])

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            工作台
          </Typography.Title>
          <Select aria-label="统计年度" value={year} onChange={setYear} style={{ width: 110 }} options={[0, 1, 2, 3, 4].map((i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))} />
          <Typography.Text type="secondary">比率口径：当年受理的案件；当年在帮教期内的人员。没有数据时显示“无数据”。</Typography.Text>
        </Space>
      </Card>
      {data && (
        <Row gutter={[12, 12]}>
          {names.map((n) => (
            <Col key={n} xs={12} md={8} xl={4}>
              <Card size="small" data-rate={n}>
                <Statistic title={rateLabels[n]} value={formatRate(data.total[n])} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {behind[n](data.total.counts)}
                </Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
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
      <Row gutter={12}>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={`待办提醒（${todo?.total ?? 0}）`}
            extra={todo && <Typography.Text type="secondary">截至 {todo.today}</Typography.Text>}
          >
            <List
              size="small"
              locale={{ emptyText: '没有待办事项' }}
              dataSource={todo?.rows ?? []}
              style={{ maxHeight: 520, overflow: 'auto' }}
              renderItem={(r) => (
                <List.Item
                  className="todo-item"
                  style={{ cursor: 'pointer' }}
                  onClick={() => nav.go(r.register, { open: r.recordId })}
                >
                  <List.Item.Meta
                    title={
                      <Space size={4}>
                        <Tag color={r.overdue ? 'red' : 'gold'}>{reminderKindLabels[r.kind]}</Tag>
                        <a>{r.title}</a>
                        {r.villageName && <Typography.Text type="secondary">{r.villageName}</Typography.Text>}
                      </Space>
                    }
                    description={`${r.detail}（期限 ${r.dueOn}）`}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={`${year}年各村（社区）比率`}>
            <Table<VillageRates>
              size="small"
              rowKey="villageId"
              pagination={false}
              dataSource={data?.rows ?? []}
              scroll={{ x: 800 }}
              columns={[
                { title: '村（社区）', dataIndex: 'villageName', fixed: 'left', width: 110 },
                { title: '受理', render: (_, r) => r.counts.casesReceived, width: 60 },
                ...names.map((n) => ({
                  title: rateLabels[n],
                  key: n,
                  width: 100,
                  render: (_: unknown, r: VillageRates) => <span title={behind[n](r.counts)}>{formatRate(r[n])}</span>,
                })),
                { title: '帮教期内', render: (_, r) => r.counts.underAftercare, width: 80 },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  )
}
