import type { Handlers } from './handlers-type'
import { orgHandlers } from '../org/handlers'
import { memberHandlers } from '../members/handlers'
import { settingsHandlers } from '../settings/handlers'

/** Every capability's handler map. A method in the contract without a handler here fails typecheck. */
export const handlers: Handlers = {
  ...orgHandlers,
  ...memberHandlers,
  ...settingsHandlers,
}
