import { useCallback, useEffect, useState } from 'react'
import { App, Alert, Button, Checkbox, Collapse, Descriptions, Drawer, Input, Space, Spin, Table, Tag, Typography } from 'antd'
import type { Criterion } from '../../../../shared/checklist/catalog'
import type { CheckResult, ChecklistTarget, CountedRecord, CriterionResult, SurveyedValue } from '../../../../shared/checklist/schema'
import { formatFigure, opLabels } from '../../../../shared/checklist/schema'
import { linkText, surveyText } from '../../../../shared/checklist/text'
import { invoke } from '../../api'
import { formFrom, toInput, type FormState } from './answerForm'
import { AttestInputs, ValueInputs } from './AnswerInputs'
import { CheckTag, StatusTag } from './status'

interface Props {
  setId: string
  year: number
  targetId: string
  criterion: Criterion | null
  onClose: () => void
  onSaved: () => void
}

export function thresholdText(c: CheckResult): string {
  if (c.op === undefined || c.threshold === undefined) return ''
  return `${opLabels[c.op]} ${formatFigure(c.threshold, c.unit)}`
}

function figureText(c: CheckResult): string {
  if (c.status === 'na') return '不适用'
  if (c.kind === 'attest') return c.attested === null || c.attested === undefined ? '未确认' : c.attested ? '是' : '否'
  const base = formatFigure(c.figure, c.unit)
  return c.numerator !== undefined && c.denominator !== undefined && c.unit === '%' ? `${base}（${c.numerator}/${c.denominator}）` : base
}

/** what stands behind a check's figure: the survey, the linked criterion, the unit's own figure, or why it does not apply */
function groundsOf(c: CheckResult): string[] {
  const out: string[] = []
  if (c.status === 'na' && c.reason) out.push(`不适用原因：${c.reason}`)
  if (c.valueFrom) out.push(c.survey ? linkText(c) : `关联 ${c.valueFrom} 的调查，但该条尚未填写调查数值`)
  if (c.survey) out.push(surveyText(c.survey))
  if (c.entered) out.push('单位不在村（社区）台账中统计，由本单位填报')
  return out
}

const recordColumns = [
  { title: '记录', dataIndex: 'title', ellipsis: true },
  { title: '情况', dataIndex: 'detail', ellipsis: true },
  { title: '', dataIndex: 'counted', width: 80, render: (v: boolean) => (v ? <Tag color="blue">计入</Tag> : <Tag>未计入</Tag>) },
]

/** One cell of the matrix: the criterion's text, its checks with figure and threshold and the words they stand for, the records counted, and the answer form. */
export function CellDrawer({ setId, year, targetId, criterion, onClose, onSaved }: Props) {
  const { message } = App.useApp()
  const [target, setTarget] = useState<ChecklistTarget | null>(null)
  const [result, setResult] = useState<CriterionResult | null>(null)
  const [surveyed, setSurveyed] = useState<SurveyedValue[]>([])
  const [form, setForm] = useState<FormState | null>(null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    if (!criterion) return
    void invoke('checklist.evaluate', { setId, year, targetId }).then((ev) => {
      setTarget(ev.targets[0] ?? null)
      const r = ev.results.find((x) => x.criterionId === criterion.id) ?? null
      setResult(r)
      if (r) setForm(formFrom(r))
    })
    void invoke('checklist.surveys', { year, targetId }).then(setSurveyed)
  }, [setId, year, targetId, criterion])
  useEffect(load, [load])

  const save = async () => {
    if (!criterion || !result || !form) return
    setError(null)
    const built = toInput(form, result, { criterionId: criterion.id, targetId, year })
    if (!built.ok) return setError(built.message)
    setSaving(true)
    try {
      await invoke('checklist.attest', built.input)
      message.success('已保存')
      onSaved()
      load()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setSaving(false)
    }
  }

  const set = (patch: Partial<FormState>) => setForm((f) => (f ? { ...f, ...patch } : f))
  const anyNa = form !== null && (form.whole || form.naKeys.length > 0)

  return (
    <Drawer open width={800} onClose={onClose} title={criterion ? `${target?.name ?? ''} · ${criterion.target === 'common' ? '共性标准' : ''}第${criterion.n}条` : ''} destroyOnHidden>
      {!criterion || !result || !form ? (
        <Spin />
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="cell-drawer">
          <Space>
            <span>{year}年自查结果：</span>
            <span data-testid="drawer-status">
              <StatusTag status={result.status} notApplicable={result.notApplicable} />
            </span>
          </Space>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="标准条目">{criterion.id}</Descriptions.Item>
            {criterion.title ? <Descriptions.Item label="标题">{criterion.title}</Descriptions.Item> : null}
            <Descriptions.Item label="原文">{criterion.text}</Descriptions.Item>
            {criterion.lead.length ? <Descriptions.Item label="牵头单位">{criterion.lead.join('、')}</Descriptions.Item> : null}
            {criterion.assist.length ? <Descriptions.Item label="配合单位">{criterion.assist.join('、')}</Descriptions.Item> : null}
            {criterion.note ? <Descriptions.Item label="校注">{criterion.note}</Descriptions.Item> : null}
          </Descriptions>

          <Typography.Title level={5} style={{ margin: 0 }}>
            检查项（每一项都符合才算达标）
          </Typography.Title>
          <Table<CheckResult>
            size="small"
            pagination={false}
            rowKey="index"
            dataSource={result.checks}
            data-testid="drawer-checks"
            columns={[
              {
                title: '检查内容',
                key: 'label',
                render: (_: unknown, c) => (
                  <Space direction="vertical" size={0}>
                    <span>{c.label}</span>
                    {c.words ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        依据：“{c.words.join('……')}”
                      </Typography.Text>
                    ) : null}
                    {groundsOf(c).map((g) => (
                      <Typography.Text key={g} type="secondary" style={{ fontSize: 12 }} data-testid={`grounds-${c.index}`}>
                        {g}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
              },
              { title: '类型', key: 'kind', width: 80, render: (_: unknown, c) => (c.entered ? '单位填报' : { metric: '台账统计', value: '填报数值', attest: '确认' }[c.kind]) },
              { title: '实际', key: 'figure', width: 130, render: (_: unknown, c) => figureText(c) },
              { title: '标准', key: 'threshold', width: 90, render: (_: unknown, c) => thresholdText(c) },
              { title: '结果', dataIndex: 'status', width: 100, render: (s: CheckResult['status']) => <CheckTag status={s} /> },
            ]}
          />

          {result.checks.some((c) => c.records) ? (
            <Collapse
              size="small"
              items={result.checks
                .filter((c) => c.records)
                .map((c) => ({
                  key: String(c.index),
                  label: `${c.label}：计入的记录（共${c.recordsTotal ?? 0}条${(c.recordsTotal ?? 0) > (c.records?.length ?? 0) ? `，显示前${c.records?.length}条` : ''}）`,
                  children: (
                    <Table<CountedRecord> size="small" rowKey="id" pagination={{ pageSize: 10, hideOnSinglePage: true }} dataSource={c.records} columns={recordColumns} locale={{ emptyText: '本年度没有相关记录' }} />
                  ),
                }))}
            />
          ) : null}

          <Typography.Title level={5} style={{ margin: 0 }}>
            填写自查结果
          </Typography.Title>
          <Space direction="vertical" style={{ width: '100%' }}>
            <AttestInputs checks={result.checks} form={form} set={set} />
            <ValueInputs checks={result.checks} criterionId={criterion.id} surveyed={surveyed} form={form} set={set} thresholdText={thresholdText} />
            <Checkbox checked={form.whole} onChange={(e) => set({ whole: e.target.checked })} data-testid="whole-na">
              本条对该创建对象不适用（不计入达标，单列为“不适用”）
            </Checkbox>
            {anyNa ? (
              <Input
                aria-label="不适用的原因"
                placeholder="不适用的原因（必填，如：本镇无城区）"
                value={form.reason}
                maxLength={500}
                status={form.reason.trim() ? undefined : 'warning'}
                onChange={(e) => set({ reason: e.target.value })}
                data-testid="na-reason"
              />
            ) : null}
            <Input.TextArea aria-label="说明" placeholder="说明（如调查时间、方法、样本数）" value={form.note} rows={2} maxLength={2000} onChange={(e) => set({ note: e.target.value })} />
            <Input.TextArea aria-label="佐证材料" placeholder="佐证材料（文件名称、编号、存放位置）" value={form.evidence} rows={2} maxLength={2000} onChange={(e) => set({ evidence: e.target.value })} />
            {error ? <Alert type="error" showIcon message={error} /> : null}
            <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-entry">
              保存
            </Button>
          </Space>
        </Space>
      )}
    </Drawer>
  )
}
