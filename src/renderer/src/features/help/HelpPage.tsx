import { Button, Card, Col, Row, Space, Table, Typography } from 'antd'
import { useNav } from '../../nav'
import { helpTopics, shortcuts } from './topics'

/** 使用说明: the common tasks with a screenshot each, and the keyboard shortcuts. */
export function HelpPage({ topic }: { topic?: string }) {
  const nav = useNav()
  const topics = topic ? [...helpTopics.filter((t) => t.key === topic), ...helpTopics.filter((t) => t.key !== topic)] : helpTopics
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="help-page">
      <Card size="small">
        <Typography.Title level={4} style={{ margin: 0 }}>
          使用说明
        </Typography.Title>
        <Typography.Text type="secondary">常见工作的做法。点“去办理”直接打开对应的页面。</Typography.Text>
      </Card>
      {topics.map((t) => (
        <Card key={t.key} size="small" title={t.title} data-topic={t.key} extra={<Button type="link" onClick={() => nav.go(t.page)}>去办理</Button>}>
          <Row gutter={16}>
            <Col span={11}>
              <ol style={{ margin: 0, paddingLeft: 20, lineHeight: 1.9 }}>
                {t.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </Col>
            <Col span={13}>
              <img
                src={`./help/${t.shot}.png`}
                alt={`${t.title}的界面`}
                style={{ width: '100%', border: '1px solid #eee', borderRadius: 4 }}
                // a build made before the e2e run has no screenshots yet: the steps stand alone
                onError={(e) => ((e.currentTarget as HTMLImageElement).style.display = 'none')}
              />
            </Col>
          </Row>
        </Card>
      ))}
      <Card size="small" title="键盘快捷键" data-testid="shortcuts">
        <Table size="small" pagination={false} rowKey="keys" dataSource={shortcuts} columns={[{ title: '按键', dataIndex: 'keys', width: 200, render: (k: string) => <Typography.Text keyboard>{k}</Typography.Text> }, { title: '作用', dataIndex: 'what' }]} />
      </Card>
    </Space>
  )
}
