import type { z } from 'zod'
import type { MethodDef } from './define'
import { orgApi } from '../org/schema'
import { membersApi } from '../members/schema'
import { settingsApi } from '../settings/schema'
import { patrolsApi } from '../patrols/schema'
import { mediationApi } from '../mediation/schema'
import { aftercareApi } from '../aftercare/schema'
import { hazardsApi } from '../hazards/schema'
import { statsApi } from '../stats/schema'
import { remindersApi } from '../reminders/schema'
import { documentsApi } from '../documents/schema'
import { excelApi } from '../excel/schema'
import { handoffApi } from '../handoff/schema'
import { checklistApi, familiesApi } from '../checklist/schema'
import { backupApi } from '../backup/schema'
import { auditApi } from '../audit/schema'
import { recoveryApi } from '../recovery/schema'
import { overviewApi } from '../overview/schema'
import { filesApi } from '../files/schema'

/**
 * Every method of the program, grouped per capability. A capability adds its own `xxxApi` object
 * in src/shared/<capability>/schema.ts and spreads it here.
 */
export const contract = {
  ...orgApi,
  ...membersApi,
  ...settingsApi,
  ...patrolsApi,
  ...mediationApi,
  ...aftercareApi,
  ...hazardsApi,
  ...statsApi,
  ...remindersApi,
  ...documentsApi,
  ...excelApi,
  ...handoffApi,
  ...checklistApi,
  ...familiesApi,
  ...backupApi,
  ...auditApi,
  ...recoveryApi,
  ...overviewApi,
  ...filesApi,
} satisfies Record<string, MethodDef>

export type Contract = typeof contract
export type MethodName = keyof Contract
export type ApiInput<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>
export type ApiOutput<M extends MethodName> = Contract[M] extends MethodDef<z.ZodType, infer O> ? O : never

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name)
}
