import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { existsSync, openSync, readdirSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { makeIdNumber } from '../../src/shared/idNumber'
import { enableAutoBackup, maybeBackup, stopAutoBackup } from '../../src/main/backup/auto'
import { backupNow, backupsDir } from '../../src/main/backup/store'
import { pageSizeOf, tempDir, testApp, type TestApp } from '../helpers'

const apps: TestApp[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) {
    stopAutoBackup(a.ctx)
    await a.dispose()
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const app = () => {
  const a = testApp()
  apps.push(a)
  return a
}
const villageNames = async (a: TestApp) => (await a.ok('villages.list', {})).rows.map((v) => v.name).sort()

function integrity(file: string): string {
  const db = new Database(file, { readonly: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

describe('backups', () => {
  it('makes a verified, self-contained copy and lists it with its time and row counts', async () => {
    const a = app()
    const v = await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    await a.ok('members.create', { name: '王建国', idNumber: makeIdNumber('430103', '1985-07-21', 1), roles: ['officer'], joinedOn: '2024-01-01', villageId: v.id })
    const b = await a.ok('backups.create', {})
    expect(b.reason).toBe('manual')
    expect(b.counts).toMatchObject({ villages: 1, members: 1 })
    expect(b.records).toBe(2)
    expect(b.counts.audit).toBe(2)
    const file = join(backupsDir(a.dir), b.name)
    expect(integrity(file)).toBe('ok')
    // one file: no -wal/-shm left beside the copy, so it can be carried on its own
    expect(readdirSync(backupsDir(a.dir)).filter((f) => f.startsWith(b.name)).sort()).toEqual([b.name, `${b.name}.json`])
    const list = await a.ok('backups.list', {})
    expect(list.map((x) => x.name)).toEqual([b.name])
    expect(new Date(list[0]!.at).getTime()).not.toBeNaN()
  })

  it('restores a backup, keeps the data from before the restore as a backup, and the restore can be undone', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    expect(await villageNames(a)).toEqual(['新塘村', '桂井村'].sort())

    const r = await a.ok('backups.restore', { name: b.name })
    expect(r.restored).toBe(b.name)
    expect(await villageNames(a)).toEqual(['新塘村'])
    const list = await a.ok('backups.list', {})
    const undo = list.find((x) => x.name === r.undoBackup)!
    expect(undo.reason).toBe('before-restore')
    expect(undo.counts.villages).toBe(2)

    // undo: restore the copy made just before
    await a.ok('backups.restore', { name: r.undoBackup })
    expect(await villageNames(a)).toEqual(['新塘村', '桂井村'].sort())
    // the app keeps working on the swapped connection, and writes survive a reopen
    await a.ok('villages.create', { name: '大托村', kind: 'village' })
    expect(a.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(integrity(join(a.dir, 'pingan.db'))).toBe('ok')
  })

  it('refuses an unknown or damaged backup and changes nothing', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    const before = a.contentHash()
    expect((await a.err('backups.restore', { name: 'pingan-20200101-000000-manual.db' })).code).toBe('not_found')
    expect((await a.err('backups.restore', { name: '../pingan.db' })).code).toBe('invalid_input')
    // damage the backup after it was made
    const file = join(backupsDir(a.dir), b.name)
    const page = pageSizeOf(file)
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(page, 0x5a), 0, page, page)
    closeSync(fd)
    const e = await a.err('backups.restore', { name: b.name })
    expect(e.message).toContain('不能用于恢复')
    expect(a.contentHash()).toBe(before)
    expect(await villageNames(a)).toEqual(['新塘村', '桂井村'].sort())
  })

  it('exports a verified copy to a folder (U盘) and restores from that file', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const usb = tempDir('pingan-usb-')
    dirs.push(usb)
    const r = await a.ok('backups.exportTo', { dir: usb })
    expect(r.verified).toBe(true)
    expect(r.file.startsWith(usb)).toBe(true)
    expect(r.file).toContain('大托铺街道')
    expect(readdirSync(usb)).toEqual([r.file.slice(usb.length + 1)])
    expect(integrity(r.file)).toBe('ok')
    expect(r.counts.villages).toBe(1)

    expect((await a.err('backups.exportTo', { dir: 'relative/folder' })).field).toBe('dir')
    expect((await a.err('backups.exportTo', { dir: join(usb, 'missing') })).message).toContain('找不到这个文件夹')

    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    const restored = await a.ok('backups.restoreFile', { file: r.file })
    expect(restored.counts.villages).toBe(1)
    expect(await villageNames(a)).toEqual(['新塘村'])
    expect((await a.err('backups.restoreFile', { file: join(usb, 'nothing.db') })).code).toBe('not_found')
    expect((await a.err('backups.restoreFile', { file: join(a.dir, 'pingan.db') })).field).toBe('file')
  })

  it('keeps only 3 automatic backups of today, and every one made by hand', async () => {
    const a = app()
    const manual = await a.ok('backups.create', {})
    for (let i = 0; i < 5; i++) {
      await a.ok('villages.create', { name: `村${i}`, kind: 'village' })
      await backupNow(a.ctx, 'auto')
    }
    const list = await a.ok('backups.list', {})
    expect(list.map((b) => [b.reason, b.counts.villages])).toEqual([
      ['auto', 5],
      ['auto', 4],
      ['auto', 3],
      ['manual', 0],
    ])
    expect(list.at(-1)!.name).toBe(manual.name)
    expect(readdirSync(backupsDir(a.dir)).filter((f) => f.endsWith('.db'))).toHaveLength(4)
  })

  it('backs up at start, right after a bulk operation, and not after every single edit', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    await enableAutoBackup(a.ctx, { intervalMs: 60 * 60 * 1000 })
    const start = await a.ok('backups.list', {})
    expect(start.map((b) => b.reason)).toEqual(['start'])
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    await a.ok('backups.list', {})
    expect((await a.ok('backups.list', {})).length).toBe(1)
    await maybeBackup(a.ctx, 'package.import')
    const after = await a.ok('backups.list', {})
    expect(after.map((b) => b.reason)).toEqual(['bulk', 'start'])
    expect(after[0]!.counts.villages).toBe(2)
  })

  it('a restore through the dispatcher is followed by a backup of the restored data', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    await enableAutoBackup(a.ctx, { intervalMs: 60 * 60 * 1000 })
    const [start] = await a.ok('backups.list', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    await a.ok('backups.restore', { name: start!.name })
    // the bulk backup is queued behind the restore; the next list call waits for nothing, so poll
    let reasons: string[] = []
    for (let i = 0; i < 100 && !reasons.includes('bulk'); i++) {
      await new Promise((r) => setTimeout(r, 20))
      reasons = (await a.ok('backups.list', {})).map((b) => b.reason)
    }
    expect(reasons).toContain('bulk')
    expect(reasons).toContain('before-restore')
  })

  it('a backup folder that cannot be written reports a clear error and leaves the database alone', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    // a file where the backups folder should be
    rmSync(backupsDir(a.dir), { recursive: true, force: true })
    closeSync(openSync(backupsDir(a.dir), 'w'))
    const before = a.contentHash()
    const e = await a.err('backups.create', {})
    expect(e.code).toBe('internal')
    expect(e.message).toContain('备份未完成')
    expect(a.contentHash()).toBe(before)
    expect(existsSync(join(a.dir, 'pingan.db'))).toBe(true)
  })
})
