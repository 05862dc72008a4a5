import { useCallback, useEffect, useState } from 'react'
import { App, Alert, Button, Checkbox, Collapse, Descriptions, Drawer, Input, InputNumber, Radio, Space, Spin, Table, Tag, Typography } from 'antd'
import type { Criterion } from '../../../../shared/checklist/catalog'
import type { CheckResult, ChecklistTarget, CountedRecord, CriterionResult } from '../../../../shared/checklist/schema'
import { formatFigure, opLabels } from '../../../../shared/checklist/schema'
import { invoke } from '../../api'
import { CheckTag, StatusTag } from './status'

interface Props {
  setId: string
  year: number
  targetId: string
  criterion: Criterion | null
  onClose: () => void
  onSaved: () => void
}

interface FormState {
  attested: boolean | null
  /** what the clerk typed: percent points for '%' values */
  values: Record<string, number | null>
  naKeys: string[]
  whole: boolean
  note: string
  evidence: string
}

function thresholdText(c: CheckResult): string {
  if (c.op === undefined || c.threshold === undefined) return ''
  return `${opLabels[c.op]} ${formatFigure(c.threshold, c.unit)}`
}

function figureText(c: CheckResult): string {
  if (c.kind === 'attest') return c.attested === null || c.attested === undefined ? '未确认' : c.attested ? '是' : '否'
  if (c.status === 'na') return '不适用'
  const base = formatFigure(c.figure, c.unit)
  return c.numerator !== undefined && c.denominator !== undefined && c.unit === '%' ? `${base}（${c.numerator}/${c.denominator}）` : base
}

const recordColumns = [
  { title: '记录', dataIndex: 'title', ellipsis: true },
  { title: '情况', dataIndex: 'detail', ellipsis: true },
  { title: '', dataIndex: 'counted', width: 80, render: (v: boolean) => (v ? <Tag color="blue">计入</Tag> : <Tag>未计入</Tag>) },
]

/** One cell of the matrix: the criterion's text, its checks with figure and threshold, the records counted, and the answer form. */
export function CellDrawer({ setId, year, targetId, criterion, onClose, onSaved }: Props) {
  const { message } = App.useApp()
  const [target, setTarget] = useState<ChecklistTarget | null>(null)
  const [result, setResult] = useState<CriterionResult | null>(null)
  const [form, setForm] = useState<FormState | null>(null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    if (!criterion) return
    void invoke('checklist.evaluate', { setId, year, targetId }).then((ev) => {
      setTarget(ev.targets[0] ?? null)
      const r = ev.results.find((x) => x.criterionId === criterion.id) ?? null
      setResult(r)
      if (r) {
        const values: Record<string, number | null> = {}
        for (const c of r.checks) {
          if (c.kind !== 'value' || !c.key) continue
          const own = r.entry?.values[c.key]
          const v = own ?? null
          values[c.key] = v === null ? null : c.unit === '%' ? Math.round(v * 10000) / 100 : v
        }
        setForm({
          attested: r.entry?.attested ?? null,
          values,
          naKeys: r.entry?.notApplicableKeys ?? [],
          whole: r.entry?.notApplicable ?? false,
          note: r.entry?.note ?? '',
          evidence: r.entry?.evidence ?? '',
        })
      }
    })
  }, [setId, year, targetId, criterion])
  useEffect(load, [load])

  const save = async () => {
    if (!criterion || !result || !form) return
    setSaving(true)
    setError(null)
    try {
      const values: Record<string, number | null> = {}
      for (const c of result.checks) {
        if (c.kind !== 'value' || !c.key) continue
        const v = form.values[c.key] ?? null
        values[c.key] = v === null ? null : c.unit === '%' ? Math.round(v * 100) / 10000 : v
      }
      const hasAttest = result.checks.some((c) => c.kind === 'attest')
      await invoke('checklist.attest', {
        criterionId: criterion.id,
        targetId,
        year,
        ...(hasAttest ? { attested: form.attested } : {}),
        ...(Object.keys(values).length ? { values } : {}),
        notApplicable: form.whole ? true : false,
        note: form.note,
        evidence: form.evidence,
      })
      if (Object.keys(values).length) await invoke('checklist.attest', { criterionId: criterion.id, targetId, year, notApplicable: form.naKeys })
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

  return (
    <Drawer open width={760} onClose={onClose} title={criterion ? `${target?.name ?? ''} · ${criterion.target === 'common' ? '共性标准' : ''}第${criterion.n}条` : ''} destroyOnHidden>
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
            检查项
          </Typography.Title>
          <Table<CheckResult>
            size="small"
            pagination={false}
            rowKey="index"
            dataSource={result.checks}
            columns={[
              { title: '检查内容', dataIndex: 'label' },
              { title: '类型', dataIndex: 'kind', width: 80, render: (k: string) => ({ metric: '台账统计', value: '填报数值', attest: '确认' })[k] },
              {
                title: '实际',
                key: 'figure',
                width: 150,
                render: (_: unknown, c) => (
                  <span>
                    {figureText(c)}
                    {c.valueFrom && c.valueFrom !== criterion.id ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {' '}
                        （取自 {c.valueFrom}）
                      </Typography.Text>
                    ) : null}
                  </span>
                ),
              },
              { title: '标准', key: 'threshold', width: 100, render: (_: unknown, c) => thresholdText(c) },
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
            {result.checks
              .filter((c) => c.kind === 'attest')
              .map((c) => (
                <Space key={c.index} wrap>
                  <span style={{ minWidth: 200, display: 'inline-block' }}>{c.label}：</span>
                  <Radio.Group
                    value={form.attested === null ? 'none' : form.attested ? 'yes' : 'no'}
                    onChange={(e) => set({ attested: e.target.value === 'none' ? null : e.target.value === 'yes' })}
                    options={[
                      { value: 'yes', label: '是（达到）' },
                      { value: 'no', label: '否（未达到）' },
                      { value: 'none', label: '未确认' },
                    ]}
                  />
                </Space>
              ))}
            {result.checks
              .filter((c) => c.kind === 'value' && c.key)
              .map((c) => (
                <Space key={c.index} wrap>
                  <span style={{ minWidth: 200, display: 'inline-block' }}>{c.label}：</span>
                  <InputNumber
                    aria-label={c.label}
                    data-testid={`value-${c.key}`}
                    value={form.values[c.key!] ?? null}
                    min={0}
                    max={c.unit === '%' ? 100 : undefined}
                    disabled={form.naKeys.includes(c.key!)}
                    addonAfter={c.unit ?? ''}
                    style={{ width: 170 }}
                    onChange={(v) => set({ values: { ...form.values, [c.key!]: typeof v === 'number' ? v : null } })}
                  />
                  <Typography.Text type="secondary">标准 {thresholdText(c)}</Typography.Text>
                  <Checkbox
                    checked={form.naKeys.includes(c.key!)}
                    onChange={(e) => set({ naKeys: e.target.checked ? [...form.naKeys, c.key!] : form.naKeys.filter((k) => k !== c.key) })}
                  >
                    不适用
                  </Checkbox>
                </Space>
              ))}
            <Checkbox checked={form.whole} onChange={(e) => set({ whole: e.target.checked })}>
              本条对该创建对象不适用（请在说明中写明原因）
            </Checkbox>
            <Input.TextArea aria-label="说明" placeholder="说明（如调查时间、方法、样本数，或不适用的原因）" value={form.note} rows={2} maxLength={2000} onChange={(e) => set({ note: e.target.value })} />
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
