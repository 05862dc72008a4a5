import { isRecoverable, type RecoveryStatus } from '../../shared/recovery/schema'
import { backupReasonLabels } from '../../shared/backup/schema'
import type { Guarded } from './guarded'

/**
 * The desktop's start-up dialogs over a database that would not open: for a damaged file (or one
 * from a newer version) the same three ways out as the recovery screen; for anything else (another
 * program holds the file, no permission, a full disk…) the plain message, the error to copy, and
 * quit, with nothing touched. Written against a tiny port (show a message box, copy text) so it is
 * tested in Node; index.ts passes Electron's dialog and clipboard.
 */
export interface DialogPort {
  /** shows a modal message box and returns the index of the clicked button */
  ask: (box: { type: 'error' | 'warning' | 'info'; title: string; message: string; detail?: string; buttons: string[]; defaultId: number; cancelId: number }) => number | Promise<number>
  copy: (text: string) => void
}

export function errorReport(s: RecoveryStatus): string {
  return [`平安台账无法打开数据库`, `问题：${s.message}`, s.detail ? `详情：${s.detail}` : '', `数据库文件：${s.file}`, `时间：${new Date().toLocaleString('zh-CN')}`]
    .filter(Boolean)
    .join('\n')
}

function backupLine(s: RecoveryStatus): string {
  const b = s.latestBackup
  if (!b) return '没有可用的备份。'
  return `最近的可用备份：${new Date(b.at).toLocaleString('zh-CN')}（${backupReasonLabels[b.reason]}，共 ${b.records} 条记录）`
}

export interface FatalText {
  title: string
  message: string
  /** the real error, shown and copied as it is */
  detail: string
}

/** A start-up that cannot go on: the message, a button to copy the error, and 退出. Resolves when the clerk quits. */
export async function fatalDialog(port: DialogPort, t: FatalText): Promise<void> {
  for (;;) {
    const choice = await port.ask({ type: 'error', title: t.title, message: t.message, detail: t.detail, buttons: ['复制错误信息', '退出'], defaultId: 1, cancelId: 1 })
    if (choice !== 0) return
    port.copy([t.title, t.message, t.detail ? `详情：${t.detail}` : '', `时间：${new Date().toLocaleString('zh-CN')}`].filter(Boolean).join('\n'))
  }
}

/** Returns 'opened' once the database is usable again, or 'quit'. */
export async function recoveryDialog(g: Guarded, port: DialogPort): Promise<'opened' | 'quit'> {
  for (;;) {
    const r = await g.invoke('recovery.status', {})
    if (!r.ok) return 'quit'
    const s = r.data as RecoveryStatus
    if (!s.problem) return 'opened'
    if (!isRecoverable(s.problem)) {
      await fatalDialog(port, { title: '平安台账无法打开数据库', message: s.message, detail: `${s.detail ? `${s.detail}\n` : ''}数据库文件：${s.file}` })
      return 'quit'
    }
    const choice = await port.ask({
      type: 'error',
      title: '平安台账无法打开数据库',
      message: s.message,
      detail: `${backupLine(s)}\n\n数据库文件：${s.file}\n无论选择哪一项，原文件都会保留，不会删除。`,
      buttons: ['复制错误信息', s.latestBackup ? '恢复最近的备份' : '恢复最近的备份（没有可用备份）', '开始空白数据库…', '退出'],
      defaultId: s.latestBackup ? 1 : 0,
      cancelId: 3,
    })
    if (choice === 0) {
      port.copy(errorReport(s))
      continue
    }
    if (choice === 1) {
      const done = await g.invoke('recovery.restoreLatest', {})
      if (done.ok) return 'opened'
      await port.ask({ type: 'warning', title: '未能恢复', message: done.error.message, buttons: ['返回'], defaultId: 0, cancelId: 0 })
      continue
    }
    if (choice === 2) {
      const first = await port.ask({
        type: 'warning',
        title: '开始空白数据库',
        message: '将改用一个空白数据库，现有台账数据不会出现在程序里。',
        detail: `原数据库文件会改名保留在数据目录中，不会删除，可交给技术人员尝试修复。\n${backupLine(s)}`,
        buttons: ['取消', '继续'],
        defaultId: 0,
        cancelId: 0,
      })
      if (first !== 1) continue
      const second = await port.ask({
        type: 'warning',
        title: '再次确认',
        message: '确定开始空白数据库吗？',
        detail: '此后需要重新填写乡镇信息；原数据只能由技术人员从保留的文件或备份中找回。',
        buttons: ['取消', '确定开始空白数据库'],
        defaultId: 0,
        cancelId: 0,
      })
      if (second !== 1) continue
      const done = await g.invoke('recovery.startEmpty', { confirm: true })
      if (done.ok) return 'opened'
      await port.ask({ type: 'warning', title: '未能开始空白数据库', message: done.error.message, buttons: ['返回'], defaultId: 0, cancelId: 0 })
      continue
    }
    return 'quit'
  }
}
