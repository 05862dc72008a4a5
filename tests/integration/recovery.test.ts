import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { openApp } from '../../src/main/app'
import { SCHEMA_VERSION } from '../../src/main/db/migrations'
import { useNativeBinding } from '../../src/main/db/sqlite'
import { maybeBackup } from '../../src/main/backup/auto'
import { openGuarded, startGuarded, type Guarded } from '../../src/main/recovery/guarded'
import { recoveryDialog, type DialogPort } from '../../src/main/recovery/dialog'
import type { RecoveryStatus } from '../../src/shared/recovery/schema'
import { ApiError } from '../../src/shared/errors'
import { pageSizeOf, tempDir, testApp } from '../helpers'

const dirs: string[] = []
const opened: Guarded[] = []
afterEach(() => {
  for (const g of opened.splice(0)) g.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
const guard = (dir: string) => {
  const g = openGuarded(dir)
  opened.push(g)
  return g
}

/** A data folder with two villages and one backup holding the first. */
async function folderWithBackup(): Promise<string> {
  const a = testApp()
  dirs.push(a.dir)
  await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  await a.ok('backups.create', {})
  await a.ok('villages.create', { name: '桂井村', kind: 'village' })
  a.close()
  return a.dir
}

function corrupt(file: string): void {
  const page = pageSizeOf(file)
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(page * 3, 0xa5), 0, page * 3, page)
  closeSync(fd)
}

async function call<T>(g: Guarded, method: string, input: unknown = {}): Promise<T> {
  const r = await g.invoke(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.data as T
}

describe('start-up with a database that will not open', () => {
  it('a corrupt database starts recovery mode; restoring the newest backup keeps the broken file', async () => {
    const dir = await folderWithBackup()
    const live = join(dir, 'pingan.db')
    corrupt(live)
    const brokenHash = sha(live)
    const g = guard(dir)
    expect(g.problem()?.problem).toBe('corrupt')
    const s = await call<RecoveryStatus>(g, 'recovery.status')
    expect(s.problem).toBe('corrupt')
    expect(s.message).toContain('损坏')
    expect(s.latestBackup?.counts.villages).toBe(1)
    // nothing else answers until the clerk chooses
    const refused = await g.invoke('villages.list', {})
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.error.code).toBe('forbidden')

    const done = await call<{ keptAs: string; restored: string }>(g, 'recovery.restoreLatest')
    expect(done.restored).toBe(s.latestBackup!.name)
    expect(sha(done.keptAs)).toBe(brokenHash)
    expect(done.keptAs).toMatch(/pingan\.db\.broken-\d{8}-\d{6}$/)
    const villages = await call<{ rows: { name: string }[] }>(g, 'villages.list')
    expect(villages.rows.map((v) => v.name)).toEqual(['新塘村'])
    expect((await call<RecoveryStatus>(g, 'recovery.status')).problem).toBeNull()
  })

  it('a database from a newer version is kept byte for byte; start empty needs confirmation and moves it aside', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const a = openApp(dir)
    a.ctx.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    a.close()
    const live = join(dir, 'pingan.db')
    const before = sha(live)
    const g = guard(dir)
    const s = await call<RecoveryStatus>(g, 'recovery.status')
    expect(s.problem).toBe('newer')
    expect(s.message).toContain('更新版本')
    expect(s.latestBackup).toBeNull()
    expect(sha(live)).toBe(before)
    expect((await g.invoke('recovery.restoreLatest', {})).ok).toBe(false)
    const noConfirm = await g.invoke('recovery.startEmpty', {})
    expect(!noConfirm.ok && noConfirm.error.code).toBe('invalid_input')
    expect(sha(live)).toBe(before)

    const done = await call<{ keptAs: string }>(g, 'recovery.startEmpty', { confirm: true })
    expect(sha(done.keptAs)).toBe(before)
    expect(done.keptAs).toContain('pingan.db.newer-')
    expect(await call(g, 'township.get')).toBeNull()
  })

  it('a file that is not a database is refused and kept', async () => {
    const dir = tempDir()
    dirs.push(dir)
    writeFileSync(join(dir, 'pingan.db'), 'not a database '.repeat(500))
    const g = guard(dir)
    expect(g.problem()?.problem).toBe('corrupt')
    await call(g, 'recovery.startEmpty', { confirm: true })
    const kept = readdirSync(dir).filter((f) => /^pingan\.db\.broken-\d{8}-\d{6}$/.test(f))
    expect(kept).toHaveLength(1)
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toContain('not a database')
  })

  it('a healthy database answers status with no problem and refuses the recovery actions', async () => {
    const a = testApp()
    dirs.push(a.dir)
    expect((await a.ok('recovery.status', {})).problem).toBeNull()
    expect((await a.err('recovery.restoreLatest', {})).code).toBe('conflict')
    expect((await a.err('recovery.startEmpty', { confirm: true })).code).toBe('conflict')
    a.close()
  })
})

describe('desktop start-up dialog', () => {
  function port(answers: number[]) {
    const shown: { title: string; buttons: string[] }[] = []
    const copied: string[] = []
    const p: DialogPort = {
      ask: (box) => {
        shown.push({ title: box.title, buttons: box.buttons })
        const a = answers.shift()
        if (a === undefined) throw new Error('dialog asked more than expected')
        return a
      },
      copy: (t) => copied.push(t),
    }
    return { p, shown, copied }
  }

  it('copies the error, then start empty only after two confirmations (the first refusal changes nothing)', async () => {
    const dir = await folderWithBackup()
    corrupt(join(dir, 'pingan.db'))
    const g = guard(dir)
    // copy error; start empty → continue → cancel at the second question; start empty → continue → confirm
    const { p, shown, copied } = port([0, 2, 1, 0, 2, 1, 1])
    expect(await recoveryDialog(g, p)).toBe('opened')
    expect(copied).toHaveLength(1)
    expect(copied[0]).toContain('数据库')
    expect(copied[0]).toContain(join(dir, 'pingan.db'))
    expect(shown[0]!.buttons).toEqual(['复制错误信息', '恢复最近的备份', '开始空白数据库…', '退出'])
    expect(shown.map((s) => s.title)).toEqual([
      '平安台账无法打开数据库',
      '平安台账无法打开数据库',
      '开始空白数据库',
      '再次确认',
      '平安台账无法打开数据库',
      '开始空白数据库',
      '再次确认',
    ])
    expect(readdirSync(dir).filter((f) => /^pingan\.db\.broken-\d{8}-\d{6}$/.test(f))).toHaveLength(1)
    expect(await call(g, 'township.get')).toBeNull()
  })

  it('restores the newest backup, or quits leaving everything as it was', async () => {
    const dir = await folderWithBackup()
    const live = join(dir, 'pingan.db')
    corrupt(live)
    const before = sha(live)
    const folder = snapshot(dir)
    const g1 = guard(dir)
    expect(await recoveryDialog(g1, port([3]).p)).toBe('quit')
    g1.close()
    expect(sha(live)).toBe(before)
    // not even the empty -wal/-shm a read-only look at a WAL database leaves behind
    expect(snapshot(dir)).toEqual(folder)

    const g2 = guard(dir)
    expect(await recoveryDialog(g2, port([1]).p)).toBe('opened')
    const db = new Database(live, { readonly: true })
    expect((db.prepare('SELECT name FROM villages').all() as { name: string }[]).map((r) => r.name)).toEqual(['新塘村'])
    db.close()
  })
})

/** Every file in the folder (backups included) with its hash: equal before and after means nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`)
      else out[prefix + e.name] = sha(join(d, e.name))
    }
  }
  walk(dir, '')
  return out
}

describe('a database that will not open for a reason that is not the file’s fault', () => {
  it('the program’s SQLite module does not load: said as such, and neither restore nor start empty touches anything', async () => {
    const dir = await folderWithBackup()
    const before = snapshot(dir)
    const junk = join(tempDir(), 'better_sqlite3.node')
    dirs.push(join(junk, '..'))
    writeFileSync(junk, 'not a native module')
    useNativeBinding(junk)
    try {
      const g = guard(dir)
      expect(g.problem()?.problem).toBe('native')
      const s = await call<RecoveryStatus>(g, 'recovery.status')
      expect(s.message).toContain('程序文件不完整或与本机不兼容')
      expect(s.detail).toMatch(/invalid ELF header|not a valid|dlopen|\.node/i)
      expect(s.recoverable).toBe(false)
      for (const [method, input] of [['recovery.restoreLatest', {}], ['recovery.startEmpty', { confirm: true }]] as const) {
        const r = await g.invoke(method, input)
        expect(!r.ok && r.error.code).toBe('conflict')
        expect(!r.ok && r.error.message).toContain('未改动任何文件')
      }
      // the desktop dialog: the message, copy, quit; never the start-empty question
      const shown: { title: string; message: string; buttons: string[] }[] = []
      const copied: string[] = []
      const answers = [0, 1]
      const outcome = await recoveryDialog(g, { ask: (b) => (shown.push(b), answers.shift() ?? 1), copy: (t) => copied.push(t) })
      expect(outcome).toBe('quit')
      expect(shown.map((b) => b.buttons)).toEqual([
        ['复制错误信息', '退出'],
        ['复制错误信息', '退出'],
      ])
      expect(shown[0]!.message).toContain('程序文件不完整')
      expect(copied[0]).toMatch(/invalid ELF header|not a valid|dlopen|\.node/i)
      g.close()
      opened.splice(opened.indexOf(g), 1)
    } finally {
      useNativeBinding(undefined)
    }
    expect(snapshot(dir)).toEqual(before)
  })

  it('another program holds the database: “in use”, and nothing is renamed', async () => {
    const dir = await folderWithBackup()
    const live = join(dir, 'pingan.db')
    // another program (not 平安台账: it takes no writer lock) holds an exclusive lock on the file
    const other = new Database(live, { timeout: 0 })
    other.pragma('locking_mode = EXCLUSIVE')
    other.exec('BEGIN EXCLUSIVE')
    try {
      const before = snapshot(dir)
      const g = guard(dir)
      expect(g.problem()?.problem).toBe('locked')
      expect(g.problem()?.message).toContain('数据库正被占用')
      const r = await g.invoke('recovery.startEmpty', { confirm: true })
      expect(!r.ok && r.error.code).toBe('conflict')
      expect((await g.invoke('recovery.restoreLatest', {})).ok).toBe(false)
      expect(snapshot(dir)).toEqual(before)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })
})

describe('desktop start (startGuarded): quick check first, the full check in the background', () => {
  /** Damage quick_check does not see: one index entry no longer matches its row (integrity_check does). */
  function damageAnIndex(file: string): void {
    const db = new Database(file)
    db.exec('CREATE TABLE scratch (a TEXT); CREATE INDEX scratch_u ON scratch(upper(a))')
    const ins = db.prepare('INSERT INTO scratch VALUES (?)')
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`k${String(i).padStart(5, '0')}m`)
    })()
    db.pragma('journal_mode = DELETE')
    db.close()
    const buf = readFileSync(file)
    // every copy of the key: on a leaf, and where it divides two pages of the index's tree
    const key = Buffer.from('K01000M')
    let changed = 0
    for (let at = buf.indexOf(key); at >= 0; at = buf.indexOf(key, at + 1), changed++) buf[at + 6] = 'N'.charCodeAt(0)
    expect(changed).toBeGreaterThan(0)
    writeFileSync(file, buf)
  }

  const started: Guarded[] = []
  afterEach(() => {
    for (const g of started.splice(0)) g.close()
  })
  const start = async (dir: string, autoBackup = false) => {
    const g = await startGuarded(dir, { writer: true, autoBackup })
    started.push(g)
    return g
  }

  it('a sound database opens and the background check says ok', async () => {
    const dir = await folderWithBackup()
    const g = await start(dir)
    expect(g.problem()).toBeNull()
    expect(await g.checked).toBe('ok')
    const s = await call<RecoveryStatus>(g, 'recovery.status')
    expect(s).toMatchObject({ problem: null, integrity: 'ok', warning: '' })
    expect((await call<{ rows: unknown[] }>(g, 'villages.list')).rows).toHaveLength(2)
  })

  it('damage the quick check finds: recovery mode, as before', async () => {
    const dir = await folderWithBackup()
    corrupt(join(dir, 'pingan.db'))
    const g = await start(dir)
    expect(g.problem()?.problem).toBe('corrupt')
    expect((await call<RecoveryStatus>(g, 'recovery.status')).recoverable).toBe(true)
  })

  it('damage only the full check finds: the program opens, then says so, and automatic backups stop', async () => {
    const dir = await folderWithBackup()
    damageAnIndex(join(dir, 'pingan.db'))
    const g = await start(dir, true)
    expect(g.problem()).toBeNull()
    await g.ready
    const backups = readdirSync(join(dir, 'backups')).length
    expect(await g.checked).toBe('failed')
    const s = await call<RecoveryStatus>(g, 'recovery.status')
    expect(s.integrity).toBe('failed')
    expect(s.warning).toContain('损坏')
    expect(s.warning).toContain('备份恢复')
    // a bulk change would normally be followed by a backup; not of a damaged database
    expect(maybeBackup(g.app()!.ctx, 'recovery.restoreLatest')).toBeUndefined()
    expect(readdirSync(join(dir, 'backups')).length).toBe(backups)
  })

  it('another 平安台账 holds the folder: refused at once with “busy”, before anything is read', async () => {
    const dir = await folderWithBackup()
    const first = openGuarded(dir, { writer: true })
    opened.push(first)
    const before = snapshot(dir)
    let thrown: unknown
    try {
      void startGuarded(dir, { writer: true })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ApiError)
    expect((thrown as ApiError).code).toBe('busy')
    expect(snapshot(dir)).toEqual(before)
  })
})
