import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { binaryInfo, cleanEnv, failureReason, moduleAbis, nativeProblems, runtimeNeeds, stampName } from '../../scripts/native-lib.cjs'

/**
 * The pure parts of the native-module tooling (scripts/native-lib.cjs), the packaging gate
 * (scripts/after-pack.cjs) and scripts/electron-native.mjs run against a local server that has nothing:
 * it must try the prebuild first, then node-gyp, for Electron and not for Node, and fail saying why.
 */
const root = join(import.meta.dirname, '..', '..')
const require = createRequire(import.meta.url)
const afterPack = require('../../scripts/after-pack.cjs') as (context: unknown) => Promise<void>

/** A minimal ELF header for a machine, with text (symbol versions, exported names) after it. */
function elf(machine: number, text = ''): Buffer {
  const head = Buffer.alloc(64)
  head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0)
  head.writeUInt16LE(3, 16) // shared object
  head.writeUInt16LE(machine, 18)
  return Buffer.concat([head, Buffer.from(text, 'latin1')])
}

/** A minimal PE image header for a machine. */
function pe(machine: number): Buffer {
  const b = Buffer.alloc(256)
  b.write('MZ', 0, 'latin1')
  b.writeUInt32LE(0x80, 0x3c)
  b.write('PE\0\0', 0x80, 'latin1')
  b.writeUInt16LE(machine, 0x84)
  return b
}

const EM_X86_64 = 62
const EM_AARCH64 = 183
const OLD_LINUX = '\0GLIBC_2.2.5\0GLIBC_2.14\0GLIBC_2.28\0GLIBCXX_3.4.21\0node_register_module_v150\0'

describe('native module checks', () => {
  it('reads the machine of ELF and PE files', () => {
    expect(binaryInfo(elf(EM_X86_64))).toMatchObject({ format: 'elf', arch: 'x64' })
    expect(binaryInfo(elf(EM_AARCH64))).toMatchObject({ format: 'elf', arch: 'arm64' })
    expect(binaryInfo(pe(0x8664))).toMatchObject({ format: 'pe', arch: 'x64' })
    expect(binaryInfo(pe(0xaa64))).toMatchObject({ format: 'pe', arch: 'arm64' })
    expect(binaryInfo(Buffer.from('not a module at all, just text'))).toMatchObject({ format: 'unknown', arch: null })
    // the module this machine's Node uses
    const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
    if (process.platform === 'linux' && process.arch === 'x64') expect(binaryInfo(readFileSync(nodeBuild))).toMatchObject({ format: 'elf', arch: 'x64' })
    expect(moduleAbis(readFileSync(nodeBuild))).toContain(Number(process.versions.modules))
  })

  it('reads the highest glibc and libstdc++ versions a Linux module asks for', () => {
    expect(runtimeNeeds(elf(EM_X86_64, OLD_LINUX))).toEqual({ glibc: '2.28', glibcxx: '3.4.21' })
    expect(runtimeNeeds(elf(EM_X86_64, '\0GLIBC_2.9\0GLIBC_2.34\0GLIBC_2.17\0GLIBCXX_3.4.9\0GLIBCXX_3.4.29\0'))).toEqual({ glibc: '2.34', glibcxx: '3.4.29' })
  })

  it('accepts a module for the target and names every mismatch otherwise', () => {
    const linuxX64 = { platform: 'linux', arch: 'x64', abi: 150 }
    expect(nativeProblems(elf(EM_X86_64, OLD_LINUX), linuxX64)).toEqual([])
    expect(nativeProblems(elf(EM_X86_64, OLD_LINUX), { platform: 'linux', arch: 'arm64', abi: 150 })).toEqual(['为 x64 编译，目标是 arm64'])
    expect(nativeProblems(pe(0x8664), linuxX64)[0]).toContain('文件格式是 pe')
    const newer = nativeProblems(elf(EM_X86_64, '\0GLIBC_2.34\0GLIBCXX_3.4.29\0node_register_module_v150\0'), linuxX64)
    expect(newer).toEqual([expect.stringContaining('GLIBC_2.34'), expect.stringContaining('GLIBCXX_3.4.29')])
    const forNode = nativeProblems(elf(EM_X86_64, '\0GLIBC_2.17\0node_register_module_v115\0'), linuxX64)
    expect(forNode).toEqual([expect.stringMatching(/ABI 115.*ABI 150/)])
    // the escapes of a local test layout relax glibc and ABI, never the machine
    expect(nativeProblems(elf(EM_X86_64, '\0GLIBC_2.34\0node_register_module_v115\0'), linuxX64, { newRuntime: true, otherAbi: true })).toEqual([])
    expect(nativeProblems(elf(EM_AARCH64, ''), linuxX64, { newRuntime: true, otherAbi: true })).toHaveLength(1)
    // Windows modules have no glibc
    expect(nativeProblems(Buffer.concat([pe(0x8664), Buffer.from('GLIBC_2.99 node_register_module_v150')]), { platform: 'win32', arch: 'x64', abi: 150 })).toEqual([])
  })

  it('keys the build stamp on Electron, better-sqlite3 and the target', () => {
    const base = { electron: '45.4.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' }
    const s = stampName(base)
    expect(s).toContain('45.4.1')
    expect(s).toContain('12.11.1')
    const others = [{ ...base, electron: '45.4.2' }, { ...base, betterSqlite3: '12.12.0' }, { ...base, arch: 'arm64' }, { ...base, platform: 'win32' }].map(stampName)
    expect(new Set([s, ...others]).size).toBe(5)
    expect(s).not.toMatch(/[\\/:*?"<>|\s]/)
  })

  it('clears what npm passes down that would build for Node instead of Electron', () => {
    const env = cleanEnv({ PATH: '/bin', npm_config_nodedir: '/usr/include/node', NPM_CONFIG_NODEDIR: 'C:\\node', npm_config_target: '20.0.0', npm_config_runtime: 'node', npm_config_arch: 'ia32', npm_config_disturl: 'x', npm_config_dist_url: 'x', npm_config_cache: '/c', ELECTRON_HEADERS_URL: 'h' })
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c', ELECTRON_HEADERS_URL: 'h' })
  })

  it('finds the line that says why a download or build failed', () => {
    expect(failureReason(['prebuild-install info begin', 'prebuild-install http request GET https://x/y.tar.gz', 'prebuild-install warn install getaddrinfo ENOTFOUND x'].join('\n'))).toBe('getaddrinfo ENOTFOUND x（https://x/y.tar.gz）')
    const gyp = ['gyp http GET http://h/v45.4.1/node-v45.4.1-headers.tar.gz', 'gyp ERR! configure error', 'gyp ERR! stack Error: 404 response downloading http://h/v45.4.1/node-v45.4.1-headers.tar.gz', 'gyp ERR! stack at go (install.js:1:1)'].join('\n')
    expect(failureReason(gyp)).toBe('Error: 404 response downloading http://h/v45.4.1/node-v45.4.1-headers.tar.gz（http://h/v45.4.1/node-v45.4.1-headers.tar.gz）')
  })
})

describe('after-pack refuses a package whose native module would not load', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  function layout(module: Buffer): string {
    const out = mkdtempSync(join(tmpdir(), 'pingan-afterpack-'))
    const dir = join(out, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'better_sqlite3.node'), module)
    return out
  }
  const context = (appOutDir: string, arch: number) => ({ appOutDir, arch, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'pingan-ledger' } } })

  it('an x86-64 module in an arm64 package stops the build, even in a test layout', async () => {
    process.env.PINGAN_TEST_LAYOUT = '1'
    const out = layout(elf(EM_X86_64, OLD_LINUX))
    try {
      await expect(afterPack(context(out, 3))).rejects.toThrow(/为 x64 编译，目标是 arm64/)
      await expect(afterPack(context(out, 1))).resolves.toBeUndefined()
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('a release build without the Electron build of before-pack stops', async () => {
    delete process.env.PINGAN_TEST_LAYOUT
    const out = layout(elf(EM_AARCH64, OLD_LINUX))
    try {
      // ia32 is a target nobody builds for here, so .electron-native/package-linux-ia32 never exists
      await expect(afterPack(context(out, 0))).rejects.toThrow(/没有为 linux-ia32 编译的 better-sqlite3/)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})

describe('scripts/electron-native.mjs', () => {
  it('tries Electron’s prebuild, then node-gyp with Electron’s headers, and fails clearly when neither can be had', async () => {
    const asked: string[] = []
    const server = createServer((req, res) => {
      asked.push(req.url ?? '')
      res.writeHead(404).end('not here')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const out = mkdtempSync(join(tmpdir(), 'pingan-native-'))
    try {
      const env = {
        ...process.env,
        // what an npm run under a Node-oriented .npmrc passes down: must not turn this into a Node build
        npm_config_nodedir: join(out, 'node-headers'),
        npm_config_runtime: 'node',
        npm_config_target: process.versions.node,
        // what `npm run -s` passes down: must not silence node-gyp's own error
        npm_config_loglevel: 'silent',
        npm_config_better_sqlite3_binary_host: base,
        ELECTRON_HEADERS_URL: base,
        PINGAN_NATIVE_FROM_SOURCE: '',
      }
      const child = spawn(process.execPath, [join(root, 'scripts', 'electron-native.mjs'), '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (d: Buffer) => (output += d.toString()))
      child.stderr.on('data', (d: Buffer) => (output += d.toString()))
      const code = await new Promise<number | null>((r) => child.on('close', r))

      expect(code, output).toBe(1)
      const electron = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version
      const abi = readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim()
      const prebuild = asked.findIndex((u) => u.endsWith(`-electron-v${abi}-${process.platform}-${process.arch}.tar.gz`))
      const headers = asked.findIndex((u) => u.includes(`/v${electron}/node-v${electron}-headers.tar.gz`))
      expect(prebuild, asked.join('\n')).toBeGreaterThanOrEqual(0)
      expect(headers, asked.join('\n')).toBeGreaterThan(prebuild)
      expect(output).toContain('为 Electron 准备 better-sqlite3 失败')
      expect(output).toMatch(/预编译包（prebuild-install）：退出码 1：No prebuilt binaries found.*electron-v\d+/)
      expect(output).toMatch(/从源码编译（node-gyp）：退出码 1：.*404/)
      // nothing half-made where the desktop program looks for it
      expect(existsSync(join(out, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(false)
    } finally {
      server.close()
      rmSync(out, { recursive: true, force: true })
    }
  })
})
