import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { EChartsCoreOption } from 'echarts/core'

// only the pieces the start page draws: the full echarts would weigh a megabyte
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export interface ChartClick {
  seriesName?: string
  name: string
  dataIndex: number
  seriesIndex?: number
}

/** One echarts chart that follows its box's size; `onClick` gets the bar or point clicked. */
export function EChart(p: { option: EChartsCoreOption; height: number; onClick?: (e: ChartClick) => void; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const onClick = useRef(p.onClick)
  onClick.current = p.onClick

  useEffect(() => {
    const c = echarts.init(box.current!, undefined, { renderer: 'canvas' })
    chart.current = c
    c.on('click', (e) => onClick.current?.(e as unknown as ChartClick))
    const ro = new ResizeObserver(() => c.resize())
    ro.observe(box.current!)
    return () => {
      ro.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption(p.option, true)
  }, [p.option])

  return <div ref={box} role="img" aria-label={p.label} style={{ height: p.height, width: '100%', cursor: p.onClick ? 'pointer' : undefined }} />
}
