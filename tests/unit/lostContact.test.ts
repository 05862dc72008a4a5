import { describe, expect, it } from 'vitest'
import { lostNow, overlapsYear, parsePeriods, periodsRefusal, periodsText } from '../../src/shared/aftercare/lostContact'

describe('脱管漏管 periods', () => {
  it('reads and writes the sheet’s way: “2025-03-01至2025-04-10；2025-06-01至今”', () => {
    const p = parsePeriods('2025-3-1至2025-04-10；2025年6月1日至今')
    expect(p).toEqual([
      { from: '2025-03-01', to: '2025-04-10' },
      { from: '2025-06-01', to: null },
    ])
    expect(periodsText(p!)).toBe('2025-03-01至2025-04-10；2025-06-01至今')
    expect(parsePeriods('')).toEqual([])
    expect(parsePeriods('去年三月')).toBeNull()
    expect(lostNow(p!)).toBe(true)
  })

  it('judges a year by overlap, the last and first days included', () => {
    expect(overlapsYear({ from: '2024-03-01', to: '2024-12-31' }, 2025)).toBe(false)
    expect(overlapsYear({ from: '2024-03-01', to: '2025-01-01' }, 2025)).toBe(true)
    expect(overlapsYear({ from: '2025-12-31', to: null }, 2025)).toBe(true)
    expect(overlapsYear({ from: '2026-01-01', to: null }, 2025)).toBe(false)
  })

  it('refuses periods out of order, in the future, before the release, or overlapping', () => {
    const today = '2026-06-15'
    expect(periodsRefusal([{ from: '2025-03-01', to: '2025-02-01' }], '2024-01-01', today)).toContain('不能早于开始日期')
    expect(periodsRefusal([{ from: '2026-07-01', to: null }], '2024-01-01', today)).toContain('不能晚于今天')
    expect(periodsRefusal([{ from: '2023-07-01', to: null }], '2024-01-01', today)).toContain('不能早于释放')
    expect(periodsRefusal([{ from: '2025-01-01', to: null }, { from: '2025-06-01', to: '2025-07-01' }], '2024-01-01', today)).toContain('重叠')
    expect(periodsRefusal([{ from: '2025-01-01', to: '2025-02-01' }, { from: '2025-02-02', to: null }], '2024-01-01', today)).toBeNull()
  })
})
