import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp } from '../../src/main/app'
import { makeIdNumber } from '../../src/shared/idNumber'
import { startApp, type E2E } from './harness'

/**
 * The three working registers and the dashboard in a real browser: a patrol with participants; a
 * case from pending to success with a written agreement and a 回访; an aftercare person with a visit;
 * and the dashboard's rates and to-do list changing with them.
 */
let e: E2E
let dataDir: string
const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
const tenDaysAgo = local(new Date(Date.now() - 10 * 86_400_000))
const PERSON_ID = makeIdNumber('430103', '1988-03-09', 55)

beforeAll(async () => {
  // the township, a village and its people are there already: this test is about the registers
  dataDir = mkdtempSync(join(tmpdir(), 'pingan-e2e-reg-'))
  const app = openApp(dataDir)
  const call = async (m: string, input: unknown) => {
    const r = await app.invoke(m, input)
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
    return r.data as { id: string }
  }
  await call('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '长沙市天心区' })
  const v = await call('villages.create', { name: '新塘村', kind: 'village', households: 600 })
  let seq = 0
  const member = (name: string, roles: string[]) =>
    call('members.create', { name, idNumber: makeIdNumber('430103', '1975-05-05', ++seq), roles, joinedOn: '2020-01-01', villageId: v.id })
  await member('王队长', ['patrol_fulltime'])
  await member('李巡防', ['patrol_parttime'])
  await member('刘调解', ['mediator'])
  await member('周帮教', ['aftercare_helper'])
  // a second village, and a member of the first to delete: the member summary must keep to the village chosen
  const other = await call('villages.create', { name: '桂花社区', kind: 'community', households: 300 })
  await call('members.create', { name: '赵社区', idNumber: makeIdNumber('430103', '1975-05-05', ++seq), roles: ['patrol_parttime'], joinedOn: '2020-01-01', villageId: other.id })
  await member('孙待删', ['gridder'])
  app.close()
  e = await startApp({ dataDir })
  await e.page.getByText('大托铺街道 平安台账').waitFor()
})
afterAll(async () => {
  await e?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Opens the select of the form item labelled `label` (its shown value covers the input) and picks an option. */
async function choose(label: string, option: string) {
  const item = e.page.locator('.ant-drawer .ant-form-item', { has: e.page.getByLabel(label) })
  await item.locator('.ant-select-selector').first().click()
  await e.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click()
}
const rate = (name: string) => e.page.locator(`[data-rate="${name}"] .rate-value`)

describe('registers and dashboard in a real browser', () => {
  it('starts with no data on the dashboard and nothing to do', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '工作台' }).click()
    await expect.poll(() => rate('mediationRate').textContent()).toBe('无数据')
    expect(await rate('aftercareRate').textContent()).toBe('无数据')
    await page.getByText('没有待办事项').waitFor()
    await e.shot('reg-01-dashboard-empty')
  })

  it('records a patrol with its participants and leader', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '巡逻台账' }).click()
    await page.getByRole('button', { name: '登记巡逻' }).click()
    const drawer = page.locator('.ant-drawer')
    await choose('巡逻村（社区）', '新塘村')
    await choose('参加人员', '王队长')
    await page.locator('.ant-select-item-option', { hasText: '李巡防' }).click()
    await page.keyboard.press('Escape')
    await drawer.getByLabel('开始时间').fill('22:00')
    await drawer.getByLabel('结束时间').fill('01:30')
    await drawer.getByText('跨夜，次日结束').waitFor()
    await drawer.getByLabel('巡逻路线').fill('村部—沿河路—学校')
    await drawer.getByLabel('发现问题').fill('学校后门路灯损坏')
    await drawer.getByRole('button', { name: '保存' }).click()
    const row = page.locator('.ag-row', { hasText: '村部—沿河路—学校' })
    await row.waitFor()
    expect(await row.textContent()).toContain('王队长、李巡防')
    expect(await row.textContent()).toContain('跨夜')
    await e.shot('reg-02-patrol')
  })

  it('labels 08:00→07:30 as the handler judges it: refused, not 跨夜', async () => {
    const { page } = e
    await page.getByRole('button', { name: '登记巡逻' }).click()
    const drawer = page.locator('.ant-drawer')
    await choose('巡逻村（社区）', '新塘村')
    await choose('参加人员', '王队长')
    await page.keyboard.press('Escape')
    await drawer.getByLabel('开始时间').fill('08:00')
    await drawer.getByLabel('结束时间').fill('07:30')
    const refusal = '结束时间应晚于开始时间（跨夜巡逻按次日结束计，最长12小时）'
    const endItem = drawer.locator('.ant-form-item', { has: page.getByLabel('结束时间') })
    await endItem.locator('.ant-tag', { hasText: refusal }).waitFor()
    expect(await drawer.getByText('跨夜，次日结束').count()).toBe(0)
    await e.shot('reg-02b-patrol-refused')
    // saving anyway: the handler refuses with the same words, beside the same field, and stores nothing
    await drawer.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => endItem.locator('.ant-form-item-explain-error').textContent()).toBe(refusal)
    await drawer.locator('.ant-drawer-extra').getByRole('button', { name: '取消' }).click()
    // the typing is not thrown away without asking
    await page.getByRole('button', { name: '放弃修改' }).click()
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0)
    expect(await page.locator('.ag-row', { hasText: '07:30' }).count()).toBe(0)
    await page.getByText('共 1 条').waitFor()
  })

  it('takes a case from pending to success with a written agreement and a follow-up', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '矛盾纠纷台账' }).click()
    await page.getByRole('button', { name: '登记纠纷' }).click()
    let drawer = page.locator('.ant-drawer')
    await choose('纠纷类型', '邻里')
    await choose('所属村（社区）', '新塘村')
    await drawer.getByLabel('纠纷简要情况').fill('两户因排水沟堵塞发生争执')
    await drawer.getByLabel('当事人姓名').nth(0).fill('张大山')
    await drawer.getByLabel('当事人姓名').nth(1).fill('李小河')
    await choose('调解员', '刘调解')
    await page.keyboard.press('Escape')
    await drawer.getByRole('button', { name: '保存' }).click()
    const year = new Date().getFullYear()
    const row = page.locator('.ag-row', { hasText: `〔${year}〕大托调字第1号` })
    await row.waitFor().catch(async (err: unknown) => {
      await e.shot('debug-case-created')
      throw err
    })
    expect(await row.textContent()).toContain('待调解')

    // pending -> mediating
    await row.getByRole('button', { name: '办理' }).click()
    drawer = page.locator('.ant-drawer')
    await choose('调解状态', '调解中')
    await drawer.getByRole('button', { name: '保存' }).click()
    try {
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('调解中')
    } catch (err) {
      await e.shot('debug-mediating')
      throw err
    }

    // mediating -> success: a written agreement needs its text, shown beside the field
    await row.getByRole('button', { name: '办理' }).click()
    drawer = page.locator('.ant-drawer')
    await choose('调解状态', '调解成功')
    await choose('协议形式', '书面协议')
    await drawer.getByRole('button', { name: '保存' }).click()
    const err = drawer.locator('.ant-form-item-has-error .ant-form-item-explain-error')
    await expect.poll(() => err.first().textContent()).toBe('书面协议请填写协议内容')
    await e.shot('reg-03-case-error')
    await drawer.getByLabel('协议内容').fill('李家于五日内疏通排水沟，费用双方各半。')
    // the error goes as soon as the field is filled in
    await expect.poll(() => err.count()).toBe(0)
    await choose('履行情况', '已履行')
    await drawer.getByRole('button', { name: '添加回访' }).click()
    await drawer.getByLabel('回访情况').fill('排水沟已疏通，双方满意')
    await drawer.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => row.textContent()).toContain('调解成功')
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0)
    await page.waitForTimeout(400) // the drawer's slide-out, so the shot shows the register
    await e.shot('reg-04-case-success')
    // reopened, the case shows what was recorded
    await row.getByRole('button', { name: '办理' }).click()
    drawer = page.locator('.ant-drawer')
    await drawer.locator('.ant-select-selection-item', { hasText: '已履行' }).waitFor()
    expect(await drawer.getByLabel('回访情况').inputValue()).toBe('排水沟已疏通，双方满意')
    expect(await drawer.getByLabel('协议内容').inputValue()).toBe('李家于五日内疏通排水沟，费用双方各半。')
    await drawer.locator('.ant-drawer-extra').getByRole('button', { name: '取消' }).click()
  })

  it('adds an aftercare person and a visit', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '安置帮教台账' }).click()
    await page.getByRole('button', { name: '新增帮教对象' }).click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByLabel('姓名').fill('陈某某')
    await drawer.getByLabel('身份证号').fill(PERSON_ID)
    await choose('所属村（社区）', '新塘村')
    await drawer.getByLabel('罪名').fill('盗窃罪')
    await drawer.getByLabel('释放（矫正开始）日期').click()
    await drawer.getByLabel('释放（矫正开始）日期').fill(tenDaysAgo)
    await page.keyboard.press('Enter')
    await choose('帮教人员', '周帮教')
    await page.keyboard.press('Escape')
    await drawer.getByRole('button', { name: '保存' }).click()
    await drawer.getByText('走访记录（0 次）').waitFor()
    await drawer.getByLabel('走访内容').fill('上门走访，了解就业意向')
    await drawer.getByRole('button', { name: '登记走访' }).click()
    await drawer.getByText('走访记录（1 次）').waitFor()
    await drawer.getByRole('cell', { name: '上门走访，了解就业意向' }).waitFor()
    await e.shot('reg-05-aftercare-visit')
    await drawer.locator('.ant-drawer-extra').getByRole('button', { name: '关闭' }).click()
    const row = page.locator('.ag-row', { hasText: '陈某某' })
    await row.waitFor()
    expect(await row.textContent()).toContain(PERSON_ID.slice(0, 6) + '********' + PERSON_ID.slice(-4))
  })

  it('shows the new rates and to-dos on the dashboard, and a to-do opens its record', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '工作台' }).click()
    await expect.poll(() => rate('mediationRate').textContent()).toBe('100.0%')
    expect(await rate('mediationSuccessRate').textContent()).toBe('100.0%')
    expect(await rate('mediationFulfillmentRate').textContent()).toBe('100.0%')
    expect(await rate('aftercareRate').textContent()).toBe('100.0%')
    expect(await rate('placementRate').textContent()).toBe('100.0%')
    expect(await rate('recidivismRate').textContent()).toBe('0.0%')
    expect(await page.locator('[data-rate="mediationSuccessRate"]').textContent()).toContain('成功 1 / (成功 1 + 不成功 0) 件')
    // the written agreement's 司法确认 window, and the file opened late (no 衔接 recorded 10 days after release)
    const todos = page.locator('.todo-item')
    await expect.poll(() => todos.count()).toBe(2)
    await page.locator('.todo-item', { hasText: '司法确认期限' }).waitFor()
    await e.shot('reg-06-dashboard')
    await page.locator('.todo-item', { hasText: '衔接超期' }).click()
    const drawer = page.locator('.ant-drawer')
    await drawer.getByText('帮教对象：陈某某').waitFor()
    // recording the 衔接 takes it off the list
    await drawer.getByLabel('衔接日期').click()
    await drawer.getByLabel('衔接日期').fill(tenDaysAgo)
    await page.keyboard.press('Enter')
    await drawer.getByRole('button', { name: '保存' }).click()
    await page.getByText('已保存修改').waitFor()
    await drawer.locator('.ant-drawer-extra').getByRole('button', { name: '关闭' }).click()
    await page.getByRole('menuitem', { name: '工作台' }).click()
    await expect.poll(() => page.locator('.todo-item').count()).toBe(1)
  })

  it('keeps the member summary to the chosen village through a delete and its undo', async () => {
    const { page } = e
    await page.getByRole('menuitem', { name: '成员台账' }).click()
    const summary = page.getByTestId('register-summary')
    const title = summary.locator('.ant-card-head-title')
    await expect.poll(() => title.textContent()).toBe('在岗 6 人（登记 6 人）')
    await page.locator('.ant-select[aria-label="全部村（社区）"] .ant-select-selector').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '新塘村' }).click()
    await expect.poll(() => title.textContent()).toBe('在岗 5 人（登记 5 人）')
    await page.getByText('共 5 人').waitFor()
    await page.locator('.ag-row', { hasText: '孙待删' }).getByRole('button', { name: '删除' }).click()
    await page.locator('.ant-popconfirm').getByRole('button', { name: '删除' }).click()
    await page.getByText('共 4 人').waitFor()
    await expect.poll(() => title.textContent()).toBe('在岗 4 人（登记 4 人）')
    expect(await summary.getByText('桂花社区').count()).toBe(0)
    await page.getByRole('button', { name: '撤销' }).click()
    await page.locator('.ag-row', { hasText: '孙待删' }).waitFor()
    await expect.poll(() => title.textContent()).toBe('在岗 5 人（登记 5 人）')
    expect(await summary.getByText('桂花社区').count()).toBe(0)
    expect(await summary.getByText('新塘村 5').count()).toBe(1)
    await e.shot('reg-07-members-village')
  })
})
