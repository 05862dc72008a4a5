/**
 * The desktop window's guards, as plain functions over the few Electron shapes they need, so unit
 * tests import them without Electron. window.ts wires them to the real objects.
 */
export const APP_ORIGIN = 'app://pingan'

export interface WindowPrefs {
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  spellcheck: false
  preload: string
}

export function windowOptions(preload: string) {
  const webPreferences: WindowPrefs = {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload,
  }
  return { width: 1360, height: 860, minWidth: 1024, minHeight: 640, show: false, title: '平安台账', autoHideMenuBar: true, webPreferences }
}

/** The app's own pages: the packaged renderer (file:// inside the app folder) or the custom app:// origin. */
export function isAppUrl(url: string, rendererFile: string): boolean {
  try {
    const u = new URL(url)
    if (u.protocol === 'app:') return u.host === 'pingan'
    if (u.protocol === 'file:') return decodeURIComponent(u.pathname) === rendererFile.replace(/\\/g, '/').replace(/^(?=[A-Za-z]:)/, '/')
    return false
  } catch {
    return false
  }
}

/** will-navigate / will-redirect: nothing may take the window away from the app. */
export function guardNavigation(event: { preventDefault: () => void }, url: string, rendererFile: string): boolean {
  if (isAppUrl(url, rendererFile)) return true
  event.preventDefault()
  return false
}

/** setWindowOpenHandler: no new windows, ever (links to the outside are not part of an offline tool). */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' }
}

/** setPermissionRequestHandler / setPermissionCheckHandler: camera, geolocation, notifications… all refused. */
export function denyPermission(_webContents: unknown, _permission: string, callback?: (granted: boolean) => void): boolean {
  callback?.(false)
  return false
}

/** IPC is answered only for the main frame of our own window, loaded from our own page. */
export function isTrustedSender(
  frame: { url: string; parent: unknown } | null | undefined,
  senderId: number,
  ourWebContentsId: number | null,
  rendererFile: string,
): boolean {
  if (!frame || ourWebContentsId === null || senderId !== ourWebContentsId) return false
  if (frame.parent) return false
  return isAppUrl(frame.url, rendererFile)
}

export const IPC_CHANNEL = 'pingan:invoke'
