import { useCallback, useEffect, useState } from 'react'
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd'
import type { ExportRecord, ExportResult, HandoffHistory } from '../../../../shared/handoff/schema'
import { ApiCallError, downloadBase64, invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { ImportPanel } from './ImportPanel'
import { PathPicker } from '../../components/PathPicker'
import { localTime } from '../../../../shared/localTime'

export function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

export const when = (iso: string | null | undefined) => (iso ? localTime(iso) : '—')

export async function download(packageId: string, toast: (m: string) => void): Promise<void> {
  try {
    const f = await invoke('package.download', { packageId })
    downloadBase64(f.fileName, f.base64)
  } catch (e) {
    toast(e instanceof ApiCallError ? e.message : '下载失败')
  }
}

export function ExportHistory({ rows, onDownload }: { rows: ExportRecord[]; onDownload: (id: string) => void }) {
  return (
    <Table<ExportRecord>
      size="small"
      rowKey="packageId"
      dataSource={rows}
      pagination={{ pageSize: 10 }}
      columns={[
        { title: '序号', dataIndex: 'seq', width: 60 },
        { title: '导出时间', width: 170, render: (_, r) => when(r.exportedAt) },
        { title: '类型', width: 90, render: (_, r) => (r.kind === 'standards' ? '创建标准' : r.full ? <Tag color="blue">全量</Tag> : '增量') },
        { title: '记录数', dataIndex: 'rows', align: 'right', width: 90 },
        { title: '大小', width: 90, render: (_, r) => size(r.bytes) },
        { title: '口令', width: 60, render: (_, r) => (r.encrypted ? '有' : '无') },
        { title: '文件', dataIndex: 'file', ellipsis: true },
        { title: '', width: 90, render: (_, r) => <Button size="small" onClick={() => onDownload(r.packageId)}>下载</Button> },
      ]}
    />
  )
}

interface ExportForm {
  dir: string
  full: boolean
  passphrase?: string
  confirm?: string
}

/** 数据报送 (township): export a package onto the USB stick; history of exports; county standards in. */
export function HandoffPage() {
  const { message } = App.useApp()
  const [form] = Form.useForm<ExportForm>()
  const [history, setHistory] = useState<HandoffHistory | null>(null)
  const [result, setResult] = useState<ExportResult | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    const h = await invoke('package.history', {})
    setHistory(h)
  }, [])
  useEffect(() => {
    void load()
  }, [load])

  const submit = async (v: ExportForm) => {
    setBusy(true)
    setResult(null)
    try {
      const r = await invoke('package.export', { dir: v.dir, full: v.full || undefined, ...(v.passphrase ? { passphrase: v.passphrase } : {}) })
      setResult(r)
      form.setFieldsValue({ passphrase: '', confirm: '', full: false })
      message.success('数据包已写入并校验')
      await load()
    } catch (e) {
      showApiError(form, e, message.error, ['dir', 'passphrase'])
    } finally {
      setBusy(false)
    }
  }

  const next = history?.next
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="报送数据包（U盘）">
        {next && (
          <Typography.Paragraph>
            下一个数据包：第 <b>{next.seq}</b> 号，
            {next.full ? '首次报送为全量（包含全部数据）' : `增量（自上次成功报送以来有 ${next.changedRows} 条新增、修改或删除）`}。
          </Typography.Paragraph>
        )}
        {history?.keyFingerprint && (
          <Typography.Paragraph type="secondary">
            本机签名指纹：<Typography.Text code>{history.keyFingerprint}</Typography.Text>
            （每个数据包都用本机的密钥签名，县里据此确认数据包来自本乡镇。更换电脑后县里会看到新指纹，请电话告诉县里核对。）
          </Typography.Paragraph>
        )}
        <Form form={form} onValuesChange={clearApiError(form)} layout="vertical" onFinish={submit} initialValues={{ full: false }} style={{ maxWidth: 640 }}>
          <Form.Item
            name="dir"
            label="保存到文件夹（U盘）"
            extra="数据包先写到本机临时文件，再拷到这里，并读回校验无误后才算报送成功。"
            rules={[{ required: true, message: '请选择保存数据包的U盘或文件夹' }]}
          >
            <PathPicker kind="folder" title="选择保存数据包的U盘或文件夹" />
          </Form.Item>
          <Form.Item name="full" valuePropName="checked">
            <Checkbox disabled={next?.full}>全量导出（包含全部数据；县里缺包或重新建库时使用）</Checkbox>
          </Form.Item>
          <Form.Item name="passphrase" label="口令（可选）" extra="设置口令后，数据包加密保存，县里导入时需要输入同一口令。口令不会保存在本机，请另行告知县里。">
            <Input.Password autoComplete="new-password" style={{ width: 300 }} />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入口令"
            dependencies={['passphrase']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, v) => (!getFieldValue('passphrase') || v === getFieldValue('passphrase') ? Promise.resolve() : Promise.reject(new Error('两次输入的口令不一致'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" style={{ width: 300 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            导出数据包
          </Button>
        </Form>
        {result && (
          <Alert
            style={{ marginTop: 16 }}
            type="success"
            showIcon
            message={`第 ${result.seq} 号数据包已写入并校验（${result.full ? '全量' : '增量'}，${result.rows} 条记录，${size(result.bytes)}）`}
            description={
              <Space direction="vertical">
                <Descriptions size="small" column={1} items={[{ key: 'f', label: '文件', children: result.file }]} />
                <Typography.Text type="secondary">{result.tables.map((t) => `${t.label} ${t.rows}`).join('，') || '自上次报送以来没有改动'}</Typography.Text>
                <Button onClick={() => void download(history?.exports.find((x) => x.seq === result.seq && x.kind === 'data')?.packageId ?? '', message.error)}>
                  另存一份（下载）
                </Button>
              </Space>
            }
          />
        )}
      </Card>
      <Card title="报送记录">
        <ExportHistory rows={(history?.exports ?? []).filter((x) => x.kind === 'data')} onDownload={(id) => void download(id, message.error)} />
      </Card>
      <Card title="导入县里下发的创建标准">
        <ImportPanel hint="县（区）下发的创建标准包（.pingan）导入后，按程序的标准集校验规则检查，通过后替换同编号的标准集。" onDone={() => void load()} />
      </Card>
    </Space>
  )
}
