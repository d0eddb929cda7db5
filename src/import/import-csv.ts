/**
 * Streams a CSV file into Accord through the same validation and use cases as the HTTP API, in batches.
 * Rejected rows are reported by line number with the field and the reason; valid rows are imported. Every
 * batch is its own transaction and every record is keyed (domain, email, external id, event id), so an import
 * killed half-way and run again imports the rest and duplicates nothing. Events without an id column get an id
 * derived from the row's content, which keeps re-runs idempotent too.
 *
 * Rows that are imported but deserve a look are reported as warnings by line, never hidden: a value missing from a
 * lookup file (`lookup_miss`, see read-import-mapping.ts) and an opportunity without an account (`no_account`).
 */
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { parse } from 'csv-parse'
import type { z } from 'zod'
import type { Ctx } from '../context.ts'
import { AppError, type Issue, isAppError } from '../core/errors.ts'
import {
  accountSchema,
  accountSignalSchema,
  eventSchema,
  opportunitySchema,
  personSchema,
  zodIssues,
} from '../ingest/ingest.schema.ts'
import { ingestEvents } from '../ingest/ingest-events.ts'
import {
  recordAccountSignals,
  stageOutcome,
  upsertAccounts,
  upsertOpportunities,
  upsertPeople,
} from '../ingest/upsert-records.ts'
import { eventPolicy, recordPolicy } from '../leads/event-policy.ts'
import { finishRecord, type ImportKind, isImportField, planColumns, rowToFlatRecord, setField } from './csv-columns.ts'
import type { ImportLookup } from './read-import-mapping.ts'

export type RejectedRow = { line: number; issues: Issue[] }
/** An imported row with a problem worth reading: `lookup_miss` (a value not in a lookup file), `no_account`. */
export type ImportWarning = { line: number; code: 'lookup_miss' | 'no_account'; path: string; message: string }
export type ImportReport = {
  kind: ImportKind
  rows: number
  imported: number
  duplicates: number
  rejected: RejectedRow[]
  /** Imported rows with problems, by line. */
  warnings: ImportWarning[]
  unmappedColumns: string[]
}
export type ImportProgress = { bytes: number; totalBytes: number; rows: number }

const SCHEMAS: Record<ImportKind, z.ZodType> = {
  accounts: accountSchema,
  people: personSchema,
  events: eventSchema,
  opportunities: opportunitySchema,
  signals: accountSignalSchema,
}

type Pending = { line: number; record: Record<string, unknown> }

export async function importCsv(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: {
    workspaceId: number
    kind: ImportKind
    path: string
    mapping?: Record<string, string>
    /** Lookups from a mapping file (readImportMapping): checked per row, misses reported by line. */
    lookups?: readonly ImportLookup[]
    batchSize?: number
    delimiter?: string
    onProgress?: (p: ImportProgress) => void
  },
): Promise<ImportReport> {
  const { kind } = input
  const batchSize = input.batchSize ?? 500
  const totalBytes = statSync(input.path).size
  const policy = kind === 'events' ? await eventPolicy(ctx, input.workspaceId) : null
  const recordsPolicy =
    kind === 'events' || kind === 'opportunities' ? undefined : await recordPolicy(ctx, input.workspaceId)
  const report: ImportReport = {
    kind,
    rows: 0,
    imported: 0,
    duplicates: 0,
    rejected: [],
    warnings: [],
    unmappedColumns: [],
  }
  const lookups = input.lookups ?? []
  let lookupColumns: number[] = []

  const send = async (batch: Pending[]): Promise<void> => {
    let pending = batch
    // A use case validates a batch whole; on a rejection, set the named rows aside and send the rest.
    for (;;) {
      if (pending.length === 0) return
      const records = pending.map((p) => p.record)
      try {
        const r =
          kind === 'events'
            ? await ingestEvents(ctx, input.workspaceId, records as never, policy!)
            : kind === 'accounts'
              ? await upsertAccounts(ctx, input.workspaceId, records as never, recordsPolicy)
              : kind === 'people'
                ? await upsertPeople(ctx, input.workspaceId, records as never, recordsPolicy)
                : kind === 'signals'
                  ? await recordAccountSignals(ctx, input.workspaceId, records as never, recordsPolicy!)
                  : await upsertOpportunities(ctx, input.workspaceId, records as never)
        if ('accepted' in r) {
          report.imported += r.accepted
          report.duplicates += r.duplicates
        } else if ('duplicates' in r) {
          report.imported += r.created
          report.duplicates += r.duplicates
        } else report.imported += r.created + r.updated
        return
      } catch (e) {
        if (!isAppError(e) || e.code !== 'invalid_input' || e.issues.length === 0) throw e
        const bad = new Map<number, Issue[]>()
        for (const issue of e.issues) {
          const m = /^\w+\[(\d+)\]\.?(.*)$/.exec(issue.path)
          if (!m) throw e
          const index = Number(m[1])
          bad.set(index, [...(bad.get(index) ?? []), { path: m[2] || '(row)', message: issue.message }])
        }
        for (const [index, issues] of bad) report.rejected.push({ line: pending[index]!.line, issues })
        pending = pending.filter((_, i) => !bad.has(i))
      }
    }
  }

  const stream = createReadStream(input.path)
  let bytes = 0
  stream.on('data', (chunk) => {
    bytes += chunk.length
  })
  const parser = stream.pipe(
    parse({
      delimiter: input.delimiter ?? ',',
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  )
  let plan: ReturnType<typeof planColumns> | null = null
  let batch: Pending[] = []
  for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!plan) {
      plan = planColumns(kind, cells, input.mapping)
      report.unmappedColumns = plan.unmapped
      lookupColumns = checkLookups(kind, cells, lookups)
      continue
    }
    report.rows++
    const line = info.lines
    const mapped = rowToFlatRecord(kind, plan, cells)
    if (!mapped.ok) {
      report.rejected.push({ line, issues: mapped.issues })
      continue
    }
    const warnings: ImportWarning[] = []
    const issues: Issue[] = []
    lookups.forEach((lookup, i) => {
      const value = (cells[lookupColumns[i]!] ?? '').trim()
      if (value === '') return
      const row = lookup.rows.get(value)
      if (!row) {
        const message = `"${value}" is not in ${lookup.source} (column ${lookup.keyColumn})`
        if (lookup.onMiss === 'reject') issues.push({ path: lookup.column, message })
        else warnings.push({ line, code: 'lookup_miss', path: lookup.column, message })
        return
      }
      for (const [column, field] of Object.entries(lookup.fields)) {
        // The imported file's own column wins over a looked-up copy.
        if (mapped.flat[field] !== undefined) continue
        const problem = setField(kind, mapped.flat, field, row[column] ?? '')
        if (problem) issues.push({ path: field, message: `${problem} (from ${lookup.source} column ${column})` })
      }
    })
    if (issues.length) {
      report.rejected.push({ line, issues })
      continue
    }
    const record = finishRecord(kind, mapped.flat)
    if (kind === 'opportunities' && !record.account_domain && !record.account_name) {
      const stage = typeof record.stage === 'string' ? record.stage : ''
      const open = !(record.is_closed === true || record.is_won === true || stageOutcome(stage).isClosed)
      warnings.push({
        line,
        code: 'no_account',
        path: 'account',
        message: `${open ? 'open' : 'closed'} deal without an account (stage ${stage}): imported without one`,
      })
    }
    if (kind === 'events' && record.id === undefined) {
      record.id = `csv_${createHash('sha256').update(cells.join('\u001f')).digest('hex').slice(0, 32)}`
    }
    const parsed = SCHEMAS[kind].safeParse(record)
    if (!parsed.success) {
      report.rejected.push({ line, issues: zodIssues(parsed.error) })
      continue
    }
    report.warnings.push(...warnings)
    batch.push({ line, record: parsed.data as Record<string, unknown> })
    if (batch.length >= batchSize) {
      await send(batch)
      batch = []
      input.onProgress?.({ bytes, totalBytes, rows: report.rows })
    }
  }
  if (!plan) throw new AppError('invalid_input', `${input.path} is empty: expected a header line`)
  await send(batch)
  input.onProgress?.({ bytes: totalBytes, totalBytes, rows: report.rows })
  report.rejected.sort((a, b) => a.line - b.line)
  report.warnings.sort((a, b) => a.line - b.line)
  return report
}

/** The header index of each lookup's column; every lookup field must be a field of the kind. */
function checkLookups(kind: ImportKind, header: string[], lookups: readonly ImportLookup[]): number[] {
  const issues: Issue[] = []
  const indexes = lookups.map((l, i) => {
    const index = header.indexOf(l.column)
    if (index < 0) issues.push({ path: `lookups[${i}].column`, message: `the file has no column "${l.column}"` })
    for (const [column, field] of Object.entries(l.fields)) {
      if (!isImportField(kind, field))
        issues.push({ path: `lookups[${i}].fields.${column}`, message: `"${field}" is not a ${kind} field` })
    }
    return index
  })
  if (issues.length) throw new AppError('invalid_input', 'the lookups do not fit the file', issues)
  return indexes
}
