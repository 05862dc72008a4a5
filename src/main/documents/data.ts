import { ApiError } from '../../shared/errors'
import { isMethodName } from '../../shared/api/contract'
import type { ListResult } from '../../shared/api/define'
import type { Ctx } from '../context'

/**
 * Documents read through the other capabilities' own methods (ctx.call, validated by the contract's
 * schemas), so every business rule — rates, checklist status, the org lists — has one home. A register
 * that is not installed yet gives a clear message instead of a crash. The rows of the big register
 * tables are the exception: rows.ts reads them with one statement each, the same rows in the same
 * order as the list methods (tests/integration/documents-rows.test.ts holds it to that).
 */
export async function call<T>(ctx: Ctx, method: string, input: unknown, what: string): Promise<T> {
  if (!isMethodName(method)) throw new ApiError('not_found', `本机程序还没有“${what}”功能，无法生成这份文书`)
  return (await ctx.call(method, input as never)) as T
}

export function has(method: string): boolean {
  return isMethodName(method)
}

/** every row of a list method, page by page (lists return at most 10,000 rows a call) */
export async function listAll<T>(ctx: Ctx, method: string, input: Record<string, unknown>, what: string): Promise<T[]> {
  const out: T[] = []
  const limit = 10_000
  for (let offset = 0; ; offset += limit) {
    const r = await call<ListResult<T>>(ctx, method, { ...input, offset, limit }, what)
    out.push(...r.rows)
    if (r.rows.length < limit || out.length >= r.total) break
  }
  return out
}
