import { afterEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { acquireWriterLock, BUSY_MESSAGE } from '../../src/main/db/lock'
import { openGuarded } from '../../src/main/recovery/guarded'
import { testApp, type TestApp } from '../helpers'

/**
 * One writer per data folder: while the desktop program or browser mode holds the folder, a CLI
 * command that writes is refused with a plain message and changes nothing; one that only reads runs.
 */
const apps: TestApp[] = []
afterEach(async () => {
  while (apps.length) await apps.pop()!.dispose()
})

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 })

describe('writer lock', () => {
  it('refuses a second writer in this process until the first lets go', () => {
    const a = testApp()
    apps.push(a)
    const first = acquireWriterLock(a.dir)
    expect(() => acquireWriterLock(a.dir)).toThrow(BUSY_MESSAGE)
    first.release()
    acquireWriterLock(a.dir).release()
  })

  it('refuses a CLI write while browser mode holds the folder, lets a read through, and changes nothing', async () => {
    const a = testApp()
    apps.push(a)
    await a.ok('villages.create', { name: '新塘村', kind: 'village' })
    a.close()
    const before = statSync(join(a.dir, 'pingan.db')).mtimeMs
    const server = openGuarded(a.dir, { writer: true })
    try {
      const hash = server.app()!.ctx.db.prepare('SELECT count(*) AS n FROM villages').get()
      const write = cli('call', 'villages.create', JSON.stringify({ name: '湘府社区', kind: 'community' }), '--data-dir', a.dir)
      expect(write.status).toBe(2)
      expect(JSON.parse(write.stderr)).toMatchObject({ code: 'busy', message: BUSY_MESSAGE })
      const restore = cli('call', 'backups.restore', JSON.stringify({ name: 'pingan-20260101-000000-manual.db' }), '--data-dir', a.dir)
      expect(JSON.parse(restore.stderr)).toMatchObject({ code: 'busy' })
      const init = cli('demo', '--data-dir', a.dir)
      expect(JSON.parse(init.stderr)).toMatchObject({ code: 'busy' })

      const read = cli('call', 'villages.list', '{}', '--data-dir', a.dir)
      expect(read.status).toBe(0)
      expect((JSON.parse(read.stdout) as { total: number }).total).toBe(1)
      expect(server.app()!.ctx.db.prepare('SELECT count(*) AS n FROM villages').get()).toEqual(hash)
      expect(statSync(join(a.dir, 'pingan.db')).mtimeMs).toBe(before)
    } finally {
      server.close()
    }
    // once browser mode has stopped, the same write goes through
    const write = cli('call', 'villages.create', JSON.stringify({ name: '湘府社区', kind: 'community' }), '--data-dir', a.dir)
    expect(write.status, write.stderr).toBe(0)
  })

  it('creates the data folder, the database and the lock private to the account', () => {
    const a = testApp()
    apps.push(a)
    const server = openGuarded(a.dir, { writer: true })
    try {
      for (const f of ['pingan.db', 'pingan.db-wal', 'pingan.lock']) expect(statSync(join(a.dir, f)).mode & 0o777, f).toBe(0o600)
      expect(statSync(a.dir).mode & 0o777).toBe(0o700)
    } finally {
      server.close()
    }
  })
})
