import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { App, Button, Drawer, Space, type FormInstance } from 'antd'
import type { MethodName } from '../../../shared/api/contract'
import { markShown, markUnedited, showApiError, wasEdited } from './apiForm'
import { formName, inputIssues, type FieldIssue } from './formCheck'

/**
 * What the form held when it was opened or last saved: closing asks only when the clerk changed
 * something since (antd's onValuesChange, which the forms route through clearApiError) and the
 * values are no longer those.
 */
const baseline = new WeakMap<FormInstance, string>()
const snapshot = (form: FormInstance) => JSON.stringify(form.getFieldsValue(true))
const changed = (form: FormInstance | undefined) => !!form && wasEdited(form) && baseline.get(form) !== snapshot(form)

/** What a form checks before it calls: the method and its input (the contract's schema), and its own rules. */
export interface SaveCheck {
  method: MethodName
  input: unknown
  /** rules beyond the schema that the form knows too (a case's stage) */
  more?: FieldIssue[]
}

/**
 * Saving a record form: every problem shown at once beside its field (the contract's schema checked
 * before the call, the first problem scrolled into view), busy while the call runs, a message when
 * it is saved, and the API's own refusal beside the field it names (or at the top).
 */
export function useSave<T>(form: FormInstance, fields: readonly string[], onSaved: (saved: T) => void) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)

  /** true when the input may go to the API */
  const checked = (check: SaveCheck | undefined): boolean => {
    if (!check) return true
    const issues = [...inputIssues(check.method, check.input), ...(check.more ?? [])]
    const seen = new Set<string>()
    const onForm = issues.filter((i) => fields.includes(i.field.split('.')[0]!) && !seen.has(i.field) && seen.add(i.field))
    const elsewhere = issues.filter((i) => !fields.includes(i.field.split('.')[0]!))
    if (!issues.length) return true
    form.setFields(onForm.map((i) => ({ name: formName(i.field), errors: [i.message] })))
    for (const i of onForm) markShown(form, formName(i.field))
    const first = onForm[0]
    if (first) form.scrollToField(formName(first.field), { block: 'center' })
    message.error(elsewhere[0]?.message ?? (onForm.length > 1 ? `有 ${onForm.length} 处需要修改，已在表单中标出` : first!.message))
    return false
  }

  /** `checkOnly`: the form's own rules failed; show the schema's problems too, but do not call */
  const save = async (call: () => Promise<T>, done: (saved: T) => string, check?: SaveCheck, checkOnly = false) => {
    if (!checked(check) || checkOnly) return
    setBusy(true)
    try {
      const saved = await call()
      // what is on the form now is saved: closing it asks nothing
      form.setFields(form.getFieldsError().map((f) => ({ name: f.name, touched: false })))
      baseline.set(form, snapshot(form))
      markUnedited(form)
      message.success(done(saved))
      onSaved(saved)
    } catch (e) {
      showApiError(form, e, message.error, fields)
    } finally {
      setBusy(false)
    }
  }
  return { busy, save }
}

/** Enter in a one-line box saves (not in a text area, a pick-list or a date picker, and not while typing Chinese). */
function enterSaves(e: KeyboardEvent, save: () => void): void {
  if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.shiftKey || e.altKey) return
  const t = e.target as HTMLElement
  const inTextArea = t.tagName === 'TEXTAREA'
  if ((inTextArea && !e.ctrlKey) || t.tagName === 'BUTTON' || t.closest('.ant-select, .ant-picker, .ant-input-number-handler-wrap')) return
  e.preventDefault()
  save()
}

/**
 * The drawer a record form opens in: its own buttons (`tools`), then 取消/关闭 and 保存. Closing it with
 * changes not yet saved (the 取消 button, a click beside it, Esc) asks 放弃修改？ first.
 */
export function FormDrawer(p: {
  title: string
  open: boolean
  onClose: () => void
  width: number
  busy: boolean
  onSave: () => void
  /** the drawer's form: its changes since opening (or the last save) make closing ask first */
  form?: FormInstance
  tools?: ReactNode
  closeLabel?: string
  children: ReactNode
}) {
  const { modal } = App.useApp()
  // one question at a time (a click beside the drawer may arrive twice)
  const asking = useRef(false)
  // what the record form set on opening is "no changes": its effect runs after this one, in the same
  // flush, so the snapshot waits for the microtask after it (before the clerk can type)
  // (again when the record itself changes, as after the first save of a form that stays open: its title follows it)
  const { open, form, title } = p
  useEffect(() => {
    if (open && form)
      queueMicrotask(() => {
        baseline.set(form, snapshot(form))
        markUnedited(form)
      })
  }, [open, form, title])
  const close = () => {
    if (!changed(p.form)) return p.onClose()
    if (asking.current) return
    asking.current = true
    modal.confirm({
      title: '放弃修改？',
      content: '填写的内容还没有保存，关闭后会丢失。',
      okText: '放弃修改',
      okButtonProps: { danger: true },
      cancelText: '继续填写',
      onOk: () => {
        asking.current = false
        p.onClose()
      },
      onCancel: () => void (asking.current = false),
    })
  }
  return (
    <Drawer
      title={p.title}
      open={p.open}
      onClose={close}
      width={p.width}
      destroyOnHidden
      extra={
        <Space>
          {p.tools}
          <Button onClick={close}>{p.closeLabel ?? '取消'}</Button>
          <Button type="primary" loading={p.busy} onClick={p.onSave}>
            保存
          </Button>
        </Space>
      }
    >
      <div onKeyDown={(e) => enterSaves(e, p.onSave)}>{p.children}</div>
    </Drawer>
  )
}
