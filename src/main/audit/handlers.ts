import type { HandlerMap } from '../api/handlers-type'
import { auditFilters, listAudit } from './queries'

export const auditHandlers: HandlerMap<'audit.list' | 'audit.filters'> = {
  'audit.list': (input, ctx) => listAudit(ctx, input),
  'audit.filters': (_input, ctx) => auditFilters(ctx),
}
