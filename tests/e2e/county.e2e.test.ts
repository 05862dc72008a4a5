import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatRate, rateLabels, type RateName, type Rates } from '../../src/shared/stats/rates'
import { startApp, type E2E } from './harness'

/**
 * 县区汇总 in a real browser: a demo township (made by the CLI) exports a full package; a county data
 * folder imports it through the screen (preview, then commit), lists the township with its sequence,
 * shows its registers read-only and its rates; the same package again changes nothing; a package from
 * the township's new PC (signed by a new key) is imported only after the clerk confirms the re-keying.
 */
interface Counts {
  table: string
  label: string
  rows: number
  new: number
}
let e: E2E
let townDir: string
let newPcDir: string
let countyDir: string
let outDir: string
let pkg: string
let expected: Counts[]
let townRates: Rates
const year = new Date().getFullYear()

const cli = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, PINGAN_QUIET: '1' }, timeout: 120_000 })

beforeAll(async () => {
  townDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-town-'))
  countyDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-county-'))
  outDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-usb-'))
  cli('demo', '--data-dir', townDir)
  pkg = (JSON.parse(cli('package', 'export', '--data-dir', townDir, '--out', outDir, '--full')) as { file: string }).file
  townRates = JSON.parse(cli('call', 'stats.rates', JSON.stringify({ year }), '--data-dir', townDir)) as Rates
  cli('init', '--data-dir', countyDir, '--mode', 'county', '--code', '430103', '--county', '长沙市天心区')
  // what the CLI's dry run says importing would add: the screen must say the same (a dry run changes nothing)
  expected = (JSON.parse(cli('package', 'import', '--data-dir', countyDir, '--dry-run', pkg)) as { totals: Counts[] }).totals
  e = await startApp({ dataDir: countyDir })
  await e.page.getByText('长沙市天心区（县区汇总）').waitFor()
}, 180_000)

afterAll(async () => {
  await e?.close()
  for (const d of [townDir, newPcDir, countyDir, outDir]) if (d) rmSync(d, { recursive: true, force: true })
})

const countsRow = (label: string) => e.page.locator('.ant-table-row', { hasText: label }).filter({ has: e.page.getByRole('cell', { name: label, exact: true }) })
/** opens a tab of 县区汇总 and waits until it shows as the selected one */
async function tab(name: string) {
  const t = e.page.getByRole('tab', { name })
  await t.click()
  await expect.poll(() => t.getAttribute('aria-selected')).toBe('true')
  await e.page.waitForTimeout(400) // the ink bar's slide, so the screenshots show the right tab underlined
  return e.page.getByRole('tabpanel', { name })
}
const cells = async (row: ReturnType<typeof countsRow>) => (await row.locator('td').allInnerTexts()).map((s) => s.trim())

describe('县区汇总', () => {
  it('starts with no township', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '县区汇总' }).click()
    await tab('乡镇报送情况')
    await page.getByText('还没有导入任何乡镇的数据包').waitFor()
    await e.shot('county-01-empty')
  })

  it('previews the township package, then imports it', async () => {
    expect(expected.length).toBeGreaterThan(0)
    const panel = await tab('导入数据包')
    await panel.locator('input[type=file]').setInputFiles(pkg)
    await panel.getByText(/430103005_大托铺街道_\d{8}_0001_全量\.pingan/).first().waitFor()
    // a large package takes seconds: the screen says what it is doing meanwhile (the answer is held back here)
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    await e.page.route('**/api/invoke', async (route) => {
      if ((route.request().postData() ?? '').includes('package.preview')) await held
      await route.continue()
    })
    await panel.getByRole('button', { name: '预览' }).click()
    await panel.getByText('正在核对数据包…').waitFor()
    await e.shot('county-02a-busy')
    release()
    await panel.getByText('预览：以下是导入后会发生的变化，数据尚未改动').waitFor()
    await e.page.unroute('**/api/invoke')
    expect(await panel.getByText('正在核对数据包…').count()).toBe(0)
    const pkgRow = panel.locator('.ant-table-row', { hasText: '大托铺街道（430103005）' })
    const p = await cells(pkgRow)
    expect(p.slice(1, 4)).toEqual(['大托铺街道（430103005）', '1', '全量'])
    expect(p[5]).toContain('可以导入')
    // new rows per register, as the CLI's dry run counted them
    for (const t of expected) {
      expect(t.new).toBe(t.rows)
      expect(await cells(countsRow(t.label))).toEqual([t.label, String(t.rows), String(t.new), '0', '0', '0'])
    }
    expect(expected.find((t) => t.table === 'members')!.new).toBeGreaterThan(0)
    await e.shot('county-02-preview')

    await panel.getByRole('button', { name: '确认导入' }).click()
    await panel.getByText('导入 1 个数据包').waitFor()
    expect(await cells(pkgRow)).toContain('已导入')
    expect(await panel.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true)
    await e.shot('county-03-imported')
  })

  it('lists the township with its sequence and counts', async () => {
    const row = (await tab('乡镇报送情况')).locator('.ant-table-row', { hasText: '430103005' })
    const c = await cells(row)
    const n = (table: string) => String(expected.find((t) => t.table === table)!.rows)
    expect(c.slice(0, 3)).toEqual(['430103005', '大托铺街道', '第 1 号'])
    expect(c.slice(5)).toEqual(['1', '无', n('members'), n('patrols'), n('mediation_cases'), n('aftercare_people')])
    await e.shot('county-04-townships')
  })

  it('shows a register read-only, filtered by the township', async () => {
    const { page } = e
    const panel = await tab('台账查询')
    const members = expected.find((t) => t.table === 'members')!.rows
    await panel.getByText(`共 ${members} 条（只读）`).waitFor()
    await panel.locator('.ant-select[aria-label="乡镇"] .ant-select-selector').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '大托铺街道' }).click()
    await panel.locator('.ant-select[aria-label="乡镇"] .ant-select-selection-item', { hasText: '大托铺街道' }).waitFor()
    await panel.getByText(`共 ${members} 条（只读）`).waitFor()
    await expect.poll(() => panel.locator('.ag-row').count()).toBeGreaterThan(5)
    expect(await panel.locator('.ag-row').first().innerText()).toContain('大托铺街道')
    await e.shot('county-05-members')
    // another register: the mediation cases
    await panel.locator('.ant-select[aria-label="台账"] .ant-select-selector').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '矛盾纠纷' }).click()
    const cases = expected.find((t) => t.table === 'mediation_cases')!.rows
    await panel.getByText(`共 ${cases} 条（只读）`).waitFor()
    await expect.poll(() => panel.locator('.ag-row').count()).toBeGreaterThan(5)
    // nothing to edit: no save, add or delete buttons on this tab
    expect(await panel.getByRole('button', { name: /保存|新增|删除|登记/ }).count()).toBe(0)
    await e.shot('county-06-cases')
  })

  it('shows the county rates, the same as the township computed for itself', async () => {
    const panel = await tab('全县指标与汇总表')
    for (const name of ['大托铺街道', '全县（区）']) {
      const row = panel.locator('.ant-table-row', { hasText: name })
      await row.waitFor()
      const want = [name, ...(Object.keys(rateLabels) as RateName[]).map((r) => formatRate(townRates[r])), '—']
      await expect.poll(() => cells(row)).toEqual(want)
    }
    expect(townRates.mediationRate).not.toBeNull()
    await e.shot('county-07-rates')
  })

  it('says the same package was already imported, and nothing changes', async () => {
    const { page } = e
    const panel = await tab('导入数据包')
    await panel.getByRole('button', { name: '预览' }).click()
    await panel.getByText('预览：以下是导入后会发生的变化，数据尚未改动').waitFor()
    const pkgRow = panel.locator('.ant-table-row', { hasText: '大托铺街道（430103005）' })
    await expect.poll(() => cells(pkgRow).then((c) => c[5])).toContain('以前已导入过，不再重复导入')
    expect(await panel.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true)
    await e.shot('county-08-again')
    const row = (await tab('乡镇报送情况')).locator('.ant-table-row', { hasText: '430103005' })
    const c = await cells(row)
    expect(c[2]).toBe('第 1 号')
    expect(c[5]).toBe('1')
    expect(await page.getByRole('tabpanel', { name: '乡镇报送情况' }).locator('.ant-table-row').count()).toBe(1)
  })

  it('asks the clerk to confirm a township\'s new PC (new signing key) before importing its package, and records the confirmation', async () => {
    // the township's database restored onto a new PC: the data comes along, the signing key does not
    newPcDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-newpc-'))
    copyFileSync(join(townDir, 'pingan.db'), join(newPcDir, 'pingan.db'))
    cli('call', 'villages.create', JSON.stringify({ name: '新电脑村', kind: 'village' }), '--data-dir', newPcDir)
    const next = (JSON.parse(cli('package', 'export', '--data-dir', newPcDir, '--out', outDir)) as { file: string }).file
    const fingerprint = (dir: string) => (JSON.parse(cli('call', 'package.history', '{}', '--data-dir', dir)) as { keyFingerprint: string }).keyFingerprint
    const oldFp = fingerprint(townDir)
    const newFp = fingerprint(newPcDir)
    expect(newFp).not.toBe(oldFp)

    const panel = await tab('导入数据包')
    await panel.locator('.ant-upload-list-item .anticon-delete').first().click()
    await panel.locator('input[type=file]').setInputFiles(next)
    await panel.getByRole('button', { name: '预览' }).click()
    await panel.getByText('签名密钥与县里登记的不同').waitFor()
    await panel.getByText(oldFp, { exact: true }).waitFor()
    await panel.getByText(newFp, { exact: true }).waitFor()
    const commit = panel.getByRole('button', { name: '确认导入' })
    const confirm = panel.getByRole('checkbox', { name: '确认该乡镇已更换电脑（重新登记密钥）' })
    expect(await commit.isDisabled()).toBe(true)
    await confirm.scrollIntoViewIfNeeded()
    await e.shot('county-09-rekey')
    await confirm.check()
    await expect.poll(() => commit.isDisabled()).toBe(false)
    await commit.click()
    await panel.getByText('导入 1 个数据包').waitFor()
    const trail = JSON.parse(cli('call', 'audit.list', JSON.stringify({ tableName: 'package_keys' }), '--data-dir', countyDir)) as {
      rows: { recordId: string; changes: { field: string; old: unknown; new: unknown }[] }[]
    }
    expect(trail.rows).toHaveLength(1)
    expect(trail.rows[0]!.recordId).toBe('430103005')
    expect(trail.rows[0]!.changes.find((c) => c.field === '签名密钥指纹')).toMatchObject({ old: oldFp, new: newFp })
    await e.shot('county-10-rekeyed')
  })
})
