import { useEffect, useState } from 'react'
import { App, Button, Form, Input, Modal, Typography } from 'antd'
import { UserOutlined } from '@ant-design/icons'
import { invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'

const DISMISSED = 'pingan_operator_later'

/**
 * The operator named in the audit trail. Shown under the township name with 更换; at the start of
 * work (the program opened with no operator set) a small dialog asks once for the name.
 */
export function OperatorPicker({ askAtStart }: { askAtStart: boolean }) {
  const { message } = App.useApp()
  const [operator, setOperator] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<{ operator: string }>()

  useEffect(() => {
    void invoke('settings.get', {}).then((s) => {
      setOperator(s.operator)
      if (!s.operator && askAtStart && !sessionStorage.getItem(DISMISSED)) setOpen(true)
    })
  }, [askAtStart])

  const save = async ({ operator: name }: { operator: string }) => {
    try {
      const s = await invoke('settings.update', { operator: name.trim() })
      setOperator(s.operator)
      setOpen(false)
      message.success(`操作员：${s.operator}`)
    } catch (e) {
      showApiError(form, e, message.error, ['operator'])
    }
  }

  return (
    <>
      <div style={{ padding: '0 16px 8px', fontSize: 13 }}>
        <Typography.Text type="secondary">
          <UserOutlined /> 操作员：{operator || '未填写'}
        </Typography.Text>
        <Button
          type="link"
          size="small"
          onClick={() => {
            form.setFieldsValue({ operator: operator ?? '' })
            setOpen(true)
          }}
        >
          更换
        </Button>
      </div>
      <Modal
        title="请填写操作员"
        open={open}
        width={400}
        okText="开始工作"
        cancelText="稍后"
        onOk={() => form.submit()}
        onCancel={() => {
          sessionStorage.setItem(DISMISSED, '1')
          setOpen(false)
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">每条新增、修改、删除都会记下操作员，便于日后查证。</Typography.Paragraph>
        <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={(v) => void save(v)} initialValues={{ operator: operator ?? '' }}>
          <Form.Item name="operator" label="操作员姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
            <Input maxLength={30} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
