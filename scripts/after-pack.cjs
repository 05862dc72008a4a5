'use strict'
/* global console, require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports, no-console -- CommonJS, which electron-builder require()s on any Node version; the hooks report to the build log */
// electron-builder afterPack hook (electron-builder.yml). Runs once per target arch, after app.asar and
// app.asar.unpacked are written and before installers are made:
//  1. puts the better-sqlite3 built by before-pack for this platform/arch (Electron's ABI) in place of the
//     copy electron-builder took from node_modules (built for Node, on and for the build machine);
//  2. refuses the package when any .node in it is for another machine (ELF e_machine / PE Machine), and
//     the SQLite module when it registers for another ABI than Electron's, or, on Linux, needs a glibc
//     newer than 2.28 or a libstdc++ newer than GCC 8's (the oldest systems the .deb promises to run on).
//
// Escapes, for layouts that are not released:
//  PINGAN_TEST_LAYOUT=1    keep node_modules' own build (Node's ABI, built on this machine, e.g. Debian 12
//                          with glibc 2.36): tests/desktop/dist.test.ts runs the unpacked app's main bundle
//                          under Node with the desktop stand-in, which can only load Node's build. The
//                          machine check still applies.
//  PINGAN_ALLOW_NEW_GLIBC=1 accept a module built against a newer glibc (a build for this machine only).
const { copyFileSync, existsSync, readdirSync, readFileSync } = require('node:fs')
const { join, relative } = require('node:path')
const { archName, flag, nativeProblems, packageNativeDir, testLayout } = require('./native-lib.cjs')

const root = join(__dirname, '..')
const NATIVE_REL = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

function nodeFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return nodeFiles(p)
    return e.name.endsWith('.node') ? [p] : []
  })
}

function electronAbi() {
  const file = join(root, 'node_modules', 'electron', 'abi_version')
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
}

module.exports = async function afterPack(context) {
  const platform = context.electronPlatformName
  const arch = archName(context.arch)
  const resources = platform === 'darwin' ? join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources') : join(context.appOutDir, 'resources')
  const unpacked = join(resources, 'app.asar.unpacked')
  const packaged = join(unpacked, NATIVE_REL)
  const testOnly = testLayout(context)

  if (!testOnly) {
    const built = join(packageNativeDir(root, platform, arch), 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    if (!existsSync(built)) throw new Error(`打包中止：没有为 ${platform}-${arch} 编译的 better-sqlite3（${built}），before-pack 应已生成它`)
    copyFileSync(built, packaged)
  }
  if (!existsSync(packaged)) throw new Error(`打包中止：包内没有 ${relative(context.appOutDir, packaged)}`)

  const target = { platform, arch }
  const problems = []
  for (const file of nodeFiles(unpacked)) {
    const isSqlite = file === packaged
    const found = nativeProblems(readFileSync(file), isSqlite ? { ...target, abi: electronAbi() } : target, {
      newRuntime: testOnly || flag('PINGAN_ALLOW_NEW_GLIBC'),
      otherAbi: testOnly,
    })
    for (const p of found) problems.push(`${relative(context.appOutDir, file)}：${p}`)
  }
  if (problems.length) throw new Error(`打包中止，本机模块与目标 ${platform}-${arch} 不符：\n  ${problems.join('\n  ')}`)
  console.log(`  • 本机模块检查通过：${platform}-${arch}${testOnly ? '（npmRebuild=false：Node 的构建，仅供本机测试，不能发布）' : ''}`)
}
