import { useEffect } from 'react'
import { Card, DatePicker, Form, Input, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { Hazard, HazardCategory, HazardLevel, HazardStatus } from '../../../../shared/hazards/types'
import { hazardRefusals, hazardStage, nextHazardStatuses } from '../../../../shared/hazards/stage'
import { fieldOf } from '../../../../shared/registers/define'
import { hazardCategoryOptions, hazardLevelOptions, hazardStatusOptions, hazardsRegister } from '../../../../shared/registers/hazards'
import { invoke } from '../../api'
import { clearApiError } from '../../components/apiForm'
import { FormDrawer, useSave } from '../../components/FormDrawer'
import type { RegisterFormProps } from '../../components/RegisterPage'
import { optionalMark } from '../../components/optionalMark'

interface Values {
  foundOn?: Dayjs
  villageId?: string | null
  unitId?: string | null
  location?: string
  category?: HazardCategory
  description?: string
  level?: HazardLevel
  foundBy?: string
  responsible?: string
  deadline?: Dayjs | null
  measures?: string
  result?: string
  reviewer?: string
  closedOn?: Dayjs | null
  status?: HazardStatus
}
const FIELDS = hazardsRegister.fields.map((f) => f.key)
/** the definition's Chinese label, so the form, the messages and the sheets say the same word */
const L = (key: keyof Values) => fieldOf(hazardsRegister, key).label
const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)
const optionsOf = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }))

export function HazardForm({ open, record: hazard, org, onClose, onSaved }: RegisterFormProps<Hazard>) {
  const [form] = Form.useForm<Values>()
  const { busy, save } = useSave<Hazard>(form, FIELDS, onSaved)
  const status = Form.useWatch('status', form) ?? 'open'
  const villageId = Form.useWatch('villageId', form)
  const stage = hazardStage(status)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    if (hazard)
      form.setFieldsValue({
        ...hazard,
        foundOn: dayjs(hazard.foundOn),
        deadline: hazard.deadline ? dayjs(hazard.deadline) : null,
        closedOn: hazard.closedOn ? dayjs(hazard.closedOn) : null,
      })
    else form.setFieldsValue({ foundOn: dayjs(), status: 'open', level: 'general' })
  }, [open, hazard, form])

  const onStatus = (s: HazardStatus) => {
    // 销号 needs its date: today, for the clerk to correct
    if (hazardStage(s).closedOn === 'required' && !form.getFieldValue('closedOn')) form.setFieldValue('closedOn', dayjs())
  }

  const submit = async (v: Values, checkOnly = false) => {
    const s = v.status ?? 'open'
    const body = {
      foundOn: day(v.foundOn) ?? '',
      villageId: v.villageId ?? null,
      unitId: v.unitId ?? null,
      location: v.location ?? '',
      category: v.category ?? ('' as HazardCategory),
      description: v.description ?? '',
      level: v.level ?? ('' as HazardLevel),
      foundBy: v.foundBy ?? '',
      responsible: v.responsible ?? '',
      deadline: day(v.deadline),
      measures: v.measures ?? '',
      result: v.result ?? '',
      reviewer: v.reviewer ?? '',
      closedOn: hazardStage(s).closedOn === 'forbidden' ? null : day(v.closedOn),
      status: s,
    }
    // the handler's own rule, checked here first so every missing field is marked at once
    const refusals = hazardRefusals(body, dayjs().format('YYYY-MM-DD'))
    if (refusals.length) {
      form.setFields(refusals.map((r) => ({ name: r.field as keyof Values, errors: [r.message] })))
      form.scrollToField(refusals[0]!.field)
      return
    }
    await save(
      () => (hazard ? invoke('hazards.update', { id: hazard.id, ...body }) : invoke('hazards.create', body)),
      () => (hazard ? '已保存修改' : '已登记安全隐患'),
      { method: hazard ? 'hazards.update' : 'hazards.create', input: hazard ? { id: hazard.id, ...body } : body },
      checkOnly,
    )
  }

  // a refusal marked beside a field goes as soon as the clerk changes that field
  const onChange = (changed: Partial<Values>) => {
    clearApiError(form)(changed)
    const marked = Object.keys(changed).filter((k) => form.getFieldError(k as keyof Values).length > 0)
    if (marked.length) form.setFields(marked.map((k) => ({ name: k as keyof Values, errors: [] })))
  }

  const units = org.units.filter((u) => !villageId || !u.villageId || u.villageId === villageId)
  return (
    <FormDrawer form={form} title={hazard ? `安全隐患：${hazard.location}` : '登记安全隐患'} open={open} onClose={onClose} width={680} busy={busy} onSave={() => form.submit()}>
      <Form form={form} onValuesChange={onChange} layout="vertical" onFinish={(v: Values) => void submit(v)} onFinishFailed={(e) => void submit(e.values as Values, true)} scrollToFirstError={{ block: 'center' }} requiredMark={optionalMark}>
        <Space size="large" wrap align="start">
          <Form.Item name="foundOn" label={L('foundOn')} rules={[{ required: true, message: `请填写${L('foundOn')}` }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="category" label={L('category')} rules={[{ required: true, message: `请选择${L('category')}` }]}>
            <Select style={{ width: 120 }} options={optionsOf(hazardCategoryOptions)} />
          </Form.Item>
          <Form.Item name="level" label={L('level')} rules={[{ required: true, message: `请选择${L('level')}` }]}>
            <Select style={{ width: 110 }} options={optionsOf(hazardLevelOptions)} />
          </Form.Item>
        </Space>
        <Space size="large" wrap align="start">
          <Form.Item name="villageId" label={L('villageId')} required extra="村（社区）和单位至少填一项">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 200 }}
              options={org.villages.map((v) => ({ value: v.id, label: v.name }))}
              onChange={() => form.setFieldValue('unitId', null)}
            />
          </Form.Item>
          <Form.Item name="unitId" label={L('unitId')} required>
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 240 }} options={units.map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
        </Space>
        <Form.Item name="location" label={L('location')} rules={[{ required: true, message: `请填写${L('location')}` }]}>
          <Input maxLength={100} placeholder="例如：村部后山坡、学校东侧围墙" />
        </Form.Item>
        <Form.Item name="description" label={L('description')} rules={[{ required: true, message: `请填写${L('description')}` }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="foundBy" label={L('foundBy')} rules={[{ required: true, message: `请填写${L('foundBy')}` }]}>
            <Input maxLength={50} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="responsible" label={L('responsible')}>
            <Input maxLength={50} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="deadline" label={L('deadline')}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Card size="small" title="整改与销号" style={{ marginBottom: 16 }}>
          <Form.Item name="measures" label={L('measures')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          <Space size="large" wrap align="start">
            <Form.Item name="status" label={L('status')} rules={[{ required: true, message: `请选择${L('status')}` }]}>
              <Select style={{ width: 130 }} onChange={onStatus} options={nextHazardStatuses(hazard?.status ?? null).map((s) => ({ value: s, label: hazardStatusOptions[s] }))} />
            </Form.Item>
            <Form.Item name="reviewer" label={L('reviewer')} required extra={stage.reviewer === 'required' ? undefined : '销号时必填'}>
              <Input maxLength={50} style={{ width: 200 }} />
            </Form.Item>
            {stage.closedOn !== 'forbidden' && (
              <Form.Item name="closedOn" label={L('closedOn')} required>
                <DatePicker />
              </Form.Item>
            )}
          </Space>
          {/* needed once the hazard is closed: never marked （可选） */}
          <Form.Item name="result" label={L('result')} required extra={stage.result === 'required' ? undefined : '销号时必填'}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          {status === 'closed' && !hazard?.closedOn && (
            <Typography.Text type="secondary">销号需填写{L('result')}、{L('reviewer')}和{L('closedOn')}；销号后不能再改回。</Typography.Text>
          )}
        </Card>
      </Form>
    </FormDrawer>
  )
}
