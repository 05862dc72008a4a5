import { useEffect } from 'react'
import { clearApiError } from '../../components/apiForm'
import { Button, DatePicker, Form, Input, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import {
  AFTERCARE_YEARS,
  addYears,
  aftercareKinds,
  aftercareKindLabels,
  placements,
  placementLabels,
  risks,
  riskLabels,
  type AftercareKind,
  type AftercarePerson,
  type Placement,
  type Risk,
} from '../../../../shared/aftercare/schema'
import { invoke } from '../../api'
import { ExportDocButton } from '../documents/ExportDocButton'
import { FormDrawer, useSave } from '../../components/FormDrawer'
import type { RegisterFormProps } from '../../components/RegisterPage'
import { useMemberOptions } from '../patrols/useMemberOptions'
import { VisitLog } from './VisitLog'
import { optionalMark } from '../../components/optionalMark'

interface Values {
  name?: string
  idNumber?: string
  kind?: AftercareKind
  crime?: string
  sentence?: string
  releasedOn?: Dayjs
  aftercareUntil?: Dayjs | null
  villageId?: string
  placement?: Placement
  unplacedReason?: string
  helperIds?: string[]
  reoffendedOn?: Dayjs | null
  /** 脱管漏管 with dates; "lost contact now" (the API's lostContact) is an open period */
  lostContactPeriods?: { from?: Dayjs; to?: Dayjs | null; note?: string }[]
  notes?: string
  handoverOn?: Dayjs | null
  handover?: string
  risk?: Risk
  registeredAddress?: string
  address?: string
}
const FIELDS = ['name', 'idNumber', 'kind', 'crime', 'sentence', 'releasedOn', 'aftercareUntil', 'villageId', 'placement', 'unplacedReason', 'helperIds', 'reoffendedOn', 'lostContactPeriods', 'notes', 'handoverOn', 'handover', 'risk', 'registeredAddress', 'address'] as const
const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)

export function PersonForm({ open, record: person, org, onClose, onSaved, onChanged: onVisitsChanged }: RegisterFormProps<AftercarePerson>) {
  const { villages } = org
  const [form] = Form.useForm<Values>()
  const { busy, save } = useSave<AftercarePerson>(form, FIELDS, onSaved)
  const placement = Form.useWatch('placement', form)
  const releasedOn = Form.useWatch('releasedOn', form)
  const helpers = useMemberOptions(['aftercare_helper'], null, open)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    if (person)
      form.setFieldsValue({
        ...person,
        releasedOn: dayjs(person.releasedOn),
        aftercareUntil: dayjs(person.aftercareUntil),
        reoffendedOn: person.reoffendedOn ? dayjs(person.reoffendedOn) : null,
        handoverOn: person.handoverOn ? dayjs(person.handoverOn) : null,
        lostContactPeriods: person.lostContactPeriods.map((p) => ({ from: dayjs(p.from), to: p.to ? dayjs(p.to) : null, note: p.note })),
      })
    else form.setFieldsValue({ kind: 'released', placement: 'employed', risk: 'low', helperIds: [], lostContactPeriods: [] })
  }, [open, person, form])

  const submit = async (v: Values, checkOnly = false) => {
    const body = {
      name: v.name ?? '',
      idNumber: v.idNumber ?? '',
      kind: v.kind ?? ('' as AftercareKind),
      crime: v.crime ?? '',
      sentence: v.sentence ?? '',
      releasedOn: day(v.releasedOn) ?? '',
      ...(v.aftercareUntil ? { aftercareUntil: day(v.aftercareUntil)! } : {}),
      villageId: v.villageId ?? '',
      placement: v.placement ?? ('' as Placement),
      unplacedReason: v.unplacedReason ?? '',
      helperIds: v.helperIds ?? [],
      reoffendedOn: day(v.reoffendedOn),
      lostContactPeriods: (v.lostContactPeriods ?? []).flatMap((p) => (p.from ? [{ from: day(p.from)!, to: day(p.to), ...(p.note ? { note: p.note } : {}) }] : [])),
      notes: v.notes ?? '',
      handoverOn: day(v.handoverOn),
      handover: v.handover ?? '',
      risk: v.risk ?? 'low',
      registeredAddress: v.registeredAddress ?? '',
      address: v.address ?? '',
    }
    await save(
      () => (person ? invoke('aftercare.people.update', { id: person.id, ...body }) : invoke('aftercare.people.create', body)),
      (saved) => (person ? '已保存修改' : `已登记帮教对象 ${saved.name}`),
      { method: person ? 'aftercare.people.update' : 'aftercare.people.create', input: person ? { id: person.id, ...body } : body },
      checkOnly,
    )
  }

  return (
    <FormDrawer form={form}
      title={person ? `帮教对象：${person.name}` : '新增帮教对象'}
      open={open}
      onClose={onClose}
      width={720}
      busy={busy}
      onSave={() => form.submit()}
      tools={person && <ExportDocButton kind="aftercare-person" params={{ personId: person.id }} label="帮教档案" />}
      closeLabel="关闭"
    >
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={(v: Values) => void submit(v)} onFinishFailed={(e) => void submit(e.values as Values, true)} scrollToFirstError={{ block: 'center' }} requiredMark={optionalMark}>
        <Space size="large" wrap>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={30} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="idNumber" label="身份证号" rules={[{ required: true, message: '请填写身份证号' }]}>
            <Input maxLength={18} style={{ width: 200, fontFamily: 'monospace' }} />
          </Form.Item>
          <Form.Item name="kind" label="人员类别" required>
            <Select style={{ width: 150 }} options={aftercareKinds.map((k) => ({ value: k, label: aftercareKindLabels[k] }))} />
          </Form.Item>
          <Form.Item name="villageId" label="所属村（社区）" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
            <Select style={{ width: 150 }} showSearch optionFilterProp="label" options={villages.map((v) => ({ value: v.id, label: v.name }))} />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="crime" label="罪名" rules={[{ required: true, message: '请填写罪名' }]}>
            <Input maxLength={100} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="sentence" label="原判刑期">
            <Input maxLength={100} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="releasedOn" label="释放（矫正开始）日期" rules={[{ required: true, message: '请填写释放日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="aftercareUntil" label="帮教期满日期" extra={releasedOn ? `不填则为 ${addYears(releasedOn.format('YYYY-MM-DD'), AFTERCARE_YEARS)}（${AFTERCARE_YEARS}年）` : `默认释放后${AFTERCARE_YEARS}年`}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="handoverOn" label="衔接日期" extra="应在释放后3日内">
            <DatePicker />
          </Form.Item>
          <Form.Item name="handover" label="衔接情况">
            <Input maxLength={500} style={{ width: 300 }} />
          </Form.Item>
          <Form.Item name="risk" label="危险性评估" required>
            <Select style={{ width: 90 }} options={risks.map((r) => ({ value: r, label: riskLabels[r] }))} />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="placement" label="安置情况" required>
            <Select style={{ width: 130 }} options={placements.map((p) => ({ value: p, label: placementLabels[p] }))} />
          </Form.Item>
          {placement === 'unplaced' && (
            <Form.Item name="unplacedReason" label="未安置原因" rules={[{ required: true, message: '未安置的请填写未安置原因' }]}>
              <Input maxLength={200} style={{ width: 300 }} />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="helperIds" label="帮教人员">
          <Select mode="multiple" optionFilterProp="label" options={helpers.map((m) => ({ value: m.id, label: m.name + (m.villageName ? `（${m.villageName}）` : '') }))} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="registeredAddress" label="户籍地">
            <Input maxLength={200} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="address" label="现住地">
            <Input maxLength={200} style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space size="large" wrap>
          <Form.Item name="reoffendedOn" label="重新犯罪日期">
            <DatePicker />
          </Form.Item>
          <Form.Item label="脱管漏管时段" extra="写明起止日期；尚未找回的不填结束日期（即目前脱管）">
            <Form.List name="lostContactPeriods">
              {(items, { add, remove }) => (
                <Space direction="vertical" size={4}>
                  {items.map((item) => (
                    <Space key={item.key} size={4}>
                      <Form.Item name={[item.name, 'from']} noStyle rules={[{ required: true, message: '请填写脱管漏管开始日期' }]}>
                        <DatePicker placeholder="开始日期" aria-label="脱管漏管开始日期" />
                      </Form.Item>
                      <span>至</span>
                      <Form.Item name={[item.name, 'to']} noStyle>
                        <DatePicker placeholder="至今" aria-label="脱管漏管结束日期" />
                      </Form.Item>
                      <Button type="link" size="small" onClick={() => remove(item.name)}>
                        删除
                      </Button>
                    </Space>
                  ))}
                  <Button size="small" onClick={() => add({ from: undefined, to: null })} data-testid="add-lost-contact">
                    添加脱管漏管时段
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        </Space>
        <Form.Item name="notes" label="备注">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
      {person ? (
        <VisitLog person={person} helpers={helpers} onChanged={onVisitsChanged} />
      ) : (
        <Typography.Paragraph type="secondary">保存后可登记走访记录。</Typography.Paragraph>
      )}
    </FormDrawer>
  )
}
