import { beforeAll, describe, expect, it } from 'vitest'

/**
 * The first screen's reads asked for ahead (renderer transport.ts): each answer is used once, by the
 * first matching call; one already here is drawn at once (invokeNow); an error is never drawn as data.
 */
const asked: string[] = []
const answers = new Map<string, (r: unknown) => void>()
let api: typeof import('../../src/renderer/src/api')

beforeAll(async () => {
  // the desktop bridge stands in for the program: each call waits until the test answers it
  ;(globalThis as { window?: unknown }).window = {
    pingan: {
      invoke: (method: string, input: unknown) => {
        const key = `${method} ${JSON.stringify(input)} #${asked.length}`
        asked.push(key)
        return new Promise((ok) => answers.set(method, ok))
      },
    },
  }
  api = await import('../../src/renderer/src/api')
})

describe('reads asked for ahead', () => {
  it('draws an answer that has come at once, and only once; a later call asks the program again', async () => {
    api.prefetch('stats.rates', { year: 2026 })
    expect(api.invokeNow('stats.rates', { year: 2026 })).toBeUndefined() // not here yet
    answers.get('stats.rates')!({ ok: true, data: { mediationRate: 0.5 } })
    await new Promise((r) => setTimeout(r))
    expect(api.invokeNow('stats.rates', { year: 2025 })).toBeUndefined() // another input
    expect(api.invokeNow('stats.rates', { year: 2026 })).toEqual({ mediationRate: 0.5 })
    expect(api.invokeNow('stats.rates', { year: 2026 })).toBeUndefined()
    const n = asked.length
    const again = api.invoke('stats.rates', { year: 2026 })
    expect(asked.length).toBe(n + 1)
    answers.get('stats.rates')!({ ok: true, data: { mediationRate: 0.6 } })
    expect(await again).toEqual({ mediationRate: 0.6 })
  })

  it('hands a call the answer still on its way instead of asking twice', async () => {
    api.prefetch('township.get', {})
    const n = asked.length
    const got = api.invoke('township.get', {})
    expect(asked.length).toBe(n)
    answers.get('township.get')!({ ok: true, data: { name: '大托铺街道' } })
    expect(await got).toEqual({ name: '大托铺街道' })
  })

  it('never draws a refused read as data: the screen\'s own call asks the program again', async () => {
    api.prefetch('reminders.list', {})
    answers.get('reminders.list')!({ ok: false, error: { code: 'internal', message: '程序内部出错' } })
    await new Promise((r) => setTimeout(r))
    expect(api.invokeNow('reminders.list', {})).toBeUndefined()
    const n = asked.length
    const again = api.invoke('reminders.list', {})
    expect(asked.length).toBe(n + 1)
    answers.get('reminders.list')!({ ok: false, error: { code: 'internal', message: '程序内部出错' } })
    await expect(again).rejects.toThrow('程序内部出错')
  })
})
