import { contract, type MethodName } from '../../../shared/api/contract'
import { describeIssue } from '../../../shared/validation'

export interface FieldIssue {
  /** dotted path as the API names it: parties.0.idNumber */
  field: string
  message: string
}

/**
 * Every problem the contract's own zod schema finds in a form's input, one per field, in form order:
 * the form shows them all at once instead of the server's first. The server checks again on save.
 */
export function inputIssues(method: MethodName, input: unknown): FieldIssue[] {
  const def = contract[method]
  const r = def.input.safeParse(input)
  if (r.success) return []
  const out: FieldIssue[] = []
  const seen = new Set<string>()
  for (const issue of r.error.issues) {
    const d = describeIssue(issue, def.labels)
    const field = d.field ?? ''
    if (seen.has(field)) continue
    seen.add(field)
    out.push({ field, message: d.message })
  }
  return out
}

/** the form's name for a dotted API path: parties.0.idNumber → ['parties', 0, 'idNumber'] */
export const formName = (field: string): (string | number)[] => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
