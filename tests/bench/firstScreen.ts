import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { openApp } from '../../src/main/app'
import { runDemo } from '../../src/main/demo/demo'
import type { BrowserContext } from 'playwright-core'
import { launch, startServe } from '../e2e/harness'
import { middle } from './measure'

const RUNS = 5

/**
 * Browser mode's first screen on the demo township, measured in Chromium at 1366×768: from the
 * navigation to the start page's rates painted (the entry script, the start page's chunk, the first
 * calls, the first drawing). Each run in a fresh browser context (nothing cached), then in one that
 * opened the program before (a clerk's every day). Prints figures, asserts nothing.
 */
export async function benchFirstScreen(report: (name: string, value: string) => void): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const t = performance.now()
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
    // the moment the rates are painted, measured in the page from the navigation's start: the first
    // frame drawn after the rates' element appeared. (Playwright's own waiting polls at growing intervals
    // — 0, 20, 50, 100, 100, 500 ms — and would add up to half a second that no clerk sees.)
    const watch = `(() => {
      const mo = new MutationObserver(() => {
        if (!document.querySelector(${JSON.stringify(SELECTOR)})) return
        mo.disconnect()
        requestAnimationFrame(() => setTimeout(() => (window.__firstScreen = performance.now())))
      })
      mo.observe(document, { subtree: true, childList: true })
    })()`
    const open = async (context: BrowserContext) => {
      const page = await context.newPage()
      await page.goto(url)
      // a function, not a string: the page's CSP forbids eval
      const seen = () => (globalThis as { __firstScreen?: number }).__firstScreen
      await page.waitForFunction(seen, undefined, { polling: 'raf' })
      const ms = (await page.evaluate(seen))!
      await page.close()
      return ms
    }
    const fresh = async () => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
      await context.addInitScript(watch)
      try {
        return await open(context)
      } finally {
        await context.close()
      }
    }
    // the first screen while the server's start-up check (integrity_check on a worker) still runs
    report('first screen: at once after the server started, beside its start-up check (ms)', (await fresh()).toFixed(0))
    await startUpCheckDone(url)
    const cold: number[] = []
    for (let i = 0; i < RUNS; i++) cold.push(await fresh())
    report('first screen: navigation → start page with its rates painted, demo township, nothing cached, median (ms, target ≤ 1000)', middle(cold).toFixed(0))
    report('first screen: nothing cached, fastest / slowest of 5 (ms)', `${Math.min(...cold).toFixed(0)} / ${Math.max(...cold).toFixed(0)}`)
    // the clerk's every day: the browser has the program's scripts (and V8's compiled code) from before
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    await context.addInitScript(watch)
    try {
      for (let i = 0; i < 2; i++) await open(context)
      const warm: number[] = []
      for (let i = 0; i < RUNS; i++) warm.push(await open(context))
      report('first screen: the same, opened before (scripts from the browser\'s cache), median (ms)', middle(warm).toFixed(0))
    } finally {
      await context.close()
    }
  } finally {
    await browser.close()
    proc.kill('SIGTERM')
    await new Promise((r) => proc.once('exit', r))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const SELECTOR = '[data-rate="mediationRate"] .rate-value'

/** Waits (by asking, no fixed sleep) until the server's background integrity check has finished. */
async function startUpCheckDone(url: string): Promise<void> {
  const u = new URL(url)
  for (;;) {
    const res = await fetch(new URL('/api/invoke', u), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pingan-Token': u.searchParams.get('token')! },
      body: JSON.stringify({ method: 'recovery.status', input: {} }),
    })
    const r = (await res.json()) as { ok: boolean; data?: { integrity?: string } }
    if (!r.ok || r.data?.integrity !== 'running') return
    await new Promise((ok) => setTimeout(ok, 100))
  }
}
