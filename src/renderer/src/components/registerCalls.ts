import type { ListResult } from '../../../shared/api/define'
import type { MethodName } from '../../../shared/api/contract'
import type { RegisterDefinition } from '../../../shared/registers/define'
import { invoke } from '../api'

export interface RegisterListInput {
  q?: string
  filters?: Record<string, unknown>
  sort?: { field: string; dir: 'asc' | 'desc' }[]
  offset?: number
  limit?: number
  fullId?: boolean
}

/**
 * A register's record methods by its definition's prefix (`${api}.get` …). The contract derives
 * them from the same definition (shared/registers/api.ts), so the names exist; the cast only joins
 * the per-register input types into one.
 */
export function registerCalls<R>(def: Pick<RegisterDefinition<R>, 'api'>) {
  const call = <O>(method: string, input: unknown) => invoke(method as MethodName, input as never) as Promise<unknown> as Promise<O>
  return {
    get: (id: string) => call<R>(`${def.api}.get`, { id }),
    list: (input: RegisterListInput) => call<ListResult<R>>(`${def.api}.list`, input),
    remove: (id: string) => call<{ id: string }>(`${def.api}.delete`, { id }),
    restore: (id: string) => call<R>(`${def.api}.restore`, { id }),
  }
}
