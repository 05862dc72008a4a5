import { BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import { denyPermission, denyWindowOpen, guardNavigation, isDevToolsShortcut, windowOptions } from './shell/security'
import { answerTrouble, reloadBudget, type Trouble } from './shell/trouble'
import { fatalDialog, type DialogPort } from './recovery/dialog'

export interface WindowOptions {
  isPackaged: boolean
  /** message boxes over this window (index.ts: Electron's dialog and clipboard) */
  port: (win: BrowserWindow) => DialogPort
  /** the page keeps dying: the clerk was told, the program ends */
  onGiveUp: () => void
}

/** The one window, with every guard of DESIGN §7 attached before anything loads. */
export function createWindow(outDir: string, o: WindowOptions): { win: BrowserWindow; rendererFile: string } {
  const rendererFile = join(outDir, 'renderer', 'index.html')
  const win = new BrowserWindow(windowOptions(join(outDir, 'preload', 'index.cjs'), { devTools: !o.isPackaged }))
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((wc, permission, callback) => denyPermission(wc, permission, callback))
  ses.setPermissionCheckHandler(() => false)
  const wc = win.webContents
  wc.setWindowOpenHandler(denyWindowOpen)
  wc.on('will-navigate', (e, url) => guardNavigation(e, url, rendererFile))
  wc.on('will-redirect', (e, url) => guardNavigation(e, url, rendererFile))
  wc.on('will-attach-webview', (e) => e.preventDefault())
  if (o.isPackaged) wc.on('before-input-event', (e, input) => isDevToolsShortcut(input) && e.preventDefault())

  const budget = reloadBudget()
  let asking = false
  const onTrouble = async (t: Trouble) => {
    if (asking || win.isDestroyed()) return
    const a = answerTrouble(t, () => budget.allow(Date.now()))
    if (a.action === 'ignore') return
    asking = true
    try {
      const port = o.port(win)
      if (a.action === 'quit') {
        await fatalDialog(port, { title: a.title, message: a.message, detail: a.detail })
        o.onGiveUp()
        return
      }
      await port.ask({ type: 'warning', title: a.title, message: a.message, detail: a.detail, buttons: a.buttons, defaultId: 0, cancelId: 0 })
      // the app's own page, never whatever URL failed
      if (!win.isDestroyed()) void win.loadFile(rendererFile)
    } finally {
      asking = false
    }
  }
  wc.on('render-process-gone', (_e, d) => void onTrouble({ kind: 'gone', reason: d.reason, exitCode: d.exitCode }))
  wc.on('did-fail-load', (_e, code, description, _url, isMainFrame) => {
    if (isMainFrame) void onTrouble({ kind: 'load', code, description })
  })
  void win.loadFile(rendererFile)
  return { win, rendererFile }
}
