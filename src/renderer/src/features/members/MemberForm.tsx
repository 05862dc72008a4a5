import { useEffect } from 'react'
import { clearApiError } from '../../components/apiForm'
import { DatePicker, Form, Input, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { Member } from '../../../../shared/members/schema'
import { roles, roleLabels, type Role } from '../../../../shared/domain'
import { invoke } from '../../api'
import { FormDrawer, useSave } from '../../components/FormDrawer'
import type { RegisterFormProps } from '../../components/RegisterPage'
import { optionalMark } from '../../components/optionalMark'

interface Values {
  name: string
  idNumber: string
  phone?: string
  villageId?: string | null
  gridId?: string | null
  unitId?: string | null
  roles: Role[]
  joinedOn: Dayjs
  leftOn?: Dayjs | null
  notes?: string
}
const FIELDS = ['name', 'idNumber', 'phone', 'villageId', 'gridId', 'unitId', 'roles', 'joinedOn', 'leftOn', 'notes'] as const

export function MemberForm({ open, record: member, org, onClose, onSaved }: RegisterFormProps<Member>) {
  const { villages, grids, units } = org
  const [form] = Form.useForm<Values>()
  const { busy, save } = useSave<Member>(form, FIELDS, onSaved)
  const villageId = Form.useWatch('villageId', form)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    if (member)
      form.setFieldsValue({
        ...member,
        joinedOn: dayjs(member.joinedOn),
        leftOn: member.leftOn ? dayjs(member.leftOn) : null,
      })
    else form.setFieldsValue({ joinedOn: dayjs(), roles: [] })
  }, [open, member, form])

  const submit = async (v: Values, checkOnly = false) => {
    const body = {
      name: v.name,
      idNumber: v.idNumber ?? '',
      phone: v.phone ?? '',
      villageId: v.villageId ?? null,
      gridId: v.gridId ?? null,
      unitId: v.unitId ?? null,
      roles: v.roles ?? [],
      joinedOn: v.joinedOn ? v.joinedOn.format('YYYY-MM-DD') : '',
      leftOn: v.leftOn ? v.leftOn.format('YYYY-MM-DD') : null,
      notes: v.notes ?? '',
    }
    await save(
      () => (member ? invoke('members.update', { id: member.id, ...body }) : invoke('members.create', body)),
      (saved) => (member ? '已保存修改' : `已登记成员 ${saved.name}`),
      { method: member ? 'members.update' : 'members.create', input: member ? { id: member.id, ...body } : body },
      checkOnly,
    )
  }

  return (
    <FormDrawer form={form}
      title={member ? `修改成员：${member.name}` : '新增成员'}
      open={open}
      onClose={onClose}
      width={520}
      busy={busy}
      onSave={() => form.submit()}
    >
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={(v: Values) => void submit(v)} onFinishFailed={(e) => void submit(e.values as Values, true)} scrollToFirstError={{ block: 'center' }} requiredMark={optionalMark}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input maxLength={30} autoFocus />
        </Form.Item>
        <Form.Item name="idNumber" label="身份证号" rules={[{ required: true, message: '请填写身份证号' }]} extra="18位，最后一位可以是X；出生日期和性别自动识别">
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        {member && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
            出生日期 {member.birthDate}，{member.sex === 'male' ? '男' : '女'}
          </Typography.Paragraph>
        )}
        <Form.Item name="phone" label="联系电话">
          <Input maxLength={20} placeholder="11位手机号，或带区号的固定电话" />
        </Form.Item>
        <Form.Item name="roles" label="职务/角色" rules={[{ required: true, message: '请至少选择一个职务/角色' }]}>
          <Select mode="multiple" options={roles.map((r) => ({ value: r, label: roleLabels[r] }))} placeholder="可多选" />
        </Form.Item>
        <Form.Item name="villageId" label="所属村（社区）">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={villages.map((v) => ({ value: v.id, label: v.name }))}
            onChange={() => form.setFieldValue('gridId', null)}
          />
        </Form.Item>
        <Form.Item name="gridId" label="所属网格">
          <Select
            allowClear
            disabled={!villageId}
            placeholder={villageId ? '' : '请先选择村（社区）'}
            options={grids.filter((g) => g.villageId === villageId).map((g) => ({ value: g.id, label: g.name }))}
          />
        </Form.Item>
        <Form.Item name="unitId" label="所属单位">
          <Select allowClear showSearch optionFilterProp="label" options={units.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Space size="large">
          <Form.Item name="joinedOn" label="加入日期" rules={[{ required: true, message: '请填写加入日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="leftOn" label="离队日期" extra="在岗不填">
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="notes" label="备注">
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </FormDrawer>
  )
}
