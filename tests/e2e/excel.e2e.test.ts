import ExcelJS from 'exceljs'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp } from '../../src/main/app'
import { messyMembers } from '../integration/excelFixtures'
import { startApp, type E2E } from './harness'

let e: E2E
let dataDir: string
let file: string
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-excel-'))
  const app = openApp(dataDir)
  app.ctx.db
    .prepare("INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, '430103005', '大托铺街道', '天心区', '430103', 'township', '2026-01-01T00:00:00.000Z')")
    .run()
  for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) {
    const r = await app.invoke('villages.create', { name, kind })
    if (!r.ok) throw new Error(r.error.message)
  }
  app.close()
  const { wb } = messyMembers()
  file = join(dataDir, '成员花名册.xlsx')
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()))
  // the clerk's office screen
  e = await startApp({ dataDir, viewport: { width: 1366, height: 768 } })
})
afterAll(async () => {
  await e?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('Excel import wizard on the member register', () => {
  it('imports a messy roster: picks the sheet, shows the row errors, imports the good rows, hands back the bad ones', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '成员台账' }).click()
    await page.getByRole('button', { name: '导入Excel' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.locator('input[type=file]').setInputFiles(file)
    await dialog.getByText('工作表', { exact: true }).waitFor()
    await dialog.getByTestId('excel-sheet').click()
    await page.locator('.ant-select-item-option', { hasText: '花名册' }).click()
    await dialog.getByText('已按列名自动找到表头').waitFor()
    await expect.poll(() => dialog.getByTestId('excel-header-row').textContent()).toContain('第4行')
    await e.shot('excel-01-sheet')
    await dialog.getByRole('button', { name: '下一步' }).click()
    await expect.poll(() => dialog.getByTestId('map-idNumber').textContent()).toContain('公民身份号码')
    await e.shot('excel-02-mapping')
    await dialog.getByRole('button', { name: '预览并检查' }).click()
    const summary = dialog.getByTestId('excel-check-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toContain('5 行可以导入，3 行有错误')
    const errors = dialog.getByTestId('excel-errors')
    expect(await errors.textContent()).toContain('末三位已丢失')
    expect(await errors.textContent()).toContain('与第5行的公民身份号码重复')
    expect(await errors.textContent()).toContain('火星村')
    await e.shot('excel-03-check')
    // all or nothing by default: the import button waits for the clerk's choice
    expect(await dialog.getByTestId('excel-commit').isDisabled()).toBe(true)
    await dialog.getByTestId('excel-skip-bad').click()
    await dialog.getByTestId('excel-commit').click()
    await dialog.getByText('已导入 5 条成员记录').waitFor()
    await e.shot('excel-04-done')
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('excel-download-errors').click()])
    expect(download.suggestedFilename()).toBe('成员花名册_错误行.xlsx')
    const saved = join(dataDir, 'errors-downloaded.xlsx')
    await download.saveAs(saved)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(saved)
    const ws = wb.worksheets[0]!
    expect(ws.rowCount).toBe(4)
    const head = (ws.getRow(1).values as unknown[]).slice(1)
    expect(head[head.length - 1]).toBe('错误原因')
    await dialog.getByRole('button', { name: '完成' }).click()
    await page.locator('.ag-cell', { hasText: '孙七' }).waitFor()
    await page.getByText('共 5 人').waitFor()
    // the upload went as soon as each step was done: nothing with 身份证号 stays in the data folder
    expect(readdirSync(join(dataDir, 'tmp', 'excel'))).toEqual([])
  })

  it('导出Excel masks 身份证号 as the screen does, and gives full numbers with 显示完整证件号 on', async () => {
    const { page } = e
    const exported = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出Excel' }).click()])
      const saved = join(dataDir, name)
      await download.saveAs(saved)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(saved)
      const ws = wb.worksheets[0]!
      const c = (ws.getRow(2).values as unknown[]).indexOf('身份证号')
      const ids: string[] = []
      for (let r = 3; r <= ws.rowCount; r++) ids.push(String(ws.getRow(r).getCell(c).value))
      return ids.sort()
    }
    const masked = await exported('masked.xlsx')
    expect(masked).toHaveLength(5)
    for (const id of masked) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)
    await page.getByText('身份证号已打码').waitFor()
    await page.locator('.ant-switch').click()
    const full = await exported('full.xlsx')
    expect(full).toHaveLength(5)
    for (const id of full) expect(id).toMatch(/^\d{17}[\dX]$/)
  })

  it('a village 调委会 ledger as it is kept (title names the village, no village or 协议形式 column): proposes both, imports every row', async () => {
    const { page } = e
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('台账')
    ws.addRow(['新塘村人民调解委员会矛盾纠纷排查调处登记台账（2024年度）'])
    ws.addRow(['序号', '登记日期', '申请人', '被申请人', '纠纷类型', '纠纷简要情况', '调解员', '调解日期', '调解结果', '协议履行情况'])
    ws.addRow([1, '2024-03-02', '王大福', '李二牛', '邻里', '滴水檐纠纷', '', '2024-03-05', '调解成功', '已履行'])
    ws.addRow([2, '2024-04-10', '赵春花', '钱小宝', '婚姻家庭', '赡养费纠纷', '', '2024-04-12', '调解不成功', ''])
    ws.addRow(['合计', '', '', '', '', '共2件'])
    const ledger = join(dataDir, '新塘村调解台账.xlsx')
    writeFileSync(ledger, Buffer.from(await wb.xlsx.writeBuffer()))
    await page.getByRole('menuitem', { name: '矛盾纠纷台账' }).click()
    await page.getByRole('button', { name: '导入Excel' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.locator('input[type=file]').setInputFiles(ledger)
    await dialog.getByText('已按列名自动找到表头').waitFor()
    await dialog.getByRole('button', { name: '下一步' }).click()
    const village = dialog.getByTestId('village-for-all')
    await expect.poll(() => village.textContent()).toContain('标题写的是“新塘村”')
    await expect.poll(() => village.locator('.ant-select-selection-item').textContent()).toBe('新塘村')
    const absent = dialog.getByTestId('absent-for-all')
    expect(await absent.textContent()).toContain('表格里没有“协议形式”这一列。调解成功的案件的协议形式都算作：')
    expect(await absent.getByRole('radio', { name: '口头协议' }).isChecked()).toBe(true)
    await e.shot('excel-05-village-ledger')
    await dialog.getByRole('button', { name: '预览并检查' }).click()
    const summary = dialog.getByTestId('excel-check-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toContain('2 行可以导入，0 行有错误')
    await dialog.getByTestId('excel-commit').click()
    await dialog.getByText('已导入 2 条矛盾纠纷调解记录').waitFor()
    await dialog.getByRole('button', { name: '完成' }).click()
    await page.locator('.ag-cell', { hasText: '王大福' }).waitFor()
  })
})
