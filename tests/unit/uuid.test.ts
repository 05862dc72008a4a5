import { describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/shared/uuid'

describe('uuidv7', () => {
  it('has the v7 layout and carries the time in its first 48 bits', () => {
    const t = Date.UTC(2026, 10, 23, 8, 30)
    const id = uuidv7(t)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(t)
  })

  it('ids made later sort later, and 200,000 ids made in the same millisecond do not repeat', () => {
    expect(uuidv7(1000) < uuidv7(1001)).toBe(true)
    const seen = new Set<string>()
    for (let i = 0; i < 200_000; i++) seen.add(uuidv7(1_700_000_000_000))
    expect(seen.size).toBe(200_000)
  })
})
