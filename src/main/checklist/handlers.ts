import type { Criterion, StandardSet, TargetKind, ValueCheck } from '../../shared/checklist/catalog'
import { checksFor } from '../../shared/checklist/checks'
import { metrics } from '../../shared/checklist/metrics'
import type { AttestResult, Family, SurveyedValue, ValueLink } from '../../shared/checklist/schema'
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
import { appliesHere } from '../settings/standards'

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

const bad = (message: string, field: string) => new ApiError('invalid_input', message, field)

type Json<T> = Record<string, T>

/** apply a patch of per-key answers: a null removes the key */
function patched<T>(prev: Json<T>, patch: Json<T | null> | undefined): Json<T> {
  const out = { ...prev }
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out
}

function attest(ctx: Ctx, input: ParsedInput<'checklist.attest'>): AttestResult {
  return ctx.db.transaction(() => {
    const { set, criterion } = findCriterion(ctx, input.criterionId)
    const d = new YearData(ctx, input.year)
    // the target must be one this criterion is evaluated for; its kind decides which checks apply
    let target: { kind: TargetKind; entity: string } | null = null
    for (const k of kindsOf(set)) {
      if (!k.criteria.includes(criterion)) continue
      const t = targetsOfKind(set, k.kind, k.label, d).find((x) => x.id === input.targetId)
      if (t) target = { kind: k.kind, entity: t.entity }
    }
    if (target === null) throw new ApiError('not_found', '该创建对象不适用这条标准，或已被删除', 'targetId')
    const checks = checksFor(criterion, target.kind, target.entity).map((x) => x.check)
    const valueChecks = checks.flatMap((c) => (c.kind === 'value' ? [c] : []))
    const keys = valueChecks.map((c) => c.key)
    const attestKeys = checks.flatMap((c) => (c.kind === 'attest' && c.key !== undefined ? [c.key] : []))
    const keyList = (ks: string[]) => ks.join('、') || '无'

    const values: Record<string, number | null> = { ...(input.values ?? {}) }
    if (input.value !== undefined) {
      if (valueChecks.length === 0) throw bad('这条标准没有需要填报的数值', 'value')
      if (valueChecks.length > 1) throw bad(`这条标准有${valueChecks.length}个填报数值（${valueChecks.map((c) => c.label).join('、')}），请分别填写`, 'values')
      values[keys[0]!] = input.value
    }
    for (const [key, v] of Object.entries(values)) {
      const check = valueChecks.find((c) => c.key === key)
      if (!check) throw bad(keys.length ? `不认识的填报数值“${key}”（本条可填：${keys.join('、')}）` : '这条标准没有需要填报的数值', 'values')
      if (v === null) continue
      if (check.unit === '%' && (v < 0 || v > 1)) throw bad(`${check.label}应填 0 到 1 之间的小数（如 92% 填 0.92），现为 ${fmt(v)}`, 'values')
      if (v < 0) throw bad(`${check.label}不能为负数`, 'values')
    }
    if (typeof input.attested === 'boolean' && !checks.some((c) => c.kind === 'attest' && c.key === undefined))
      throw bad(
        attestKeys.length ? `这条标准有${attestKeys.length}个确认项，请分别确认（${keyList(attestKeys)}）` : '这条标准按数值判断，不需要确认“是/否”，请填写数值',
        'attested',
      )
    for (const k of Object.keys(input.attestations ?? {}))
      if (!attestKeys.includes(k)) throw bad(`不认识的确认项“${k}”（本条的确认项：${keyList(attestKeys)}）`, 'attestations')
    for (const k of Object.keys({ ...input.surveys, ...input.links }))
      if (!keys.includes(k)) throw bad(`不认识的填报数值“${k}”，不能填写调查情况或关联（本条可填：${keyList(keys)}）`, input.links?.[k] !== undefined ? 'links' : 'surveys')
    const naList = input.notApplicableKeys ?? (Array.isArray(input.notApplicable) ? input.notApplicable : undefined)
    for (const k of naList ?? [])
      if (!keys.includes(k) && !attestKeys.includes(k))
        throw bad(`不认识的填报数值“${k}”，不能标为不适用（本条可填：${keyList([...keys, ...attestKeys])}）`, input.notApplicableKeys ? 'notApplicableKeys' : 'notApplicable')

    const old = prepared(
      ctx.db,
      'SELECT * FROM checklist_entries WHERE township = ? AND year = ? AND criterionId = ? AND targetId = ? AND deletedAt IS NULL',
    ).get(d.township.code, input.year, input.criterionId, input.targetId) as ChecklistEntriesTable | undefined
    const prev = old ? entryFromRow(old) : null

    // a value is its criterion's own, or taken from another criterion's survey: setting one drops the other
    const figures = patched(prev?.values ?? {}, values)
    let links = patched(prev?.links ?? {}, input.links)
    let surveys = patched(prev?.surveys ?? {}, input.surveys)
    for (const [k, v] of Object.entries(values)) if (v !== null && input.links?.[k] == null) links = patched(links, { [k]: null })
    for (const [k, link] of Object.entries(input.links ?? {})) {
      if (link === null) continue
      if (values[k] != null) throw bad(`“${k}”不能同时填写数值和关联其他条目的调查，请只选一种`, 'links')
      checkLink(d, criterion.id, input.targetId, k, link, valueChecks.find((c) => c.key === k)!)
      delete figures[k]
      surveys = patched(surveys, { [k]: null })
    }

    let whole = prev?.notApplicable ?? false
    let naKeys = prev?.notApplicableKeys ?? []
    if (typeof input.notApplicable === 'boolean') whole = input.notApplicable
    if (naList) naKeys = [...new Set(naList)]
    const reason = (input.notApplicableReason ?? prev?.notApplicableReason ?? '').trim()
    // 不适用 is a judgement an inspector will ask about: it is never saved without its reason
    if ((whole || naKeys.length > 0) && !reason)
      throw bad(whole ? '整条标为不适用时，请写明不适用的原因' : `“${naKeys.join('、')}”标为不适用时，请写明不适用的原因`, 'notApplicableReason')

    const row = {
      attested: input.attested === undefined ? (old?.attested ?? null) : input.attested === null ? null : input.attested ? 1 : 0,
      attestations: JSON.stringify(patched(prev?.attestations ?? {}, input.attestations)),
      figures: JSON.stringify(figures),
      surveys: JSON.stringify(surveys),
      links: JSON.stringify(links),
      notApplicable: JSON.stringify(whole ? ['*', ...naKeys] : naKeys),
      notApplicableReason: whole || naKeys.length ? reason : '',
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

/**
 * A link must name a surveyed value of another criterion for the same target and year, of the same
 * kind of number, that is itself the criterion's own answer (no chains: each link shows its survey).
 */
function checkLink(d: YearData, criterionId: string, targetId: string, key: string, link: ValueLink, check: ValueCheck): void {
  if (link.criterionId === criterionId) throw bad('不能关联本条自己的数值', 'links')
  const src = d.entries.get(`${link.criterionId}|${targetId}`)
  const value = src?.values[link.key]
  if (!src || value === undefined)
    throw bad(`${link.criterionId.slice(0, 80)} 在${d.year}年没有为该创建对象填写“${link.key.slice(0, 64)}”，不能关联`, 'links')
  if (!src.surveys[link.key]) throw bad(`${link.criterionId.slice(0, 80)} 的“${link.key.slice(0, 64)}”没有填写调查情况（调查内容、对象、日期），不能供其他条目关联`, 'links')
  const srcCheck = sourceCheck(d, link)
  if (srcCheck && (srcCheck.unit ?? null) !== (check.unit ?? null))
    throw bad(`“${srcCheck.label}”与“${check.label}”不是同一种数（单位不同），不能关联`, 'links')
  if (check.unit === '%' && (value < 0 || value > 1)) throw bad('关联的数值不是百分比', 'links')
  void key
}

function sourceCheck(d: YearData, link: ValueLink): ValueCheck | null {
  const setId = link.criterionId.split('.')[0] ?? ''
  const set = loadedSets(d.ctx).find((s) => s.set.id === setId)?.set
  const c = set?.criteria.find((x) => x.id === link.criterionId)
  const found = c?.checks.find((k) => k.kind === 'value' && k.key === link.key)
  if (found?.kind === 'value') return found
  const m = c?.checks.find((k) => k.kind === 'metric' && k.metric === link.key)
  if (m?.kind === 'metric') return { kind: 'value', key: m.metric, op: m.op, threshold: m.threshold, unit: metrics[m.metric].unit, label: m.label }
  return null
}

/** every surveyed value of a target in a year, across the loaded sets: what another value may be linked to */
function surveyedValues(ctx: Ctx, input: ParsedInput<'checklist.surveys'>): SurveyedValue[] {
  const d = new YearData(ctx, input.year)
  const out: SurveyedValue[] = []
  for (const e of d.entries.values()) {
    if (e.targetId !== input.targetId) continue
    for (const [key, survey] of Object.entries(e.surveys)) {
      const value = e.values[key]
      if (value === undefined) continue
      const setId = e.criterionId.split('.')[0] ?? ''
      const check = sourceCheck(d, { criterionId: e.criterionId, key })
      out.push({ setId, criterionId: e.criterionId, key, label: check?.label ?? key, unit: check?.unit ?? null, value, survey })
    }
  }
  return out.sort((a, b) => (a.criterionId < b.criterionId ? -1 : a.criterionId > b.criterionId ? 1 : a.key < b.key ? -1 : 1))
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
  | 'checklist.surveys'
  | 'checklist.importSet'
  | 'families.create'
  | 'families.list'
  | 'families.update'
  | 'families.delete'
  | 'families.restore'
> = {
  // only the sets the township chose in 设置 (and those the county sent since): issue 14
  'checklist.sets': (_input, ctx) => appliesHere(ctx, loadedSets(ctx).map((s) => s.info)),
  'checklist.criteria': (input, ctx) => getSet(ctx, input.setId).criteria,
  'checklist.evaluate': (input, ctx) => {
    const set = getSet(ctx, input.setId)
    return evaluateSet(new YearData(ctx, input.year), set, input.targetId === undefined ? {} : { targetId: input.targetId })
  },
  'checklist.attest': (input, ctx) => attest(ctx, input),
  'checklist.surveys': (input, ctx) => surveyedValues(ctx, input),
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
