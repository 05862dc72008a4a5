import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { rmSync } from 'node:fs'
import { runDemo } from '../../src/main/demo/demo'
import { craftPackage } from './packageCraft'
import { readerTuning } from '../../src/main/handoff/reader'
import { loadFrameChecker, loadRowChecker } from '../../src/main/handoff/rowCheck'
import { checkPlan, exactCheck, isStamp, uncoveredColumns } from '../../src/main/handoff/rows'
import { readSigningKey, type SigningKey } from '../../src/main/handoff/signing'
import { travelTables, type TravelTable } from '../../src/main/handoff/travel'
import { isoDate } from '../../src/shared/validation'
import { patrolTimeRefusal } from '../../src/shared/patrols/times'
import { tempDir, testApp, type TestApp } from '../helpers'

/**
 * The county checks every incoming row as the township's forms would (issue 13.5): a row a form
 * refuses is refused, naming the register, the row and the field, and the county is unchanged. The
 * worker's checks (compiled from the forms) give zod's verdict on random rows.
 */
let t: TestApp
let c: TestApp
let usb: string
let full: string
let key: SigningKey

beforeAll(async () => {
  t = testApp({ setup: false })
  await t.ok('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
  runDemo(t.ctx, { scale: 1, today: new Date().toISOString().slice(0, 10) })
  // the demo writes no audit trail and no self-check: a few edits through the forms do
  const v = await t.ok('villages.create', { name: '审计村', kind: 'village' })
  await t.ok('villages.update', { id: v.id, households: 120 })
  await t.ok('villages.create', { name: '第二村', kind: 'community' })
  await t.ok('grids.create', { villageId: v.id, name: '第一网格', households: 40 })
  await t.ok('units.create', { name: '审计村小学', kind: 'school', villageId: v.id, headcount: 30 })
  await t.ok('families.create', { name: '张建国家庭', villageId: v.id, householder: '张建国', address: '审计村3组', declaredOn: '2025-02-01' })
  await t.ok('checklist.attest', { criterionId: 'cunju.common.10', targetId: v.id, year: new Date().getFullYear(), value: 0.9, note: '问卷调查', evidence: '问卷汇总表' })
  await t.ok('documents.selfCheckTexts.save', { targetId: v.id, year: new Date().getFullYear(), measures: '补齐巡防队员', nextSteps: '年底前复查' })
  usb = tempDir('pingan-usb-')
  full = (await t.ok('package.export', { dir: usb })).file
  key = readSigningKey(t.dir)!
  c = testApp({ setup: false })
  await c.ok('township.setup', { mode: 'county', code: '430103', county: '天心区' })
})

afterAll(async () => {
  readerTuning.inlineBytes = 1 << 20
  await t?.dispose()
  await c?.dispose()
  if (usb) rmSync(usb, { recursive: true, force: true })
})

/** The package's rows decoded, changed, and written again, signed with the township's own key. */
function craft(name: string, change: (lines: string[]) => string[]): string {
  return craftPackage(full, name, change, key, { dir: usb })
}

/** Changes the `nth` row (1-based) of `table`; returns the changed row's id. */
function editRow(table: string, nth: number, edit: (row: Record<string, unknown>) => Record<string, unknown>, out: { id?: string } = {}) {
  return (lines: string[]): string[] => {
    const at = lines.findIndex((l) => l.startsWith('{') && (JSON.parse(l) as { table: string }).table === table)
    const columns = (JSON.parse(lines[at]!) as { columns: string[] }).columns
    const values = JSON.parse(lines[at + nth]!) as unknown[]
    const edited = edit(Object.fromEntries(columns.map((col, i) => [col, values[i]])))
    out.id = edited.id as string
    const copy = [...lines]
    copy[at + nth] = JSON.stringify(columns.map((col) => edited[col]))
    return copy
  }
}

describe('rows the forms would refuse', () => {
  const cases: [string, string, number, (r: Record<string, unknown>) => Record<string, unknown>, string][] = [
    // registers checked with zod on the main thread (their forms normalise the 身份证号)
    ['members', '成员', 3, (r) => ({ ...r, idNumber: 'not-an-id' }), '身份证号应为18位，现为9位'],
    ['members', '成员', 2, (r) => ({ ...r, name: '张'.repeat(100_000) }), '姓名不能超过30个字'],
    ['members', '成员', 4, (r) => ({ ...r, roles: 'not json' }), '职务/角色的内容已损坏'],
    ['members', '成员', 1, (r) => ({ ...r, roles: '["chairman"]' }), '职务/角色不是可选的值'],
    ['members', '成员', 5, (r) => ({ ...r, joinedOn: 'yesterday' }), '加入日期不是有效日期'],
    ['aftercare_people', '帮教对象', 2, (r) => ({ ...r, updatedAt: '9999-01-01T00:00:00.000Z', deletedAt: '9999-01-01T00:00:00.000Z' }), '修改时间（9999-01-01T00:00:00.000Z）晚于导入时间一天以上'],
    ['mediation_cases', '矛盾纠纷', 1, (r) => ({ ...r, status: 'success', mediatedOn: null, closedOn: null }), '请填写调解日期'],
    // registers checked on the reader's worker (a million patrols)
    ['patrols', '巡逻记录', 7, (r) => ({ ...r, date: 'yesterday' }), '巡逻日期不是有效日期'],
    ['patrols', '巡逻记录', 8, (r) => ({ ...r, memberIds: 'not json' }), '参加人员的内容已损坏'],
    ['patrols', '巡逻记录', 9, (r) => ({ ...r, startTime: '20:00', endTime: '09:00' }), '最长12小时'],
    ['patrols', '巡逻记录', 10, (r) => ({ ...r, createdAt: 'yesterday' }), '建立时间不是有效的时间'],
    ['villages', '村（社区）', 1, (r) => ({ ...r, name: '村'.repeat(100_000) }), '村（社区）名称不能超过50个字'],
    ['villages', '村（社区）', 2, (r) => ({ ...r, households: -5 }), '户数不能为负数'],
    ['audit', '操作记录', 3, (r) => ({ ...r, at: '9999-12-31T23:59:59.999Z' }), '操作时间（9999-12-31T23:59:59.999Z）晚于导入时间一天以上'],
    ['checklist_entries', '创建自查记录', 1, (r) => ({ ...r, attested: 7 }), '确认结果的内容已损坏'],
  ]
  afterEach(async () => {
    readerTuning.inlineBytes = 1 << 20
  })
  // read as a small package (inline) and as a large one (on the worker)
  for (const via of ['inline', 'worker'] as const)
    for (const [table, label, nth, edit, message] of cases)
      it(`${label}: ${message} (${via})`, async () => {
        readerTuning.inlineBytes = via === 'worker' ? -1 : 1 << 20
        const row: { id?: string } = {}
        const file = craft(`${table}-${nth}.pingan`, editRow(table, nth, edit, row))
        const before = c.contentHash()
        const preview = await c.ok('package.preview', { files: [file] })
        const e = await c.err('package.import', { files: [file] })
        expect(c.contentHash()).toBe(before)
        for (const text of [preview.packages[0]!.reason!, e.message]) {
          expect(text).toContain(`「${label}」第 ${nth} 条记录（编号 ${row.id}）`)
          expect(text).toContain(message)
        }
        expect(preview.packages[0]!.status).toBe('refused')
        expect(e.message).toContain('数据未作任何改动')
        // no personal data in the refusal
        expect(e.message).not.toMatch(/\d{17}[\dX]/)
      })

  it('the genuine package imports', async () => {
    const r = await c.ok('package.preview', { files: [full] })
    expect(r.packages[0]!.status).toBe('ready')
  })
})

describe("the worker's checks and the forms agree", () => {
  it('every column of every register is checked by a form or as part of the stored row, and the big registers are checked on the worker', () => {
    const tables = travelTables(t.ctx.db)
    expect(tables.map((x) => [x.name, uncoveredColumns(x)]).filter(([, u]) => u!.length)).toEqual([])
    const plan = checkPlan(tables, new Date().toISOString(), '2026-01-01')
    for (const name of ['patrols', 'audit', 'aftercare_visits', 'villages', 'checklist_entries']) expect(Object.keys(plan.tables)).toContain(name)
  })

  const boundaries = [0, 1, 2, 18, 29, 30, 31, 49, 50, 51, 59, 60, 61, 63, 64, 65, 99, 100, 101, 119, 120, 121, 199, 200, 201, 499, 500, 501, 999, 1000, 1001, 1999, 2000, 2001]
  const uuid = '0190a2b3-1111-7000-8000-000000000001'
  const ids = (n: number, v = uuid) => JSON.stringify(Array.from({ length: n }, () => v))
  const values: unknown[] = [
    null,
    '',
    ' ',
    '  x  ',
    '\u3000\u3000',
    'yesterday',
    uuid,
    '0190A2B3-1111-7000-8000-000000000001',
    '430103005',
    'village',
    'community',
    'foot',
    'vehicle',
    'electronic',
    'walking',
    'school',
    'create',
    'update',
    'drop',
    '2024-02-29',
    '2023-02-29',
    '1899-12-31',
    '1900-01-01',
    '2200-12-31',
    '2201-01-01',
    '2026-13-01',
    '2024-1-5',
    ' 2024-01-05',
    '9999-12-31',
    '00:00',
    '23:59',
    '24:00',
    '08:30',
    '8:30',
    '20:00',
    '07:59',
    '08:01',
    '2025-01-01T00:00:00.000Z',
    '2025-02-30T00:00:00.000Z',
    '2025-01-01T00:00:00Z',
    '9999-12-31T00:00:00.000Z',
    0,
    1,
    2,
    -1,
    0.5,
    1990,
    2200,
    2201,
    1e9,
    1e9 + 1,
    -1e9,
    10_000_000,
    10_000_001,
    2 ** 53,
    true,
    false,
    '[]',
    ids(1),
    ids(10),
    ids(11),
    ids(50),
    ids(51),
    ids(1, ''),
    ids(1, 'x'.repeat(65)),
    // a township's code: its own, another's, one too short
    '430103005',
    '430103007',
    '43010',
    '["station_head"]',
    '["*"]',
    '["*","a"]',
    '[1]',
    'not json',
    '{}',
    '{"a":1}',
    '{"a":null}',
    '{"a":"1"}',
    `{"${'k'.repeat(65)}":1}`,
    '{"x":[1,2]}',
    '[[1]]',
    '"text"',
    ...boundaries.flatMap((n) => ['a'.repeat(n), ` ${'b'.repeat(n)} `]),
  ]

  it('on random changes to real rows, the worker refuses exactly the rows zod and the rules refuse', () => {
    const tables = travelTables(t.ctx.db)
    const now = new Date().toISOString()
    const today = new Date().toISOString().slice(0, 10)
    // as an import reads a package of 大托铺街道: a row of another township is refused
    const plan = { ...checkPlan(tables, now, today), township: '430103005' }
    const worker = loadRowChecker(plan)
    const planned = tables.filter((x) => plan.tables[x.name])
    let refusedBoth = 0
    let passedBoth = 0
    for (const table of planned) {
      const base = realRows(table)
      expect(base.length).toBeGreaterThan(0)
      const w = worker(table.name, table.columns)!
      const z = exactCheck(table, table.columns, plan)
      for (const row of base) expect({ table: table.name, verdict: w(row) }).toEqual({ table: table.name, verdict: null })
      fc.assert(
        fc.property(
          fc.nat({ max: base.length - 1 }),
          fc.array(fc.tuple(fc.nat({ max: table.columns.length - 1 }), fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 4 }, { arbitrary: fc.string({ maxLength: 70 }), weight: 1 })), { minLength: 1, maxLength: 3 }),
          (i, changes) => {
            const row = [...base[i]!]
            for (const [col, v] of changes) row[col] = v
            const wv = w(row) === null
            const zv = z(row) === null
            if (wv && zv) passedBoth++
            if (!wv && !zv) refusedBoth++
            expect({ table: table.name, row, worker: wv }).toEqual({ table: table.name, row, worker: zv })
          },
        ),
        { numRuns: 1500 },
      )
    }
    // both outcomes are exercised
    expect(refusedBoth).toBeGreaterThan(1000)
    expect(passedBoth).toBeGreaterThan(300)
  })

  it("the worker's date and patrol-time rules are the shared ones", () => {
    const plan = checkPlan(travelTables(t.ctx.db), new Date().toISOString(), '2200-12-31')
    const patrols = travelTables(t.ctx.db).find((x) => x.name === 'patrols')!
    const w = loadRowChecker(plan)('patrols', patrols.columns)!
    const base = realRows(patrols)[0]!
    const at = (c: string) => patrols.columns.indexOf(c)
    const date = isoDate('d')
    fc.assert(
      fc.property(fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }), (y, m, d) => {
        const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
        const row = [...base]
        row[at('date')] = s
        expect(w(row) === null).toBe(date.safeParse(s).success)
      }),
      { numRuns: 3000 },
    )
    // time stamps: as Date#toISOString writes them, of a real moment (the main thread's test is Date's own)
    // the limit (a day after this) is the last moment of 9999: what is compared here is the stamp's form
    const late = checkPlan(travelTables(t.ctx.db), '9999-12-30T23:59:59.999Z', '2200-12-31')
    const w2 = loadRowChecker(late)('patrols', patrols.columns)!
    const two = (n: number) => String(n).padStart(2, '0')
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })),
        fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 })),
        ([y, mo, d], [h, mi, sec, ms]) => {
          const s = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(sec)}.${String(ms).padStart(3, '0')}Z`
          const row = [...base]
          row[at('createdAt')] = s
          expect(w2(row) === null).toBe(isStamp(s))
        },
      ),
      { numRuns: 5000 },
    )
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, mm]) => `${String(h).padStart(2, '0')}:${String(mm).padStart(2, '0')}`)
    fc.assert(
      fc.property(hhmm, hhmm, (s, e) => {
        const row = [...base]
        row[at('startTime')] = s
        row[at('endTime')] = e
        expect(w(row) === null).toBe(patrolTimeRefusal(s, e) === null)
      }),
      { numRuns: 3000 },
    )
  })
})

describe("the worker's reading of rows", () => {
  it('sees every row as JSON.parse of its UTF-8 sees it: Chinese, emoji, escapes, \\u escapes, broken UTF-8', () => {
    const tables = travelTables(t.ctx.db)
    const villages = tables.find((x) => x.name === 'villages')!
    const plan = checkPlan(tables, new Date().toISOString(), '2026-01-01')
    const exact = exactCheck(villages, villages.columns, plan)
    const base = realRows(villages)[0]!
    const at = villages.columns.indexOf('name')
    const header = Buffer.from(JSON.stringify({ table: 'villages', columns: villages.columns }) + '\n')
    // pieces of a name: ASCII, Chinese (3 bytes), emoji (4 bytes, two UTF-16 units), characters JSON escapes
    const piece = fc.constantFrom('a', ' ', '村', '社', '😀', '"', '\\', '\n', '\t', 'é', '\u3000', '\u0001')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat({ max: 3 }), fc.boolean(), (parts, how, broken) => {
        const name = parts.join('')
        const row = [...base]
        row[at] = name
        let line = JSON.stringify(row)
        // some writers escape non-ASCII as \uXXXX: the same row for JSON.parse
        if (how === 1) line = line.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
        let bytes = Buffer.from(line, 'utf8')
        // a byte that is not UTF-8 inside the name
        if (broken && name.length) {
          const i = bytes.indexOf(Buffer.from(JSON.stringify(name).slice(1, -1), 'utf8'))
          if (i > 0) bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([0xc3]), bytes.subarray(i)])
        }
        const frame = Buffer.concat([header, bytes, Buffer.from('\n')])
        const verdict = loadFrameChecker(plan)(frame) === null
        let want: boolean
        try {
          want = exact(JSON.parse(bytes.toString('utf8'))) === null
        } catch {
          want = false
        }
        expect({ name, how, broken, verdict }).toEqual({ name, how, broken, verdict: want })
      }),
      { numRuns: 3000 },
    )
  })
})

describe("the worker's length checks on undecoded text", () => {
  it('a text near its maximum length is judged by its characters, not its bytes: Chinese, emoji, ASCII', () => {
    const tables = travelTables(t.ctx.db)
    const patrols = tables.find((x) => x.name === 'patrols')!
    const plan = checkPlan(tables, new Date().toISOString(), '2099-01-01')
    const exact = exactCheck(patrols, patrols.columns, plan)
    const base = realRows(patrols)[0]!
    const at = patrols.columns.indexOf('route') // at most 200 characters
    const header = Buffer.from(JSON.stringify({ table: 'patrols', columns: patrols.columns }) + '\n')
    // a run of one piece around the limit (200 characters of 3 bytes is 600 bytes), then a mix
    const piece = fc.constantFrom('a', '村', '😀', 'é', ' ', '"')
    fc.assert(
      fc.property(piece, fc.integer({ min: 50, max: 260 }), fc.array(piece, { maxLength: 40 }), (p, n, tail) => {
        const route = p.repeat(n) + tail.join('')
        const row = [...base]
        row[at] = route
        const frame = Buffer.concat([header, Buffer.from(JSON.stringify(row) + '\n', 'utf8')])
        const verdict = loadFrameChecker(plan)(frame) === null
        expect({ length: route.length, verdict }).toEqual({ length: route.length, verdict: exact(row) === null })
      }),
      { numRuns: 2000 },
    )
    // both sides of the limit are seen
    const judge = (route: string) => loadFrameChecker(plan)(Buffer.concat([header, Buffer.from(JSON.stringify(base.map((v, i) => (i === at ? route : v))) + '\n')])) === null
    // an emoji is one character (two UTF-16 units, four bytes), as the form counts
    expect([judge('村'.repeat(200)), judge('村'.repeat(201)), judge('😀'.repeat(200)), judge('😀'.repeat(200) + 'a')]).toEqual([true, false, true, false])
  })
})

/** Up to 20 rows of a register as the package carries them (arrays in column order). */
function realRows(table: TravelTable): unknown[][] {
  const json = `json_array(${table.columns.map((x) => `"${x}"`).join(', ')})`
  return (t.ctx.db.prepare(`SELECT ${json} AS j FROM "${table.name}" LIMIT 20`).all() as { j: string }[]).map((r) => JSON.parse(r.j) as unknown[])
}
