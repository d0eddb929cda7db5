/**
 * What a rep does with a lead: log the first touch (which stops the SLA clock), then accept, reject or recycle it
 * with a reason code from the Agreement in force. A code marked `requires_note` needs a note before the form is
 * sent; the server checks the same and its refusals are shown beside the field they name.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useRef, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { humanize } from '../../format.ts'
import type { AgreementDocument } from '../../types.ts'
import { Callout } from '../../ui/kit.tsx'
import { queueKeys } from './queue-queries.ts'
import {
  type DispositionResult,
  type Outcome,
  TOUCH_CHANNELS,
  type TouchChannel,
  type TouchResult,
} from './queue-types.ts'

const OUTCOMES: { value: Outcome; label: string; submit: string; hint: string }[] = [
  { value: 'accept', label: 'Accept', submit: 'Accept lead', hint: 'Sales accepts it: the lead becomes SAL.' },
  { value: 'reject', label: 'Reject', submit: 'Reject lead', hint: 'Not for sales: the lead is disqualified.' },
  {
    value: 'recycle',
    label: 'Recycle',
    submit: 'Recycle lead',
    hint: 'Not now: back to marketing’s nurture for the reason’s period.',
  },
]

const CHANNEL_LABEL: Record<TouchChannel, string> = {
  call: 'Call',
  email: 'Email',
  linkedin: 'LinkedIn',
  meeting: 'Meeting',
}

type FieldErrors = { reason_code?: string; note?: string; form?: string }

/** Splits an API refusal into the fields it names (`issues[].path`) and a message for the rest. */
function errorsOf(e: unknown): FieldErrors {
  if (!(e instanceof ApiError)) return { form: (e as Error).message }
  const out: FieldErrors = {}
  for (const i of e.issues) {
    if (i.path === 'note' || i.path === 'reason_code') out[i.path] = i.message
  }
  if (!out.note && !out.reason_code) out.form = e.message
  return out
}

export function QueueActions({
  leadId,
  touched,
  hasClock,
  done,
  onTouched,
  onDone,
  dispositions,
}: {
  leadId: number
  touched: boolean
  hasClock: boolean
  done: DispositionResult | null
  onTouched: (r: TouchResult) => void
  onDone: (r: DispositionResult) => void
  dispositions: AgreementDocument['dispositions'] | null
}) {
  const queryClient = useQueryClient()
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: queueKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['leads'] }),
    ])
  }

  const [channel, setChannel] = useState<TouchChannel>('call')
  const [touchNote, setTouchNote] = useState('')
  const touch = useMutation({
    mutationFn: () =>
      api.post<TouchResult>(`/v1/leads/${leadId}/touch`, {
        channel,
        ...(touchNote.trim() ? { note: touchNote.trim() } : {}),
      }),
    onSuccess: async (r) => {
      onTouched(r)
      await refresh()
      reasonRef.current?.focus()
    },
  })

  const [outcome, setOutcome] = useState<Outcome>('accept')
  const [reason, setReason] = useState('')
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const reasonRef = useRef<HTMLSelectElement>(null)
  const noteRef = useRef<HTMLTextAreaElement>(null)
  const codes = dispositions?.[outcome] ?? []
  const code = codes.find((c) => c.code === reason) ?? null
  const noteRequired = code?.requires_note ?? false
  const chosen = OUTCOMES.find((o) => o.value === outcome)!

  const dispose = useMutation({
    mutationFn: () =>
      api.post<DispositionResult>(`/v1/leads/${leadId}/disposition`, {
        outcome,
        reason_code: reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async (r) => {
      onDone(r)
      await refresh()
    },
    onError: (e) => {
      const found = errorsOf(e)
      setErrors(found)
      if (found.note) noteRef.current?.focus()
      else if (found.reason_code) reasonRef.current?.focus()
    },
  })

  const submitTouch = (e: FormEvent) => {
    e.preventDefault()
    if (!touch.isPending) touch.mutate()
  }

  const submitDisposition = (e: FormEvent) => {
    e.preventDefault()
    if (dispose.isPending) return
    const found: FieldErrors = {}
    if (!reason) found.reason_code = `Choose why you ${outcome} this lead.`
    else if (noteRequired && !note.trim())
      found.note = `A note is required for “${code!.label}”: say in a sentence why, so marketing can learn from it.`
    setErrors(found)
    if (found.reason_code) return reasonRef.current?.focus()
    if (found.note) return noteRef.current?.focus()
    dispose.mutate()
  }

  return (
    <section className="card queue-actions" aria-labelledby="queue-actions-title">
      <div className="card-head">
        <h2 className="card-title" id="queue-actions-title">
          Work this lead
        </h2>
      </div>
      <div className="card-body queue-steps">
        <div className={`queue-step ${touched ? 'queue-step-done' : ''}`}>
          <div className="queue-step-mark" aria-hidden="true">
            {touched ? '✓' : '1'}
          </div>
          <div className="queue-step-body">
            <h3 className="queue-step-title">{touched ? 'First touch logged' : 'Log first touch'}</h3>
            {touched ? (
              <p className="muted small">
                {hasClock ? 'The SLA clock stopped at the first touch. ' : ''}Now record what you decided.
              </p>
            ) : (
              <form className="queue-touch" onSubmit={submitTouch} aria-label="Log first touch">
                <div className="field">
                  <label htmlFor="touch-channel">Channel</label>
                  <select
                    id="touch-channel"
                    value={channel}
                    onChange={(e) => setChannel(e.target.value as TouchChannel)}
                  >
                    {TOUCH_CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {CHANNEL_LABEL[c]}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="touch-note">
                    Note <span className="muted">(optional)</span>
                  </label>
                  <input
                    id="touch-note"
                    value={touchNote}
                    maxLength={2000}
                    onChange={(e) => setTouchNote(e.target.value)}
                    placeholder="Voicemail, booked a call…"
                    autoComplete="off"
                  />
                </div>
                <button type="submit" className="btn btn-primary queue-touch-submit" disabled={touch.isPending}>
                  {touch.isPending ? 'Logging…' : 'Log first touch'}
                </button>
                {touch.isError && (
                  <div className="form-error" role="alert">
                    {(touch.error as Error).message}
                  </div>
                )}
              </form>
            )}
          </div>
        </div>

        <div className={`queue-step ${done ? 'queue-step-done' : ''}`}>
          <div className="queue-step-mark" aria-hidden="true">
            {done ? '✓' : '2'}
          </div>
          <div className="queue-step-body">
            <h3 className="queue-step-title">{done ? 'Decision recorded' : 'Accept, reject or recycle'}</h3>
            {done ? (
              <Callout
                tone={done.outcome === 'accept' ? 'good' : 'neutral'}
                title={`${humanize(`${done.outcome}ed`)} — ${done.reasonCode} · now ${done.stage}`}
              >
                <span data-testid="disposition-result">{done.explanation}</span>
                {done.nurtureUntil && (
                  <div className="small muted">Back in nurture until {new Date(done.nurtureUntil).toDateString()}.</div>
                )}
              </Callout>
            ) : dispositions === null ? (
              <p className="muted small">The Agreement’s reason codes are loading…</p>
            ) : (
              <form className="queue-dispose" onSubmit={submitDisposition} aria-label="Record a disposition" noValidate>
                <fieldset className="queue-outcomes">
                  <legend className="sr-only">Outcome</legend>
                  {OUTCOMES.map((o) => (
                    <label key={o.value} className={`queue-outcome queue-outcome-${o.value}`}>
                      <input
                        type="radio"
                        name="outcome"
                        value={o.value}
                        checked={outcome === o.value}
                        onChange={() => {
                          setOutcome(o.value)
                          setReason('')
                          setErrors({})
                        }}
                      />
                      <span>{o.label}</span>
                    </label>
                  ))}
                </fieldset>
                <p className="muted small queue-outcome-hint">
                  {chosen.hint}
                  {outcome === 'accept' && !touched && ' Log the first touch before accepting.'}
                </p>
                <div className={`field ${errors.reason_code ? 'field-invalid' : ''}`}>
                  <label htmlFor="disposition-reason">Reason code</label>
                  <select
                    id="disposition-reason"
                    ref={reasonRef}
                    value={reason}
                    aria-invalid={errors.reason_code ? true : undefined}
                    aria-describedby={errors.reason_code ? 'disposition-reason-error' : undefined}
                    onChange={(e) => {
                      setReason(e.target.value)
                      setErrors({})
                    }}
                  >
                    <option value="">Choose a reason…</option>
                    {codes.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.label}
                        {c.requires_note ? ' (note required)' : ''}
                      </option>
                    ))}
                  </select>
                  {errors.reason_code && (
                    <div className="field-error" id="disposition-reason-error">
                      {errors.reason_code}
                    </div>
                  )}
                  {code?.description && !errors.reason_code && <div className="field-hint">{code.description}</div>}
                </div>
                <div className={`field ${errors.note ? 'field-invalid' : ''}`}>
                  <label htmlFor="disposition-note">
                    Note{' '}
                    {noteRequired ? (
                      <span className="queue-required">required</span>
                    ) : (
                      <span className="muted">(optional)</span>
                    )}
                  </label>
                  <textarea
                    id="disposition-note"
                    ref={noteRef}
                    rows={3}
                    maxLength={2000}
                    value={note}
                    required={noteRequired}
                    aria-invalid={errors.note ? true : undefined}
                    aria-describedby={errors.note ? 'disposition-note-error' : 'disposition-note-hint'}
                    onChange={(e) => {
                      setNote(e.target.value)
                      if (errors.note) setErrors({ ...errors, note: undefined })
                    }}
                    onKeyDown={(e) => {
                      // Enter makes a new line in a note; Ctrl/⌘+Enter sends the form, as in most editors.
                      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit()
                    }}
                    placeholder={noteRequired ? 'Why? Marketing reads this.' : 'Anything marketing should know'}
                  />
                  {errors.note ? (
                    <div className="field-error" id="disposition-note-error" role="alert">
                      {errors.note}
                    </div>
                  ) : (
                    <div className="field-hint" id="disposition-note-hint">
                      Ctrl+Enter sends.
                    </div>
                  )}
                </div>
                {errors.form && (
                  <div className="form-error" role="alert">
                    {errors.form}
                  </div>
                )}
                <div className="queue-dispose-submit">
                  <button
                    type="submit"
                    className={`btn ${outcome === 'reject' ? 'btn-danger' : 'btn-primary'}`}
                    disabled={dispose.isPending}
                  >
                    {dispose.isPending ? 'Saving…' : chosen.submit}
                  </button>
                </div>
              </form>
            )}
          </div>
        </div>
      </div>
    </section>
  )
}
