import { describe, expect, it } from 'vitest'
import { KEEP_MAX, retain } from '../../src/main/backup/retention'
import { parseBackupName, stamp } from '../../src/main/backup/store'
import { writesOf } from '../../src/main/backup/auto'
import { BUSY_FILE_MESSAGE, RENAME_DELAYS_MS, renameWithRetry } from '../../src/main/backup/rename'

const at = (s: string) => new Date(s) // local time (no Z): the rule works on the clerk's calendar days
const b = (s: string) => ({ name: s, at: at(s) })
const names = (xs: { name: string }[]) => xs.map((x) => x.name)

describe('backup retention: 3 from today, one per earlier day for 30 days, 20 at most', () => {
  const now = at('2026-03-15T16:00:00')

  it('keeps the 3 newest of today and drops older ones of today', () => {
    const list = ['2026-03-15T08:00:00', '2026-03-15T09:00:00', '2026-03-15T10:00:00', '2026-03-15T11:00:00', '2026-03-15T12:00:00'].map(b)
    const { keep, drop } = retain(list, now)
    expect(names(keep)).toEqual(['2026-03-15T12:00:00', '2026-03-15T11:00:00', '2026-03-15T10:00:00'])
    expect(names(drop)).toEqual(['2026-03-15T09:00:00', '2026-03-15T08:00:00'])
  })

  it('keeps only the newest of each earlier day', () => {
    const list = ['2026-03-14T09:00:00', '2026-03-14T17:30:00', '2026-03-13T23:59:59', '2026-03-13T00:00:01'].map(b)
    const { keep } = retain(list, now)
    expect(names(keep)).toEqual(['2026-03-14T17:30:00', '2026-03-13T23:59:59'])
  })

  it('keeps a copy exactly 30 days old and drops one 31 days old, across a month end', () => {
    const list = ['2026-02-13T12:00:00', '2026-02-12T12:00:00'].map(b) // 30 and 31 days before 15 March
    const { keep, drop } = retain(list, now)
    expect(names(keep)).toEqual(['2026-02-13T12:00:00'])
    expect(names(drop)).toEqual(['2026-02-12T12:00:00'])
  })

  it('never keeps more than 20 even with a copy on each of the last 30 days', () => {
    const list = []
    for (let d = 0; d < 30; d++) list.push({ name: `d${d}`, at: new Date(2026, 2, 15 - d, 9) })
    const { keep, drop } = retain(list, now)
    expect(keep).toHaveLength(KEEP_MAX)
    expect(names(keep)[0]).toBe('d0')
    expect(names(keep).at(-1)).toBe('d19')
    expect(drop).toHaveLength(10)
  })

  it('counts a copy dated after now (clock set back) as today, so it is not lost', () => {
    const { keep } = retain([b('2026-03-16T10:00:00')], now)
    expect(keep).toHaveLength(1)
  })

  it('never drops a backup made by hand or the copy taken before a restore, and they take no automatic one’s place', () => {
    const list = [
      { name: 'manual-old', at: at('2025-01-01T09:00:00'), reason: 'manual' },
      { name: 'undo-old', at: at('2025-06-01T09:00:00'), reason: 'before-restore' },
      { name: 'manual-today', at: at('2026-03-15T07:00:00'), reason: 'manual' },
      ...['08', '09', '10', '11'].map((h) => ({ name: `auto-${h}`, at: at(`2026-03-15T${h}:00:00`), reason: 'auto' })),
    ]
    const { keep, drop } = retain(list, now)
    expect(names(keep)).toEqual(['auto-11', 'auto-10', 'auto-09', 'manual-today', 'undo-old', 'manual-old'])
    expect(names(drop)).toEqual(['auto-08'])
  })

  it('keeps a protected backup (the one being restored) even where the rule would let it go', () => {
    const list = ['08', '09', '10', '11'].map((h) => ({ name: `auto-${h}`, at: at(`2026-03-15T${h}:00:00`), reason: 'start' }))
    expect(names(retain(list, now).drop)).toEqual(['auto-08'])
    const { keep, drop } = retain(list, now, new Set(['auto-08']))
    expect(names(keep)).toEqual(['auto-11', 'auto-10', 'auto-09', 'auto-08'])
    expect(drop).toEqual([])
  })
})

describe('renames held by a scanner (Windows antivirus)', () => {
  const fails = (code: string, times: number) => {
    const calls: string[] = []
    const rename = (from: string, to: string) => {
      calls.push(`${from}->${to}`)
      if (calls.length <= times) throw Object.assign(new Error(`${code}: rename`), { code })
    }
    return { calls, rename }
  }

  it('retries EPERM and EBUSY with a growing pause, then succeeds', async () => {
    const waits: number[] = []
    const r = fails('EBUSY', 2)
    await renameWithRetry('a.partial', 'a.db', { rename: r.rename, wait: async (ms) => void waits.push(ms) })
    expect(r.calls).toEqual(['a.partial->a.db', 'a.partial->a.db', 'a.partial->a.db'])
    expect(waits).toEqual(RENAME_DELAYS_MS.slice(0, 2))
    expect(waits[1]!).toBeGreaterThan(waits[0]!)
    const p = fails('EPERM', 1)
    await renameWithRetry('b.partial', 'b.db', { rename: p.rename, wait: async () => undefined })
    expect(p.calls).toHaveLength(2)
  })

  it('gives up after a few tries with a Chinese message', async () => {
    const r = fails('EPERM', 1000)
    await expect(renameWithRetry('a.partial', 'a.db', { rename: r.rename, wait: async () => undefined })).rejects.toThrow(BUSY_FILE_MESSAGE)
    expect(r.calls).toHaveLength(RENAME_DELAYS_MS.length + 1)
    expect(BUSY_FILE_MESSAGE).toMatch(/[\u4e00-\u9fff]/)
  })

  it('does not retry other errors (a missing file stays missing)', async () => {
    const r = fails('ENOENT', 1000)
    await expect(renameWithRetry('a.partial', 'a.db', { rename: r.rename, wait: async () => undefined })).rejects.toMatchObject({ code: 'ENOENT' })
    expect(r.calls).toHaveLength(1)
  })
})

describe('backup names and triggers', () => {
  it('names a backup with the local time and reads it back', () => {
    const d = at('2026-03-05T07:08:09')
    expect(stamp(d)).toBe('20260305-070809')
    const p = parseBackupName(`pingan-${stamp(d)}-manual.db`)!
    expect(p.reason).toBe('manual')
    expect(p.at.getTime()).toBe(d.getTime())
    expect(parseBackupName('pingan-20260305-070809-2-bulk.db')!.reason).toBe('bulk')
    expect(parseBackupName('pingan.db')).toBeNull()
    expect(parseBackupName('pingan-20260305-070809-unknown.db')).toBeNull()
  })

  it('takes whether a method writes from the contract, not from its name', () => {
    for (const m of ['members.create', 'villages.update', 'patrols.delete', 'members.restore', 'township.setup', 'package.export', 'checklist.attest'])
      expect(writesOf(m), m).toBe('record')
    for (const m of ['members.list', 'members.get', 'audit.list', 'backups.list', 'backups.create', 'backups.exportTo', 'backups.delete', 'stats.rates', 'package.preview', 'checklist.sets', 'excel.imports', 'no.such'])
      expect(writesOf(m), m).toBe('none')
    for (const m of ['excel.import', 'package.import', 'excel.undoImport', 'backups.restore', 'backups.restoreFile', 'recovery.startEmpty']) expect(writesOf(m), m).toBe('bulk')
  })
})
