import { useState } from 'react'
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import type { Grid, Unit, Village } from '../../../../shared/org/schema'
import { unitKinds, unitKindLabels, villageKindLabels } from '../../../../shared/domain'
import { invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { deleteWithUndo } from '../../components/undo'
import { useOrg } from '../../components/useOrg'

type Kind = 'villages' | 'grids' | 'units'
const WHAT: Record<Kind, string> = { villages: '村（社区）', grids: '网格', units: '单位' }

/** Villages/communities, their grids, and the units that are creation targets. */
export function OrgPage() {
  const org = useOrg()
  const { message, notification } = App.useApp()
  const [form] = Form.useForm()
  const [editing, setEditing] = useState<{ kind: Kind; row: Village | Grid | Unit | null } | null>(null)
  const villageName = (id: string | null) => org.villages.find((v) => v.id === id)?.name ?? ''

  const save = async () => {
    if (!editing) return
    const values = (await form.validateFields()) as Record<string, unknown>
    const { kind, row } = editing
    try {
      if (row) await invoke(`${kind}.update`, { id: row.id, ...values })
      else await invoke(`${kind}.create`, values as never)
      message.success('已保存')
      setEditing(null)
      org.reload()
    } catch (e) {
      showApiError(form, e, message.error, ['name', 'kind', 'households', 'population', 'villageId', 'headcount'])
    }
  }

  const remove = (kind: Kind, row: { id: string; name: string }) =>
    deleteWithUndo({ message, notification }, `${WHAT[kind]} ${row.name}`, () => invoke(`${kind}.delete`, { id: row.id }), () => invoke(`${kind}.restore`, { id: row.id }), org.reload)


  const openForm = (kind: Kind, row: Village | Grid | Unit | null) => {
    form.resetFields()
    if (row) form.setFieldsValue(row)
    else form.setFieldsValue(kind === 'villages' ? { kind: 'village', households: 0, population: 0 } : kind === 'grids' ? { households: 0 } : { kind: 'school', headcount: 0 })
    setEditing({ kind, row })
  }

  const actions = (kind: Kind) => ({
    title: '操作',
    width: 140,
    render: (_: unknown, row: Village | Grid | Unit) => (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => openForm(kind, row)}>
          修改
        </Button>
        <Popconfirm title={`确定删除“${row.name}”吗？`} okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => remove(kind, row)}>
          <Button type="link" size="small" danger>
            删除
          </Button>
        </Popconfirm>
      </Space>
    ),
  })

  const add = (kind: Kind) => (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => openForm(kind, null)} disabled={kind === 'grids' && org.villages.length === 0}>
      新增{WHAT[kind]}
    </Button>
  )

  return (
    <Card title="组织机构">
      <Tabs
        items={[
          {
            key: 'villages',
            label: `村（社区） ${org.villages.length}`,
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                {add('villages')}
                <Table<Village>
                  rowKey="id"
                  size="small"
                  dataSource={org.villages}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  locale={{ emptyText: '还没有村（社区）。请先新增，成员和台账都要挂在村（社区）下。' }}
                  columns={[
                    { title: '名称', dataIndex: 'name' },
                    { title: '类型', dataIndex: 'kind', render: (k: 'village' | 'community') => <Tag>{villageKindLabels[k]}</Tag> },
                    { title: '户数', dataIndex: 'households', align: 'right' },
                    { title: '人口', dataIndex: 'population', align: 'right' },
                    { title: '网格数', render: (_, v) => org.grids.filter((g) => g.villageId === v.id).length, align: 'right' },
                    actions('villages'),
                  ]}
                />
              </Space>
            ),
          },
          {
            key: 'grids',
            label: `网格 ${org.grids.length}`,
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                {add('grids')}
                <Table<Grid>
                  rowKey="id"
                  size="small"
                  dataSource={org.grids}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  locale={{ emptyText: '还没有网格。' }}
                  columns={[
                    { title: '所属村（社区）', render: (_, g) => villageName(g.villageId) },
                    { title: '网格名称', dataIndex: 'name' },
                    { title: '户数', dataIndex: 'households', align: 'right' },
                    actions('grids'),
                  ]}
                />
              </Space>
            ),
          },
          {
            key: 'units',
            label: `单位 ${org.units.length}`,
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                {add('units')}
                <Table<Unit>
                  rowKey="id"
                  size="small"
                  dataSource={org.units}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  locale={{ emptyText: '还没有单位。学校、医院、企业等创建对象在这里登记。' }}
                  columns={[
                    { title: '单位名称', dataIndex: 'name' },
                    { title: '类型', dataIndex: 'kind', render: (k: Unit['kind']) => unitKindLabels[k] },
                    { title: '所在村（社区）', render: (_, u) => villageName(u.villageId) },
                    { title: '人数', dataIndex: 'headcount', align: 'right' },
                    actions('units'),
                  ]}
                />
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!editing} title={editing ? `${editing.row ? '修改' : '新增'}${WHAT[editing.kind]}` : ''} onCancel={() => setEditing(null)} onOk={() => void save()} okText="保存" cancelText="取消" destroyOnHidden>
        <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" preserve={false}>
          {editing?.kind === 'grids' && (
            <Form.Item name="villageId" label="所属村（社区）" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
              <Select options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
            </Form.Item>
          )}
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          {editing?.kind === 'villages' && (
            <>
              <Form.Item name="kind" label="类型">
                <Select options={[{ value: 'village', label: '村' }, { value: 'community', label: '社区' }]} />
              </Form.Item>
              <Form.Item name="households" label="户数">
                <InputNumber min={0} precision={0} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item name="population" label="人口">
                <InputNumber min={0} precision={0} style={{ width: 200 }} />
              </Form.Item>
            </>
          )}
          {editing?.kind === 'grids' && (
            <Form.Item name="households" label="户数">
              <InputNumber min={0} precision={0} style={{ width: 200 }} />
            </Form.Item>
          )}
          {editing?.kind === 'units' && (
            <>
              <Form.Item name="kind" label="单位类型">
                <Select options={unitKinds.map((k) => ({ value: k, label: unitKindLabels[k] }))} />
              </Form.Item>
              <Form.Item name="villageId" label="所在村（社区）">
                <Select allowClear options={org.villages.map((v) => ({ value: v.id, label: v.name }))} />
              </Form.Item>
              <Form.Item name="headcount" label="人数（职工、师生或从业人员）">
                <InputNumber min={0} precision={0} style={{ width: 200 }} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  )
}
