import { describe, expect, it } from 'vitest'
import { existsSync, openSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { checkInWorker, checkWorkersEnded } from '../../src/main/db/checkWorker'
import { pageSizeOf, testApp } from '../helpers'

describe('checkInWorker', () => {
  it('answers ok for a sound database and names the damage of a damaged one', async () => {
    const a = testApp()
    try {
      await a.ok('villages.create', { name: '新塘村', kind: 'village' })
      for (let i = 0; i < 200; i++) await a.ok('villages.create', { name: `第${i}村民小组`.padEnd(45, '组'), kind: 'village' })
      a.ctx.db.pragma('wal_checkpoint(TRUNCATE)')
      const file = join(a.dir, 'pingan.db')
      expect(await checkInWorker(file, 'quick_check')).toBe('ok')
      expect(await checkInWorker(file)).toBe('ok')
      a.close()
      // overwrite the middle of the last pages: the tree no longer adds up
      const size = (await import('node:fs')).statSync(file).size
      const page = pageSizeOf(file)
      expect(size / page).toBeGreaterThan(4)
      const fd = openSync(file, 'r+')
      writeSync(fd, Buffer.alloc(3000, 0x5a), 0, 3000, size - page * 3 + 100)
      closeSync(fd)
      expect(await checkInWorker(file).catch((e: Error) => e.message)).not.toBe('ok')
      await expect(checkInWorker(join(a.dir, 'missing.db'))).rejects.toThrow()
    } finally {
      await a.dispose()
    }
  })

  it('checkWorkersEnded waits for a checkpoint started and not awaited (as an import leaves one): then its answer has come, its -wal and -shm are gone', async () => {
    const a = testApp()
    try {
      a.ctx.db.pragma('wal_autocheckpoint = 0')
      for (let i = 0; i < 50; i++) await a.ok('villages.create', { name: `第${i}村`, kind: 'village' })
      a.close()
      const file = join(a.dir, 'pingan.db')
      let answer: string | null = null
      // the worker opens the file alone: its connection, the last one, removes -wal and -shm when it closes
      void checkInWorker(file, 'wal_checkpoint(PASSIVE)').then((r) => (answer = r))
      await checkWorkersEnded()
      expect(answer).toMatch(/^0/)
      expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false])
    } finally {
      await a.dispose()
    }
  })
})
