import ExcelJS from 'exceljs'
import { randomBytes } from 'node:crypto'
import { rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { uuidv7 } from '../../src/shared/uuid'
import { importFile } from '../../src/main/excel/import'
import { openWorkbook } from '../../src/main/excel/reader'
import { openWorkbookOffThread, prewarmReader } from '../../src/main/excel/offThread'
import { addRecordRow, exportRegister, openSheet } from '../../src/main/excel/export'
import { namesFor, registerDefs } from '../../src/main/excel/registers'
import { exportColumns } from '../../src/shared/excel/columns'
import { excelExportInput } from '../../src/shared/excel/schema'
import { contract } from '../../src/shared/api/contract'
import { indexSearchBacklog, scheduleSearchIndex, withoutSearchTrigger } from '../../src/main/db/search'
import { testApp, type TestApp } from '../helpers'
import { SHEET, SHEET_HEAD, bombSheet, part, withSheet } from '../integration/excelHostile'
import { benchIdNumber, cpuMs, mib, runModule, timeBoth, type Report } from './measure'

/**
 * Excel at the sizes a county sees (issue 15.1, 15.2). Prints figures, asserts nothing.
 * - Import of a 100,000-row members sheet beside the rate at which the import's reader alone reads the
 *   same file (target: import ≥ 50% of it).
 * - Writes from the screen during that import: a villages.create every 200 ms; the wait of each is
 *   measured from the moment it was due (a blocked event loop delays the call itself), the longest is
 *   printed with the number refused (targets ≤ 1 s, 0 refused).
 * - A 1,048,576-row sheet (Excel's limit) dry-run and imported, with the peak RSS above the process at
 *   rest (target ≤ 300 MB). BENCH_EXCEL_BIG=0 leaves it out (it takes minutes).
 * - Export of a 100,000-row patrol register beside the workbook writer writing the same cells alone
 *   (target: export ≥ 50% of the writer's rate).
 */

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

const VILLAGES = ['新塘村', '牛角塘村', '大托村', '桂花社区']

/** A members sheet as Excel saves it (shared strings), with a title row above the header. */
async function membersSheet(file: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['大托铺街道群防群治队伍花名册']).commit()
  ws.addRow(['序号', '姓名', '公民身份号码', '手机号', '村居', '职务', '入队时间', '备注']).commit()
  const roles = ['专职巡防队员', '兼职巡防/群防群治队员', '调解员、网格员', '志愿者', '红袖标']
  for (let i = 0; i < rows; i++)
    ws.addRow([i + 1, `成员${i}`, benchIdNumber(i), `138${String(i).padStart(8, '0')}`, VILLAGES[i % 4], roles[i % 5], `2024.${(i % 12) + 1}.1`, '']).commit()
  ws.commit()
  await wb.commit()
}

const WRITE_SHEET = '--write-members-sheet'
if (process.argv[2] === WRITE_SHEET) void membersSheet(process.argv[3]!, Number(process.argv[4]))

/**
 * The same sheet written by a child process: exceljs's writer keeps every shared string, and for a
 * million rows left this process ~1.9 GB large, so that the import's own peak above it read 0 MiB.
 */
async function membersSheetInChild(file: string, rows: number): Promise<void> {
  await runModule(import.meta.url, [WRITE_SHEET, file, String(rows)], "the sheet's writer")
}

/**
 * The reader alone over the file: every row read, nothing done with it. `offThread`: the import's own
 * reader (offThread.ts: its reader thread, which the caller starts ahead as the wizard's excel.inspect does);
 * otherwise the reader on this thread (inspect's, and the import's before issue 15.1).
 */
async function readerOnly(file: string, offThread: boolean): Promise<number> {
  const wb = await (offThread ? openWorkbookOffThread : openWorkbook)(file, 'm.xlsx')
  let rows = 0
  try {
    for await (const r of wb.rows(wb.sheets[0]!)) if (r.cells.length) rows++
  } finally {
    wb.close()
  }
  return rows
}

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000))
const fmt = (n: number) => n.toLocaleString('en-US')
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** a fresh register each time, so every run does the same work per row */
function emptyMembers(app: TestApp): void {
  app.ctx.db.exec('DELETE FROM import_batch_records; DELETE FROM import_batches; DELETE FROM members; DELETE FROM audit; DELETE FROM search_backlog')
}

/**
 * Hostile files (the ones tests/integration/excel-hostile.test.ts refuses): time until the refusal and
 * the memory it cost above the process at rest. Target: within 2 s and ≤ 100 MB.
 */
export async function benchHostile(app: TestApp, report: Report): Promise<void> {
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
    report(`excel hostile: ${name} (${mib(statSync(file).size)} file)`, `${refused ? 'refused' : `NOT REFUSED: ${r.result.slice(0, 40)}`} in ${(r.ms / 1000).toFixed(2)} s, RSS +${mib(r.rss)}`, {
      value: Math.round(r.ms),
      unit: 'ms',
      target: '≤ 2000 ms, refused',
    })
    rmSync(file, { force: true })
  }
}

/** The 100,000-row import beside the reader alone, and again with the screen saving every 200 ms. */
async function benchImport(app: TestApp, report: Report): Promise<void> {
  const n = 100_000
  const file = join(app.dir, `members-${n}.xlsx`)
  await membersSheet(file, n)
  const size = mib(statSync(file).size)
  // readers and import alternate, three times each, so a change of load on the machine touches all;
  // the fastest of each by wall time, and the ratio by CPU time too (far less disturbed by other programs)
  let read = { ms: Infinity, cpu: Infinity }
  let own = { ms: Infinity, cpu: Infinity }
  let imp = { ms: Infinity, cpu: Infinity }
  let mem = { heap: 0, rss: 0 }
  let indexed = 0
  for (let k = 0; k < 3; k++) {
    const r = await timeBoth(() => readerOnly(file, false))
    read = { ms: Math.min(read.ms, r.ms), cpu: Math.min(read.cpu, r.cpu) }
    await prewarmReader()
    const o = await timeBoth(() => readerOnly(file, true))
    own = { ms: Math.min(own.ms, o.ms), cpu: Math.min(own.cpu, o.cpu) }
    emptyMembers(app)
    // as the wizard runs it: excel.inspect first, which starts the import's reader thread
    await prewarmReader()
    const c = cpuMs()
    const p = await peak(() => importFile(app.ctx, { register: 'members', path: file, fileName: 'm.xlsx' }))
    const cpu = cpuMs() - c
    if (p.result.imported !== n) throw new Error(`imported ${p.result.imported} of ${n}: ${JSON.stringify(p.result.rejected.slice(0, 3))}`)
    imp = { ms: Math.min(imp.ms, p.ms), cpu: Math.min(imp.cpu, cpu) }
    mem = { heap: Math.max(mem.heap, p.heap), rss: Math.max(mem.rss, p.rss) }
    // the rows' search index is built in the background after the import: not during the next figure
    const t = performance.now()
    await scheduleSearchIndex(app.ctx.db)
    indexed = performance.now() - t
  }
  const readRate = rate(n, read.ms)
  const ownRate = rate(n, own.ms)
  const importRate = rate(n, imp.ms)
  report(`excel import: the import's reader alone (its reader thread), ${fmt(n)}-row members sheet (${size})`, `${sec(own.ms)}, ${fmt(ownRate)} rows/s (CPU ${sec(own.cpu)})`, { value: ownRate, unit: 'rows/s' })
  report(`excel import: the reader alone on the main thread, the same sheet`, `${sec(read.ms)}, ${fmt(readRate)} rows/s (CPU ${sec(read.cpu)})`, { value: readRate, unit: 'rows/s' })
  report(`excel import: ${fmt(n)}-row members sheet, checked and written`, `${sec(imp.ms)}, ${fmt(importRate)} rows/s (CPU ${sec(imp.cpu)}, both threads)`, { value: importRate, unit: 'rows/s' })
  report("excel import: import rate / its reader's rate by wall time (target ≥ 50%)", `${Math.round((100 * own.ms) / imp.ms)}%`, { value: Math.round((100 * own.ms) / imp.ms), unit: '%', target: '≥ 50%' })
  report('excel import: import rate / the main-thread reader\'s rate by wall time (the stricter floor)', `${Math.round((100 * read.ms) / imp.ms)}%`, { value: Math.round((100 * read.ms) / imp.ms), unit: '%', target: '≥ 50%' })
  report(`excel import: ${fmt(n)} rows, peak heap / RSS above start`, `${mib(mem.heap)} / ${mib(mem.rss)}`, { value: Math.round(mem.rss / 1024 / 1024), unit: 'MiB' })
  report(`excel import: ${fmt(n)} imported rows indexed for search afterwards (background, in steps)`, sec(indexed), { value: Math.round(indexed), unit: 'ms' })

  // the screen saves a village every 200 ms while the same file is imported
  emptyMembers(app)
  const waits: number[] = []
  let refused = 0
  let k = 0
  const t0 = performance.now()
  const pending: Promise<void>[] = []
  const timer = setInterval(() => {
    // due at t0 + k·200 ms; a timer the blocked event loop holds back fires late, and that lateness counts
    const due = t0 + ++k * 200
    pending.push(
      app.invoke('villages.create', { name: `加测村${k}`, kind: 'village' }).then((r) => {
        waits.push(performance.now() - due)
        if (!r.ok) refused++
      }),
    )
  }, 200)
  let result
  try {
    result = await importFile(app.ctx, { register: 'members', path: file, fileName: 'm.xlsx' })
    // the call due while the commit held the event loop is made once it lets go: wait for it
    const made = k
    while (k === made) await new Promise((r) => setTimeout(r, 20))
  } finally {
    clearInterval(timer)
  }
  await Promise.all(pending)
  await scheduleSearchIndex(app.ctx.db)
  if (result.imported !== n) throw new Error(`imported ${result.imported} of ${n}`)
  const longest = Math.max(0, ...waits)
  report(`excel import: villages.create every 200 ms during the import: calls / refused`, `${waits.length} / ${refused}`, { value: refused, unit: 'refused', target: '0' })
  report('excel import: longest wait of those writes, from when due (target ≤ 1 s)', `${Math.round(longest)} ms`, { value: Math.round(longest), unit: 'ms', target: '≤ 1000 ms' })
  app.ctx.db.exec("DELETE FROM villages WHERE name LIKE '加测村%'")
  rmSync(file, { force: true })
}

/** Excel's last row: a dry run and an import of 1,048,574 members, and what they hold in memory. */
async function benchBig(app: TestApp, report: Report): Promise<void> {
  const n = 1_048_576 - 2
  const file = join(app.dir, 'members-max.xlsx')
  const t = performance.now()
  await membersSheetInChild(file, n)
  report(`excel import: a sheet of Excel's 1,048,576 rows written by exceljs (in a child process) (${mib(statSync(file).size)})`, sec(performance.now() - t))
  emptyMembers(app)
  for (const dryRun of [true, false]) {
    let top = 0
    const sampler = setInterval(() => (top = Math.max(top, process.memoryUsage().rss)), 50)
    const r = await peak(() => importFile(app.ctx, { register: 'members', path: file, fileName: 'max.xlsx', dryRun })).finally(() => clearInterval(sampler))
    const done = dryRun ? r.result.wouldImport : r.result.imported
    if (done !== n) throw new Error(`${dryRun ? 'dry run' : 'import'}: ${done} of ${n}: ${JSON.stringify(r.result.rejected.slice(0, 3))}`)
    const what = dryRun ? 'dry run' : 'import'
    report(`excel import: 1,048,576-row sheet, ${what}`, `${sec(r.ms)}, ${fmt(rate(n, r.ms))} rows/s`, { value: Math.round(r.ms / 1000), unit: 's' })
    report(`excel import: 1,048,576-row sheet, ${what}: peak RSS above start (target ≤ 300 MB)`, `${mib(r.rss)} (heap ${mib(r.heap)}; the whole process at most ${mib(top)})`, {
      value: Math.round(r.rss / 1024 / 1024),
      unit: 'MiB',
      target: '≤ 300 MB',
    })
  }
  await scheduleSearchIndex(app.ctx.db)
  emptyMembers(app)
  rmSync(file, { force: true })
}

/** 100,000 patrols written straight into the table, exported through the register's own list; beside it, the writer alone. */
async function benchExport(app: TestApp, report: Report): Promise<void> {
  const db = app.ctx.db
  const v = (db.prepare("SELECT id FROM villages WHERE name = '新塘村'").get() as { id: string }).id
  const now = new Date().toISOString()
  const insM = db.prepare(
    "INSERT INTO members (id, createdAt, updatedAt, township, name, idNumber, phone, villageId, roles, joinedOn) VALUES (?, ?, ?, '430103005', ?, ?, '', ?, '[\"patrol_fulltime\"]', '2014-01-01')",
  )
  const leaders: string[] = []
  const ins = db.prepare(
    "INSERT INTO patrols (id, createdAt, updatedAt, township, villageId, date, startTime, endTime, mode, route, leaderId, memberIds, findings, handling) VALUES (?,?,?,'430103005',?,?,'19:30','22:00','foot','村部—学校—农贸市场',?,?,?,'')",
  )
  db.transaction(() => {
    for (let i = 0; i < 20; i++) {
      const id = uuidv7()
      leaders.push(id)
      insM.run(id, now, now, `巡防队员${i}`, benchIdNumber(5_000_000 + i), v)
    }
    withoutSearchTrigger(db, 'patrols', () => {
      for (let i = 0; i < 100_000; i++) {
        const d = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10)
        const l = leaders[i % leaders.length]!
        ins.run(uuidv7(), now, now, v, d, l, JSON.stringify([l, leaders[(i + 1) % leaders.length]]), i % 7 === 0 ? '发现路灯损坏一处' : '')
      }
    })
  })()
  indexSearchBacklog(db)
  const input = excelExportInput.parse({ register: 'patrols', sort: [{ field: 'date', dir: 'asc' }] })

  // the floor: the same cells (read beforehand through the same list, in memory), written by the writer alone
  const def = registerDefs.patrols
  const names = namesFor(app.ctx)
  const cells: Record<string, string | number | null>[] = []
  for (let offset = 0; ; ) {
    const page = def.handler('list')(contract['patrols.list'].input.parse({ sort: input.sort, offset, limit: 10_000 }) as never, app.ctx) as { rows: unknown[] }
    for (const rec of page.rows) cells.push(def.exportValues(rec as never, names))
    offset += page.rows.length
    if (page.rows.length < 10_000) break
  }
  let floor = { ms: Infinity, cpu: Infinity }
  let exp = { ms: Infinity, cpu: Infinity, rows: 0, heap: 0, rss: 0 }
  const out = join(app.dir, 'patrols.xlsx')
  for (let k = 0; k < 3; k++) {
    const f = join(app.dir, 'floor.xlsx')
    const w = await timeBoth(async () => {
      const sheet = openSheet(f, '巡逻台账', '巡逻台账', exportColumns('patrols'))
      for (const [i, values] of cells.entries()) {
        addRecordRow(sheet, values, i + 1)
        // the export yields to the event loop after each page; so does the floor
        if (i % 5000 === 4999) await new Promise((r) => setImmediate(r))
      }
      sheet.ws.commit()
      await sheet.wb.commit()
    })
    floor = { ms: Math.min(floor.ms, w.ms), cpu: Math.min(floor.cpu, w.cpu) }
    rmSync(f, { force: true })
    const c = cpuMs()
    const e = await peak(() => exportRegister(app.ctx, input, out))
    const cpu = cpuMs() - c
    exp = { ms: Math.min(exp.ms, e.ms), cpu: Math.min(exp.cpu, cpu), rows: e.result.rows, heap: Math.max(exp.heap, e.heap), rss: Math.max(exp.rss, e.rss) }
  }
  const rows = exp.rows
  report(`excel export: the writer alone, the same ${fmt(rows)} rows' cells`, `${sec(floor.ms)}, ${fmt(rate(rows, floor.ms))} rows/s (CPU ${sec(floor.cpu)})`, { value: rate(rows, floor.ms), unit: 'rows/s' })
  report(`excel export: ${fmt(rows)}-row patrol register (${mib(statSync(out).size)} file)`, `${sec(exp.ms)}, ${fmt(rate(rows, exp.ms))} rows/s (CPU ${sec(exp.cpu)})`, { value: rate(rows, exp.ms), unit: 'rows/s' })
  report('excel export: export rate / writer rate by wall time (target ≥ 50%)', `${Math.round((100 * floor.ms) / exp.ms)}%`, { value: Math.round((100 * floor.ms) / exp.ms), unit: '%', target: '≥ 50%' })
  report('excel export: the same by CPU time (what an idle machine shows)', `${Math.round((100 * floor.cpu) / exp.cpu)}%`, { value: Math.round((100 * floor.cpu) / exp.cpu), unit: '%', target: '≥ 50%' })
  report('excel export: peak heap / RSS above start', `${mib(exp.heap)} / ${mib(exp.rss)}`, { value: Math.round(exp.rss / 1024 / 1024), unit: 'MiB' })
}

export async function benchExcel(report: Report): Promise<void> {
  const app = testApp()
  try {
    for (const [i, name] of VILLAGES.entries()) await app.ok('villages.create', { name, kind: i === 3 ? 'community' : 'village' })
    await benchHostile(app, report)
    await benchImport(app, report)
    if (process.env.BENCH_EXCEL_BIG !== '0') await benchBig(app, report)
    await benchExport(app, report)
  } finally {
    await app.dispose()
  }
}
