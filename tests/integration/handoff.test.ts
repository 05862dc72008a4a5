import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { makeIdNumber } from '../../src/shared/idNumber'
import { runDemo } from '../../src/main/demo/demo'
import Database from 'better-sqlite3'
import { DB_FILE } from '../../src/main/app'
import { exportData } from '../../src/main/handoff/export'
import { HEAD_BYTES, MAGIC, PAYLOAD_OFFSET, encodeManifestSlot, signedMessage, type Manifest } from '../../src/main/handoff/format'
import { readSigningKey, signWith, type SigningKey } from '../../src/main/handoff/signing'
import { readerTuning } from '../../src/main/handoff/reader'
import { tuning } from '../../src/main/handoff/import'
import { travelTables } from '../../src/main/handoff/travel'
import { craftPackage } from './packageCraft'
import { tempDir, testApp, type TestApp } from '../helpers'

const apps: TestApp[] = []
const dirs: string[] = []
// the demo's packages are small; these tests read them as large ones are read, on the worker
beforeAll(() => {
  readerTuning.inlineBytes = -1
})
afterAll(async () => {
  readerTuning.inlineBytes = 1 << 20
})
afterEach(async () => {
  while (apps.length) await apps.pop()!.dispose()
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

async function township(code = '430103005', name = '大托铺街道', county = '天心区'): Promise<TestApp> {
  const a = testApp({ setup: false })
  apps.push(a)
  await a.ok('township.setup', { mode: 'township', name, code, county })
  return a
}

async function county(code = '430103', name = '天心区'): Promise<TestApp> {
  const a = testApp({ setup: false })
  apps.push(a)
  await a.ok('township.setup', { mode: 'county', code, county: name })
  return a
}

/** the signing key of a test installation */
function keyOf(a: TestApp): SigningKey {
  const k = readSigningKey(a.dir)
  if (!k) throw new Error('no signing key')
  return k
}

/** A package file from a manifest and a payload, signed as `key` would sign it. */
function signed(m: Manifest, payload: Buffer, key: SigningKey): Buffer {
  const head = encodeManifestSlot({ ...m, signer: { algorithm: 'ed25519', publicKey: key.publicKey } })
  return Buffer.concat([head, signWith(key, signedMessage(head)), payload])
}

function manifestOf(bytes: Buffer): Manifest {
  return JSON.parse(bytes.subarray(MAGIC.length + 4, HEAD_BYTES).toString('utf8').trim()) as Manifest
}

function usb(): string {
  const d = tempDir('pingan-usb-')
  dirs.push(d)
  return d
}

type Row = Record<string, unknown>
function rows(a: TestApp, table: string, township?: string): Row[] {
  const where = township ? ' WHERE township = ?' : ''
  return a.ctx.db.prepare(`SELECT * FROM "${table}"${where} ORDER BY id`).all(...(township ? [township] : [])) as Row[]
}

/** every table that travels, every row and field: the county holds exactly the township's data */
function expectSameData(t: TestApp, c: TestApp, code: string): void {
  for (const table of travelTables(t.ctx.db)) expect({ table: table.name, rows: rows(c, table.name, code) }).toEqual({ table: table.name, rows: rows(t, table.name) })
}

const ID1 = makeIdNumber('430103', '1980-05-06', 11)
const ID2 = makeIdNumber('430103', '1975-02-03', 22)

async function someData(t: TestApp) {
  const v = await t.ok('villages.create', { name: '试点村', kind: 'village', households: 500 })
  const g = await t.ok('grids.create', { villageId: v.id, name: '第一网格' })
  const m1 = await t.ok('members.create', { name: '张三', idNumber: ID1, roles: ['mediator'], joinedOn: '2024-01-01', villageId: v.id, gridId: g.id })
  const m2 = await t.ok('members.create', { name: '李四', idNumber: ID2, roles: ['patrol_fulltime'], joinedOn: '2024-02-01' })
  return { v, g, m1, m2 }
}

describe('USB handoff: export and county import', () => {
  it('a full package carries every table, and the county gets every row and field equal', async () => {
    const t = await township()
    runDemo(t.ctx, { scale: 1, today: '2026-06-30' })
    const { m1 } = await someData(t)
    await t.ok('members.update', { id: m1.id, phone: '13800138000' })
    const dir = usb()
    const out = await t.ok('package.export', { dir })
    expect(out.file).toBe(join(dir, out.fileName))
    expect(out.fileName).toMatch(/^430103005_大托铺街道_\d{8}_0001_全量\.pingan$/)
    expect(readdirSync(dir)).toEqual([out.fileName])
    const total = travelTables(t.ctx.db).reduce((n, x) => n + rows(t, x.name).length, 0)
    expect(out.rows).toBe(total)
    expect(out.tables.find((x) => x.table === 'patrols')!.rows).toBeGreaterThan(1000)

    const c = await county()
    const before = c.contentHash()
    const preview = await c.ok('package.preview', { files: [out.file] })
    expect(c.contentHash()).toBe(before)
    expect(preview.committed).toBe(false)
    expect(preview.packages[0]).toMatchObject({ status: 'ready', township: '430103005', townshipName: '大托铺街道', seq: 1, full: true })
    const members = preview.totals.find((x) => x.table === 'members')!
    expect(members).toMatchObject({ label: '成员', new: rows(t, 'members').length, changed: 0, deleted: 0 })

    const done = await c.ok('package.import', { files: [out.file] })
    expect(done.committed).toBe(true)
    expect(done.packages[0]!.status).toBe('imported')
    expect(done.totals).toEqual(preview.totals)
    expectSameData(t, c, '430103005')
    const towns = await c.ok('county.townships', {})
    expect(towns).toMatchObject([{ code: '430103005', name: '大托铺街道', lastSeq: 1, packages: 1, missing: [] }])
    expect(towns[0]!.counts.members).toBe(rows(t, 'members').length)
    const list = await c.ok('county.records', { table: 'members', township: '430103005', q: '张三' })
    expect(list.total).toBe(1)
    expect(list.rows[0]!.idNumber).toBe(ID1.slice(0, 6) + '********' + ID1.slice(-4))
  })

  it('a bulk load (indexes rebuilt after the rows) gives the same county, indexes included', async () => {
    const t = await township()
    runDemo(t.ctx, { scale: 1, today: '2026-06-30' })
    const out = await t.ok('package.export', { dir: usb() })
    const c = await county()
    const indexes = () => c.ctx.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all()
    const before = indexes()
    const patrols = (r: { totals: { table: string; new: number; changed: number; deleted: number; unchanged: number }[] }) => {
      const p = r.totals.find((x) => x.table === 'patrols')!
      return { new: p.new, changed: p.changed, deleted: p.deleted, unchanged: p.unchanged }
    }
    const held = (t.ctx.db.prepare('SELECT count(*) AS n, count(deletedAt) AS d FROM patrols').get() as { n: number; d: number })
    tuning.bulkRows = 1
    try {
      const first = await c.ok('package.import', { files: [out.file] })
      expect(patrols(first)).toEqual({ new: held.n - held.d, changed: 0, deleted: held.d, unchanged: 0 })
      expectSameData(t, c, '430103005')
      expect(indexes()).toEqual(before)
      expect(c.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal')

      // the same township sends a full package again after a few changes: only those are written
      const ids = (t.ctx.db.prepare('SELECT id FROM patrols WHERE deletedAt IS NULL ORDER BY rowid LIMIT 5').all() as { id: string }[]).map((r) => r.id)
      for (const id of ids.slice(0, 3)) await t.ok('patrols.update', { id, findings: '复查无异常' })
      for (const id of ids.slice(3)) await t.ok('patrols.delete', { id })
      const again = await t.ok('package.export', { dir: usb(), full: true })
      // while another connection has the county's file open the load runs in WAL, as always
      const other = new Database(join(c.dir, DB_FILE), { readonly: true })
      try {
        const second = await c.ok('package.import', { files: [again.file] })
        expect(patrols(second)).toEqual({ new: 0, changed: 3, deleted: 2, unchanged: held.n - 5 })
      } finally {
        other.close()
      }
    } finally {
      tuning.bulkRows = 50_000
    }
    expectSameData(t, c, '430103005')
    expect(indexes()).toEqual(before)
    expect(c.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(c.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('an incremental package carries only the rows and tombstones changed since the last good export', async () => {
    const t = await township()
    const { v, m1, m2 } = await someData(t)
    const dir = usb()
    const c = await county()
    const p1 = await t.ok('package.export', { dir })
    await c.ok('package.import', { files: [p1.file] })

    await t.ok('members.update', { id: m1.id, notes: '调解骨干' })
    await t.ok('members.delete', { id: m2.id })
    await t.ok('villages.create', { name: '牛角塘村', kind: 'village' })
    const p2 = await t.ok('package.export', { dir })
    expect(p2).toMatchObject({ seq: 2, full: false })
    expect(p2.fileName).toMatch(/_0002\.pingan$/)
    const carried = Object.fromEntries(p2.tables.map((x) => [x.table, x.rows]))
    expect(carried).toEqual({ villages: 1, members: 2, audit: 3 })
    expect(p2.rows).toBe(6)

    const r = await c.ok('package.import', { files: [p2.file] })
    const by = Object.fromEntries(r.totals.map((x) => [x.table, x]))
    expect(by.members).toMatchObject({ rows: 2, new: 0, changed: 1, deleted: 1 })
    expect(by.villages).toMatchObject({ rows: 1, new: 1 })
    expectSameData(t, c, '430103005')
    const stored = c.ctx.db.prepare('SELECT deletedAt, updatedAt FROM members WHERE id = ?').get(m2.id) as Row
    expect(stored.deletedAt).toBeTruthy()
    expect(stored).toEqual(t.ctx.db.prepare('SELECT deletedAt, updatedAt FROM members WHERE id = ?').get(m2.id))
    expect((c.ctx.db.prepare('SELECT name FROM villages WHERE id = ?').get(v.id) as Row).name).toBe('试点村')

    // nothing changed since: the next package is empty but still numbered
    const p3 = await t.ok('package.export', { dir })
    expect(p3).toMatchObject({ seq: 3, rows: 0 })
    const again = await t.ok('package.export', { dir, full: true })
    expect(again).toMatchObject({ seq: 4, full: true })
    expect(again.fileName).toMatch(/_0004_全量\.pingan$/)
  })

  it('a deletion is never undone by an older copy, a gap is reported, and re-import changes nothing', async () => {
    const t = await township()
    const { m2 } = await someData(t)
    const dir = usb()
    const p1 = await t.ok('package.export', { dir })
    await t.ok('members.update', { id: m2.id, phone: '13900139000' })
    const p2 = await t.ok('package.export', { dir })
    await t.ok('members.delete', { id: m2.id })
    const p3 = await t.ok('package.export', { dir })

    const c = await county()
    // the newest first: the tombstone arrives before the older live copies
    const r1 = await c.ok('package.import', { files: [p1.file, p3.file] })
    expect(r1.packages.map((p) => p.status)).toEqual(['imported', 'imported'])
    expect(r1.problems.join('')).toContain('缺少第 2 号数据包')
    expect((await c.ok('county.townships', {}))[0]!.missing).toEqual([2])
    const r2 = await c.ok('package.import', { files: [p2.file] })
    expect(r2.totals.find((x) => x.table === 'members')).toMatchObject({ rows: 1, unchanged: 1, changed: 0 })
    expect(r2.problems).toEqual([])
    const row = c.ctx.db.prepare('SELECT deletedAt, phone FROM members WHERE id = ?').get(m2.id) as Row
    expect(row.deletedAt).toBeTruthy()
    expectSameData(t, c, '430103005')

    const before = c.contentHash()
    const r3 = await c.ok('package.import', { files: [p1.file, p2.file, p3.file, p3.file] })
    expect(r3.packages.map((p) => p.status)).toEqual(['already_imported', 'already_imported', 'already_imported', 'already_imported'])
    expect(c.contentHash()).toBe(before)
    const towns = await c.ok('county.townships', {})
    expect(towns[0]).toMatchObject({ lastSeq: 3, packages: 3, missing: [] })
  })

  it('a 身份证号 corrected on one member and given to another between two exports merges cleanly', async () => {
    const t = await township()
    const { m1, m2 } = await someData(t)
    const dir = usb()
    const c = await county()
    await c.ok('package.import', { files: [(await t.ok('package.export', { dir })).file] })
    const ID3 = makeIdNumber('430103', '1990-09-09', 33)
    await t.ok('members.update', { id: m1.id, idNumber: ID3 })
    await t.ok('members.update', { id: m2.id, idNumber: ID1 })
    await t.ok('members.update', { id: m1.id, notes: '更正了身份证号' })
    // m2 took the number m1 gave up; m1's later edit puts it after m2 in the package
    const r = await c.ok('package.import', { files: [(await t.ok('package.export', { dir })).file] })
    expect(r.packages[0]!.status).toBe('imported')
    expectSameData(t, c, '430103005')
  })

  it('an encrypted package needs the passphrase and round-trips with it; the passphrase is not stored', async () => {
    const t = await township()
    await someData(t)
    const out = await t.ok('package.export', { dir: usb(), passphrase: '平安大托2026' })
    expect(out.encrypted).toBe(true)
    const bytes = readFileSync(out.file)
    expect(bytes.includes(Buffer.from('张三'))).toBe(false)
    expect(bytes.includes(Buffer.from('平安大托2026'))).toBe(false)
    expect(JSON.stringify(t.ctx.db.prepare('SELECT * FROM handoff_exports').all())).not.toContain('平安大托2026')
    const c = await county()
    const before = c.contentHash()
    expect(await c.err('package.import', { files: [out.file] })).toMatchObject({ code: 'invalid_input', field: 'passphrase', message: expect.stringContaining('请输入口令') })
    expect(await c.err('package.import', { files: [out.file], passphrase: '平安大托2025' })).toMatchObject({ field: 'passphrase', message: expect.stringContaining('口令不正确') })
    expect(c.contentHash()).toBe(before)
    await c.ok('package.import', { files: [out.file], passphrase: '平安大托2026' })
    expectSameData(t, c, '430103005')
  })

  it('the same 身份证号 in two townships is listed for review, not merged', async () => {
    const a = await township('430103005', '大托铺街道')
    const b = await township('430103006', '新开铺街道')
    await a.ok('members.create', { name: '张三', idNumber: ID1, roles: ['mediator'], joinedOn: '2024-01-01' })
    await b.ok('members.create', { name: '张三', idNumber: ID1, roles: ['volunteer'], joinedOn: '2025-01-01' })
    await b.ok('members.create', { name: '王五', idNumber: ID2, roles: ['volunteer'], joinedOn: '2025-01-01' })
    const dir = usb()
    const pa = await a.ok('package.export', { dir })
    const pb = await b.ok('package.export', { dir })
    const c = await county()
    const r = await c.ok('package.import', { files: [pb.file, pa.file] })
    expect(r.duplicates).toHaveLength(1)
    expect(r.duplicates[0]!.idNumber).toBe(ID1.slice(0, 6) + '********' + ID1.slice(-4))
    expect(r.duplicates[0]!.entries.map((e) => [e.township, e.townshipName, e.label, e.name])).toEqual([
      ['430103005', '大托铺街道', '成员', '张三'],
      ['430103006', '新开铺街道', '成员', '张三'],
    ])
    expect((c.ctx.db.prepare('SELECT count(*) AS n FROM members WHERE idNumber = ?').get(ID1) as { n: number }).n).toBe(2)
    expect((await c.ok('county.townships', {})).map((x) => x.code)).toEqual(['430103005', '430103006'])
  })
})

// each refusal through both readers: the worker's (large payloads) and the calling thread's (small ones)
for (const via of ['worker', 'inline'] as const)
  describe(`USB handoff: refusals change nothing (read ${via === 'worker' ? 'on the worker' : 'inline'})`, () => {
    beforeAll(() => {
      readerTuning.inlineBytes = via === 'worker' ? -1 : 1 << 20
    })
    afterAll(async () => {
      readerTuning.inlineBytes = 1 << 20
    })
    async function setup() {
      const t = await township()
      const { m1 } = await someData(t)
      const c = await county()
      const dir = usb()
      const p1 = await t.ok('package.export', { dir })
      await c.ok('package.import', { files: [p1.file] })
      await t.ok('members.update', { id: m1.id, notes: '新的备注' })
      const p2 = await t.ok('package.export', { dir })
      return { t, c, dir, p2, bytes: readFileSync(p2.file) }
    }

    async function refused(c: TestApp, file: string, message: string, input: Record<string, unknown> = {}) {
      const before = c.contentHash()
      const preview = await c.ok('package.preview', { files: [file], ...input })
      expect(preview.packages[0]!.status).toBe('refused')
      expect(preview.packages[0]!.reason).toContain(message)
      const e = await c.err('package.import', { files: [file], ...input })
      expect(e.message).toContain(message)
      expect(e.message).toContain('数据未作任何改动')
      expect(c.contentHash()).toBe(before)
      return e
    }

    it('a truncated file', async () => {
      const { c, dir, bytes } = await setup()
      for (const n of [bytes.length - 1, Math.floor(bytes.length / 2), 100, 8]) {
        const f = join(dir, `cut-${n}.pingan`)
        writeFileSync(f, bytes.subarray(0, n))
        await refused(c, f, '不完整')
      }
    })

    it('a tampered payload, and a tampered manifest', async () => {
      const { c, dir, bytes } = await setup()
      const f = join(dir, 'tampered.pingan')
      const b = Buffer.from(bytes)
      b[b.length - 10] = b[b.length - 10]! ^ 0x01
      writeFileSync(f, b)
      await refused(c, f, '已被改动')
      // the manifest says another township: its signature no longer fits
      const text = bytes.toString('latin1').replace('"code":"430103005"', '"code":"430103007"')
      writeFileSync(f, Buffer.from(text, 'latin1'))
      await refused(c, f, '签名校验未通过')
      // ... and signed again (by a key of its own, a first package of that township): the rows inside do not belong to it
      const m = manifestOf(bytes)
      writeFileSync(f, signed({ ...m, township: { ...m.township, code: '430103007' } }, bytes.subarray(PAYLOAD_OFFSET), keyOf(await township('430103007', '黑石铺街道'))))
      await refused(c, f, '不属于该乡镇')
    })

    it('an encrypted file whose tag does not match', async () => {
      const t = await township()
      await someData(t)
      const c = await county()
      const dir = usb()
      const out = await t.ok('package.export', { dir, passphrase: 'secret-123' })
      const bytes = readFileSync(out.file)
      // change the sequence number in the manifest and sign it again with the township's own key: the
      // signature and the hash are right, the GCM tag (the manifest is its additional data) is not
      const f = join(dir, 'retagged.pingan')
      writeFileSync(f, signed({ ...manifestOf(bytes), seq: 7 }, bytes.subarray(PAYLOAD_OFFSET), keyOf(t)))
      await refused(c, f, '加密校验未通过', { passphrase: 'secret-123' })
      // the same change without a new signature is refused before anything is decrypted
      writeFileSync(f, Buffer.from(bytes.toString('latin1').replace('"seq":1', '"seq":7'), 'latin1'))
      await refused(c, f, '签名校验未通过', { passphrase: 'secret-123' })
    })

    it('a file that is not a package', async () => {
      const { c, dir } = await setup()
      const f = join(dir, '台账.xlsx')
      writeFileSync(f, Buffer.from('PK\u0003\u0004 this is a spreadsheet'))
      await refused(c, f, '不是平安台账的数据包')
      writeFileSync(f, Buffer.alloc(0))
      await refused(c, f, '不是平安台账的数据包')
      const g = join(dir, 'fake.pingan')
      writeFileSync(g, Buffer.concat([MAGIC, Buffer.from([0, 0, 0, 5]), Buffer.from('hello')]))
      await refused(c, g, '清单已损坏')
      expect((await c.err('package.import', { files: [join(dir, 'missing.pingan')] })).message).toContain('找不到这个文件')
    })

    it('a package of a newer schema version', async () => {
      const { t, c, dir, bytes } = await setup()
      const m = manifestOf(bytes)
      const f = join(dir, 'newer.pingan')
      writeFileSync(f, signed({ ...m, schemaVersion: m.schemaVersion + 1 }, bytes.subarray(PAYLOAD_OFFSET), keyOf(t)))
      await refused(c, f, '请先升级本程序')
    })

    it('a package of a township outside this county, and a township package into a township database', async () => {
      const other = await township('430104003', '望月湖街道', '岳麓区')
      await other.ok('villages.create', { name: '望月村', kind: 'village' })
      const { c, t, p2 } = await setup()
      const out = await other.ok('package.export', { dir: usb() })
      const e = await refused(c, out.file, '不属于本县（区）天心区（430103）')
      expect(e.code).toBe('conflict')
      const before = t.contentHash()
      const e2 = await t.err('package.import', { files: [p2.file] })
      expect(e2.message).toContain('只能在县（区）模式')
      expect(t.contentHash()).toBe(before)
    })

    /**
     * Rebuilds a package with its rows changed and a valid hash, as a buggy or hostile writer would:
     * only the rows themselves can refuse it.
     */
    function craft(file: string, name: string, change: (lines: string[]) => string[], signer: SigningKey, sender?: { code: string; name: string }): string {
      return craftPackage(file, name, change, signer, sender ? { sender } : {})
    }

    /** Changes the first row of `table` (as an object by column name); `null` drops the row's last value. */
    function editRow(table: string, edit: (row: Record<string, unknown>) => Record<string, unknown> | null) {
      return (lines: string[]): string[] => {
        const at = lines.findIndex((l) => l.startsWith('{') && (JSON.parse(l) as { table: string }).table === table)
        const columns = (JSON.parse(lines[at]!) as { columns: string[] }).columns
        const values = JSON.parse(lines[at + 1]!) as unknown[]
        const edited = edit(Object.fromEntries(columns.map((c, i) => [c, values[i]])))
        const out = [...lines]
        out[at + 1] = JSON.stringify(edited ? columns.map((c) => edited[c]) : values.slice(0, -1))
        return out
      }
    }

    it('rows that are not right, in a package whose hash is right: on a county that has the township and on one that has not', async () => {
      const { c, p2, t: first } = await setup()
      const t = await township()
      await someData(t)
      const full = (await t.ok('package.export', { dir: usb(), full: true })).file
      const fresh = await county()
      const cases: [string, (lines: string[]) => string[], string][] = [
        ['another-township.pingan', editRow('members', (r) => ({ ...r, township: '430103007' })), '不属于该乡镇'],
        ['short-row.pingan', editRow('members', () => null), '「成员」第 1 条记录'],
        ['empty-id.pingan', editRow('members', (r) => ({ ...r, id: '' })), '记录编号不是本程序生成的编号'],
        ['not-json.pingan', (lines) => lines.map((l, i) => (i === 1 ? l.slice(0, -1) : l)), '已损坏'],
        ['unknown-village.pingan', editRow('members', (r) => ({ ...r, villageId: '01900000-0000-7000-8000-000000000000' })), '引用了县里还没有的记录'],
        ['no-name.pingan', editRow('members', (r) => ({ ...r, name: null })), '请填写姓名'],
      ]
      for (const [name, change, message] of cases) {
        await refused(c, craft(p2.file, name, change, keyOf(first)), message)
        await refused(fresh, craft(full, 'fresh-' + name, change, keyOf(t)), message)
      }
      // one row twice in a package the county has nothing of
      await refused(fresh, craft(full, 'twice.pingan', (lines) => [...lines.slice(0, 2), ...lines.slice(1)], keyOf(t)), '已损坏')
      // two rows on one line and a bad row: as many rows as lines, but not the rows the lines say
      const twoOnOne = (lines: string[]) => {
        const at = lines.findIndex((l) => l.startsWith('{"table":"members"'))
        const columns = (JSON.parse(lines[at]!) as { columns: string[] }).columns
        const second = JSON.parse(lines[at + 2]!) as unknown[]
        const extra = [...second]
        extra[columns.indexOf('id')] = '01900000-0000-7000-8000-0000000000aa'
        const bad = [...second]
        bad[columns.indexOf('id')] = ''
        const out = [...lines]
        out[at + 1] = `${lines[at + 1]!},${JSON.stringify(extra)}`
        out[at + 2] = JSON.stringify(bad)
        return out
      }
      await refused(fresh, craft(full, 'two-on-one.pingan', twoOnOne, keyOf(t)), '记录编号不是本程序生成的编号')
    })

    it('frames that do not inflate, or claim an impossible length, in a package whose hash is right', async () => {
      const { t, c, dir, bytes } = await setup()
      const resealed = (name: string, change: (payload: Buffer) => void): string => {
        const m = manifestOf(bytes)
        const payload = Buffer.from(bytes.subarray(PAYLOAD_OFFSET))
        change(payload)
        const f = join(dir, name)
        writeFileSync(f, signed({ ...m, payload: { ...m.payload, sha256: createHash('sha256').update(payload).digest('hex') } }, payload, keyOf(t)))
        return f
      }
      await refused(c, resealed('garbled.pingan', (p) => p.fill(0xff, 4, 12)), '解压失败')
      await refused(c, resealed('huge-frame.pingan', (p) => p.writeUInt32BE(0x7fffffff, 0)), '分块长度不对')
    })

    it('a package that claims rows another township holds is refused; the other township keeps them', async () => {
      const { c, p2 } = await setup()
      const before = rows(c, 'members', '430103005')
      const as = (l: string) => l.replaceAll('"430103005"', '"430103007"')
      // signed by a key of its own (a first package of 黑石铺街道 is pinned as it comes)
      const other = await township('430103007', '黑石铺街道')
      const f = craft(p2.file, 'borrowed.pingan', (lines) => lines.map(as), keyOf(other), { code: '430103007', name: '黑石铺街道' })
      const e = await refused(c, f, '编号与430103005的记录相同')
      expect(e.code).toBe('conflict')
      expect(rows(c, 'members', '430103005')).toEqual(before)
    })

    it('one bad file in a batch: the good ones are not imported either', async () => {
      const { c, dir, p2, bytes } = await setup()
      const f = join(dir, 'cut.pingan')
      writeFileSync(f, bytes.subarray(0, bytes.length - 3))
      const before = c.contentHash()
      const preview = await c.ok('package.preview', { files: [p2.file, f] })
      expect(preview.packages.map((p) => p.status)).toEqual(['ready', 'refused'])
      const e = await c.err('package.import', { files: [p2.file, f] })
      expect(e.message).toContain('cut.pingan')
      expect(c.contentHash()).toBe(before)
    })
  })

describe('USB handoff: a failed export leaves the last good one on record', () => {
  it('a read-back mismatch on the stick removes the file and keeps the sequence', async () => {
    const t = await township()
    await someData(t)
    const dir = usb()
    const p1 = await t.ok('package.export', { dir })
    await t.ok('villages.create', { name: '牛角塘村', kind: 'village' })
    const before = t.contentHash()
    await expect(
      exportData(t.ctx, { dir }, { afterCopy: (file) => writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('x')])) }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('读回校验不一致') })
    expect(t.contentHash()).toBe(before)
    expect(readdirSync(dir)).toEqual([p1.fileName])
    const ac = new AbortController()
    await expect(exportData(t.ctx, { dir }, { afterCopy: () => ac.abort(), signal: ac.signal })).rejects.toMatchObject({ message: expect.stringContaining('已取消') })
    expect(readdirSync(dir)).toEqual([p1.fileName])
    expect(t.contentHash()).toBe(before)
    expect(await t.err('package.export', { dir: join(dir, 'no-such-folder') })).toMatchObject({ field: 'dir', message: expect.stringContaining('找不到文件夹') })
    const p2 = await t.ok('package.export', { dir })
    expect(p2).toMatchObject({ seq: 2, full: false })
    expect(p2.tables).toEqual([
      { table: 'villages', label: '村（社区）', rows: 1 },
      { table: 'audit', label: '操作记录', rows: 1 },
    ])
    const h = await t.ok('package.history', {})
    expect(h.exports.map((x) => x.seq)).toEqual([2, 1])
    expect(h.next).toMatchObject({ seq: 3, full: false, changedRows: 0 })
  })
})

describe('USB handoff: standards back to the townships, CLI and browser forms', () => {
  it('the county sends a standard set; the township imports it through the set validation', async () => {
    const c = await county()
    const set = JSON.parse(readFileSync(join(__dirname, '../../resources/standards/jingqu.json'), 'utf8')) as { title: string }
    set.title = '天心区2026年景区安全管理标准（修订）'
    await c.ok('checklist.importSet', { json: JSON.stringify(set) })
    expect(await c.err('package.export', { dir: usb() })).toMatchObject({ code: 'conflict' })
    const out = await c.ok('package.exportStandards', { dir: usb() })
    expect(out.fileName).toMatch(/^430103_天心区_\d{8}_0001_创建标准\.pingan$/)
    expect(out.rows).toBe(1)

    const t = await township()
    const before = t.contentHash()
    const preview = await t.ok('package.preview', { files: [out.file] })
    expect(preview.packages[0]).toMatchObject({ status: 'ready', kind: 'standards' })
    expect(preview.totals).toEqual([{ table: 'standard_sets', label: '创建标准', rows: 1, new: 0, changed: 1, deleted: 0, unchanged: 0 }])
    expect(t.contentHash()).toBe(before)
    await t.ok('package.import', { files: [out.file] })
    const sets = await t.ok('checklist.sets', {})
    expect(sets.find((s) => s.id === 'jingqu')).toMatchObject({ title: '天心区2026年景区安全管理标准（修订）', origin: 'imported' })
    // a standards package into the county, and one from another county, are refused
    expect((await c.err('package.import', { files: [out.file] })).message).toContain('只能在乡镇模式')
    const other = await township('430104003', '望月湖街道', '岳麓区')
    expect((await other.err('package.import', { files: [out.file] })).message).toContain('不是本乡镇所属县（区）')
  })

  it('a standards package whose set fails validation is refused and changes nothing', async () => {
    const { buildPackage } = await import('../../src/main/handoff/export')
    const t = await township()
    const c = await county()
    const file = join(usb(), 'bad.pingan')
    buildPackage(
      file,
      { kind: 'standards', sender: { code: '430103', name: '天心区' }, county: { code: '430103', name: '天心区' }, seq: 1, full: true, since: null, until: null, createdAt: new Date().toISOString(), signer: keyOf(c) },
      (line) => {
        line(JSON.stringify({ table: 'standard_sets', columns: ['id', 'json'] }))
        line(JSON.stringify(['broken', JSON.stringify({ id: 'broken', title: '' })]))
        return { tables: { standard_sets: 1 }, rows: 1 }
      },
    )
    const before = t.contentHash()
    expect((await t.err('package.import', { files: [file] })).message).toContain('未通过校验')
    expect(t.contentHash()).toBe(before)
  })

  it('CLI: package export prints { file, rows }; package import --dry-run previews; errors exit 2 with the error on stderr', async () => {
    const { main } = await import('../../src/main/cli')
    const t = await township()
    await someData(t)
    t.close()
    const c = testApp({ setup: false })
    apps.push(c)
    await c.ok('township.setup', { mode: 'county', code: '430103', county: '天心区' })
    c.close()
    const dir = usb()
    const pass = join(dir, 'pass.txt')
    writeFileSync(pass, 'usb-secret-1\r\n')
    const out: string[] = []
    const errs: string[] = []
    const w1 = process.stdout.write.bind(process.stdout)
    const w2 = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write
    let codes: number[]
    try {
      codes = [
        await main(['package', 'export', '--data-dir', t.dir, '--out', dir, '--full', '--passphrase-file', pass]),
        await main(['package', 'import', '--data-dir', c.dir, '--dry-run', '--passphrase-file', pass, join(dir, readdirSync(dir).find((f) => f.endsWith('.pingan'))!)]),
        await main(['package', 'import', '--data-dir', c.dir, join(dir, readdirSync(dir).find((f) => f.endsWith('.pingan'))!)]),
        await main(['package', 'import', '--data-dir', c.dir, '--passphrase-file', pass, join(dir, readdirSync(dir).find((f) => f.endsWith('.pingan'))!)]),
      ]
    } finally {
      process.stdout.write = w1
      process.stderr.write = w2
    }
    expect(codes).toEqual([0, 0, 2, 0])
    const exported = JSON.parse(out[0]!) as Record<string, unknown>
    expect(Object.keys(exported)).toEqual(['file', 'rows'])
    expect(exported.file).toMatch(/_0001_全量\.pingan$/)
    expect(exported.rows).toBeGreaterThan(4)
    expect(JSON.parse(out[1]!)).toMatchObject({ committed: false, packages: [{ status: 'ready', seq: 1 }] })
    expect(JSON.parse(errs[0]!)).toMatchObject({ code: 'invalid_input', field: 'passphrase' })
    expect(JSON.parse(out[2]!)).toMatchObject({ committed: true, packages: [{ status: 'imported' }] })
  })

  it('browser mode: packages uploaded as base64 import the same way, and an export can be downloaded', async () => {
    const t = await township()
    await someData(t)
    const out = await t.ok('package.export', { dir: usb() })
    const h = await t.ok('package.history', {})
    expect(h.exports[0]).toMatchObject({ seq: 1, fileName: out.fileName, file: out.file })
    const dl = await t.ok('package.download', { packageId: h.exports[0]!.packageId })
    expect(dl.fileName).toBe(out.fileName)
    expect(Buffer.from(dl.base64, 'base64').equals(readFileSync(out.file))).toBe(true)
    const c = await county()
    const r = await c.ok('package.import', { uploads: [{ name: dl.fileName, base64: dl.base64 }] })
    expect(r.packages[0]).toMatchObject({ status: 'imported', fileName: out.fileName })
    expectSameData(t, c, '430103005')
    expect(readdirSync(join(c.dir, 'tmp'))).toEqual([])
    expect(await c.err('package.import', {})).toMatchObject({ code: 'invalid_input', message: '请选择至少一个数据包文件' })
  })
})

describe('USB handoff: county figures', () => {
  it('rates and 达标率 per township at the county equal what each township computes itself; the summary is a Word file', async () => {
    const a = await township('430103005', '大托铺街道')
    runDemo(a.ctx, { scale: 1, today: '2026-06-30' })
    const b = await township('430103006', '新开铺街道')
    await b.ok('villages.create', { name: '新开村', kind: 'village' })
    const dir = usb()
    const c = await county()
    await c.ok('package.import', { files: [(await a.ok('package.export', { dir })).file, (await b.ok('package.export', { dir })).file] })
    const year = 2026
    const before = c.contentHash()
    const rows = await c.ok('county.summary', { year, setId: 'shida-2020' })
    expect(c.contentHash()).toBe(before)
    expect(rows.map((r) => r.name)).toEqual(['大托铺街道', '新开铺街道', '全县（区）'])
    const own = await a.ok('stats.rates', { year })
    expect(rows[0]).toMatchObject({ township: '430103005', lastSeq: 1, mediationRate: own.mediationRate, aftercareRate: own.aftercareRate, placementRate: own.placementRate })
    expect(rows[1]!.mediationRate).toBeNull()
    const whole = await c.ok('stats.rates', { year })
    expect(rows[2]!.mediationSuccessRate).toBe(whole.mediationSuccessRate)
    const ownCheck = await a.ok('checklist.evaluate', { setId: 'shida-2020', year })
    const countyCheck = await c.ok('county.checklist', { setId: 'shida-2020', year })
    expect(countyCheck.rows.find((r) => r.township === '430103005')!.overall).toEqual(ownCheck.overall)
    expect(rows[0]!.passRate).toBe(ownCheck.overall.passRate)
    expect(c.contentHash()).toBe(before)
    expect((await c.ok('township.get', {}))!.code).toBe('430103')
    const doc = await c.ok('county.summaryDoc', { year, setId: 'shida-2020' })
    expect(doc.fileName).toBe('天心区_2026年_平安创建情况汇总表.docx')
    expect(Buffer.from(doc.base64, 'base64').subarray(0, 2).toString()).toBe('PK')
    expect(await a.err('county.summary', { year })).toMatchObject({ code: 'conflict' })
  })
})
