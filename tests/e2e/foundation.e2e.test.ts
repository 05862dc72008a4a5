import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeIdNumber } from '../../src/shared/idNumber'
import { startApp, type E2E } from './harness'

let e: E2E
beforeAll(async () => {
  e = await startApp()
})
afterAll(async () => {
  await e?.close()
})

const GOOD = makeIdNumber('430103', '1985-07-21', 37)
const BAD = GOOD.slice(0, 17) + (GOOD[17] === '3' ? '4' : '3')

describe('first start, organisation and the member register in a real browser', () => {
  it('sets up the township on first start', async () => {
    const { page } = e
    await page.getByText('欢迎使用平安台账').waitFor()
    await e.shot('01-setup')
    await page.getByLabel('乡镇（街道）名称').fill('大托铺街道')
    await page.getByLabel('乡镇（街道）区划代码（9位或12位）').fill('4301030')
    await page.getByLabel('所属县（区）名称').fill('长沙市天心区')
    await page.getByRole('button', { name: '完成设置，开始使用' }).click()
    await page.getByText('乡镇区划代码应为9位或12位数字').waitFor()
    await page.getByLabel('乡镇（街道）区划代码（9位或12位）').fill('430103005')
    await page.getByRole('button', { name: '完成设置，开始使用' }).click()
    await page.getByText('大托铺街道 平安台账').waitFor()
    await e.shot('02-home')
  })

  it('adds a village', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '组织机构' }).click()
    await page.getByRole('button', { name: '新增村（社区）' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('名称').fill('新塘村')
    await dialog.getByLabel('户数').fill('620')
    await dialog.getByRole('button', { name: '保存' }).click()
    await page.getByRole('cell', { name: '新塘村' }).waitFor()
    await e.shot('03-org')
  })

  it('refuses a wrong check digit beside the field, then saves the corrected member, masked in the grid', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '成员台账' }).click()
    await page.getByText('还没有成员记录').waitFor()
    await page.getByRole('button', { name: '新增成员' }).click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByLabel('姓名').fill('王建国')
    await drawer.getByLabel('身份证号').fill(BAD)
    await drawer.getByLabel('联系电话').fill('13812345678')
    await drawer.getByLabel('职务/角色').click()
    await page.locator('.ant-select-item-option', { hasText: '专职巡防队员' }).click()
    await page.keyboard.press('Escape')
    await drawer.getByLabel('所属村（社区）').click()
    await page.locator('.ant-select-item-option', { hasText: '新塘村' }).click()
    await drawer.getByRole('button', { name: '保存' }).click()
    const fieldError = drawer.locator('.ant-form-item-has-error', { has: page.getByLabel('身份证号') })
    await expect.poll(() => fieldError.locator('.ant-form-item-explain-error').textContent()).toBe('身份证号最后一位（校验位）不对，请核对')
    await e.shot('04-member-error')
    await drawer.getByLabel('身份证号').fill(GOOD)
    await drawer.getByRole('button', { name: '保存' }).click()
    const masked = GOOD.slice(0, 6) + '********' + GOOD.slice(-4)
    await page.locator('.ag-cell', { hasText: masked }).waitFor()
    expect(await page.locator('.ag-cell', { hasText: GOOD }).count()).toBe(0)
    await e.shot('05-member-grid')
  })

  it('edits the member', async () => {
    const { page } = e
    await page.locator('.ag-row', { hasText: '王建国' }).getByRole('button', { name: '修改' }).click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByLabel('姓名').fill('王建军')
    await drawer.getByRole('button', { name: '保存' }).click()
    await page.locator('.ag-cell', { hasText: '王建军' }).waitFor()
  })

  it('deletes with confirmation and undoes the delete', async () => {
    const { page } = e
    await page.locator('.ag-row', { hasText: '王建军' }).getByRole('button', { name: '删除' }).click()
    await page.locator('.ant-popconfirm').getByRole('button', { name: '删除' }).click()
    await page.getByText('还没有成员记录').waitFor()
    await e.shot('06-member-deleted')
    await page.getByRole('button', { name: '撤销' }).click()
    await page.locator('.ag-cell', { hasText: '王建军' }).waitFor()
    await e.shot('07-member-restored')
  })
})
