import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  denyPermission,
  denyWindowOpen,
  guardNavigation,
  IPC_CHANNEL,
  isAppUrl,
  isDevToolsShortcut,
  isTrustedSender,
  windowOptions,
} from '../../src/main/shell/security'
import { nativeBindingFor, nativeProblem } from '../../src/main/shell/native'
import { APP_FOLDER, dataDirFor, userDataDir } from '../../src/main/shell/paths'
import { answerTrouble, MAX_RELOADS, reloadBudget, RELOAD_WINDOW_MS } from '../../src/main/shell/trouble'
import { menuTemplate, type MenuItemSpec } from '../../src/main/shell/menu'
import { bringToFront } from '../../src/main/shell/instance'

/** Regression tests of the desktop window's guards (DESIGN §7): each one must keep refusing. */
const RENDERER = '/opt/pingan/resources/app/out/renderer/index.html'
const OWN = `file://${RENDERER}`

function navEvent() {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) }
  return e
}

describe('window options', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, no webview, web security on', () => {
    const o = windowOptions('/x/preload/index.cjs')
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/x/preload/index.cjs',
    })
    expect(o.webPreferences).not.toHaveProperty('enableRemoteModule')
    expect(o.webPreferences).not.toHaveProperty('experimentalFeatures')
  })

  it('has DevTools only when asked (development), and shows at once on the page background', () => {
    expect(windowOptions('/p').webPreferences.devTools).toBe(false)
    expect(windowOptions('/p', { devTools: true }).webPreferences.devTools).toBe(true)
    const o = windowOptions('/p')
    expect(o.show).toBe(true)
    expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i)
  })

  it.each([
    [{ type: 'keyDown', key: 'F12' }, true],
    [{ type: 'keyDown', key: 'I', control: true, shift: true }, true],
    [{ type: 'keyDown', key: 'j', control: true, shift: true }, true],
    [{ type: 'keyDown', key: 'C', control: true, shift: true }, true],
    [{ type: 'keyDown', key: 'i', meta: true, alt: true }, true],
    [{ type: 'keyDown', key: 'c', control: true }, false],
    [{ type: 'keyDown', key: 'v', control: true }, false],
    [{ type: 'keyDown', key: 'I', shift: true }, false],
    [{ type: 'keyUp', key: 'F12' }, false],
  ])('DevTools shortcut %j → %s', (input, blocked) => {
    expect(isDevToolsShortcut(input)).toBe(blocked)
  })
})

describe('navigation and redirects', () => {
  const foreign = [
    'https://example.com/',
    'http://127.0.0.1:5178/?token=abc',
    'file:///etc/passwd',
    `file://${RENDERER}.evil.html`,
    'file:///opt/pingan/resources/app/out/renderer/other.html',
    'app://evil/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'chrome://settings',
    'not a url',
    '',
  ]
  it.each(foreign)('refuses navigating or redirecting to %s', (url) => {
    const e = navEvent()
    expect(guardNavigation(e, url, RENDERER)).toBe(false)
    expect(e.prevented).toBe(true)
  })

  it('lets the app’s own page load (and only it)', () => {
    const e = navEvent()
    expect(guardNavigation(e, OWN, RENDERER)).toBe(true)
    expect(e.prevented).toBe(false)
    expect(isAppUrl('app://pingan/index.html', RENDERER)).toBe(true)
    expect(isAppUrl(`${OWN}#/members`, RENDERER)).toBe(true)
  })

  it('accepts a Windows install path for the own page but not a sibling file', () => {
    const win = 'C:\\Program Files\\平安台账\\resources\\app\\out\\renderer\\index.html'
    expect(isAppUrl('file:///C:/Program%20Files/%E5%B9%B3%E5%AE%89%E5%8F%B0%E8%B4%A6/resources/app/out/renderer/index.html', win)).toBe(true)
    expect(isAppUrl('file:///C:/Windows/System32/cmd.exe', win)).toBe(false)
  })

  // Chromium may spell the drive letter in either case; install paths hold whatever the clerk chose
  const winInstall = [
    'C:\\Program Files\\平安台账\\resources\\app.asar\\out\\renderer\\index.html',
    'D:\\软件\\100% 平安\\resources\\app.asar\\out\\renderer\\index.html',
    'E:\\工作#1\\平安 台账\\resources\\app.asar\\out\\renderer\\index.html',
    'C:\\Users\\李 明\\AppData\\Local\\Programs\\平安台账\\resources\\app.asar\\out\\renderer\\index.html',
  ]
  /** The file URL Chromium gives for a Windows path, with the drive letter as asked. */
  const winUrl = (path: string, drive: 'upper' | 'lower') => {
    const p = path.replace(/\\/g, '/')
    const d = drive === 'upper' ? p[0]!.toUpperCase() : p[0]!.toLowerCase()
    return new URL(`file:///${d}${p.slice(1).replace(/%/g, '%25').replace(/#/g, '%23')}`).href
  }
  it.each(winInstall)('accepts the own page under %s with either drive-letter case, and nothing beside it', (path) => {
    for (const drive of ['upper', 'lower'] as const) {
      const own = winUrl(path, drive)
      expect(isAppUrl(own, path)).toBe(true)
      expect(isAppUrl(`${own}#/members`, path)).toBe(true)
      expect(guardNavigation(navEvent(), own, path)).toBe(true)
      expect(isTrustedSender({ url: own, parent: null }, 7, 7, path)).toBe(true)
      expect(isAppUrl(own.replace('index.html', 'other.html'), path)).toBe(false)
      expect(isAppUrl(own.replace('/renderer/', '/renderer/x/'), path)).toBe(false)
    }
    // another drive is another file
    expect(isAppUrl(winUrl(path, 'upper').replace(/^file:\/\/\/[A-Z]/, 'file:///Z'), path)).toBe(false)
  })

  const posixInstall = ['/opt/平安 台账/resources/app.asar/out/renderer/index.html', '/home/li/100%/a#b/out/renderer/index.html', '/tmp/x %41/out/renderer/index.html']
  it.each(posixInstall)('accepts the own page under %s (via pathToFileURL) and nothing beside it', (path) => {
    const own = pathToFileURL(path).href
    expect(isAppUrl(own, path)).toBe(true)
    expect(isAppUrl(`${own}#/patrols`, path)).toBe(true)
    expect(isAppUrl(own.replace('index.html', 'index.htm'), path)).toBe(false)
  })

  it('does not throw on malformed escapes or encoded separators, and refuses them', () => {
    const path = '/opt/pingan/out/renderer/index.html'
    for (const url of ['file:///opt/pingan/out/renderer/%E0%A4%A', 'file:///opt/pingan/out/renderer%2Findex.html', 'file:///opt/pingan/out/renderer%5Cindex.html', 'file:///opt/%/out/renderer/index.html', 'file://evil.example/opt/pingan/out/renderer/index.html']) {
      expect(() => isAppUrl(url, path)).not.toThrow()
      expect(isAppUrl(url, path)).toBe(false)
    }
    expect(isAppUrl('file:///opt/x/../pingan/out/renderer/index.html', path)).toBe(true)
  })
})

describe('new windows and permissions', () => {
  it('denies every new window', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' })
  })

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'pointerLock', 'hid', 'serial', 'usb'])(
    'refuses the %s permission',
    (permission) => {
      const answers: boolean[] = []
      expect(denyPermission({}, permission, (granted) => answers.push(granted))).toBe(false)
      expect(answers).toEqual([false])
    },
  )
})

describe('IPC sender check', () => {
  const OURS = 7
  it('answers the main frame of our window on our page', () => {
    expect(isTrustedSender({ url: OWN, parent: null }, OURS, OURS, RENDERER)).toBe(true)
  })
  it('refuses a sub-frame, even one showing our page', () => {
    expect(isTrustedSender({ url: OWN, parent: {} }, OURS, OURS, RENDERER)).toBe(false)
  })
  it('refuses a frame that navigated to a foreign page', () => {
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, OURS, OURS, RENDERER)).toBe(false)
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, OURS, OURS, RENDERER)).toBe(false)
  })
  it('refuses another webContents, a destroyed window, and a missing frame', () => {
    expect(isTrustedSender({ url: OWN, parent: null }, 8, OURS, RENDERER)).toBe(false)
    expect(isTrustedSender({ url: OWN, parent: null }, OURS, null, RENDERER)).toBe(false)
    expect(isTrustedSender(null, OURS, OURS, RENDERER)).toBe(false)
    expect(isTrustedSender(undefined, OURS, OURS, RENDERER)).toBe(false)
  })
})

describe('preload', () => {
  const src = readFileSync(join(__dirname, '../../src/preload/index.ts'), 'utf8')
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')

  it('exposes exactly one object, window.pingan, with invoke and nothing else', () => {
    const exposures = [...code.matchAll(/exposeInMainWorld\(\s*'([^']+)'\s*,\s*\{([\s\S]*?)\}\s*\)/g)]
    expect(exposures).toHaveLength(1)
    expect(exposures[0]![1]).toBe('pingan')
    const keys = [...exposures[0]![2]!.matchAll(/^\s*([A-Za-z_$][\w$]*)\s*:/gm)].map((m) => m[1])
    expect(keys).toEqual(['invoke'])
    expect(code.match(/exposeInMainWorld/g)).toHaveLength(1)
  })

  it('invokes only the app’s channel, and hands out no ipcRenderer, Node module or Electron API', () => {
    expect(code).toContain(`ipcRenderer.invoke('${IPC_CHANNEL}'`)
    expect(code).not.toMatch(/ipcRenderer\.(send|on|once|sendSync|postMessage)\b/)
    expect(code).not.toMatch(/electronAPI|@electron-toolkit|require\(|process\.|webFrame|shell\b/)
    const imports = [...code.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1])
    expect(imports).toEqual(['electron'])
    // invoke passes the method name and input through; it does not take a channel from the page
    expect(code).toMatch(/invoke:\s*\(method: string, input: unknown\)\s*=>\s*ipcRenderer\.invoke\('pingan:invoke', method, input\)/)
  })
})

describe('native SQLite build', () => {
  const where = { isPackaged: false, resourcesPath: '/opt/pingan/resources', appRoot: '/home/dev/pingan' }
  it('uses better-sqlite3’s own build under Node', () => {
    expect(nativeBindingFor(where)).toBeUndefined()
    expect(nativeBindingFor({ ...where, isPackaged: true })).toBeUndefined()
  })
  it('in development under Electron: the build scripts/electron-native.mjs makes under the app root', () => {
    expect(nativeBindingFor({ ...where, electronVersion: '45.4.1', platform: 'linux' })).toBe('/home/dev/pingan/.electron-native/better-sqlite3/build/Release/better_sqlite3.node')
  })
  it('packaged: the build unpacked beside app.asar (Windows paths too)', () => {
    expect(nativeBindingFor({ ...where, electronVersion: '45.4.1', isPackaged: true, platform: 'linux' })).toBe(
      '/opt/pingan/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    )
    expect(
      nativeBindingFor({ electronVersion: '45.4.1', isPackaged: true, resourcesPath: 'C:\\Program Files\\平安台账\\resources', appRoot: 'C:\\Program Files\\平安台账\\resources\\app.asar', platform: 'win32' }),
    ).toBe('C:\\Program Files\\平安台账\\resources\\app.asar.unpacked\\node_modules\\better-sqlite3\\build\\Release\\better_sqlite3.node')
  })
  it('a module that does not load is reported as the installation’s problem, with the real error', () => {
    expect(nativeProblem()).toBeNull()
    const abi = Object.assign(new Error("The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127."), { code: 'ERR_DLOPEN_FAILED' })
    const p = nativeProblem(() => {
      throw abi
    })
    expect(p?.problem).toBe('native')
    expect(p?.message).toContain('程序文件不完整或与本机不兼容')
    expect(p?.detail).toContain('NODE_MODULE_VERSION 127')
  })
})

describe('where the desktop program keeps its files', () => {
  it('Windows: a fixed ASCII folder under %LOCALAPPDATA%', () => {
    expect(userDataDir({ platform: 'win32', localAppData: 'C:\\Users\\李明\\AppData\\Local', appData: 'C:\\Users\\李明\\AppData\\Roaming' })).toBe('C:\\Users\\李明\\AppData\\Local\\PinganLedger')
    // no LOCALAPPDATA (a stripped environment): still a fixed folder, under appData
    expect(userDataDir({ platform: 'win32', appData: 'C:\\Users\\li\\AppData\\Roaming' })).toBe('C:\\Users\\li\\AppData\\Roaming\\PinganLedger')
  })
  it('elsewhere under appData, ignoring LOCALAPPDATA', () => {
    expect(userDataDir({ platform: 'linux', localAppData: '/nope', appData: '/home/li/.config' })).toBe('/home/li/.config/PinganLedger')
    expect(userDataDir({ platform: 'darwin', appData: '/Users/li/Library/Application Support' })).toBe('/Users/li/Library/Application Support/PinganLedger')
    expect(APP_FOLDER).toMatch(/^[A-Za-z]+$/)
  })
  it('data in <userData>/data unless PINGAN_DATA_DIR says otherwise', () => {
    expect(dataDirFor({}, '/home/li/.config/PinganLedger', 'linux')).toBe('/home/li/.config/PinganLedger/data')
    expect(dataDirFor({ PINGAN_DATA_DIR: '' }, 'C:\\U\\PinganLedger', 'win32')).toBe('C:\\U\\PinganLedger\\data')
    expect(dataDirFor({ PINGAN_DATA_DIR: '/srv/pingan' }, '/home/li/.config/PinganLedger', 'linux')).toBe('/srv/pingan')
  })
})

describe('a window page that dies or does not load', () => {
  it('is reloaded a few times, then the clerk is told and the program ends (never an endless loop)', () => {
    const budget = reloadBudget()
    let now = 1_000_000
    const actions: string[] = []
    for (let i = 0; i < MAX_RELOADS + 2; i++) actions.push(answerTrouble({ kind: 'gone', reason: 'crashed', exitCode: 1 }, () => budget.allow((now += 1000))).action)
    expect(actions).toEqual([...Array(MAX_RELOADS).fill('reload'), 'quit', 'quit'])
    // much later, a single crash is reloaded again
    now += RELOAD_WINDOW_MS + 1
    expect(answerTrouble({ kind: 'load', code: -6, description: 'ERR_FILE_NOT_FOUND' }, () => budget.allow(now)).action).toBe('reload')
  })
  it('speaks Chinese and names the cause', () => {
    const a = answerTrouble({ kind: 'gone', reason: 'oom' }, () => true)
    expect(a.message).toContain('内存不足')
    expect(a.buttons).toEqual(['重新载入'])
    const q = answerTrouble({ kind: 'load', code: -6, description: 'ERR_FILE_NOT_FOUND' }, () => false)
    expect(q.message).toContain('已停止自动重新载入')
    expect(q.buttons).toEqual(['复制错误信息', '退出'])
  })
  it('ignores a clean exit and a navigation we refused ourselves (and does not spend the budget)', () => {
    let asked = 0
    const allow = () => (asked++, true)
    expect(answerTrouble({ kind: 'gone', reason: 'clean-exit' }, allow).action).toBe('ignore')
    expect(answerTrouble({ kind: 'load', code: -3, description: 'ERR_ABORTED' }, allow).action).toBe('ignore')
    expect(asked).toBe(0)
  })
})

describe('application menu', () => {
  const flat = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])])
  it.each(['win32', 'linux', 'darwin'] as const)('is in Chinese, keeps copy/paste, and has no reload or DevTools when packaged (%s)', (platform) => {
    const items = flat(menuTemplate({ isPackaged: true, platform, about: () => undefined }))
    for (const i of items) if (i.type !== 'separator') expect(i.label).toMatch(/[\u4e00-\u9fff]/)
    const roles = items.map((i) => i.role)
    expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo']))
    expect(roles).not.toContain('toggleDevTools')
    expect(roles).not.toContain('reload')
    expect(roles).not.toContain('forceReload')
  })
  it('offers reload and DevTools in development only', () => {
    const roles = flat(menuTemplate({ isPackaged: false, platform: 'win32', about: () => undefined })).map((i) => i.role)
    expect(roles).toContain('toggleDevTools')
  })
})

describe('second start', () => {
  it('brings the first window to the front (restoring it when minimised)', () => {
    const did: string[] = []
    const win = { isDestroyed: () => false, isMinimized: () => true, restore: () => did.push('restore'), show: () => did.push('show'), focus: () => did.push('focus') }
    expect(bringToFront(win)).toBe(true)
    expect(did).toEqual(['restore', 'show', 'focus'])
    expect(bringToFront(null)).toBe(false)
    expect(bringToFront({ ...win, isDestroyed: () => true })).toBe(false)
  })
})
