import { BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import { denyPermission, denyWindowOpen, guardNavigation, windowOptions } from './shell/security'

/** The one window, with every guard of DESIGN §7 attached before anything loads. */
export function createWindow(outDir: string): { win: BrowserWindow; rendererFile: string } {
  const rendererFile = join(outDir, 'renderer', 'index.html')
  const win = new BrowserWindow(windowOptions(join(outDir, 'preload', 'index.cjs')))
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((wc, permission, callback) => denyPermission(wc, permission, callback))
  ses.setPermissionCheckHandler(() => false)
  win.webContents.setWindowOpenHandler(denyWindowOpen)
  win.webContents.on('will-navigate', (e, url) => guardNavigation(e, url, rendererFile))
  win.webContents.on('will-redirect', (e, url) => guardNavigation(e, url, rendererFile))
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  win.once('ready-to-show', () => win.show())
  void win.loadFile(rendererFile)
  return { win, rendererFile }
}
