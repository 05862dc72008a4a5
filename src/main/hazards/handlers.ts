import type { HandlerMap } from '../api/handlers-type'
import { getLiveRow, getRow, restoreRecord, softDelete } from '../db/records'
import { checkUnit, checkVillage } from '../org/refs'
import { listHazards } from './queries'
import type { HazardsTable } from './table'
import { WHAT, createHazard, loadHazard, updateHazard } from './write'

export const hazardHandlers: HandlerMap<'hazards.create' | 'hazards.get' | 'hazards.list' | 'hazards.update' | 'hazards.delete' | 'hazards.restore'> = {
  'hazards.create': (input, ctx) => ctx.db.transaction(() => createHazard(ctx, input))(),
  'hazards.get': (input, ctx) => {
    getLiveRow(ctx, 'hazards', input.id, WHAT)
    return loadHazard(ctx, input.id)
  },
  'hazards.list': (input, ctx) => listHazards(ctx, input),
  'hazards.update': (input, ctx) => ctx.db.transaction(() => updateHazard(ctx, input))(),
  'hazards.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'hazards', input.id, WHAT))(),
  'hazards.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const row = getRow<HazardsTable>(ctx, 'hazards', input.id)
      // a hazard comes back only to a village and unit that are still there
      if (row?.deletedAt) {
        checkVillage(ctx, row.villageId)
        checkUnit(ctx, row.unitId)
      }
      restoreRecord(ctx, 'hazards', input.id, WHAT)
      return loadHazard(ctx, input.id)
    })(),
}
