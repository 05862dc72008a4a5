import { Suspense, lazy, useEffect, useRef, useState } from 'react'
import { Space, Typography } from 'antd'
import { formatRate, personKindLabels, personKinds } from '../../../../shared/stats/rates'
import { invoke, invokeNow } from '../../api'
import { afterPaint, firstScreenPainted } from '../../firstScreen'
import { useNav, useTownship } from '../../nav'
import { allRateLabels, behind, rateNames, rateOpens } from './rates'

// in the entry script (the first screen); what it shows below the rates comes after them
const StartPageRest = lazy(() => import('./StartPageRest').then((m) => ({ default: m.StartPageRest })))
const YearSelect = lazy(() => import('./YearSelect').then((m) => ({ default: m.YearSelect })))

/**
 * 工作台, the first screen: the year's rates with the counts behind them, the to-do list, charts
 * (patrols per month, cases by type and outcome, rates over the last years, hazards by category and
 * state: a click opens the register filtered to that bar) and every village's rates.
 */
export function StartPage() {
  const t = useTownship()
  const nav = useNav()
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  // the figures asked for by early.ts are usually here by now: drawn in the page's first drawing
  const [data, setData] = useState(() => invokeNow('stats.ratesByVillage', { year: thisYear }) ?? null)
  const had = useRef(data !== null)
  useEffect(() => {
    if (had.current) had.current = false
    else void invoke('stats.ratesByVillage', { year }).then(setData)
  }, [year])

  // true once the rates are painted (then the top bar's search and the rest of this page are drawn)
  const [rest, setRest] = useState(false)
  useEffect(() => {
    if (!data || rest) return
    return afterPaint(() => {
      firstScreenPainted()
      setRest(true)
    })
  }, [data, rest])

  const open = (page: string, filter: Record<string, string | number>) => nav.go(page, { filter: JSON.stringify(filter) })

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="start-page">
      <div className="start-card">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0, marginRight: 12 }}>
            {t.name} 平安台账
          </Typography.Title>
          {/* the switcher's code (antd's Select) comes with the rest of the page; until then its look */}
          <Suspense fallback={<span className="start-year">{year}年</span>}>
            {rest ? <YearSelect year={year} thisYear={thisYear} onChange={setYear} /> : <span className="start-year">{year}年</span>}
          </Suspense>
          <Typography.Text type="secondary">比率口径：当年受理的案件；当年在帮教期内的人员；当年发现的隐患。没有数据时显示“无数据”。点图表中的柱子可打开对应台账。</Typography.Text>
        </Space>
      </div>
      {data && (
        // eight to a line; a plain CSS grid, so antd's grid styles are not needed before the rates show
        <div className="start-rates">
          {rateNames.map((n) => {
            const go = () => open(rateOpens[n].page, { ...(rateOpens[n].filter ?? {}), ...(rateOpens[n].page !== 'aftercare' ? { year } : {}) })
            return (
              // plain markup, not antd's Card and Statistic: their code and styles would hold up the first screen
              <div key={n} className="start-card rate-card" data-rate={n} role="link" tabIndex={0} onClick={go} onKeyDown={(e) => e.key === 'Enter' && go()}>
                <div className="rate-title">{allRateLabels[n]}</div>
                <div className="rate-value">{formatRate(data.total[n])}</div>
                <div className="rate-behind">{behind[n](data.total.counts)}</div>
              </div>
            )
          })}
        </div>
      )}
      {data && (
        // the standards speak of 刑满释放人员 or of 社区矫正对象: their rates side by side (issue 17)
        <div className="start-card" data-testid="rates-by-kind">
          {personKinds.map((k) => {
            const r = data.total.byKind[k]
            return (
              <Typography.Paragraph key={k} style={{ margin: 0 }} data-kind={k}>
                <b>{personKindLabels[k]}</b>（帮教期内 {r.counts.underAftercare} 人）：帮教率 {formatRate(r.aftercareRate)}，安置率 {formatRate(r.placementRate)}，重新犯罪率{' '}
                {formatRate(r.recidivismRate)}，当年脱管漏管 {r.counts.lostContactInYear} 人
              </Typography.Paragraph>
            )
          })}
        </div>
      )}
      {/* the rates first; the to-do list, the charts and the villages' table once the rates are on
          screen, from a chunk of their own (the clerk reads the rates first; the rest costs the most to
          load and draw) */}
      {rest ? (
        <Suspense fallback={<div style={{ height: 560 }} />}>
          <StartPageRest year={year} thisYear={thisYear} setYear={setYear} data={data} open={open} />
        </Suspense>
      ) : (
        <div style={{ height: 560 }} />
      )}
    </Space>
  )
}
