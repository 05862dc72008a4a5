import type { SetInfo } from '../../shared/checklist/schema'
import { ApiError } from '../../shared/errors'
import type { StandardSetChoice } from '../../shared/settings/schema'
import type { Ctx } from '../context'
import { loadedSets } from '../checklist/sets'
import { readSettings, writeSetting } from './store'

/**
 * The township's own standards: only the sets it chose apply (the checklist lists them, 文书打印 and
 * the dossier use them), and a set the county sends after the choice applies too, since the county
 * sent it for this township. Before any choice every set applies, and 创建自查 asks.
 */
export function appliesHere(ctx: Ctx, sets: SetInfo[]): SetInfo[] {
  const s = readSettings(ctx)
  if (!s.standardSets) return sets
  const chosen = new Set(s.standardSets)
  const since = s.standardSetsChosenAt ?? ''
  return sets.filter((x) => chosen.has(x.id) || (x.origin === 'imported' && !x.replacesShipped && (x.importedAt ?? '') > since))
}

export function standardSetChoice(ctx: Ctx): StandardSetChoice {
  const sets = loadedSets(ctx).map((x) => x.info)
  return { sets, chosen: readSettings(ctx).standardSets, applied: appliesHere(ctx, sets).map((x) => x.id) }
}

/** Stores the choice (ids checked against the loaded sets); the time is kept only when the choice changes. */
export function chooseStandardSets(ctx: Ctx, ids: string[]): void {
  const known = new Set(loadedSets(ctx).map((x) => x.info.id))
  const unknown = ids.find((id) => !known.has(id))
  if (unknown) throw new ApiError('invalid_input', `没有这个标准集：${unknown.slice(0, 64)}`, 'standardSets')
  const next = [...new Set(ids)]
  const before = readSettings(ctx).standardSets
  if (before && before.length === next.length && before.every((id) => next.includes(id))) return
  writeSetting(ctx, 'standardSets', next)
  writeSetting(ctx, 'standardSetsChosenAt', ctx.now())
}
