/**
 * One review pack (GET /v1/reviews/:id): the self-contained HTML pack in a sandboxed iframe (no script, an origin of
 * its own — the server's CSP says so too), or its Markdown as plain text, and both files to download. `?view=markdown`
 * opens the Markdown tab.
 */
import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { api } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link, useSearchParam } from '../../router.tsx'
import { Card, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { ErrorState, Skeleton } from '../../ui/states.tsx'
import { REVIEW_KIND_LABELS } from './analytics-format.ts'
import type { Review } from './analytics-types.ts'
import { describePeriod } from './period.ts'
import { reviewFileUrl, reviewKeys } from './reviews-page.tsx'
import './analytics.css'

const VIEWS = [
  { id: 'pack', label: 'Pack' },
  { id: 'markdown', label: 'Markdown' },
] as const

export default function ReviewPage({ params }: PageProps) {
  const reviewId = params.id!
  const review = useQuery({
    queryKey: reviewKeys.one(reviewId),
    queryFn: ({ signal }) => api.get<Review>(`/v1/reviews/${encodeURIComponent(reviewId)}`, signal),
  })
  const [view, setView] = useSearchParam('view', 'pack')
  const id = useId()
  const r = review.data
  useTitle(r ? r.pack.title : 'Review pack')
  return (
    <Page ready={review.isSuccess} name="review">
      <PageHeader
        eyebrow={<Link to="/reviews">Reviews</Link>}
        title={r ? r.pack.title : 'Review pack'}
        subtitle={
          r &&
          `${REVIEW_KIND_LABELS[r.kind] ?? r.kind} · ${describePeriod(r.period)} · generated ${formatDateTime(r.generatedAt)}${
            r.pack.comparedWith
              ? ` · compared with ${r.pack.comparedWith.kind === 'pack' ? 'the last pack' : 'the previous period'} (${r.pack.comparedWith.label})`
              : ''
          }`
        }
        actions={
          r && (
            <>
              <a className="btn" href={reviewFileUrl(r.id, 'markdown', true)} download data-testid="download-markdown">
                Download Markdown
              </a>
              <a className="btn" href={reviewFileUrl(r.id, 'html', true)} download data-testid="download-html">
                Download HTML
              </a>
              <a className="btn btn-ghost" href={reviewFileUrl(r.id, 'html', false)} target="_blank" rel="noopener">
                Open in a new tab
              </a>
            </>
          )
        }
      />
      {review.isPending ? (
        <Card>
          <Skeleton rows={10} />
        </Card>
      ) : review.isError ? (
        <Card>
          <ErrorState error={review.error} onRetry={() => review.refetch()} title="This pack could not be loaded" />
        </Card>
      ) : (
        <Card>
          <div className="tabs review-tabs" role="tablist" aria-label="How to read the pack">
            {VIEWS.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                id={`${id}-tab-${v.id}`}
                aria-selected={view === v.id}
                aria-controls={`${id}-panel`}
                tabIndex={view === v.id ? 0 : -1}
                className={`tab ${view === v.id ? 'tab-current' : ''}`}
                onClick={() => setView(v.id)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                    const next = view === 'pack' ? 'markdown' : 'pack'
                    setView(next)
                    document.getElementById(`${id}-tab-${next}`)?.focus()
                  }
                }}
              >
                {v.label}
              </button>
            ))}
          </div>
          <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${view}`} className="review-panel">
            {view === 'markdown' ? (
              <pre className="review-markdown" data-testid="review-markdown">
                {r!.markdown}
              </pre>
            ) : (
              <iframe
                className="review-frame"
                title={r!.pack.title}
                src={reviewFileUrl(r!.id, 'html', false)}
                sandbox=""
                referrerPolicy="no-referrer"
                data-testid="review-frame"
              />
            )}
          </div>
        </Card>
      )}
    </Page>
  )
}
