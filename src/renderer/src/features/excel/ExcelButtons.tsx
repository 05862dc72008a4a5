import { useState } from 'react'
import { App, Button, Space } from 'antd'
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons'
import type { ExcelRegister } from '../../../../shared/excel/columns'
import { invoke, downloadBase64 } from '../../api'
import { ImportWizard } from './ImportWizard'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** What a register screen is showing: search, filters and sort, so 导出Excel exports exactly that view. */
export interface ExcelQuery {
  q?: string
  filters?: Record<string, unknown>
  sort?: { field: string; dir: 'asc' | 'desc' }[]
  year?: number
  villageId?: string
  /** the page's 显示完整证件号 switch: without it the file has masked 身份证号, as the screen and Word */
  fullId?: boolean
}

/**
 * The toolbar trio every register screen drops in: 导入Excel (the wizard), 导出Excel (the current view),
 * 下载模板. `query` is read at click time; `onImported` refreshes the screen after an import or undo.
 */
export function ExcelButtons({ register, query, onImported }: { register: ExcelRegister; query?: () => ExcelQuery; onImported?: () => void }) {
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [exporting, setExporting] = useState(false)

  const exportView = async () => {
    setExporting(true)
    try {
      const q = query?.() ?? {}
      const r = await invoke('excel.export', { register, ...q })
      downloadBase64(r.fileName, r.base64, XLSX_TYPE)
      // a masked file cannot be imported back: say how to get full numbers on the pages that have the switch
      const masked = !q.fullId && (register === 'members' || register === 'aftercare')
      message.success(`已导出 ${r.rows} 条${masked ? '（身份证号已打码；需要完整号码请先打开“显示完整证件号”）' : ''}`)
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setExporting(false)
    }
  }

  const template = async () => {
    try {
      const r = await invoke('excel.template', { register })
      downloadBase64(r.fileName, r.base64, XLSX_TYPE)
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    }
  }

  return (
    <Space size={4}>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)}>
        导入Excel
      </Button>
      <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportView()}>
        导出Excel
      </Button>
      <Button icon={<DownloadOutlined />} type="link" onClick={() => void template()}>
        下载模板
      </Button>
      <ImportWizard register={register} open={open} onClose={() => setOpen(false)} onImported={() => onImported?.()} />
    </Space>
  )
}
