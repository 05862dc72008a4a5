import { ApiError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/idNumber'
import { uuidv7 } from '../../shared/uuid'
import type { Ctx } from '../context'
import { prepared } from './query'
import type { RecordColumns, RecordTableName } from './types'
import { currentTownshipCode } from '../org/township'
import { operatorName } from '../settings/store'

/**
 * Every change to a record goes through these four functions, so timestamps, tombstones and the
 * audit trail are kept the same way for every register.
 */
type Row = Record<string, unknown>
type Values = Record<string, string | number | null>

const sensitive = new Set(['idNumber'])

function q(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad identifier ${name}`)
  return `"${name}"`
}

function audit(ctx: Ctx, table: RecordTableName, id: string, township: string, action: string, changes: Row): void {
  const masked: Row = {}
  for (const [k, v] of Object.entries(changes)) {
    masked[k] = sensitive.has(k) && Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? maskIdNumber(x) : x)) : v
  }
  prepared(
    ctx.db,
    'INSERT INTO audit (id, at, operator, township, tableName, recordId, action, changes) VALUES (?,?,?,?,?,?,?,?)',
  ).run(uuidv7(), ctx.now(), operatorName(ctx), township, table, id, action, maskIdsInText(JSON.stringify(masked)))
}

/** 身份证号 nested in a JSON column (e.g. mediation parties) are masked in the trail too. */
function maskIdsInText(s: string): string {
  return s.replace(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, (id) => maskIdNumber(id))
}

export function getRow<T = Row>(ctx: Ctx, table: RecordTableName, id: string): (T & RecordColumns) | undefined {
  return prepared(ctx.db, `SELECT * FROM ${q(table)} WHERE id = ?`).get(id) as (T & RecordColumns) | undefined
}

export function getLiveRow<T = Row>(ctx: Ctx, table: RecordTableName, id: string, what: string): T & RecordColumns {
  const row = getRow<T>(ctx, table, id)
  if (!row || row.deletedAt) throw new ApiError('not_found', `找不到这条${what}（可能已被删除）`, 'id')
  return row
}

export function insertRecord(ctx: Ctx, table: RecordTableName, values: Values, id: string = uuidv7()): Row & RecordColumns {
  const now = ctx.now()
  const row: Values = { id, createdAt: now, updatedAt: now, deletedAt: null, township: currentTownshipCode(ctx), ...values }
  const cols = Object.keys(row)
  prepared(ctx.db, `INSERT INTO ${q(table)} (${cols.map(q).join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(
    ...cols.map((c) => row[c]),
  )
  const created: Row = {}
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== '' && v !== '[]') created[k] = [null, v]
  audit(ctx, table, id, row.township as string, 'create', created)
  return getRow(ctx, table, id)!
}

/** Writes only the fields that differ; returns the stored row. An update that changes nothing writes nothing. */
export function updateRecord(ctx: Ctx, table: RecordTableName, id: string, patch: Values, what: string): Row & RecordColumns {
  const old = getLiveRow<Row>(ctx, table, id, what)
  const changes: Row = {}
  const set: Values = {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue
    if (old[k] !== v) {
      set[k] = v
      changes[k] = [old[k] ?? null, v]
    }
  }
  if (Object.keys(set).length === 0) return old
  set.updatedAt = ctx.now()
  const cols = Object.keys(set)
  prepared(ctx.db, `UPDATE ${q(table)} SET ${cols.map((c) => `${q(c)} = ?`).join(', ')} WHERE id = ?`).run(
    ...cols.map((c) => set[c]),
    id,
  )
  audit(ctx, table, id, old.township, 'update', changes)
  return getRow(ctx, table, id)!
}

/** A tombstone, never a DELETE: the record can be restored and the deletion travels in packages. */
export function softDelete(ctx: Ctx, table: RecordTableName, id: string, what: string): { id: string } {
  const old = getLiveRow(ctx, table, id, what)
  const now = ctx.now()
  prepared(ctx.db, `UPDATE ${q(table)} SET deletedAt = ?, updatedAt = ? WHERE id = ?`).run(now, now, id)
  audit(ctx, table, id, old.township, 'delete', { deletedAt: [null, now] })
  return { id }
}

export function restoreRecord(ctx: Ctx, table: RecordTableName, id: string, what: string): Row & RecordColumns {
  const old = getRow(ctx, table, id)
  if (!old) throw new ApiError('not_found', `找不到这条${what}`, 'id')
  if (!old.deletedAt) return old
  const now = ctx.now()
  prepared(ctx.db, `UPDATE ${q(table)} SET deletedAt = NULL, updatedAt = ? WHERE id = ?`).run(now, id)
  audit(ctx, table, id, old.township, 'restore', { deletedAt: [old.deletedAt, null] })
  return getRow(ctx, table, id)!
}
