import type { HandlerMap } from '../api/handlers-type'
import { readSettings, writeSetting } from './store'

export const settingsHandlers: HandlerMap<'settings.get' | 'settings.update'> = {
  'settings.get': (_input, ctx) => readSettings(ctx),
  'settings.update': (input, ctx) =>
    ctx.db.transaction(() => {
      for (const [k, v] of Object.entries(input)) if (v !== undefined) writeSetting(ctx, k as keyof typeof input, v)
      return readSettings(ctx)
    })(),
}
