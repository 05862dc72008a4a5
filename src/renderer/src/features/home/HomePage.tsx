import { useEffect, useState } from 'react'
import { Card, Col, Row, Statistic, Typography, Button, Space } from 'antd'
import type { MemberStats } from '../../../../shared/members/schema'
import { invoke } from '../../api'
import { useNav, useTownship } from '../../nav'

/** The first screen: where the township stands, and the way into each register. */
export function HomePage() {
  const t = useTownship()
  const nav = useNav()
  const [members, setMembers] = useState<MemberStats | null>(null)
  const [villages, setVillages] = useState<number | null>(null)
  useEffect(() => {
    if (t.mode !== 'township') return
    void invoke('members.stats', {}).then(setMembers)
    void invoke('villages.list', { limit: 1 }).then((r) => setVillages(r.total))
  }, [t.mode])

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t.mode === 'county' ? `${t.county} 平安创建汇总` : `${t.name} 平安台账`}
        </Typography.Title>
        <Typography.Text type="secondary">
          区划代码 {t.code} · {t.county}
        </Typography.Text>
      </Card>
      {t.mode === 'township' && (
        <Row gutter={16}>
          <Col span={6}>
            <Card>
              <Statistic title="村（社区）" value={villages ?? '-'} />
              <Button type="link" style={{ padding: 0 }} onClick={() => nav.go('org')}>
                管理组织机构
              </Button>
            </Card>
          </Col>
          <Col span={6}>
            <Card>
              <Statistic title="在岗成员" value={members?.active ?? '-'} suffix="人" />
              <Button type="link" style={{ padding: 0 }} onClick={() => nav.go('members')}>
                打开成员台账
              </Button>
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  )
}
