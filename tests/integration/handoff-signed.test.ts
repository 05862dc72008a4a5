import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { makeIdNumber } from '../../src/shared/idNumber'
import { MAX_PACKAGE_FILES } from '../../src/shared/handoff/schema'
import { DB_FILE } from '../../src/main/app'
import { SCHEMA_VERSION } from '../../src/main/db/migrations'
import { craftPackage } from './packageCraft'
import { sealKey } from '../../src/main/handoff/crypto'
import { HEAD_BYTES, MAGIC, PAYLOAD_OFFSET, PackageError, encodeManifestSlot, openPackage, parseHead, signedMessage, type Manifest } from '../../src/main/handoff/format'
import { tuning } from '../../src/main/handoff/import'
import { KEY_FILE, ensureSigningKey, readSigningKey, signWith, type SigningKey } from '../../src/main/handoff/signing'
import { tempDir, testApp, type TestApp } from '../helpers'

/**
 * Signed packages (issue 13.5): a package is taken only with a valid signature by the key the county
 * pinned for its township (or a re-keying the county clerk confirmed, audited); nothing a forger can
 * do to the head goes unnoticed; the encryption cost is the format's; one call takes a handful of files.
 */
const apps: TestApp[] = []
const dirs: string[] = []
afterEach(async () => {
  while (apps.length) await apps.pop()!.dispose()
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

async function township(code = '430103005', name = '大托铺街道', dir?: string): Promise<TestApp> {
  const a = testApp({ setup: false, ...(dir ? { dir } : {}) })
  apps.push(a)
  await a.ok('township.setup', { mode: 'township', name, code, county: '天心区' })
  return a
}

async function county(): Promise<TestApp> {
  const a = testApp({ setup: false })
  apps.push(a)
  await a.ok('township.setup', { mode: 'county', code: '430103', county: '天心区' })
  return a
}

function usb(): string {
  const d = tempDir('pingan-usb-')
  dirs.push(d)
  return d
}

function keyOf(a: TestApp): SigningKey {
  const k = readSigningKey(a.dir)
  if (!k) throw new Error('no signing key')
  return k
}

function manifestOf(bytes: Buffer): Manifest {
  return JSON.parse(bytes.subarray(MAGIC.length + 4, HEAD_BYTES).toString('utf8').trim()) as Manifest
}

/** The package's rows decoded, changed, and written again as a package signed by `signer`. */
function craft(file: string, name: string, change: (lines: string[]) => string[], signer: SigningKey): string {
  return craftPackage(file, name, change, signer)
}

/** Rows of `table` changed one by one (as objects by column name). */
function editRows(table: string, edit: (row: Record<string, unknown>, i: number) => Record<string, unknown>) {
  return (lines: string[]): string[] => {
    let columns: string[] | null = null
    let i = 0
    return lines.map((l) => {
      if (l.startsWith('{')) {
        const h = JSON.parse(l) as { table: string; columns: string[] }
        columns = h.table === table ? h.columns : null
        return l
      }
      if (!columns) return l
      const cols = columns
      const values = JSON.parse(l) as unknown[]
      const edited = edit(Object.fromEntries(cols.map((c, k) => [c, values[k]])), i++)
      return JSON.stringify(cols.map((c) => edited[c]))
    })
  }
}

async function refused(c: TestApp, files: string[], message: string, input: Record<string, unknown> = {}) {
  const before = c.contentHash()
  const preview = await c.ok('package.preview', { files, ...input })
  expect(preview.packages.some((p) => p.status === 'refused' && p.reason?.includes(message))).toBe(true)
  const e = await c.err('package.import', { files, ...input })
  expect(e.message).toContain(message)
  expect(c.contentHash()).toBe(before)
  return e
}

const live = (a: TestApp, table: string, code = '430103005') =>
  (a.ctx.db.prepare(`SELECT count(*) AS n FROM "${table}" WHERE deletedAt IS NULL AND township = ?`).get(code) as { n: number }).n

async function aftercareTownship(people = 3): Promise<TestApp> {
  const t = await township()
  const v = await t.ok('villages.create', { name: '试点村', kind: 'village' })
  for (let i = 0; i < people; i++)
    await t.ok('aftercare.people.create', { name: `帮教${i}`, idNumber: makeIdNumber('430103', '1985-03-04', 100 + i), kind: 'released', crime: '盗窃罪', releasedOn: '2025-06-01', villageId: v.id, placement: 'employed' })
  return t
}

describe('the installation key', () => {
  it('is made at set-up in a private file of the data folder, never in the database; a database set up before gets one at its first export', async () => {
    const t = await township()
    const file = join(t.dir, KEY_FILE)
    expect(existsSync(file)).toBe(true)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    const pem = readFileSync(file, 'utf8')
    expect(pem).toContain('PRIVATE KEY')
    // neither the key nor its base64 body is anywhere in the database file
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('')
    t.ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(t.dir, DB_FILE)).includes(Buffer.from(body))).toBe(false)
    const h = await t.ok('package.history', {})
    expect(h.keyFingerprint).toBe(keyOf(t).fingerprint)
    expect(h.keyFingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/)

    // a township set up before packages were signed (no key file): the first export makes it
    const old = testApp()
    apps.push(old)
    expect(existsSync(join(old.dir, KEY_FILE))).toBe(false)
    expect((await old.ok('package.history', {})).keyFingerprint).toBeNull()
    const out = await old.ok('package.export', { dir: usb() })
    expect(existsSync(join(old.dir, KEY_FILE))).toBe(true)
    expect(openPackage(out.file, SCHEMA_VERSION).manifest.signer.publicKey).toBe(keyOf(old).publicKey)
    // the same key afterwards
    expect(ensureSigningKey(old.dir).publicKey).toBe(keyOf(old).publicKey)
  })
})

describe('signed packages at the county', () => {
  it('forged tombstones with the hash rewritten are refused; a forger signing them himself meets the pin and the timestamp check; the genuine later package still applies', async () => {
    const t = await aftercareTownship(3)
    const c = await county()
    const dir = usb()
    const p1 = await t.ok('package.export', { dir })
    await c.ok('package.import', { files: [p1.file] })
    expect(live(c, 'aftercare_people')).toBe(3)

    // every person deleted "in the year 9999", with the manifest's hash made to fit; the signature is the genuine one
    const tombstones = editRows('aftercare_people', (r) => ({ ...r, updatedAt: '9999-12-31T00:00:00.000Z', deletedAt: '9999-12-31T00:00:00.000Z' }))
    const intruder = ensureSigningKey(tempDirFor('pingan-intruder-'))
    const forged = craft(p1.file, 'forged.pingan', tombstones, intruder)
    const bytes = readFileSync(forged)
    const m = manifestOf(bytes)
    const genuine = readFileSync(p1.file).subarray(HEAD_BYTES, PAYLOAD_OFFSET)
    const head = encodeManifestSlot({ ...m, signer: { algorithm: 'ed25519', publicKey: keyOf(t).publicKey } })
    writeFileSync(forged, Buffer.concat([head, genuine, bytes.subarray(PAYLOAD_OFFSET)]))
    expect(createHash('sha256').update(bytes.subarray(PAYLOAD_OFFSET)).digest('hex')).toBe(m.payload.sha256)
    await refused(c, [forged], '签名校验未通过')

    // signed by the forger's own key: another key than the township's pinned one
    const own = craft(p1.file, 'own-key.pingan', tombstones, intruder)
    const before = c.contentHash()
    const preview = await c.ok('package.preview', { files: [own] })
    expect(preview.rekeys).toEqual([{ township: '430103005', townshipName: '大托铺街道', oldKeyFingerprint: keyOf(t).fingerprint, newKeyFingerprint: intruder.fingerprint }])
    expect(preview.packages[0]).toMatchObject({ status: 'refused', reason: expect.stringContaining('晚于导入时间一天以上') })
    expect(await c.err('package.import', { files: [own] })).toMatchObject({ code: 'conflict', field: 'confirmRekey', message: expect.stringContaining('新的签名密钥') })
    expect(c.contentHash()).toBe(before)
    // even a clerk who wrongly confirms cannot let rows stamped in the future through
    await refused(c, [own], '修改时间（9999-12-31T00:00:00.000Z）晚于导入时间一天以上', { confirmRekey: true })
    expect(live(c, 'aftercare_people')).toBe(3)
    expect(c.ctx.db.prepare('SELECT count(*) AS n FROM package_keys').get()).toEqual({ n: 1 })

    // the township's next genuine package applies as usual
    const person = (t.ctx.db.prepare('SELECT id FROM aftercare_people LIMIT 1').get() as { id: string }).id
    await t.ok('aftercare.people.update', { id: person, notes: '按时报到' })
    const p2 = await t.ok('package.export', { dir })
    const r = await c.ok('package.import', { files: [p2.file] })
    expect(r.packages[0]!.status).toBe('imported')
    expect((c.ctx.db.prepare('SELECT notes FROM aftercare_people WHERE id = ?').get(person) as { notes: string }).notes).toBe('按时报到')
    expect(live(c, 'aftercare_people')).toBe(3)
  })

  it('a package signed by another key is refused until the county clerk confirms the re-keying, which is audited; the new key is then the pinned one', async () => {
    const t = await aftercareTownship(1)
    const c = await county()
    const dir = usb()
    await c.ok('package.import', { files: [(await t.ok('package.export', { dir })).file] })
    const oldFp = keyOf(t).fingerprint

    // the township restores its data folder onto a new PC: the database comes along, the key does not
    t.close()
    const moved = tempDir('pingan-newpc-')
    dirs.push(moved)
    writeFileSync(join(moved, DB_FILE), readFileSync(join(t.dir, DB_FILE)))
    const n = testApp({ dir: moved, setup: false })
    const pv = n.ctx.db.prepare('SELECT id FROM aftercare_people LIMIT 1').get() as { id: string }
    try {
      await n.ok('aftercare.people.update', { id: pv.id, notes: '新电脑上的第一次修改' })
      const p2 = await n.ok('package.export', { dir })
      const newFp = keyOf(n).fingerprint
      expect(newFp).not.toBe(oldFp)

      const before = c.contentHash()
      const preview = await c.ok('package.preview', { files: [p2.file] })
      expect(preview.rekeys).toEqual([{ township: '430103005', townshipName: '大托铺街道', oldKeyFingerprint: oldFp, newKeyFingerprint: newFp }])
      expect(preview.packages[0]).toMatchObject({ status: 'ready', rekey: preview.rekeys[0] })
      expect(preview.problems.join('')).toContain(newFp)
      expect(preview.totals.find((x) => x.table === 'aftercare_people')).toMatchObject({ changed: 1 })
      expect(c.contentHash()).toBe(before)
      const e = await c.err('package.import', { files: [p2.file] })
      expect(e).toMatchObject({ code: 'conflict', field: 'confirmRekey' })
      expect(e.message).toContain(oldFp)
      expect(e.message).toContain(newFp)
      expect(c.contentHash()).toBe(before)

      const done = await c.ok('package.import', { files: [p2.file], confirmRekey: true })
      expect(done.packages[0]!.status).toBe('imported')
      expect((c.ctx.db.prepare('SELECT notes FROM aftercare_people WHERE id = ?').get(pv.id) as { notes: string }).notes).toBe('新电脑上的第一次修改')
      const trail = await c.ok('audit.list', { tableName: 'package_keys' })
      expect(trail.rows).toHaveLength(1)
      expect(trail.rows[0]).toMatchObject({ recordId: '430103005', action: 'update', township: '430103', tableLabel: '数据包签名密钥' })
      expect(trail.rows[0]!.changes.find((x) => x.field === '签名密钥指纹')).toMatchObject({ old: oldFp, new: newFp })

      // from now on the new key is the township's; a package by the old one would need confirming again
      await n.ok('aftercare.people.update', { id: pv.id, notes: '又改了一次' })
      const p3 = await n.ok('package.export', { dir })
      const byOld = craft(p3.file, 'old-key.pingan', (lines) => lines, keyOf(t))
      expect((await c.ok('package.preview', { files: [byOld] })).rekeys).toEqual([{ township: '430103005', townshipName: '大托铺街道', oldKeyFingerprint: newFp, newKeyFingerprint: oldFp }])
      expect((await c.ok('package.import', { files: [p3.file] })).rekeys).toEqual([])
    } finally {
      await n.dispose()
    }
  })

  it('the command line confirms a re-keying with --confirm-rekey', async () => {
    const { main } = await import('../../src/main/cli')
    const t = await aftercareTownship(1)
    const c = await county()
    const dir = usb()
    await c.ok('package.import', { files: [(await t.ok('package.export', { dir })).file] })
    const p1 = await t.ok('package.export', { dir, full: true })
    const other = craft(p1.file, 'new-pc.pingan', (lines) => lines, ensureSigningKey(tempDirFor('pingan-newpc-')))
    c.close()
    const out: string[] = []
    const errs: string[] = []
    const w1 = process.stdout.write.bind(process.stdout)
    const w2 = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write
    let codes: number[]
    try {
      codes = [await main(['package', 'import', '--data-dir', c.dir, other]), await main(['package', 'import', '--data-dir', c.dir, '--confirm-rekey', other])]
    } finally {
      process.stdout.write = w1
      process.stderr.write = w2
    }
    expect(codes).toEqual([2, 0])
    expect(JSON.parse(errs[0]!)).toMatchObject({ code: 'conflict', field: 'confirmRekey', message: expect.stringContaining('--confirm-rekey') })
    expect(JSON.parse(out[0]!)).toMatchObject({ committed: true, packages: [{ status: 'imported' }] })
  })

  it('every single-bit flip in the head (manifest, its length, the signature) is refused', async () => {
    const t = await township()
    await t.ok('villages.create', { name: '试点村', kind: 'village' })
    const out = await t.ok('package.export', { dir: usb() })
    const bytes = readFileSync(out.file)
    const head = bytes.subarray(0, PAYLOAD_OFFSET)
    expect(parseHead(head, bytes.length, SCHEMA_VERSION).manifest.township.name).toBe('大托铺街道')
    const json = Buffer.from(JSON.stringify(manifestOf(bytes))).length
    // the magic, the length, every byte of the manifest, the signature, and every 61st byte of the padding
    const positions: number[] = []
    for (let i = 0; i < MAGIC.length + 4 + json; i++) positions.push(i)
    for (let i = MAGIC.length + 4 + json; i < HEAD_BYTES; i += 61) positions.push(i)
    for (let i = HEAD_BYTES; i < PAYLOAD_OFFSET; i++) positions.push(i)
    let flips = 0
    const accepted: number[] = []
    for (const at of positions)
      for (let bit = 0; bit < 8; bit++) {
        const b = Buffer.from(head)
        b[at] = b[at]! ^ (1 << bit)
        flips++
        try {
          parseHead(b, bytes.length, SCHEMA_VERSION)
          accepted.push(at * 8 + bit)
        } catch (e) {
          if (!(e instanceof PackageError)) throw e
        }
      }
    expect(accepted).toEqual([])
    expect(flips).toBeGreaterThan(8 * (json + 64))

    // and through the screen's own call: a batch of flipped files, each refused, nothing changed
    const c = await county()
    const dir = usb()
    const files = Array.from({ length: MAX_PACKAGE_FILES }, (_, i) => {
      const b = Buffer.from(bytes)
      const at = MAGIC.length + 4 + Math.floor(((i + 0.5) * json) / MAX_PACKAGE_FILES)
      b[at] = b[at]! ^ (1 << i % 8)
      const f = join(dir, `flip-${i}.pingan`)
      writeFileSync(f, b)
      return f
    })
    const before = c.contentHash()
    const preview = await c.ok('package.preview', { files })
    expect(preview.packages.map((p) => p.status)).toEqual(files.map(() => 'refused'))
    expect(c.contentHash()).toBe(before)
  })

  it('a package of the old unsigned format is refused with a request to export again', async () => {
    const t = await township()
    await t.ok('villages.create', { name: '试点村', kind: 'village' })
    const out = await t.ok('package.export', { dir: usb() })
    const bytes = readFileSync(out.file)
    const m = manifestOf(bytes) as unknown as Record<string, unknown>
    // format 1 had no signature: head, then the payload
    const old: Record<string, unknown> = { ...m, formatVersion: 1 }
    delete old.signer
    const f = join(usb(), 'old.pingan')
    writeFileSync(f, Buffer.concat([encodeManifestSlot(old as unknown as Manifest), bytes.subarray(PAYLOAD_OFFSET)]))
    const c = await county()
    await refused(c, [f], '请让报送方把平安台账升级到新版后重新导出')
  })

  it('an encryption cost other than the format\'s is refused at once: before the passphrase is asked for or any key derived', async () => {
    const t = await township()
    await t.ok('villages.create', { name: '试点村', kind: 'village' })
    const out = await t.ok('package.export', { dir: usb(), passphrase: 'secret-123' })
    const bytes = readFileSync(out.file)
    const m = manifestOf(bytes)
    const c = await county()
    for (const cost of [{ N: 1 << 20, r: 16, p: 4 }, { N: 2 ** 40, r: 8, p: 1 }, { N: 1 << 14, r: 8, p: 1 }]) {
      const head = encodeManifestSlot({ ...m, encryption: { ...m.encryption!, ...cost } })
      const f = join(usb(), `cost-${cost.N}.pingan`)
      writeFileSync(f, Buffer.concat([head, signWith(keyOf(t), signedMessage(head)), bytes.subarray(PAYLOAD_OFFSET)]))
      // no passphrase given: the cost is refused, not "please enter the passphrase"
      await refused(c, [f], '加密参数不是本程序使用的参数')
      // a wrong one given: still the cost, not "wrong passphrase" (which needs a derived key)
      await refused(c, [f], '加密参数不是本程序使用的参数', { passphrase: 'wrong-passphrase' })
    }
    // the genuine cost imports
    await c.ok('package.import', { files: [out.file], passphrase: 'secret-123' })
    // and an export derives its key asynchronously, with the format's cost
    const k = await sealKey('secret-123')
    expect(k.key).toHaveLength(32)
  })

  it(`one call takes at most ${MAX_PACKAGE_FILES} files`, async () => {
    const t = await township()
    const out = await t.ok('package.export', { dir: usb() })
    const c = await county()
    const files = Array.from({ length: MAX_PACKAGE_FILES + 1 }, () => out.file)
    const before = c.contentHash()
    for (const method of ['package.preview', 'package.import'])
      expect(await c.err(method, { files })).toMatchObject({ code: 'invalid_input', field: 'files', message: `一次最多导入${MAX_PACKAGE_FILES}个数据包文件，请分批导入` })
    const base64 = readFileSync(out.file).toString('base64')
    expect(await c.err('package.import', { files: files.slice(0, 15), uploads: files.slice(0, 6).map((_, i) => ({ name: `p${i}.pingan`, base64 })) })).toMatchObject({
      field: 'files',
      message: expect.stringContaining('一次最多导入'),
    })
    expect(c.contentHash()).toBe(before)
    const r = await c.ok('package.import', { files: files.slice(0, MAX_PACKAGE_FILES) })
    expect(r.packages.filter((p) => p.status === 'imported')).toHaveLength(1)
  })
})

describe('the preview of a large batch', () => {
  it('checks files, signatures and keys only (the screen asks for it); the rows are checked once, by the import', async () => {
    const t = await aftercareTownship(2)
    const c = await county()
    const out = await t.ok('package.export', { dir: usb() })
    const bad = craft(out.file, 'bad-row.pingan', editRows('aftercare_people', (r, i) => (i === 1 ? { ...r, idNumber: 'not-an-id' } : r)), keyOf(t))
    tuning.quickPreviewRows = 1
    try {
      const before = c.contentHash()
      const quick = await c.ok('package.preview', { files: [out.file], quick: true })
      expect(quick).toMatchObject({ quick: true, committed: false, packages: [{ status: 'ready', seq: 1 }] })
      expect(quick.totals.find((x) => x.table === 'aftercare_people')).toMatchObject({ rows: 2, new: 0 })
      expect(c.contentHash()).toBe(before)
      // the rows are not read: a bad one shows at the import, which changes nothing
      expect((await c.ok('package.preview', { files: [bad], quick: true })).packages[0]!.status).toBe('ready')
      expect((await c.err('package.import', { files: [bad] })).message).toContain('「帮教对象」第 2 条记录')
      expect(c.contentHash()).toBe(before)
      // a preview without `quick` (the CLI's dry run) checks every row as before
      const full = await c.ok('package.preview', { files: [bad] })
      expect(full.quick).toBeUndefined()
      expect(full.packages[0]!.reason).toContain('身份证号')
      const done = await c.ok('package.import', { files: [out.file] })
      expect(done.totals.find((x) => x.table === 'aftercare_people')).toMatchObject({ rows: 2, new: 2 })
    } finally {
      tuning.quickPreviewRows = 200_000
    }
  })
})

function tempDirFor(prefix: string): string {
  const d = tempDir(prefix)
  dirs.push(d)
  return d
}
