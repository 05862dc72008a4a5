import { z } from 'zod'
import { method } from '../api/define'
import { text } from '../validation'

export const fontProfiles = ['gb2312', 'system'] as const
export type FontProfile = (typeof fontProfiles)[number]

export interface Settings {
  /** the operator recorded in the audit trail */
  operator: string
  /** caseNo format; {year} {seq} {short} are replaced, e.g. 〔{year}〕{short}调字第{seq}号 */
  caseNoFormat: string
  /** short township name used in caseNo, e.g. 大托 */
  caseNoShort: string
  fontProfile: FontProfile
}

export const defaultSettings: Settings = {
  operator: '',
  caseNoFormat: '〔{year}〕{short}调字第{seq}号',
  caseNoShort: '',
  fontProfile: 'system',
}

export const settingsApi = {
  'settings.get': method<Settings>('none')(z.strictObject({})),
  'settings.update': method<Settings>('record')(
    z.strictObject({
      operator: text('操作员', 30).optional(),
      caseNoFormat: text('案件编号格式', 60)
        .refine((s) => s.includes('{seq}'), '案件编号格式必须包含 {seq}（序号）')
        .optional(),
      caseNoShort: text('编号简称', 10).optional(),
      fontProfile: z.enum(fontProfiles, { error: '字体方案不是可选的值' }).optional(),
    }),
    { operator: '操作员', caseNoFormat: '案件编号格式', caseNoShort: '编号简称', fontProfile: '字体方案' },
  ),
}
