import { execFile, fork, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/**
 * A stand-in for the 'electron' module, so the BUILT main bundle (out/main/index.cjs) runs in plain
 * Node: a child process installs a Module._load hook that answers require('electron') with recording
 * fakes (app, BrowserWindow, ipcMain, dialog, clipboard, Menu, session, shell, protocol…) and reports
 * every shell action to this process. The Electron binary cannot be downloaded here; this is how the
 * desktop start-up is tested (tests/desktop/main.test.ts, tests/desktop/dist.test.ts) and measured
 * (tests/bench/startup.bench.ts).
 *
 * Under the stand-in the process looks like Electron's main process: process.versions.electron and
 * process.resourcesPath are set, and the native SQLite build is laid out where a desktop build keeps
 * it (a copy of Node's build, or a file that is not a valid .node with failNative), both packaged
 * (<resourcesPath>/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node)
 * and in development (<appPath>/.electron-native/better-sqlite3/build/Release/better_sqlite3.node).
 */
export interface RunMainOptions {
  mainFile: string
  /** the user's profile: app.getPath('appData') (and 'home', 'temp'… beneath it) */
  userData: string
  /** process.resourcesPath; a fresh temporary folder when omitted */
  resourcesPath?: string
  isPackaged?: boolean
  /** make the native SQLite build that the program should choose a file that is not a loadable module */
  failNative?: boolean
  env?: Record<string, string>
  /** app.getAppPath(); a fresh temporary folder when omitted (never the repository's .electron-native) */
  appPath?: string
  /** process.platform seen by the main bundle (the stand-in does not change Node's behaviour) */
  platform?: NodeJS.Platform
  /** answers for message boxes in order (button index); afterwards each box gets its cancelId (or 0) */
  dialogAnswers?: number[]
  /** what the system's open dialog answers (default: cancelled) */
  openDialogPaths?: string[]
  /** measure the event loop's longest stall in the child (MainRun.stats) */
  probeEventLoop?: boolean
  /** lay out no native build at all (the program must then say what is missing) */
  noNative?: boolean
  /** Node flags for the child (e.g. ['--cpu-prof', '--cpu-prof-dir=…'] to see where the main thread spends its time) */
  execArgv?: string[]
}

export interface ShellCall {
  /** e.g. 'app.setPath', 'BrowserWindow.new', 'win.show', 'dialog.showMessageBoxSync', 'clipboard.writeText' */
  api: string
  /** JSON-safe copy of the arguments (functions become '[function]') */
  args: unknown[]
  /** window id for window/webContents calls */
  win?: number
  /** milliseconds since the child started (performance.now() in the child) */
  at: number
}

export interface InvokeAnswer {
  ok: boolean
  data?: unknown
  error?: { code: string; message: string; field?: string } | unknown
}

export interface MainStats {
  /** child start → the main bundle's require() returned */
  loadMs: number | null
  /** child start → first BrowserWindow constructed */
  windowMs: number | null
  /** child start → IPC handler registered */
  ipcMs: number | null
  /** longest event-loop stall seen so far (probeEventLoop), milliseconds, the main bundle's own loading included */
  maxStallMs: number | null
  /** longest stall since the window was created (what the clerk feels), milliseconds: a 10 ms interval probe */
  windowStallMs: number | null
  /** the same from perf_hooks' monitorEventLoopDelay, as a cross-check */
  windowStallHistogramMs: number | null
  /**
   * the longest stretch the main thread spent running code between two probe ticks since the window
   * was created (event-loop utilisation's active time): a stall on a machine whose cores are busy with
   * other work is waiting to be scheduled, not our code, and does not count here
   */
  windowBusyMs: number | null
  /** the longest stalls since the window was created: when (ms since child start), how long, and how much of it the loop was running */
  stalls: { at: number; ms: number; busyMs: number }[]
  /** stall histogram's 99th percentile, milliseconds */
  p99StallMs: number | null
}

export interface MainRun {
  /** a call from the window's main frame over the app's IPC channel (as the preload does) */
  invoke(method: string, input?: unknown, sender?: { url?: string; subFrame?: boolean; otherWebContents?: boolean }): Promise<InvokeAnswer>
  /** every recorded shell action so far (the array grows while the process runs) */
  calls: ShellCall[]
  /** calls whose api equals or starts with the given prefix */
  callsOf(prefix: string): ShellCall[]
  /** waits until a recorded call satisfies the predicate (or the process exits: then rejects) */
  waitForCall(pred: (c: ShellCall) => boolean, what?: string): Promise<ShellCall>
  /** emits an event on the app, a window or its webContents; says whether a handler called preventDefault */
  emit(target: 'app' | 'window' | 'webContents', event: string, args?: unknown[], win?: number): Promise<{ prevented: boolean; returned?: unknown }>
  /** clicks an application-menu item found by its label path (e.g. ['帮助', '关于平安台账']) */
  menuClick(labels: string[]): Promise<{ found: boolean }>
  /** load and event-loop figures measured in the child */
  stats(): Promise<MainStats>
  /** the process's exit code once it has exited (null while it runs) */
  readonly exitCode: number | null
  /** resolves with the exit code when the process ends */
  exited: Promise<number | null>
  /** stdout and stderr of the child so far */
  output(): string
  /** the folders the stand-in set up */
  paths: { appData: string; resourcesPath: string; appPath: string; nativeDev: string; nativePackaged: string }
  /** quits the app like the user closing the last window, and waits for the process to end */
  stop(): Promise<void>
}

const NATIVE_REL = join('build', 'Release', 'better_sqlite3.node')

/** Per appData folder, the run holding the single-instance lock (Electron keys it by the profile). */
const lockHolders = new Map<string, RunState>()

interface RunState {
  child: ChildProcess
  alive: boolean
}

// The child. Plain CommonJS written to a temporary file: it must not go through any test transform.
const DRIVER = String.raw`
'use strict'
const Module = require('node:module')
const { EventEmitter } = require('node:events')
const { pathToFileURL } = require('node:url')
const { performance, monitorEventLoopDelay } = require('node:perf_hooks')
const cfg = JSON.parse(process.env.STUB_ELECTRON_CONFIG)
delete process.env.STUB_ELECTRON_CONFIG

let histogram = null
let sinceWindow = null
const probe = { max: 0, maxBusy: 0, stalls: [] }
if (cfg.probeEventLoop) {
  histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
}
const marks = { loadMs: null, windowMs: null, ipcMs: null }

function safe(v, depth) {
  depth = depth || 0
  if (typeof v === 'function') return '[function]'
  if (v === null || typeof v !== 'object') return v === undefined ? null : v
  if (depth > 6) return '[deep]'
  if (v instanceof Error) return { name: v.name, message: v.message }
  if (Array.isArray(v)) return v.map((x) => safe(x, depth + 1))
  if (v.__stubWindow) return '[window ' + v.id + ']'
  const o = {}
  for (const k of Object.keys(v)) o[k] = safe(v[k], depth + 1)
  return o
}
function send(m) {
  if (process.connected) process.send(m)
}
function record(api, args, win) {
  send({ t: 'call', call: { api, args: safe(Array.from(args || [])), win, at: performance.now() } })
}

// Looks like Electron's main process to the bundle
process.versions.electron = '45.4.1'
Object.defineProperty(process, 'resourcesPath', { value: cfg.resourcesPath, configurable: true })
if (cfg.platform) Object.defineProperty(process, 'platform', { value: cfg.platform, configurable: true })

// Which native modules get loaded (the chosen better_sqlite3.node)
const realDlopen = process.dlopen
process.dlopen = function (module, filename) {
  record('process.dlopen', [filename])
  return realDlopen.apply(this, arguments)
}

let answers = cfg.dialogAnswers.slice()
const nextAnswer = (opts) => (answers.length ? answers.shift() : opts && typeof opts.cancelId === 'number' ? opts.cancelId : 0)

const paths = { appData: cfg.appData, home: cfg.appData, temp: cfg.appData, userData: cfg.appData + '/pingan-ledger', logs: cfg.appData + '/logs', documents: cfg.appData, desktop: cfg.appData, downloads: cfg.appData, exe: cfg.resourcesPath + '/../pingan', module: cfg.resourcesPath, sessionData: cfg.appData + '/pingan-ledger' }

let quitting = false
function exitSoon(code) {
  if (quitting) return
  quitting = true
  const bye = () => {
    if (histogram) histogram.disable()
    if (sinceWindow) sinceWindow.disable()
    if (process.connected) process.send({ t: 'exit', code }, () => process.exit(code))
    else process.exit(code)
  }
  setImmediate(bye)
}

const app = new EventEmitter()
let readyResolve
const readyPromise = new Promise((r) => (readyResolve = r))
let isReady = false
Object.assign(app, {
  isPackaged: !!cfg.isPackaged,
  name: 'pingan-ledger',
  getName: () => 'pingan-ledger',
  getVersion: () => '0.1.0',
  getLocale: () => 'zh-CN',
  getAppPath: () => cfg.appPath,
  getPath: (name) => {
    if (!(name in paths)) throw new Error('stub: unknown path ' + name)
    return paths[name]
  },
  setPath: (name, value) => {
    record('app.setPath', [name, value])
    if (isReady && name === 'userData') record('stub.warning', ['app.setPath(userData) after ready'])
    paths[name] = value
  },
  whenReady: () => readyPromise,
  isReady: () => isReady,
  enableSandbox: () => record('app.enableSandbox', []),
  setAppUserModelId: (id) => record('app.setAppUserModelId', [id]),
  disableHardwareAcceleration: () => record('app.disableHardwareAcceleration', []),
  requestSingleInstanceLock: (data) => {
    const got = !cfg.singleInstanceTaken
    record('app.requestSingleInstanceLock', [got])
    if (!got) send({ t: 'second-instance', argv: process.argv, cwd: process.cwd(), data: safe(data) })
    return got
  },
  hasSingleInstanceLock: () => !cfg.singleInstanceTaken,
  releaseSingleInstanceLock: () => record('app.releaseSingleInstanceLock', []),
  focus: () => record('app.focus', []),
  quit: () => {
    record('app.quit', [])
    if (quitting) return
    setImmediate(() => {
      const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
      app.emit('before-quit', e)
      for (const w of windows.slice()) w.destroy()
      const wq = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
      app.emit('will-quit', wq)
      app.emit('quit', {}, 0)
      exitSoon(0)
    })
  },
  exit: (code) => {
    record('app.exit', [code === undefined ? 0 : code])
    exitSoon(code === undefined ? 0 : code)
  },
  relaunch: (o) => record('app.relaunch', [o]),
  commandLine: { appendSwitch: (...a) => record('app.commandLine.appendSwitch', a), hasSwitch: () => false, getSwitchValue: () => '' },
})

const windows = []
let nextId = 1
class WebContents extends EventEmitter {
  constructor(win) {
    super()
    this.id = win.id + 100
    this.win = win
    this.url = ''
    this.devToolsOpened = false
    this.session = sessionObj
  }
  setWindowOpenHandler(h) { this.windowOpenHandler = h; record('webContents.setWindowOpenHandler', [h], this.win.id) }
  getURL() { return this.url }
  reload() { record('webContents.reload', [], this.win.id); this.emit('did-finish-load') }
  reloadIgnoringCache() { record('webContents.reloadIgnoringCache', [], this.win.id) }
  loadFile(f, o) { return this.win.loadFile(f, o) }
  loadURL(u) { return this.win.loadURL(u) }
  openDevTools() { this.devToolsOpened = true; record('webContents.openDevTools', [], this.win.id) }
  closeDevTools() { this.devToolsOpened = false; record('webContents.closeDevTools', [], this.win.id) }
  isDevToolsOpened() { return this.devToolsOpened }
  toggleDevTools() { record('webContents.toggleDevTools', [], this.win.id) }
  isDestroyed() { return this.win.destroyed }
  isCrashed() { return false }
  send(ch, ...a) { record('webContents.send', [ch, ...a], this.win.id) }
  setZoomFactor(z) { record('webContents.setZoomFactor', [z], this.win.id) }
  setVisualZoomLevelLimits(a, b) { record('webContents.setVisualZoomLevelLimits', [a, b], this.win.id); return Promise.resolve() }
  executeJavaScript() { return Promise.resolve(null) }
  print(o, cb) { record('webContents.print', [o], this.win.id); if (cb) cb(true, '') }
  printToPDF(o) { record('webContents.printToPDF', [o], this.win.id); return Promise.resolve(Buffer.alloc(0)) }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.__stubWindow = true
    this.id = nextId++
    this.options = options || {}
    this.destroyed = false
    this.visible = !!(options && options.show !== false)
    this.minimized = false
    this.webContents = new WebContents(this)
    windows.push(this)
    if (marks.windowMs === null) {
      marks.windowMs = performance.now()
      if (histogram) {
        sinceWindow = monitorEventLoopDelay({ resolution: 5 })
        sinceWindow.enable()
        // a plain interval probe: any gap beyond its period is time the loop could not run
        let last = performance.now()
        let elu = performance.eventLoopUtilization()
        setInterval(() => {
          const now = performance.now()
          const late = now - last - 10
          // how much of the gap the loop was running code (not waiting to be scheduled on a busy machine)
          const busy = performance.eventLoopUtilization(elu).active
          elu = performance.eventLoopUtilization()
          last = now
          if (late > probe.max) probe.max = late
          if (busy > probe.maxBusy) probe.maxBusy = busy
          if (late > 20) {
            probe.stalls.push({ at: Math.round(now - late), ms: Math.round(late), busyMs: Math.round(busy) })
            probe.stalls.sort((a, b) => b.ms - a.ms)
            probe.stalls.length = Math.min(probe.stalls.length, 8)
          }
        }, 10).unref()
      }
    }
    record('BrowserWindow.new', [options], this.id)
    send({ t: 'window', id: this.id })
  }
  static getAllWindows() { return windows.filter((w) => !w.destroyed) }
  static getFocusedWindow() { return windows.find((w) => !w.destroyed) || null }
  static fromWebContents(wc) { return windows.find((w) => w.webContents === wc) || null }
  loadFile(f, o) {
    record('win.loadFile', [f, o], this.id)
    this.webContents.url = pathToFileURL(f).href + (o && o.hash ? '#' + o.hash : '')
    setImmediate(() => {
      if (this.destroyed) return
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    })
    return Promise.resolve()
  }
  loadURL(u) {
    record('win.loadURL', [u], this.id)
    this.webContents.url = u
    setImmediate(() => {
      if (this.destroyed) return
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    })
    return Promise.resolve()
  }
  show() { this.visible = true; record('win.show', [], this.id) }
  showInactive() { this.visible = true; record('win.showInactive', [], this.id) }
  hide() { this.visible = false; record('win.hide', [], this.id) }
  focus() { record('win.focus', [], this.id) }
  restore() { this.minimized = false; record('win.restore', [], this.id) }
  minimize() { this.minimized = true; record('win.minimize', [], this.id) }
  maximize() { record('win.maximize', [], this.id) }
  isMinimized() { return this.minimized }
  isVisible() { return this.visible }
  isDestroyed() { return this.destroyed }
  isFocused() { return true }
  setMenu(m) { record('win.setMenu', [m], this.id) }
  removeMenu() { record('win.removeMenu', [], this.id) }
  setMenuBarVisibility(v) { record('win.setMenuBarVisibility', [v], this.id) }
  setAutoHideMenuBar(v) { record('win.setAutoHideMenuBar', [v], this.id) }
  setTitle(t) { record('win.setTitle', [t], this.id) }
  setProgressBar(p) { record('win.setProgressBar', [p], this.id) }
  flashFrame(f) { record('win.flashFrame', [f], this.id) }
  getBounds() { return { x: 0, y: 0, width: this.options.width || 800, height: this.options.height || 600 } }
  close() {
    record('win.close', [], this.id)
    if (this.destroyed) return
    const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    this.emit('close', e)
    if (e.defaultPrevented) return
    this.destroy()
    if (!quitting && windows.every((w) => w.destroyed)) {
      if (app.listenerCount('window-all-closed')) app.emit('window-all-closed')
      else app.quit()
    }
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('closed')
  }
}

const handlers = new Map()
const ipcMain = new EventEmitter()
ipcMain.handle = (channel, fn) => {
  if (handlers.has(channel)) throw new Error('Attempted to register a second handler for ' + channel)
  handlers.set(channel, fn)
  if (marks.ipcMs === null) marks.ipcMs = performance.now()
  record('ipcMain.handle', [channel])
  send({ t: 'ipc', channel })
}
ipcMain.handleOnce = ipcMain.handle
ipcMain.removeHandler = (channel) => {
  handlers.delete(channel)
  record('ipcMain.removeHandler', [channel])
}

function box(kind, a, b) {
  const opts = a && a.__stubWindow ? b : a
  return opts || {}
}
const dialog = {
  showMessageBoxSync: (a, b) => {
    const o = box('sync', a, b)
    const r = nextAnswer(o)
    record('dialog.showMessageBoxSync', [o, r])
    return r
  },
  showMessageBox: (a, b) => {
    const o = box('async', a, b)
    const r = nextAnswer(o)
    record('dialog.showMessageBox', [o, r])
    return Promise.resolve({ response: r, checkboxChecked: false })
  },
  showErrorBox: (title, content) => record('dialog.showErrorBox', [title, content]),
  showOpenDialog: (a, b) => { record('dialog.showOpenDialog', [box('o', a, b)]); const p = cfg.openDialogPaths || []; return Promise.resolve({ canceled: p.length === 0, filePaths: p }) },
  showOpenDialogSync: (a, b) => { record('dialog.showOpenDialogSync', [box('o', a, b)]); return undefined },
  showSaveDialog: (a, b) => { record('dialog.showSaveDialog', [box('s', a, b)]); return Promise.resolve({ canceled: true }) },
  showSaveDialogSync: (a, b) => { record('dialog.showSaveDialogSync', [box('s', a, b)]); return undefined },
}
let clipText = ''
const clipboard = {
  writeText: (t) => { clipText = String(t); record('clipboard.writeText', [clipText]) },
  readText: () => clipText,
}
class MenuItem { constructor(o) { Object.assign(this, o) } }
let appMenu = null
const Menu = {
  buildFromTemplate: (template) => ({ __template: template, items: template.map((t) => new MenuItem(t)), popup() {} }),
  setApplicationMenu: (m) => { appMenu = m; record('Menu.setApplicationMenu', [m ? m.__template : null]) },
  getApplicationMenu: () => appMenu,
}
const sessionObj = {
  setPermissionRequestHandler: (h) => record('session.setPermissionRequestHandler', [h]),
  setPermissionCheckHandler: (h) => record('session.setPermissionCheckHandler', [h]),
  setDevicePermissionHandler: (h) => record('session.setDevicePermissionHandler', [h]),
  setDisplayMediaRequestHandler: (h) => record('session.setDisplayMediaRequestHandler', [h]),
  setSpellCheckerEnabled: (v) => record('session.setSpellCheckerEnabled', [v]),
  setProxy: (c) => { record('session.setProxy', [c]); return Promise.resolve() },
  clearCache: () => Promise.resolve(),
  webRequest: { onBeforeRequest: (...a) => record('session.webRequest.onBeforeRequest', a), onHeadersReceived: (...a) => record('session.webRequest.onHeadersReceived', a) },
  protocol: null,
  on: () => {},
}
const protocol = {
  registerSchemesAsPrivileged: (s) => record('protocol.registerSchemesAsPrivileged', [s]),
  handle: (scheme, fn) => record('protocol.handle', [scheme, fn]),
  registerFileProtocol: (scheme) => record('protocol.registerFileProtocol', [scheme]),
  interceptFileProtocol: (scheme) => record('protocol.interceptFileProtocol', [scheme]),
  unhandle: (scheme) => record('protocol.unhandle', [scheme]),
}
sessionObj.protocol = protocol
const stub = {
  app,
  BrowserWindow,
  ipcMain,
  dialog,
  clipboard,
  Menu,
  MenuItem,
  session: { defaultSession: sessionObj, fromPartition: () => sessionObj },
  protocol,
  shell: {
    openPath: (p) => { record('shell.openPath', [p]); return Promise.resolve('') },
    showItemInFolder: (p) => record('shell.showItemInFolder', [p]),
    openExternal: (u) => { record('shell.openExternal', [u]); return Promise.resolve() },
    beep: () => record('shell.beep', []),
  },
  nativeTheme: { themeSource: 'system', shouldUseDarkColors: false, on: () => {} },
  globalShortcut: { register: (a) => { record('globalShortcut.register', [a]); return true }, unregisterAll: () => {} },
  screen: { getPrimaryDisplay: () => ({ workAreaSize: { width: 1920, height: 1080 }, scaleFactor: 1 }) },
  powerSaveBlocker: { start: () => 1, stop: () => {} },
  crashReporter: { start: (o) => record('crashReporter.start', [o]) },
  nativeImage: { createFromPath: () => ({ isEmpty: () => true }), createEmpty: () => ({ isEmpty: () => true }) },
}

const realLoad = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'electron' || request === 'electron/main') return stub
  return realLoad.apply(this, arguments)
}

process.on('message', async (m) => {
  if (m.t === 'invoke') {
    const fn = handlers.get('pingan:invoke')
    const win = windows.find((w) => !w.destroyed)
    if (!fn || !win) return send({ t: 'result', id: m.id, error: fn ? 'no window' : 'no IPC handler' })
    const wc = win.webContents
    const frame = { url: m.sender && m.sender.url ? m.sender.url : wc.url, parent: m.sender && m.sender.subFrame ? { url: wc.url } : null, top: null }
    const sender = m.sender && m.sender.otherWebContents ? { id: wc.id + 1000 } : wc
    const event = { sender, senderFrame: frame, frameId: 1, processId: 1 }
    try {
      const value = await fn(event, m.method, m.input)
      send({ t: 'result', id: m.id, value: safe(value) })
    } catch (e) {
      send({ t: 'result', id: m.id, error: e && e.message ? e.message : String(e) })
    }
  } else if (m.t === 'emit') {
    let target = app
    const win = m.win ? windows.find((w) => w.id === m.win) : windows.find((w) => !w.destroyed)
    if (m.target !== 'app' && !win) return send({ t: 'result', id: m.id, error: 'no window' })
    if (m.target === 'window') target = win
    if (m.target === 'webContents') target = win.webContents
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true }, sender: win ? win.webContents : undefined }
    let returned
    if (m.target === 'webContents' && m.event === 'window-open') returned = safe(win.webContents.windowOpenHandler ? win.webContents.windowOpenHandler(m.args[0] || {}) : null)
    else target.emit(m.event, event, ...(m.args || []))
    send({ t: 'result', id: m.id, value: { prevented: event.defaultPrevented, returned } })
  } else if (m.t === 'menu') {
    let items = appMenu ? appMenu.__template : []
    let item = null
    for (const label of m.labels) {
      item = (items || []).find((i) => i.label === label) || null
      if (!item) break
      items = item.submenu && item.submenu.__template ? item.submenu.__template : item.submenu
    }
    if (item && typeof item.click === 'function') item.click(item, windows.find((w) => !w.destroyed), {})
    send({ t: 'result', id: m.id, value: { found: !!item } })
  } else if (m.t === 'stats') {
    const max = histogram ? histogram.max / 1e6 : null
    const p99 = histogram ? histogram.percentile(99) / 1e6 : null
    const win = sinceWindow ? sinceWindow.max / 1e6 : null
    send({ t: 'result', id: m.id, value: { ...marks, maxStallMs: max, windowStallMs: sinceWindow ? probe.max : null, windowBusyMs: sinceWindow ? probe.maxBusy : null, windowStallHistogramMs: win, stalls: probe.stalls, p99StallMs: p99 } })
  } else if (m.t === 'quit') {
    const open = windows.filter((w) => !w.destroyed)
    if (open.length) for (const w of open) w.close()
    else app.quit()
  }
})
process.on('disconnect', () => process.exit(0))

setImmediate(() => {
  isReady = true
  app.emit('will-finish-launching')
  app.emit('ready', {}, {})
  readyResolve()
})
require(cfg.mainFile)
marks.loadMs = performance.now()
`

/**
 * Builds the desktop bundle (`electron-vite build`) into a private folder under node_modules/.cache
 * (where the bundle still finds its external modules, and which is never packaged) and returns its
 * main file. PINGAN_TEST_MAIN_BUNDLE=<index.cjs> names a bundle built beforehand instead.
 */
export async function buildMain(root: string, name = `pingan-desktop-${process.pid}`): Promise<{ mainFile: string; dispose: () => void }> {
  if (process.env.PINGAN_TEST_MAIN_BUNDLE) return { mainFile: resolve(process.env.PINGAN_TEST_MAIN_BUNDLE), dispose: () => undefined }
  const out = join(root, 'node_modules', '.cache', name)
  // asynchronously: a test runner's worker must keep answering while the build takes its half minute
  await new Promise<void>((ok, fail) =>
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'error'],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (e, _stdout, stderr) => (e ? fail(new Error(`electron-vite build failed: ${stderr.slice(-4000)}`)) : ok()),
    ),
  )
  return { mainFile: join(out, 'main', 'index.cjs'), dispose: () => rmSync(out, { recursive: true, force: true }) }
}

const nodeNative = (): string => {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('better-sqlite3/package.json')), NATIVE_REL)
}

/** Puts a native build (Node's, or a file that is not a valid module) where the desktop program looks. */
function layNative(file: string, fail: boolean): void {
  mkdirSync(dirname(file), { recursive: true })
  if (fail) writeFileSync(file, 'this is not a native module\n'.repeat(64))
  else copyFileSync(nodeNative(), file)
}

export async function runMain(opts: RunMainOptions): Promise<MainRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'pingan-stub-'))
  const appData = resolve(opts.userData)
  mkdirSync(appData, { recursive: true })
  const resourcesPath = resolve(opts.resourcesPath ?? join(scratch, 'resources'))
  const appPath = resolve(opts.appPath ?? join(scratch, 'app'))
  const nativePackaged = join(resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', NATIVE_REL)
  const nativeDev = join(appPath, '.electron-native', 'better-sqlite3', NATIVE_REL)
  mkdirSync(appPath, { recursive: true })
  mkdirSync(resourcesPath, { recursive: true })
  if (!opts.noNative) {
    // only into folders the stand-in owns: a given resourcesPath/appPath is the caller's layout
    if (!opts.resourcesPath) layNative(nativePackaged, !!opts.failNative)
    if (!opts.appPath) layNative(nativeDev, !!opts.failNative)
  }
  const driver = join(scratch, 'driver.cjs')
  writeFileSync(driver, DRIVER)

  const holder = lockHolders.get(appData)
  const singleInstanceTaken = !!holder?.alive
  const config = {
    mainFile: resolve(opts.mainFile),
    appData,
    resourcesPath,
    appPath,
    isPackaged: !!opts.isPackaged,
    platform: opts.platform ?? null,
    dialogAnswers: opts.dialogAnswers ?? [],
    openDialogPaths: opts.openDialogPaths ?? [],
    probeEventLoop: !!opts.probeEventLoop,
    singleInstanceTaken,
  }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['PINGAN_DATA_DIR', 'LOCALAPPDATA', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'].includes(k)) env[k] = v
  Object.assign(env, opts.env ?? {}, { STUB_ELECTRON_CONFIG: JSON.stringify(config) })
  if (!('PINGAN_QUIET' in (opts.env ?? {}))) delete env.PINGAN_QUIET

  const child = fork(driver, [], { env, execArgv: opts.execArgv ?? [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: opts.appPath ?? scratch })
  const state: RunState = { child, alive: true }
  if (!singleInstanceTaken) lockHolders.set(appData, state)

  const calls: ShellCall[] = []
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  let exitCode: number | null = null
  let hasExited = false
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const waiters = new Set<() => void>()
  const poke = () => {
    for (const w of [...waiters]) w()
  }
  let nextMsg = 1
  let windowSeen = false
  let ipcSeen = false

  const exited = new Promise<number | null>((resolveExit) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 : null)
      hasExited = true
      state.alive = false
      if (lockHolders.get(appData) === state) lockHolders.delete(appData)
      for (const p of pending.values()) p.reject(new Error(`主进程已退出（${exitCode}）：${out.slice(-2000)}`))
      pending.clear()
      poke()
      rmSync(scratch, { recursive: true, force: true })
      resolveExit(exitCode)
    })
  })

  child.on('message', (m: { t: string; call?: ShellCall; id?: number; value?: unknown; error?: string; argv?: string[]; cwd?: string; data?: unknown }) => {
    if (m.t === 'call' && m.call) calls.push(m.call)
    else if (m.t === 'window') windowSeen = true
    else if (m.t === 'ipc') ipcSeen = true
    else if (m.t === 'result' && m.id !== undefined) {
      const p = pending.get(m.id)
      pending.delete(m.id)
      if (m.error !== undefined) p?.reject(new Error(m.error))
      else p?.resolve(m.value)
    } else if (m.t === 'second-instance') {
      // Electron hands the second start's command line to the first instance
      const first = lockHolders.get(appData)
      if (first?.alive && first.child.connected) first.child.send({ t: 'emit', id: 0, target: 'app', event: 'second-instance', args: [m.argv, m.cwd, m.data ?? {}] })
    }
    poke()
  })

  const request = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((res, rej) => {
      if (hasExited || !child.connected) return rej(new Error(`主进程已退出（${exitCode}）：${out.slice(-2000)}`))
      const id = nextMsg++
      pending.set(id, { resolve: res as (v: unknown) => void, reject: rej })
      child.send({ ...msg, id })
    })

  const waitFor = (cond: () => boolean): Promise<void> =>
    new Promise<void>((res) => {
      const check = () => {
        if (cond()) {
          waiters.delete(check)
          res()
        }
      }
      waiters.add(check)
      check()
    })

  const run: MainRun = {
    invoke: (method, input, sender) => request<InvokeAnswer>({ t: 'invoke', method, input, sender }),
    calls,
    callsOf: (prefix) => calls.filter((c) => c.api === prefix || c.api.startsWith(prefix + '.') || c.api.startsWith(prefix)),
    waitForCall: async (pred, what = 'call') => {
      await waitFor(() => hasExited || calls.some(pred))
      const found = calls.find(pred)
      if (!found) throw new Error(`主进程已退出，未见 ${what}；输出：${out.slice(-2000)}`)
      return found
    },
    emit: (target, event, args = [], win) => request({ t: 'emit', target, event, args, win }),
    menuClick: (labels) => request<{ found: boolean }>({ t: 'menu', labels }),
    stats: () => request<MainStats>({ t: 'stats' }),
    get exitCode() {
      return exitCode
    },
    exited,
    output: () => out,
    paths: { appData, resourcesPath, appPath, nativeDev, nativePackaged },
    stop: async () => {
      if (hasExited) return
      if (child.connected) child.send({ t: 'quit' })
      // a main process that ignores the quit must not hang the test run
      const guard = setTimeout(() => child.kill('SIGKILL'), 20_000)
      await exited
      clearTimeout(guard)
    },
  }
  // started: the window exists and IPC is answered, or the process ended (an error dialog, a second instance)
  await waitFor(() => hasExited || (windowSeen && ipcSeen) || calls.some((c) => c.api === 'app.quit' || c.api === 'app.exit'))
  return run
}
