import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { openApp } from '../../src/main/app'
import { runDemo } from '../../src/main/demo/demo'
import { launch, startServe } from '../e2e/harness'

const RUNS = 5

/**
 * Browser mode's first screen on the demo township, measured in Chromium at 1366×768: from the
 * navigation to the start page showing its rates (the entry script, the start page's chunk, the
 * first calls). Each run in a fresh browser context (nothing cached). Prints figures, asserts nothing.
 */
export async function benchFirstScreen(report: (name: string, value: string) => void): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  let t = performance.now()
  await build({ configFile: join(root, 'vite.renderer.config.ts'), logLevel: 'silent' })
  report('first screen: renderer build (s)', ((performance.now() - t) / 1000).toFixed(1))
  const out = join(root, 'out/renderer')
  const entry = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(readFileSync(join(out, 'index.html'), 'utf8'))?.[1]
  if (entry) report('first screen: entry script (KB, target ≤ 800)', (statSync(join(out, entry)).size / 1024).toFixed(0))

  const dataDir = mkdtempSync(join(tmpdir(), 'pingan-bench-first-'))
  const app = openApp(dataDir)
  try {
    runDemo(app.ctx, { scale: 1 })
  } finally {
    app.close()
  }
  const { proc, url } = await startServe(dataDir)
  const browser = await launch()
  try {
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
      const page = await context.newPage()
      t = performance.now()
      await page.goto(url)
      await page.locator('[data-rate="mediationRate"] .ant-statistic-content').waitFor()
      times.push(performance.now() - t)
      await context.close()
    }
    times.sort((a, b) => a - b)
    report('first screen: navigation → start page with its rates, demo township, median (ms, target ≤ 1000)', times[Math.floor(times.length / 2)]!.toFixed(0))
    report('first screen: fastest / slowest of 5 (ms)', `${times[0]!.toFixed(0)} / ${times[times.length - 1]!.toFixed(0)}`)
  } finally {
    await browser.close()
    proc.kill('SIGTERM')
    await new Promise((r) => proc.once('exit', r))
    rmSync(dataDir, { recursive: true, force: true })
  }
}
