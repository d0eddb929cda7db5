/**
 * `SeriesChart` loaded on demand: ECharts is the largest part of the bundle, so pages whose numbers matter first
 * (the scoreboard) render their figures and tables at once and draw the charts when ECharts arrives. The
 * placeholder keeps the chart's height so nothing jumps. Same props as `SeriesChart`.
 */
import { type ComponentProps, lazy, Suspense } from 'react'

const LazySeriesChart = lazy(() => import('./series-chart.tsx').then((m) => ({ default: m.SeriesChart })))

export function Chart(props: ComponentProps<typeof LazySeriesChart>) {
  return (
    <Suspense
      fallback={
        <div className="series-chart chart-pending" style={{ height: props.height ?? 300 }} aria-hidden="true" />
      }
    >
      <LazySeriesChart {...props} />
    </Suspense>
  )
}
