import { prefetch } from '../../transport'

/** How many years the start page's trend chart shows. */
export const YEARS = 5

/**
 * The start page's reads, asked for by early.ts before the program's script has loaded; StartPage
 * makes the same calls with the same inputs and so receives these answers.
 */
export function prefetchStartPage(year = new Date().getFullYear()): void {
  prefetch('stats.ratesByVillage', { year })
  prefetch('overview.charts', { year })
  prefetch('reminders.list', {})
  for (let i = 0; i < YEARS; i++) prefetch('stats.rates', { year: year - YEARS + 1 + i })
}
