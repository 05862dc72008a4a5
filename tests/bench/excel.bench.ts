import ExcelJS from 'exceljs'
import { randomBytes } from 'node:crypto'
import { rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { uuidv7 } from '../../src/shared/uuid'
import { importFile } from '../../src/main/excel/import'
import { exportRegister } from '../../src/main/excel/export'
import { excelExportInput } from '../../src/shared/excel/schema'
import { testApp, type TestApp } from '../helpers'
import { SHEET, SHEET_HEAD, bombSheet, part, withSheet } from '../integration/excelHostile'
import { benchIdNumber, mib } from './measure'

/** A full garbage collection, exposed for the bench even when node was started without --expose-gc. */
const gc: () => void =
  globalThis.gc ??
  (() => {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  })()

/**
 * Peak heap and RSS above the level at start, sampled while fn runs. heapUsed counts garbage not yet
 * collected; with collect, a full collection is forced once a second and live is the peak of heapUsed
 * right after one: what the run really holds. Forced collections change the other figures, so the
 * bench measures time and peak heap in a run without them.
 */
async function peak<T>(fn: () => Promise<T>, collect = false): Promise<{ result: T; ms: number; heap: number; live: number; rss: number }> {
  gc()
  const base = process.memoryUsage()
  let heap = 0
  let live = 0
  let rss = 0
  const sample = () => {
    const m = process.memoryUsage()
    heap = Math.max(heap, m.heapUsed - base.heapUsed)
    rss = Math.max(rss, m.rss - base.rss)
  }
  const full = () => {
    sample()
    gc()
    live = Math.max(live, process.memoryUsage().heapUsed - base.heapUsed)
  }
  const timer = setInterval(sample, 20)
  const collector = collect ? setInterval(full, 1000) : null
  const t = performance.now()
  try {
    const result = await fn()
    const ms = performance.now() - t
    if (collect) full()
    else sample()
    return { result, ms, heap, live, rss }
  } finally {
    clearInterval(timer)
    if (collector) clearInterval(collector)
  }
}

/** A members sheet as Excel saves it (shared strings), with a title row above the header. */
async function membersSheet(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['大托铺街道群防群治队伍花名册']).commit()
  ws.addRow(['序号', '姓名', '公民身份号码', '手机号', '村居', '职务', '入队时间', '备注']).commit()
  const villages = ['新塘村', '牛角塘村', '大托村', '桂花社区']
  const roles = ['专职巡防队员', '兼职巡防/群防群治队员', '调解员、网格员', '志愿者', '红袖标']
  for (let i = 0; i < rows; i++)
    ws.addRow([i + 1, `成员${i}`, benchIdNumber(i), `138${String(i).padStart(8, '0')}`, villages[i % 4], roles[i % 5], `2024.${(i % 12) + 1}.1`, '']).commit()
  ws.commit()
  await wb.commit()
}

/**
 * Hostile files (the ones tests/integration/excel-hostile.test.ts refuses): time until the refusal and
 * the memory it cost above the process at rest. Target: within 2 s and ≤ 100 MB.
 */
export async function benchHostile(app: TestApp, report: (name: string, value: string) => void): Promise<void> {
  const corrupt = async (rows: number) =>
    withSheet((p) => {
      const s = part(SHEET, p.get(SHEET)!)
      const stored = Buffer.from(s.stored)
      for (let i = 0; i < 64; i++) stored[Math.floor(stored.length / 2) + i]! ^= 0x5a
      return { ...s, stored }
    }, rows)
  const letters = randomBytes(3 * 1024 * 1024).map((b) => 65 + (b % 26))
  const cases: [string, () => Promise<Buffer>][] = [
    ['zip bomb, 1 MB inflating to 1 GiB', () => withSheet(bombSheet(1))],
    ['zip bomb whose directory declares 256 KiB', () => withSheet(bombSheet(1, 256 * 1024))],
    ['deflate corrupted mid-sheet, 20,000 rows', () => corrupt(20_000)],
    ['truncated 20,000-row file', async () => (await withSheet((p) => part(SHEET, p.get(SHEET)!), 20_000)).subarray(0, 300_000)],
    ['a cell of 100,000 characters', () => withSheet(part(SHEET, Buffer.from(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>${'长'.repeat(100_000)}</t></is></c></row></sheetData></worksheet>`)))],
    ['3 MB text node within the ratio', () => withSheet(part(SHEET, Buffer.concat([Buffer.from(`${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>`), letters, Buffer.from('</t></is></c></row></sheetData></worksheet>')])))],
    ['PNG renamed .xlsx', async () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1024 * 1024)])],
  ]
  for (const [name, build] of cases) {
    const file = join(app.dir, 'hostile.xlsx')
    writeFileSync(file, await build())
    const r = await peak(async () => {
      try {
        await importFile(app.ctx, { register: 'members', path: file, fileName: 'hostile.xlsx' })
        return 'IMPORTED'
      } catch (e) {
        return e instanceof Error ? e.message : String(e)
      }
    })
    const refused = r.result.startsWith('文件已损坏或不是Excel文件')
    report(`excel hostile: ${name} (${mib(statSync(file).size)} file)`, `${refused ? 'refused' : `NOT REFUSED: ${r.result.slice(0, 40)}`} in ${(r.ms / 1000).toFixed(2)} s, RSS +${mib(r.rss)}`)
    rmSync(file, { force: true })
  }
}

export async function benchExcel(report: (name: string, value: string) => void): Promise<void> {
  const app = testApp()
  try {
    for (const [name, kind] of [['新塘村', 'village'], ['牛角塘村', 'village'], ['大托村', 'village'], ['桂花社区', 'community']] as const)
      await app.ok('villages.create', { name, kind })
    await benchHostile(app, report)

    for (const n of [20_000, 100_000]) {
      const file = join(app.dir, `members-${n}.xlsx`)
      await membersSheet(file, n)
      // a fresh register each time, so every run does the same work per row
      const run = async (collect: boolean) => {
        app.ctx.db.exec('DELETE FROM import_batch_records; DELETE FROM import_batches; DELETE FROM members; DELETE FROM audit')
        const r = await peak(() => importFile(app.ctx, { register: 'members', path: file, fileName: 'm.xlsx' }), collect)
        if (r.result.imported !== n) throw new Error(`imported ${r.result.imported} of ${n}: ${JSON.stringify(r.result.rejected.slice(0, 3))}`)
        return r
      }
      const r = await run(false)
      report(`excel import: ${n.toLocaleString('en')}-row members sheet (${mib(statSync(file).size)} file)`, `${(r.ms / 1000).toFixed(1)} s, ${Math.round(n / (r.ms / 1000))} rows/s`)
      report(`excel import: ${n.toLocaleString('en')} rows, peak heap / RSS above start`, `${mib(r.heap)} / ${mib(r.rss)}`)
      if (n === 100_000) {
        const l = await run(true)
        report(`excel import: ${n.toLocaleString('en')} rows again, live heap (peak after a full GC each second)`, mib(l.live))
      }
      rmSync(file, { force: true })
    }

    // 100,000 patrols, written straight into the table, then exported through the register's own list
    const db = app.ctx.db
    const v = (db.prepare("SELECT id FROM villages WHERE name = '新塘村'").get() as { id: string }).id
    const leaders = (db.prepare("SELECT id FROM members WHERE roles LIKE '%patrol%' LIMIT 20").all() as { id: string }[]).map((x) => x.id)
    const now = new Date().toISOString()
    const ins = db.prepare(
      "INSERT INTO patrols (id, createdAt, updatedAt, township, villageId, date, startTime, endTime, mode, route, leaderId, memberIds, findings, handling) VALUES (?,?,?,'430103005',?,?,'19:30','22:00','foot','村部—学校—农贸市场',?,?,?,'')",
    )
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        const d = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10)
        const l = leaders[i % leaders.length]!
        ins.run(uuidv7(), now, now, v, d, l, JSON.stringify([l, leaders[(i + 1) % leaders.length]]), i % 7 === 0 ? '发现路灯损坏一处' : '')
      }
    })()
    const out = join(app.dir, 'patrols.xlsx')
    const e = await peak(() => exportRegister(app.ctx, excelExportInput.parse({ register: 'patrols', sort: [{ field: 'date', dir: 'asc' }] }), out))
    report(`excel export: 100,000-row patrol register (${mib(statSync(out).size)} file)`, `${(e.ms / 1000).toFixed(1)} s, ${e.result.rows} rows`)
    report('excel export: peak heap / RSS above start', `${mib(e.heap)} / ${mib(e.rss)}`)
  } finally {
    app.dispose()
  }
}
