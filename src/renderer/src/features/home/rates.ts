import { hazardRateLabels, rateLabels, type Rates } from '../../../../shared/stats/rates'

export const allRateLabels = { ...rateLabels, ...hazardRateLabels }
export type AnyRate = keyof typeof allRateLabels
export const rateNames = Object.keys(allRateLabels) as AnyRate[]

/** For each rate: the counts behind it, as the clerk would say them. */
export const behind: Record<AnyRate, (c: Rates['counts']) => string> = {
  mediationRate: (c) => `已调处 ${c.casesMediated} / 受理 ${c.casesReceived} 件`,
  mediationSuccessRate: (c) => `成功 ${c.casesSuccess} / (成功 ${c.casesSuccess} + 不成功 ${c.casesFailed}) 件`,
  mediationFulfillmentRate: (c) => `已履行 ${c.casesFulfilled} / 调解成功 ${c.casesSuccess} 件`,
  aftercareRate: (c) => `落实帮教 ${c.helped} / 帮教期内 ${c.underAftercare} 人`,
  placementRate: (c) => `已安置 ${c.placed} / 帮教期内 ${c.underAftercare} 人`,
  recidivismRate: (c) => `重新犯罪 ${c.reoffended} / 帮教期内 ${c.underAftercare} 人`,
  hazardRectificationRate: (c) => `已销号 ${c.hazardsClosed} / 发现 ${c.hazardsFound} 条`,
  hazardOnTimeRate: (c) => `按期 ${c.hazardsClosedOnTime} / 已销号 ${c.hazardsClosed} 条`,
}

/** Which register a rate's card opens, and with which of its filters. */
export const rateOpens: Record<AnyRate, { page: string; filter?: Record<string, string> }> = {
  mediationRate: { page: 'mediation' },
  mediationSuccessRate: { page: 'mediation', filter: { status: 'success' } },
  mediationFulfillmentRate: { page: 'mediation', filter: { status: 'success' } },
  aftercareRate: { page: 'aftercare' },
  placementRate: { page: 'aftercare' },
  recidivismRate: { page: 'aftercare' },
  hazardRectificationRate: { page: 'hazards' },
  hazardOnTimeRate: { page: 'hazards', filter: { status: 'closed' } },
}
