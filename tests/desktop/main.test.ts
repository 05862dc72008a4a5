import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { acquireWriterLock } from '../../src/main/db/lock'
import { pageSizeOf } from '../helpers'
import { buildMain, runMain, type MainRun, type ShellCall } from './stub-electron'

/**
 * The desktop main process as built (out/main/index.cjs from `electron-vite build`), run in Node under
 * the stand-in Electron (stub-electron.ts): what the shell does with the window, IPC, the single-
 * instance lock, the native SQLite build, and start-up failures, as a clerk would meet them.
 * The bundle is built once per run into a private folder (dist.test.ts builds out/ at the same time);
 * PINGAN_TEST_MAIN_BUNDLE=<index.cjs> uses a bundle built beforehand instead (stub-electron.ts buildMain).
 */
const root = resolve(__dirname, '../..')
let mainFile = ''
let dispose: () => void = () => undefined

beforeAll(async () => {
  ;({ mainFile, dispose } = await buildMain(root, `pingan-desktop-test-${process.pid}`))
}, 300_000)

afterAll(() => dispose())

const temps: string[] = []
const runs: MainRun[] = []
afterEach(async () => {
  for (const r of runs.splice(0)) await r.stop()
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})
const temp = (prefix = 'pingan-desktop-') => {
  const d = mkdtempSync(join(tmpdir(), prefix))
  temps.push(d)
  return d
}

async function start(opts: Partial<Parameters<typeof runMain>[0]> = {}): Promise<MainRun> {
  const r = await runMain({ mainFile, userData: opts.userData ?? temp('pingan-profile-'), isPackaged: true, env: { PINGAN_QUIET: '1' }, ...opts })
  runs.push(r)
  return r
}

async function must(r: MainRun, method: string, input: unknown = {}): Promise<unknown> {
  const a = await r.invoke(method, input)
  if (!a.ok) throw new Error(`${method}: ${JSON.stringify(a.error)}`)
  return a.data
}

const dataDirOf = (userData: string) => join(userData, 'PinganLedger', 'data')
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
/**
 * Every entry of the folder with its content's hash. The writer lock's files are listed but not read:
 * opening and closing them here would drop this process's own lock on them (POSIX fcntl locks).
 */
function snapshot(dir: string, skip: RegExp = /^$/): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = join(e.parentPath, e.name)
    const name = full.slice(dir.length + 1)
    if (skip.test(name)) continue
    out[name] = !e.isFile() ? 'dir' : /^pingan\.lock/.test(name) ? 'lock' : sha(full)
  }
  return out
}
const boxes = (r: MainRun): { title: string; message: string; detail?: string; buttons: string[] }[] =>
  r.calls.filter((c) => c.api.startsWith('dialog.showMessageBox')).map((c) => c.args[0] as { title: string; message: string; detail?: string; buttons: string[] })
const index = (r: MainRun, pred: (c: ShellCall) => boolean) => r.calls.findIndex(pred)

/** A profile whose data folder holds a township and two villages, the program closed again. */
async function profileWithData(): Promise<{ userData: string; dataDir: string }> {
  const userData = temp('pingan-profile-')
  const r = await start({ userData })
  await must(r, 'township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
  await must(r, 'villages.create', { name: '新塘村', kind: 'village' })
  await must(r, 'villages.create', { name: '桂井村', kind: 'village' })
  await r.stop()
  return { userData, dataDir: dataDirOf(userData) }
}

describe('the desktop main process under a stand-in Electron', () => {
  it('opens one locked-down window at once, with a Chinese menu and no DevTools when packaged', async () => {
    const r = await start()
    expect(r.exitCode, r.output()).toBeNull()
    const wins = r.callsOf('BrowserWindow.new')
    expect(wins).toHaveLength(1)
    const opts = wins[0]!.args[0] as { show: boolean; title: string; webPreferences: Record<string, unknown> }
    expect(opts.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    })
    expect(String(opts.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/)
    expect(opts.show).toBe(true)
    expect(opts.title).toBe('平安台账')
    expect(r.callsOf('app.enableSandbox')).toHaveLength(1)
    // the DevTools shortcuts do nothing
    for (const input of [{ type: 'keyDown', key: 'F12' }, { type: 'keyDown', key: 'I', control: true, shift: true }])
      expect((await r.emit('webContents', 'before-input-event', [input])).prevented).toBe(true)
    expect((await r.emit('webContents', 'before-input-event', [{ type: 'keyDown', key: 'c', control: true }])).prevented).toBe(false)
    // menu: Chinese, copy/paste kept, no DevTools or reload
    const menu = JSON.stringify(r.callsOf('Menu.setApplicationMenu')[0]?.args[0])
    expect(menu).toContain('"label":"编辑"')
    expect(menu).toContain('"role":"paste"')
    expect(menu).not.toMatch(/toggleDevTools|"role":"reload"|forceReload/)
    // the page loaded is the app's own (with the static start-up indicator)
    const page = String(r.callsOf('win.loadFile')[0]!.args[0])
    expect(readFileSync(page, 'utf8')).toContain('正在打开平安台账…')
  })

  it('keeps its files in a fixed ASCII folder set before ready, data in <userData>/data', async () => {
    const userData = temp('pingan-profile-')
    const r = await start({ userData })
    await must(r, 'township.get')
    const setPath = r.callsOf('app.setPath').find((c) => c.args[0] === 'userData')
    expect(setPath?.args[1]).toBe(join(userData, 'PinganLedger'))
    expect(index(r, (c) => c === setPath)).toBeLessThan(index(r, (c) => c.api === 'app.requestSingleInstanceLock'))
    expect(r.callsOf('stub.warning')).toEqual([])
    expect(existsSync(join(dataDirOf(userData), 'pingan.db'))).toBe(true)
  })

  it('answers the window over IPC (township.get, villages.create) and refuses any other sender', async () => {
    const r = await start()
    expect(await r.invoke('township.get', {})).toEqual({ ok: true, data: null })
    await must(r, 'township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
    const v = (await must(r, 'villages.create', { name: '新塘村', kind: 'village' })) as { name: string }
    expect(v.name).toBe('新塘村')
    expect(((await must(r, 'villages.list')) as { total: number }).total).toBe(1)
    const bad = await r.invoke('villages.create', { name: '', kind: 'village' })
    expect(bad.ok).toBe(false)
    expect(JSON.stringify(bad.error)).toMatch(/[\u4e00-\u9fff]/)
    for (const sender of [{ subFrame: true }, { url: 'https://example.com/' }, { otherWebContents: true }]) {
      const refused = await r.invoke('villages.list', {}, sender)
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
  })

  it('picks folders and files in the system dialog (files.pick), answered by the shell; a cancel picks nothing', async () => {
    const stick = temp('pingan-stick-')
    const r = await start({ openDialogPaths: [stick] })
    const picked = (await must(r, 'files.pick', { kind: 'folder', title: '选择备份到哪个U盘或文件夹' })) as { dialog: boolean; path: string | null }
    expect(picked).toMatchObject({ dialog: true, path: stick })
    const asked = r.callsOf('dialog.showOpenDialog').map((c) => c.args[0] as { options: { title: string; properties: string[] } })
    expect(asked).toHaveLength(1)
    expect(JSON.stringify(asked[0])).toContain('选择备份到哪个U盘或文件夹')
    expect(JSON.stringify(asked[0])).toContain('openDirectory')
    await must(r, 'files.pick', { kind: 'file', extensions: ['db'] })
    expect(JSON.stringify(r.callsOf('dialog.showOpenDialog')[1]!.args[0])).toContain('openFile')
    // bad input goes to the dispatcher, which refuses it in Chinese; no dialog opens
    const bad = await r.invoke('files.pick', { kind: 'disk' })
    expect(bad.ok).toBe(false)
    expect(r.callsOf('dialog.showOpenDialog')).toHaveLength(2)
    const cancelled = await start({ userData: temp('pingan-profile-') })
    expect(await must(cancelled, 'files.pick', { kind: 'folder' })).toMatchObject({ dialog: true, path: null })
  })

  it('loads the native SQLite build for Electron: beside app.asar when packaged, .electron-native in development', async () => {
    const packaged = await start({ isPackaged: true })
    await must(packaged, 'township.get')
    const loaded = (r: MainRun) => r.callsOf('process.dlopen').map((c) => String(c.args[0]))
    expect(loaded(packaged)).toContain(packaged.paths.nativePackaged)
    expect(loaded(packaged).filter((f) => f.includes('better_sqlite3'))).toEqual([packaged.paths.nativePackaged])

    const dev = await start({ isPackaged: false })
    await must(dev, 'township.get')
    expect(loaded(dev).filter((f) => f.includes('better_sqlite3'))).toEqual([dev.paths.nativeDev])
    const prefs = (dev.callsOf('BrowserWindow.new')[0]!.args[0] as { webPreferences: { devTools: boolean } }).webPreferences
    expect(prefs.devTools).toBe(true)
  })

  it('a second start brings the first window to the front and quits, touching nothing', async () => {
    const { userData, dataDir } = await profileWithData()
    const first = await start({ userData })
    await must(first, 'township.get')
    // the first program is running (its start-up backup may be under way: backups/ and -shm move)
    const before = snapshot(dataDir, /^backups|-shm$/)
    const shown = first.calls.length
    const second = await start({ userData })
    expect(await second.exited).toBe(0)
    expect(second.callsOf('app.requestSingleInstanceLock')[0]?.args).toEqual([false])
    // nothing between the refused lock and quitting: no window, no SQLite module, no data folder
    expect(second.calls.map((c) => c.api)).toEqual(['app.setPath', 'app.enableSandbox', 'app.requestSingleInstanceLock', 'app.quit'])
    await first.waitForCall((c) => c.api === 'win.focus', 'the first window focused')
    expect(first.calls.slice(shown).map((c) => c.api)).toEqual(expect.arrayContaining(['win.show', 'win.focus']))
    expect(first.exitCode).toBeNull()
    expect(await first.invoke('villages.list', {})).toMatchObject({ ok: true, data: { total: 2 } })
    expect(snapshot(dataDir, /^backups|-shm$/)).toEqual(before)
  })

  it('a native module that will not load: the install error with the real error to copy, and the data folder byte for byte as it was', async () => {
    const { userData, dataDir } = await profileWithData()
    const before = snapshot(dataDir)
    expect(Object.keys(before)).toContain('pingan.db')
    // copy the error, then quit
    const r = await start({ userData, failNative: true, dialogAnswers: [0, 1] })
    expect(await r.exited).not.toBe(0)
    const shown = boxes(r)
    expect(shown.length).toBeGreaterThan(0)
    for (const b of shown) {
      expect(b.message).toContain('程序文件不完整或与本机不兼容，请重新安装')
      expect(b.buttons).toEqual(['复制错误信息', '退出'])
      expect(JSON.stringify(b)).not.toMatch(/空白数据库|损坏/)
    }
    expect(shown[0]!.detail).toMatch(/invalid ELF header|not a valid|dlopen|too short/i)
    const copied = r.callsOf('clipboard.writeText').map((c) => String(c.args[0]))
    expect(copied).toHaveLength(1)
    expect(copied[0]).toContain(r.paths.nativePackaged)
    expect(r.callsOf('BrowserWindow.new')).toEqual([])
    expect(snapshot(dataDir)).toEqual(before)
  })

  it('another 平安台账 holds the data folder: its message in a Chinese dialog, quit, nothing touched', async () => {
    const { userData, dataDir } = await profileWithData()
    const lock = acquireWriterLock(dataDir)
    try {
      const before = snapshot(dataDir)
      const r = await start({ userData })
      await r.exited
      const shown = boxes(r)
      expect(shown).toHaveLength(1)
      expect(shown[0]!.message).toContain('数据正被另一个平安台账程序使用')
      expect(r.callsOf('BrowserWindow.new')).toEqual([])
      expect(snapshot(dataDir)).toEqual(before)
    } finally {
      lock.release()
    }
  })

  it('a damaged database: the recovery dialog (with start empty), and quitting leaves it as it was', async () => {
    const { userData, dataDir } = await profileWithData()
    const live = join(dataDir, 'pingan.db')
    const page = pageSizeOf(live)
    const fd = openSync(live, 'r+')
    writeSync(fd, Buffer.alloc(page * 3, 0xa5), 0, page * 3, page)
    closeSync(fd)
    const before = snapshot(dataDir)
    const r = await start({ userData, dialogAnswers: [3] })
    await r.exited
    const shown = boxes(r)
    expect(shown[0]!.title).toBe('平安台账无法打开数据库')
    expect(shown[0]!.buttons).toContain('开始空白数据库…')
    expect(snapshot(dataDir)).toEqual(before)
  })

  it('a page that keeps dying is reloaded a few times, then the clerk is told and the program ends', async () => {
    const r = await start()
    const loads = () => r.callsOf('win.loadFile').length
    for (let i = 1; i <= 3; i++) {
      await r.emit('webContents', 'render-process-gone', [{ reason: 'crashed', exitCode: 1 }])
      await r.waitForCall(() => loads() === i + 1, `reload ${i}`)
      expect(boxes(r).at(-1)!.message).toContain('将重新载入')
    }
    await r.emit('webContents', 'render-process-gone', [{ reason: 'crashed', exitCode: 1 }])
    expect(await r.exited).toBe(0)
    expect(boxes(r).at(-1)!.message).toContain('已停止自动重新载入')
    expect(loads()).toBe(4)
  })
})
