import { z } from 'zod'
import { idInput, method } from '../api/define'
import { codesOf, labelsOf } from '../registers/define'
import { registerMethods } from '../registers/api'
import { patrolModeOptions, patrolsRegister } from '../registers/patrols'
import type { RecordBase } from '../domain'
import { hhmm, isoDate, refId, text } from '../validation'

export const patrolModes = codesOf(patrolModeOptions)
export type PatrolMode = (typeof patrolModes)[number]
export const patrolModeLabels: Record<PatrolMode, string> = patrolModeOptions

/** A patrol whose end time is earlier than its start ends the next day; it may last at most this long. */
export { MAX_OVERNIGHT_MINUTES } from './times'

export interface Patrol extends RecordBase {
  villageId: string
  date: string
  startTime: string
  endTime: string
  mode: PatrolMode
  route: string
  leaderId: string
  memberIds: string[]
  findings: string
  handling: string
  /** derived: ends after midnight (endTime earlier than startTime) */
  overnight: boolean
  /** derived: minutes from start to end */
  minutes: number
  villageName: string | null
  leaderName: string | null
  /** names in the order of memberIds */
  memberNames: string[]
}

export const patrolLabels = labelsOf(patrolsRegister)

const fields = {
  villageId: refId('巡逻村（社区）'),
  date: isoDate('巡逻日期'),
  startTime: hhmm('开始时间'),
  endTime: hhmm('结束时间'),
  mode: z.enum(patrolModes, { error: '请选择巡逻方式（徒步、车辆或电子巡逻）' }),
  route: text('巡逻路线', 200),
  leaderId: refId('带队人'),
  memberIds: z
    .array(refId('参加人员'), { error: '参加人员应为列表' })
    .min(1, '请至少选择一名参加人员')
    .max(50, '参加人员不能超过50人'),
  findings: text('发现问题', 1000),
  handling: text('处理情况', 1000),
}

export const patrolCreateInput = z.strictObject({
  ...fields,
  route: fields.route.default(''),
  findings: fields.findings.default(''),
  handling: fields.handling.default(''),
})
export type PatrolCreateInput = z.input<typeof patrolCreateInput>
export const patrolUpdateInput = z.strictObject({ id: idInput.shape.id, ...fields }).partial({
  villageId: true,
  date: true,
  startTime: true,
  endTime: true,
  mode: true,
  route: true,
  leaderId: true,
  memberIds: true,
  findings: true,
  handling: true,
})

const range = z.string().max(10)
export const patrolListFilters = {
  township: z.string().max(12),
  villageId: z.string().max(64),
  mode: z.enum(patrolModes),
  /** dates from..to inclusive, YYYY-MM-DD */
  dateFrom: range,
  dateTo: range,
  /** patrols this member took part in (leader or member) */
  memberId: z.string().max(64),
  route: z.string().max(100),
  findings: z.string().max(100),
  /** true: only patrols that found something */
  withFindings: z.boolean(),
}

export interface PatrolMonthly {
  year: number
  rows: { villageId: string; villageName: string; months: number[]; total: number }[]
  /** township-wide count per month (index 0 = January) */
  months: number[]
  total: number
}

export interface PatrolTeamSize {
  rows: {
    villageId: string
    villageName: string
    kind: 'village' | 'community'
    fulltime: number
    parttime: number
    /** members with either patrol role, each counted once */
    total: number
    /** the least team (专兼职) the loaded standard sets ask of this kind of village (null: none asks) */
    minimum: number | null
    /** the least number of 专职 members they ask (cunju: 村 6, 社区 8; null: none asks) */
    fulltimeMinimum: number | null
    /** fewer than `minimum` in all, or fewer than `fulltimeMinimum` full-time */
    short: boolean
  }[]
  total: number
}

export const patrolsApi = {
  ...registerMethods<Patrol>()('patrols', patrolsRegister, { create: patrolCreateInput, update: patrolUpdateInput, filters: patrolListFilters }),
  'patrols.monthly': method<PatrolMonthly>('none')(
    z.strictObject({
      year: z.number({ error: '请填写年份' }).int('年份应为整数').min(1990, '年份不能早于1990').max(2200, '年份不对'),
      villageId: z.string().max(64).optional(),
      township: z.string().max(12).optional(),
    }),
    { year: '年份' },
  ),
  'patrols.teamSize': method<PatrolTeamSize>('none')(
    z.strictObject({ villageId: z.string().max(64).optional(), township: z.string().max(12).optional() }),
  ),
}
