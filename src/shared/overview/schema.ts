import { z } from 'zod'
import { method } from '../api/define'

/**
 * The start page's charts for one year: counts only, grouped the way the charts draw them. The rates
 * themselves come from stats.rates (per year), so the two never disagree.
 */
export interface Overview {
  year: number
  /** patrols per month, January first (12 numbers) */
  patrolsByMonth: number[]
  /** cases received in the year, per category and status (categories with no case left out) */
  cases: { category: string; status: string; count: number }[]
  /** hazards found in the year, per category and status */
  hazards: { category: string; status: string; count: number }[]
}

const year = z.number({ error: '请填写年份' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对')

export const overviewApi = {
  'overview.charts': method<Overview>('none')(z.strictObject({ year }), { year: '年份' }),
}
