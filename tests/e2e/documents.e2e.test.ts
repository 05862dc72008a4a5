import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, SHOTS, type E2E } from './harness'

/**
 * 文书打印 in a real browser: a demo township (made by the CLI, as a clerk's 演示数据 would be),
 * the 巡逻记录台账 generated from the page and caught as a download: a .docx (a zip) whose
 * document holds the register.
 */
let e: E2E
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-doc-'))
  execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'demo', '--data-dir', dataDir], { stdio: 'ignore', env: { ...process.env, PINGAN_QUIET: '1' }, timeout: 120_000 })
  e = await startApp({ dataDir })
  await e.page.getByRole('menuitem', { name: '文书打印' }).waitFor()
  // the start of a day's work asks who is working (the audit trail's operator)
  const dialog = e.page.getByRole('dialog', { name: '请填写操作员' })
  if (await dialog.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
    await dialog.getByLabel('操作员姓名').fill('张三')
    await dialog.getByRole('button', { name: '开始工作' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }
}, 180_000)

afterAll(async () => {
  await e?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('文书打印', () => {
  it('lists every document kind in its group and downloads the patrol register', async () => {
    const page = e.page
    await page.getByRole('menuitem', { name: '文书打印' }).click()
    for (const group of ['台账', '案卷', '自查与申报', '迎检档案']) await expect(page.locator(`[data-group="${group}"] > .ant-card-head`).innerText()).resolves.toContain(group)
    for (const label of ['成员花名册', '巡逻记录台账', '矛盾纠纷排查调处台账', '帮教对象花名册及走访记录', '调解案卷', '帮教档案', '自查报告', '迎检档案'])
      await expect(page.getByText(label, { exact: true }).first().isVisible()).resolves.toBe(true)
    // a case file cannot be made before a case is chosen
    const caseCard = page.locator('[data-kind="mediation-case"]')
    await expect(caseCard.getByRole('button', { name: /生成并下载/ }).isDisabled()).resolves.toBe(true)
    await expect(caseCard.getByText('请先选择矛盾纠纷案件').isVisible()).resolves.toBe(true)

    const card = page.locator('[data-kind="patrols"]')
    const year = new Date().getFullYear()
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), card.getByRole('button', { name: /生成并下载/ }).click()])
    expect(download.suggestedFilename()).toBe(`大托铺街道_${year}年_巡逻记录台账.docx`)
    const file = join(dataDir, 'patrols.docx')
    await download.saveAs(file)
    const buf = readFileSync(file)
    expect(buf.subarray(0, 4).toString('binary')).toBe('PK\x03\x04')
    const xml = await (await JSZip.loadAsync(buf)).file('word/document.xml')!.async('string')
    expect(xml).toContain(`大托铺街道${year}年巡逻记录台账`)
    expect(xml).toContain('<w:tblHeader/>')
    await page.getByText(/已生成 大托铺街道_\d{4}年_巡逻记录台账\.docx/).first().waitFor()
    await page.screenshot({ path: join(SHOTS, 'documents-page.png'), fullPage: true })
  }, 120_000)
})
