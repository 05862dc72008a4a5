/**
 * The checks a criterion puts to one concrete target, as the clerk answers them. Both the engine and
 * the answer handler use this, so what is shown is exactly what may be entered.
 *
 * No Node, no DOM: shared by main and renderer.
 */

import { checkApplies, type Check, type Criterion, type TargetKind } from './catalog'
import { metrics } from './metrics'

export interface TargetCheck {
  /** the check as evaluated for this target */
  check: Check
  /** its position in the criterion */
  index: number
  /** a register metric asked of a unit as its own figure (cases and people belong to villages) */
  entered: boolean
}

/**
 * The criterion's checks that apply to a target of kind `kind` held by `entity` (a unit, a village…).
 * A unit is judged on its own records: a metric counted from villages' records (调解率, 帮教率 …)
 * becomes a value the clerk enters for the unit, under the metric's name, never its village's figure.
 */
export function checksFor(c: Criterion, kind: TargetKind, entity: string): TargetCheck[] {
  return c.checks.flatMap((check, index): TargetCheck[] => {
    if (!checkApplies(check, kind)) return []
    if (check.kind === 'metric' && entity === 'unit' && 'byVillage' in metrics[check.metric]) {
      const def = metrics[check.metric]
      const asked: Check = {
        kind: 'value',
        key: check.metric,
        op: check.op,
        threshold: check.threshold,
        unit: def.unit,
        label: `${check.label}（本单位填报）`,
        ...(check.words ? { words: check.words } : {}),
      }
      return [{ check: asked, index, entered: true }]
    }
    return [{ check, index, entered: false }]
  })
}

/** the keys a clerk may answer or mark 不适用: value keys and keyed attestations */
export function answerKeys(checks: readonly TargetCheck[]): string[] {
  return checks.flatMap((x) => (x.check.kind === 'metric' || x.check.key === undefined ? [] : [x.check.key]))
}
