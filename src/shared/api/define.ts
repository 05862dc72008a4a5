import { z } from 'zod'

/**
 * One method of the API: its zod input schema, its output type (phantom), and the Chinese names of
 * its fields for error messages. Handlers in src/main are typed from this, so a method added to the
 * contract without a handler is a type error.
 */
/**
 * Whether and how a method writes, declared with the method (never guessed from its name):
 * 'none' reads only; 'record' changes records (a timed backup follows, a CLI call takes the writer
 * lock); 'bulk' replaces or loads many rows at once (a backup is made right after).
 */
export type Writes = 'none' | 'record' | 'bulk'

export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I
  labels: Record<string, string>
  writes: Writes
  /** phantom: never read at run time */
  readonly output?: O
}

export function method<O>(writes: Writes) {
  return <I extends z.ZodType>(input: I, labels: Record<string, string> = {}): MethodDef<I, O> => ({ input, labels, writes })
}

export const empty = z.strictObject({})

export const idInput = z.strictObject({ id: z.string({ error: '缺少记录编号 id' }).min(1, '缺少记录编号 id').max(64) })

export interface ListResult<T> {
  rows: T[]
  total: number
}

export const sortSpec = z
  .array(z.strictObject({ field: z.string().max(64), dir: z.enum(['asc', 'desc']) }))
  .max(4)

/** Common list input: quick search, per-register filters, sort, paging done in SQL. */
export function listInput<F extends z.ZodRawShape>(filters: F) {
  return z.strictObject({
    q: z.string().max(100).optional(),
    filters: z.strictObject(filters).partial().optional(),
    sort: sortSpec.optional(),
    offset: z.number().int().min(0).max(100_000_000).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    includeDeleted: z.boolean().optional(),
  })
}
