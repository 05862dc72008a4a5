import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openSqlite, type Sqlite } from '../../src/main/db/sqlite'
import { migrations, SCHEMA_VERSION } from '../../src/main/db/migrations'
import { backupsDir } from '../../src/main/backup/store'
import { copyBackupInto } from '../../src/main/backup/restore'
import { makeIdNumber } from '../../src/shared/idNumber'
import { tempDir, testApp, type TestApp } from '../helpers'

/**
 * Issue 13.3: a database brought in by a restore must be sound and exactly the program's own schema
 * for its version. A trigger that deletes audit rows switched the audit trail off silently; a view, an
 * extra column, a dropped index, a non-SQLite file and a file of a newer version are refused just the
 * same, naming what is wrong, and the live database does not change.
 */
const apps: TestApp[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.dispose()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A data folder with a village and a member, and a genuine copy of it on a "U盘". */
async function setUp(): Promise<{ a: TestApp; usb: string; copy: string }> {
  const a = testApp()
  apps.push(a)
  const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  await a.ok('members.create', { name: '王建国', idNumber: makeIdNumber('430103', '1985-07-21', 1), roles: ['officer'], joinedOn: '2024-01-01', villageId: v.id })
  const usb = tempDir('pingan-usb-')
  dirs.push(usb)
  const copy = (await a.ok('backups.exportTo', { dir: usb })).file
  await a.ok('villages.create', { name: '桂井村', kind: 'village' })
  return { a, usb, copy }
}

const backupFiles = (a: TestApp) => (existsSync(backupsDir(a.dir)) ? readdirSync(backupsDir(a.dir)).sort() : [])

function tamper(file: string, change: (db: Sqlite) => void, fileMustExist = true): void {
  const db = openSqlite(file, { fileMustExist })
  try {
    change(db)
  } finally {
    db.close()
  }
}

const tamperings: [string, (db: Sqlite) => void, string][] = [
  [
    'a trigger that deletes audit rows',
    (db) => db.exec('CREATE TRIGGER audit_wipe AFTER INSERT ON audit BEGIN DELETE FROM audit; END'),
    '多出触发器 audit_wipe',
  ],
  ['a view', (db) => db.exec('CREATE VIEW every_id AS SELECT name, idNumber FROM members'), '多出视图 every_id'],
  ['an extra column', (db) => db.exec('ALTER TABLE members ADD COLUMN secret TEXT'), '多出列 members.secret'],
  ['a dropped index', (db) => db.exec('DROP INDEX members_idnumber'), '缺少索引 members_idnumber'],
  ['a changed index', (db) => db.exec('DROP INDEX villages_name; CREATE INDEX villages_name ON villages(name)'), '索引 villages_name 的定义不同'],
]

describe('only genuine databases are restored', () => {
  for (const [what, change, named] of tamperings) {
    it(`refuses a file with ${what}, naming it, and changes nothing`, async () => {
      const { a, copy } = await setUp()
      tamper(copy, change)
      const before = a.contentHash()
      const listed = backupFiles(a)
      const e = await a.err('backups.restoreFile', { file: copy })
      expect(e.code).toBe('invalid_input')
      expect(e.field).toBe('file')
      expect(e.message).toContain('结构与本程序不符')
      expect(e.message).toContain(named)
      expect(a.contentHash()).toBe(before)
      // refused before anything was done: not even the safety copy of the current data was made
      expect(backupFiles(a)).toEqual(listed)
      expect(existsSync(join(a.dir, 'pingan.db.incoming'))).toBe(false)
    })
  }

  it('refuses a tampered backup in the backups folder too, and the audit trail keeps working', async () => {
    const { a } = await setUp()
    const b = await a.ok('backups.create', {})
    tamper(join(backupsDir(a.dir), b.name), tamperings[0]![1])
    const before = a.contentHash()
    const e = await a.err('backups.restore', { name: b.name })
    expect(e.message).toContain('这个备份不能用于恢复')
    expect(e.message).toContain('多出触发器 audit_wipe')
    expect(a.contentHash()).toBe(before)
    const audited = (await a.ok('audit.list', {})).total
    await a.ok('villages.create', { name: '大托村', kind: 'village' })
    expect((await a.ok('audit.list', {})).total).toBe(audited + 1)
  })

  it('refuses a file that is not a database and one from a newer version', async () => {
    const { a, usb, copy } = await setUp()
    const before = a.contentHash()
    const text = join(usb, '平安台账备份-假的.db')
    writeFileSync(text, '这不是数据库'.repeat(2000))
    const notDb = await a.err('backups.restoreFile', { file: text })
    expect(notDb.message).toMatch(/不能用于恢复：(文件已损坏或不是数据库|文件无法打开)/)
    tamper(copy, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`))
    const newer = await a.err('backups.restoreFile', { file: copy })
    expect(newer.message).toContain('更新版本的平安台账')
    expect(a.contentHash()).toBe(before)
  })

  it('accepts a genuine file of an older version and brings it up to date', async () => {
    const a = testApp()
    apps.push(a)
    const usb = tempDir('pingan-usb-')
    dirs.push(usb)
    const old = join(usb, 'old.db')
    tamper(old, (db) => {
      db.transaction(() => {
        for (let v = 0; v < 2; v++) migrations[v]!(db)
        db.pragma('user_version = 2')
      })()
      db.prepare("INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, '430103005', '大托铺街道', '天心区', '430103', 'township', '2025-01-01T00:00:00.000Z')").run()
    }, false)
    await a.ok('backups.restoreFile', { file: old })
    expect(a.ctx.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
  })

  it('copyBackupInto (used by the recovery screen) refuses a tampered file and leaves the target alone', async () => {
    const { a, copy } = await setUp()
    tamper(copy, tamperings[0]![1])
    const target = join(a.dir, 'target.db')
    writeFileSync(target, 'the data as they were')
    await expect(copyBackupInto(copy, target)).rejects.toThrow(/多出触发器 audit_wipe/)
    expect(readFileSync(target, 'utf8')).toBe('the data as they were')
    expect(readdirSync(a.dir).filter((f) => f.startsWith('target.db'))).toEqual(['target.db'])
  })
})
