import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { handlers } from '../../src/main/api/handlers'
import type { Handler } from '../../src/main/api/handlers-type'
import { KEY_FILE } from '../../src/main/handoff/signing'
import type { ApiInput, MethodName } from '../../src/shared/api/contract'
import { ApiError } from '../../src/shared/errors'
import { testApp, type TestApp } from '../helpers'

/**
 * Methods declared `writes: 'record'` run in one transaction (api/dispatcher.ts): whatever a handler
 * wrote before it failed is gone, and a method it calls through ctx.call is a savepoint of it.
 */
let app: TestApp
afterEach(async () => {
  restoreHandlers()
  await app?.dispose()
})

const table = handlers as unknown as Record<string, Handler<MethodName>>
const originals = new Map<string, Handler<MethodName>>()

/** Replaces a real handler for one test (the dispatcher looks it up at each call). */
function wrap(method: MethodName, make: (real: Handler<MethodName>) => Handler<MethodName>): void {
  const real = table[method]!
  originals.set(method, real)
  table[method] = make(real)
}

function restoreHandlers(): void {
  for (const [m, h] of originals) table[m] = h
  originals.clear()
}

/** The real handler does its work, then the method fails (as a later step of a longer handler could). */
function failAfterWriting(method: MethodName, failure: () => Error): void {
  wrap(method, (real) => (input, ctx) => {
    real(input, ctx)
    throw failure()
  })
}

const member: ApiInput<'members.create'> = { name: '张三', idNumber: '110101199003074477', roles: ['patrol_fulltime'], joinedOn: '2024-01-01' }

describe('a record method that fails half-way leaves nothing behind', () => {
  it('township.setup: the township row is written, then the signing key cannot be; no set-up stays and it can be done again', async () => {
    app = testApp({ setup: false })
    // a folder where the key file goes: reading it fails after the township row is in
    mkdirSync(join(app.dir, KEY_FILE))
    const before = app.contentHash()
    const setup = { mode: 'township', name: '大托铺街道', code: '430103005', county: '天心区' } as const
    const e = await app.err('township.setup', setup)
    expect(e.code).toBe('conflict')
    expect(e.message).toContain('签名密钥')
    expect(await app.ok('township.get', {})).toBeNull()
    expect(app.contentHash()).toBe(before)

    rmSync(join(app.dir, KEY_FILE), { recursive: true })
    expect(await app.ok('township.setup', setup)).toMatchObject({ code: '430103005', name: '大托铺街道' })
  })

  it('an unexpected error after the record and its audit row were written: neither stays', async () => {
    app = testApp()
    failAfterWriting('members.create', () => new Error('disk gone'))
    const before = app.contentHash()
    const e = await app.err('members.create', member)
    expect(e).toMatchObject({ code: 'internal' })
    expect(e.message).toContain('数据未改动')
    expect((await app.ok('members.list', {})).total).toBe(0)
    expect((await app.ok('audit.list', {})).total).toBe(0)
    expect(app.contentHash()).toBe(before)
  })

  it('a refusal after writing shows its own message and leaves nothing', async () => {
    app = testApp()
    const v = await app.ok('villages.create', { name: '新塘村', kind: 'village' })
    failAfterWriting('villages.update', () => new ApiError('conflict', '改名后核对不通过', 'name'))
    const before = app.contentHash()
    expect(await app.err('villages.update', { id: v.id, name: '新塘社区' })).toEqual({ code: 'conflict', message: '改名后核对不通过', field: 'name' })
    expect((await app.ok('villages.get', { id: v.id })).name).toBe('新塘村')
    expect(app.contentHash()).toBe(before)
  })

  it('what a method wrote through ctx.call goes with its caller when the caller fails', async () => {
    app = testApp()
    wrap('villages.create', (real) => (input, ctx) => {
      const v = real(input, ctx) as { id: string }
      // the nested handler runs now, inside this transaction; its promise only reports the result
      void ctx.call('grids.create', { villageId: v.id, name: '第一网格' })
      throw new Error('after the grid')
    })
    const before = app.contentHash()
    expect((await app.err('villages.create', { name: '新塘村', kind: 'village' })).code).toBe('internal')
    expect((await app.ok('villages.list', {})).total).toBe(0)
    expect((await app.ok('grids.list', {})).total).toBe(0)
    expect(app.contentHash()).toBe(before)
  })

  it('a nested method that fails is undone alone: its caller keeps what it wrote', async () => {
    app = testApp()
    failAfterWriting('grids.create', () => new ApiError('conflict', '网格核对不通过', 'name'))
    wrap('villages.create', (real) => (input, ctx) => {
      const v = real(input, ctx) as { id: string }
      const grid = ctx.call('grids.create', { villageId: v.id, name: '第一网格' })
      // the caller goes on without the grid (the refusal arrives after this transaction committed)
      return grid.then(
        () => v,
        () => v,
      ) as never
    })
    const v = await app.ok('villages.create', { name: '新塘村', kind: 'village' })
    expect((await app.ok('villages.list', {})).rows.map((r) => r.id)).toEqual([v.id])
    expect((await app.ok('grids.list', {})).total).toBe(0)
    const audit = await app.ok('audit.list', {})
    expect(audit.rows.map((r) => [r.tableName, r.action])).toEqual([['villages', 'create']])
  })

  it('a method that succeeds keeps its record', async () => {
    app = testApp()
    const m = await app.ok('members.create', member)
    expect((await app.ok('members.get', { id: m.id })).name).toBe('张三')
  })
})
