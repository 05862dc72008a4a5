import type { Criterion, StandardSet, TargetKind } from '../../shared/checklist/catalog'
import { checkApplies } from '../../shared/checklist/catalog'
import type { AttestResult, Family } from '../../shared/checklist/schema'
import { ApiError } from '../../shared/errors'
import type { ParsedInput } from '../../shared/api/contract'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { contains, page } from '../db/paging'
import { prepared } from '../db/query'
import { getLiveRow, getRow, insertRecord, restoreRecord, softDelete, updateRecord } from '../db/records'
import type { ChecklistEntriesTable, FamiliesTable } from './table'
import { checkVillage } from '../org/refs'
import { entryFromRow, evaluateSet, kindsOf, targetsOfKind, YearData } from './evaluate'
import { getSet, importSet, loadedSets } from './sets'

// ---------------------------------------------------------------------------------------------
// checklist.attest

function findCriterion(ctx: Ctx, criterionId: string): { set: StandardSet; criterion: Criterion } {
  const setId = criterionId.split('.')[0] ?? ''
  const set = loadedSets(ctx).find((s) => s.set.id === setId)?.set
  const criterion = set?.criteria.find((c) => c.id === criterionId)
  if (!set || !criterion) throw new ApiError('not_found', `没有这条标准：${criterionId.slice(0, 80)}`, 'criterionId')
  return { set, criterion }
}

function fmt(v: number): string {
  return String(Math.round(v * 1e6) / 1e6)
}

function attest(ctx: Ctx, input: ParsedInput<'checklist.attest'>): AttestResult {
  return ctx.db.transaction(() => {
    const { set, criterion } = findCriterion(ctx, input.criterionId)
    const d = new YearData(ctx, input.year)
    // the target must be one this criterion is evaluated for; its kind decides which checks apply
    let kind: TargetKind | null = null
    for (const k of kindsOf(set)) {
      if (!k.criteria.includes(criterion)) continue
      if (targetsOfKind(set, k.kind, k.label, d).some((t) => t.id === input.targetId)) kind = k.kind
    }
    if (kind === null) throw new ApiError('not_found', '该创建对象不适用这条标准，或已被删除', 'targetId')
    const checks = criterion.checks.filter((c) => checkApplies(c, kind))
    const valueChecks = checks.flatMap((c) => (c.kind === 'value' ? [c] : []))
    const keys = valueChecks.map((c) => c.key)

    const values: Record<string, number | null> = { ...(input.values ?? {}) }
    if (input.value !== undefined) {
      if (valueChecks.length === 0) throw new ApiError('invalid_input', '这条标准没有需要填报的数值', 'value')
      if (valueChecks.length > 1)
        throw new ApiError('invalid_input', `这条标准有${valueChecks.length}个填报数值（${valueChecks.map((c) => c.label).join('、')}），请分别填写`, 'values')
      values[keys[0]!] = input.value
    }
    for (const [key, v] of Object.entries(values)) {
      const check = valueChecks.find((c) => c.key === key)
      if (!check)
        throw new ApiError('invalid_input', keys.length ? `不认识的填报数值“${key}”（本条可填：${keys.join('、')}）` : '这条标准没有需要填报的数值', 'values')
      if (v === null) continue
      if (check.unit === '%' && (v < 0 || v > 1))
        throw new ApiError('invalid_input', `${check.label}应填 0 到 1 之间的小数（如 92% 填 0.92），现为 ${fmt(v)}`, 'values')
      if (v < 0) throw new ApiError('invalid_input', `${check.label}不能为负数`, 'values')
    }
    if (typeof input.attested === 'boolean' && !checks.some((c) => c.kind === 'attest'))
      throw new ApiError('invalid_input', '这条标准按数值判断，不需要确认“是/否”，请填写数值', 'attested')
    if (Array.isArray(input.notApplicable))
      for (const k of input.notApplicable)
        if (!keys.includes(k)) throw new ApiError('invalid_input', `不认识的填报数值“${k}”，不能标为不适用（本条可填：${keys.join('、') || '无'}）`, 'notApplicable')

    const old = prepared(
      ctx.db,
      'SELECT * FROM checklist_entries WHERE township = ? AND year = ? AND criterionId = ? AND targetId = ? AND deletedAt IS NULL',
    ).get(d.township.code, input.year, input.criterionId, input.targetId) as ChecklistEntriesTable | undefined
    const prev = old ? entryFromRow(old) : null

    const figures: Record<string, number> = { ...(prev?.values ?? {}) }
    for (const [k, v] of Object.entries(values)) {
      if (v === null) delete figures[k]
      else figures[k] = v
    }
    let whole = prev?.notApplicable ?? false
    let naKeys = prev?.notApplicableKeys ?? []
    if (typeof input.notApplicable === 'boolean') whole = input.notApplicable
    else if (Array.isArray(input.notApplicable)) naKeys = [...new Set(input.notApplicable)]
    const row = {
      attested: input.attested === undefined ? (old?.attested ?? null) : input.attested === null ? null : input.attested ? 1 : 0,
      figures: JSON.stringify(figures),
      notApplicable: JSON.stringify(whole ? ['*', ...naKeys] : naKeys),
      note: input.note ?? old?.note ?? '',
      evidence: input.evidence ?? old?.evidence ?? '',
    }
    if (old) updateRecord(ctx, 'checklist_entries', old.id, row, '自查记录')
    else insertRecord(ctx, 'checklist_entries', { criterionId: input.criterionId, targetId: input.targetId, year: input.year, ...row })

    const ev = evaluateSet(new YearData(ctx, input.year), set, { targetId: input.targetId })
    const result = ev.results.find((r) => r.criterionId === input.criterionId)!
    return { entry: result.entry!, result }
  })()
}

// ---------------------------------------------------------------------------------------------
// families

type FamilyRow = FamiliesTable & { villageName: string | null }

function familyOf(ctx: Ctx, id: string): Family {
  return prepared(ctx.db, 'SELECT f.*, v.name AS villageName FROM families f LEFT JOIN villages v ON v.id = f.villageId WHERE f.id = ?').get(id) as FamilyRow
}

function uniqueFamily(ctx: Ctx, name: string, villageId: string, selfId: string | null): void {
  const dup = prepared(ctx.db, 'SELECT id FROM families WHERE name = ? AND villageId = ? AND deletedAt IS NULL AND id IS NOT ?').get(name, villageId, selfId)
  if (dup) throw new ApiError('duplicate', `该村（社区）已申报过「${name}」`, 'name')
}

type Patch = Record<string, string | number | null>
function patchOf(input: Record<string, unknown>): Patch {
  const p: Patch = {}
  for (const [k, v] of Object.entries(input)) if (k !== 'id' && v !== undefined) p[k] = v as string | number | null
  return p
}

const familySort = { name: 'f.name', householder: 'f.householder', declaredOn: 'f.declaredOn', villageName: 'v.name', createdAt: 'f.createdAt' }

export const checklistHandlers: HandlerMap<
  | 'checklist.sets'
  | 'checklist.criteria'
  | 'checklist.evaluate'
  | 'checklist.attest'
  | 'checklist.importSet'
  | 'families.create'
  | 'families.list'
  | 'families.update'
  | 'families.delete'
  | 'families.restore'
> = {
  'checklist.sets': (_input, ctx) => loadedSets(ctx).map((s) => s.info),
  'checklist.criteria': (input, ctx) => getSet(ctx, input.setId).criteria,
  'checklist.evaluate': (input, ctx) => {
    const set = getSet(ctx, input.setId)
    return evaluateSet(new YearData(ctx, input.year), set, input.targetId === undefined ? {} : { targetId: input.targetId })
  },
  'checklist.attest': (input, ctx) => attest(ctx, input),
  'checklist.importSet': (input, ctx) => importSet(ctx, input.json),

  'families.create': (input, ctx) =>
    ctx.db.transaction(() => {
      checkVillage(ctx, input.villageId)
      uniqueFamily(ctx, input.name, input.villageId, null)
      const row = insertRecord(ctx, 'families', patchOf(input))
      return familyOf(ctx, row.id)
    })(),
  'families.list': (input, ctx) => {
    const f = input.filters ?? {}
    let base = ctx.k.selectFrom('families as f').leftJoin('villages as v', 'v.id', 'f.villageId')
    if (!input.includeDeleted) base = base.where('f.deletedAt', 'is', null)
    if (f.villageId) base = base.where('f.villageId', '=', f.villageId)
    if (f.name) base = base.where(contains('f.name', f.name))
    if (input.q) base = base.where((eb) => eb.or([contains('f.name', input.q!), contains('f.householder', input.q!), contains('v.name', input.q!)]))
    return page(
      ctx.db,
      base,
      (q) => q.selectAll('f').select('v.name as villageName'),
      { ...input, sort: input.sort ?? [{ field: 'villageName', dir: 'asc' }, { field: 'name', dir: 'asc' }], limit: input.limit ?? 1000 },
      familySort,
      'f.id',
    ) as { rows: Family[]; total: number }
  },
  'families.update': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getLiveRow<FamiliesTable>(ctx, 'families', input.id, '平安家庭')
      const villageId = input.villageId ?? old.villageId
      checkVillage(ctx, villageId)
      uniqueFamily(ctx, input.name ?? old.name, villageId, input.id)
      updateRecord(ctx, 'families', input.id, patchOf(input), '平安家庭')
      return familyOf(ctx, input.id)
    })(),
  'families.delete': (input, ctx) => ctx.db.transaction(() => softDelete(ctx, 'families', input.id, '平安家庭'))(),
  'families.restore': (input, ctx) =>
    ctx.db.transaction(() => {
      const old = getRow<FamiliesTable>(ctx, 'families', input.id)
      if (old?.deletedAt) {
        checkVillage(ctx, old.villageId)
        uniqueFamily(ctx, old.name, old.villageId, old.id)
      }
      restoreRecord(ctx, 'families', input.id, '平安家庭')
      return familyOf(ctx, input.id)
    })(),
}
