import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { openApp } from '../../src/main/app'
import { launch, SHOTS, startServe } from './harness'

/**
 * Browser mode's recovery screen when the database would not open for a reason that is not the
 * file's fault (here another program holds it): the plain message and the error to copy, and no
 * restore or start-empty, which would move a healthy file aside.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-recovery-'))
let holder: ChildProcess | null = null
let serve: ChildProcess | null = null
let browser: Browser | null = null

afterAll(async () => {
  await browser?.close()
  serve?.kill('SIGTERM')
  holder?.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')

describe('recovery screen in browser mode', () => {
  it('another program holds the database: the plain message, no restore or start empty, the file untouched', async () => {
    const a = openApp(dataDir)
    await a.invoke('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
    await a.invoke('backups.create', {})
    a.close()
    const live = join(dataDir, 'pingan.db')
    const before = sha(live)
    // another program (a database viewer, say) keeps an exclusive lock on the file
    holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(live)}); db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((ok) => holder!.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && ok()))

    const started = await startServe(dataDir)
    serve = started.proc
    browser = await launch()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
    await page.goto(started.url)
    await page.getByText('数据库正被别的程序占用').waitFor()
    await page.getByText(/数据库正被占用.*数据未作任何改动/).waitFor()
    await page.getByRole('button', { name: '复制错误信息' }).waitFor()
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, 'recovery-01-locked.png') })
    expect(await page.getByRole('button', { name: /恢复最近的备份/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /空白数据库|其他处理方式/ }).count()).toBe(0)
    expect(await page.getByText('数据库文件已损坏').count()).toBe(0)
    expect(sha(live)).toBe(before)
    expect(readdirSync(dataDir).filter((f) => /broken|newer/.test(f))).toEqual([])
  })
})
