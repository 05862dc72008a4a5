import { roleLabels, unitKindLabels, villageKindLabels } from '../../shared/domain'
import { registers } from '../../shared/registers'
import type { Sqlite } from '../db/connection'
import { prepared } from '../db/query'
import { localTime } from '../../shared/localTime'

/**
 * The county's read-only registers show what a clerk would write: names instead of record ids,
 * Chinese labels instead of code values, local times instead of ISO stamps.
 */
const refTables: Record<string, string> = {
  villageId: 'villages',
  gridId: 'grids',
  unitId: 'units',
  leaderId: 'members',
  personId: 'aftercare_people',
}

/** Coded values by table and column: the registers' definitions, and the organisation's kinds. */
const codeLabels: Record<string, Record<string, Record<string, string>>> = {
  villages: { kind: villageKindLabels },
  units: { kind: unitKindLabels },
  ...Object.fromEntries(
    registers.map((r) => [r.table, Object.fromEntries(r.fields.flatMap((f) => (f.options && f.kind === 'enum' ? [[f.key, f.options]] : [])))]),
  ),
}

export function displayRows(db: Sqlite, table: string, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const names = new Map<string, string>()
  const nameOf = (ref: string, id: string): string => {
    const key = `${ref}:${id}`
    let n = names.get(key)
    if (n === undefined) {
      const exists = prepared(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(ref)
      const row = exists ? (prepared(db, `SELECT name FROM "${ref}" WHERE id = ?`).get(id) as { name: string } | undefined) : undefined
      n = row?.name ?? id
      names.set(key, n)
    }
    return n
  }
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...r }
    for (const [k, v] of Object.entries(r)) {
      if (v === null || v === undefined) continue
      if (refTables[k] && typeof v === 'string') out[k] = nameOf(refTables[k], v)
      else if ((k === 'createdAt' || k === 'updatedAt' || k === 'deletedAt') && typeof v === 'string') out[k] = localTime(v)
      else if (k === 'roles' && typeof v === 'string') {
        try {
          out[k] = (JSON.parse(v) as string[]).map((x) => roleLabels[x as keyof typeof roleLabels] ?? x).join('、')
        } catch {
          /* shown as stored */
        }
      } else if (codeLabels[table]?.[k] && typeof v === 'string') out[k] = codeLabels[table]![k]![v] ?? v
    }
    return out
  })
}
