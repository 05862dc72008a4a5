import ExcelJS from 'exceljs'
import { writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli'
import { testApp, type TestApp } from '../helpers'
import { ID, messyMembers, readBase64, toBase64 } from './excelFixtures'

let app: TestApp
beforeEach(async () => {
  app = testApp()
  await setupOrg(app)
})
afterEach(() => app.dispose())

async function setupOrg(a: TestApp) {
  const v1 = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  await a.ok('villages.create', { name: '桂花社区', kind: 'community' })
  const people: [string, string[], number][] = [
    ['张三', ['patrol_fulltime', 'mediator'], 1],
    ['李四', ['patrol_parttime', 'aftercare_helper'], 2],
    ['王五', ['mediator', 'aftercare_helper'], 3],
    ['赵六', ['volunteer'], 4],
  ]
  for (const [name, roles, n] of people)
    await a.ok('members.create', { name, idNumber: ID(100 + n), roles: roles as never, joinedOn: '2020-01-01', villageId: v1.id })
}

function sheet(rows: unknown[][], title?: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Sheet1')
  if (title) {
    ws.addRow([title])
    ws.mergeCells(1, 1, 1, rows[0]!.length)
  }
  for (const r of rows) ws.addRow(r)
  return wb
}

async function importRows(register: 'patrols' | 'mediation' | 'aftercare' | 'visits', rows: unknown[][], extra: object = {}) {
  return app.ok('excel.import', { register, fileBase64: await toBase64(sheet(rows, '2024年台账')), fileName: `${register}.xlsx`, ...extra })
}

const messages = (r: { rejected: { row: number; column: string; message: string }[] }, row: number) =>
  r.rejected.filter((e) => e.row === row).map((e) => `${e.column}:${e.message}`)

describe('the other registers', () => {
  it('patrols: a 巡逻时间 range column, the leader added to the members, the handler rules per row', async () => {
    const head = ['序号', '巡逻日期', '巡逻时间', '村（社区）', '巡逻方式', '巡逻路线', '带队人', '巡逻人员', '发现问题']
    const rows = [
      head,
      [1, '2024.5.1', '19:30-22:00', '新塘村', '徒步', '村部—学校', '张三', '李四', '无'],
      [2, '2099-01-01', '19:30-22:00', '新塘村', '徒步', '', '张三', '李四', ''],
      [3, '2024-05-02', '20:00至22:00', '新塘村', '车巡', '', '张三', '赵六', ''],
      [4, '2024-05-03', '8点', '新塘村', '飞行', '', '张三', '钱八', ''],
    ]
    const r = await importRows('patrols', rows)
    expect(messages(r, 4)).toEqual(['巡逻日期:巡逻日期不能晚于今天'])
    expect(messages(r, 5)).toEqual(['巡逻人员:「赵六」不是专职巡防队员或兼职巡防/群防群治队员，不能选为巡防队员'])
    expect(messages(r, 6)).toEqual([
      '巡逻时间:巡逻时间「8点」应写成 19:30-22:00 这样的 开始-结束',
      '巡逻方式:巡逻方式「飞行」不是可选的值，可填：徒步巡逻、车辆巡逻、电子巡逻',
      '巡逻人员:巡逻人员「钱八」不在成员台账中，请先登记该成员',
    ])
    expect((await app.ok('patrols.list', {})).total).toBe(0)
    const ok = await importRows('patrols', rows.slice(0, 2))
    expect(ok.imported).toBe(1)
    const p = (await app.ok('patrols.list', {})).rows[0]!
    expect(p).toMatchObject({ date: '2024-05-01', startTime: '19:30', endTime: '22:00', mode: 'foot', route: '村部—学校', leaderName: '张三', findings: '无' })
    expect(p.memberNames).toEqual(['张三', '李四'])
  })

  it('mediation: parties from 申请人/被申请人 columns, status words, the case rules per row', async () => {
    const head = ['受理日期', '纠纷类型', '村居', '申请人', '申请人身份证号', '被申请人', '纠纷简要情况', '调解员', '调解结果', '调解日期', '协议形式', '协议内容', '结案日期', '案件编号']
    const rows = [
      head,
      ['2024年4月1日', '邻里纠纷', '新塘村', '甲', ID(201), '乙', '排水沟纠纷', '张三', '成功', '2024-04-03', '口头', '', '2024-04-03', '〔2024〕大托调字第1号'],
      ['2024-04-02', '宅基地', '新塘村', '丙', '', '丁', '宅基地界址', '王五', '调解成功', '', '书面', '协议', '2024-04-05', '〔2024〕大托调字第2号'],
      ['2024-04-02', '吵架', '新塘村', '戊', '', '己', '口角', '', '待调解', '', '', '', '', '〔2024〕大托调字第1号'],
    ]
    const r = await importRows('mediation', rows)
    expect(messages(r, 4)).toEqual(['调解日期:「调解成功」的案件请填写调解日期'])
    expect(messages(r, 5)).toEqual([
      expect.stringMatching(/^纠纷类型:纠纷类型「吵架」不是可选的值，可填：婚姻家庭、邻里/),
      '案件编号:与第3行的案件编号重复，同一文件中不能重复登记',
    ])
    const ok = await importRows('mediation', rows.slice(0, 2))
    expect(ok.imported).toBe(1)
    const c = (await app.ok('mediation.list', {})).rows[0]!
    expect(c).toMatchObject({ caseNo: '〔2024〕大托调字第1号', receivedOn: '2024-04-01', category: '邻里', status: 'success', agreementForm: 'oral', closedOn: '2024-04-03', applicantNames: '甲', respondentNames: '乙' })
    expect(c.mediatorNames).toEqual(['张三'])
    expect((await app.ok('mediation.get', { id: c.id })).parties[0]!.idNumber).toBe(ID(201))
  })

  it('aftercare people and their visits', async () => {
    const head = ['姓名', '公民身份号码', '人员类别', '罪名', '刑满释放日期', '村居', '安置情况', '帮教责任人', '是否脱管', '危险性评估']
    const rows = [
      head,
      ['钱七', ID(301, '1985-07-08'), '刑释人员', '盗窃罪', '2023/6/30', '桂花社区', '务工', '李四', '否', '低'],
      ['孙九', ID(302, '1985-07-08'), '社区矫正', '危险驾驶罪', 45000, '新塘村', '未安置', '王五', '否', '中'],
    ]
    const r = await importRows('aftercare', rows)
    expect(messages(r, 4)).toEqual(['未安置原因:未安置的请填写未安置原因'])
    const ok = await importRows('aftercare', rows.slice(0, 2))
    expect(ok.imported).toBe(1)
    const a = (await app.ok('aftercare.people.list', { fullId: true })).rows[0]!
    expect(a).toMatchObject({ name: '钱七', kind: 'released', releasedOn: '2023-06-30', aftercareUntil: '2028-06-30', placement: 'employed', lostContact: false, risk: 'low', villageName: '桂花社区' })
    expect(a.helperNames).toEqual(['李四'])
    const v = await importRows('visits', [
      ['帮教对象', '走访日期', '走访人员', '走访内容'],
      ['钱七', '2024-04-10', '李四、王五', '了解就业情况'],
      ['不存在', '2024-04-10', '李四', '走访'],
    ], { skipBad: true })
    expect(v.imported).toBe(1)
    expect(messages(v, 4)).toEqual(['帮教对象:帮教对象「不存在」不在帮教对象台账中，请先登记'])
    const visits = await app.ok('aftercare.visits.list', {})
    expect(visits.rows[0]).toMatchObject({ personName: '钱七', date: '2024-04-10', content: '了解就业情况' })
  })

  it('every register survives export → import into another database unchanged', async () => {
    await importRows('patrols', [
      ['巡逻日期', '开始时间', '结束时间', '村（社区）', '巡逻方式', '带队人', '参加人员', '发现问题', '处理情况'],
      ['2024-05-01', '19:30', '22:00', '新塘村', '车辆巡逻', '张三', '张三、李四', '路灯坏', '已报修'],
      ['2024-05-02', '23:00', '01:30', '新塘村', '徒步巡逻', '李四', '李四', '', ''],
    ])
    await importRows('mediation', [
      ['受理日期', '纠纷来源', '纠纷类型', '村居', '申请人', '申请人电话', '申请人身份证号', '被申请人', '纠纷简要情况', '调解员', '调解状态', '调解日期', '协议形式', '协议内容', '履行情况', '结案日期'],
      ['2024-04-01', '排查', '邻里', '新塘村', '甲', '13900000001', ID(202), '乙、丙', '排水沟', '张三、王五', '调解成功', '2024-04-03', '书面协议', '乙丙修沟', '已履行', '2024-04-04'],
      ['2024-04-05', '申请', '合同', '新塘村', '丁', '', '', '戊', '欠款', '', '待调解', '', '', '', '', ''],
    ])
    await importRows('aftercare', [
      ['姓名', '身份证号', '人员类别', '罪名', '原判刑期', '释放日期', '帮教期满日期', '村居', '安置情况', '未安置原因', '帮教人员', '衔接日期', '危险性评估', '现住地', '脱管漏管'],
      ['钱七', ID(301, '1985-07-08'), '刑满释放人员', '盗窃罪', '二年', '2023-06-30', '2026-06-30', '桂花社区', '未安置', '身体原因', '李四', '2023-07-01', '高', '桂花路1号', '是'],
    ])
    await importRows('visits', [['帮教对象', '身份证号', '走访日期', '走访人员', '走访内容'], ['钱七', ID(301, '1985-07-08'), '2024-04-10', '李四', '谈心']])

    const other = testApp()
    try {
      for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) await other.ok('villages.create', { name, kind })
      const snapshot = async (a: TestApp) => ({
        members: (await a.ok('members.list', { fullId: true, sort: [{ field: 'name', dir: 'asc' }] })).rows.map(({ name, idNumber, roles, joinedOn, villageName }) => ({ name, idNumber, roles, joinedOn, villageName })),
        patrols: (await a.ok('patrols.list', { sort: [{ field: 'date', dir: 'asc' }] })).rows.map(({ date, startTime, endTime, mode, route, leaderName, memberNames, findings, handling, villageName }) => ({ date, startTime, endTime, mode, route, leaderName, memberNames, findings, handling, villageName })),
        cases: (await a.ok('mediation.list', { sort: [{ field: 'receivedOn', dir: 'asc' }] })).rows.map(({ caseNo, receivedOn, source, category, summary, parties, mediatorNames, status, mediatedOn, agreementForm, agreement, fulfillment, closedOn, villageName }) => ({ caseNo, receivedOn, source, category, summary, parties, mediatorNames, status, mediatedOn, agreementForm, agreement, fulfillment, closedOn, villageName })),
        people: (await a.ok('aftercare.people.list', { fullId: true })).rows.map(({ id: _id, createdAt: _c, updatedAt: _u, township: _t, villageId: _v, helperIds: _h, deletedAt: _d, ...rest }) => rest),
        parties: await Promise.all((await a.ok('mediation.list', { sort: [{ field: 'receivedOn', dir: 'asc' }] })).rows.map(async (c) => (await a.ok('mediation.get', { id: c.id })).parties)),
        visits: (await a.ok('aftercare.visits.list', {})).rows.map(({ personName, date, helperNames, content }) => ({ personName, date, helperNames, content })),
      })
      const order = ['members', 'patrols', 'mediation', 'aftercare', 'visits'] as const
      for (const register of order) {
        const out = await app.ok('excel.export', { register, fullId: true })
        const r = await other.ok('excel.import', { register, fileBase64: out.base64, fileName: out.fileName })
        expect({ register, rejected: r.rejected }).toEqual({ register, rejected: [] })
        expect(r.imported).toBe(out.rows)
      }
      const a = await snapshot(app)
      expect(a.patrols).toHaveLength(2)
      expect(a.cases).toHaveLength(2)
      expect(a.people).toHaveLength(1)
      expect(a.visits).toHaveLength(1)
      expect(await snapshot(other)).toEqual(a)
    } finally {
      await other.dispose()
    }
  })

  it('export honours year and village, with the case number as a text cell', async () => {
    await importRows('mediation', [
      ['受理日期', '纠纷类型', '村居', '申请人', '被申请人', '纠纷简要情况', '案件编号'],
      ['2023-04-01', '邻里', '新塘村', '甲', '乙', 'a', '001'],
      ['2024-04-01', '邻里', '新塘村', '甲', '乙', 'b', '002'],
      ['2024-04-02', '邻里', '桂花社区', '甲', '乙', 'c', '003'],
    ])
    const villages = (await app.ok('villages.list', {})).rows
    const xt = villages.find((v) => v.name === '新塘村')!.id
    const out = await app.ok('excel.export', { register: 'mediation', year: 2024, villageId: xt })
    expect(out.rows).toBe(1)
    const ws = (await readBase64(out.base64)).worksheets[0]!
    expect(ws.getCell('A1').value).toBe('大托铺街道新塘村矛盾纠纷调解台账（2024年）')
    const head = (ws.getRow(2).values as unknown[]).slice(1)
    const cell = ws.getRow(3).getCell(head.indexOf('案件编号') + 1)
    expect(cell.value).toBe('002')
    expect(cell.type).toBe(ExcelJS.ValueType.String)
  })
})

describe('CLI', () => {
  const run = runCli

  it('import excel: bad rows and no --skip-bad → exit 2, report on stderr, nothing imported; --skip-bad → good rows in, errors file written', async () => {
    const { wb } = messyMembers()
    const file = join(app.dir, '花名册.xlsx')
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()))
    const dataDir = app.dir
    app.close()
    const before = await run(['call', 'members.list', '{}', '--data-dir', dataDir])
    const refused = await run(['import', 'excel', '--register', 'members', '--data-dir', dataDir, file, '--sheet', '花名册'])
    expect(refused.code).toBe(2)
    expect(refused.out).toBe('')
    const rep = JSON.parse(refused.err)
    expect(rep.imported).toBe(0)
    expect(rep.rejected.map((x: { row: number }) => x.row)).toEqual([11, 12, 13])
    expect(Object.keys(rep.rejected[0]).sort()).toEqual(['column', 'message', 'row'])
    expect(rep.warnings).toHaveLength(2)
    const after = await run(['call', 'members.list', '{}', '--data-dir', dataDir])
    expect(after.out).toBe(before.out)

    const dry = await run(['import', 'excel', '--register', 'members', '--data-dir', dataDir, file, '--sheet', '花名册', '--header-row', '4', '--dry-run', '--skip-bad'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.out).imported).toBe(5)
    expect((await run(['call', 'members.list', '{}', '--data-dir', dataDir])).out).toBe(before.out)

    const errorsOut = join(dataDir, 'errors.xlsx')
    const ok = await run(['import', 'excel', '--register', 'members', '--data-dir', dataDir, file, '--sheet', '花名册', '--skip-bad', '--errors-out', errorsOut])
    expect(ok.code).toBe(0)
    const report = JSON.parse(ok.out)
    expect(Object.keys(report).sort()).toEqual(['imported', 'rejected', 'warnings'])
    expect(report.imported).toBe(5)
    expect(report.rejected).toHaveLength(3)
    expect(existsSync(errorsOut)).toBe(true)
    const ef = new ExcelJS.Workbook()
    await ef.xlsx.readFile(errorsOut)
    expect(ef.worksheets[0]!.rowCount).toBe(4)

    const out = join(dataDir, 'members.xlsx')
    const ex = await run(['export', 'excel', '--register', 'members', '--data-dir', dataDir, '--out', out, '--year', '2024'])
    expect(ex.code).toBe(0)
    expect(JSON.parse(ex.out).rows).toBe(9) // 4 set up + 5 imported
    const bad = await run(['export', 'excel', '--register', 'cats', '--data-dir', dataDir, '--out', out])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.err).message).toContain('不认识的台账')
  })
})
