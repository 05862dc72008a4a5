import { useEffect, useRef, useState } from 'react'
import { Alert, App, Button, Checkbox, Modal, Progress, Radio, Result, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd'
import { InboxOutlined } from '@ant-design/icons'
import type { ExcelInspection, ImportReport, PreviewRow } from '../../../../shared/excel/schema'
import { excelRegisterLabels, type ExcelRegister } from '../../../../shared/excel/columns'
import { invoke, downloadBase64 } from '../../api'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''))
    // read again at each step: the file may have been moved or deleted since it was chosen
    r.onerror = () => reject(new Error('读不到所选的文件（可能已被移动、改名或删除），请重新选择文件'))
    r.readAsDataURL(file)
  })
}

/**
 * 导入Excel: file → sheet and header row → columns → preview and check → done. The checks are the
 * program's (a dry run of the real import), so what the preview says is what the import will do.
 */
export function ImportWizard({ register, open, onClose, onImported }: { register: ExcelRegister; open: boolean; onClose: () => void; onImported: () => void }) {
  const { message } = App.useApp()
  const [step, setStep] = useState(0)
  const [busy, setBusy] = useState(false)
  const [info, setInfo] = useState<ExcelInspection | null>(null)
  const [mapping, setMapping] = useState<Record<string, number | null>>({})
  const [check, setCheck] = useState<ImportReport | null>(null)
  const [done, setDone] = useState<ImportReport | null>(null)
  const [skipBad, setSkipBad] = useState(false)
  const [progress, setProgress] = useState<number | null>(null)
  // a sheet without a village column (a village's own ledger): one village for all rows, proposed from its title
  const [village, setVillage] = useState<string | undefined>()
  const [villageNames, setVillageNames] = useState<string[]>([])
  useEffect(() => {
    if (info?.noVillageColumn && !villageNames.length) void invoke('villages.list', { limit: 1000 }).then((r) => setVillageNames(r.rows.map((v) => v.name)))
  }, [info?.noVillageColumn, villageNames.length])
  // a sheet without the register's absent column (a 调委会 ledger's 协议形式): the clerk's choice for the rows that need it
  const [absentValue, setAbsentValue] = useState<string | undefined>()
  const forAll = { ...(info?.noVillageColumn && village ? { village } : {}), ...(info?.absent && absentValue ? { agreementForm: absentValue as 'oral' | 'written' } : {}) }
  const poll = useRef<number | null>(null)
  // the chosen file stays with the page (a handle to the clerk's own file), not in the program: the program
  // deletes an upload as soon as the call that reads it is done, so each step sends the bytes again
  const file = useRef<File | null>(null)

  useEffect(() => {
    if (!open) {
      setStep(0)
      setInfo(null)
      setAbsentValue(undefined)
      setCheck(null)
      setDone(null)
      setSkipBad(false)
      file.current = null
    }
  }, [open])
  useEffect(() => () => void (poll.current && window.clearInterval(poll.current)), [])

  const fail = (e: unknown) => message.error(e instanceof Error ? e.message : String(e))

  /** the chosen file's bytes, as the API takes them */
  const source = async () => ({ fileBase64: await fileToBase64(file.current!), fileName: file.current!.name })

  const inspect = async (input: Partial<{ sheet: string; headerRow: number; mapping: Record<string, number | null> }>, chosen?: File) => {
    if (chosen) file.current = chosen
    if (!file.current) return null
    setBusy(true)
    try {
      const r = await invoke('excel.inspect', { register, ...(await source()), ...input, ...(village ? { village } : {}), ...(absentValue ? { agreementForm: absentValue as 'oral' | 'written' } : {}) })
      setInfo(r)
      setMapping(r.mapping)
      if (r.noVillageColumn && !village && r.titleVillage) setVillage(r.titleVillage)
      return r
    } catch (e) {
      fail(e)
      return null
    } finally {
      setBusy(false)
    }
  }

  /** Runs excel.import with a progress bar polled from the program. */
  const run = async (dryRun: boolean): Promise<ImportReport | null> => {
    if (!info || !file.current) return null
    const jobId = `${Date.now()}-${Math.random().toString(16).slice(2)}`
    setBusy(true)
    setProgress(0)
    poll.current = window.setInterval(() => {
      void invoke('excel.progress', { jobId }).then((p) => p && setProgress(p.percent))
    }, 300)
    try {
      return await invoke('excel.import', { register, ...(await source()), sheet: info.sheet, headerRow: info.headerRow, mapping, dryRun, skipBad, jobId, ...forAll })
    } catch (e) {
      fail(e)
      return null
    } finally {
      if (poll.current) window.clearInterval(poll.current)
      poll.current = null
      setProgress(null)
      setBusy(false)
    }
  }

  const toPreview = async () => {
    const r = await inspect({ sheet: info!.sheet, headerRow: info!.headerRow, mapping })
    if (!r) return
    const c = await run(true)
    if (c) {
      setCheck(c)
      setStep(3)
    }
  }

  const commit = async () => {
    const r = await run(false)
    if (!r) return
    setDone(r)
    setStep(4)
    if (r.imported > 0) onImported()
  }

  const undo = async () => {
    if (!done?.batchId) return
    try {
      const r = await invoke('excel.undoImport', { batchId: done.batchId })
      message.success(`已撤销这次导入（${r.removed}条）`)
      onImported()
      onClose()
    } catch (e) {
      fail(e)
    }
  }

  const columnOptions = [
    { value: 0, label: '（不导入）' },
    ...(info?.columns ?? []).map((c) => ({ value: c.index, label: `${c.letter}列 ${c.header}` })),
  ]
  const fieldLabel = (k: string) => info?.fields.find((f) => f.key === k)?.label ?? k
  const errorColumns = [
    { title: '行号', dataIndex: 'row', width: 70 },
    { title: '列', dataIndex: 'column', width: 140 },
    { title: '原因', dataIndex: 'message' },
  ]
  const wouldImport = check ? (check.wouldImport ?? check.imported) : 0

  const body = () => {
    switch (step) {
      case 0:
        return (
          <Upload.Dragger
            accept=".xlsx,.xls,.csv"
            showUploadList={false}
            disabled={busy}
            beforeUpload={(file) => {
              void inspect({}, file).then((r) => r && setStep(1))
              return false
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或把 Excel 文件拖到这里</p>
            <p className="ant-upload-hint">支持 .xlsx 和 .csv；旧版 .xls 请先在 Excel 或 WPS 中另存为 .xlsx</p>
          </Upload.Dragger>
        )
      case 1:
        return (
          info && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <span>工作表</span>
                <Select data-testid="excel-sheet" style={{ width: 200 }} value={info.sheet} options={info.sheets.map((s) => ({ value: s, label: s }))} onChange={(sheet) => void inspect({ sheet })} />
                <span>表头所在行</span>
                <Select
                  data-testid="excel-header-row"
                  style={{ width: 120 }}
                  value={info.headerRow}
                  options={info.topRows.map((r) => ({ value: r.row, label: `第${r.row}行` }))}
                  onChange={(headerRow) => void inspect({ sheet: info.sheet, headerRow })}
                />
                {info.headerDetected ? <Tag color="green">已按列名自动找到表头</Tag> : <Tag color="orange">没有认出表头，请选择表头所在行</Tag>}
              </Space>
              <Table
                size="small"
                pagination={false}
                scroll={{ x: true }}
                rowKey="row"
                dataSource={info.topRows}
                rowClassName={(r) => (r.row === info.headerRow ? 'ant-table-row-selected' : '')}
                columns={[
                  { title: '行', dataIndex: 'row', width: 50, fixed: 'left' },
                  ...Array.from({ length: Math.min(15, Math.max(0, ...info.topRows.map((r) => r.cells.length))) }, (_, i) => ({
                    title: String.fromCharCode(65 + i),
                    key: String(i),
                    render: (_: unknown, r: { cells: string[] }) => <span style={{ whiteSpace: 'nowrap' }}>{r.cells[i]}</span>,
                  })),
                ]}
              />
            </Space>
          )
        )
      case 2:
        return (
          info && (
            <Space direction="vertical" style={{ width: '100%' }}>
              {info.missing.length > 0 && <Alert type="warning" showIcon message={`必填的「${info.missing.join('」「')}」还没有对应的列`} />}
              {info.noVillageColumn && (
                <Alert
                  type="info"
                  showIcon
                  data-testid="village-for-all"
                  message={
                    <Space wrap>
                      <span>表格里没有“村（社区）”这一列{info.titleVillage ? `，标题写的是“${info.titleVillage}”` : ''}。所有行都算作：</span>
                      <Select
                        aria-label="所有行的村（社区）"
                        style={{ width: 180 }}
                        showSearch
                        allowClear
                        placeholder="请选择村（社区）"
                        value={village}
                        onChange={(v: string | undefined) => setVillage(v)}
                        options={villageNames.map((n) => ({ value: n, label: n }))}
                      />
                    </Space>
                  }
                />
              )}
              {info.absent && (
                <Alert
                  type="info"
                  showIcon
                  data-testid="absent-for-all"
                  message={
                    <Space wrap>
                      <span>
                        表格里没有“{info.absent.label}”这一列。{info.absent.when}的{info.absent.label}都算作：
                      </span>
                      <Radio.Group
                        aria-label={info.absent.label}
                        value={absentValue ?? info.absent.value}
                        onChange={(e) => setAbsentValue(e.target.value as string)}
                        options={info.absent.options}
                      />
                    </Space>
                  }
                />
              )}
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={info.fields}
                columns={[
                  { title: '台账字段', dataIndex: 'label', width: 180, render: (l: string, f) => (f.required ? <b>{l} *</b> : l) },
                  {
                    title: '表格中的列',
                    key: 'col',
                    render: (_: unknown, f) => (
                      <Select
                        data-testid={`map-${f.key}`}
                        style={{ width: 260 }}
                        value={mapping[f.key] ?? 0}
                        options={columnOptions}
                        onChange={(v: number) => setMapping({ ...mapping, [f.key]: v || null })}
                      />
                    ),
                  },
                ]}
              />
            </Space>
          )
        )
      case 3:
        return (
          info &&
          check && (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text>预览（前{info.preview.length}行，按导入后的样子显示）：</Typography.Text>
              <Table<PreviewRow>
                size="small"
                pagination={false}
                scroll={{ x: true, y: 220 }}
                rowKey="row"
                dataSource={info.preview}
                columns={[
                  { title: '行号', dataIndex: 'row', width: 60, fixed: 'left' },
                  ...info.fields
                    .filter((f) => mapping[f.key])
                    .map((f) => ({ title: f.label, key: f.key, render: (_: unknown, r: PreviewRow) => <span style={{ whiteSpace: 'nowrap' }}>{r.values[f.key]}</span> })),
                  {
                    title: '检查',
                    key: 'status',
                    fixed: 'right' as const,
                    width: 90,
                    render: (_: unknown, r: PreviewRow) =>
                      r.skipped ? <Tag>跳过</Tag> : r.errors.length ? <Tag color="red">有错误</Tag> : <Tag color="green">正确</Tag>,
                  },
                ]}
              />
              <Alert
                data-testid="excel-check-summary"
                type={check.rejectedRows ? 'error' : 'success'}
                showIcon
                message={`共 ${check.rows} 行：${wouldImport} 行可以导入，${check.rejectedRows} 行有错误${check.skipped ? `，${check.skipped} 行跳过` : ''}`}
                description={check.rejectedRows ? '默认全部正确才导入。可以改正表格后重新选择文件，或勾选下面的“只导入正确的行”，错误的行会另存为一个 Excel 文件供改正后再导入。' : undefined}
              />
              {check.rejected.length > 0 && (
                <Table data-testid="excel-errors" size="small" rowKey={(e) => `${e.row}-${e.column}-${e.message}`} dataSource={check.rejected} columns={errorColumns} pagination={{ pageSize: 8, size: 'small' }} />
              )}
              {check.warnings.length > 0 && (
                <Alert type="warning" message={check.warnings.slice(0, 10).map((w) => w.message).join('；') + (check.warnings.length > 10 ? ` 等${check.warnings.length}条` : '')} />
              )}
              {check.rejectedRows > 0 && (
                <Checkbox data-testid="excel-skip-bad" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)}>
                  只导入正确的行（{wouldImport} 行），错误的 {check.rejectedRows} 行另存为 Excel 文件
                </Checkbox>
              )}
            </Space>
          )
        )
      case 4:
        return (
          done && (
            <Result
              status={done.imported > 0 ? 'success' : 'warning'}
              title={done.imported > 0 ? `已导入 ${done.imported} 条${excelRegisterLabels[register].replace('台账', '')}记录` : '没有导入任何记录'}
              subTitle={done.rejectedRows ? `${done.rejectedRows} 行有错误未导入，请下载错误行改正后再导入。` : undefined}
              extra={
                <Space>
                  {done.errorsFileBase64 && (
                    <Button data-testid="excel-download-errors" onClick={() => downloadBase64(done.errorsFileName ?? '错误行.xlsx', done.errorsFileBase64!, XLSX_TYPE)}>
                      下载错误行
                    </Button>
                  )}
                  {done.batchId && (
                    <Button danger onClick={() => void undo()}>
                      撤销这次导入
                    </Button>
                  )}
                  <Button type="primary" onClick={onClose}>
                    完成
                  </Button>
                </Space>
              }
            />
          )
        )
    }
    return null
  }

  const footer = () => {
    if (step === 0 || step === 4) return null
    const back = <Button onClick={() => setStep(step - 1)}>上一步</Button>
    if (step === 1)
      return (
        <Space>
          {back}
          <Button type="primary" onClick={() => setStep(2)} disabled={busy}>
            下一步
          </Button>
        </Space>
      )
    if (step === 2)
      return (
        <Space>
          {back}
          <Button type="primary" onClick={() => void toPreview()} loading={busy}>
            预览并检查
          </Button>
        </Space>
      )
    return (
      <Space>
        {back}
        <Button type="primary" data-testid="excel-commit" onClick={() => void commit()} loading={busy} disabled={!check || wouldImport === 0 || (check.rejectedRows > 0 && !skipBad)}>
          {check?.rejectedRows && skipBad ? `导入正确的 ${wouldImport} 行` : `导入 ${wouldImport} 行`}
        </Button>
      </Space>
    )
  }

  return (
    <Modal title={`导入Excel — ${excelRegisterLabels[register]}`} open={open} onCancel={onClose} width={980} footer={footer()} destroyOnHidden maskClosable={false}>
      <Steps size="small" current={step} style={{ marginBottom: 16 }} items={[{ title: '选择文件' }, { title: '工作表与表头' }, { title: '列对应' }, { title: '预览与检查' }, { title: '完成' }]} />
      {progress !== null && <Progress data-testid="excel-progress" percent={progress} size="small" status="active" />}
      {body()}
      {info && step > 0 && step < 4 && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          文件：{info.fileName}
          {step >= 2 ? `\u3000工作表：${info.sheet}\u3000表头：第${info.headerRow}行` : ''}
          {step === 3 ? `\u3000对应：${Object.entries(mapping).filter(([, v]) => v).map(([k]) => fieldLabel(k)).join('、')}` : ''}
        </Typography.Text>
      )}
    </Modal>
  )
}
