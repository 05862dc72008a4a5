import { z } from 'zod'
import { method } from '../api/define'
import { text } from '../validation'

/** Every Word document the program writes (DESIGN §5). The value is the CLI's KIND word. */
export const documentKinds = [
  'members',
  'patrols',
  'mediation',
  'aftercare',
  'hazards',
  'mediation-case',
  'aftercare-person',
  'self-check',
  'application-form',
  'review-form',
  'award',
  'dossier',
] as const
export type DocumentKind = (typeof documentKinds)[number]

export type DocumentParam = 'year' | 'villageId' | 'targetId' | 'setId' | 'caseId' | 'personId' | 'fullId' | 'audit'

export interface DocumentKindInfo {
  kind: DocumentKind
  label: string
  /** what the clerk reads under the name on the 文书打印 page */
  description: string
  group: '台账' | '案卷' | '自查与申报' | '迎检'
  /** parameters the document needs */
  required: DocumentParam[]
  /** parameters it can take */
  optional: DocumentParam[]
}

export const documentCatalog: DocumentKindInfo[] = [
  { kind: 'members', label: '成员花名册', group: '台账', description: '综治、巡防、调解、网格等成员名单（横向表格）', required: [], optional: ['year', 'villageId', 'fullId'] },
  { kind: 'patrols', label: '巡逻记录台账', group: '台账', description: '一年的巡逻记录，按日期排列', required: [], optional: ['year', 'villageId'] },
  { kind: 'mediation', label: '矛盾纠纷排查调处台账', group: '台账', description: '一年受理的矛盾纠纷及调处结果', required: [], optional: ['year', 'villageId'] },
  { kind: 'aftercare', label: '帮教对象花名册及走访记录', group: '台账', description: '在帮教期内的对象名单和当年走访记录', required: [], optional: ['year', 'villageId', 'fullId'] },
  { kind: 'hazards', label: '安全隐患排查整改台账', group: '台账', description: '一年排查发现的安全隐患及整改、复查、销号情况', required: [], optional: ['year', 'villageId'] },
  { kind: 'mediation-case', label: '调解案卷', group: '案卷', description: '人民调解受理登记表；按调解结果附调解协议书（书面协议）或调解记录（口头协议、调解不成）；每次回访的回访记录', required: ['caseId'], optional: ['fullId'] },
  { kind: 'aftercare-person', label: '帮教档案', group: '案卷', description: '基本情况、帮教人员、帮教协议（含签名）、走访记录', required: ['personId'], optional: ['fullId'] },
  { kind: 'self-check', label: '自查报告', group: '自查与申报', description: '对照创建标准逐项自查的结果与汇总', required: ['targetId', 'setId'], optional: ['year'] },
  { kind: 'application-form', label: '“十大平安”创建申报表', group: '自查与申报', description: '附件1，按本程序数据填写', required: ['targetId'], optional: ['year'] },
  { kind: 'review-form', label: '“十大平安”创建审核表', group: '自查与申报', description: '附件2，按本程序数据填写', required: ['targetId'], optional: ['year'] },
  { kind: 'award', label: '“十大平安”创建奖牌文字', group: '自查与申报', description: '附件3 奖牌（例）的文字；创建对象达标后才能制作', required: ['targetId'], optional: ['year'] },
  { kind: 'dossier', label: '迎检档案', group: '迎检', description: '封面、目录、组织与成员、巡逻、调解、帮教、自查结果、安全隐患，一个文件；可附当年操作记录', required: [], optional: ['year', 'fullId', 'audit'] },
]

export const documentKindLabels = Object.fromEntries(documentCatalog.map((d) => [d.kind, d.label])) as Record<DocumentKind, string>

const id = (label: string) => z.string({ error: `${label}无效` }).min(1, `请选择${label}`).max(64)

export const documentExportInput = z
  .strictObject({
    kind: z.enum(documentKinds, { error: '文书种类不是可选的值' }),
    year: z.number({ error: '年份应为数字' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对').optional(),
    villageId: id('村（社区）').optional(),
    targetId: id('创建对象').optional(),
    setId: z.string().max(64).optional(),
    caseId: id('矛盾纠纷案件').optional(),
    personId: id('帮教对象').optional(),
    fullId: z.boolean().optional(),
    /** the dossier's appendix: the year's audit trail */
    audit: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    const info = documentCatalog.find((d) => d.kind === v.kind)!
    for (const p of info.required)
      if (v[p] === undefined)
        ctx.addIssue({ code: 'custom', path: [p], message: `生成“${info.label}”需要选择${documentParamLabels[p]}` })
  })
export type DocumentExportInput = z.input<typeof documentExportInput>

export const documentParamLabels: Record<DocumentParam, string> = {
  year: '年度',
  villageId: '村（社区）',
  targetId: '创建对象',
  setId: '标准',
  caseId: '矛盾纠纷案件',
  personId: '帮教对象',
  fullId: '显示完整身份证号',
  audit: '附操作记录',
}

export interface DocumentFile {
  /** e.g. 大托铺街道_2026年_矛盾纠纷排查调处台账.docx */
  fileName: string
  /** the .docx file */
  base64: string
  /** pages as laid out by the program (the dossier's table of contents uses the same count) */
  pages: number
}

/** 整改措施 and 下一步工作 the clerk writes for a target's 自查报告 of a year (in 创建自查); '' until written */
export interface SelfCheckTexts {
  targetId: string
  year: number
  measures: string
  nextSteps: string
  /** null until first saved */
  updatedAt: string | null
}

const textsKey = {
  targetId: id('创建对象'),
  year: z.number({ error: '年份应为数字' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对'),
}
export const selfCheckTextsInput = z.strictObject({
  ...textsKey,
  measures: text('整改措施', 5000),
  nextSteps: text('下一步工作', 5000),
})
export const selfCheckTextsLabels = { targetId: '创建对象', year: '年份', measures: '整改措施', nextSteps: '下一步工作' }

export const documentsApi = {
  'documents.export': method<DocumentFile>('none')(documentExportInput, { kind: '文书种类', ...documentParamLabels }),
  'documents.selfCheckTexts.get': method<SelfCheckTexts>('none')(z.strictObject(textsKey), selfCheckTextsLabels),
  'documents.selfCheckTexts.save': method<SelfCheckTexts>('record')(selfCheckTextsInput, selfCheckTextsLabels),
}
