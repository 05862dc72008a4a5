import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractAll, extractFile, listPackage, statFile } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binaryInfo } from '../../scripts/native-lib.cjs'
import { makeIdNumber } from '../../src/shared/idNumber'
import { runMain, type InvokeAnswer } from './stub-electron'

/**
 * `npm run dist` lays out the packaged desktop program (electron-builder, electron-builder.yml) without
 * downloading anything: Electron itself is a stand-in folder, and better-sqlite3 stays node_modules' own
 * build (-c.npmRebuild=false, see scripts/native-lib.cjs testLayout). Then the layout is checked the way it ships:
 * what app.asar holds, where the native module is and for which machine, and that the main bundle taken
 * from app.asar starts (under the desktop stand-in, tests/desktop/stub-electron.ts) and does the work that
 * depends on what was bundled: SQLite, the standard sets, Word (docx) and Excel (exceljs) export and import.
 * The native module is an x86-64 build of this machine, so the layout is checked on Linux x64 only.
 */
const root = join(import.meta.dirname, '..', '..')
const appOut = join(root, 'dist', 'linux-unpacked')
const resources = join(appOut, 'resources')
const asarFile = join(resources, 'app.asar')
const NATIVE = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const MAX_ASAR = 40 * 1024 * 1024
const scratch: string[] = []

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  scratch.push(d)
  return d
}

/**
 * What electron-builder needs of an unpacked Electron for Linux (app-builder-lib's ElectronFramework): the
 * folder is copied whole into linux-unpacked, its `electron` renamed to the executable name, and, with
 * electronLanguages set, locales/*.pak trimmed to the languages kept (it refuses to empty the folder).
 */
function standInElectron(): string {
  const dir = temp('pingan-electron-dist-')
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "Electron stand-in for tests/desktop/dist.test.ts" >&2\nexit 1\n')
  chmodSync(join(dir, 'electron'), 0o755)
  mkdirSync(join(dir, 'locales'))
  for (const l of ['zh-CN', 'en-US', 'fr', 'de']) writeFileSync(join(dir, 'locales', `${l}.pak`), '')
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n')
  return dir
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  // through npm's own JS entry when the test runs under npm (no shell needed), else npm on the PATH
  const npm = process.env.npm_execpath
  const [cmd, pre] = npm && npm.endsWith('.js') ? [process.execPath, [npm]] : ['npm', []]
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...pre, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

const must = (r: InvokeAnswer, what: string): unknown => {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.error)}`)
  return r.data
}
const zipHolds = (base64: string, entry: string): boolean => {
  const b = Buffer.from(base64, 'base64')
  return b.subarray(0, 2).toString('latin1') === 'PK' && b.includes(Buffer.from(entry, 'latin1'))
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('npm run dist: the unpacked Linux x64 program', () => {
  let files: string[] = []

  beforeAll(async () => {
    rmSync(appOut, { recursive: true, force: true })
    const electronDist = standInElectron()
    const r = await run(['run', 'dist', '--', '--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false'], { ...process.env, PINGAN_TEST_LAYOUT: '' })
    if (r.code !== 0) throw new Error(`npm run dist 失败（${r.code}）：\n${r.output.slice(-6000)}`)
    files = listPackage(asarFile, { isPack: false }).map((f) => f.replace(/\\/g, '/'))
    console.log(`app.asar: ${(statSync(asarFile).size / 1024 / 1024).toFixed(1)} MiB（上限 ${MAX_ASAR / 1024 / 1024} MiB），${files.length} 个条目`)
  }, 30 * 60_000)

  afterAll(() => {
    for (const d of scratch) rmSync(d, { recursive: true, force: true })
  })

  it('app.asar holds the built program, package.json and the standard sets, and no sources, tests or dev builds', () => {
    // excelReader.cjs: the Excel import's reader thread (src/main/excel/offThread.ts)
    for (const f of ['/package.json', '/out/main/index.cjs', '/out/main/excelReader.cjs', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(files).toContain(f)
    const sets = readdirSync(join(root, 'resources', 'standards')).filter((f) => f.endsWith('.json'))
    expect(sets.length).toBeGreaterThan(0)
    for (const s of sets) expect(files).toContain(`/resources/standards/${s}`)
    // the page's scripts are the ones packed beside it
    const html = extractFile(asarFile, 'out/renderer/index.html').toString()
    const scripts = [...html.matchAll(/src="\.\/([^"]+)"/g)].map((m) => m[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const s of scripts) expect(files).toContain(`/out/renderer/${s}`)

    const forbidden = ['/src', '/tests', '/scripts', '/.electron-native', '/dist', '/docs', '/resources/icons', '/node_modules/.bin', '/node_modules/better-sqlite3/src', '/node_modules/better-sqlite3/deps', '/node_modules/better-sqlite3/build/Release/obj', '/node_modules/exceljs/dist']
    for (const f of forbidden) expect(files.filter((x) => x === f || x.startsWith(`${f}/`)), f).toEqual([])
    // bundled by electron-vite, so not shipped as modules
    for (const m of ['react', 'react-dom', 'antd', 'ag-grid-community', 'echarts', 'docx', 'kysely', 'zod', 'electron', 'electron-builder', 'vite', 'typescript'])
      expect(files, m).not.toContain(`/node_modules/${m}`)
    expect(files).toContain('/node_modules/exceljs/lib/stream/xlsx/workbook-reader.js')
    const pkg = JSON.parse(extractFile(asarFile, 'package.json').toString()) as { main: string }
    expect(pkg.main).toBe('out/main/index.cjs')
  })

  it(`app.asar is at most ${MAX_ASAR / 1024 / 1024} MiB`, () => {
    expect(statSync(asarFile).size).toBeLessThanOrEqual(MAX_ASAR)
  })

  it('every native module is unpacked, and better-sqlite3 is an x86-64 ELF where the packaged program loads it', () => {
    const natives = files.filter((f) => f.endsWith('.node'))
    expect(natives).toEqual([`/${NATIVE.replace(/\\/g, '/')}`])
    expect((statFile(asarFile, NATIVE) as { unpacked?: boolean }).unpacked).toBe(true)
    const file = join(resources, 'app.asar.unpacked', NATIVE)
    expect(binaryInfo(readFileSync(file))).toMatchObject({ format: 'elf', arch: 'x64' })
  })

  it('electron-builder.yml names the installed Electron, so nothing is fetched to find its version', () => {
    const require = createRequire(import.meta.url)
    const installed = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version
    const configured = /^electronVersion:\s*(\S+)/m.exec(readFileSync(join(root, 'electron-builder.yml'), 'utf8'))?.[1]
    expect(configured).toBe(installed)
  })

  it('the main bundle from app.asar starts, answers over IPC from the packaged native module and standard sets, and exports Word and Excel that import again', async () => {
    // app.asar as Electron sees it: its files, with the unpacked native module read from app.asar.unpacked
    const app = temp('pingan-asar-')
    extractAll(asarFile, app)
    const packagedNative = join(resources, 'app.asar.unpacked', NATIVE)
    rmSync(join(app, NATIVE))
    symlinkSync(packagedNative, join(app, NATIVE))
    const mainFile = join(app, 'out', 'main', 'index.cjs')

    const first = await runMain({ mainFile, userData: temp('pingan-profile-'), resourcesPath: resources, isPackaged: true })
    let exported = { fileName: '', base64: '' }
    try {
      expect(first.exitCode, first.output()).toBeNull()
      expect(await first.invoke('township.get')).toEqual({ ok: true, data: null })
      const loaded = first.callsOf('process.dlopen').map((c) => realpathSync(String(c.args[0])))
      expect(loaded).toContain(realpathSync(packagedNative))

      must(await first.invoke('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' }), 'township.setup')
      for (const [i, name] of ['张三', '李四'].entries())
        must(await first.invoke('members.create', { name, idNumber: makeIdNumber('430103', '1980-05-0' + (i + 1), 11 + i), roles: ['mediator'], joinedOn: '2024-01-01' }), 'members.create')

      const sets = must(await first.invoke('checklist.sets', {}), 'checklist.sets') as { id: string; origin: string }[]
      const shipped = readdirSync(join(root, 'resources', 'standards')).filter((f) => f.endsWith('.json'))
      expect(sets.filter((s) => s.origin === 'shipped')).toHaveLength(shipped.length)

      const doc = must(await first.invoke('documents.export', { kind: 'members' }), 'documents.export') as { fileName: string; base64: string; pages: number }
      expect(doc.fileName).toMatch(/\.docx$/)
      expect(zipHolds(doc.base64, 'word/document.xml')).toBe(true)

      exported = must(await first.invoke('excel.export', { register: 'members', fullId: true }), 'excel.export') as { fileName: string; base64: string }
      expect(exported.fileName).toMatch(/\.xlsx$/)
      expect(zipHolds(exported.base64, 'xl/worksheets/')).toBe(true)
    } finally {
      await first.stop()
    }

    // another PC: the exported sheet imports through exceljs's reader in the bundle
    const second = await runMain({ mainFile, userData: temp('pingan-profile-'), resourcesPath: resources, isPackaged: true })
    try {
      must(await second.invoke('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' }), 'township.setup')
      const report = must(await second.invoke('excel.import', { register: 'members', fileBase64: exported.base64, fileName: exported.fileName }), 'excel.import') as { imported: number; rejected: unknown[] }
      expect(report.rejected).toEqual([])
      expect(report.imported).toBe(2)
      const list = must(await second.invoke('members.list', {}), 'members.list') as { total: number; rows: { name: string }[] }
      expect(list.rows.map((r) => r.name).sort()).toEqual(['张三', '李四'].sort())
    } finally {
      await second.stop()
    }
    expect(existsSync(packagedNative)).toBe(true)
  }, 180_000)
})
