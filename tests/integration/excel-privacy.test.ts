import ExcelJS from 'exceljs'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/main/cli'
import { importFile } from '../../src/main/excel/import'
import { uploadDir, withUpload } from '../../src/main/excel/upload'
import { maskIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'
import { ID, messyMembers, readBase64, toBase64 } from './excelFixtures'

/**
 * The Excel side of "personal data stays the clerk's": uploads exist only while the call that reads
 * them runs, 0600 in a 0700 folder; the rejected-rows file and exported files are 0600 whatever the
 * umask; 导出Excel masks 身份证号 unless 显示完整证件号 is on, as the screen and Word do.
 */
let app: TestApp
let villages: Record<string, string>
let umask: number
beforeEach(async () => {
  // what a clerk's desktop session usually has: files would be world-readable unless we say otherwise
  umask = process.umask(0o022)
  app = testApp()
  villages = {}
  for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) villages[name] = (await app.ok('villages.create', { name, kind })).id
})
afterEach(async () => {
  await app.dispose()
  process.umask(umask)
})

const mode = (p: string) => statSync(p).mode & 0o777
const uploads = () => readdirSync(uploadDir(app.ctx))

async function messy() {
  return { fileBase64: await toBase64(messyMembers().wb), fileName: '成员花名册.xlsx' }
}

describe('uploaded Excel files', () => {
  it('are 0600 in a 0700 folder while read, and deleted when the call is done or has failed', async () => {
    const f = await messy()
    let seen = ''
    await withUpload(app.ctx, f, async (up) => {
      seen = up.path
      expect(mode(up.path)).toBe(0o600)
      expect(mode(uploadDir(app.ctx))).toBe(0o700)
      expect(mode(join(app.dir, 'tmp'))).toBe(0o700)
    })
    expect(existsSync(seen)).toBe(false)
    await expect(
      withUpload(app.ctx, f, async (up) => {
        seen = up.path
        throw new Error('读取中断')
      }),
    ).rejects.toThrow('读取中断')
    expect(existsSync(seen)).toBe(false)
  })

  it('do not stay in tmp/excel after a preview, a dry run, an import, or a refused file', async () => {
    const f = await messy()
    const r = await app.ok('excel.inspect', { register: 'members', ...f, sheet: '花名册' })
    expect(r.preview.length).toBeGreaterThan(0)
    expect(uploads()).toEqual([])
    await app.ok('excel.import', { register: 'members', ...f, sheet: '花名册', dryRun: true, skipBad: true })
    expect(uploads()).toEqual([])
    const done = await app.ok('excel.import', { register: 'members', ...f, sheet: '花名册', skipBad: true })
    expect(done.imported).toBe(5)
    expect(uploads()).toEqual([])
    await app.err('excel.import', { register: 'members', ...f, sheet: '没有这张表' })
    await app.err('excel.inspect', { register: 'members', fileBase64: Buffer.from('不是表格').toString('base64'), fileName: 'x.xlsx' })
    expect(uploads()).toEqual([])
    // the fileId of a finished preview no longer finds anything: the wizard sends the bytes again
    const e = await app.err('excel.import', { register: 'members', fileId: r.fileId })
    expect(e.message).toContain('请重新选择文件')
  })

  it('the rejected-rows file is 0600 (--errors-out and the temporary one), and the temporary one is removed', async () => {
    const file = join(app.dir, '花名册.xlsx')
    writeFileSync(file, Buffer.from(await messyMembers().wb.xlsx.writeBuffer()))
    const errorsOut = join(app.dir, '错误行.xlsx')
    const r = await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx', sheet: '花名册', dryRun: true, errorsPath: errorsOut })
    expect(r.errorsPath).toBe(errorsOut)
    expect(mode(errorsOut)).toBe(0o600)
    const temp = await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx', sheet: '花名册', dryRun: true })
    expect(mode(temp.errorsPath!)).toBe(0o600)
    expect(mode(join(temp.errorsPath!, '..'))).toBe(0o700)
    const leftBefore = readdirSync(tmpdir()).filter((n) => n.startsWith('pingan-errors-')).length
    const api = await app.ok('excel.import', { register: 'members', fileBase64: (await messy()).fileBase64, fileName: '花名册.xlsx', sheet: '花名册', skipBad: true })
    expect(api.errorsFileBase64).toBeTruthy()
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('pingan-errors-')).length).toBe(leftBefore)
  })
})

describe('导出Excel masks 身份证号 unless asked for full numbers', () => {
  async function cells(out: { base64: string }, column: string): Promise<string[]> {
    const ws = (await readBase64(out.base64)).worksheets[0]!
    const head = (ws.getRow(2).values as unknown[]).slice(1)
    const c = head.indexOf(column) + 1
    expect(c, column).toBeGreaterThan(0)
    const out2: string[] = []
    for (let r = 3; r <= ws.rowCount; r++) out2.push(String(ws.getRow(r).getCell(c).value ?? ''))
    return out2
  }

  async function setUp() {
    await app.ok('members.create', { name: '张三', idNumber: ID(1), phone: '13800138000', roles: ['mediator', 'aftercare_helper'], joinedOn: '2024-01-15', villageId: villages['新塘村'] })
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('帮教')
    ws.addRow(['姓名', '身份证号', '人员类别', '罪名', '原判刑期', '释放日期', '帮教期满日期', '村居', '安置情况', '未安置原因', '帮教人员', '衔接日期', '危险性评估'])
    ws.addRow(['钱七', ID(301, '1985-07-08'), '刑满释放人员', '盗窃罪', '二年', '2023-06-30', '2026-06-30', '桂花社区', '未安置', '身体原因', '张三', '2023-07-01', '低'])
    const r = await app.ok('excel.import', { register: 'aftercare', fileBase64: await toBase64(wb), fileName: 'a.xlsx' })
    expect(r.rejected).toEqual([])
    const v = new ExcelJS.Workbook()
    v.addWorksheet('走访').addRows([
      ['帮教对象', '身份证号', '走访日期', '走访人员', '走访内容'],
      ['钱七', ID(301, '1985-07-08'), '2024-04-10', '张三', '谈心'],
    ])
    expect((await app.ok('excel.import', { register: 'visits', fileBase64: await toBase64(v), fileName: 'v.xlsx' })).rejected).toEqual([])
    const m = new ExcelJS.Workbook()
    m.addWorksheet('调解').addRows([
      ['受理日期', '纠纷类型', '村居', '申请人', '申请人身份证号', '被申请人', '纠纷简要情况'],
      ['2024-04-01', '邻里纠纷', '新塘村', '甲', ID(201), '乙', '排水沟纠纷'],
    ])
    expect((await app.ok('excel.import', { register: 'mediation', fileBase64: await toBase64(m), fileName: 'm.xlsx' })).rejected).toEqual([])
  }

  it('members, aftercare, visits and mediation parties: masked by default and with fullId false, full with fullId true', async () => {
    await setUp()
    const cases = [
      ['members', '身份证号', ID(1)],
      ['aftercare', '身份证号', ID(301, '1985-07-08')],
      ['visits', '身份证号', ID(301, '1985-07-08')],
      ['mediation', '申请人身份证号', ID(201)],
    ] as const
    for (const [register, column, id] of cases) {
      const masked = maskIdNumber(id)
      expect(await cells(await app.ok('excel.export', { register }), column), register).toEqual([masked])
      expect(await cells(await app.ok('excel.export', { register, fullId: false }), column), register).toEqual([masked])
      expect(await cells(await app.ok('excel.export', { register, fullId: true }), column), register).toEqual([id])
    }
  })

  it('the CLI too: masked unless --full-id; the file written is 0600', async () => {
    await app.ok('members.create', { name: '张三', idNumber: ID(1), phone: '13800138000', roles: ['mediator'], joinedOn: '2024-01-15' })
    const dataDir = app.dir
    app.close()
    const run = async (argv: string[]) => {
      const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
      const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
      try {
        return await main(argv)
      } finally {
        o.mockRestore()
        e.mockRestore()
      }
    }
    const read = async (file: string) => {
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(file)
      const ws = wb.worksheets[0]!
      const c = (ws.getRow(2).values as unknown[]).indexOf('身份证号')
      return String(ws.getRow(3).getCell(c).value)
    }
    const masked = join(dataDir, 'masked.xlsx')
    expect(await run(['export', 'excel', '--register', 'members', '--data-dir', dataDir, '--out', masked])).toBe(0)
    expect(await read(masked)).toBe(maskIdNumber(ID(1)))
    expect(mode(masked)).toBe(0o600)
    const full = join(dataDir, 'full.xlsx')
    expect(await run(['export', 'excel', '--register', 'members', '--data-dir', dataDir, '--out', full, '--full-id'])).toBe(0)
    expect(await read(full)).toBe(ID(1))
    expect(mode(full)).toBe(0o600)
  })
})
