import type { EChartsCoreOption } from 'echarts/core'
import type { Overview } from '../../../../shared/overview/schema'
import type { Rates } from '../../../../shared/stats/rates'
import { caseStatusOptions } from '../../../../shared/registers/mediation'
import { hazardCategoryOptions, hazardStatusOptions } from '../../../../shared/registers/hazards'
import { formatRate } from '../../../../shared/stats/rates'
import { allRateLabels, type AnyRate } from './rates'

/** The start page's chart options: plain functions of the numbers, so the page only wires clicks. */

const palette = ['#b7312c', '#e08a3c', '#3b7dd8', '#52a447', '#8c6bb1', '#888']
const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
const legend = { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } }

export function patrolsOption(o: Overview): EChartsCoreOption {
  return {
    color: palette,
    grid: { ...grid, top: 16 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: o.patrolsByMonth.map((_, i) => `${i + 1}月`), axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: '巡逻次数', type: 'bar', data: o.patrolsByMonth, barMaxWidth: 28 }],
  }
}

/** Stacked per status; each stack (series) is a status, each bar a category. Returns the categories in bar order. */
function stacked(rows: { category: string; status: string; count: number }[], statuses: Record<string, string>, categoryLabel: (c: string) => string) {
  const categories = [...new Set(rows.map((r) => r.category))].sort(
    (a, b) => rows.filter((r) => r.category === b).reduce((n, r) => n + r.count, 0) - rows.filter((r) => r.category === a).reduce((n, r) => n + r.count, 0),
  )
  const option: EChartsCoreOption = {
    color: palette,
    grid,
    legend,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // bars lie down: fifteen Chinese category names read in a column, never on top of each other
    yAxis: { type: 'category', inverse: true, data: categories.map(categoryLabel), axisLabel: { interval: 0, fontSize: 11 } },
    xAxis: { type: 'value', minInterval: 1 },
    series: Object.entries(statuses).map(([code, label]) => ({
      name: label,
      type: 'bar',
      stack: 'all',
      barMaxWidth: 14,
      data: categories.map((c) => rows.find((r) => r.category === c && r.status === code)?.count ?? 0),
    })),
  }
  return { option, categories, statusCodes: Object.keys(statuses) }
}

export const casesChart = (o: Overview) => stacked(o.cases, caseStatusOptions, (c) => c)
export const hazardsChart = (o: Overview) => stacked(o.hazards, hazardStatusOptions, (c) => hazardCategoryOptions[c as keyof typeof hazardCategoryOptions] ?? c)

export const trendRates: AnyRate[] = ['mediationRate', 'mediationSuccessRate', 'aftercareRate', 'placementRate', 'hazardRectificationRate']

export function trendOption(byYear: Rates[]): EChartsCoreOption {
  return {
    color: palette,
    grid,
    legend,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? formatRate(v / 100) : '无数据') },
    xAxis: { type: 'category', data: byYear.map((r) => `${r.year}年`) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: trendRates.map((n) => ({
      name: allRateLabels[n],
      type: 'line',
      connectNulls: false,
      data: byYear.map((r) => (r[n] === null ? null : Math.round(r[n] * 1000) / 10)),
    })),
  }
}
