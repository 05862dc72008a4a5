import type { HandlerMap } from '../api/handlers-type'
import { computeRates, computeRatesByVillage } from './rates'

export const statsHandlers: HandlerMap<'stats.rates' | 'stats.ratesByVillage'> = {
  'stats.rates': (input, ctx) => computeRates(ctx, input),
  'stats.ratesByVillage': (input, ctx) => computeRatesByVillage(ctx, input),
}
