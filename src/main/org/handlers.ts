
import { ApiError } from '../../shared/errors'
import type { Grid, Unit, Village } from '../../shared/org/schema'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { contains, page } from '../db/paging'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import { readTownship } from './township'
import type { GridsTable, UnitsTable, VillagesTable } from '../db/types'
import { checkVillage } from './refs'
import { ensureSigningKey } from '../handoff/signing'
import { villageHolders } from '../db/tables'
import { registers } from '../../shared/registers'

type Patch = Record<string, string | number | null>

function patchOf(input: Record<string, unknown>): Patch {
  const p: Patch = {}
  for (const [k, v] of Object.entries(input)) if (k !== 'id' && v !== undefined) p[k] = v as string | number | null
  return p
}

function uniqueName(ctx: Ctx, table: 'villages' | 'grids' | 'units', name: string, selfId: string | null, scope?: { col: 'villageId'; value: string }): void {
  const extra = scope ? ` AND ${scope.col} = @scope` : ''
  const dup = prepared(ctx.db, `SELECT id FROM ${table} WHERE name = @name AND deletedAt IS NULL AND id IS NOT @self${extra}`).get({
    name,
    self: selfId,
    ...(scope ? { scope: scope.value } : {}),
  })
  const what = table === 'villages' ? '村（社区）' : table === 'grids' ? '该村（社区）下的网格' : '单位'
  if (dup) throw new ApiError('duplicate', `已有同名的${what}「${name}」`, 'name')
}

/**
 * What still hangs on a village; a village with any of it cannot be deleted. The registers that hold
 * a village come from their definitions (villageHolders), so a new register is counted without a
 * change here; members first, then the village's grids and units, as the message always said.
 */
const orgHolders = [
  { table: 'grids', field: 'villageId', countWord: '个网格' },
  { table: 'units', field: 'villageId', countWord: '个单位' },
] as const
const holders = [...villageHolders.filter((h) => h.table === 'members'), ...orgHolders, ...villageHolders.filter((h) => h.table !== 'members')]

/** Registers whose records name a unit (members, hazards): a unit they hold cannot be deleted. */
const unitHolders = registers.flatMap((r) => r.fields.filter((f) => f.kind === 'unit').map((f) => ({ table: r.table, field: f.key, countWord: r.countWord })))

function heldBy(ctx: Ctx, id: string): string[] {
  const held: string[] = []
  for (const h of holders) {
    const c = (prepared(ctx.db, `SELECT count(*) AS n FROM "${h.table}" WHERE "${h.field}" = ? AND deletedAt IS NULL`).get(id) as { n: number }).n
    if (c) held.push(`${c}${h.countWord}`)
  }
  return held
}

const orgSort = { name: 'name', kind: 'kind', households: 'households', population: 'population', headcount: 'headcount', createdAt: 'createdAt' }

export const orgHandlers: HandlerMap<
  | 'township.get'
  | 'township.setup'
  | 'villages.create'
  | 'villages.get'
  | 'villages.list'
  | 'villages.update'
  | 'villages.delete'
  | 'villages.restore'
  | 'grids.create'
  | 'grids.list'
  | 'grids.update'
  | 'grids.delete'
  | 'grids.restore'
  | 'units.create'
  | 'units.list'
  | 'units.update'
  | 'units.delete'
  | 'units.restore'
> = {
  'township.get': (_input, ctx) => readTownship(ctx),
  'township.setup': (input, ctx) =>
    ctx.db.transaction(() => {
      if (readTownship(ctx)) throw new ApiError('conflict', '本机已完成初次设置，不能重复设置', 'code')
      const countyCode = input.mode === 'county' ? input.code : input.countyCode || input.code.slice(0, 6)
      const name = input.mode === 'county' ? input.name?.trim() || input.county : input.name!.trim()
      prepared(ctx.db, 'INSERT INTO township (id, code, name, county, countyCode, mode, createdAt) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
        input.code,
        name,
        input.county,
        countyCode,
        input.mode,
        ctx.now(),
      )
      // the installation's package signing key is made with the township (a failure undoes the set-up)
      ensureSigningKey(ctx.dataDir)
      return readTownship(ctx)!
    })(),

  'villages.create': (input, ctx) =>
    ctx.db.transaction(() => {
      uniqueName(ctx, 'villages', input.name, null)
      return insertRecord(ctx, 'villages', patchOf(input)) as unknown as Village
    })(),
  'villages.get': (input, ctx) => getLiveRow<VillagesTable>(ctx, 'villages', input.id, '村（社区）') as Village,
  'villages.list': (input, ctx) => {
    const f = input.filters ?? {}
    let base = ctx.k.selectFrom('villages')
    if (!input.includeDeleted) base = base.where('deletedAt', 'is', null)
    if (f.kind) base = base.where('kind', '=', f.kind)
    if (f.name) base = base.where(contains('name', f.name))
    if (input.q) base = base.where(contains('name', input.q))
    const r = page(ctx.db, base, (q) => q.selectAll(), { ...input, sort: input.sort ?? [{ field: 'name', dir: 'asc' }], limit: input.limit ?? 1000 }, orgSort, 'id')
    return r as { rows: Village[]; total: number }
  },
  'villages.update': (input, ctx) =>
    ctx.db.transaction(() => {
      if (input.name) uniqueName(ctx, 'villages', input.name, input.id)
      return updateRecord(ctx, 'villages', input.id, patchOf(input), '村（社区）') as unknown as Village
    })(),
  'villages.delete': (input, ctx) =>
    ctx.db.transaction(() => {
      const v = getLiveRow<VillagesTable>(ctx, 'villages', input.id, '村（社区）')
      const held = heldBy(ctx, input.id)
      if (held.length)
        throw new ApiError('conflict', `「${v.name}」下还有${held.join('、')}，请先移走或删除这些记录后再删除`, 'id')
      return softDelete(ctx, 'villages', input.id, '村（社区）')
    })(),
  'villages.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const v = getRow<VillagesTable>(ctx, 'villages', input.id)
      if (v?.deletedAt) uniqueName(ctx, 'villages', v.name, v.id)
      return restoreRecord(ctx, 'villages', input.id, '村（社区）') as unknown as Village
    })(),

  'grids.create': (input, ctx) =>
    ctx.db.transaction(() => {
      checkVillage(ctx, input.villageId)
      uniqueName(ctx, 'grids', input.name, null, { col: 'villageId', value: input.villageId })
      return insertRecord(ctx, 'grids', patchOf(input)) as unknown as Grid
    })(),
  'grids.list': (input, ctx) => {
    const f = input.filters ?? {}
    let base = ctx.k.selectFrom('grids')
    if (!input.includeDeleted) base = base.where('deletedAt', 'is', null)
    if (f.villageId) base = base.where('villageId', '=', f.villageId)
    if (f.name) base = base.where(contains('name', f.name))
    if (input.q) base = base.where(contains('name', input.q))
    return page(ctx.db, base, (q) => q.selectAll(), { ...input, sort: input.sort ?? [{ field: 'name', dir: 'asc' }], limit: input.limit ?? 1000 }, orgSort, 'id') as {
      rows: Grid[]
      total: number
    }
  },
  'grids.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getLiveRow<GridsTable>(ctx, 'grids', input.id, '网格')
      const villageId = input.villageId ?? old.villageId
      checkVillage(ctx, villageId)
      if (input.name || input.villageId) uniqueName(ctx, 'grids', input.name ?? old.name, input.id, { col: 'villageId', value: villageId })
      return updateRecord(ctx, 'grids', input.id, patchOf(input), '网格') as unknown as Grid
    })(),
  'grids.delete': (input, ctx) =>
    ctx.db.transaction(() => {
      const g = getLiveRow<GridsTable>(ctx, 'grids', input.id, '网格')
      const n = (prepared(ctx.db, 'SELECT count(*) AS n FROM members WHERE gridId = ? AND deletedAt IS NULL').get(input.id) as { n: number }).n
      if (n) throw new ApiError('conflict', `网格「${g.name}」下还有${n}名成员，请先调整他们的网格后再删除`, 'id')
      return softDelete(ctx, 'grids', input.id, '网格')
    })(),
  'grids.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const g = getRow<GridsTable>(ctx, 'grids', input.id)
      if (g?.deletedAt) {
        checkVillage(ctx, g.villageId)
        uniqueName(ctx, 'grids', g.name, g.id, { col: 'villageId', value: g.villageId })
      }
      return restoreRecord(ctx, 'grids', input.id, '网格') as unknown as Grid
    })(),

  'units.create': (input, ctx) =>
    ctx.db.transaction(() => {
      checkVillage(ctx, input.villageId)
      uniqueName(ctx, 'units', input.name, null)
      return insertRecord(ctx, 'units', patchOf({ ...input, villageId: input.villageId ?? null })) as unknown as Unit
    })(),
  'units.list': (input, ctx) => {
    const f = input.filters ?? {}
    let base = ctx.k.selectFrom('units')
    if (!input.includeDeleted) base = base.where('deletedAt', 'is', null)
    if (f.villageId) base = base.where('villageId', '=', f.villageId)
    if (f.kind) base = base.where('kind', '=', f.kind)
    if (f.name) base = base.where(contains('name', f.name))
    if (input.q) base = base.where(contains('name', input.q))
    return page(ctx.db, base, (q) => q.selectAll(), { ...input, sort: input.sort ?? [{ field: 'name', dir: 'asc' }], limit: input.limit ?? 1000 }, orgSort, 'id') as {
      rows: Unit[]
      total: number
    }
  },
  'units.update': (input, ctx) =>
    ctx.db.transaction(() => {
      checkVillage(ctx, input.villageId)
      if (input.name) uniqueName(ctx, 'units', input.name, input.id)
      return updateRecord(ctx, 'units', input.id, patchOf(input), '单位') as unknown as Unit
    })(),
  'units.delete': (input, ctx) =>
    ctx.db.transaction(() => {
      const u = getLiveRow<UnitsTable>(ctx, 'units', input.id, '单位')
      const held = unitHolders.flatMap((h) => {
        const n = (prepared(ctx.db, `SELECT count(*) AS n FROM "${h.table}" WHERE "${h.field}" = ? AND deletedAt IS NULL`).get(input.id) as { n: number }).n
        return n ? [`${n}${h.countWord}`] : []
      })
      if (held.length) throw new ApiError('conflict', `单位「${u.name}」下还有${held.join('、')}，请先调整后再删除`, 'id')
      return softDelete(ctx, 'units', input.id, '单位')
    })(),
  'units.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const u = getRow<UnitsTable>(ctx, 'units', input.id)
      if (u?.deletedAt) {
        checkVillage(ctx, u.villageId)
        uniqueName(ctx, 'units', u.name, u.id)
      }
      return restoreRecord(ctx, 'units', input.id, '单位') as unknown as Unit
    })(),
}

