import { contract, isMethodName, type MethodName } from '../../shared/api/contract'
import { ApiError, type Result } from '../../shared/errors'
import { describeIssue } from '../../shared/validation'
import type { Ctx } from '../context'
import { handlers } from './handlers'
import type { Handler } from './handlers-type'
import { maybeBackup } from '../backup/auto'

export type Invoke = (method: string, input: unknown) => Promise<Result<unknown>>

const log = (msg: string) => process.env.PINGAN_QUIET ? undefined : process.stderr.write(msg + '\n')

/**
 * A method declared `writes: 'record'` runs in one transaction, so a handler that fails half-way
 * leaves nothing behind; called from another method (ctx.call) it becomes a savepoint of its caller's.
 * better-sqlite3 transactions are synchronous, so nothing else of this process writes between a
 * handler's reads and its writes (a plain BEGIN is enough), and only the work up to the handler's
 * first await is inside: every 'record' handler does all its database work before awaiting
 * (package.export records the export only once the file is verified on the stick, and makes that one
 * write its own transaction). An `async` function reports even an early throw through its promise,
 * after the commit: a record handler that may refuse after writing must be a plain function.
 * 'bulk' handlers keep their own transactions (own connection, bulkLoad); 'none' ones write nothing.
 */
function inTransaction(ctx: Ctx, handler: Handler<MethodName>, input: unknown): unknown {
  let out: unknown
  // kept outside: better-sqlite3 refuses a transaction function that returns a promise (package.export does)
  ctx.db.transaction(() => {
    out = handler(input as never, ctx)
  })()
  return out
}

/**
 * The one entry point of every transport: validates the input with the contract's schema, runs the
 * handler, and turns every failure into `{ code, message, field? }`. Personal data is never logged.
 */
export function createDispatcher(ctx: Ctx): Invoke {
  const run = async (method: unknown, rawInput: unknown, nested: boolean): Promise<Result<unknown>> => {
    if (typeof method !== 'string' || !isMethodName(method))
      return { ok: false, error: { code: 'unknown_method', message: `没有这个功能：${String(method).slice(0, 60)}` } }
    const def = contract[method]
    const parsed = def.input.safeParse(rawInput === undefined || rawInput === null ? {} : rawInput)
    if (!parsed.success) {
      const d = describeIssue(parsed.error.issues[0]!, def.labels)
      return { ok: false, error: d.field ? { code: 'invalid_input', message: d.message, field: d.field } : { code: 'invalid_input', message: d.message } }
    }
    try {
      const handler = handlers[method] as Handler<MethodName>
      const data = await (def.writes === 'record' ? inTransaction(ctx, handler, parsed.data) : handler(parsed.data as never, ctx))
      // after a change: a backup now (bulk) or within 30 minutes; a nested call is part of its caller's
      if (!nested) void maybeBackup(ctx, method)
      return { ok: true, data: data === undefined ? null : data }
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toData() }
      log(`[pingan] ${method} failed: ${e instanceof Error ? e.name + ': ' + e.message.replace(/\d{17}[\dXx]/g, '[身份证号]') : 'unknown'}`)
      return { ok: false, error: { code: 'internal', message: '程序内部出错，操作未完成，数据未改动。请把这条信息告诉技术人员。' } }
    }
  }
  ctx.call = async (method, input) => {
    const r = await run(method, input, true)
    if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.field)
    return r.data as never
  }
  return (method, rawInput) => run(method, rawInput, false)
}
