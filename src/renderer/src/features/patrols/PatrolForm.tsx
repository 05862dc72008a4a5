import { useEffect } from 'react'
import { clearApiError } from '../../components/apiForm'
import { DatePicker, Form, Input, Select, Space, Tag } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { patrolModes, patrolModeLabels, type Patrol, type PatrolMode } from '../../../../shared/patrols/schema'
import { patrolRoles } from '../../../../shared/domain'
import { isOvernight, isValidOvernight, patrolTimeRefusal } from '../../../../shared/patrols/times'
import { invoke } from '../../api'
import { FormDrawer, useSave } from '../../components/FormDrawer'
import type { RegisterFormProps } from '../../components/RegisterPage'
import { useMemberOptions } from './useMemberOptions'
import { optionalMark } from '../../components/optionalMark'

interface Values {
  villageId?: string
  date?: Dayjs
  startTime?: string
  endTime?: string
  mode?: PatrolMode
  route?: string
  memberIds?: string[]
  leaderId?: string
  findings?: string
  handling?: string
}
const FIELDS = ['villageId', 'date', 'startTime', 'endTime', 'mode', 'route', 'memberIds', 'leaderId', 'findings', 'handling'] as const
const time = (t?: string) => (t && /^([01]\d|2[0-3]):[0-5]\d$/.test(t) ? t : null)

export function PatrolForm({ open, record: patrol, org, onClose, onSaved }: RegisterFormProps<Patrol>) {
  const { villages } = org
  const [form] = Form.useForm<Values>()
  const { busy, save } = useSave<Patrol>(form, FIELDS, onSaved)
  const villageId = Form.useWatch('villageId', form)
  const memberIds = Form.useWatch('memberIds', form) ?? []
  const start = time(Form.useWatch('startTime', form))
  const end = time(Form.useWatch('endTime', form))
  const timeNote = start && end ? (patrolTimeRefusal(start, end) ?? (isOvernight(start, end) ? '跨夜，次日结束' : null)) : null
  const team = useMemberOptions(patrolRoles, villageId, open && !!villageId)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    if (patrol) form.setFieldsValue({ ...patrol, date: dayjs(patrol.date) })
    else form.setFieldsValue({ date: dayjs(), mode: 'foot', startTime: '19:30', endTime: '21:30', memberIds: [] })
  }, [open, patrol, form])

  const submit = async (v: Values, checkOnly = false) => {
    const body = {
      villageId: v.villageId ?? '',
      date: v.date ? v.date.format('YYYY-MM-DD') : '',
      startTime: v.startTime ?? '',
      endTime: v.endTime ?? '',
      mode: v.mode ?? ('' as PatrolMode),
      route: v.route ?? '',
      leaderId: v.leaderId ?? '',
      memberIds: v.memberIds ?? [],
      findings: v.findings ?? '',
      handling: v.handling ?? '',
    }
    await save(
      () => (patrol ? invoke('patrols.update', { id: patrol.id, ...body }) : invoke('patrols.create', body)),
      () => (patrol ? '已保存修改' : '已登记巡逻记录'),
      { method: patrol ? 'patrols.update' : 'patrols.create', input: patrol ? { id: patrol.id, ...body } : body },
      checkOnly,
    )
  }

  const chosen = team.filter((m) => memberIds.includes(m.id))
  return (
    <FormDrawer form={form}
      title={patrol ? `修改巡逻记录：${patrol.date} ${patrol.villageName ?? ''}` : '登记巡逻'}
      open={open}
      onClose={onClose}
      width={560}
      busy={busy}
      onSave={() => form.submit()}
    >
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={(v: Values) => void submit(v)} onFinishFailed={(e) => void submit(e.values as Values, true)} scrollToFirstError={{ block: 'center' }} requiredMark={optionalMark}>
        <Form.Item name="villageId" label="巡逻村（社区）" rules={[{ required: true, message: '请选择巡逻村（社区）' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={villages.map((v) => ({ value: v.id, label: v.name }))}
            onChange={() => form.setFieldsValue({ memberIds: [], leaderId: undefined })}
          />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="date" label="巡逻日期" rules={[{ required: true, message: '请填写巡逻日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="startTime" label="开始时间" rules={[{ required: true, message: '请填写开始时间' }]}>
            <Input placeholder="19:30" maxLength={5} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name="endTime" label="结束时间" rules={[{ required: true, message: '请填写结束时间' }]} extra={timeNote ? <Tag color={start && end && isValidOvernight(start, end) ? 'purple' : 'red'}>{timeNote}</Tag> : undefined}>
            <Input placeholder="21:30" maxLength={5} style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name="mode" label="巡逻方式" rules={[{ required: true, message: '请选择巡逻方式' }]}>
            <Select style={{ width: 130 }} options={patrolModes.map((m) => ({ value: m, label: patrolModeLabels[m] }))} />
          </Form.Item>
        </Space>
        <Form.Item name="memberIds" label="参加人员" rules={[{ required: true, message: '请至少选择一名参加人员' }]} extra={villageId ? `本村在岗巡防队员 ${team.length} 人` : '请先选择村（社区）'}>
          <Select
            mode="multiple"
            disabled={!villageId}
            optionFilterProp="label"
            options={team.map((m) => ({ value: m.id, label: m.name }))}
            onChange={(ids: string[]) => {
              if (!ids.includes(form.getFieldValue('leaderId'))) form.setFieldValue('leaderId', ids[0])
            }}
          />
        </Form.Item>
        <Form.Item name="leaderId" label="带队人" rules={[{ required: true, message: '请选择带队人' }]}>
          <Select disabled={chosen.length === 0} options={chosen.map((m) => ({ value: m.id, label: m.name }))} placeholder="从参加人员中选择" />
        </Form.Item>
        <Form.Item name="route" label="巡逻路线">
          <Input maxLength={200} placeholder="例如：村部—各组主干道—学校周边" />
        </Form.Item>
        <Form.Item name="findings" label="发现问题">
          <Input.TextArea rows={2} maxLength={1000} placeholder="无异常可不填" />
        </Form.Item>
        <Form.Item name="handling" label="处理情况">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  )
}
