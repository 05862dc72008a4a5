'use strict'
/* global process, require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, which electron-builder require()s on any Node version */
const { join } = require('node:path')
// Pure helpers for the native SQLite module (better_sqlite3.node): what machine it was built for, which
// glibc/libstdc++ it needs, which Node/Electron ABI it registers for. Shared by scripts/electron-native.mjs
// (development and packaging builds) and scripts/after-pack.cjs (the packaging gate); CommonJS so that
// electron-builder's hook can require() it on any Node version. Tested in tests/desktop/packaging-native.test.ts.

/** ELF e_machine and PE Machine values → Node's process.arch names */
const ELF_MACHINES = { 3: 'ia32', 40: 'armv7l', 62: 'x64', 183: 'arm64' }
const PE_MACHINES = { 0x14c: 'ia32', 0x1c4: 'armv7l', 0x8664: 'x64', 0xaa64: 'arm64' }

/**
 * The oldest Linux the packages support (统信UOS 20 / 麒麟 V10 / Debian 10 / RHEL 8 class systems): glibc
 * 2.28 and the libstdc++ of GCC 8 (GLIBCXX_3.4.25). A .node that needs newer symbol versions fails to
 * load there with "version `GLIBC_2.34' not found", which the clerk sees as 程序文件不完整或与本机不兼容.
 */
const MAX_GLIBC = '2.28'
const MAX_GLIBCXX = '3.4.25'

/**
 * Reads the header of a native module. format 'elf' | 'pe' | 'macho' | 'unknown'; arch is Node's name
 * (x64, arm64, ia32, armv7l) or null when the machine is one we do not ship.
 */
function binaryInfo(buf) {
  if (buf.length >= 20 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46) {
    const little = buf[5] !== 2
    const machine = little ? buf.readUInt16LE(18) : buf.readUInt16BE(18)
    return { format: 'elf', machine, arch: ELF_MACHINES[machine] || null, bits: buf[4] === 2 ? 64 : 32 }
  }
  if (buf.length >= 64 && buf[0] === 0x4d && buf[1] === 0x5a) {
    const pe = buf.readUInt32LE(0x3c)
    if (pe + 6 <= buf.length && buf.readUInt32LE(pe) === 0x00004550) {
      const machine = buf.readUInt16LE(pe + 4)
      return { format: 'pe', machine, arch: PE_MACHINES[machine] || null }
    }
  }
  if (buf.length >= 8) {
    const magic = buf.readUInt32LE(0)
    if (magic === 0xfeedfacf || magic === 0xfeedface || magic === 0xbebafeca) return { format: 'macho', machine: magic, arch: null }
  }
  return { format: 'unknown', machine: null, arch: null }
}

/** Compares dotted versions numerically ('2.28' < '2.34', '3.4.9' < '3.4.25'). */
function compareVersions(a, b) {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/**
 * The symbol versions a Linux .node asks of the C and C++ runtimes, read from its version strings
 * (.gnu.version_r keeps them as plain text: "GLIBC_2.34", "GLIBCXX_3.4.29"). Highest of each, or null.
 */
function runtimeNeeds(buf) {
  const text = buf.toString('latin1')
  const highest = (re) => {
    let best = null
    for (const m of text.matchAll(re)) if (best === null || compareVersions(m[1], best) > 0) best = m[1]
    return best
  }
  return { glibc: highest(/GLIBC_(\d+\.\d+(?:\.\d+)?)/g), glibcxx: highest(/GLIBCXX_(\d+\.\d+(?:\.\d+)?)/g) }
}

/** The ABIs the module registers for: NODE_MODULE_INIT exports node_register_module_v<ABI>. */
function moduleAbis(buf) {
  const text = buf.toString('latin1')
  return [...new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b)
}

const FORMAT_OF_PLATFORM = { linux: 'elf', win32: 'pe', darwin: 'macho' }

/**
 * Everything wrong with a native module for a target, as sentences for the build log (empty: fine).
 *   target: { platform: 'linux'|'win32'|'darwin', arch: 'x64'|'arm64'|…, abi?: number }
 *   allow:  { newRuntime?: boolean, otherAbi?: boolean }: the escapes of a local test layout
 * The machine check has no escape: an x86-64 file in an arm64 package never loads.
 */
function nativeProblems(buf, target, allow = {}) {
  const problems = []
  const info = binaryInfo(buf)
  const wantFormat = FORMAT_OF_PLATFORM[target.platform]
  if (wantFormat && info.format !== wantFormat)
    problems.push(`文件格式是 ${info.format}，${target.platform} 需要 ${wantFormat}`)
  else if (info.arch !== target.arch && info.format !== 'macho')
    problems.push(`为 ${info.arch || `未知机器(${info.machine})`} 编译，目标是 ${target.arch}`)
  if (target.platform === 'linux' && info.format === 'elf' && !allow.newRuntime) {
    const need = runtimeNeeds(buf)
    if (need.glibc && compareVersions(need.glibc, MAX_GLIBC) > 0)
      problems.push(`需要 GLIBC_${need.glibc}，高于支持的最低系统（glibc ${MAX_GLIBC}）`)
    if (need.glibcxx && compareVersions(need.glibcxx, MAX_GLIBCXX) > 0)
      problems.push(`需要 GLIBCXX_${need.glibcxx}，高于支持的最低系统（GCC 8 的 libstdc++，GLIBCXX_${MAX_GLIBCXX}）`)
  }
  if (target.abi && !allow.otherAbi) {
    const abis = moduleAbis(buf)
    if (!abis.includes(target.abi))
      problems.push(`为 ABI ${abis.join('/') || '（未知）'} 编译，Electron 需要 ABI ${target.abi}（多半是为 Node 编译的那一份）`)
  }
  return problems
}

/**
 * The name of the stamp file kept beside a finished build. It names everything the build depends on,
 * so a new Electron or a new better-sqlite3 (or another target) never reuses an old binary.
 */
function stampName({ electron, betterSqlite3, platform, arch }) {
  const safe = (s) => String(s).replace(/[^0-9A-Za-z.+-]/g, '_')
  return `.stamp-electron-${safe(electron)}-better-sqlite3-${safe(betterSqlite3)}-${safe(platform)}-${safe(arch)}`
}

/**
 * The environment for node-gyp / prebuild-install. npm passes its configuration down as npm_config_*
 * variables; a nodedir (Node's own headers), target, runtime, arch or dist-url set for Node there would
 * silently build for Node instead of Electron. Environment names are case-insensitive on Windows, so
 * they are matched ignoring case.
 */
// loglevel: `npm run -s` passes npm_config_loglevel=silent down, which would silence node-gyp's own
// error, the one the clerk's technician needs
const MISLEADING = new Set(['nodedir', 'target', 'target_arch', 'arch', 'runtime', 'disturl', 'dist_url', 'target_platform', 'platform', 'build_from_source', 'loglevel'])
function cleanEnv(env) {
  const out = {}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue
    const m = /^npm_config_(.+)$/i.exec(k)
    if (m && MISLEADING.has(m[1].toLowerCase().replace(/-/g, '_'))) continue
    out[k] = v
  }
  return out
}

/** Node's arch name for electron-builder's Arch enum value (ia32 = 0, x64 = 1, armv7l = 2, arm64 = 3, universal = 4). */
function archName(arch) {
  if (typeof arch === 'string') return arch
  const name = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][arch]
  if (!name) throw new Error(`unknown electron-builder arch ${arch}`)
  return name
}

/**
 * The one or two lines of a failed prebuild-install / node-gyp run that say what went wrong (their full
 * output is shown above it; this goes into the summary), with the address it tried to fetch.
 */
function failureReason(output) {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const url = lines.filter((l) => /^(prebuild-install http request GET|gyp http GET) /.test(l)).pop()
  const urlText = url ? `（${url.replace(/^.*GET /, '')}）` : ''
  const warn = lines.filter((l) => /^prebuild-install warn /.test(l)).pop()
  if (warn) return warn.replace(/^prebuild-install warn (install )?/, '') + urlText
  const first = lines.findIndex((l) => /^gyp ERR! stack \w*Error\b/.test(l))
  if (first >= 0) {
    const said = []
    for (const l of lines.slice(first)) {
      const text = l.replace(/^gyp ERR! stack /, '')
      if (!l.startsWith('gyp ERR! stack') || text.startsWith('at ')) break
      said.push(text)
    }
    return said.join(' ') + urlText
  }
  const last = lines.filter((l) => /error|ERR!/i.test(l)).pop()
  return last ? last + urlText : ''
}

/** Where before-pack builds the module for one target, and after-pack takes it from. */
function packageNativeDir(root, platform, arch) {
  return join(root, '.electron-native', `package-${platform}-${arch}`)
}

/** True when an environment flag is set to something meaning yes. */
function flag(name, env = process.env) {
  const v = env[name]
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
}

/**
 * A layout for this machine's own tests: `-c.npmRebuild=false` (do not build native modules) or
 * PINGAN_TEST_LAYOUT=1. The package then keeps node_modules' own build of better-sqlite3 (Node's ABI,
 * built here), downloads nothing, and must never be published: after-pack still refuses a module of
 * another machine type, but not one of Node's ABI or of a newer glibc.
 */
function testLayout(context, env = process.env) {
  return flag('PINGAN_TEST_LAYOUT', env) || context?.packager?.config?.npmRebuild === false
}

exports.testLayout = testLayout
exports.MAX_GLIBC = MAX_GLIBC
exports.MAX_GLIBCXX = MAX_GLIBCXX
exports.binaryInfo = binaryInfo
exports.compareVersions = compareVersions
exports.runtimeNeeds = runtimeNeeds
exports.moduleAbis = moduleAbis
exports.nativeProblems = nativeProblems
exports.stampName = stampName
exports.cleanEnv = cleanEnv
exports.archName = archName
exports.flag = flag
exports.packageNativeDir = packageNativeDir
exports.failureReason = failureReason
