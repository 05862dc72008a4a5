import { useState, type ReactNode } from 'react'
import { App, Button } from 'antd'
import type { ButtonProps } from 'antd'
import { FileWordOutlined } from '@ant-design/icons'
import type { DocumentExportInput, DocumentFile, DocumentKind } from '../../../../shared/documents/schema'
import { documentKindLabels } from '../../../../shared/documents/schema'
import { downloadBase64, invoke } from '../../api'

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

export type DocParams = Omit<DocumentExportInput, 'kind'>

/** Generates a Word document and hands it to the clerk as a download; shared by the buttons and 文书打印. */
export async function exportDoc(kind: DocumentKind, params: DocParams): Promise<DocumentFile> {
  const r = await invoke('documents.export', { kind, ...params })
  downloadBase64(r.fileName, r.base64, DOCX_TYPE)
  return r
}

/**
 * A toolbar button that writes one Word document: <ExportDocButton kind="patrols" params={{ year }} label="导出Word" />.
 * `params` may be a function, read at click time (the screen's current year, village or record).
 */
export function ExportDocButton({
  kind,
  params,
  label,
  icon,
  ...rest
}: {
  kind: DocumentKind
  params?: DocParams | (() => DocParams)
  label?: ReactNode
  icon?: ReactNode
} & Omit<ButtonProps, 'onClick' | 'loading'>) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    const key = `doc-${kind}`
    message.loading({ content: '正在生成…', key, duration: 0 })
    try {
      const p = typeof params === 'function' ? params() : (params ?? {})
      const r = await exportDoc(kind, p)
      message.success({ content: `已生成 ${r.fileName}（${r.pages}页）`, key })
    } catch (e) {
      message.error({ content: e instanceof Error ? e.message : String(e), key })
    } finally {
      setBusy(false)
    }
  }
  return (
    <Button icon={icon ?? <FileWordOutlined />} loading={busy} onClick={() => void run()} title={`生成“${documentKindLabels[kind]}”Word文档`} {...rest}>
      {label ?? '导出Word'}
    </Button>
  )
}
