import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import type { Browser } from 'playwright-core'
import { pageSizeOf } from '../helpers'
import { launch, SHOTS, startApp, startServe, type E2E } from './harness'

/** Backups, restore and its undo, the audit trail screen, and the recovery screen, in a real browser. */
const dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-backup-'))
let e: E2E
let second: { proc: ChildProcess; browser: Browser } | null = null

beforeAll(async () => {
  e = await startApp({ dataDir, operator: null })
})
afterAll(async () => {
  await e?.close().catch(() => undefined)
  if (second) {
    await second.browser.close()
    second.proc.kill('SIGTERM')
  }
  rmSync(dataDir, { recursive: true, force: true })
})

/** Which of the two villages the organisation screen shows (新塘村 is in every state of this test). */
async function villagesShown(): Promise<string[]> {
  const { page } = e
  await page.getByRole('menuitem', { name: '备份恢复' }).click()
  await page.getByRole('menuitem', { name: '组织机构' }).click()
  await page.getByRole('cell', { name: '新塘村', exact: true }).waitFor()
  const shown = ['新塘村']
  if ((await page.getByRole('cell', { name: '桂井村', exact: true }).count()) > 0) shown.push('桂井村')
  return shown.sort()
}

async function addVillage(name: string): Promise<void> {
  const { page } = e
  await page.getByRole('menuitem', { name: '组织机构' }).click()
  await page.getByRole('button', { name: '新增村（社区）' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('名称').fill(name)
  await dialog.getByRole('button', { name: '保存' }).click()
  await page.getByRole('cell', { name }).waitFor()
}

describe('backup, restore and undo; audit trail; recovery screen', () => {
  it('asks for the operator at the start of work', async () => {
    const { page } = e
    await page.getByText('欢迎使用平安台账').waitFor()
    await page.getByLabel('乡镇（街道）名称').fill('大托铺街道')
    await page.getByLabel('乡镇（街道）区划代码（9位或12位）').fill('430103005')
    await page.getByLabel('所属县（区）名称').fill('长沙市天心区')
    await page.getByRole('button', { name: '完成设置，开始使用' }).click()
    await page.getByText('大托铺街道 平安台账').waitFor()
    // a new day's work: the program is opened again
    await page.reload()
    const dialog = page.getByRole('dialog', { name: '请填写操作员' })
    await dialog.waitFor()
    await dialog.getByLabel('操作员姓名').fill('张三')
    await dialog.getByRole('button', { name: '开始工作' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.ant-layout-sider').getByText('操作员：张三').waitFor()
  })

  it('makes a backup, restores it, and undoes the restore', async () => {
    const { page } = e
    await addVillage('新塘村')
    await page.getByRole('menuitem', { name: '备份恢复' }).click()
    await page.getByRole('button', { name: '立即备份' }).click()
    await page.getByText('已备份并校验通过').waitFor()
    const manualRow = page.locator('tr', { hasText: '手动' })
    await manualRow.waitFor()
    expect(await manualRow.textContent()).toContain('村（社区） 1')

    await addVillage('桂井村')
    expect(await villagesShown()).toEqual(['新塘村', '桂井村'].sort())

    await page.getByRole('menuitem', { name: '备份恢复' }).click()
    await manualRow.getByRole('button', { name: '恢复' }).click()
    await page.locator('.ant-popconfirm').getByRole('button', { name: '恢复' }).click()
    await page.getByText('恢复前的数据已另存为备份').waitFor()
    await page.locator('tr', { hasText: '恢复前的数据' }).waitFor()
    await e.shot('backup-01-restored')
    expect(await villagesShown()).toEqual(['新塘村'])

    await page.getByRole('menuitem', { name: '备份恢复' }).click()
    await page.getByRole('button', { name: '撤销恢复' }).click()
    await page.getByText('已撤销恢复').waitFor()
    expect(await villagesShown()).toEqual(['新塘村', '桂井村'].sort())
  })

  it('deletes a backup made by hand after asking, and only backups kept until deleted offer 删除', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '备份恢复' }).click()
    const manualRows = page.locator('tbody tr', { hasText: '手动' })
    await manualRows.first().waitFor()
    const before = await manualRows.count()
    await page.getByRole('button', { name: '立即备份' }).click()
    await page.getByText('已备份并校验通过').waitFor()
    await manualRows.nth(before).waitFor()
    // automatic backups are pruned by the rule and have no 删除 button
    const autoRow = page.locator('tbody tr', { hasText: '批量操作后' }).first()
    await autoRow.waitFor()
    expect(await autoRow.getByRole('button', { name: '删除' }).count()).toBe(0)
    expect(await page.locator('tbody tr', { hasText: '恢复前的数据' }).first().getByRole('button', { name: '删除' }).count()).toBe(1)
    const newest = manualRows.first()
    // the manual backups by their times, newest first: only the newest goes (an automatic backup made
    // in the same second, listed meanwhile, is neither counted nor mistaken for it)
    const times = () => manualRows.locator('td:first-child').allTextContents()
    const kept = (await times()).slice(1)
    await newest.getByRole('button', { name: '删除' }).click()
    const confirm = page.locator('.ant-popconfirm')
    await confirm.getByText('确定删除这个备份？删除后不能恢复。').waitFor()
    await e.shot('backup-01b-delete-confirm')
    await confirm.getByRole('button', { name: '删除' }).click()
    await page.getByText('已删除').waitFor()
    await manualRows.nth(before).waitFor({ state: 'detached' })
    expect(await manualRows.count()).toBe(before)
    expect(await times()).toEqual(kept)
  })

  it('shows who changed what in 操作记录', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '操作记录' }).click()
    const row = page.locator('.ag-row', { hasText: '桂井村' }).first()
    await row.waitFor()
    expect(await row.textContent()).toContain('张三')
    expect(await row.textContent()).toContain('新增')
    // a new record's values are said as they are, not as a change from （空）
    expect(await row.textContent()).toContain('名称：桂井村')
    expect(await row.textContent()).not.toContain('（空） →')
    await e.shot('backup-02-audit')
  })

  it('a damaged database opens the recovery screen, and the newest backup brings the data back', async () => {
    await e.close()
    const live = join(dataDir, 'pingan.db')
    // the server closes the database on SIGTERM, which folds the WAL back into the file
    for (let i = 0; i < 100 && existsSync(live + '-wal'); i++) await new Promise((r) => setTimeout(r, 100))
    const size = pageSizeOf(live)
    const fd = openSync(live, 'r+')
    writeSync(fd, Buffer.alloc(size * 4, 0xa5), 0, size * 4, size)
    closeSync(fd)
    const { proc, url } = await startServe(dataDir)
    const browser = await launch()
    second = { proc, browser }
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
    await page.goto(url)
    await page.getByText('数据库文件已损坏').waitFor()
    await page.getByRole('button', { name: '复制错误信息' }).waitFor()
    await page.screenshot({ path: join(SHOTS, 'backup-03-recovery.png') })
    // start empty is out of the way until asked for
    expect(await page.getByRole('button', { name: /开始空白数据库/ }).count()).toBe(0)
    await page.getByRole('button', { name: '恢复最近的备份' }).click()
    await page.locator('.ant-modal-confirm-title', { hasText: '已恢复最近的备份' }).waitFor()
    await page.locator('.ant-modal-confirm').getByRole('button').click()
    await page.getByText('大托铺街道 平安台账').waitFor()
    await page.getByRole('menuitem', { name: '组织机构' }).click()
    await page.getByRole('cell', { name: '桂井村' }).waitFor()
    expect(readdirSync(dataDir).some((f) => /^pingan\.db\.broken-\d{8}-\d{6}$/.test(f))).toBe(true)
  })
})
