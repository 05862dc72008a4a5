import { describe, expect, it } from 'vitest'
import { KEEP_MAX, retain } from '../../src/main/backup/retention'
import { parseBackupName, stamp } from '../../src/main/backup/store'
import { writesOf } from '../../src/main/backup/auto'

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
    for (const m of ['members.list', 'members.get', 'audit.list', 'backups.list', 'backups.create', 'backups.exportTo', 'stats.rates', 'package.preview', 'checklist.sets', 'excel.imports', 'no.such'])
      expect(writesOf(m), m).toBe('none')
    for (const m of ['excel.import', 'package.import', 'excel.undoImport', 'backups.restore', 'backups.restoreFile', 'recovery.startEmpty']) expect(writesOf(m), m).toBe('bulk')
  })
})
