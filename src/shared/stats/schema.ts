import { z } from 'zod'
import { method } from '../api/define'
import type { Rates, VillageRates } from './rates'

const year = z.number({ error: '请填写年份' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对')

export const statsApi = {
  'stats.rates': method<Rates>('none')(
    z.strictObject({ year, villageId: z.string().max(64).optional(), township: z.string().max(12).optional() }),
    { year: '年份', villageId: '村（社区）', township: '乡镇' },
  ),
  'stats.ratesByVillage': method<{ year: number; rows: VillageRates[]; total: Rates }>('none')(
    z.strictObject({ year, township: z.string().max(12).optional() }),
    { year: '年份', township: '乡镇' },
  ),
}
