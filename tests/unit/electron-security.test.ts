import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  denyPermission,
  denyWindowOpen,
  guardNavigation,
  IPC_CHANNEL,
  isAppUrl,
  isTrustedSender,
  windowOptions,
} from '../../src/main/shell/security'

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
