'use strict'
/* global process, console, require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports, no-console -- CommonJS, which electron-builder require()s on any Node version; the hooks report to the build log */
// electron-builder beforePack hook (electron-builder.yml): builds better-sqlite3 for Electron and for the
// target's platform and architecture (each arch of a multi-arch build gets its own), into
// .electron-native/package-<platform>-<arch>/. scripts/after-pack.cjs puts it into the package.
const { spawnSync } = require('node:child_process')
const { join } = require('node:path')
const { archName, packageNativeDir, testLayout } = require('./native-lib.cjs')

const root = join(__dirname, '..')

module.exports = async function beforePack(context) {
  const platform = context.electronPlatformName
  const arch = archName(context.arch)
  if (testLayout(context)) {
    console.log(`  • npmRebuild=false（或 PINGAN_TEST_LAYOUT）：不为 Electron 编译本机模块，包内保留 node_modules 中为 Node 编译的那份（仅供本机测试，不能发布）`)
    return
  }
  const out = packageNativeDir(root, platform, arch)
  const r = spawnSync(process.execPath, [join(__dirname, 'electron-native.mjs'), '--platform', platform, '--arch', arch, '--out', out, '--for-package'], { stdio: 'inherit' })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`为 ${platform}-${arch} 准备 better-sqlite3 失败（原因见上方输出），打包中止`)
}
