import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/**
 * Starts `serve` on a free port with a temp data folder (the renderer must be built: npm run
 * build:renderer) and Debian's Chromium, and hands the test a page already at the app's address.
 */
export interface E2E {
  page: Page
  url: string
  dataDir: string
  shot: (name: string) => Promise<void>
  close: () => Promise<void>
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SHOTS = join(process.cwd(), 'test-results')

export async function startServe(dataDir: string, extraArgs: string[] = []): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main/serve.ts', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PINGAN_QUIET: '1' },
  })
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => fail(new Error(`serve did not start: ${out} ${err}`)), 30_000)
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    })
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    proc.on('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)))
  })
  return { proc, url }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--lang=zh-CN'],
  })
}

/**
 * `operator`: the name the start-of-work dialog would ask for, stored before the page opens so the
 * dialog does not stand in the way; null leaves it empty (to test that dialog). `viewport`: the
 * window's size (default 1400×900; the clerk's office screen is 1366×768).
 */
export async function startApp(options: { dataDir?: string; operator?: string | null; viewport?: { width: number; height: number } } = {}): Promise<E2E> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pingan-e2e-'))
  const { proc, url } = await startServe(dataDir)
  const operator = options.operator === undefined ? '测试员' : options.operator
  if (operator) {
    const u = new URL(url)
    const res = await fetch(new URL('/api/invoke', u), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pingan-Token': u.searchParams.get('token')! },
      body: JSON.stringify({ method: 'settings.update', input: { operator } }),
    })
    if (!((await res.json()) as { ok: boolean }).ok) throw new Error('could not set the operator')
  }
  // a browser that will not start must not leave the server (and its writer lock) running
  const browser = await launch().catch((e: unknown) => {
    proc.kill('SIGTERM')
    throw e
  })
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 }, locale: 'zh-CN' })
  await page.goto(url)
  mkdirSync(SHOTS, { recursive: true })
  return {
    page,
    url,
    dataDir,
    shot: async (name) => {
      await page.screenshot({ path: join(SHOTS, `${name}.png`) })
    },
    close: async () => {
      await browser.close()
      proc.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 200))
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
