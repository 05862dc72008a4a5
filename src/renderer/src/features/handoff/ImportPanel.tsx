import { useState } from 'react'
import { Alert, App, Button, Checkbox, Descriptions, Input, Space, Table, Tag, Typography, Upload } from 'antd'
import { InboxOutlined } from '@ant-design/icons'
import type { UploadFile } from 'antd'
import type { ImportReport, PackageItem, RekeyInfo, TableCounts } from '../../../../shared/handoff/schema'
import { packageStatusLabels } from '../../../../shared/handoff/schema'
import { ApiCallError, invoke } from '../../api'
import { localTime } from '../../../../shared/localTime'

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''))
    r.onerror = () => reject(new Error('读取文件失败'))
    r.readAsDataURL(file)
  })
}

const statusColor: Record<PackageItem['status'], string> = { ready: 'blue', imported: 'green', already_imported: 'default', refused: 'red' }

export function PackageTable({ report }: { report: ImportReport }) {
  return (
    <Table<PackageItem>
      size="small"
      rowKey={(p) => p.file}
      pagination={false}
      dataSource={report.packages}
      columns={[
        { title: '文件', dataIndex: 'fileName', ellipsis: true },
        { title: '乡镇（街道）', render: (_, p) => (p.townshipName ? `${p.townshipName}（${p.township}）` : '—') },
        { title: '序号', dataIndex: 'seq', width: 60 },
        { title: '类型', width: 80, render: (_, p) => (p.kind === 'standards' ? '创建标准' : p.full === undefined ? '—' : p.full ? '全量' : '增量') },
        { title: '导出时间', width: 170, render: (_, p) => (p.createdAt ? localTime(p.createdAt) : '—') },
        {
          title: '状态',
          render: (_, p) => (
            <Space direction="vertical" size={0}>
              <Tag color={statusColor[p.status]}>{packageStatusLabels[p.status]}</Tag>
              {p.reason && <Typography.Text type="danger">{p.reason}</Typography.Text>}
              {p.problems.map((x) => (
                <Typography.Text key={x} type="warning">
                  {x}
                </Typography.Text>
              ))}
            </Space>
          ),
        },
      ]}
    />
  )
}

/** Rows per register and what importing them does; `rowsOnly`: a quick preview, which counts nothing else. */
export function CountsTable({ rows, rowsOnly = false }: { rows: TableCounts[]; rowsOnly?: boolean }) {
  return (
    <Table<TableCounts>
      size="small"
      rowKey="table"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '台账', dataIndex: 'label' },
        { title: '包内行数', dataIndex: 'rows', align: 'right' },
        ...(rowsOnly
          ? []
          : [
              { title: '新增', dataIndex: 'new', align: 'right' as const },
              { title: '修改', dataIndex: 'changed', align: 'right' as const },
              { title: '删除', dataIndex: 'deleted', align: 'right' as const },
              { title: '已有（不变）', dataIndex: 'unchanged', align: 'right' as const },
            ]),
      ]}
    />
  )
}

/**
 * A sender whose packages are now signed by another key: the clerk compares the fingerprints with the
 * township on the phone and confirms its new PC before the import (the confirmation is audited).
 */
export function RekeyWarning({ rekeys, confirmed, onConfirm }: { rekeys: RekeyInfo[]; confirmed: boolean; onConfirm: (v: boolean) => void }) {
  return (
    <Alert
      type="warning"
      showIcon
      message="签名密钥与县里登记的不同"
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            下列乡镇（街道）这次的数据包用新的签名密钥签名。乡镇更换电脑或重装平安台账后会这样；否则数据包可能是伪造的。请先打电话请乡镇在“数据报送”页面念出本机签名指纹，与下面的“新指纹”核对一致后再确认。
          </Typography.Text>
          {rekeys.map((r) => (
            <Descriptions
              key={r.township}
              size="small"
              bordered
              column={1}
              title={`${r.townshipName}（${r.township}）`}
              items={[
                { key: 'old', label: '县里登记的指纹', children: <Typography.Text code>{r.oldKeyFingerprint}</Typography.Text> },
                { key: 'new', label: '新指纹', children: <Typography.Text code>{r.newKeyFingerprint}</Typography.Text> },
              ]}
            />
          ))}
          <Checkbox checked={confirmed} onChange={(e) => onConfirm(e.target.checked)}>
            确认该乡镇已更换电脑（重新登记密钥）
          </Checkbox>
        </Space>
      }
    />
  )
}

/**
 * Pick package files (by path on this computer, or by upload in the browser), preview what importing
 * them would do, then commit — all or nothing.
 */
export function ImportPanel({ onDone, hint }: { onDone?: () => void; hint: string }) {
  const { message } = App.useApp()
  const [paths, setPaths] = useState('')
  const [files, setFiles] = useState<UploadFile[]>([])
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null)
  const [report, setReport] = useState<ImportReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [rekeyConfirmed, setRekeyConfirmed] = useState(false)

  const input = async () => {
    const list = paths
      .split(/\r?\n/)
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
      .filter(Boolean)
    const uploads = await Promise.all(files.map(async (f) => ({ name: f.name, base64: await readBase64(f.originFileObj as File) })))
    return { ...(list.length ? { files: list } : {}), ...(uploads.length ? { uploads } : {}), ...(passphrase ? { passphrase } : {}) }
  }

  /** a new report: the confirmation was for the fingerprints on screen, so it is asked again */
  const show = (r: ImportReport | null) => {
    setReport(r)
    setRekeyConfirmed(false)
  }

  const run = async (kind: 'preview' | 'import') => {
    setBusy(kind)
    setError(null)
    // a new preview replaces the last report; an import keeps the preview it commits in view
    if (kind === 'preview') show(null)
    try {
      const confirm = kind === 'import' && rekeyConfirmed && (report?.rekeys.length ?? 0) > 0
      // a large batch is previewed quickly (files, signatures, keys) and checked row by row once, by the import
      const r = await invoke(kind === 'preview' ? 'package.preview' : 'package.import', {
        ...(await input()),
        ...(kind === 'preview' ? { quick: true } : {}),
        ...(confirm ? { confirmRekey: true } : {}),
      })
      show(r)
      if (kind === 'import') {
        message.success('导入完成')
        onDone?.()
      }
    } catch (e) {
      setError(e instanceof ApiCallError ? e.message : '操作失败')
      if (kind === 'import') show(null)
    } finally {
      setBusy(null)
    }
  }

  const needsRekey = !!report && !report.committed && report.rekeys.length > 0
  const canCommit =
    report && !report.committed && report.packages.some((p) => p.status === 'ready') && !report.packages.some((p) => p.status === 'refused') && (!needsRekey || rekeyConfirmed)

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {hint}
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="数据包文件路径"
        rows={3}
        placeholder={'数据包文件的完整路径，一行一个，例如：\nE:\\430103005_大托铺街道_20261120_0003.pingan'}
        value={paths}
        onChange={(e) => {
          setPaths(e.target.value)
          show(null)
        }}
      />
      <Upload.Dragger
        multiple
        accept=".pingan"
        fileList={files}
        beforeUpload={() => false}
        onChange={(info) => {
          setFiles(info.fileList)
          show(null)
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>或把数据包文件拖到这里（可以一次选多个）</p>
      </Upload.Dragger>
      <Space wrap>
        <Input.Password aria-label="口令" placeholder="口令（数据包设置了口令时填写）" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} style={{ width: 300 }} />
        <Button type="primary" loading={busy === 'preview'} disabled={busy !== null} onClick={() => void run('preview')}>
          预览
        </Button>
        <Button type="primary" danger={false} loading={busy === 'import'} disabled={!canCommit || busy !== null} onClick={() => void run('import')}>
          确认导入
        </Button>
      </Space>
      {busy && (
        <Alert
          type="info"
          showIcon
          message={busy === 'preview' ? '正在核对数据包…' : '正在导入…'}
          description="数据包较大时（如含上百万条记录）需要十几秒，请稍候，不要拔出U盘。"
        />
      )}
      {error && <Alert type="error" showIcon message="未导入，数据未作任何改动" description={error} />}
      {report && (
        <>
          {report.committed ? (
            <Alert type="success" showIcon message="已导入" description={`导入 ${report.packages.filter((p) => p.status === 'imported').length} 个数据包`} />
          ) : (
            <Alert
              type={report.packages.some((p) => p.status === 'refused') ? 'warning' : 'info'}
              showIcon
              message={report.quick ? '预览：以下是数据包中的内容，数据尚未改动' : '预览：以下是导入后会发生的变化，数据尚未改动'}
              description={
                report.packages.some((p) => p.status === 'refused')
                  ? '有文件被拒绝，请移除这些文件（或换正确的文件、口令）后再预览。'
                  : report.packages.some((p) => p.status === 'ready')
                    ? needsRekey
                      ? '有乡镇的签名密钥变了：核对指纹并勾选下面的确认后，才能点击“确认导入”。'
                      : '确认无误后点击“确认导入”。'
                    : '这些数据包都已导入过，无需再次导入。'
              }
            />
          )}
          {report.quick && (
            <Alert
              type="info"
              showIcon
              message={`数据包较大（共 ${report.totals.reduce((n, t) => n + t.rows, 0).toLocaleString('zh-CN')} 条记录），为免等待两次，预览只核对了文件、签名和口令`}
              description="逐条核对记录并合并在点击“确认导入”后一次完成（百万条记录约需十几秒）；如有不符合填写规则的记录，整批不导入，数据不变。导入完成后显示新增、修改、删除的条数。"
            />
          )}
          {needsRekey && <RekeyWarning rekeys={report.rekeys} confirmed={rekeyConfirmed} onConfirm={setRekeyConfirmed} />}
          <PackageTable report={report} />
          {report.totals.length > 0 && <CountsTable rows={report.totals} rowsOnly={report.quick === true} />}
          {report.problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message="需要注意"
              description={
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {report.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              }
            />
          )}
          {report.duplicates.length > 0 && (
            <Table
              size="small"
              title={() => '身份证号在多个乡镇都有登记（供核查，未合并）'}
              rowKey="idNumber"
              pagination={{ pageSize: 20 }}
              dataSource={report.duplicates}
              columns={[
                { title: '身份证号', dataIndex: 'idNumber', width: 200 },
                {
                  title: '登记情况',
                  render: (_, d) => d.entries.map((e) => `${e.townshipName}·${e.label}·${e.name}`).join('；'),
                },
              ]}
            />
          )}
        </>
      )}
    </Space>
  )
}
