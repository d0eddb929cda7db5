/**
 * Review packs (GET /v1/reviews): the weekly pipeline reviews, monthly SLA health checks and quarterly ICP reviews
 * generated so far, newest first, each viewable and downloadable as Markdown or HTML, and a form to generate one now
 * (POST /v1/reviews). `?kind=weekly_pipeline` filters the list.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { type ApiError, api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, navigate, useSearchParam } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { Badge, Callout, Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { num, REVIEW_KIND_LABELS } from './analytics-format.ts'
import type { Review, ReviewSummary } from './analytics-types.ts'
import { FilterBar, ParamSelect } from './analytics-ui.tsx'
import { describePeriod } from './period.ts'
import './analytics.css'

const CADENCES = [
  { value: 'weekly', label: 'Weekly pipeline review', hint: 'the last completed ISO week', example: '2026-W47' },
  { value: 'monthly', label: 'Monthly SLA health check', hint: 'the last completed month', example: '2026-11' },
  { value: 'quarterly', label: 'Quarterly ICP review', hint: 'the last completed quarter', example: '2026-Q3' },
] as const

export const reviewKeys = {
  all: ['reviews'] as const,
  list: (kind: string) => ['reviews', 'list', kind] as const,
  one: (id: string) => ['reviews', 'one', id] as const,
}

/** Where a pack's file is: `download` makes the server send it as an attachment with a file name. */
export const reviewFileUrl = (id: number | string, format: 'markdown' | 'html', download: boolean) =>
  `/v1/reviews/${id}?format=${format}${download ? '&download=true' : ''}`

export default function ReviewsPage(_: PageProps) {
  useTitle('Reviews')
  const session = useSession()
  const [kind] = useSearchParam('kind')
  const list = useQuery({
    queryKey: reviewKeys.list(kind),
    queryFn: ({ signal }) =>
      api.get<ReviewSummary[]>(`/v1/reviews${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`, signal),
  })
  return (
    <Page ready={list.isSuccess} name="reviews">
      <PageHeader
        eyebrow="Revenue"
        title="Reviews"
        subtitle="The packs both teams review together: every Monday the pipeline, every month SLA health, every quarter the ICP — with the numbers, what changed since the last pack, drift alerts and open action items."
      />
      {session.can('metrics:read') && <GenerateForm />}
      <Card title="Packs" id="packs">
        <FilterBar label="Filter packs">
          <ParamSelect
            name="kind"
            label="Kind"
            fallback=""
            options={[
              { value: '', label: 'All kinds' },
              ...Object.entries(REVIEW_KIND_LABELS).map(([value, label]) => ({ value, label })),
            ]}
          />
        </FilterBar>
        {list.isPending ? (
          <Skeleton rows={5} />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => list.refetch()} title="The packs could not be loaded" />
        ) : list.data.length === 0 ? (
          <Empty title={kind ? 'No packs of this kind yet' : 'No review packs yet'}>
            Packs are generated on schedule (Monday for the week before, the 1st for the month before, the first day of
            a quarter for the quarter before) while Accord runs, or now with the form above.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-rows" data-testid="review-list">
              <thead>
                <tr>
                  <th scope="col">Pack</th>
                  <th scope="col">Period</th>
                  <th scope="col">Generated</th>
                  <th scope="col" className="num">
                    Open actions
                  </th>
                  <th scope="col">Download</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/reviews/${r.id}`} className="cell-title">
                        {r.title}
                      </Link>
                      <div className="muted small">{REVIEW_KIND_LABELS[r.kind] ?? r.kind}</div>
                    </td>
                    <td>{describePeriod(r.period)}</td>
                    <td className="small">{formatDateTime(r.generatedAt)}</td>
                    <td className="num">
                      {r.openActionItems > 0 ? <Badge tone="warn">{num(r.openActionItems)}</Badge> : '0'}
                    </td>
                    <td className="small">
                      <span className="row">
                        <a href={reviewFileUrl(r.id, 'markdown', true)} download>
                          Markdown
                        </a>
                        <a href={reviewFileUrl(r.id, 'html', true)} download>
                          HTML
                        </a>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </Page>
  )
}

function GenerateForm() {
  const id = useId()
  const [cadence, setCadence] = useState<(typeof CADENCES)[number]['value']>('weekly')
  const [period, setPeriod] = useState('')
  const queryClient = useQueryClient()
  const generate = useMutation({
    mutationFn: () =>
      api.post<Review>('/v1/reviews', { kind: cadence, ...(period.trim() ? { period: period.trim() } : {}) }),
    onSuccess: async (review) => {
      await queryClient.invalidateQueries({ queryKey: reviewKeys.all })
      navigate(`/reviews/${review.id}`)
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    generate.mutate()
  }
  const error = generate.error as ApiError | null
  const periodError = error?.issues.find((i) => i.path === 'period')
  const { hint, example } = CADENCES.find((c) => c.value === cadence)!
  return (
    <Card title="Generate a pack now" id="generate">
      <form className="generate-form" onSubmit={submit} aria-label="Generate a review pack">
        <div className="filter">
          <label htmlFor={`${id}-kind`}>Pack</label>
          <select id={`${id}-kind`} value={cadence} onChange={(e) => setCadence(e.target.value as typeof cadence)}>
            {CADENCES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={`${id}-period`}>Period (optional)</label>
          <input
            id={`${id}-period`}
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            placeholder={example}
            aria-describedby={`${id}-hint`}
            aria-invalid={periodError ? true : undefined}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={generate.isPending}>
          {generate.isPending ? 'Generating…' : 'Generate now'}
        </button>
      </form>
      <p className="muted small" id={`${id}-hint`}>
        Without a period: {hint} (e.g. {example}). Generating a period that already has a pack replaces it.
      </p>
      {error && (
        <Callout tone="bad" title="Not generated">
          {periodError ? `Period: ${periodError.message}` : error.message}
        </Callout>
      )}
    </Card>
  )
}
