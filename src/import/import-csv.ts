/**
 * Streams a CSV file into Accord through the same validation and use cases as the HTTP API, in batches.
 * Rejected rows are reported by line number with the field and the reason; valid rows are imported. Every
 * batch is its own transaction and every record is keyed (domain, email, external id, event id), so an import
 * killed half-way and run again imports the rest and duplicates nothing. Events without an id column get an id
 * derived from the row's content, which keeps re-runs idempotent too.
 */
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { parse } from 'csv-parse'
import type { z } from 'zod'
import type { Ctx } from '../context.ts'
import { AppError, type Issue, isAppError } from '../core/errors.ts'
import { accountSchema, eventSchema, opportunitySchema, personSchema, zodIssues } from '../ingest/ingest.schema.ts'
import { ingestEvents } from '../ingest/ingest-events.ts'
import { upsertAccounts, upsertOpportunities, upsertPeople } from '../ingest/upsert-records.ts'
import { eventPolicy } from '../leads/event-policy.ts'
import { type ImportKind, planColumns, rowToRecord } from './csv-columns.ts'

export type RejectedRow = { line: number; issues: Issue[] }
export type ImportReport = {
  kind: ImportKind
  rows: number
  imported: number
  duplicates: number
  rejected: RejectedRow[]
  unmappedColumns: string[]
}
export type ImportProgress = { bytes: number; totalBytes: number; rows: number }

const SCHEMAS: Record<ImportKind, z.ZodType> = {
  accounts: accountSchema,
  people: personSchema,
  events: eventSchema,
  opportunities: opportunitySchema,
}

type Pending = { line: number; record: Record<string, unknown> }

export async function importCsv(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  input: {
    workspaceId: number
    kind: ImportKind
    path: string
    mapping?: Record<string, string>
    batchSize?: number
    delimiter?: string
    onProgress?: (p: ImportProgress) => void
  },
): Promise<ImportReport> {
  const { kind } = input
  const batchSize = input.batchSize ?? 500
  const totalBytes = statSync(input.path).size
  const policy = kind === 'events' ? await eventPolicy(ctx, input.workspaceId) : null
  const report: ImportReport = { kind, rows: 0, imported: 0, duplicates: 0, rejected: [], unmappedColumns: [] }

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
              ? await upsertAccounts(ctx, input.workspaceId, records as never)
              : kind === 'people'
                ? await upsertPeople(ctx, input.workspaceId, records as never)
                : await upsertOpportunities(ctx, input.workspaceId, records as never)
        if ('accepted' in r) {
          report.imported += r.accepted
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
      continue
    }
    report.rows++
    const line = info.lines
    const mapped = rowToRecord(kind, plan, cells)
    if (!mapped.ok) {
      report.rejected.push({ line, issues: mapped.issues })
      continue
    }
    const record = mapped.record
    if (kind === 'events' && record.id === undefined) {
      record.id = `csv_${createHash('sha256').update(cells.join('\u001f')).digest('hex').slice(0, 32)}`
    }
    const parsed = SCHEMAS[kind].safeParse(record)
    if (!parsed.success) {
      report.rejected.push({ line, issues: zodIssues(parsed.error) })
      continue
    }
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
  return report
}
