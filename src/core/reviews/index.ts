// Review packs (pure): the weekly pipeline review, the monthly SLA health check and the quarterly ICP
// review built from the metrics as data (`ReviewPack`), and rendered to Markdown or one self-contained
// HTML page with inline SVG charts. Callers load the records and the last pack; nothing here does I/O.
export { type BreachRecord, buildMonthlySlaHealth, type MonthlySlaData } from './build-monthly-sla-health.ts'
export {
  buildQuarterlyIcpReview,
  type CalibrationSummary,
  describeModel,
  type QuarterlyIcpData,
} from './build-quarterly-icp-review.ts'
export { buildWeeklyPipelineReview, type WeeklyPipelineData } from './build-weekly-pipeline-review.ts'
export { changeTone, formatChange, formatFixed, formatValue } from './format-value.ts'
export { type KpiDefinition, makeKpis, mergeActionItems } from './pack-parts.ts'
export { renderHtml } from './render-html.ts'
export { escapeMarkdown, renderMarkdown } from './render-markdown.ts'
export { escapeHtml, renderSvgChart } from './render-svg-chart.ts'
export type {
  ActionItem,
  BuildPackOptions,
  Cell,
  ChartSpec,
  Kpi,
  PackAlert,
  PackSection,
  ReviewPack,
  ReviewPackKind,
  TableColumn,
  ValueFormat,
} from './review-pack-types.ts'
