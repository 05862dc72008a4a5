// Builds better-sqlite3 for Electron's ABI into its own folder, leaving node_modules built for Node (tests,
// CLI and browser mode keep working; DESIGN §2). Two users:
//   npm start            → .electron-native/better-sqlite3/build/Release/better_sqlite3.node (this machine),
//                          which the development desktop run loads (src/main/shell/native.ts picks it)
//   scripts/before-pack  → --platform P --arch A --out .electron-native/package-P-A --for-package, which
//                          scripts/after-pack.cjs copies into the packaged app and checks
// Order: better-sqlite3's published Electron prebuild (prebuild-install) first, then a build from source
// (node-gyp). Both are run as `node <their JS entry>` (process.execPath), never through a shell or npx,
// so this works the same from cmd.exe, PowerShell and sh.
/* global process, console */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import lib from './native-lib.cjs'

const { cleanEnv, failureReason, flag, nativeProblems, stampName } = lib
const require = createRequire(import.meta.url)
const root = join(import.meta.dirname, '..')
const NATIVE_REL = join('build', 'Release', 'better_sqlite3.node')

function parseArgs(argv) {
  const o = { platform: process.platform, arch: process.arch, out: join(root, '.electron-native'), forPackage: false, fromSource: flag('PINGAN_NATIVE_FROM_SOURCE') }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${a} 后面缺少值`)
      return v
    }
    if (a === '--platform') o.platform = value()
    else if (a === '--arch') o.arch = value()
    else if (a === '--out') o.out = resolve(value())
    else if (a === '--for-package') o.forPackage = true
    else if (a === '--from-source') o.fromSource = true
    else throw new Error(`不认识的参数：${a}（可用：--platform P --arch A --out DIR --for-package --from-source）`)
  }
  return o
}

const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version

/** Electron's NODE_MODULE_VERSION, shipped by the electron package beside its version. */
function electronAbi() {
  const file = join(dirname(require.resolve('electron/package.json')), 'abi_version')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
}

/** The JS entry of node-gyp: the project's own (pinned by the lockfile), else the one npm brings along. */
function nodeGypEntry() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js')
  } catch {
    const fromNpm = process.env.npm_config_node_gyp
    if (fromNpm && fromNpm.endsWith('.js') && existsSync(fromNpm)) return fromNpm
    return null
  }
}

/**
 * Runs `node <entry> …args`. Its output is shown as it was (the real error, whole); on failure the
 * sentence returned carries the line that says why, for the summary.
 */
function runJs(entry, args, cwd, env) {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd, env, stdio: ['ignore', 'inherit', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
  const errText = r.stderr ? r.stderr.toString() : ''
  process.stderr.write(errText)
  if (r.error) return `无法启动：${r.error.message}`
  if (r.status === 0) return null
  const why = failureReason(errText)
  return `${r.signal ? `被信号 ${r.signal} 终止` : `退出码 ${r.status}`}${why ? `：${why}` : ''}`
}

function main() {
  const o = parseArgs(process.argv.slice(2))
  const electron = versionOf('electron')
  const betterSqlite3 = versionOf('better-sqlite3')
  const abi = electronAbi()
  const moduleDir = join(o.out, 'better-sqlite3')
  const target = join(moduleDir, NATIVE_REL)
  const stamp = join(moduleDir, stampName({ electron, betterSqlite3, platform: o.platform, arch: o.arch }))
  const what = `Electron ${electron}（ABI ${abi ?? '?'}）${o.platform}-${o.arch} 的 better-sqlite3 ${betterSqlite3}`

  if (existsSync(target) && existsSync(stamp)) {
    console.log(`${what} 已编译：${target}`)
    return 0
  }
  console.log(`为 ${what} 准备本机模块（只需一次）…`)
  // A fresh copy without build/: a half-finished or Node-built .node must never sit where the desktop program looks
  rmSync(moduleDir, { recursive: true, force: true })
  mkdirSync(o.out, { recursive: true })
  const source = dirname(require.resolve('better-sqlite3/package.json'))
  cpSync(source, moduleDir, { recursive: true, filter: (f) => resolve(f) !== join(source, 'build') })

  const env = cleanEnv(process.env)
  const check = () => {
    if (!existsSync(target)) return ['没有生成 better_sqlite3.node']
    // a development build only runs here; a package must also run on the oldest supported Linux
    return nativeProblems(readFileSync(target), { platform: o.platform, arch: o.arch, abi }, { newRuntime: !o.forPackage })
  }
  const failures = []

  if (!o.fromSource) {
    const prebuild = require.resolve('prebuild-install/bin.js')
    const err = runJs(prebuild, ['--runtime=electron', `--target=${electron}`, `--arch=${o.arch}`, `--platform=${o.platform}`, '--verbose'], moduleDir, env)
    const problems = err ? [err] : check()
    if (!problems.length) return done(target, stamp, what, '预编译包')
    failures.push(`预编译包（prebuild-install）：${problems.join('；')}`)
    rmSync(join(moduleDir, 'build'), { recursive: true, force: true })
  }

  if (o.platform !== process.platform) {
    failures.push(`从源码编译：不能在 ${process.platform} 上为 ${o.platform} 编译`)
    return fail(failures, target)
  }
  const gyp = nodeGypEntry()
  if (!gyp) {
    failures.push('从源码编译：找不到 node-gyp（npm install 后应在 node_modules/node-gyp）')
    return fail(failures, target)
  }
  const distUrl = process.env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers'
  const err = runJs(gyp, ['rebuild', '--release', `--target=${electron}`, '--runtime=electron', `--arch=${o.arch}`, `--dist-url=${distUrl}`], moduleDir, env)
  const problems = err ? [err] : check()
  if (!problems.length) return done(target, stamp, what, '从源码编译')
  failures.push(`从源码编译（node-gyp）：${problems.join('；')}`)
  return fail(failures, target)
}

function done(target, stamp, what, how) {
  writeFileSync(stamp, `${new Date().toISOString()} ${how}\n`)
  console.log(`${what}：${how}完成 → ${target}`)
  return 0
}

function fail(failures, target) {
  rmSync(target, { force: true })
  console.error(['', '为 Electron 准备 better-sqlite3 失败：', ...failures.map((f) => `  - ${f}`)].join('\n'))
  console.error(
    [
      '需要能下载 better-sqlite3 的 Electron 预编译包，或 Electron 的头文件（可设 ELECTRON_HEADERS_URL 指向本地镜像）加上',
      'Python 3 和 C++ 编译器（Windows：Visual Studio 生成工具）。浏览器模式（npm run serve）和命令行不受影响。',
    ].join('\n'),
  )
  return 1
}

try {
  process.exitCode = main()
} catch (e) {
  console.error(`为 Electron 准备 better-sqlite3 失败：${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
}
