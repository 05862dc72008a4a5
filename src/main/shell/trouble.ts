/**
 * The window's page died (render-process-gone) or did not load (did-fail-load): tell the clerk in
 * Chinese and load it again, but only a few times in a row, so a page that keeps dying ends in a
 * message and a clean quit instead of an endless loop.
 */
export const MAX_RELOADS = 3
/** reloads this long apart are not "in a row" */
export const RELOAD_WINDOW_MS = 10 * 60 * 1000

export type Trouble = { kind: 'gone'; reason: string; exitCode?: number } | { kind: 'load'; code: number; description: string }

export interface TroubleAnswer {
  action: 'reload' | 'quit' | 'ignore'
  title: string
  message: string
  detail: string
  buttons: string[]
}

const goneReasons: Record<string, string> = {
  crashed: '页面进程崩溃',
  oom: '内存不足',
  killed: '页面进程被系统结束',
  'launch-failed': '页面进程无法启动',
  'integrity-failure': '程序文件校验失败',
  abnormal: '页面进程异常退出',
}

/** Keeps the times of recent reloads; `allow` says whether one more is within the bound. */
export function reloadBudget(max = MAX_RELOADS, windowMs = RELOAD_WINDOW_MS) {
  const times: number[] = []
  return {
    allow(now: number): boolean {
      while (times.length && now - times[0]! > windowMs) times.shift()
      if (times.length >= max) return false
      times.push(now)
      return true
    },
  }
}

export function troubleText(t: Trouble): string {
  if (t.kind === 'gone') return `${goneReasons[t.reason] ?? '页面进程退出'}（${t.reason}${t.exitCode !== undefined ? `，代码 ${t.exitCode}` : ''}）`
  return `页面载入失败（${t.description || '未知错误'}，代码 ${t.code}）`
}

/** What to do about one incident; `allow` (reloadBudget's) is asked only when a reload is due. */
export function answerTrouble(t: Trouble, allow: () => boolean): TroubleAnswer {
  // a clean exit is the window closing; -3 (ERR_ABORTED) is a navigation we refused ourselves
  if ((t.kind === 'gone' && t.reason === 'clean-exit') || (t.kind === 'load' && t.code === -3))
    return { action: 'ignore', title: '', message: '', detail: '', buttons: [] }
  const what = troubleText(t)
  if (allow())
    return {
      action: 'reload',
      title: '平安台账',
      message: `窗口出现问题：${what}，将重新载入。`,
      detail: '已保存的数据不受影响；正在填写、尚未保存的内容可能需要重新填写。',
      buttons: ['重新载入'],
    }
  return {
    action: 'quit',
    title: '平安台账',
    message: `窗口反复出现问题（${what}），已停止自动重新载入。`,
    detail: '已保存的数据不受影响。请关闭后重新启动平安台账；如果仍然出错，请复制错误信息交给技术人员。',
    buttons: ['复制错误信息', '退出'],
  }
}
