import type { Kysely } from 'kysely'
import type { ApiInput, ApiOutput, MethodName } from '../shared/api/contract'
import type { Sqlite } from './db/connection'
import type { DB } from './db/types'

/** What every handler receives: the open database, the query builder, and the clock. */
export interface Ctx {
  db: Sqlite
  k: Kysely<DB>
  dataDir: string
  /** ISO timestamp, strictly increasing within this process so two edits never share an updatedAt */
  now: () => string
  /** the local calendar date, YYYY-MM-DD */
  today: () => string
  /**
   * Another capability's method, called in this process with the contract's validation (documents
   * read the registers this way). Installed by the dispatcher, so no capability imports the handler
   * map; throws ApiError when the method refuses.
   */
  call: <M extends MethodName>(method: M, input: ApiInput<M>) => Promise<ApiOutput<M>>
}

/** Until a dispatcher is built over the context there is nothing to call. */
export const noCall: Ctx['call'] = (method) => Promise.reject(new Error(`no dispatcher for ${method}`))

export function makeClock(): () => string {
  let last = 0
  return () => {
    const t = Math.max(Date.now(), last + 1)
    last = t
    return new Date(t).toISOString()
  }
}

export function localToday(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
