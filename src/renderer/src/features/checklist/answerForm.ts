import type { AttestInput, CheckResult, CriterionResult, Survey, SurveyedValue } from '../../../../shared/checklist/schema'

/**
 * The cell drawer's answer form as plain data: built from a criterion's result, turned into one
 * checklist.attest call. Percentages are typed as percent points (92) and sent as fractions (0.92).
 */
export interface ValueState {
  /** what the clerk typed (percent points for '%') */
  value: number | null
  /** `${criterionId}|${key}` of the surveyed value it is taken from, or null: its own number */
  link: string | null
  survey: { asked: string; respondents: string; conductedOn: string }
}

export interface FormState {
  attested: boolean | null
  attestations: Record<string, boolean | null>
  values: Record<string, ValueState>
  naKeys: string[]
  whole: boolean
  reason: string
  note: string
  evidence: string
}

const toShown = (v: number, unit: string | undefined) => (unit === '%' ? Math.round(v * 10000) / 100 : v)
const toSent = (v: number, unit: string | undefined) => (unit === '%' ? Math.round(v * 100) / 10000 : v)

export const linkId = (criterionId: string, key: string) => `${criterionId}|${key}`

export function formFrom(r: CriterionResult): FormState {
  const e = r.entry
  const values: Record<string, ValueState> = {}
  for (const c of r.checks) {
    if (c.kind !== 'value' || !c.key) continue
    const own = e?.values[c.key]
    const link = e?.links[c.key]
    const survey = e?.surveys[c.key]
    values[c.key] = {
      value: own === undefined ? null : toShown(own, c.unit),
      link: link ? linkId(link.criterionId, link.key) : null,
      survey: { asked: survey?.asked ?? '', respondents: survey?.respondents ?? '', conductedOn: survey?.conductedOn ?? '' },
    }
  }
  const attestations: Record<string, boolean | null> = {}
  for (const c of r.checks) if (c.kind === 'attest' && c.key) attestations[c.key] = e?.attestations[c.key] ?? null
  return {
    attested: e?.attested ?? null,
    attestations,
    values,
    naKeys: e?.notApplicableKeys ?? [],
    whole: e?.notApplicable ?? false,
    reason: e?.notApplicableReason ?? '',
    note: e?.note ?? '',
    evidence: e?.evidence ?? '',
  }
}

/** the surveyed values a check may be linked to: another criterion's, of the same kind of number */
export function linkOptions(c: CheckResult, criterionId: string, all: SurveyedValue[]): SurveyedValue[] {
  return all.filter((s) => s.criterionId !== criterionId && (s.unit ?? undefined) === c.unit)
}

/** One attest call, or the Chinese sentence saying what to complete first. */
export function toInput(
  f: FormState,
  r: CriterionResult,
  at: { criterionId: string; targetId: string; year: number },
): { ok: true; input: AttestInput } | { ok: false; message: string } {
  const values: Record<string, number | null> = {}
  const links: Record<string, { criterionId: string; key: string } | null> = {}
  const surveys: Record<string, Survey | null> = {}
  for (const c of r.checks) {
    if (c.kind !== 'value' || !c.key) continue
    const v = f.values[c.key]
    if (!v) continue
    if (v.link) {
      const [criterionId, key] = v.link.split('|') as [string, string]
      links[c.key] = { criterionId, key }
      continue
    }
    links[c.key] = null
    values[c.key] = v.value === null ? null : toSent(v.value, c.unit)
    const s = v.survey
    const filled = [s.asked.trim(), s.respondents.trim(), s.conductedOn].filter(Boolean).length
    if (filled === 3) surveys[c.key] = { asked: s.asked.trim(), respondents: s.respondents.trim(), conductedOn: s.conductedOn }
    else if (filled === 0) surveys[c.key] = null
    else return { ok: false, message: `“${c.label}”的调查情况请填写完整：调查内容、调查对象和调查日期` }
  }
  if ((f.whole || f.naKeys.length > 0) && !f.reason.trim()) return { ok: false, message: '标为不适用时，请写明不适用的原因' }
  const hasUnkeyed = r.checks.some((c) => c.kind === 'attest' && !c.key)
  const keyed = r.checks.some((c) => c.kind === 'attest' && c.key)
  const any = (o: object) => Object.keys(o).length > 0
  return {
    ok: true,
    input: {
      ...at,
      ...(hasUnkeyed ? { attested: f.attested } : {}),
      ...(keyed ? { attestations: f.attestations } : {}),
      ...(any(values) ? { values } : {}),
      ...(any(links) ? { links } : {}),
      ...(any(surveys) ? { surveys } : {}),
      notApplicable: f.whole,
      notApplicableKeys: f.naKeys,
      notApplicableReason: f.whole || f.naKeys.length ? f.reason.trim() : '',
      note: f.note,
      evidence: f.evidence,
    },
  }
}
