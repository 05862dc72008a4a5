import { useState } from 'react'
import { App, Button, Card, Form, Input, Radio, Typography, Alert } from 'antd'
import type { Township } from '../../../../shared/org/schema'
import { invoke } from '../../api'
import { compact, showApiError, clearApiError } from '../../components/apiForm'

interface Values {
  mode: 'township' | 'county'
  name?: string
  code: string
  county: string
  countyCode?: string
}

/** First start: who this installation belongs to. Everything else hangs on it. */
export function SetupPage({ onDone }: { onDone: (t: Township) => void }) {
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const { message } = App.useApp()
  const mode = Form.useWatch('mode', form) ?? 'township'

  const submit = async (v: Values) => {
    setBusy(true)
    try {
      onDone(await invoke('township.setup', compact(v)))
    } catch (e) {
      showApiError(form, e, message.error, ['mode', 'name', 'code', 'county', 'countyCode'])
    } finally {
      setBusy(false)
    }
  }

  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 40, background: '#f5f6f8', minHeight: '100vh' }}>
      <Card style={{ width: 560 }}>
        <Typography.Title level={3}>欢迎使用平安台账</Typography.Title>
        <Typography.Paragraph type="secondary">初次使用，请填写本单位信息。区划代码可在国家统计局“统计用区划代码”中查到。</Typography.Paragraph>
        <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" initialValues={{ mode: 'township' }} onFinish={submit} requiredMark={false}>
          <Form.Item name="mode" label="使用模式">
            <Radio.Group
              options={[
                { value: 'township', label: '乡镇（街道）综治办' },
                { value: 'county', label: '县（区）汇总' },
              ]}
            />
          </Form.Item>
          {mode === 'county' && <Alert style={{ marginBottom: 16 }} type="info" showIcon message="县区模式用于导入各乡镇报送的数据包，汇总查看，不直接录入台账。" />}
          {mode === 'township' && (
            <Form.Item name="name" label="乡镇（街道）名称" rules={[{ required: true, message: '请填写乡镇（街道）名称' }]}>
              <Input placeholder="例如：大托铺街道" />
            </Form.Item>
          )}
          <Form.Item
            name="code"
            label={mode === 'county' ? '县（区）区划代码（6位）' : '乡镇（街道）区划代码（9位或12位）'}
            rules={[{ required: true, message: '请填写区划代码' }]}
          >
            <Input placeholder={mode === 'county' ? '例如：430103' : '例如：430103005'} maxLength={12} />
          </Form.Item>
          <Form.Item name="county" label="所属县（区）名称" rules={[{ required: true, message: '请填写县（区）名称' }]}>
            <Input placeholder="例如：长沙市天心区" />
          </Form.Item>
          {mode === 'township' && (
            <Form.Item name="countyCode" label="县（区）区划代码" extra="不填则取乡镇代码的前6位">
              <Input maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={busy} block size="large">
            完成设置，开始使用
          </Button>
        </Form>
      </Card>
    </div>
  )
}
