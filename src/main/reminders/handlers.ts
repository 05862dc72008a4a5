import { caseStatusLabels, type CaseStatus } from '../../shared/mediation/schema'
import {
  CASE_SETTLE_MONTHS,
  ENDING_WITHIN_DAYS,
  FOLLOW_UP_DAYS,
  JUDICIAL_CONFIRMATION_DAYS,
  reminderKinds,
  type Reminder,
  type ReminderKind,
  type ReminderList,
} from '../../shared/reminders/schema'
import { HANDOVER_DAYS } from '../../shared/aftercare/schema'
import { hazardCategoryOptions } from '../../shared/registers/hazards'
import { daysPast } from '../../shared/hazards/stage'
import type { HazardCategory } from '../../shared/hazards/types'
import type { HandlerMap } from '../api/handlers-type'
import type { Ctx } from '../context'
import { prepared } from '../db/query'

/** Late 衔接 already done stays on the list this long after release, so it can be explained. */
const LATE_HANDOVER_SHOWN_DAYS = 90

function addDays(iso: string, n: number): string {
  const d = new Date(iso + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000)
}

function quarterOf(today: string): { start: string; end: string; label: string } {
  const y = Number(today.slice(0, 4))
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3)
  const start = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`
  const endMonth = q * 3 + 3
  const end = new Date(Date.UTC(y, endMonth, 0)).toISOString().slice(0, 10)
  return { start, end, label: `${y}年第${'一二三四'[q]}季度` }
}

interface Scope {
  today: string
  villageId?: string
  township?: string
}

function scopeSql(s: Scope, t: string): string {
  return (s.villageId ? ` AND ${t}.villageId = @villageId` : '') + (s.township ? ` AND ${t}.township = @township` : '')
}

function params(s: Scope, extra: Record<string, string | number> = {}) {
  return { today: s.today, ...(s.villageId ? { villageId: s.villageId } : {}), ...(s.township ? { township: s.township } : {}), ...extra }
}

type CaseRow = { id: string; caseNo: string; status: CaseStatus; receivedOn: string; closedOn: string | null; villageName: string | null; summary: string }
type HazardRow = { id: string; location: string; category: HazardCategory; deadline: string; villageName: string | null; unitName: string | null }
type PersonRow = { id: string; name: string; releasedOn: string; aftercareUntil: string; handoverOn: string | null; villageName: string | null; lastVisitOn: string | null }

const collectors: Record<ReminderKind, (ctx: Ctx, s: Scope) => Reminder[]> = {
  case_overdue: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT c.id, c.caseNo, c.status, c.receivedOn, c.closedOn, c.summary, v.name AS villageName,
         date(c.receivedOn, '+${CASE_SETTLE_MONTHS} months') AS due FROM mediation_cases c
       LEFT JOIN villages v ON v.id = c.villageId
       WHERE c.status IN ('pending', 'mediating') AND c.deletedAt IS NULL
         AND date(c.receivedOn, '+${CASE_SETTLE_MONTHS} months') < @today${scopeSql(s, 'c')}`,
    ).all(params(s)) as (CaseRow & { due: string })[]
    return rows.map((c) => {
      return {
        kind: 'case_overdue',
        register: 'mediation',
        recordId: c.id,
        title: c.caseNo,
        detail: `${c.receivedOn}受理，已超过一个月仍${caseStatusLabels[c.status]}，人民调解一般应在一个月内调结`,
        dueOn: c.due,
        overdue: true,
        villageName: c.villageName,
      }
    })
  },
  judicial_confirmation: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT c.id, c.caseNo, c.status, c.receivedOn, c.closedOn, c.summary, v.name AS villageName FROM mediation_cases c
       LEFT JOIN villages v ON v.id = c.villageId
       WHERE c.status = 'success' AND c.agreementForm = 'written' AND c.deletedAt IS NULL
         AND c.closedOn <= @today AND c.closedOn >= @windowStart${scopeSql(s, 'c')}`,
    ).all(params(s, { windowStart: addDays(s.today, -JUDICIAL_CONFIRMATION_DAYS) })) as CaseRow[]
    return rows.map((c) => {
      const due = addDays(c.closedOn!, JUDICIAL_CONFIRMATION_DAYS)
      return {
        kind: 'judicial_confirmation',
        register: 'mediation',
        recordId: c.id,
        title: c.caseNo,
        detail: `书面调解协议${c.closedOn}达成，当事人可在${due}前共同申请司法确认（还剩${daysBetween(s.today, due)}天）`,
        dueOn: due,
        overdue: false,
        villageName: c.villageName,
      }
    })
  },
  follow_up_due: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT c.id, c.caseNo, c.status, c.receivedOn, c.closedOn, c.summary, v.name AS villageName FROM mediation_cases c
       LEFT JOIN villages v ON v.id = c.villageId
       WHERE c.status = 'success' AND c.deletedAt IS NULL AND c.followUps = '[]'${scopeSql(s, 'c')}`,
    ).all(params(s)) as CaseRow[]
    return rows.map((c) => {
      const due = addDays(c.closedOn!, FOLLOW_UP_DAYS)
      return {
        kind: 'follow_up_due',
        register: 'mediation',
        recordId: c.id,
        title: c.caseNo,
        detail: `${c.closedOn}调解成功，尚未回访当事人履行情况`,
        dueOn: due,
        overdue: due < s.today,
        villageName: c.villageName,
      }
    })
  },
  no_visit_this_quarter: (ctx, s) => {
    const q = quarterOf(s.today)
    const rows = prepared(
      ctx.db,
      `SELECT a.id, a.name, a.releasedOn, a.aftercareUntil, a.handoverOn, v.name AS villageName,
         (SELECT max(date) FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL) AS lastVisitOn
       FROM aftercare_people a LEFT JOIN villages v ON v.id = a.villageId
       WHERE a.deletedAt IS NULL AND a.releasedOn <= @today AND a.aftercareUntil >= @today AND a.reoffendedOn IS NULL
         AND NOT EXISTS (SELECT 1 FROM aftercare_visits w WHERE w.personId = a.id AND w.deletedAt IS NULL AND w.date >= @qStart)
         ${scopeSql(s, 'a')}`,
    ).all(params(s, { qStart: q.start })) as PersonRow[]
    return rows.map((p) => ({
      kind: 'no_visit_this_quarter',
      register: 'aftercare',
      recordId: p.id,
      title: p.name,
      detail: `${q.label}尚未走访${p.lastVisitOn ? `（最近一次走访：${p.lastVisitOn}）` : '（还没有走访记录）'}`,
      dueOn: q.end,
      overdue: false,
      villageName: p.villageName,
    }))
  },
  late_handover: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT a.id, a.name, a.releasedOn, a.aftercareUntil, a.handoverOn, v.name AS villageName, NULL AS lastVisitOn
       FROM aftercare_people a LEFT JOIN villages v ON v.id = a.villageId
       WHERE a.deletedAt IS NULL AND a.aftercareUntil >= @today AND (
         (a.handoverOn IS NULL AND date(a.releasedOn, '+${HANDOVER_DAYS} days') < @today)
         OR (a.handoverOn > date(a.releasedOn, '+${HANDOVER_DAYS} days') AND a.releasedOn >= @shownFrom)
       )${scopeSql(s, 'a')}`,
    ).all(params(s, { shownFrom: addDays(s.today, -LATE_HANDOVER_SHOWN_DAYS) })) as PersonRow[]
    return rows.map((p) => {
      const due = addDays(p.releasedOn, HANDOVER_DAYS)
      return {
        kind: 'late_handover',
        register: 'aftercare',
        recordId: p.id,
        title: p.name,
        detail: p.handoverOn
          ? `${p.releasedOn}释放，${p.handoverOn}才衔接，晚了${daysBetween(due, p.handoverOn)}天（应在释放后${HANDOVER_DAYS}日内）`
          : `${p.releasedOn}释放，已过${HANDOVER_DAYS}日仍未登记衔接`,
        dueOn: due,
        overdue: true,
        villageName: p.villageName,
      }
    })
  },
  aftercare_ending: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT a.id, a.name, a.releasedOn, a.aftercareUntil, a.handoverOn, v.name AS villageName, NULL AS lastVisitOn
       FROM aftercare_people a LEFT JOIN villages v ON v.id = a.villageId
       WHERE a.deletedAt IS NULL AND a.aftercareUntil >= @today AND a.aftercareUntil <= @until${scopeSql(s, 'a')}`,
    ).all(params(s, { until: addDays(s.today, ENDING_WITHIN_DAYS) })) as PersonRow[]
    return rows.map((p) => ({
      kind: 'aftercare_ending',
      register: 'aftercare',
      recordId: p.id,
      title: p.name,
      detail: `帮教期将于${p.aftercareUntil}届满（还剩${daysBetween(s.today, p.aftercareUntil)}天），请做好期满评估和解除手续`,
      dueOn: p.aftercareUntil,
      overdue: false,
      villageName: p.villageName,
    }))
  },
  // not closed and past its deadline: isOverdue (shared/hazards/stage.ts), in SQL on the status index
  hazard_overdue: (ctx, s) => {
    const rows = prepared(
      ctx.db,
      `SELECT h.id, h.location, h.category, h.deadline, v.name AS villageName, u.name AS unitName
       FROM hazards h LEFT JOIN villages v ON v.id = h.villageId LEFT JOIN units u ON u.id = h.unitId
       WHERE h.status IN ('open', 'rectifying') AND h.deletedAt IS NULL AND h.deadline < @today${scopeSql(s, 'h')}`,
    ).all(params(s)) as HazardRow[]
    return rows.map((h) => {
      const where = [h.villageName, h.unitName, h.location].filter(Boolean).join(' ')
      return {
        kind: 'hazard_overdue',
        register: 'hazards',
        recordId: h.id,
        title: h.location,
        detail: `${where} ${hazardCategoryOptions[h.category] ?? ''}隐患 已逾期${daysPast(h.deadline, s.today)}天`,
        dueOn: h.deadline,
        overdue: true,
        villageName: h.villageName,
      }
    })
  },
}

export const reminderHandlers: HandlerMap<'reminders.list'> = {
  'reminders.list': (input, ctx): ReminderList => {
    const s: Scope = { today: ctx.today(), villageId: input.villageId, township: input.township }
    const kinds = input.kinds?.length ? input.kinds : reminderKinds
    const counts = Object.fromEntries(reminderKinds.map((k) => [k, 0])) as Record<ReminderKind, number>
    const all: Reminder[] = []
    for (const k of kinds) {
      const rs = collectors[k](ctx, s)
      counts[k] = rs.length
      all.push(...rs)
    }
    // overdue first, then by due date
    all.sort((a, b) => (a.overdue !== b.overdue ? (a.overdue ? -1 : 1) : a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0))
    return { today: s.today, rows: all.slice(0, input.limit ?? 500), total: all.length, counts }
  },
}
