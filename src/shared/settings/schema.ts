import { z } from 'zod'
import { method } from '../api/define'
import { text } from '../validation'
import type { SetInfo } from '../checklist/schema'

export const fontProfiles = ['gb2312', 'system'] as const
export type FontProfile = (typeof fontProfiles)[number]

/** 保管期限 of the 迎检档案, in the current terms (档案局令第8号: 永久, 定期30年, 定期10年) */
export const retentionTerms = ['永久', '30年', '10年'] as const
export type RetentionTerm = (typeof retentionTerms)[number]

export interface Settings {
  /** the operator recorded in the audit trail */
  operator: string
  /** caseNo format; {year} {seq} {short} are replaced, e.g. 〔{year}〕{short}调字第{seq}号 */
  caseNoFormat: string
  /** short township name used in caseNo, e.g. 大托 */
  caseNoShort: string
  fontProfile: FontProfile
  /**
   * The standard sets that apply to this township (chosen in 设置, or at the first visit of 创建自查);
   * null until chosen, when every loaded set applies. The checklist, 文书打印 and the dossier use only these.
   */
  standardSets: string[] | null
  /** when the choice was last changed: a set the county sends after it applies too */
  standardSetsChosenAt: string | null
  /** 保管期限 printed on the 迎检档案's cover */
  retention: RetentionTerm
}

export const defaultSettings: Settings = {
  operator: '',
  caseNoFormat: '〔{year}〕{short}调字第{seq}号',
  caseNoShort: '',
  fontProfile: 'system',
  standardSets: null,
  standardSetsChosenAt: null,
  retention: '30年',
}

/** The sets a township may choose from, which of them it has chosen, and which apply now. */
export interface StandardSetChoice {
  /** every loaded set: shipped and imported */
  sets: SetInfo[]
  /** null: not chosen yet (every set applies; 创建自查 asks) */
  chosen: string[] | null
  /** the ids that apply: the chosen ones and sets the county sent since */
  applied: string[]
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
      standardSets: z
        .array(z.string({ error: '标准集应为编号' }).min(1).max(64), { error: '适用的标准应为列表' })
        .min(1, '请至少选择一项适用于本乡镇（街道）的创建标准')
        .max(50, '适用的标准不能超过50项')
        .optional(),
      retention: z.enum(retentionTerms, { error: '保管期限应为永久、30年或10年' }).optional(),
    }),
    { operator: '操作员', caseNoFormat: '案件编号格式', caseNoShort: '编号简称', fontProfile: '字体方案', standardSets: '适用的创建标准', retention: '保管期限' },
  ),
  /** every loaded standard set with the township's choice (设置, and 创建自查's first-visit question) */
  'settings.standardSets': method<StandardSetChoice>('none')(z.strictObject({})),
}
