import type { FormInstance } from 'antd'
import { ApiCallError } from '../api'

/** forms the clerk has changed since they were opened or saved (FormDrawer asks before closing them) */
const edited = new WeakSet<FormInstance>()
export const wasEdited = (form: FormInstance): boolean => edited.has(form)
export const markUnedited = (form: FormInstance): void => void edited.delete(form)

/** the fields each form shows an API (or pre-save) error beside */
const shown = new WeakMap<FormInstance, (string | number)[][]>()

export function markShown(form: FormInstance, name: (string | number)[]): void {
  shown.set(form, [...(shown.get(form) ?? []), name])
}

/**
 * For a Form's onValuesChange: an error put beside a field goes as soon as the clerk changes that
 * field (antd keeps errors it did not make itself until the next submit).
 */
export const clearApiError = (form: FormInstance) => (changed: Record<string, unknown>) => {
  // antd calls onValuesChange for the clerk's own changes only: the form now holds typing to keep
  edited.add(form)
  const names = shown.get(form)
  if (!names) return
  const gone = names.filter((n) => String(n[0]) in changed)
  if (!gone.length) return
  shown.set(form, names.filter((n) => !gone.includes(n)))
  form.setFields(gone.map((name) => ({ name, errors: [] })))
}

/**
 * Shows an API error where the clerk looks: beside the field it names when the form has that field,
 * otherwise as a message at the top.
 */
export function showApiError(form: FormInstance | null, e: unknown, toast: (msg: string) => void, fields?: readonly string[]): void {
  if (e instanceof ApiCallError) {
    const field = e.error.field
    if (form && field) {
      const name = field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      const top = String(name[0])
      const onForm = fields ? fields.includes(top) : top in form.getFieldsValue(true)
      if (onForm) {
        form.setFields([{ name, errors: [e.error.message] }])
        markShown(form, name)
        form.scrollToField(name, { block: 'center' })
        return
      }
    }
    toast(e.error.message)
    return
  }
  toast(e instanceof Error ? e.message : String(e))
}

/** antd gives undefined for untouched inputs; the API wants those fields left out. */
export function compact<T extends object>(values: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v
  return out as T
}
