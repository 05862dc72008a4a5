import { useState } from 'react'
import { App, Button, Card, Collapse, Result, Space, Typography } from 'antd'
import { CopyOutlined, HistoryOutlined } from '@ant-design/icons'
import { isRecoverable, type RecoveryStatus } from '../../../../shared/recovery/schema'
import { backupReasonLabels } from '../../../../shared/backup/schema'
import { invoke } from '../../api'
import { formatTime } from '../backup/format'
import { localTime } from '../../../../shared/localTime'

const problemTitles: Record<NonNullable<RecoveryStatus['problem']>, string> = {
  corrupt: '数据库文件已损坏',
  unreadable: '数据库文件无法打开',
  newer: '数据库来自更新版本的平安台账',
  native: '程序文件不完整或与本机不兼容',
  locked: '数据库正被别的程序占用',
  permission: '没有读写数据文件夹的权限',
  disk_full: '磁盘空间不足',
}

function report(s: RecoveryStatus): string {
  return [`平安台账无法打开数据库`, `问题：${s.message}`, s.detail ? `详情：${s.detail}` : '', `数据库文件：${s.file}`, `时间：${localTime(new Date().toISOString(), { seconds: true })}`]
    .filter(Boolean)
    .join('\n')
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    const t = document.createElement('textarea')
    t.value = text
    document.body.appendChild(t)
    t.select()
    document.execCommand('copy')
    t.remove()
  }
}

/**
 * Shown instead of the program when the database would not open. For a damaged file (or one from a
 * newer version): copy the error, restore the newest good backup, or (hidden behind 其他处理方式 and
 * two confirmations) start an empty database; the broken file is always kept. For anything else (the
 * file is held by another program, no permission, a full disk, the program's own files broken) only
 * the plain message and the error to copy: moving the file aside would not help and nothing is touched.
 */
export function RecoveryScreen({ status, onDone }: { status: RecoveryStatus; onDone: () => void }) {
  if (!isRecoverable(status.problem)) return <PlainProblem status={status} />
  return <Recover status={status} onDone={onDone} />
}

function CopyButton({ status }: { status: RecoveryStatus }) {
  const { message } = App.useApp()
  return (
    <Button
      icon={<CopyOutlined />}
      onClick={() => {
        void copyText(report(status)).then(() => message.success('错误信息已复制，可粘贴给技术人员'))
      }}
    >
      复制错误信息
    </Button>
  )
}

function Details({ status }: { status: RecoveryStatus }) {
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'detail',
          label: '详细信息',
          children: <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, margin: 0 }}>{report(status)}</pre>,
        },
      ]}
    />
  )
}

function PlainProblem({ status }: { status: RecoveryStatus }) {
  return (
    <div style={{ maxWidth: 760, margin: '40px auto', padding: 16 }}>
      <Card>
        <Result
          status="warning"
          title={status.problem ? problemTitles[status.problem] : '数据库无法打开'}
          subTitle={status.message}
          extra={
            <Space direction="vertical" size={12} style={{ width: '100%' }}>
              <CopyButton status={status} />
              <Typography.Text type="secondary">处理好上面的问题后，请关闭并重新启动平安台账。</Typography.Text>
            </Space>
          }
        />
        <Details status={status} />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
          数据库文件没有被改动。数据库文件：{status.file}
        </Typography.Paragraph>
      </Card>
    </div>
  )
}

function Recover({ status, onDone }: { status: RecoveryStatus; onDone: () => void }) {
  const { message, modal } = App.useApp()
  const [busy, setBusy] = useState(false)
  const [more, setMore] = useState(false)
  const b = status.latestBackup

  const restore = async () => {
    setBusy(true)
    try {
      const r = await invoke('recovery.restoreLatest', {})
      modal.success({ title: '已恢复最近的备份', content: `原数据库文件已改名保留：${r.keptAs}`, onOk: onDone })
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  const startEmpty = () => {
    modal.confirm({
      title: '开始空白数据库？',
      content: '程序将改用一个空白数据库，现有台账不会出现在程序里。原数据库文件会改名保留在数据目录中，不会删除。',
      okText: '继续',
      cancelText: '取消',
      okButtonProps: { danger: true },
      onOk: () =>
        modal.confirm({
          title: '再次确认',
          content: '确定开始空白数据库吗？此后需要重新填写乡镇信息；原数据只能由技术人员从保留的文件或备份中找回。',
          okText: '确定开始空白数据库',
          cancelText: '取消',
          okButtonProps: { danger: true },
          onOk: async () => {
            try {
              const r = await invoke('recovery.startEmpty', { confirm: true })
              modal.info({ title: '已开始空白数据库', content: `原数据库文件已改名保留：${r.keptAs}`, onOk: onDone })
            } catch (e) {
              message.error(e instanceof Error ? e.message : String(e))
            }
          },
        }),
    })
  }

  return (
    <div style={{ maxWidth: 760, margin: '40px auto', padding: 16 }}>
      <Card>
        <Result
          status="error"
          title={status.problem ? problemTitles[status.problem] : '数据库无法打开'}
          subTitle={status.message}
          extra={
            <Space direction="vertical" size={12} style={{ width: '100%' }}>
              <Space wrap style={{ justifyContent: 'center' }}>
                <CopyButton status={status} />
                <Button type="primary" icon={<HistoryOutlined />} disabled={!b} loading={busy} onClick={() => void restore()}>
                  恢复最近的备份
                </Button>
              </Space>
              <Typography.Text type="secondary">
                {b ? `最近的可用备份：${formatTime(b.at)}（${backupReasonLabels[b.reason]}，共 ${b.records} 条记录）` : '没有找到可用的备份。'}
              </Typography.Text>
            </Space>
          }
        />
        <Details status={status} />
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          {more ? (
            <Button danger size="small" onClick={startEmpty}>
              开始空白数据库（保留原文件）
            </Button>
          ) : (
            <Button type="link" size="small" onClick={() => setMore(true)}>
              其他处理方式…
            </Button>
          )}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
          无论选择哪种方式，原数据库文件都会保留，不会删除。数据库文件：{status.file}
        </Typography.Paragraph>
      </Card>
    </div>
  )
}
