import { z } from 'zod'
import { checkIdNumber } from './idNumber'
import { checkPhone } from './phone'

function isRealIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}

/** A calendar date written YYYY-MM-DD. */
export const isoDate = (label: string) =>
  z.string({ error: `请填写${label}` }).refine(isRealIsoDate, { message: `${label}不是有效日期（格式：2026-03-01）` })

export const hhmm = (label: string) =>
  z.string({ error: `请填写${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}应为 时:分，例如 08:30`)

export const text = (label: string, max = 200) =>
  z.string({ error: `${label}应为文字` }).max(max, `${label}不能超过${max}个字`)

export const requiredText = (label: string, max = 200) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过${max}个字`)

export const count = (label: string, max = 10_000_000) =>
  z
    .number({ error: `${label}应为数字` })
    .int(`${label}应为整数`)
    .min(0, `${label}不能为负数`)
    .max(max, `${label}不能超过${max}`)

export const idNumber = z.string({ error: '请填写身份证号' }).transform((raw, ctx) => {
  const r = checkIdNumber(raw)
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message })
    return z.NEVER
  }
  return r.value
})

export const phone = z.string({ error: '联系电话应为文字' }).transform((raw, ctx) => {
  if (raw.trim() === '') return ''
  const r = checkPhone(raw)
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message })
    return z.NEVER
  }
  return r.value
})

export const refId = (label: string) => z.string({ error: `${label}无效` }).min(1, `请选择${label}`).max(64)

/** Turns the first zod issue into the Chinese sentence a clerk reads beside the field. */
export function describeIssue(issue: z.core.$ZodIssue, labels: Record<string, string>): { message: string; field?: string } {
  const field = issue.path.map(String).join('.') || undefined
  const last = issue.path.length ? String(issue.path[issue.path.length - 1]) : ''
  const label = labels[field ?? ''] ?? labels[last] ?? last
  const named = (s: string) => (label ? `${label}${s}` : s.replace(/^[，：]/, ''))
  const zh = /[\u4e00-\u9fff]/.test(issue.message)
  switch (issue.code) {
    case 'unrecognized_keys':
      return { message: `不认识的字段：${issue.keys.join('、')}`, field }
    case 'invalid_type':
      if (zh) return { message: issue.message, field }
      return { message: issue.input === undefined ? `请填写${label || '必填项'}` : named('的类型不对'), field }
    case 'invalid_value':
      return { message: zh ? issue.message : named('不是可选的值'), field }
    case 'too_small':
      return { message: zh ? issue.message : named(`不能小于${String(issue.minimum)}`), field }
    case 'too_big':
      return { message: zh ? issue.message : named(`不能大于${String(issue.maximum)}`), field }
    default:
      return { message: zh ? issue.message : named('格式不对'), field }
  }
}
