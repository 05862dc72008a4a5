import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { listPackage } from '@electron/asar'

/**
 * The size of what `npm run dist` packs: app.asar (target ≤ 40 MiB) and the unpacked native module, for
 * every unpacked layout in dist/ (linux-unpacked, linux-arm64-unpacked, win-unpacked…). Does not build:
 * with no dist/ it says how to make one (tests/desktop/dist.test.ts makes the Linux x64 one).
 */
const root = join(import.meta.dirname, '..', '..')
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

export async function benchDist(report: (name: string, value: string) => void): Promise<void> {
  const dist = join(root, 'dist')
  const layouts = existsSync(dist) ? readdirSync(dist).filter((d) => d.endsWith('-unpacked') && existsSync(join(dist, d, 'resources', 'app.asar'))) : []
  if (!layouts.length) {
    console.log('   dist/ 中没有打好的程序；先运行 PINGAN_TEST_LAYOUT=1 npm run dist -- --dir --linux --x64 -c.electronDist=目录 -c.npmRebuild=false（见 electron-builder.yml）')
    return
  }
  for (const layout of layouts) {
    const resources = join(dist, layout, 'resources')
    const asar = join(resources, 'app.asar')
    report(`${layout}: app.asar (target ≤ 40 MiB)`, MiB(statSync(asar).size))
    report(`${layout}: app.asar entries`, String(listPackage(asar, { isPack: false }).length))
    const native = join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    if (existsSync(native)) report(`${layout}: better_sqlite3.node (unpacked)`, MiB(statSync(native).size))
  }
}
