import { useState, type ReactNode } from 'react'
import { App, Button, Drawer, Space, type FormInstance } from 'antd'
import { showApiError } from './apiForm'

/**
 * Saving a record form: busy while the call runs, a message when it is saved, and the API's error
 * beside the field it names (or at the top).
 */
export function useSave<T>(form: FormInstance, fields: readonly string[], onSaved: (saved: T) => void) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  const save = async (call: () => Promise<T>, done: (saved: T) => string) => {
    setBusy(true)
    try {
      const saved = await call()
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

/** The drawer a record form opens in: its own buttons (`tools`), then 取消/关闭 and 保存. */
export function FormDrawer(p: {
  title: string
  open: boolean
  onClose: () => void
  width: number
  busy: boolean
  onSave: () => void
  tools?: ReactNode
  closeLabel?: string
  children: ReactNode
}) {
  return (
    <Drawer
      title={p.title}
      open={p.open}
      onClose={p.onClose}
      width={p.width}
      destroyOnHidden
      extra={
        <Space>
          {p.tools}
          <Button onClick={p.onClose}>{p.closeLabel ?? '取消'}</Button>
          <Button type="primary" loading={p.busy} onClick={p.onSave}>
            保存
          </Button>
        </Space>
      }
    >
      {p.children}
    </Drawer>
  )
}
