import { useEffect } from 'react'
import { clearApiError } from '../../components/apiForm'
import { Button, Card, DatePicker, Form, Input, Select, Space, Typography } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import {
  agreementForms,
  agreementFormLabels,
  caseCategories,
  caseSources,
  caseSourceLabels,
  caseStatuses,
  caseStatusLabels,
  fulfillments,
  fulfillmentLabels,
  partySides,
  partySideLabels,
  type AgreementForm,
  type CaseCategory,
  type CaseSource,
  type CaseStatus,
  type Fulfillment,
  type MediationCase,
  type PartySide,
  moveRefusal,
} from '../../../../shared/mediation/schema'
import { caseRefusals, caseStage, type CaseFacts } from '../../../../shared/mediation/stage'
import { invoke } from '../../api'
import { ExportDocButton } from '../documents/ExportDocButton'
import { FormDrawer, useSave } from '../../components/FormDrawer'
import type { RegisterFormProps } from '../../components/RegisterPage'
import { useMemberOptions } from '../patrols/useMemberOptions'
import { optionalMark } from '../../components/optionalMark'

interface Values {
  receivedOn?: Dayjs
  source?: CaseSource
  category?: CaseCategory
  villageId?: string
  summary?: string
  parties?: { name?: string; side?: PartySide; idNumber?: string; phone?: string; address?: string }[]
  mediatorIds?: string[]
  status?: CaseStatus
  mediatedOn?: Dayjs | null
  closedOn?: Dayjs | null
  agreementForm?: AgreementForm | null
  agreement?: string
  fulfillment?: Fulfillment | null
  performanceMethod?: string
  performancePlace?: string
  performanceDeadline?: string
  followUps?: { date?: Dayjs; note?: string }[]
}
const FIELDS = ['receivedOn', 'source', 'category', 'villageId', 'summary', 'parties', 'mediatorIds', 'status', 'mediatedOn', 'closedOn', 'agreementForm', 'agreement', 'fulfillment', 'performanceMethod', 'performancePlace', 'performanceDeadline', 'followUps', 'caseNo'] as const
const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)

const localToday = () => dayjs().format('YYYY-MM-DD')

/** The stage rules (dates against today, what each state needs) the handler applies too, for the form to show at once. */
function stageIssues(body: CaseFacts) {
  return caseRefusals(body, localToday())
}

/** The states a case may move to from where it is (a new case may be entered in any state). */
function allowed(from: CaseStatus | null): CaseStatus[] {
  return caseStatuses.filter((s) => !from || moveRefusal(from, s) === null)
}

export function CaseForm({ open, record: kase, org, onClose, onSaved }: RegisterFormProps<MediationCase>) {
  const { villages } = org
  const [form] = Form.useForm<Values>()
  const { busy, save } = useSave<MediationCase>(form, FIELDS, onSaved)
  const status = Form.useWatch('status', form) ?? 'pending'
  const agreementForm = Form.useWatch('agreementForm', form)
  const mediators = useMemberOptions(['mediator'], null, open)

  useEffect(() => {
    if (!open) return
    form.resetFields()
    if (kase)
      form.setFieldsValue({
        ...kase,
        receivedOn: dayjs(kase.receivedOn),
        mediatedOn: kase.mediatedOn ? dayjs(kase.mediatedOn) : null,
        closedOn: kase.closedOn ? dayjs(kase.closedOn) : null,
        agreement: kase.agreement ?? '',
        parties: kase.parties.map((p) => ({ ...p, idNumber: p.idNumber ?? '' })),
        followUps: kase.followUps.map((f) => ({ date: dayjs(f.date), note: f.note })),
      })
    else
      form.setFieldsValue({
        receivedOn: dayjs(),
        source: 'application',
        status: 'pending',
        parties: [{ side: 'applicant' }, { side: 'respondent' }],
        mediatorIds: [],
        followUps: [],
      })
  }, [open, kase, form])

  const onStatus = (s: CaseStatus) => {
    // the dates the new state needs, filled with today for the clerk to correct
    const stage = caseStage(s)
    if (stage.mediatedOn === 'required' && !form.getFieldValue('mediatedOn')) form.setFieldValue('mediatedOn', dayjs())
    // success and failed close on the 调解日期 when no 结案日期 is given; a referral needs its own date
    if (s === 'referred' && !form.getFieldValue('closedOn')) form.setFieldValue('closedOn', dayjs())
    if (!stage.agreement) form.setFieldsValue({ agreementForm: null, agreement: '', fulfillment: null, performanceMethod: '', performancePlace: '', performanceDeadline: '' })
  }

  const submit = async (v: Values, checkOnly = false) => {
    const s = v.status ?? 'pending'
    const stage = caseStage(s)
    const body = {
      receivedOn: day(v.receivedOn) ?? '',
      source: v.source ?? ('' as CaseSource),
      category: v.category ?? ('' as CaseCategory),
      villageId: v.villageId ?? '',
      summary: v.summary ?? '',
      parties: (v.parties ?? []).map((p) => ({ name: p.name ?? '', side: p.side ?? ('' as PartySide), idNumber: p.idNumber || null, phone: p.phone ?? '', address: p.address ?? '' })),
      mediatorIds: v.mediatorIds ?? [],
      status: s,
      mediatedOn: stage.mediatedOn === 'forbidden' ? null : day(v.mediatedOn),
      closedOn: stage.closedOn === 'forbidden' ? null : day(v.closedOn),
      agreementForm: stage.agreement ? (v.agreementForm ?? null) : null,
      agreement: stage.agreement ? v.agreement || null : null,
      fulfillment: stage.agreement ? (v.fulfillment ?? null) : null,
      // 履行方式、地点、期限: printed on the 调解协议书
      performanceMethod: stage.agreement ? (v.performanceMethod ?? '') : '',
      performancePlace: stage.agreement ? (v.performancePlace ?? '') : '',
      performanceDeadline: stage.agreement ? (v.performanceDeadline ?? '') : '',
      followUps: stage.agreement ? (v.followUps ?? []).map((f) => ({ date: day(f.date) ?? '', note: f.note ?? '' })) : [],
    }
    await save(
      () => (kase ? invoke('mediation.update', { id: kase.id, ...body }) : invoke('mediation.create', body)),
      (saved) => (kase ? '已保存修改' : `已登记案件 ${saved.caseNo}`),
      { method: kase ? 'mediation.update' : 'mediation.create', input: kase ? { id: kase.id, ...body } : body, more: stageIssues(body) },
      checkOnly,
    )
  }

  const stage = caseStage(status)
  const mediating = stage.mediatedOn === 'required' || (stage.mediatedOn === 'optional' && !!form.getFieldValue('mediatedOn'))
  return (
    <FormDrawer form={form}
      title={kase ? `案件 ${kase.caseNo}` : '登记矛盾纠纷'}
      open={open}
      onClose={onClose}
      width={720}
      busy={busy}
      onSave={() => form.submit()}
      tools={kase && <ExportDocButton kind="mediation-case" params={{ caseId: kase.id }} label="案卷" />}
    >
      <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={(v: Values) => void submit(v)} onFinishFailed={(e) => void submit(e.values as Values, true)} scrollToFirstError={{ block: 'center' }} requiredMark={optionalMark}>
        {!kase && (
          <Typography.Paragraph type="secondary">案件编号保存时按年度自动生成；补录往年旧案可直接选择最终状态。</Typography.Paragraph>
        )}
        <Space size="large" wrap>
          <Form.Item name="receivedOn" label="受理日期" rules={[{ required: true, message: '请填写受理日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="source" label="纠纷来源" rules={[{ required: true, message: '请选择纠纷来源' }]}>
            <Select style={{ width: 120 }} options={caseSources.map((s) => ({ value: s, label: caseSourceLabels[s] }))} />
          </Form.Item>
          <Form.Item name="category" label="纠纷类型" rules={[{ required: true, message: '请选择纠纷类型' }]}>
            <Select style={{ width: 150 }} options={caseCategories.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item name="villageId" label="所属村（社区）" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
            <Select style={{ width: 160 }} showSearch optionFilterProp="label" options={villages.map((v) => ({ value: v.id, label: v.name }))} />
          </Form.Item>
        </Space>
        <Form.Item name="summary" label="纠纷简要情况" rules={[{ required: true, message: '请填写纠纷简要情况' }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item label="当事人" required>
          <Form.List name="parties">
            {(items, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }} size={0}>
                {items.map(({ key, name }) => (
                  <Space key={key} align="start" wrap>
                    <Form.Item name={[name, 'side']} rules={[{ required: true, message: '请选择身份' }]}>
                      <Select aria-label="当事人身份" style={{ width: 110 }} options={partySides.map((s) => ({ value: s, label: partySideLabels[s] }))} />
                    </Form.Item>
                    <Form.Item name={[name, 'name']} rules={[{ required: true, message: '请填写姓名' }]}>
                      <Input aria-label="当事人姓名" placeholder="姓名" style={{ width: 110 }} maxLength={30} />
                    </Form.Item>
                    <Form.Item name={[name, 'idNumber']}>
                      <Input aria-label="当事人身份证号" placeholder="身份证号（可不填）" style={{ width: 190 }} maxLength={18} />
                    </Form.Item>
                    <Form.Item name={[name, 'phone']}>
                      <Input aria-label="当事人电话" placeholder="电话" style={{ width: 130 }} maxLength={20} />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 9 }} onClick={() => remove(name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ side: 'third' })}>
                  添加当事人
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="mediatorIds" label="调解员">
          <Select mode="multiple" optionFilterProp="label" options={mediators.map((m) => ({ value: m.id, label: m.name + (m.villageName ? `（${m.villageName}）` : '') }))} />
        </Form.Item>
        <Card size="small" title="调处情况" style={{ marginBottom: 16 }}>
          <Space size="large" wrap>
            <Form.Item name="status" label="调解状态" rules={[{ required: true, message: '请选择调解状态' }]}>
              <Select style={{ width: 140 }} onChange={onStatus} options={allowed(kase?.status ?? null).map((s) => ({ value: s, label: caseStatusLabels[s] }))} />
            </Form.Item>
            {mediating && (
              <Form.Item name="mediatedOn" label="调解日期" required extra={stage.mediatedOn === 'required' ? undefined : '可暂不填'}>
                <DatePicker />
              </Form.Item>
            )}
            {stage.closedOn !== 'forbidden' && (
              <Form.Item
                name="closedOn"
                label={status === 'referred' ? '移交日期' : '结案日期'}
                // needed in one state, not in another: never marked （可选）, the hint says when
                required
                extra={status === 'success' || status === 'failed' ? '不填则按调解日期结案' : undefined}
              >
                <DatePicker />
              </Form.Item>
            )}
          </Space>
          {stage.agreement && (
            <>
              <Space size="large" wrap>
                <Form.Item name="agreementForm" label="协议形式" required>
                  <Select style={{ width: 140 }} options={agreementForms.map((f) => ({ value: f, label: agreementFormLabels[f] }))} />
                </Form.Item>
                <Form.Item name="fulfillment" label="履行情况">
                  <Select allowClear style={{ width: 140 }} placeholder="尚未回访" options={fulfillments.map((f) => ({ value: f, label: fulfillmentLabels[f] }))} />
                </Form.Item>
              </Space>
              <Form.Item name="agreement" label="协议内容" required extra={agreementForm === 'written' ? undefined : '口头协议可简要记录，也可不填'}>
                <Input.TextArea rows={3} maxLength={5000} />
              </Form.Item>
              <Space size="large" wrap>
                <Form.Item name="performanceMethod" label="履行方式">
                  <Input style={{ width: 200 }} maxLength={200} placeholder="如：一次性现金支付" />
                </Form.Item>
                <Form.Item name="performancePlace" label="履行地点">
                  <Input style={{ width: 200 }} maxLength={200} placeholder="如：新塘村村部" />
                </Form.Item>
                <Form.Item name="performanceDeadline" label="履行期限">
                  <Input style={{ width: 200 }} maxLength={200} placeholder="如：2026年4月20日前" />
                </Form.Item>
              </Space>
              <Form.Item label="回访记录">
                <Form.List name="followUps">
                  {(items, { add, remove }) => (
                    <Space direction="vertical" style={{ width: '100%' }} size={0}>
                      {items.map(({ key, name }) => (
                        <Space key={key} align="start">
                          <Form.Item name={[name, 'date']} rules={[{ required: true, message: '请填写回访日期' }]}>
                            <DatePicker aria-label="回访日期" />
                          </Form.Item>
                          <Form.Item name={[name, 'note']} rules={[{ required: true, message: '请填写回访情况' }]}>
                            <Input aria-label="回访情况" placeholder="回访情况" style={{ width: 380 }} maxLength={500} />
                          </Form.Item>
                          <MinusCircleOutlined style={{ marginTop: 9 }} onClick={() => remove(name)} />
                        </Space>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ date: dayjs() })}>
                        添加回访
                      </Button>
                    </Space>
                  )}
                </Form.List>
              </Form.Item>
            </>
          )}
        </Card>
      </Form>
    </FormDrawer>
  )
}
