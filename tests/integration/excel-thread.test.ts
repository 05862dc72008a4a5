import ExcelJS from 'exceljs'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../../src/main/excel/import'
import { offThreadStats, offThreadTuning, prewarmReader, readerWaiting } from '../../src/main/excel/offThread'
import { makeIdNumber } from '../../src/shared/idNumber'
import { testApp, type TestApp } from '../helpers'

/**
 * Issue 15.1: an import reads its file on a thread of its own (excel/offThread.ts) while the main
 * thread checks and stages the rows. What must not change for the clerk: the same rows stored, the
 * same refusals in the same words, nothing written when a file is refused; the thread is started
 * ahead by the wizard's first step and kept for the next file.
 */
let app: TestApp
beforeEach(async () => {
  app = testApp()
  for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) await app.ok('villages.create', { name, kind })
})
afterEach(async () => {
  offThreadTuning.enabled = true
  await app.dispose()
})

const ID = (i: number) => makeIdNumber('430103', new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), 11)

async function roster(file: string, n: number, bad?: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['序号', '姓名', '公民身份号码', '手机号', '村居', '职务', '入队时间']).commit()
  for (let i = 0; i < n; i++)
    ws.addRow([i + 1, `队员${i}`, i === bad ? '430103196001011234' : ID(i), `139${String(i).padStart(8, '0')}`, i % 2 ? '新塘村' : '桂花社区', '志愿者', new Date(Date.UTC(2024, 2, 1))]).commit()
  ws.commit()
  await wb.commit()
}

const stored = (a: TestApp) =>
  a.ctx.db.prepare('SELECT name, idNumber, phone, villageId, roles, joinedOn FROM members WHERE deletedAt IS NULL ORDER BY idNumber').all() as Record<string, unknown>[]

describe('an import reads its file on a thread of its own', () => {
  it("stores exactly what the main thread's reader stores, dates included", { timeout: 120_000 }, async () => {
    const file = join(app.dir, 'roster.xlsx')
    await roster(file, 3000)
    const r = await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx' })
    expect(offThreadStats.lastWay).toBe('thread')
    expect(r.imported).toBe(3000)
    const viaThread = stored(app)

    const other = testApp()
    try {
      for (const [name, kind] of [['新塘村', 'village'], ['桂花社区', 'community']] as const) await other.ok('villages.create', { name, kind })
      offThreadTuning.enabled = false
      const r2 = await importFile(other.ctx, { register: 'members', path: file, fileName: '花名册.xlsx' })
      expect(offThreadStats.lastWay).toBe('main')
      expect(r2.imported).toBe(3000)
      const names = (a: TestApp) => new Map((a.ctx.db.prepare('SELECT id, name FROM villages').all() as { id: string; name: string }[]).map((v) => [v.id, v.name]))
      const byName = (a: TestApp, rows: Record<string, unknown>[]) => rows.map((x) => ({ ...x, villageId: names(a).get(x.villageId as string) }))
      expect(byName(app, viaThread)).toEqual(byName(other, stored(other)))
      expect(viaThread[0]).toMatchObject({ joinedOn: '2024-03-01', roles: '["volunteer"]' })
    } finally {
      await other.dispose()
    }
  })

  it('refuses a bad row by row and column in the same words, and writes nothing', { timeout: 120_000 }, async () => {
    const file = join(app.dir, 'bad.xlsx')
    await roster(file, 500, 321)
    const r = await importFile(app.ctx, { register: 'members', path: file, fileName: '花名册.xlsx' })
    expect(offThreadStats.lastWay).toBe('thread')
    expect(r.imported).toBe(0)
    expect(r.rejected[0]).toMatchObject({ row: 323, column: '公民身份号码' })
    expect(r.rejected[0]!.message).toContain('身份证号')
    expect(stored(app)).toEqual([])
  })

  it("refuses a file that is not Excel with the reader's own message", async () => {
    const file = join(app.dir, 'not.xlsx')
    writeFileSync(file, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]))
    await expect(importFile(app.ctx, { register: 'members', path: file, fileName: 'not.xlsx' })).rejects.toThrow(/文件已损坏或不是Excel文件/)
    expect(stored(app)).toEqual([])
  })

  it("uses the thread the wizard's first step started, and keeps it for the next file", { timeout: 120_000 }, async () => {
    const file = join(app.dir, 'small.xlsx')
    await roster(file, 50)
    await prewarmReader()
    expect(readerWaiting()).toBe(true)
    const before = offThreadStats.started
    await importFile(app.ctx, { register: 'members', path: file, fileName: 'a.xlsx', dryRun: true })
    expect(offThreadStats.lastWay).toBe('thread')
    // the import took the thread started ahead, and gives it back once the file is let go
    while (!readerWaiting()) await new Promise((r) => setImmediate(r))
    await importFile(app.ctx, { register: 'members', path: file, fileName: 'a.xlsx' })
    expect(offThreadStats.lastWay).toBe('thread')
    expect(offThreadStats.started).toBe(before)
    expect(stored(app)).toHaveLength(50)
  })

  it('keeps one thread through many imports, with no listener piling up on it', { timeout: 120_000 }, async () => {
    const file = join(app.dir, 'tiny.xlsx')
    await roster(file, 5)
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.name)
    process.on('warning', onWarning)
    try {
      await prewarmReader()
      const before = offThreadStats.started
      for (let i = 0; i < 15; i++) {
        while (!readerWaiting()) await new Promise((r) => setImmediate(r))
        const r = await importFile(app.ctx, { register: 'members', path: file, fileName: 'a.xlsx', dryRun: true })
        expect(r.wouldImport).toBe(5)
      }
      expect(offThreadStats.started).toBe(before)
      expect(warnings).not.toContain('MaxListenersExceededWarning')
    } finally {
      process.off('warning', onWarning)
    }
  })
})
