import { fieldOf } from '../registers/define'
import { hazardStatusOptions, hazardsRegister } from '../registers/hazards'
import type { HazardStatus } from './types'

/**
 * The hazard's stage rule, one for the form (what it shows and offers), the handler (what it
 * stores), the Excel import, the county's check of incoming rows and the demo:
 * 待整改 → 整改中 → 已销号, only forward and never out of 已销号; 销号 needs 整改情况, 复查人 and
 * 销号日期; dates in order and none after today; a hazard belongs to a village or a unit.
 */
export type Need = 'required' | 'optional' | 'forbidden'

export interface HazardStage {
  result: Need
  reviewer: Need
  closedOn: Need
}

export function hazardStage(status: HazardStatus): HazardStage {
  return status === 'closed'
    ? { result: 'required', reviewer: 'required', closedOn: 'required' }
    : { result: 'optional', reviewer: 'optional', closedOn: 'forbidden' }
}

const rank: Record<HazardStatus, number> = { open: 0, rectifying: 1, closed: 2 }
const statusLabel = (s: HazardStatus) => hazardStatusOptions[s]
const L = (key: string) => fieldOf(hazardsRegister, key).label

/** Why a hazard may not move from `from` to `to`, or null when it may (the same state is no move). */
export function hazardMoveRefusal(from: HazardStatus, to: HazardStatus): string | null {
  if (from === to) return null
  if (from === 'closed') return `隐患已销号，不能改为「${statusLabel(to)}」`
  if (rank[to] < rank[from]) return `隐患已在${statusLabel(from)}，不能改回「${statusLabel(to)}」`
  return null
}

/** The states a hazard now in `from` may be given (all of them for a new one), in order. */
export function nextHazardStatuses(from: HazardStatus | null): HazardStatus[] {
  return (Object.keys(hazardStatusOptions) as HazardStatus[]).filter((s) => !from || hazardMoveRefusal(from, s) === null)
}

export interface HazardFacts {
  foundOn: string
  villageId: string | null
  unitId: string | null
  deadline: string | null
  result: string
  reviewer: string
  closedOn: string | null
  status: HazardStatus
}

export interface Refusal {
  field: string
  message: string
}

/** Every rule the stored hazard breaks, in form order; empty when it may be stored. */
export function hazardRefusals(h: HazardFacts, today: string): Refusal[] {
  const out: Refusal[] = []
  const bad = (field: string, message: string) => out.push({ field, message })
  const stage = hazardStage(h.status)
  if (h.foundOn > today) bad('foundOn', `${L('foundOn')}不能晚于今天`)
  if (!h.villageId && !h.unitId) bad('villageId', `请选择${L('villageId')}或${L('unitId')}`)
  if (h.deadline && h.deadline < h.foundOn) bad('deadline', `${L('deadline')}不能早于${L('foundOn')}`)
  if (stage.result === 'required' && !h.result?.trim()) bad('result', `销号的隐患请填写${L('result')}`)
  if (stage.reviewer === 'required' && !h.reviewer?.trim()) bad('reviewer', `销号的隐患请填写${L('reviewer')}`)
  if (stage.closedOn === 'required' && !h.closedOn) bad('closedOn', `销号的隐患请填写${L('closedOn')}`)
  else if (stage.closedOn === 'forbidden' && h.closedOn) bad('closedOn', `「${statusLabel(h.status)}」的隐患还没有销号，不能填写${L('closedOn')}；已销号请把${L('status')}改为「已销号」`)
  else if (h.closedOn && h.closedOn < h.foundOn) bad('closedOn', `${L('closedOn')}不能早于${L('foundOn')}`)
  else if (h.closedOn && h.closedOn > today) bad('closedOn', `${L('closedOn')}不能晚于今天`)
  return out
}

/** Not closed and its deadline has passed (a deadline of today is not yet overdue). */
export function isOverdue(h: { status: HazardStatus; deadline: string | null }, today: string): boolean {
  return h.status !== 'closed' && h.deadline !== null && h.deadline < today
}

/** Closed by its deadline; a closed hazard without a deadline counts as on time (按期整改率). */
export function closedOnTime(h: { status: HazardStatus; deadline: string | null; closedOn: string | null }): boolean {
  return h.status === 'closed' && (h.deadline === null || (h.closedOn !== null && h.closedOn <= h.deadline))
}

/** Whole days from `deadline` to `today` (positive once overdue). */
export function daysPast(deadline: string, today: string): number {
  return Math.round((Date.parse(today + 'T00:00:00Z') - Date.parse(deadline + 'T00:00:00Z')) / 86_400_000)
}
