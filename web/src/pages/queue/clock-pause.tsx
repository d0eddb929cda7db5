/**
 * Pause and resume the selected lead's SLA clock for a reason the Agreement lists under `sla.pause_when` (e.g. the
 * lead asked to be called back at a set time). Shown only while the clock can be paused — running and not yet due —
 * or is paused; the server refuses the rest and its message is shown here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api } from '../../api.ts'
import { humanize } from '../../format.ts'
import { queueKeys } from './queue-queries.ts'
import type { SlaClock } from './queue-types.ts'

export function ClockPauseControl({
  leadId,
  clock,
  reasons,
}: {
  leadId: number
  clock: SlaClock
  /** The Agreement's sla.pause_when. */
  reasons: string[]
}) {
  const queryClient = useQueryClient()
  const [reason, setReason] = useState(reasons[0] ?? '')
  const [note, setNote] = useState('')
  const paused = clock.status === 'paused'
  const action = useMutation({
    mutationFn: () => {
      const withNote = note.trim() ? { note: note.trim() } : {}
      return paused
        ? api.post(`/v1/leads/${leadId}/sla/resume`, withNote)
        : api.post(`/v1/leads/${leadId}/sla/pause`, { reason_code: reason, ...withNote })
    },
    onSuccess: async () => {
      setNote('')
      await queryClient.invalidateQueries({ queryKey: queueKeys.all })
    },
  })
  const pastDue = clock.remaining_business_ms !== null && clock.remaining_business_ms <= 0
  if (!paused && (clock.status !== 'running' || pastDue || reasons.length === 0)) return null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!action.isPending) action.mutate()
  }
  return (
    <section className="card">
      <form
        className={`card-body queue-touch ${paused ? 'queue-resume' : ''}`}
        onSubmit={submit}
        aria-label={paused ? 'Resume SLA clock' : 'Pause SLA clock'}
      >
        {!paused && (
          <div className="field">
            <label htmlFor="pause-reason">Pause while</label>
            <select id="pause-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="pause-note">
            Note <span className="muted">(optional)</span>
          </label>
          <input
            id="pause-note"
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.target.value)}
            placeholder={paused ? 'Reached them, call booked…' : 'Asked to be called back Tuesday 14:00'}
            autoComplete="off"
          />
        </div>
        <button type="submit" className="btn" disabled={action.isPending}>
          {action.isPending ? 'Saving…' : paused ? 'Resume clock' : 'Pause clock'}
        </button>
        {action.isError && (
          <div className="form-error" role="alert">
            {(action.error as Error).message}
          </div>
        )}
      </form>
    </section>
  )
}
