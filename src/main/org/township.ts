import { ApiError } from '../../shared/errors'
import type { Township } from '../../shared/org/schema'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/** The one township (or county) this database belongs to; null until the first set-up. */
export function readTownship(ctx: Ctx): Township | null {
  const row = prepared(ctx.db, 'SELECT code, name, county, countyCode, mode, createdAt FROM township WHERE id = 1').get() as
    | Township
    | undefined
  return row ?? null
}

export function requireTownship(ctx: Ctx): Township {
  const t = readTownship(ctx)
  if (!t) throw new ApiError('not_setup', '还没有完成初次设置，请先填写乡镇（街道）信息')
  return t
}

/** The code stamped on every record this database creates. */
export function currentTownshipCode(ctx: Ctx): string {
  return requireTownship(ctx).code
}
