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
  /** only in development: a packaged program has no DevTools (app.isPackaged) */
  devTools: boolean
  preload: string
}

/** The page's background while it loads, the same as the program's (no white flash). */
export const BACKGROUND = '#f5f6f8'

export function windowOptions(preload: string, options: { devTools?: boolean } = {}) {
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
    devTools: options.devTools === true,
    preload,
  }
  // shown at once (index.html carries a static 正在打开平安台账…) rather than after the bundle has loaded
  return { width: 1360, height: 860, minWidth: 1024, minHeight: 640, show: true, backgroundColor: BACKGROUND, title: '平安台账', autoHideMenuBar: true, webPreferences }
}

/** before-input-event: F12, Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C open DevTools; refused in a packaged build. */
export function isDevToolsShortcut(input: { type?: string; key?: string; control?: boolean; meta?: boolean; shift?: boolean; alt?: boolean }): boolean {
  if (input.type && input.type !== 'keyDown') return false
  const key = (input.key ?? '').toUpperCase()
  if (key === 'F12') return true
  if (!['I', 'J', 'C'].includes(key)) return false
  return (!!input.control && !!input.shift) || (!!input.meta && !!input.alt)
}

/**
 * The file's path as segments, from a file: URL's path: each segment percent-decoded (an install path
 * may hold spaces, '%', '#', Chinese characters, which the URL carries encoded). Null when a segment
 * does not decode or decodes to a separator (an encoded '/' must not stand for a folder boundary).
 */
function urlSegments(pathname: string): string[] | null {
  const out: string[] = []
  for (const raw of pathname.split('/').slice(1)) {
    let seg: string
    try {
      seg = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (/[/\\]/.test(seg) || seg === '.' || seg === '..') return null
    out.push(seg)
  }
  return out
}

/** A Windows path (C:\… or C:/…) or a POSIX one, as segments; the drive letter in lower case. */
function pathSegments(file: string): string[] {
  const windows = /^[A-Za-z]:[\\/]/.test(file)
  const segs = windows ? file.split(/[\\/]/) : file.split('/').slice(1)
  if (windows) segs[0] = segs[0]!.toLowerCase()
  return segs
}

/** The app's own pages: the packaged renderer (file:// inside the app folder) or the custom app:// origin. */
export function isAppUrl(url: string, rendererFile: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol === 'app:') return u.host === 'pingan'
  if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return false
  const got = urlSegments(u.pathname)
  if (!got) return false
  // file:///c:/… and file:///C:/… are the same file; Windows drive letters carry no case
  if (got.length && /^[A-Za-z]:$/.test(got[0]!)) got[0] = got[0]!.toLowerCase()
  const want = pathSegments(rendererFile)
  return got.length === want.length && got.every((s, i) => s === want[i])
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
