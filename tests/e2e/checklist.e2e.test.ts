import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp } from '../../src/main/app'
import { runDemo } from '../../src/main/demo/demo'
import { startApp, type E2E } from './harness'

/**
 * 创建自查 in the browser against the demo township: open the matrix, enter a survey figure in a cell,
 * and watch the cell change colour and text; mark a criterion 不适用 (only with a reason); a bad set
 * file is refused with a list of what is wrong.
 */
let e2e: E2E
let dataDir: string
let villageId: string
/** the machine is shared and slow: wait for a change up to 20 s (never a timing assertion) */
const POLL = { timeout: 20_000, interval: 100 }

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-checklist-'))
  const app = openApp(dataDir)
  runDemo(app.ctx, { scale: 1 })
  villageId = (app.ctx.db.prepare("SELECT id FROM villages WHERE name = '新塘村'").get() as { id: string }).id
  app.close()
  e2e = await startApp({ dataDir })
})

afterAll(async () => {
  await e2e?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('创建自查', () => {
  it('shows the matrix for the demo township and turns a cell from 待核实 to 达标 and 未达标 as a survey figure is entered', async () => {
    const { page } = e2e
    await page.getByRole('menuitem', { name: '创建自查' }).click()
    await page.getByTestId('set-select').click()
    await page.locator('.ant-select-item-option', { hasText: '全县平安村居创建标准' }).click()
    await page.getByRole('tab', { name: /平安村居/ }).click()

    const cell = page.locator(`[data-cell="${villageId}|cunju.common.10"]`)
    await expect.poll(() => cell.getAttribute('data-status'), POLL).toBe('unknown')
    expect(await cell.innerText()).toBe('待核实')
    // the roll-up table is there with the overall row
    await expect.poll(() => page.getByTestId('rollups').innerText(), POLL).toContain('全部创建对象')
    await e2e.shot('checklist-matrix')

    await cell.click()
    const drawer = page.getByTestId('cell-drawer')
    await drawer.waitFor()
    expect(await drawer.innerText()).toContain('群众（干部职工）基本安全防范常识知晓率')
    const input = page.locator('input[data-testid="value-awareness"], [data-testid="value-awareness"] input')
    await input.fill('95')
    await page.getByPlaceholder(/说明/).fill('2026年5月入户问卷，样本200份')
    await page.getByTestId('save-entry').click()
    await expect.poll(() => page.getByTestId('drawer-status').innerText(), POLL).toBe('达标')
    await expect.poll(() => cell.getAttribute('data-status'), POLL).toBe('met')
    expect(await cell.innerText()).toBe('达标')
    await e2e.shot('checklist-cell-met')

    await input.fill('80')
    await page.getByTestId('save-entry').click()
    await expect.poll(() => cell.getAttribute('data-status'), POLL).toBe('unmet')
    expect(await cell.innerText()).toBe('未达标')
    await expect.poll(() => page.getByTestId('drawer-status').innerText(), POLL).toBe('未达标')
    await e2e.shot('checklist-cell-unmet')
    await page.locator('.ant-drawer-close').click()
    await page.getByTestId('cell-drawer').waitFor({ state: 'hidden' })
    await e2e.shot('checklist-matrix-after-entry')
  })

  it('asks 安全感 and 满意度 as two values, and takes 不适用 only with its reason, showing it as its own state', async () => {
    const { page } = e2e
    await page.reload()
    await page.getByRole('menuitem', { name: '创建自查' }).click()
    await page.getByTestId('set-select').click()
    await page.locator('.ant-select-item-option', { hasText: '全县平安村居创建标准' }).click()
    await page.getByRole('tab', { name: /平安村居/ }).click()
    const cell = page.locator(`[data-cell="${villageId}|cunju.common.11"]`)
    await expect.poll(() => cell.getAttribute('data-status'), POLL).toBe('unknown')
    await cell.click()
    await page.getByTestId('cell-drawer').waitFor()
    for (const key of ['safetySense', 'satisfaction']) await page.locator(`input[data-testid="value-${key}"], [data-testid="value-${key}"] input`).waitFor()

    await page.getByText('本条对该创建对象不适用').click()
    await page.getByTestId('save-entry').click()
    await page.getByText('标为不适用时，请写明不适用的原因').waitFor()
    expect(await cell.getAttribute('data-status')).toBe('unknown')
    await page.getByPlaceholder(/不适用的原因/).fill('本村当年未开展群众安全感调查，由县统一测评')
    await page.getByTestId('save-entry').click()
    await expect.poll(() => page.getByTestId('drawer-status').innerText(), POLL).toBe('不适用')
    await expect.poll(() => cell.getAttribute('data-status'), POLL).toBe('na')
    expect(await cell.innerText()).toBe('不适用')
    expect(await page.getByTestId('cell-drawer').innerText()).toContain('不适用原因：本村当年未开展群众安全感调查，由县统一测评')
    await e2e.shot('checklist-cell-not-applicable')
    await page.locator('.ant-drawer-close').click()
    await page.getByTestId('cell-drawer').waitFor({ state: 'hidden' })
  })

  it('refuses a bad set file with the list of what is wrong', async () => {
    const { page } = e2e
    await page.reload()
    await page.getByRole('menuitem', { name: '创建自查' }).click()
    const bad = { formatVersion: 1, id: 'bad-set', title: '', source: '县文件', targets: [{ id: 'moon', label: '月球' }], criteria: [] }
    await page.getByTestId('import-set-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) })
    const list = page.getByTestId('import-errors')
    await list.waitFor()
    const text = await list.innerText()
    expect(text).toContain('title：不能为空')
    expect(text).toContain('criteria：至少应有 1 项')
    expect(await page.getByRole('dialog', { name: '标准集文件未导入' }).innerText()).toContain('未导入任何内容')
    await e2e.shot('checklist-import-refused')
    await page.getByRole('button', { name: '知道了' }).click()
    await page.getByRole('dialog', { name: '标准集文件未导入' }).waitFor({ state: 'hidden' })
    await page.getByTestId('set-select').click()
    expect(await page.locator('.ant-select-item-option', { hasText: 'bad-set' }).count()).toBe(0)
  })
})
