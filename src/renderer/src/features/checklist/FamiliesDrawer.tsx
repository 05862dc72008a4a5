import { useCallback, useEffect, useState } from 'react'
import { App, Button, DatePicker, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import type { Family } from '../../../../shared/checklist/schema'
import { ApiCallError, invoke } from '../../api'
import { useOrg } from '../../components/useOrg'
import { offerUndo } from '../../components/undo'

interface FormValues {
  name: string
  villageId: string
  householder: string
  address?: string
  declaredOn: Dayjs
}

/** 平安家庭申报: the declared families, a creation target for the 平安家庭 standards. */
export function FamiliesDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message, notification } = App.useApp()
  const org = useOrg()
  const [rows, setRows] = useState<Family[]>([])
  const [editing, setEditing] = useState<Family | 'new' | null>(null)
  const [form] = Form.useForm<FormValues>()

  const load = useCallback(() => void invoke('families.list', { limit: 10_000 }).then((r) => setRows(r.rows)), [])
  useEffect(() => {
    if (open) load()
  }, [open, load])

  useEffect(() => {
    if (editing === 'new') form.setFieldsValue({ name: '', householder: '', address: '', declaredOn: dayjs() })
    else if (editing) form.setFieldsValue({ ...editing, declaredOn: dayjs(editing.declaredOn) })
  }, [editing, form])

  const save = async () => {
    const v = await form.validateFields()
    const input = { name: v.name, villageId: v.villageId, householder: v.householder, address: v.address ?? '', declaredOn: v.declaredOn.format('YYYY-MM-DD') }
    try {
      if (editing && editing !== 'new') await invoke('families.update', { id: editing.id, ...input })
      else await invoke('families.create', input)
      message.success('已保存')
      setEditing(null)
      load()
    } catch (e) {
      if (e instanceof ApiCallError && e.error.field) form.setFields([{ name: e.error.field as keyof FormValues, errors: [e.message] }])
      else message.error(e instanceof Error ? e.message : String(e))
    }
  }

  const remove = async (f: Family) => {
    await invoke('families.delete', { id: f.id })
    load()
    offerUndo(notification, `平安家庭 ${f.name}`, () => invoke('families.restore', { id: f.id }), load)
  }

  return (
    <Drawer open={open} onClose={onClose} width={820} title="平安家庭申报">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">申报的家庭是“平安家庭”标准的创建对象，在创建自查中逐户核对。</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          申报平安家庭
        </Button>
        <Table<Family>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '还没有申报的家庭' }}
          columns={[
            { title: '家庭名称', dataIndex: 'name' },
            { title: '户主', dataIndex: 'householder', width: 100 },
            { title: '所属村（社区）', dataIndex: 'villageName', width: 140 },
            { title: '住址', dataIndex: 'address', ellipsis: true },
            { title: '申报日期', dataIndex: 'declaredOn', width: 110 },
            {
              title: '操作',
              key: 'ops',
              width: 120,
              render: (_: unknown, f) => (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => setEditing(f)}>
                    修改
                  </Button>
                  <Popconfirm title={`确定删除“${f.name}”吗？`} okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(f)}>
                    <Button size="small" type="link" danger>
                      删除
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Space>
      <Modal open={editing !== null} title={editing === 'new' ? '申报平安家庭' : '修改平安家庭'} onCancel={() => setEditing(null)} onOk={() => void save()} okText="保存" cancelText="取消" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label="家庭名称" rules={[{ required: true, whitespace: true, message: '请填写家庭名称' }]}>
            <Input maxLength={50} placeholder="如：张建国家庭" />
          </Form.Item>
          <Form.Item name="householder" label="户主" rules={[{ required: true, whitespace: true, message: '请填写户主' }]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="villageId" label="所属村（社区）" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
            <Select showSearch optionFilterProp="label" options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
          </Form.Item>
          <Form.Item name="address" label="住址">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="declaredOn" label="申报日期" rules={[{ required: true, message: '请选择申报日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  )
}
