// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules built for Node
// (tests, CLI and browser mode keep working). src/main/index.ts points the database at this binding.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const root = join(import.meta.dirname, '..')
const out = join(root, '.electron-native')
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
const target = join(out, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const stamp = join(out, `electron-${electronVersion}`)

if (existsSync(target) && existsSync(stamp)) process.exit(0)
console.log(`为 Electron ${electronVersion} 编译 better-sqlite3（只需一次）…`)
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
cpSync(join(root, 'node_modules', 'better-sqlite3'), join(out, 'better-sqlite3'), { recursive: true })
try {
  // npm run sets npm_config_node_gyp to npm's own node-gyp
  const gyp = process.env.npm_config_node_gyp
  const [cmd, pre] = gyp ? [process.execPath, [gyp]] : ['npx', ['--yes', 'node-gyp']]
  execFileSync(cmd, [...pre, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', `--dist-url=${process.env.ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers'}`], {
    cwd: join(out, 'better-sqlite3'),
    stdio: 'inherit',
  })
  mkdirSync(stamp, { recursive: true })
} catch {
  console.error('编译失败：需要能取得 Electron 头文件（或设置 ELECTRON_HEADERS_URL 指向本地镜像）。浏览器模式（npm run serve）不受影响。')
  process.exit(1)
}
