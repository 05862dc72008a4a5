/**
 * How an answer's grounds read in the cell drawer and in documents (自查报告, 迎检档案): the survey
 * behind a value, the criterion a value is linked to, and why something is 不适用.
 *
 * No Node, no DOM: shared by main and renderer.
 */

import type { CheckResult, CriterionResult, Survey } from './schema'

export function surveyText(s: Survey): string {
  return `调查内容：${s.asked}；调查对象：${s.respondents}；调查日期：${s.conductedOn}`
}

/** "取自 cunju.common.10 的调查" for a linked value, '' otherwise */
export function linkText(c: CheckResult): string {
  return c.valueFrom ? `取自 ${c.valueFrom} 的调查` : ''
}

/** the lines printed under a criterion's answer: each value's survey or link, then the reasons for 不适用 */
export function answerNotes(r: CriterionResult): string[] {
  const out: string[] = []
  for (const k of r.checks) {
    if (k.status === 'na') continue
    if (k.survey) out.push(`${k.label}：${k.valueFrom ? `${linkText(k)}，` : ''}${surveyText(k.survey)}`)
    else if (k.valueFrom) out.push(`${k.label}：关联 ${k.valueFrom} 的调查，但该条尚未填写调查数值`)
  }
  const reasons = [...new Set(r.checks.flatMap((k) => (k.status === 'na' && k.reason ? [k.reason] : [])))]
  for (const why of reasons) out.push(`不适用原因：${why}`)
  return out
}
