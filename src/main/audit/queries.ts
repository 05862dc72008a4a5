import { contract } from '../../shared/api/contract'
import type { AuditAction, AuditChange, AuditEntry, AuditFilters } from '../../shared/audit/schema'
import { maskIdNumber } from '../../shared/idNumber'
import type { Ctx } from '../context'
import type { Sqlite } from '../db/connection'
import { all, first, prepared } from '../db/query'
import { recordTableLabels, recordTables } from '../db/tables'
import { registers } from '../../shared/registers'
import type { RecordTableName } from '../db/types'
import { Namer, recordLabelText, timeText, valueText, type DateStyle } from './describe'

/**
 * The audit trail as the clerk reads it (操作记录 screen, dossier appendix, county packages):
 * filtered and paged in SQL, changed fields with their Chinese names, 身份证号 masked.
 */
export interface AuditFilter {
  recordId?: string
  tableName?: string
  operator?: string
  action?: AuditAction
  /** local calendar dates, inclusive */
  from?: string
  to?: string
  offset?: number
  limit?: number
}

const ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g

/** Masks every 18-character ID number inside a stored value, however deep (e.g. a party list's JSON). */
export function maskIds(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(ID_IN_TEXT, (id) => maskIdNumber(id))
  if (Array.isArray(v)) return v.map(maskIds)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskIds(x)]))
  return v
}

/** Local midnight of a YYYY-MM-DD date as the UTC ISO string the trail is stored in. */
function localDayStart(date: string, addDays = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d + addDays).toISOString()
}

const baseLabels: Record<string, string> = { createdAt: '创建时间', updatedAt: '修改时间', deletedAt: '删除时间', township: '乡镇（街道）' }

let labelCache: Map<string, Record<string, string>> | null = null
/** Field names per method prefix, gathered from the contract's label maps. */
function labelsFor(table: string): Record<string, string> {
  if (!labelCache) {
    labelCache = new Map()
    const all: Record<string, string> = {}
    for (const [name, def] of Object.entries(contract)) {
      const prefix = name.slice(0, name.indexOf('.'))
      const m = labelCache.get(prefix) ?? {}
      for (const [k, v] of Object.entries(def.labels)) {
        if (!(k in m)) m[k] = v
        if (!(k in all)) all[k] = v
      }
      labelCache.set(prefix, m)
    }
    labelCache.set('*', all)
  }
  const prefix = table.split('_')[0]!
  const specific = labelCache.get(prefix) ?? labelCache.get(prefix.replace(/s$/, '')) ?? {}
  return { ...labelCache.get('*'), ...specific, ...baseLabels }
}

/** Tables audited besides the registers (a county's re-keying of a township is recorded on package_keys). */
const otherTableLabels: Record<string, string> = { package_keys: '数据包签名密钥', township: '乡镇（街道）设置', settings: '设置' }
const tableLabel = (name: string) => recordTableLabels[name as RecordTableName] ?? otherTableLabels[name] ?? name

const NAME_COLUMNS = ['name', 'caseNo', 'date', 'receivedOn', 'title']
const nameColumnCache = new WeakMap<Sqlite, Map<string, string | null>>()
function nameColumn(db: Sqlite, table: RecordTableName): string | null {
  let m = nameColumnCache.get(db)
  if (!m) nameColumnCache.set(db, (m = new Map()))
  if (!m.has(table)) {
    const cols = new Set((db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name))
    const declared = registers.find((r) => r.table === table)?.nameField
    m.set(table, declared && cols.has(declared) ? declared : (NAME_COLUMNS.find((c) => cols.has(c)) ?? null))
  }
  return m.get(table)!
}

function recordLabel(ctx: Ctx, table: string, id: string, style: DateStyle): string {
  if (!(recordTables as readonly string[]).includes(table)) return ''
  const col = nameColumn(ctx.db, table as RecordTableName)
  if (!col) return ''
  const row = prepared(ctx.db, `SELECT "${col}" AS v FROM "${table}" WHERE id = ?`).get(id) as { v: unknown } | undefined
  return row && row.v !== null && row.v !== undefined ? recordLabelText(String(maskIds(row.v)), style) : ''
}

function parseChanges(table: string, raw: string, namer: Namer): AuditChange[] {
  let obj: Record<string, unknown>
  try {
    obj = JSON.parse(raw) as Record<string, unknown>
  } catch {
    return []
  }
  const labels = labelsFor(table)
  return Object.entries(obj).map(([field, v]) => {
    const pair = Array.isArray(v) && v.length === 2 ? v : [null, v]
    const old = maskIds(pair[0])
    const now = maskIds(pair[1])
    return { field, label: labels[field] ?? field, old, new: now, oldText: valueText(table, field, old, namer), newText: valueText(table, field, now, namer) }
  })
}

/** The clerk's filters, composed with the query builder (docs/architecture.md: Kysely for input-shaped queries). */
function filtered(ctx: Ctx, f: AuditFilter) {
  let q = ctx.k.selectFrom('audit')
  if (f.recordId) q = q.where('recordId', '=', f.recordId)
  if (f.tableName) q = q.where('tableName', '=', f.tableName)
  if (f.operator) q = q.where('operator', '=', f.operator)
  if (f.action) q = q.where('action', '=', f.action)
  if (f.from) q = q.where('at', '>=', localDayStart(f.from))
  if (f.to) q = q.where('at', '<', localDayStart(f.to, 1))
  return q
}

interface Row {
  id: string
  at: string
  operator: string
  township: string
  tableName: string
  recordId: string
  action: AuditAction
  changes: string
}

/** Newest first; dates as the screens write them, or (for the dossier) as Word documents do. */
export function listAudit(ctx: Ctx, f: AuditFilter, style: DateStyle = 'screen'): { rows: AuditEntry[]; total: number } {
  const base = filtered(ctx, f)
  const total = (first(ctx.db, base.select((eb) => eb.fn.countAll<number>().as('n'))) as { n: number } | undefined)?.n ?? 0
  const rows = all(ctx.db, base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit ?? 100).offset(f.offset ?? 0)) as Row[]
  const namer = new Namer(ctx, style)
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      atText: timeText(r.at, style),
      operator: r.operator,
      township: r.township,
      tableName: r.tableName,
      tableLabel: tableLabel(r.tableName),
      recordId: r.recordId,
      recordLabel: recordLabel(ctx, r.tableName, r.recordId, style),
      action: r.action,
      changes: parseChanges(r.tableName, r.changes, namer),
    })),
  }
}

/** Every matching entry, oldest first, for the dossier appendix (bounded). */
export function auditForDossier(ctx: Ctx, f: Omit<AuditFilter, 'offset' | 'limit'>, max = 5000): AuditEntry[] {
  return listAudit(ctx, { ...f, offset: 0, limit: max }, 'word').rows.reverse()
}

export function auditFilters(ctx: Ctx): AuditFilters {
  const operators = (prepared(ctx.db, 'SELECT DISTINCT operator FROM audit ORDER BY operator').all() as { operator: string }[]).map((r) => r.operator)
  const names = (prepared(ctx.db, 'SELECT DISTINCT tableName FROM audit ORDER BY tableName').all() as { tableName: string }[]).map((r) => r.tableName)
  return { operators, tables: names.map((name) => ({ name, label: tableLabel(name) })) }
}
