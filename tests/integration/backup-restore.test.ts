import { afterEach, describe, expect, it } from 'vitest'
import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { enableAutoBackup, stopAutoBackup } from '../../src/main/backup/auto'
import { backupNow, backupsDir, serial } from '../../src/main/backup/store'
import { copyBackupInto, swapIn } from '../../src/main/backup/restore'
import { makeClock } from '../../src/main/context'
import { tempDir, testApp, type TestApp } from '../helpers'

/**
 * Issue 13: restoring must never lose the backup it restores (the pruning after the "恢复前的数据"
 * copy deleted the oldest of today's backups, then the copy failed), backups made by hand stay until
 * the clerk deletes them, unfinished copies of a killed backup are cleaned up, renames held by a
 * scanner are retried, and everything written is private to the clerk's account.
 */
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
const villageCount = async (a: TestApp) => (await a.ok('villages.list', {})).total
const names = async (a: TestApp) => (await a.ok('backups.list', {})).map((b) => b.name)
/** Waits until every queued backup job of the app (e.g. the one after a restore) is done. */
const settled = (a: TestApp) => serial(a.ctx.dataDir, async () => undefined)
const mode = (f: string) => statSync(f).mode & 0o777

/** Backups of several kinds and days: two earlier days, a manual one, and today's three automatic ones. */
async function history(a: TestApp): Promise<void> {
  const day = (n: number, h: number) => {
    const d = new Date()
    d.setDate(d.getDate() - n)
    d.setHours(h, 0, 0, 0)
    return d.toISOString()
  }
  let village = 0
  const add = () => a.ok('villages.create', { name: `村${village++}`, kind: 'village' })
  for (const [n, h] of [
    [3, 9],
    [2, 9],
  ] as const) {
    a.ctx.now = () => day(n, h)
    await add()
    await backupNow(a.ctx, 'auto')
  }
  a.ctx.now = () => day(2, 10)
  await add()
  await a.ok('backups.create', {})
  a.ctx.now = makeClock()
  for (let i = 0; i < 3; i++) {
    await add()
    await backupNow(a.ctx, i === 0 ? 'start' : 'auto')
  }
}

describe('restore never loses a backup', () => {
  it('restores every listed backup in turn, oldest first: each succeeds and every backup stays listed', async () => {
    const a = app()
    await history(a)
    const listed = (await a.ok('backups.list', {})).reverse()
    expect(listed.map((b) => b.reason)).toEqual(['auto', 'auto', 'manual', 'start', 'auto', 'auto'])
    for (const b of listed) {
      const r = await a.ok('backups.restore', { name: b.name })
      expect(r.restored).toBe(b.name)
      expect(await villageCount(a)).toBe(b.counts.villages)
      const now = await names(a)
      for (const x of listed) expect(now, `after restoring ${b.name}`).toContain(x.name)
      expect(now).toContain(r.undoBackup)
    }
  })

  it('the oldest of today’s backups restores and stays listed with automatic backups on (a backup follows the restore)', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    await enableAutoBackup(a.ctx, { intervalMs: 60 * 60 * 1000 })
    for (let i = 0; i < 2; i++) {
      await a.ok('villages.create', { name: `村${i}`, kind: 'village' })
      await backupNow(a.ctx, 'auto')
    }
    const today = await a.ok('backups.list', {})
    expect(today.map((b) => b.reason)).toEqual(['auto', 'auto', 'start'])
    const oldest = today.at(-1)!
    await a.ok('backups.restore', { name: oldest.name })
    await settled(a)
    const after = await a.ok('backups.list', {})
    expect(after.map((b) => b.reason)).toContain('bulk')
    expect(after.map((b) => b.name)).toContain(oldest.name)
    expect(await villageCount(a)).toBe(1)
    // the restore can still be undone, and the restored backup is still there to go back to
    const undo = after.find((b) => b.reason === 'before-restore')!
    expect(undo.restoredFrom).toBe(oldest.name)
    await a.ok('backups.restore', { name: undo.name })
    await settled(a)
    expect(await villageCount(a)).toBe(3)
    await a.ok('backups.restore', { name: oldest.name })
    expect(await villageCount(a)).toBe(1)
  })

  it('a backup made by hand outlives any number of automatic ones, until the clerk deletes it', async () => {
    const a = app()
    const manual = await a.ok('backups.create', {})
    for (let i = 0; i < 6; i++) {
      await a.ok('villages.create', { name: `村${i}`, kind: 'village' })
      await backupNow(a.ctx, i % 2 ? 'auto' : 'bulk')
    }
    expect(await names(a)).toContain(manual.name)
    expect((await a.ok('backups.list', {})).filter((b) => b.reason !== 'manual')).toHaveLength(3)

    expect(await a.ok('backups.delete', { name: manual.name })).toEqual({ deleted: manual.name })
    expect(await names(a)).not.toContain(manual.name)
    expect(readdirSync(backupsDir(a.dir)).filter((f) => f.startsWith(manual.name))).toEqual([])
    const again = await a.err('backups.delete', { name: manual.name })
    expect([again.code, again.field]).toEqual(['not_found', 'name'])
  })

  it('deletes the copy taken before a restore, but not an automatic backup (the retention rule looks after those)', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const auto = await backupNow(a.ctx, 'auto')
    const r = await a.ok('backups.restore', { name: auto.name })
    const refused = await a.err('backups.delete', { name: auto.name })
    expect(refused.code).toBe('forbidden')
    expect(refused.message).toContain('不能手动删除')
    expect(await names(a)).toContain(auto.name)
    await a.ok('backups.delete', { name: r.undoBackup })
    expect(await names(a)).toEqual([auto.name])
    expect((await a.err('backups.delete', { name: '../pingan.db' })).code).toBe('invalid_input')
  })
})

describe('an edit made while a restore runs', () => {
  it('is never lost: the restore is called off when the clerk saved something after the copy of the current data began', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    const restoring = a.invoke('backups.restore', { name: b.name })
    // wait until the copy of the current data (恢复前的数据) is being written, then save an edit
    const dir = backupsDir(a.dir)
    while (!readdirSync(dir).some((f) => f.endsWith('-before-restore.db.partial'))) await new Promise((r) => setImmediate(r))
    await a.ok('villages.create', { name: '大托村', kind: 'village' })
    const r = await restoring
    expect(r.ok).toBe(false)
    expect(r.ok ? '' : r.error.code).toBe('conflict')
    expect(await villageCount(a)).toBe(3)
  })
})

describe('unfinished copies', () => {
  it('removes copies left by a backup or restore killed midway when the app starts, and nothing else', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const kept = await a.ok('backups.create', {})
    const dir = backupsDir(a.dir)
    const stale = [
      join(dir, 'pingan-20260301-101010-auto.db.partial'),
      join(dir, 'pingan-20260301-101010-auto.db.partial-journal'),
      join(a.dir, 'pingan.db.incoming'),
      join(a.dir, 'pingan.db.incoming.restoring'),
      join(a.dir, 'pingan.db.restoring-journal'),
    ]
    for (const f of stale) writeFileSync(f, Buffer.alloc(4096, 1))
    const unrelated = join(dir, '说明.txt')
    writeFileSync(unrelated, '别删我')
    await enableAutoBackup(a.ctx, { intervalMs: 60 * 60 * 1000 })
    for (const f of stale) expect(existsSync(f), f).toBe(false)
    expect(existsSync(unrelated)).toBe(true)
    expect(existsSync(join(dir, kept.name))).toBe(true)
    expect(existsSync(join(a.dir, 'pingan.db'))).toBe(true)
    expect(await villageCount(a)).toBe(1)
  })
})

describe('renames held by a scanner (Windows)', () => {
  const busy = () => Object.assign(new Error('EBUSY: resource busy or locked, rename'), { code: 'EBUSY' })
  const noWait = async () => undefined

  it('swaps the restored database in after the live file was held for a moment', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    const incoming = join(a.dir, 'pingan.db.incoming')
    await copyBackupInto(join(backupsDir(a.dir), b.name), incoming)
    let refusals = 2
    const mark = a.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }
    await swapIn(a.ctx, incoming, mark.n, {
      wait: noWait,
      rename: (from, to) => {
        if (refusals-- > 0) throw busy()
        renameSync(from, to)
      },
    })
    expect(await villageCount(a)).toBe(1)
    await a.ok('villages.create', { name: '大托村', kind: 'village' })
    expect(await villageCount(a)).toBe(2)
  })

  it('gives up with a Chinese message when the file stays held, and the data stay as they were', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    await a.ok('villages.create', { name: '桂井村', kind: 'village' })
    const before = a.contentHash()
    const incoming = join(a.dir, 'pingan.db.incoming')
    await copyBackupInto(join(backupsDir(a.dir), b.name), incoming)
    const mark = a.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }
    const failed = await swapIn(a.ctx, incoming, mark.n, {
      wait: noWait,
      rename: () => {
        throw busy()
      },
    }).catch((e: Error) => e)
    expect((failed as Error).message).toContain('文件正被其他程序占用')
    expect(a.contentHash()).toBe(before)
    await a.ok('villages.create', { name: '大托村', kind: 'village' })
    expect(await villageCount(a)).toBe(3)
  })

  it('calls the restore off when the clerk edited something while it waited', async () => {
    const a = app()
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    const b = await a.ok('backups.create', {})
    const incoming = join(a.dir, 'pingan.db.incoming')
    await copyBackupInto(join(backupsDir(a.dir), b.name), incoming)
    const mark = a.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }
    let refusals = 1
    const failed = await swapIn(a.ctx, incoming, mark.n, {
      wait: async () => {
        await a.ok('villages.create', { name: '桂井村', kind: 'village' })
      },
      rename: (from, to) => {
        if (refusals-- > 0) throw busy()
        renameSync(from, to)
      },
    }).catch((e: Error) => e)
    expect((failed as Error).message).toContain('恢复期间数据库有新的修改')
    expect(await villageCount(a)).toBe(2)
  })
})

describe('private files', () => {
  it('creates the backups folder 0700 and every backup, its note, the U盘 copy and the restored database 0600', async () => {
    const old = process.umask(0o022) // what a clerk's desktop session usually has
    try {
      const a = app()
      await a.ok('villages.create', { name: '新塘村', kind: 'village' })
      // nothing chmods a copy after SQLite wrote it: a copy not created private would show here
      const b = await a.ok('backups.create', {})
      expect(mode(backupsDir(a.dir)).toString(8)).toBe('700')
      const file = join(backupsDir(a.dir), b.name)
      expect(mode(file).toString(8)).toBe('600')
      expect(mode(file + '.json').toString(8)).toBe('600')

      const usb = tempDir('pingan-usb-')
      dirs.push(usb)
      const e = await a.ok('backups.exportTo', { dir: usb })
      expect(mode(e.file).toString(8)).toBe('600')

      await a.ok('backups.restore', { name: b.name })
      expect(mode(join(a.dir, 'pingan.db')).toString(8)).toBe('600')
      // the recovery screen's copy of the newest backup, which nothing reopens (and so tightens) afterwards
      const copy = join(a.dir, 'copy.db')
      await copyBackupInto(file, copy)
      expect(mode(copy).toString(8)).toBe('600')
      for (const f of readdirSync(backupsDir(a.dir))) expect(mode(join(backupsDir(a.dir), f)).toString(8), f).toBe('600')
    } finally {
      process.umask(old)
    }
  })
})

describe('restore files', () => {
  it('copyBackupInto leaves the target untouched when the copy fails its check', async () => {
    const a = app()
    const target = join(a.dir, 'elsewhere.db')
    writeFileSync(target, 'old content')
    const junk = join(a.dir, 'junk.db')
    closeSync(openSync(junk, 'w'))
    writeFileSync(junk, Buffer.alloc(8192, 7))
    await expect(copyBackupInto(junk, target)).rejects.toThrow()
    expect(existsSync(target + '.restoring')).toBe(false)
    expect(statSync(target).size).toBe('old content'.length)
  })
})
