import { useCallback, useEffect, useState } from 'react'
import { App, Button, Card, DatePicker, Form, Input, Popconfirm, Select, Space, Table } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { AftercarePerson, AftercareVisit } from '../../../../shared/aftercare/schema'
import type { Member } from '../../../../shared/members/schema'
import { invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { offerUndo } from '../../components/undo'

/** 走访记录 of one person: the log, a small form to add a visit, delete with undo. */
export function VisitLog({ person, helpers, onChanged }: { person: AftercarePerson; helpers: Member[]; onChanged: () => void }) {
  const { message, notification } = App.useApp()
  const [form] = Form.useForm<{ date?: Dayjs; helperIds?: string[]; content?: string }>()
  const [rows, setRows] = useState<AftercareVisit[]>([])
  const [busy, setBusy] = useState(false)
  const load = useCallback(() => void invoke('aftercare.visits.list', { filters: { personId: person.id }, limit: 1000 }).then((r) => setRows(r.rows)), [person.id])
  useEffect(() => {
    load()
    form.setFieldsValue({ date: dayjs(), helperIds: person.helperIds.filter((h) => helpers.some((m) => m.id === h)) })
  }, [load, form, person.helperIds, helpers])

  const add = async (v: { date?: Dayjs; helperIds?: string[]; content?: string }) => {
    setBusy(true)
    try {
      await invoke('aftercare.visits.create', { personId: person.id, date: v.date ? v.date.format('YYYY-MM-DD') : '', helperIds: v.helperIds ?? [], content: v.content ?? '' })
      message.success('已登记走访')
      form.setFieldValue('content', '')
      load()
      onChanged()
    } catch (e) {
      showApiError(form, e, message.error, ['date', 'helperIds', 'content'])
    } finally {
      setBusy(false)
    }
  }
  const remove = async (v: AftercareVisit) => {
    await invoke('aftercare.visits.delete', { id: v.id })
    load()
    onChanged()
    offerUndo(notification, `${v.date} 的走访记录`, () => invoke('aftercare.visits.restore', { id: v.id }), () => (load(), onChanged()))
  }

  return (
    <Card size="small" title={`走访记录（${rows.length} 次）`}>
      <Form form={form} onValuesChange={clearApiError(form)} layout="inline" onFinish={add} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="date" label="走访日期">
          <DatePicker />
        </Form.Item>
        <Form.Item name="helperIds" label="走访人员">
          <Select mode="multiple" style={{ minWidth: 160 }} optionFilterProp="label" options={helpers.map((m) => ({ value: m.id, label: m.name }))} />
        </Form.Item>
        <Form.Item name="content" label="走访内容" style={{ width: '100%', marginTop: 8 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item style={{ marginTop: 8 }}>
          <Button htmlType="submit" type="primary" ghost loading={busy}>
            登记走访
          </Button>
        </Form.Item>
      </Form>
      <Table<AftercareVisit>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '日期', dataIndex: 'date', width: 110 },
          { title: '走访人员', render: (_, v) => v.helperNames.join('、'), width: 140 },
          { title: '走访内容', dataIndex: 'content' },
          {
            title: '',
            width: 70,
            render: (_, v) => (
              <Popconfirm title="确定删除这条走访记录吗？" okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(v)}>
                <Space>
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Space>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  )
}
