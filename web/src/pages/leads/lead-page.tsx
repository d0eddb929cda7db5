import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDateTime, formatNumber, humanize, shortHash } from '../../format.ts'
import type { PageProps } from '../../pages.ts'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { JsonView } from '../../ui/json-view.tsx'
import { Badge, Callout, Card, Code, Page, PageHeader, useTitle } from '../../ui/kit.tsx'
import { ErrorState, Skeleton } from '../../ui/states.tsx'
import { useActiveAgreement } from '../agreement/queries.ts'
import { formatElapsed, formatScore, personName, splitPoints, stageTone, tierTone } from './lead-format.ts'
import { LeadSla } from './lead-sla.tsx'
import { LeadStageMove } from './lead-stage-move.tsx'
import type { LeadDetail } from './lead-types.ts'
import './leads.css'

export default function LeadPage({ params }: PageProps) {
  const ref = params.id ?? ''
  const session = useSession()
  const listLabel = session.can('leads:read') ? 'Leads' : 'My leads'
  const lead = useQuery({
    queryKey: ['leads', 'lead', ref],
    queryFn: ({ signal }) => api.get<LeadDetail>(`/v1/leads/${encodeURIComponent(ref)}`, signal),
  })
  useTitle(lead.data ? personName({ ...lead.data.person }) : 'Lead')
  const eyebrow = (
    <>
      <Link to="/leads">{listLabel}</Link> › lead #{lead.data?.id ?? ref}
    </>
  )
  if (lead.isPending)
    return (
      <Page ready={false} name="lead">
        <PageHeader eyebrow={eyebrow} title="Lead" />
        <Skeleton rows={8} />
      </Page>
    )
  if (lead.isError)
    return (
      <Page ready={false} name="lead">
        <PageHeader eyebrow={eyebrow} title="Lead" />
        <ErrorState
          error={lead.error}
          title={lead.error instanceof ApiError && lead.error.status === 404 ? 'No such lead' : undefined}
          onRetry={() => lead.refetch()}
        />
      </Page>
    )
  const l = lead.data
  return (
    <Page ready name="lead">
      <LeadHeader lead={l} eyebrow={eyebrow} />
      <Why lead={l} />
      <Facts lead={l} />
      <LeadSla leadId={l.id} />
      <Timeline lead={l} />
      {l.scores ? (
        <div className="grid-2">
          <Fit scores={l.scores} />
          <div className="lead-stack">
            <Intent scores={l.scores} />
            <Signals scores={l.scores} />
          </div>
        </div>
      ) : (
        <ScoresUnavailable lead={l} />
      )}
      <Transitions lead={l} />
      <LeadStageMove lead={l} />
      <HandoffSlot leadRef={String(l.id)} kind="brief" title="Handoff brief" />
      <HandoffSlot leadRef={String(l.id)} kind="assignment" title="Routing trace" />
    </Page>
  )
}

function LeadHeader({ lead, eyebrow }: { lead: LeadDetail; eyebrow: ReactNode }) {
  const name = personName(lead.person)
  return (
    <PageHeader
      eyebrow={eyebrow}
      title={name}
      subtitle={
        <>
          {[lead.person.title, lead.account?.name ?? lead.account?.domain].filter(Boolean).join(' at ')}
          {name !== lead.person.email && (
            <>
              {lead.person.title || lead.account ? ' · ' : ''}
              <span className="mono small">{lead.person.email}</span>
            </>
          )}
        </>
      }
      actions={
        <div className="lead-header-badges">
          <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>
          {lead.tier && <Badge tone={tierTone(lead.tier)}>{lead.tier}</Badge>}
          <HandoffBadge lead={lead} />
        </div>
      }
    />
  )
}

function ScoresUnavailable({ lead }: { lead: LeadDetail }) {
  return (
    <Card title="Scores" id="lead-scores">
      <p className="muted" data-testid="scores-unavailable">
        {lead.scores_unavailable === 'no_engine_state'
          ? 'Scores are not available: this lead was loaded without the scoring state that explains them (fit and intent parts, signals). Its stage, transitions, owner and stored figures are shown.'
          : "No Agreement was in force when this lead's events arrived, so it has not been scored yet."}
      </p>
      {(lead.fit !== null || lead.intent !== null) && (
        <dl className="lead-stored-scores">
          <div>
            <dt>Fit (stored)</dt>
            <dd>{lead.fit === null ? '—' : formatScore(lead.fit)}</dd>
          </div>
          <div>
            <dt>Intent (stored)</dt>
            <dd>{lead.intent === null ? '—' : formatScore(lead.intent)}</dd>
          </div>
        </dl>
      )}
    </Card>
  )
}

function HandoffBadge({ lead }: { lead: LeadDetail }) {
  if (lead.handoff === 'ready') return <Badge tone="good">ready for handoff</Badge>
  if (lead.handoff === 'needs_data') return <Badge tone="warn">needs data</Badge>
  return null
}

function Why({ lead }: { lead: LeadDetail }) {
  if (!lead.explanation)
    return (
      <div className="lead-why lead-why-quiet" data-testid="lead-explanation">
        <div className="lead-why-label">Why this stage</div>
        <p>
          This lead has not moved yet: it is a {lead.stage} since {formatDateTime(lead.stage_entered_at)}. The
          transitions below will say why when it does.
        </p>
      </div>
    )
  return (
    <div className="lead-why" data-testid="lead-explanation">
      <div className="lead-why-label">Why {lead.stage}</div>
      <p>{lead.explanation}</p>
      {lead.handoff === 'needs_data' && lead.needs_data.length > 0 && (
        <div className="lead-why-needs">
          Held before handoff until these fields are known: <FieldList fields={lead.needs_data} />
        </div>
      )}
    </div>
  )
}

function FieldList({ fields }: { fields: string[] }) {
  return (
    <span className="chips">
      {fields.map((f) => (
        <Code key={f}>{f}</Code>
      ))}
    </span>
  )
}

function Facts({ lead }: { lead: LeadDetail }) {
  const agreement = useActiveAgreement()
  const rep = agreement.data?.document.reps.find((r) => r.id === lead.owner_rep_id)
  const a = lead.account
  const now = Date.now()
  return (
    <Card title="Lead">
      <div className="lead-facts">
        <Fact label="Company">
          {a ? (
            <>
              <div className="cell-title">{a.name ?? a.domain}</div>
              <div className="muted small">
                {[
                  a.name ? a.domain : null,
                  a.industry,
                  a.employees !== null ? `${formatNumber(a.employees)} employees` : null,
                  a.country,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </>
          ) : (
            <span className="muted">no account matched</span>
          )}
        </Fact>
        <Fact label="Persona">
          {lead.person.persona ? humanize(lead.person.persona) : <span className="muted">none matched</span>}
        </Fact>
        <Fact label="Stage">
          <Badge tone={stageTone(lead.stage)}>{lead.stage}</Badge>{' '}
          <span className="small">for {formatElapsed(now - Date.parse(lead.stage_entered_at))}</span>
          <div className="muted small">since {formatDateTime(lead.stage_entered_at)}</div>
        </Fact>
        <Fact label="Tier">
          {lead.tier ? (
            <Badge tone={tierTone(lead.tier)}>{lead.tier}</Badge>
          ) : (
            <span className="muted">none (not qualified)</span>
          )}
        </Fact>
        <Fact label="Handoff">
          {lead.handoff === 'ready' ? (
            <Badge tone="good">ready</Badge>
          ) : lead.handoff === 'needs_data' ? (
            <>
              <Badge tone="warn">needs data</Badge>
              <div className="small lead-needs-list">
                missing <FieldList fields={lead.needs_data} />
              </div>
            </>
          ) : lead.handoff === null ? (
            <span className="muted">unknown</span>
          ) : (
            <span className="muted">not qualified</span>
          )}
        </Fact>
        <Fact label="Owner">
          {lead.owner_rep_id ? (rep?.name ?? lead.owner_rep_id) : <span className="muted">unassigned</span>}
        </Fact>
        <Fact label="Source">
          {lead.source ?? <span className="muted">unknown</span>}
          {lead.medium && <span className="muted"> / {lead.medium}</span>}
          {lead.campaign && <div className="muted small">{lead.campaign}</div>}
        </Fact>
        <Fact label="Activity">
          {lead.first_event_at ? (
            <>
              <div className="small">first {formatDateTime(lead.first_event_at)}</div>
              {lead.last_event_at && <div className="small">last {formatDateTime(lead.last_event_at)}</div>}
            </>
          ) : (
            <span className="muted">no events</span>
          )}
        </Fact>
        <Fact label="Decided under">
          {lead.agreement.version_id ? (
            <Link to={`/agreement/versions/${lead.agreement.version_id}`}>
              version #{lead.agreement.version_id}
              {lead.agreement.hash && (
                <>
                  {' '}
                  <Code>{shortHash(lead.agreement.hash)}</Code>
                </>
              )}
            </Link>
          ) : (
            <span className="muted">no Agreement yet</span>
          )}
          {lead.disqualified_reason && <div className="small">disqualified: {lead.disqualified_reason}</div>}
        </Fact>
      </div>
    </Card>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="lead-fact">
      <div className="lead-fact-label">{label}</div>
      <div>{children}</div>
    </div>
  )
}

/**
 * Routing and brief come from `/v1/leads/:ref/assignment` and `/brief` once the handoff work ships them; until then
 * (404) nothing is shown, never a stand-in.
 */
function HandoffSlot({ leadRef, kind, title }: { leadRef: string; kind: 'assignment' | 'brief'; title: string }) {
  const q = useQuery({
    queryKey: ['leads', 'lead', leadRef, kind],
    retry: false,
    queryFn: ({ signal }) => api.get<unknown>(`/v1/leads/${encodeURIComponent(leadRef)}/${kind}`, signal),
  })
  if (q.isPending) return null
  if (q.isError) {
    if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 405)) return null
    return (
      <div data-slot={`lead-${kind}`}>
        <ErrorState error={q.error} onRetry={() => q.refetch()} title={`The ${title.toLowerCase()} failed to load`} />
      </div>
    )
  }
  const text = (q.data as { text?: unknown } | null)?.text
  return (
    <details className="card source" data-slot={`lead-${kind}`}>
      <summary>
        {title}{' '}
        <span className="muted small">
          · GET /v1/leads/{leadRef}/{kind}
        </span>
      </summary>
      <div className="card-body">
        {typeof text === 'string' && <pre className="json-view-text">{text}</pre>}
        <JsonView data={q.data} />
      </div>
    </details>
  )
}

function Timeline({ lead }: { lead: LeadDetail }) {
  const spans = lead.stages
  if (spans.length === 0) return null
  const total = spans.reduce((s, x) => s + x.durationMs, 0) || 1
  return (
    <Card title="Stage timeline" actions={<span className="muted small">cycle {lead.cycle}</span>}>
      <div className="lead-timeline-bar" aria-hidden="true">
        {spans.map((s) => (
          <span
            key={`${s.stage}-${s.enteredAt}`}
            className={`lead-timeline-seg lead-seg-${stageTone(s.stage)}`}
            style={{ flexGrow: Math.max(s.durationMs / total, 0.04) }}
            title={`${s.stage}: ${formatElapsed(s.durationMs)}`}
          />
        ))}
      </div>
      <ol className="lead-timeline">
        {spans.map((s) => (
          <li key={`${s.stage}-${s.enteredAt}`} className={s.exitedAt === null ? 'lead-timeline-current' : undefined}>
            <span className="lead-timeline-dot" aria-hidden="true" />
            <div className="lead-timeline-head">
              <Badge tone={stageTone(s.stage)}>{s.stage}</Badge>
              <strong className="lead-timeline-duration">{formatElapsed(s.durationMs)}</strong>
              {s.exitedAt === null && <span className="muted small">so far</span>}
            </div>
            <div className="muted small">
              {formatDateTime(new Date(s.enteredAt).toISOString())}
              {s.exitedAt !== null ? ` → ${formatDateTime(new Date(s.exitedAt).toISOString())}` : ' → now'}
            </div>
          </li>
        ))}
      </ol>
    </Card>
  )
}

function PointsList({ lines, empty }: { lines: string[]; empty: string }) {
  if (lines.length === 0) return <p className="muted small">{empty}</p>
  return (
    <ul className="lead-points">
      {lines.map((line) => {
        const p = splitPoints(line)
        const negative = p.points?.startsWith('-') ?? false
        return (
          <li key={line}>
            <span>
              {p.label}
              {p.note && <span className="muted small"> ({p.note})</span>}
            </span>
            {p.points && <span className={`points ${negative ? 'points-neg' : ''}`}>{p.points}</span>}
          </li>
        )
      })}
    </ul>
  )
}

type Scores = NonNullable<LeadDetail['scores']>

function ScoreHead({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <div className="lead-score-head">
      <span className="lead-score-big">{formatScore(value)}</span>
      <span className="muted small">
        {label}
        {hint ? ` · ${hint}` : ''}
      </span>
    </div>
  )
}

function Fit({ scores }: { scores: Scores }) {
  const { fit } = scores
  return (
    <Card title="Fit" id="lead-fit">
      <ScoreHead label="fit score" value={fit.score} />
      {fit.disqualifier && (
        <Callout tone="bad" title={`Disqualified: ${fit.disqualifier.name}`}>
          Reason code <Code>{fit.disqualifier.reason}</Code>
          {fit.disqualifier.reasons.length > 0 && (
            <ul className="plain small">
              {fit.disqualifier.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </Callout>
      )}
      <h3 className="sub">Criteria met</h3>
      <PointsList
        lines={fit.parts.map((p) => `${p.name} ${p.points < 0 ? '-' : '+'}${formatNumber(Math.abs(p.points))}`)}
        empty="No fit criterion is met."
      />
      {fit.unknown.length > 0 && (
        <>
          <h3 className="sub">Unknown — data missing</h3>
          <ul className="lead-unknown">
            {fit.unknown.map((u) => (
              <li key={u.id}>
                <div>
                  {u.name} {u.kind === 'disqualifier' && <Badge tone="muted">disqualifier</Badge>}
                </div>
                <div className="small muted">
                  missing <FieldList fields={u.missing} />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  )
}

function Intent({ scores }: { scores: Scores }) {
  return (
    <Card title="Intent" id="lead-intent">
      <ScoreHead label="intent, decayed" value={scores.intent.score} hint={`as of ${formatDateTime(scores.as_of)}`} />
      <PointsList lines={scores.intent.lines} empty="No intent rule contributes now." />
    </Card>
  )
}

function Signals({ scores }: { scores: Scores }) {
  const held = scores.signals.filter((s) => s.holds)
  const not = scores.signals.filter((s) => !s.holds)
  return (
    <Card title="Signals" id="lead-signals">
      {scores.signals.length === 0 ? (
        <p className="muted">The Agreement defines no signals.</p>
      ) : (
        <ul className="lead-signals">
          {[...held, ...not].map((s) => (
            <li key={s.name} className={s.holds ? 'lead-signal-on' : 'lead-signal-off'}>
              <span className="lead-signal-mark" aria-hidden="true">
                {s.holds ? '✓' : '○'}
              </span>
              <div>
                <div className="lead-signal-name">
                  <Code>{s.name}</Code> <span className="small">{s.holds ? 'holds' : 'not met'}</span>
                </div>
                {s.holds && <div className="small">{s.line.replace(/^signal [^:]+: /, '')}</div>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}

function reasonsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : []
}

function Transitions({ lead }: { lead: LeadDetail }) {
  const rows = [...lead.transitions].reverse()
  return (
    <Card title="Transitions" actions={<span className="muted small">newest first</span>}>
      {rows.length === 0 ? (
        <p className="muted">No transitions yet.</p>
      ) : (
        <ol className="lead-transitions">
          {rows.map((t) => {
            const reasons = reasonsOf(t.reasons)
            return (
              <li key={`${t.at}-${t.from_stage}-${t.to_stage}-${t.rule}`}>
                <div className="row-between">
                  <div className="row">
                    <Badge tone={stageTone(t.from_stage)}>{t.from_stage}</Badge>
                    <span aria-hidden="true">→</span>
                    <span className="sr-only">to</span>
                    <Badge tone={stageTone(t.to_stage)}>{t.to_stage}</Badge>
                    <span className="small">{formatDateTime(t.at)}</span>
                  </div>
                  <div className="row small muted">
                    <span>
                      rule <Code>{t.rule}</Code>
                    </span>
                    {t.agreement_hash && (
                      <span>
                        Agreement{' '}
                        {t.agreement_version_id ? (
                          <Link to={`/agreement/versions/${t.agreement_version_id}`}>
                            <Code>{t.agreement_hash.slice(0, 7)}</Code>
                          </Link>
                        ) : (
                          <Code>{t.agreement_hash.slice(0, 7)}</Code>
                        )}
                      </span>
                    )}
                    <span>by {t.actor}</span>
                  </div>
                </div>
                <p className="lead-transition-text">{t.explanation}</p>
                {reasons.length > 0 && (
                  <details className="lead-reasons">
                    <summary>
                      {reasons.length} reason{reasons.length === 1 ? '' : 's'}
                    </summary>
                    <ul className="plain small">
                      {reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            )
          })}
        </ol>
      )}
    </Card>
  )
}
