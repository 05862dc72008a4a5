import { Checkbox, DatePicker, Input, InputNumber, Radio, Select, Space, Typography } from 'antd'
import dayjs from 'dayjs'
import type { CheckResult, SurveyedValue } from '../../../../shared/checklist/schema'
import { formatFigure } from '../../../../shared/checklist/schema'
import { linkId, linkOptions, type FormState, type ValueState } from './answerForm'

type Set = (patch: Partial<FormState>) => void

const yesNo = [
  { value: 'yes', label: '是（达到）' },
  { value: 'no', label: '否（未达到）' },
  { value: 'none', label: '未确认' },
]
const toRadio = (v: boolean | null | undefined) => (v === null || v === undefined ? 'none' : v ? 'yes' : 'no')
const fromRadio = (v: string) => (v === 'none' ? null : v === 'yes')

function NaBox({ k, form, set }: { k: string; form: FormState; set: Set }) {
  return (
    <Checkbox
      checked={form.naKeys.includes(k)}
      data-testid={`na-${k}`}
      onChange={(e) => set({ naKeys: e.target.checked ? [...form.naKeys, k] : form.naKeys.filter((x) => x !== k) })}
    >
      不适用
    </Checkbox>
  )
}

/** yes/no per attestation: the criterion's one unkeyed attestation, or each keyed one (五无) on its own */
export function AttestInputs({ checks, form, set }: { checks: CheckResult[]; form: FormState; set: Set }) {
  return (
    <>
      {checks
        .filter((c) => c.kind === 'attest')
        .map((c) => (
          <Space key={c.index} wrap>
            <span style={{ minWidth: 220, display: 'inline-block' }}>{c.label}：</span>
            <Radio.Group
              data-testid={c.key ? `attest-${c.key}` : 'attest'}
              value={toRadio(c.key ? form.attestations[c.key] : form.attested)}
              disabled={c.key !== undefined && form.naKeys.includes(c.key)}
              onChange={(e) => {
                const v = fromRadio(e.target.value as string)
                if (c.key) set({ attestations: { ...form.attestations, [c.key]: v } })
                else set({ attested: v })
              }}
              options={yesNo}
            />
            {c.key ? <NaBox k={c.key} form={form} set={set} /> : null}
          </Space>
        ))}
    </>
  )
}

interface ValueProps {
  checks: CheckResult[]
  criterionId: string
  surveyed: SurveyedValue[]
  form: FormState
  set: Set
  thresholdText: (c: CheckResult) => string
}

/**
 * A number per value check, with the survey behind it (what was asked, of whom, when), or a link to
 * another criterion's survey where one survey truly serves both: a value is never shared silently.
 */
export function ValueInputs({ checks, criterionId, surveyed, form, set, thresholdText }: ValueProps) {
  const put = (key: string, patch: Partial<ValueState>) => set({ values: { ...form.values, [key]: { ...form.values[key]!, ...patch } } })
  return (
    <>
      {checks
        .filter((c) => c.kind === 'value' && c.key && form.values[c.key])
        .map((c) => {
          const key = c.key!
          const v = form.values[key]!
          const na = form.naKeys.includes(key)
          const options = linkOptions(c, criterionId, surveyed)
          return (
            <Space key={c.index} direction="vertical" size={4} style={{ width: '100%', borderLeft: '3px solid #f0f0f0', paddingLeft: 8 }}>
              <Space wrap>
                <span style={{ minWidth: 220, display: 'inline-block' }}>{c.label}：</span>
                <InputNumber
                  aria-label={c.label}
                  data-testid={`value-${key}`}
                  value={v.link ? null : v.value}
                  min={0}
                  max={c.unit === '%' ? 100 : undefined}
                  disabled={na || v.link !== null}
                  addonAfter={c.unit ?? ''}
                  style={{ width: 170 }}
                  onChange={(x) => put(key, { value: typeof x === 'number' ? x : null })}
                />
                <Typography.Text type="secondary">标准 {thresholdText(c)}</Typography.Text>
                <NaBox k={key} form={form} set={set} />
              </Space>
              {options.length > 0 || v.link ? (
                <Space wrap>
                  <Typography.Text type="secondary">或取自同一次调查：</Typography.Text>
                  <Select
                    allowClear
                    disabled={na}
                    style={{ width: 460 }}
                    placeholder="选择其他条目已填写的调查数值"
                    data-testid={`link-${key}`}
                    value={v.link ?? undefined}
                    onChange={(x: string | undefined) => put(key, { link: x ?? null })}
                    options={options.map((s) => ({
                      value: linkId(s.criterionId, s.key),
                      label: `${s.criterionId} ${s.label}：${formatFigure(s.value, s.unit ?? undefined)}（${s.survey.conductedOn} ${s.survey.respondents}）`,
                    }))}
                  />
                </Space>
              ) : null}
              {v.link ? null : (
                <Space wrap>
                  <Typography.Text type="secondary">调查情况：</Typography.Text>
                  <Input
                    aria-label={`${c.label}调查内容`}
                    placeholder="调查内容（问了什么）"
                    style={{ width: 220 }}
                    maxLength={500}
                    disabled={na}
                    value={v.survey.asked}
                    onChange={(e) => put(key, { survey: { ...v.survey, asked: e.target.value } })}
                  />
                  <Input
                    aria-label={`${c.label}调查对象`}
                    placeholder="调查对象（向谁、多少人）"
                    style={{ width: 200 }}
                    maxLength={200}
                    disabled={na}
                    value={v.survey.respondents}
                    onChange={(e) => put(key, { survey: { ...v.survey, respondents: e.target.value } })}
                  />
                  <DatePicker
                    aria-label={`${c.label}调查日期`}
                    placeholder="调查日期"
                    disabled={na}
                    value={v.survey.conductedOn ? dayjs(v.survey.conductedOn) : null}
                    onChange={(d) => put(key, { survey: { ...v.survey, conductedOn: d ? d.format('YYYY-MM-DD') : '' } })}
                  />
                </Space>
              )}
            </Space>
          )
        })}
    </>
  )
}
