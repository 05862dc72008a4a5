import { useCallback, useEffect, useState } from 'react'
import { App, Button, Card, Form, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { CloudDownloadOutlined, DeleteOutlined, SaveOutlined, UsbOutlined, UndoOutlined } from '@ant-design/icons'
import { backupReasonLabels, deletableReasons, type BackupInfo, type RestoreResult } from '../../../../shared/backup/schema'
import { invoke } from '../../api'
import { showApiError, clearApiError } from '../../components/apiForm'
import { countsText, formatBytes, formatTime, timeOfBackup } from './format'
import { PathPicker } from '../../components/PathPicker'

/**
 * 备份恢复: the automatic and manual backups with their time and row counts; restoring one first keeps
 * the current data as a backup, so every restore can be undone. 备份到U盘 writes a checked copy to a folder.
 */
export function BackupPage() {
  const { message, notification, modal } = App.useApp()
  const [list, setList] = useState<BackupInfo[] | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [exportOpen, setExportOpen] = useState(false)
  const [fileOpen, setFileOpen] = useState(false)
  const [exportForm] = Form.useForm<{ dir: string }>()
  const [fileForm] = Form.useForm<{ file: string }>()

  const load = useCallback(() => {
    invoke('backups.list', {})
      .then(setList)
      .catch((e: Error) => message.error(e.message))
  }, [message])
  useEffect(load, [load])

  const afterRestore = (r: RestoreResult, from?: string) => {
    load()
    const key = `restored-${Date.now()}`
    notification.success({
      key,
      message: '已恢复',
      description: `数据已恢复到 ${from ?? timeOfBackup(r.restored, list)} 的备份（${countsText(r.counts)}）。恢复前的数据已另存为备份，如需撤销，点“撤销恢复”。`,
      duration: 0,
      placement: 'bottomRight',
      btn: (
        <Button
          size="small"
          icon={<UndoOutlined />}
          onClick={() => {
            notification.destroy(key)
            void invoke('backups.restore', { name: r.undoBackup })
              .then(() => {
                message.success('已撤销恢复，数据回到恢复之前')
                load()
              })
              .catch((e: Error) => message.error(e.message))
          }}
        >
          撤销恢复
        </Button>
      ),
    })
  }

  const create = async () => {
    setBusy('create')
    try {
      const b = await invoke('backups.create', {})
      message.success(`已备份并校验通过：${formatTime(b.at)}，共 ${b.records} 条记录`)
      load()
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }

  const restore = async (b: BackupInfo) => {
    setBusy(b.name)
    try {
      afterRestore(await invoke('backups.restore', { name: b.name }), formatTime(b.at))
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }

  const remove = async (b: BackupInfo) => {
    setBusy(`delete:${b.name}`)
    try {
      await invoke('backups.delete', { name: b.name })
      message.success(`已删除 ${formatTime(b.at)} 的备份`)
      load()
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(null)
    }
  }

  const exportTo = async ({ dir }: { dir: string }) => {
    setBusy('export')
    try {
      const r = await invoke('backups.exportTo', { dir })
      setExportOpen(false)
      modal.success({
        title: '已备份到U盘/文件夹，并已校验',
        content: (
          <div>
            <p>
              {formatTime(new Date().toISOString())} 的数据已备份到 {dir}
            </p>
            <p>
              大小 {formatBytes(r.bytes)}；{countsText(r.counts)}
            </p>
            <p>完整性检查通过，行数与当前数据库一致。</p>
          </div>
        ),
      })
    } catch (e) {
      showApiError(exportForm, e, message.error, ['dir'])
    } finally {
      setBusy(null)
    }
  }

  const restoreFile = async ({ file }: { file: string }) => {
    setBusy('file')
    try {
      const r = await invoke('backups.restoreFile', { file })
      setFileOpen(false)
      afterRestore(r, `U盘上 ${timeOfBackup(r.restored, null)}`)
    } catch (e) {
      showApiError(fileForm, e, message.error, ['file'])
    } finally {
      setBusy(null)
    }
  }

  // the list comes newest first
  const newestName = list?.[0]?.name
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            备份恢复
          </Typography.Title>
          <Button type="primary" icon={<SaveOutlined />} loading={busy === 'create'} onClick={() => void create()}>
            立即备份
          </Button>
          <Button icon={<UsbOutlined />} onClick={() => setExportOpen(true)}>
            备份到U盘/文件夹
          </Button>
          <Button icon={<CloudDownloadOutlined />} onClick={() => setFileOpen(true)}>
            从U盘备份文件恢复
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          程序在启动时、每次导入或恢复后、以及修改数据期间每30分钟自动备份；自动备份保留当天最近3份、之前30天每天1份，最多20份。手动备份和“恢复前的数据”一直保留，不需要时可以删除。每份备份都经过完整性检查。恢复前，当前数据会先另存为一份备份，可随时撤销。
        </Typography.Paragraph>
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<BackupInfo>
          rowKey="name"
          size="middle"
          loading={list === null}
          dataSource={list ?? []}
          pagination={false}
          locale={{ emptyText: '还没有备份。点击“立即备份”。' }}
          columns={[
            {
              title: '备份时间',
              dataIndex: 'at',
              width: 230,
              render: (v: string, b) => (
                <Space size={4}>
                  <span>{formatTime(v)}</span>
                  {b.name === newestName && (
                    <Tooltip title="最近的一份备份（每份备份都经过完整性检查）">
                      <Tag color="green">最新</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: '类型',
              dataIndex: 'reason',
              width: 140,
              render: (r: BackupInfo['reason']) => <Tag color={r === 'before-restore' ? 'orange' : r === 'manual' ? 'blue' : undefined}>{backupReasonLabels[r]}</Tag>,
            },
            { title: '记录数', dataIndex: 'records', width: 100, align: 'right' },
            {
              title: '各台账行数',
              key: 'counts',
              render: (_: unknown, b) => (
                <Tooltip title={countsText(b.counts)}>
                  <span>{countsText(b.counts)}</span>
                </Tooltip>
              ),
              ellipsis: { showTitle: false },
            },
            { title: '大小', dataIndex: 'bytes', width: 100, render: (v: number) => formatBytes(v) },
            {
              title: '操作',
              key: 'actions',
              width: 160,
              render: (_: unknown, b) => (
                <Space size={4}>
                  <Popconfirm
                    title="恢复到这份备份？"
                    description={`数据将回到 ${formatTime(b.at)} 的状态。当前数据会先另存为一份备份，可以撤销。`}
                    okText="恢复"
                    cancelText="取消"
                    onConfirm={() => restore(b)}
                  >
                    <Button size="small" loading={busy === b.name}>
                      恢复
                    </Button>
                  </Popconfirm>
                  {deletableReasons.includes(b.reason) && (
                    <Popconfirm
                      title="确定删除这个备份？删除后不能恢复。"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => remove(b)}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} loading={busy === `delete:${b.name}`}>
                        删除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Modal title="备份到U盘/文件夹" open={exportOpen} okText="开始备份" cancelText="取消" confirmLoading={busy === 'export'} onOk={() => exportForm.submit()} onCancel={() => setExportOpen(false)} destroyOnHidden>
        <Form form={exportForm} onValuesChange={clearApiError(exportForm)} layout="vertical" onFinish={(v) => void exportTo(v)}>
          <Form.Item name="dir" label="备份到" rules={[{ required: true, message: '请选择U盘或文件夹' }]} extra="备份写入后会重新打开校验。">
            <PathPicker kind="folder" title="选择备份到哪个U盘或文件夹" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title="从U盘备份文件恢复" open={fileOpen} okText="恢复" cancelText="取消" confirmLoading={busy === 'file'} onOk={() => fileForm.submit()} onCancel={() => setFileOpen(false)} destroyOnHidden>
        <Form form={fileForm} onValuesChange={clearApiError(fileForm)} layout="vertical" onFinish={(v) => void restoreFile(v)}>
          <Form.Item name="file" label="备份文件" rules={[{ required: true, message: '请选择备份文件' }]} extra="备份文件的名字像“平安台账备份-大托铺街道-20260301-160000.db”。恢复前，当前数据会先另存为一份备份。">
            <PathPicker kind="file" extensions={['db']} title="选择U盘上的备份文件" placeholder="也可以直接填写备份文件的位置" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
