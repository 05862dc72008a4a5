import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, type MessageBoxOptions } from 'electron'
import { join } from 'node:path'
import { privateUmask } from './fs/private'
import { useNativeBinding } from './db/sqlite'
import { classifyOpenError } from './db/openError'
import { ApiError } from '../shared/errors'
import { DAMAGE_WARNING, startGuarded, type Guarded } from './recovery/guarded'
import { fatalDialog, recoveryDialog, type DialogPort } from './recovery/dialog'
import { IPC_CHANNEL, isTrustedSender } from './shell/security'
import { nativeBindingFor, nativeProblem } from './shell/native'
import { dataDirFor, userDataDir } from './shell/paths'
import { bringToFront } from './shell/instance'
import { menuTemplate } from './shell/menu'
import { openDialogAsk, pickFromDialog } from './shell/pick'
import { createWindow } from './window'

/**
 * The desktop shell: thin on purpose, wiring only; what it decides lives in shell/* and recovery/*
 * and is tested in Node (tests/desktop/main.test.ts runs this file's bundle under a stand-in Electron).
 */
// before anything is written: files private to the clerk's account
privateUmask()
// before anything opens a database: Electron's build of better-sqlite3 (the default under Node)
useNativeBinding(
  nativeBindingFor({ electronVersion: process.versions.electron, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot: app.getAppPath() }),
)
// before 'ready' (Chromium's own files go there too); the single-instance lock is per userData
app.setPath('userData', userDataDir({ platform: process.platform, localAppData: process.env.LOCALAPPDATA, appData: app.getPath('appData') }))
app.enableSandbox()

let win: BrowserWindow | null = null
let core: Guarded | null = null
let dataDir = ''

function portFor(parent: BrowserWindow | null): DialogPort {
  return {
    ask: async (box) => {
      const options: MessageBoxOptions = { ...box, noLink: true }
      const r = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options)
      return r.response
    },
    copy: (text) => clipboard.writeText(text),
  }
}

function about(): void {
  void portFor(win).ask({
    type: 'info',
    title: '关于平安台账',
    message: `平安台账 ${app.getVersion()}`,
    detail: `乡镇综治办的平安创建台账、自查、文书与U盘报送。\n数据目录：${dataDir}`,
    buttons: ['确定'],
    defaultId: 0,
    cancelId: 0,
  })
}

/** The open database, once start-up (and any recovery dialog) is through; null when the program is quitting. */
async function openData(starting: Promise<Guarded>): Promise<Guarded | null> {
  const g = await starting
  core = g
  if (g.problem() && (await recoveryDialog(g, portFor(win))) === 'quit') {
    app.quit()
    return null
  }
  // the full integrity_check runs on a worker after start; damage found there is said at once
  void g.checked.then((state) => {
    if (state === 'failed')
      void portFor(win).ask({ type: 'warning', title: '数据库可能已损坏', message: DAMAGE_WARNING, buttons: ['知道了'], defaultId: 0, cancelId: 0 })
  })
  return g
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isPackaged: app.isPackaged, platform: process.platform, about })))
  // a module that will not load is the installation's fault: say so, and open no data folder at all
  const broken = nativeProblem()
  if (broken) {
    await fatalDialog(portFor(null), { title: '平安台账无法启动', message: broken.message, detail: broken.detail })
    app.exit(1)
    return
  }
  dataDir = dataDirFor(process.env, app.getPath('userData'))
  let starting: Promise<Guarded>
  try {
    starting = startGuarded(dataDir, { autoBackup: true, writer: true })
  } catch (e) {
    // another 平安台账 (browser mode, the CLI) holds the data folder, or it may not be used at all
    const busy = e instanceof ApiError && e.code === 'busy'
    const c = busy ? null : classifyOpenError(e, join(dataDir, 'pingan.db'))
    await fatalDialog(portFor(null), {
      title: busy ? '平安台账已在使用这个数据目录' : '平安台账无法打开数据目录',
      message: busy ? e.message : c!.message,
      detail: `${c ? `${c.detail}\n` : ''}数据目录：${dataDir}`,
    })
    app.quit()
    return
  }
  const { win: w, rendererFile } = createWindow(join(__dirname, '..'), { isPackaged: app.isPackaged, port: portFor, onGiveUp: () => app.quit() })
  win = w
  const ready = openData(starting)
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, event.sender.id, w.isDestroyed() ? null : w.webContents.id, rendererFile))
      return { ok: false, error: { code: 'forbidden', message: '拒绝：请求不是来自本程序的窗口' } }
    const g = await ready
    if (!g) return { ok: false, error: { code: 'forbidden', message: '平安台账正在退出。' } }
    // folders and files are picked in the system's own dialog; browser mode lists drives instead
    const ask = method === 'files.pick' ? openDialogAsk(input) : null
    if (ask) return { ok: true, data: pickFromDialog(await dialog.showOpenDialog(w, ask)) }
    return g.invoke(String(method), input)
  })
}

if (!app.requestSingleInstanceLock()) {
  // the first program gets 'second-instance' and comes to the front; this one touches nothing
  app.quit()
} else {
  app.on('second-instance', () => bringToFront(win))
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    core?.close()
    core = null
  })
  void app.whenReady().then(start)
}
