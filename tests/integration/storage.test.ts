import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { chmodSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { checkDatabaseFile, DbOpenError, openDatabase } from '../../src/main/db/connection'
import { classifyOpenError, isNativeLoadError } from '../../src/main/db/openError'
import { SCHEMA_VERSION } from '../../src/main/db/migrations'
import { openApp } from '../../src/main/app'
import { tempDir, testApp } from '../helpers'

const dirs: string[] = []
const dir = () => {
  const d = tempDir()
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')

describe('storage', () => {
  it('migrates an empty file to the current version with the required pragmas', () => {
    const file = join(dir(), 'a.db')
    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name)
    expect(tables).toEqual(expect.arrayContaining(['township', 'villages', 'grids', 'units', 'members', 'audit']))
    db.close()
    // opening again is a no-op
    const again = openDatabase(file)
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    again.close()
  })

  it('refuses a database written by a newer version and leaves the file byte-for-byte untouched', () => {
    const file = join(dir(), 'future.db')
    const raw = new Database(file)
    raw.exec('CREATE TABLE x (a)')
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    const before = sha(file)
    let err: unknown
    try {
      openDatabase(file)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DbOpenError)
    expect((err as DbOpenError).problem).toBe('newer')
    expect((err as DbOpenError).message).toContain('更新版本')
    expect(sha(file)).toBe(before)
    expect(existsSync(file + '-wal')).toBe(false)
  })

  it('after a crash in the middle of a bulk load (a hot journal): opens with the last committed state, or, for a newer version, touches nothing', () => {
    // a child writes with a rollback journal and a tiny cache (pages spill into the file), then dies
    const crash = (file: string, version: number) => {
      const code = `
        const Database = require('better-sqlite3')
        const db = new Database(${JSON.stringify(file)})
        db.exec('CREATE TABLE x (a)')
        db.exec("INSERT INTO x SELECT hex(randomblob(100)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT i FROM n)")
        db.pragma('user_version = ${version}')
        db.pragma('cache_size = -100')
        db.exec('BEGIN')
        db.exec("UPDATE x SET a = 'changed'")
        process.kill(process.pid, 'SIGKILL')`
      spawnSync(process.execPath, ['-e', code], { cwd: process.cwd() })
      expect(existsSync(file + '-journal')).toBe(true)
    }
    const current = join(dir(), 'current.db')
    crash(current, SCHEMA_VERSION)
    const db = openDatabase(current)
    expect(db.prepare("SELECT count(*) AS n FROM x WHERE a = 'changed'").get()).toEqual({ n: 0 })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()

    const future = join(dir(), 'future.db')
    crash(future, SCHEMA_VERSION + 1)
    const before = [sha(future), sha(future + '-journal')]
    expect(() => openDatabase(future)).toThrow('更新版本')
    expect([sha(future), sha(future + '-journal')]).toEqual(before)
  })

  it('refuses a file that is not a database, as a damaged file', async () => {
    const file = join(dir(), 'junk.db')
    writeFileSync(file, 'this is not sqlite at all, just text '.repeat(200))
    expect(() => openDatabase(file)).toThrow(DbOpenError)
    let err: unknown
    await checkDatabaseFile(file).catch((e: unknown) => (err = e))
    expect((err as DbOpenError).problem).toBe('corrupt')
  })

  it('township set-up validates the code and can be done only once', async () => {
    const app = testApp({ setup: false })
    try {
      expect(await app.ok('township.get')).toBeNull()
      expect(await app.err('township.setup', { mode: 'township', name: '大托铺街道', code: '4301030', county: '天心区' })).toMatchObject({
        field: 'code',
        message: '乡镇区划代码应为9位或12位数字',
      })
      expect(await app.err('township.setup', { mode: 'township', code: '430103005', county: '天心区' })).toMatchObject({ field: 'name' })
      expect(await app.err('township.setup', { mode: 'county', code: '430103005', county: '天心区' })).toMatchObject({
        message: '县区模式下区划代码应为县（区）的6位代码',
      })
      const t = await app.ok('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005000', county: '天心区' })
      expect(t).toMatchObject({ code: '430103005000', countyCode: '430103', mode: 'township' })
      expect((await app.err('township.setup', { mode: 'township', name: 'X', code: '430103006', county: '天心区' })).code).toBe('conflict')
    } finally {
      await app.dispose()
    }
  })

  it('county mode needs no township name', async () => {
    const app = testApp({ setup: false })
    try {
      const t = await app.ok('township.setup', { mode: 'county', code: '430103', county: '长沙市天心区' })
      expect(t).toMatchObject({ code: '430103', countyCode: '430103', mode: 'county', name: '长沙市天心区' })
    } finally {
      await app.dispose()
    }
  })

  it('the dispatcher answers bad calls with errors as data', async () => {
    const app = testApp()
    try {
      expect(await app.err('no.such.method', {})).toMatchObject({ code: 'unknown_method' })
      expect(await app.err('villages.create', { name: '新塘村', kind: 'village', colour: 'red' })).toMatchObject({
        code: 'invalid_input',
        message: '不认识的字段：colour',
      })
      expect(await app.err('villages.create', { name: '新塘村', kind: 'town' })).toMatchObject({ field: 'kind', message: '请选择类型（村或社区）' })
      expect(await app.err('villages.create', { name: '新塘村', kind: 'village', households: -1 })).toMatchObject({
        field: 'households',
        message: '户数不能为负数',
      })
      expect(await app.err('members.get', { id: 'nope' })).toMatchObject({ code: 'not_found', field: 'id' })
    } finally {
      await app.dispose()
    }
  })

  it('a data folder opens, and reopens with its data', async () => {
    const d = dir()
    const a = openApp(d)
    await a.invoke('township.setup', { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' })
    await a.invoke('villages.create', { name: '新塘村', kind: 'village' })
    a.close()
    const b = openApp(d)
    const r = await b.invoke('villages.list', {})
    expect(r.ok && (r.data as { total: number }).total).toBe(1)
    b.close()
  })
})

describe('why a database did not open', () => {
  const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {})
  it.each([
    ["The module '/a/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 139.", 'ERR_DLOPEN_FAILED'],
    ['/a/better_sqlite3.node: invalid ELF header', 'ERR_DLOPEN_FAILED'],
    ["Cannot find module '/opt/pingan/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'", 'MODULE_NOT_FOUND'],
    ['\\\\?\\C:\\平安台账\\better_sqlite3.node is not a valid Win32 application.', undefined],
    ['dlopen(/a/better_sqlite3.node, 0x0001): tried: … (mach-o file, but is an incompatible architecture)', undefined],
    ['Could not locate the bindings file. Tried: …', undefined],
  ])('native module: %s', (message, code) => {
    const e = err(message, code)
    expect(isNativeLoadError(e)).toBe(true)
    const c = classifyOpenError(e)
    expect(c.problem).toBe('native')
    expect(c.message).toContain('程序文件不完整或与本机不兼容')
    expect(c.detail).toContain(message.slice(0, 30))
  })

  it.each([
    ['database disk image is malformed', 'SQLITE_CORRUPT', 'corrupt'],
    ['file is not a database', 'SQLITE_NOTADB', 'corrupt'],
    ['database is locked', 'SQLITE_BUSY', 'locked'],
    ['database table is locked', 'SQLITE_LOCKED', 'locked'],
    ['database is locked', undefined, 'locked'],
    ["EACCES: permission denied, open '/d/pingan.db'", 'EACCES', 'permission'],
    ["EPERM: operation not permitted, mkdir 'C:\\data'", 'EPERM', 'permission'],
    ['attempt to write a readonly database', 'SQLITE_READONLY', 'permission'],
    ['database or disk is full', 'SQLITE_FULL', 'disk_full'],
    ['ENOSPC: no space left on device, write', 'ENOSPC', 'disk_full'],
    ['unable to open database file', 'SQLITE_CANTOPEN', 'unreadable'],
    ['disk I/O error', 'SQLITE_IOERR_READ', 'unreadable'],
    ['Cannot find module \'zod\'', 'MODULE_NOT_FOUND', 'unreadable'],
  ])('%s (%s) → %s', (message, code, problem) => {
    expect(classifyOpenError(err(message, code)).problem).toBe(problem)
  })

  it('plain Chinese messages; only a damaged file is called damaged', () => {
    expect(classifyOpenError(err('database is locked', 'SQLITE_BUSY')).message).toMatch(/^数据库正被占用/)
    expect(classifyOpenError(err('x', 'EACCES')).message).toMatch(/^没有读写数据文件夹的权限/)
    expect(classifyOpenError(err('x', 'SQLITE_FULL')).message).toMatch(/^磁盘空间不足/)
    for (const code of ['SQLITE_BUSY', 'EACCES', 'SQLITE_FULL', 'ERR_DLOPEN_FAILED', 'SQLITE_CANTOPEN']) expect(classifyOpenError(err('x', code)).message).not.toContain('损坏')
  })

  it('a file it may not open because the folder is closed to it is a permission problem, not a damaged file', () => {
    if (process.platform === 'win32' || process.getuid?.() === 0) return // root reads everything; Windows has no modes
    const d = dir()
    const file = join(d, 'pingan.db')
    openDatabase(file).close()
    chmodSync(d, 0o000)
    try {
      let e: unknown
      try {
        openDatabase(file)
      } catch (x) {
        e = x
      }
      expect((e as DbOpenError).problem).toBe('permission')
    } finally {
      chmodSync(d, 0o700)
    }
  })
})
