import { ApiError } from '../../shared/errors'
import type { DocumentKind } from '../../shared/documents/schema'
import type { Ctx } from '../context'
import { aftercarePersonDoc, mediationCaseDoc } from './caseFiles'
import { docContext, fileName, scopeName } from './common'
import { dossier } from './dossier'
import { fontsFor, renderDocument } from './format'
import { aftercareDoc, hazardsDoc, mediationDoc, membersDoc, patrolsDoc, type Built } from './registerDocs'
import { awardDoc, selfCheckDoc, shidaFormDoc, SHIDA } from './selfCheck'

export interface ExportInput {
  kind: DocumentKind
  year?: number
  villageId?: string
  targetId?: string
  setId?: string
  caseId?: string
  personId?: string
  fullId?: boolean
  audit?: boolean
}

export interface Exported {
  fileName: string
  buffer: Buffer
  pages: number
}

function need(v: string | undefined, field: string, label: string): string {
  if (!v) throw new ApiError('invalid_input', `请选择${label}`, field)
  return v
}

/** Builds any document: what documents.export and the CLI's `export KIND` both run. */
export async function exportDocument(ctx: Ctx, input: ExportInput): Promise<Exported> {
  const d = await docContext(ctx, input)
  const fonts = fontsFor(ctx)
  const y = `${d.year}年`
  const scope = scopeName(d)
  let built: Built
  let name: string
  switch (input.kind) {
    case 'members':
      built = await membersDoc(d)
      name = fileName(scope, y, '成员花名册')
      break
    case 'patrols':
      built = await patrolsDoc(d)
      name = fileName(scope, y, '巡逻记录台账')
      break
    case 'mediation':
      built = await mediationDoc(d)
      name = fileName(scope, y, '矛盾纠纷排查调处台账')
      break
    case 'aftercare':
      built = await aftercareDoc(d)
      name = fileName(scope, y, '帮教对象花名册及走访记录')
      break
    case 'hazards':
      built = await hazardsDoc(d)
      name = fileName(scope, y, '安全隐患排查整改台账')
      break
    case 'mediation-case': {
      const b = await mediationCaseDoc(d, need(input.caseId, 'caseId', '矛盾纠纷案件'))
      built = b
      name = fileName(d.township.name, b.caseNo, '调解案卷')
      break
    }
    case 'aftercare-person': {
      const b = await aftercarePersonDoc(d, need(input.personId, 'personId', '帮教对象'))
      built = b
      name = fileName(d.township.name, b.name, '帮教档案')
      break
    }
    case 'self-check': {
      const b = await selfCheckDoc(d, need(input.setId, 'setId', '标准'), need(input.targetId, 'targetId', '创建对象'))
      built = b
      name = fileName(b.targetName, y, '自查报告')
      break
    }
    case 'application-form':
    case 'review-form': {
      const which = input.kind === 'application-form' ? 'application' : 'review'
      const b = await shidaFormDoc(d, which, need(input.targetId, 'targetId', '创建对象'))
      built = b
      name = fileName(b.targetName, y, which === 'application' ? '十大平安创建申报表' : '十大平安创建审核表')
      break
    }
    case 'award': {
      const b = await awardDoc(d, need(input.targetId, 'targetId', '创建对象'))
      built = b
      name = fileName(b.targetName, y, '十大平安奖牌')
      break
    }
    case 'dossier': {
      const r = await dossier({ ...d, village: null }, fonts, { audit: input.audit === true })
      return { fileName: fileName(d.township.name, y, '迎检档案'), buffer: r.buffer, pages: r.pages }
    }
  }
  void SHIDA
  const r = await renderDocument(built.sections, fonts, { title: built.title, creator: d.township.name })
  return { fileName: name, buffer: r.buffer, pages: r.pages }
}
