/**
 * One rep's status: out-of-office periods (the Agreement's, read-only, and the ones set here), the active override,
 * a note, and the history of changes. Every change is a PUT of the rep status and takes effect at the next routing
 * decision; the lists and pools refresh after it.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDate, formatDateTime } from '../../format.ts'
import { useSession } from '../../session.tsx'
import { Badge, Callout, Card, Field } from '../../ui/kit.tsx'
import { ErrorState, Skeleton } from '../../ui/states.tsx'
import { formatInZone } from '../queue/queue-time.ts'
import { AvailabilityBadge, describeNextChange, OpenBadge, ProposeLink, todayIn } from './settings-format.tsx'
import { settingsKeys, useRep } from './settings-queries.ts'
import type { Absence, OutOfOfficeEntry, RepDetail } from './settings-types.ts'

type Change = { active?: boolean | null; out_of_office?: OutOfOfficeEntry[]; note?: string | null }

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** "Nov 23" for one day, "Nov 23 – Nov 24" for a stretch; date-times in the rep's zone. */
function describePeriod(from: string, to: string, timeZone: string): string {
  if (DATE_ONLY.test(from) && DATE_ONLY.test(to))
    return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`
  return `${formatInZone(from, timeZone)} – ${formatInZone(to, timeZone)}`
}

/** An absence as the server read it: dates local to the rep when written as dates, else instants. */
function describeAbsence(a: Absence, timeZone: string): string {
  if (a.until.length === 10) return describePeriod(todayIn(timeZone, Date.parse(a.from)), a.until, timeZone)
  return describePeriod(a.from, a.to, timeZone)
}

export function RepStatusPanel({ repId, onClose }: { repId: string; onClose?: (() => void) | undefined }) {
  const session = useSession()
  const rep = useRep(repId)
  const queryClient = useQueryClient()
  const save = useMutation({
    mutationFn: (change: Change) => api.put<RepDetail>(`/v1/reps/${encodeURIComponent(repId)}/status`, change),
    onSuccess: async (detail) => {
      queryClient.setQueryData(settingsKeys.rep(repId), detail)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: settingsKeys.reps, exact: true }),
        queryClient.invalidateQueries({ queryKey: settingsKeys.teams }),
        queryClient.invalidateQueries({ queryKey: settingsKeys.pools }),
      ])
    },
  })
  const title = rep.data ? `Status — ${rep.data.name}` : 'Status'
  return (
    <Card
      title={title}
      id="rep-status"
      className="rep-status"
      actions={
        onClose && (
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
            Close
          </button>
        )
      }
    >
      {rep.isPending ? (
        <Skeleton rows={5} />
      ) : rep.isError ? (
        <ErrorState error={rep.error} onRetry={() => rep.refetch()} />
      ) : (
        <RepStatusBody
          rep={rep.data}
          canSetActive={session.can('reps:set_status')}
          canEdit={session.can('reps:set_status') || session.principal.repId === repId}
          save={save}
        />
      )}
    </Card>
  )
}

type Save = {
  mutate(change: Change, opts?: { onSuccess?: () => void }): void
  isPending: boolean
  error: unknown
  isSuccess: boolean
  variables: Change | undefined
}

function RepStatusBody({
  rep,
  canSetActive,
  canEdit,
  save,
}: {
  rep: RepDetail
  canSetActive: boolean
  canEdit: boolean
  save: Save
}) {
  const zone = rep.calendar.time_zone
  const stored = rep.status?.out_of_office ?? []
  const agreementAbsences = [rep.out_of_office.current, ...rep.out_of_office.upcoming].filter(
    (a): a is Absence => a !== null && a.source === 'agreement',
  )
  const error = save.error instanceof ApiError ? save.error : null
  return (
    <div className="rep-status-body" data-testid="rep-status">
      <div className="rep-status-now">
        <AvailabilityBadge reason={rep.availability.reason} text={rep.availability.text} />
        <span className="muted small">
          {rep.team.name} · <OpenBadge open={rep.calendar} /> {rep.calendar.name},{' '}
          {describeNextChange(rep.calendar, zone, Date.parse(rep.as_of))} · {rep.load.today} lead
          {rep.load.today === 1 ? '' : 's'} today
        </span>
      </div>

      <section aria-labelledby="ooo-title">
        <h3 id="ooo-title" className="sub">
          Out of office
        </h3>
        <ul className="periods" data-testid="ooo-list">
          {agreementAbsences.map((a) => (
            <li key={`a-${a.from}`}>
              <span>{describeAbsence(a, zone)}</span>
              {a.note && <span className="muted"> — {a.note}</span>}
              <Badge tone="muted">Agreement</Badge>
            </li>
          ))}
          {stored.map((o, i) => (
            <li key={`s-${o.from}-${o.to}-${o.note ?? ''}`}>
              <span>{describePeriod(o.from, o.to, zone)}</span>
              {o.note && <span className="muted"> — {o.note}</span>}
              <Badge tone="accent">set here</Badge>
              {canEdit && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  disabled={save.isPending}
                  aria-label={`Remove the absence ${describePeriod(o.from, o.to, zone)}`}
                  onClick={() => save.mutate({ out_of_office: stored.filter((_, j) => j !== i) })}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
          {agreementAbsences.length === 0 && stored.length === 0 && <li className="muted">None planned.</li>}
        </ul>
        {agreementAbsences.length > 0 && (
          <p className="muted small">
            Absences written in the Agreement change through a proposed version. <ProposeLink at={`reps.${rep.id}`} />
          </p>
        )}
        {canEdit && <AddAbsenceForm zone={zone} stored={stored} save={save} error={error} />}
      </section>

      {canEdit && (
        <StatusForm
          rep={rep}
          canSetActive={canSetActive}
          save={save}
          error={error && !error.issues.some((i) => i.path.startsWith('out_of_office')) ? error : null}
        />
      )}

      {rep.status && (
        <p className="muted small" data-testid="status-updated">
          Last changed by {rep.status.updated_by}, {formatDateTime(rep.status.updated_at)}.
        </p>
      )}
      {rep.history.length > 0 && (
        <details className="history">
          <summary>History ({rep.history.length})</summary>
          <ul className="plain">
            {rep.history.map((h) => (
              <li key={`${h.at}-${h.actor}`} className="small">
                {formatDateTime(h.at)} · {h.actor}:{' '}
                {h.after
                  ? [
                      h.after.active === null ? 'follows the Agreement' : h.after.active ? 'active' : 'inactive',
                      `${h.after.out_of_office.length} absence${h.after.out_of_office.length === 1 ? '' : 's'}`,
                      h.after.note ? `note “${h.after.note}”` : null,
                    ]
                      .filter(Boolean)
                      .join(', ')
                  : 'changed'}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

function AddAbsenceForm({
  zone,
  stored,
  save,
  error,
}: {
  zone: string
  stored: OutOfOfficeEntry[]
  save: Save
  error: ApiError | null
}) {
  const id = useId()
  const today = todayIn(zone)
  const [from, setFrom] = useState(today)
  const [to, setTo] = useState(today)
  const [note, setNote] = useState('')
  const [added, setAdded] = useState<string | null>(null)
  const index = stored.length
  // The new period is the last one sent: its problems come back as out_of_office[<index>].*
  const issue = (field: 'from' | 'to') =>
    error?.issues.find((i) => i.path === `out_of_office[${index}].${field}`)?.message
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setAdded(null)
    const entry = { from, to, ...(note.trim() ? { note: note.trim() } : {}) }
    save.mutate(
      { out_of_office: [...stored, entry] },
      {
        onSuccess: () => {
          setAdded(`Out of office ${describePeriod(from, to, zone)} saved: no new leads until it ends.`)
          setNote('')
        },
      },
    )
  }
  return (
    <form className="form form-inline ooo-form" onSubmit={submit} aria-label="Add an absence">
      <Field label="From" htmlFor={`${id}-from`} error={issue('from')} hint={`First day, ${zone.replace(/_/g, ' ')}`}>
        <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field label="To" htmlFor={`${id}-to`} error={issue('to')} hint="Last day, included">
        <input id={`${id}-to`} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} required />
      </Field>
      <Field label="Note" htmlFor={`${id}-note`} hint="Shown in the routing trace">
        <input id={`${id}-note`} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="form-submit">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || !from || !to}>
          {save.isPending ? 'Saving…' : 'Mark out of office'}
        </button>
      </div>
      {added && (
        <div className="form-done" role="status">
          {added}
        </div>
      )}
    </form>
  )
}

function StatusForm({
  rep,
  canSetActive,
  save,
  error,
}: {
  rep: RepDetail
  canSetActive: boolean
  save: Save
  error: ApiError | null
}) {
  const id = useId()
  const storedActive = rep.status?.active ?? null
  const [active, setActive] = useState(storedActive === null ? 'agreement' : storedActive ? 'on' : 'off')
  const [note, setNote] = useState(rep.status?.note ?? '')
  const [done, setDone] = useState(false)
  useEffect(() => {
    setActive(storedActive === null ? 'agreement' : storedActive ? 'on' : 'off')
    setNote(rep.status?.note ?? '')
  }, [storedActive, rep.status?.note])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setDone(false)
    save.mutate(
      {
        ...(canSetActive ? { active: active === 'agreement' ? null : active === 'on' } : {}),
        note: note.trim() || null,
      },
      { onSuccess: () => setDone(true) },
    )
  }
  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Active and note">
      {canSetActive && (
        <Field
          label="Takes leads"
          htmlFor={`${id}-active`}
          error={error?.issues.find((i) => i.path === 'active')?.message}
          hint={`The Agreement says ${rep.active_in_agreement ? 'active' : 'inactive'}.`}
        >
          <select id={`${id}-active`} value={active} onChange={(e) => setActive(e.target.value)}>
            <option value="agreement">As the Agreement says ({rep.active_in_agreement ? 'active' : 'inactive'})</option>
            <option value="on">Active</option>
            <option value="off">Inactive — no new leads</option>
          </select>
        </Field>
      )}
      <Field label="Note" htmlFor={`${id}-note`} hint="For the team, e.g. who covers">
        <input id={`${id}-note`} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="form-submit">
        <button type="submit" className="btn" disabled={save.isPending}>
          Save
        </button>
      </div>
      {done && (
        <div className="form-done" role="status">
          Saved.
        </div>
      )}
      {error && (
        <Callout tone="bad" title="Not saved">
          {error.message}
        </Callout>
      )}
    </form>
  )
}
