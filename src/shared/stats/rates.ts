import { aftercareKindOptions } from '../registers/aftercareOptions'

/*
 * The rates' rules and labels, without zod: the start page draws its rates from this module in the
 * entry script (its API's schemas are in schema.ts).
 */

/** n / d as a number in [0, 1]; a rate over nothing is "no data" (null), never 100%. */
export function ratio(n: number, d: number): number | null {
  if (!d) return null
  return n / d
}

/** The counts behind the rates of DESIGN §3, for one year and one scope. */
export interface RateCounts {
  /** cases received in the year */
  casesReceived: number
  casesPending: number
  casesMediating: number
  casesSuccess: number
  casesFailed: number
  casesReferred: number
  /** received cases not pending (numerator of 调解率) */
  casesMediated: number
  /** success cases whose agreement is fulfilled (numerator of 履行率) */
  casesFulfilled: number
  /** people under aftercare in the year (releasedOn ≤ 31 Dec, aftercareUntil ≥ 1 Jan) */
  underAftercare: number
  /** … with at least one helper and at least one visit dated in the year */
  helped: number
  /** … whose placement is not unplaced */
  placed: number
  /** … who reoffended in the year */
  reoffended: number
  /** … marked 脱管漏管 now (an open lost-contact period) */
  lostContact: number
  /** hazards found in the year (foundOn in the year) */
  hazardsFound: number
  /** … now closed (已销号) */
  hazardsClosed: number
  /** … closed on or before their deadline, or closed without one */
  hazardsClosedOnTime: number
}

export type PersonKind = keyof typeof aftercareKindOptions
export const personKinds = Object.keys(aftercareKindOptions) as PersonKind[]

/** The aftercare counts of one kind of person (刑满释放人员 or 社区矫正对象), for one year and scope. */
export interface PersonKindCounts {
  /** under aftercare (or correction) in the year */
  underAftercare: number
  helped: number
  placed: number
  reoffended: number
  /** lost contact now (an open period) */
  lostContact: number
  /** with a lost-contact period (from–to) that overlaps the year: 脱管漏管 judged for the year */
  lostContactInYear: number
}

/** 帮教率, 安置率 and 重新犯罪率 over one kind of person (the standards name the kind they speak of). */
export interface PersonKindRates {
  aftercareRate: number | null
  placementRate: number | null
  recidivismRate: number | null
  counts: PersonKindCounts
}

export const zeroKindCounts = (): PersonKindCounts => ({ underAftercare: 0, helped: 0, placed: 0, reoffended: 0, lostContact: 0, lostContactInYear: 0 })

export function kindRatesFromCounts(c: PersonKindCounts): PersonKindRates {
  return {
    aftercareRate: ratio(c.helped, c.underAftercare),
    placementRate: ratio(c.placed, c.underAftercare),
    recidivismRate: ratio(c.reoffended, c.underAftercare),
    counts: c,
  }
}

export interface Rates {
  year: number
  villageId: string | null
  township: string | null
  /** 调解率 = not pending / received */
  mediationRate: number | null
  /** 成功率 = success / (success + failed) */
  mediationSuccessRate: number | null
  /** 履行率 = fulfilled / success */
  mediationFulfillmentRate: number | null
  /** 帮教率 = helped / under aftercare */
  aftercareRate: number | null
  /** 安置率 = placed / under aftercare */
  placementRate: number | null
  /** 重新犯罪率 = reoffended / under aftercare */
  recidivismRate: number | null
  /** 整改率 = closed / found in the year */
  hazardRectificationRate: number | null
  /** 按期整改率 = closed on time / closed, among those found in the year */
  hazardOnTimeRate: number | null
  counts: RateCounts
  /** the aftercare rates per kind of person: 刑满释放人员 (released), 社区矫正对象 (community_correction) */
  byKind: Record<PersonKind, PersonKindRates>
}

export function ratesFromCounts(
  year: number,
  villageId: string | null,
  township: string | null,
  c: RateCounts,
  kinds: Partial<Record<PersonKind, PersonKindCounts>> = {},
): Rates {
  return {
    year,
    villageId,
    township,
    mediationRate: ratio(c.casesMediated, c.casesReceived),
    mediationSuccessRate: ratio(c.casesSuccess, c.casesSuccess + c.casesFailed),
    mediationFulfillmentRate: ratio(c.casesFulfilled, c.casesSuccess),
    aftercareRate: ratio(c.helped, c.underAftercare),
    placementRate: ratio(c.placed, c.underAftercare),
    recidivismRate: ratio(c.reoffended, c.underAftercare),
    hazardRectificationRate: ratio(c.hazardsClosed, c.hazardsFound),
    hazardOnTimeRate: ratio(c.hazardsClosedOnTime, c.hazardsClosed),
    counts: c,
    byKind: Object.fromEntries(personKinds.map((k) => [k, kindRatesFromCounts(kinds[k] ?? zeroKindCounts())])) as Record<PersonKind, PersonKindRates>,
  }
}

/** 刑满释放人员 / 社区矫正对象: the kinds' names where rates are shown per kind */
export const personKindLabels: Record<PersonKind, string> = aftercareKindOptions

export const rateLabels = {
  mediationRate: '调解率',
  mediationSuccessRate: '调解成功率',
  mediationFulfillmentRate: '调解协议履行率',
  aftercareRate: '帮教率',
  placementRate: '安置率',
  recidivismRate: '重新犯罪率',
} as const

export type RateName = keyof typeof rateLabels

/**
 * The hazard register's rates (DESIGN §3). Kept apart from rateLabels, whose keys the dashboard and
 * the county summary list as their columns, until those screens show them.
 */
export const hazardRateLabels = {
  hazardRectificationRate: '整改率',
  hazardOnTimeRate: '按期整改率',
} as const

export type HazardRateName = keyof typeof hazardRateLabels

/** "98.0%", or "无数据" for null */
export function formatRate(r: number | null, digits = 1): string {
  return r === null ? '无数据' : `${(r * 100).toFixed(digits)}%`
}

export interface VillageRates extends Rates {
  villageId: string
  villageName: string
}
