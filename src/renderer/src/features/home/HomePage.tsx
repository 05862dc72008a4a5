import { Button, Card, Typography } from 'antd'
import { useNav, useTownship } from '../../nav'

/** A county database's first screen: which county it gathers, and the way to its summary. */
export function HomePage() {
  const t = useTownship()
  const nav = useNav()
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t.county} 平安创建汇总
      </Typography.Title>
      <Typography.Paragraph type="secondary">区划代码 {t.code}。各乡镇（街道）用U盘交来的数据包在“县区汇总”中导入和查看。</Typography.Paragraph>
      <Button type="primary" onClick={() => nav.go('county')}>
        打开县区汇总
      </Button>
    </Card>
  )
}
