import type { Handlers } from './handlers-type'
import { orgHandlers } from '../org/handlers'
import { memberHandlers } from '../members/handlers'
import { settingsHandlers } from '../settings/handlers'
import { patrolHandlers } from '../patrols/handlers'
import { mediationHandlers } from '../mediation/handlers'
import { aftercareHandlers } from '../aftercare/handlers'
import { hazardHandlers } from '../hazards/handlers'
import { statsHandlers } from '../stats/handlers'
import { reminderHandlers } from '../reminders/handlers'
import { documentHandlers } from '../documents/handlers'
import { excelHandlers } from '../excel/handlers'
import { handoffHandlers } from '../handoff/handlers'
import { checklistHandlers } from '../checklist/handlers'
import { backupHandlers } from '../backup/handlers'
import { auditHandlers } from '../audit/handlers'
import { recoveryHandlers } from '../recovery/handlers'
import { overviewHandlers } from '../overview/handlers'
import { fileHandlers } from '../files/handlers'

/** Every capability's handler map. A method in the contract without a handler here fails typecheck. */
export const handlers: Handlers = {
  ...orgHandlers,
  ...memberHandlers,
  ...settingsHandlers,
  ...patrolHandlers,
  ...mediationHandlers,
  ...aftercareHandlers,
  ...hazardHandlers,
  ...statsHandlers,
  ...reminderHandlers,
  ...documentHandlers,
  ...excelHandlers,
  ...handoffHandlers,
  ...checklistHandlers,
  ...backupHandlers,
  ...auditHandlers,
  ...recoveryHandlers,
  ...overviewHandlers,
  ...fileHandlers,
}
