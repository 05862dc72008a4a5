import { z } from 'zod'
import { method } from '../api/define'

export const reminderKinds = [
  'case_overdue',
  'judicial_confirmation',
  'follow_up_due',
  'no_visit_this_quarter',
  'late_handover',
  'aftercare_ending',
  'hazard_overdue',
] as const
export type ReminderKind = (typeof reminderKinds)[number]
export const reminderKindLabels: Record<ReminderKind, string> = {
  case_overdue: '调解超期',
  judicial_confirmation: '司法确认期限',
  follow_up_due: '待回访',
  no_visit_this_quarter: '本季度未走访',
  late_handover: '衔接超期',
  aftercare_ending: '帮教即将期满',
  hazard_overdue: '隐患逾期未整改',
}

/** Rule constants of DESIGN §3. */
export const CASE_SETTLE_MONTHS = 1
export const JUDICIAL_CONFIRMATION_DAYS = 30
export const FOLLOW_UP_DAYS = 30
export const ENDING_WITHIN_DAYS = 30

export interface Reminder {
  kind: ReminderKind
  /** which register the to-do opens */
  register: 'mediation' | 'aftercare' | 'hazards'
  recordId: string
  /** e.g. the case number, the person's name or the hazard's place */
  title: string
  /** the sentence shown in the to-do list */
  detail: string
  /** the date by which it should be done (or the day it fell due) */
  dueOn: string
  /** true when dueOn has passed */
  overdue: boolean
  villageName: string | null
}

export interface ReminderList {
  today: string
  rows: Reminder[]
  total: number
  counts: Record<ReminderKind, number>
}

export const remindersApi = {
  'reminders.list': method<ReminderList>('none')(
    z.strictObject({
      township: z.string().max(12).optional(),
      villageId: z.string().max(64).optional(),
      kinds: z.array(z.enum(reminderKinds, { error: '提醒类型不是可选的值' })).max(reminderKinds.length).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }),
    { kinds: '提醒类型', limit: '条数' },
  ),
}
