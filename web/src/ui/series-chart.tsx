/**
 * A bar (or line) chart of a few series over categories, with every value printed on the chart so the numbers
 * can be read without hovering. ECharts is imported modularly here; import this module only from pages (lazily
 * loaded chunks), never from main.tsx or shared shell code, so pages without charts never load it.
 *
 * Example: `<SeriesChart label="MQLs per week" categories={['Nov 9', 'Nov 16']} series={[{ name: 'active', data: [4, 7] }]} />`
 */
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'
import './report.css'

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type ChartSeries = { name: string; data: number[]; kind?: 'bar' | 'line'; color?: string }

const PALETTE = ['#98a2b3', '#3b5bdb', '#12b76a', '#f79009']

export function SeriesChart({
  label,
  categories,
  series,
  height = 300,
}: {
  /** Read by screen readers in place of the canvas. */
  label: string
  categories: string[]
  series: ChartSeries[]
  height?: number
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const chart = init(el, undefined, { renderer: 'canvas' })
    const narrow = el.clientWidth < 560
    chart.setOption({
      animation: false,
      color: series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!),
      textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 12, textStyle: { color: '#475467' } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: categories,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d0d5dd' } },
        axisLabel: { color: '#667085', fontSize: 11, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitLine: { lineStyle: { color: '#eaecf0' } },
        axisLabel: { color: '#667085', fontSize: 11 },
      },
      series: series.map((s) => ({
        name: s.name,
        type: s.kind ?? 'bar',
        data: s.data,
        barMaxWidth: 22,
        barGap: '12%',
        symbolSize: 6,
        label: {
          show: true,
          position: 'top',
          fontSize: narrow ? 9 : 11,
          color: '#344054',
          formatter: (p: { value: unknown }) => (p.value === 0 ? '' : String(p.value)),
        },
      })),
    })
    const resize = new ResizeObserver(() => chart.resize())
    resize.observe(el)
    return () => {
      resize.disconnect()
      chart.dispose()
    }
  }, [categories, series])
  return <div ref={box} className="series-chart" role="img" aria-label={label} style={{ height }} />
}
