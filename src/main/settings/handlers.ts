import type { HandlerMap } from '../api/handlers-type'
import { readSettings, writeSetting } from './store'
import { chooseStandardSets, standardSetChoice } from './standards'

export const settingsHandlers: HandlerMap<'settings.get' | 'settings.update' | 'settings.standardSets'> = {
  'settings.get': (_input, ctx) => readSettings(ctx),
  'settings.update': (input, ctx) =>
    ctx.db.transaction(() => {
      for (const [k, v] of Object.entries(input)) {
        if (v === undefined) continue
        if (k === 'standardSets') chooseStandardSets(ctx, v as string[])
        else writeSetting(ctx, k as keyof typeof input, v)
      }
      return readSettings(ctx)
    })(),
  'settings.standardSets': (_input, ctx) => standardSetChoice(ctx),
}
