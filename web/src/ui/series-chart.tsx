/**
 * A bar (or line) chart of a few series over categories, with every value printed on the chart so the numbers
 * can be read without hovering. ECharts is imported modularly here; import this module only from pages (lazily
 * loaded chunks, or through `ui/chart.tsx`, which loads it after the page's numbers are on screen), never from
 * main.tsx or shared shell code, so pages without charts never load it.
 *
 * Example: `<SeriesChart label="MQLs per week" categories={['Nov 9', 'Nov 16']} series={[{ name: 'active', data: [4, 7] }]} />`
 * Horizontal, stacked, as percentages: `<SeriesChart horizontal format="percent" … series={[{ name: 'met', data: [0.82], stack: 'sla' }]} />`
 */
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'
import './report.css'

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type ChartSeries = {
  name: string
  data: number[]
  kind?: 'bar' | 'line'
  color?: string
  /** Series with the same stack name are stacked; their values are printed inside the bars. */
  stack?: string
  /** The text printed for each value in place of the formatted number (e.g. "66 · 33% to SAL"). */
  labels?: string[]
}

export type ChartFormat = 'number' | 'percent' | 'money' | 'decimal'

const PALETTE = ['#98a2b3', '#3b5bdb', '#12b76a', '#f79009', '#7a5af8', '#ee46bc', '#0ba5ec', '#f04438']

/** How a value is printed on the chart and its axis: percent takes fractions (0.82 → 82%). */
export function formatChartValue(value: number, format: ChartFormat): string {
  switch (format) {
    case 'percent':
      return `${Math.round(value * 1000) / 10}%`
    case 'money':
      return value >= 1_000_000
        ? `$${(value / 1_000_000).toFixed(value >= 10_000_000 ? 1 : 2)}M`
        : value >= 10_000
          ? `$${Math.round(value / 1000)}k`
          : `$${Math.round(value).toLocaleString('en-US')}`
    case 'decimal':
      return (Math.round(value * 100) / 100).toLocaleString('en-US')
    case 'number':
      return value.toLocaleString('en-US')
  }
}

export function SeriesChart({
  label,
  categories,
  series,
  height = 300,
  horizontal = false,
  format = 'number',
}: {
  /** Read by screen readers in place of the canvas. */
  label: string
  categories: string[]
  series: ChartSeries[]
  height?: number
  /** Bars grow rightwards, categories top to bottom (long names, rankings). */
  horizontal?: boolean
  format?: ChartFormat
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const chart = init(el, undefined, { renderer: 'canvas' })
    const narrow = el.clientWidth < 560
    const largest = Math.max(0, ...series.flatMap((s) => s.data))
    // Room on the right for the longest label printed after a horizontal bar (e.g. "100% (2 of 2)").
    const longestLabel = Math.max(7, ...series.flatMap((s) => (s.labels ?? []).map((l) => l.length)))
    const rightRoom = Math.min(170, Math.round(longestLabel * (narrow ? 5.5 : 6.5)) + 8)
    const categoryAxis = {
      type: 'category' as const,
      data: categories,
      inverse: horizontal,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#d0d5dd' } },
      axisLabel: {
        color: '#667085',
        fontSize: 11,
        hideOverlap: !horizontal,
        ...(horizontal ? { width: narrow ? 90 : 170, overflow: 'truncate' as const } : {}),
      },
    }
    const valueAxis = {
      type: 'value' as const,
      minInterval: format === 'percent' ? undefined : 1,
      // Rates near the top read against 100%; small ones (conversion of 2–8%) get the room to differ visibly.
      max: format === 'percent' && largest > 0.5 && largest <= 1 ? 1 : undefined,
      splitLine: { lineStyle: { color: '#eaecf0' } },
      axisLabel: { color: '#667085', fontSize: 11, formatter: (v: number) => formatChartValue(v, format) },
    }
    chart.setOption({
      animation: false,
      color: series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!),
      textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
      grid: {
        left: 8,
        right: horizontal ? rightRoom : 8,
        top: series.length > 1 ? 40 : 16,
        bottom: 8,
        containLabel: true,
      },
      legend:
        series.length > 1
          ? {
              top: 0,
              left: 0,
              type: 'scroll',
              icon: 'roundRect',
              itemWidth: 12,
              itemHeight: 12,
              textStyle: { color: '#475467' },
            }
          : undefined,
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' ? formatChartValue(v, format) : String(v)),
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series.map((s) => ({
        name: s.name,
        type: s.kind ?? 'bar',
        data: s.data,
        stack: s.stack,
        barMaxWidth: horizontal ? 18 : 22,
        barGap: '12%',
        symbolSize: 6,
        label: {
          show: true,
          position: s.stack ? 'inside' : horizontal ? 'right' : 'top',
          fontSize: narrow ? 9 : 11,
          color: s.stack ? '#ffffff' : '#344054',
          formatter: (p: { value: unknown; dataIndex: number }) => {
            const custom = s.labels?.[p.dataIndex]
            if (custom !== undefined) return custom
            return typeof p.value === 'number' && p.value !== 0 ? formatChartValue(p.value, format) : ''
          },
        },
        labelLayout: { hideOverlap: true },
      })),
    })
    const resize = new ResizeObserver(() => chart.resize())
    resize.observe(el)
    return () => {
      resize.disconnect()
      chart.dispose()
    }
  }, [categories, series, horizontal, format])
  return <div ref={box} className="series-chart" role="img" aria-label={label} style={{ height }} />
}
