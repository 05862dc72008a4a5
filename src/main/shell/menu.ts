/**
 * The application menu, in Chinese. It keeps the 编辑 roles so Ctrl+C/Ctrl+V/Ctrl+Z work in every
 * field, and has no reload or DevTools entries in a packaged build (their default accelerators would
 * otherwise reach the clerk: Ctrl+R loses what is being typed, Ctrl+Shift+I opens DevTools).
 * Plain data shaped like Electron's MenuItemConstructorOptions, so it is tested without Electron.
 */
export type MenuRole = 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'reload' | 'toggleDevTools' | 'quit' | 'windowMenu'

export interface MenuItemSpec {
  label?: string
  role?: MenuRole
  type?: 'separator'
  accelerator?: string
  submenu?: MenuItemSpec[]
  click?: () => void
}

export interface MenuOptions {
  isPackaged: boolean
  platform: NodeJS.Platform
  /** 帮助 → 关于平安台账 */
  about: () => void
}

const sep: MenuItemSpec = { type: 'separator' }

export function menuTemplate(o: MenuOptions): MenuItemSpec[] {
  const edit: MenuItemSpec = {
    label: '编辑',
    submenu: [
      { label: '撤销', role: 'undo' },
      { label: '重做', role: 'redo' },
      sep,
      { label: '剪切', role: 'cut' },
      { label: '复制', role: 'copy' },
      { label: '粘贴', role: 'paste' },
      { label: '全选', role: 'selectAll' },
    ],
  }
  const view: MenuItemSpec = {
    label: '视图',
    submenu: [
      { label: '实际大小', role: 'resetZoom' },
      { label: '放大', role: 'zoomIn' },
      { label: '缩小', role: 'zoomOut' },
      sep,
      { label: '全屏', role: 'togglefullscreen' },
      ...(o.isPackaged ? [] : [sep, { label: '重新载入（开发）', role: 'reload' as const }, { label: '开发者工具（开发）', role: 'toggleDevTools' as const }]),
    ],
  }
  const help: MenuItemSpec = { label: '帮助', submenu: [{ label: '关于平安台账', click: o.about }] }
  const quit: MenuItemSpec = { label: '退出平安台账', role: 'quit' }
  if (o.platform === 'darwin') return [{ label: '平安台账', submenu: [{ label: '关于平安台账', click: o.about }, sep, quit] }, edit, view, { label: '窗口', role: 'windowMenu' }]
  return [{ label: '文件', submenu: [quit] }, edit, view, help]
}
