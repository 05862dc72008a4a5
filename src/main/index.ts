import { app, clipboard, dialog, ipcMain } from 'electron'
import { join } from 'node:path'
import { openGuarded, type Guarded } from './recovery/guarded'
import { recoveryDialog } from './recovery/dialog'
import { IPC_CHANNEL, isTrustedSender } from './shell/security'
import { createWindow } from './window'

/** The desktop shell: thin on purpose. Everything it does beyond wiring is tested in Node. */
let core: Guarded | null = null

app.enableSandbox()

void app.whenReady().then(async () => {
  const dataDir = process.env.PINGAN_DATA_DIR || join(app.getPath('userData'), 'data')
  core = openGuarded(dataDir, { autoBackup: true })
  if (core.problem()) {
    // corrupt, unreadable or newer database: copy the error, restore the newest backup, or start empty
    const outcome = await recoveryDialog(core, { ask: (box) => dialog.showMessageBoxSync({ ...box, noLink: true }), copy: (t) => clipboard.writeText(t) })
    if (outcome === 'quit') {
      app.quit()
      return
    }
  }
  const { win, rendererFile } = createWindow(join(__dirname, '..'))
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, event.sender.id, win.isDestroyed() ? null : win.webContents.id, rendererFile))
      return { ok: false, error: { code: 'forbidden', message: '拒绝：请求不是来自本程序的窗口' } }
    return core!.invoke(String(method), input)
  })
})

app.on('window-all-closed', () => {
  core?.close()
  app.quit()
})
