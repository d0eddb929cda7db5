import type { Command } from 'commander'
import { readPathFile } from '../analytics/read-path-file.ts'
import {
  type AttributionModel,
  type AttributionResult,
  attribute,
  compileJourneys,
  type JourneySet,
  markovRemovalEffects,
  resolveAttributionModel,
} from '../core/attribution/index.ts'
import { AppError } from '../core/errors.ts'
import { type CliDeps, reportError } from './program.ts'

/** The models a path file can feed, in the order `--model all` prints them (`custom` needs weights, so it is not here). */
export const CLI_ATTRIBUTION_MODELS = [
  'first',
  'last',
  'linear',
  'time_decay',
  'u_shaped',
  'w_shaped',
  'full_path',
  'markov',
] as const

type ModelName = (typeof CLI_ATTRIBUTION_MODELS)[number]

/** One model's credit, as `--json` prints it. Channels are sorted by credited conversions, most first. */
export type ModelCredit = {
  name: ModelName
  model: AttributionModel
  channels: { channel: string; conversions: number; value: number; share: number; removalEffect?: number }[]
  /** Conversions and value no channel could be credited with (journeys without touches; Markov with no effect). */
  unattributed: { conversions: number; value: number }
  /** Markov only: P(conversion) from the start state with every channel present. */
  baseConversionProbability?: number
}

export type AttributionReport = {
  file: string
  journeys: number
  paths: number
  totalConversions: number
  totalValue: number
  models: ModelCredit[]
}

/** The model options as typed on the command line, unparsed. */
export type ModelOptions = { model: string; halfLife?: string; order?: string }

function optionError(option: string, message: string): AppError {
  return new AppError('invalid_input', `${option}: ${message}`)
}

function readOptions(o: ModelOptions): { names: ModelName[]; halfLifeTouches: number; order: number } {
  const all = o.model === 'all'
  if (!all && !(CLI_ATTRIBUTION_MODELS as readonly string[]).includes(o.model)) {
    throw optionError('--model', `unknown model "${o.model}"; expected ${CLI_ATTRIBUTION_MODELS.join(', ')} or all`)
  }
  const names = all ? [...CLI_ATTRIBUTION_MODELS] : [o.model as ModelName]
  // An option the chosen model ignores is refused, so nobody reads a table believing it was applied.
  if (o.halfLife !== undefined && !names.includes('time_decay')) {
    throw optionError('--half-life', 'only applies to --model time_decay (or all)')
  }
  if (o.order !== undefined && !names.includes('markov')) {
    throw optionError('--order', 'only applies to --model markov (or all)')
  }
  const halfLifeTouches = o.halfLife === undefined ? 1 : Number(o.halfLife)
  if (!(Number.isFinite(halfLifeTouches) && halfLifeTouches > 0) || o.halfLife?.trim() === '') {
    throw optionError(
      '--half-life',
      `path files carry no touch times, so time decay counts touches before the last: expected a number of touches > 0 such as 1 or 2.5, got "${o.halfLife}"`,
    )
  }
  const order = o.order === undefined ? 1 : Number(o.order)
  if (![1, 2, 3].includes(order)) throw optionError('--order', `expected 1, 2 or 3, got "${o.order}"`)
  return { names, halfLifeTouches, order }
}

function creditOf(name: ModelName, set: JourneySet, halfLifeTouches: number, order: number): ModelCredit {
  const resolved = resolveAttributionModel(name, { halfLifeTouches, order })
  if (!resolved.ok) throw new AppError('invalid_input', `invalid model ${name}`, resolved.issues)
  let result: AttributionResult
  let removalEffects: Readonly<Record<string, number>> | undefined
  let baseConversionProbability: number | undefined
  if (resolved.model.kind === 'markov') {
    const markov = markovRemovalEffects(set, { order })
    result = markov.attribution
    removalEffects = markov.removalEffects
    baseConversionProbability = markov.baseConversionProbability
  } else {
    result = attribute(set, resolved.model)
  }
  return {
    name,
    model: resolved.model,
    channels: result.channels.map((c) => ({
      channel: c.channel,
      conversions: c.conversions,
      value: c.value,
      share: result.totalConversions > 0 ? c.conversions / result.totalConversions : 0,
      ...(removalEffects ? { removalEffect: removalEffects[c.channel] ?? 0 } : {}),
    })),
    unattributed: { conversions: result.unattributed.conversions, value: result.unattributed.value },
    ...(baseConversionProbability === undefined ? {} : { baseConversionProbability }),
  }
}

/**
 * Credit a ChannelAttribution path file under one model or all of them.
 *
 * Example: `(await attributePathFile('Data.csv', { model: 'linear' })).models[0].channels[0]`
 * → `{ channel: 'alpha', conversions: 7574.72, value: 24524.71, share: 0.383 }`
 */
export async function attributePathFile(file: string, options: ModelOptions): Promise<AttributionReport> {
  const { names, halfLifeTouches, order } = readOptions(options)
  const set = compileJourneys(await readPathFile(file))
  return {
    file,
    journeys: set.journeyCount,
    paths: set.pathCount,
    totalConversions: set.totalConversions,
    totalValue: set.totalValue,
    models: names.map((name) => creditOf(name, set, halfLifeTouches, order)),
  }
}

const NUMBER = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const fmt = (x: number) => NUMBER.format(Math.abs(x) < 5e-3 ? 0 : x)
const pct = (x: number) => `${(100 * x).toFixed(1)}%`

/** Left-aligns the first column and right-aligns the rest, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length)
    })
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function describeModel(credit: ModelCredit): string {
  const m = credit.model
  if (m.kind === 'time_decay') return `time_decay (half-life ${m.halfLifeTouches ?? 1} touch(es))`
  if (m.kind === 'markov') return `markov (order ${m.order ?? 1})`
  return m.kind
}

function formatOneModel(report: AttributionReport, credit: ModelCredit): string {
  const markov = credit.model.kind === 'markov'
  const rows: string[][] = [['channel', 'conversions', 'share', 'value', ...(markov ? ['removal effect'] : [])]]
  for (const c of credit.channels) {
    rows.push([c.channel, fmt(c.conversions), pct(c.share), fmt(c.value), ...(markov ? [pct(c.removalEffect!)] : [])])
  }
  if (credit.unattributed.conversions > 0 || credit.unattributed.value !== 0) {
    const share = report.totalConversions > 0 ? credit.unattributed.conversions / report.totalConversions : 0
    rows.push([
      '(not attributed)',
      fmt(credit.unattributed.conversions),
      pct(share),
      fmt(credit.unattributed.value),
      ...(markov ? [''] : []),
    ])
  }
  rows.push(['total', fmt(report.totalConversions), pct(1), fmt(report.totalValue), ...(markov ? [''] : [])])
  const head =
    `model ${describeModel(credit)} · ${report.journeys.toLocaleString('en-US')} path rows ` +
    `(${report.paths.toLocaleString('en-US')} distinct) in ${report.file}` +
    (credit.baseConversionProbability === undefined
      ? ''
      : ` · P(conversion) ${credit.baseConversionProbability.toFixed(4)}`)
  return `${head}\n\n${formatTable(rows)}\n`
}

function formatAllModels(report: AttributionReport): string {
  const byModel = report.models.map((m) => new Map(m.channels.map((c) => [c.channel, c])))
  // Sorted by mean credit over the models, so that no single model decides the order.
  const mean = (channel: string) => byModel.reduce((s, m) => s + (m.get(channel)?.conversions ?? 0), 0) / byModel.length
  const channels = [...new Set(report.models.flatMap((m) => m.channels.map((c) => c.channel)))].sort(
    (a, b) => mean(b) - mean(a) || (a < b ? -1 : a > b ? 1 : 0),
  )
  const rows: string[][] = [
    ['', ...report.models.flatMap((m) => [m.name, ''])],
    ['channel', ...report.models.flatMap(() => ['conversions', 'value'])],
  ]
  for (const channel of channels) {
    rows.push([
      channel,
      ...byModel.flatMap((m) => [fmt(m.get(channel)?.conversions ?? 0), fmt(m.get(channel)?.value ?? 0)]),
    ])
  }
  if (report.models.some((m) => m.unattributed.conversions > 0 || m.unattributed.value !== 0)) {
    rows.push([
      '(not attributed)',
      ...report.models.flatMap((m) => [fmt(m.unattributed.conversions), fmt(m.unattributed.value)]),
    ])
  }
  rows.push(['total', ...report.models.flatMap(() => [fmt(report.totalConversions), fmt(report.totalValue)])])
  // The model name heads its conversions column; right-aligned cells would push it off, so left-align that row.
  const lines = formatTable(rows).split('\n')
  const widths = rows.slice(1).reduce<number[]>((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), [])
  lines[0] = rows[0]!
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join('  ')
    .trimEnd()
  const params = report.models
    .filter((m) => m.model.kind === 'time_decay' || m.model.kind === 'markov')
    .map(describeModel)
    .join(', ')
  const head = `every model · ${report.journeys.toLocaleString('en-US')} path rows (${report.paths.toLocaleString('en-US')} distinct) in ${report.file} · ${params}`
  return `${head}\n\n${lines.join('\n')}\n`
}

/**
 * `accord attribution --paths FILE --model MODEL [--half-life N] [--order K] [--json]`: credit every channel of a
 * ChannelAttribution path file (`path;total_conversions;total_conversion_value;total_null`).
 *
 * Example: `accord attribution --paths Data.csv --model all` prints one table with every model side by side.
 */
export function registerAttributionCommand(program: Command, _deps: CliDeps): void {
  program
    .command('attribution')
    .description('credit channels of a ChannelAttribution path file under an attribution model (reads files only)')
    .requiredOption('--paths <file>', 'path file: path;total_conversions;total_conversion_value;total_null')
    .requiredOption('--model <name>', `${CLI_ATTRIBUTION_MODELS.join(' | ')} | all`)
    .option(
      '--half-life <touches>',
      'time_decay: path files carry no touch times, so a touch k steps before the last weighs 2^(-k/N) (default 1)',
    )
    .option('--order <k>', 'markov: memory of the chain, 1 | 2 | 3 (default 1)')
    .option('--json', 'print machine-readable JSON')
    .action(async (o: ModelOptions & { paths: string; json?: boolean }) => {
      try {
        const report = await attributePathFile(o.paths, o)
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
        else if (report.models.length === 1) process.stdout.write(formatOneModel(report, report.models[0]!))
        else process.stdout.write(formatAllModels(report))
      } catch (e) {
        reportError(e)
      }
    })
}
