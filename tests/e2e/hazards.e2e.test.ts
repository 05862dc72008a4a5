import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp } from '../../src/main/app'
import { startApp, type E2E } from './harness'

/**
 * 安全隐患 in a real browser: a hazard recorded from the screen, refused at 销号 until it has its
 * 复查人, then closed; and an overdue one (made through the API) on the to-do list, opening its form.
 */
let e: E2E
let dataDir: string
const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
const daysAgo = (n: number) => local(new Date(Date.now() - n * 86_400_000))
const thisYear = String(new Date().getFullYear())
const OVERDUE_FOUND = daysAgo(3)

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-hazard-'))
  const app = openApp(dataDir)
  const call = async (m: string, input: unknown) => {
    const r = await app.invoke(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.data as { id: string }
  }
  await call('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '长沙市天心区' })
  const v = await call('villages.create', { name: '新塘村', kind: 'village', households: 600 })
  await call('units.create', { name: '新塘小学', kind: 'school', villageId: v.id })
  await call('hazards.create', {
    foundOn: OVERDUE_FOUND,
    villageId: v.id,
    location: '沿河路护栏',
    category: 'traffic',
    description: '护栏缺损约二十米',
    level: 'major',
    foundBy: '王队长',
    responsible: '村委会',
    deadline: daysAgo(1),
  })
  app.close()
  e = await startApp({ dataDir })
  await e.page.getByText('大托铺街道 平安台账').waitFor()
})
afterAll(async () => {
  await e?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function choose(label: string, option: string) {
  const item = e.page.locator('.ant-drawer .ant-form-item', { has: e.page.getByLabel(label) })
  await item.locator('.ant-select-selector').first().click()
  await e.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click()
}

describe('安全隐患 in a real browser', () => {
  it('records a hazard from the screen', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '安全隐患' }).click()
    await page.getByText('共 1 条').waitFor()
    await page.getByRole('button', { name: '登记隐患' }).click()
    const drawer = page.locator('.ant-drawer')
    await choose('隐患类别', '消防')
    await choose('所属村（社区）', '新塘村')
    await choose('所属单位', '新塘小学')
    await drawer.getByLabel('地点/部位').fill('新塘小学食堂后厨')
    await drawer.getByLabel('隐患描述').fill('灭火器过期三个月')
    await drawer.getByLabel('发现人').fill('张三')
    await drawer.getByLabel('整改责任人').fill('李校长')
    await e.shot('hazard-01-form')
    await drawer.getByRole('button', { name: '保存' }).click()
    const row = page.locator('.ag-row', { hasText: '新塘小学食堂后厨' })
    await row.waitFor()
    expect(await row.textContent()).toContain('待整改')
    expect(await row.textContent()).toContain('消防')
    await page.getByText('共 2 条').waitFor()
  })

  it('refuses 销号 without a 复查人, beside the field, then closes the hazard', async () => {
    const { page } = e
    const row = page.locator('.ag-row', { hasText: '新塘小学食堂后厨' })
    await row.getByRole('button', { name: '办理' }).click()
    const drawer = page.locator('.ant-drawer')
    await choose('整改状态', '已销号')
    // 销号日期 appears with today's date; 整改情况 filled, 复查人 left empty
    await drawer.getByLabel('销号日期').waitFor()
    await drawer.getByLabel('整改情况').fill('已更换灭火器6具')
    await drawer.getByRole('button', { name: '保存' }).click()
    const reviewer = drawer.locator('.ant-form-item', { has: page.getByLabel('复查人') })
    await expect.poll(() => reviewer.locator('.ant-form-item-explain-error').textContent()).toBe('销号的隐患请填写复查人')
    await e.shot('hazard-02-refused')
    expect(await row.textContent()).toContain('待整改')
    await drawer.getByLabel('复查人').fill('刘站长')
    await expect.poll(() => reviewer.locator('.ant-form-item-explain-error').count()).toBe(0)
    await drawer.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => row.textContent()).toContain('已销号')
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0)
    // the summary: one closed, one overdue; 整改率 over this year's hazards
    const summary = page.getByTestId('register-summary')
    await expect.poll(() => summary.textContent()).toContain('已销号 1')
    expect(await summary.textContent()).toContain('逾期未整改 1')
    expect(await summary.textContent()).toContain(OVERDUE_FOUND.startsWith(thisYear) ? '50.0%' : '100.0%')
    await e.shot('hazard-03-closed')
  })

  it('shows the overdue hazard on the to-do list, and the to-do opens it', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '工作台' }).click()
    const todo = page.locator('.todo-item', { hasText: '隐患逾期未整改' })
    await todo.waitFor()
    expect(await todo.textContent()).toContain('沿河路护栏')
    await todo.click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByText('安全隐患：沿河路护栏').waitFor()
    expect(await drawer.getByLabel('隐患描述').inputValue()).toBe('护栏缺损约二十米')
    await drawer.locator('.ant-drawer-extra').getByRole('button', { name: '取消' }).click()
  })
})
