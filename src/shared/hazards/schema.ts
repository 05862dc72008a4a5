import { z } from 'zod'
import { idInput } from '../api/define'
import { codesOf, fieldOf, labelsOf } from '../registers/define'
import { registerMethods } from '../registers/api'
import { hazardCategoryOptions, hazardLevelOptions, hazardStatusOptions, hazardsRegister } from '../registers/hazards'
import { isoDate, refId, requiredText, text } from '../validation'
import type { Hazard } from './types'

export type { Hazard, HazardCategory, HazardLevel, HazardStatus } from './types'

export const hazardCategories = codesOf(hazardCategoryOptions)
export const hazardLevels = codesOf(hazardLevelOptions)
export const hazardStatuses = codesOf(hazardStatusOptions)

export const hazardLabels = labelsOf(hazardsRegister)
/** A field's Chinese label, from the definition, so messages and the screen say the same word. */
const L = (key: string) => fieldOf(hazardsRegister, key).label
const list = (o: Record<string, string>) => Object.values(o).join('、')

const fields = {
  foundOn: isoDate(L('foundOn')),
  villageId: refId(L('villageId')).nullable().optional(),
  unitId: refId(L('unitId')).nullable().optional(),
  location: requiredText(L('location'), 100),
  category: z.enum(hazardCategories, { error: `请选择${L('category')}（${list(hazardCategoryOptions)}）` }),
  description: requiredText(L('description'), 1000),
  level: z.enum(hazardLevels, { error: `请选择${L('level')}（${list(hazardLevelOptions)}）` }),
  foundBy: requiredText(L('foundBy'), 50),
  responsible: text(L('responsible'), 50),
  deadline: isoDate(L('deadline')).nullable(),
  measures: text(L('measures'), 1000),
  result: text(L('result'), 1000),
  reviewer: text(L('reviewer'), 50),
  closedOn: isoDate(L('closedOn')).nullable(),
  status: z.enum(hazardStatuses, { error: `${L('status')}不是可选的值（${list(hazardStatusOptions)}）` }),
}

/**
 * A hazard may be entered in any state (clerks back-fill a paper ledger with closed items); what
 * each state needs is checked on the stored record by the stage rule (./stage.ts), for create and
 * update alike. A hazard needs a village or a unit: that too is the stage rule's, since a unit
 * given alone lends the hazard its village.
 */
export const hazardCreateInput = z.strictObject({
  ...fields,
  responsible: fields.responsible.default(''),
  deadline: fields.deadline.optional(),
  measures: fields.measures.default(''),
  result: fields.result.default(''),
  reviewer: fields.reviewer.default(''),
  closedOn: fields.closedOn.optional(),
  status: fields.status.default('open'),
})
export type HazardCreateInput = z.input<typeof hazardCreateInput>

export const hazardUpdateInput = z.strictObject({ id: idInput.shape.id, ...fields }).partial({
  foundOn: true,
  villageId: true,
  unitId: true,
  location: true,
  category: true,
  description: true,
  level: true,
  foundBy: true,
  responsible: true,
  deadline: true,
  measures: true,
  result: true,
  reviewer: true,
  closedOn: true,
  status: true,
})
export type HazardUpdateInput = z.input<typeof hazardUpdateInput>

const range = z.string().max(10)
export const hazardListFilters = {
  township: z.string().max(12),
  villageId: z.string().max(64),
  unitId: z.string().max(64),
  status: z.enum(hazardStatuses),
  category: z.enum(hazardCategories),
  level: z.enum(hazardLevels),
  /** found in this year */
  year: z.number().int().min(1900).max(2200),
  /** true: only those not closed whose deadline has passed; false: all the others */
  overdue: z.boolean(),
  location: z.string().max(100),
  description: z.string().max(100),
  /** foundOn from..to inclusive, YYYY-MM-DD */
  foundFrom: range,
  foundTo: range,
}

export const hazardsApi = {
  ...registerMethods<Hazard>()('hazards', hazardsRegister, { create: hazardCreateInput, update: hazardUpdateInput, filters: hazardListFilters }),
}
