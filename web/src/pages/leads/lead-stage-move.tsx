/**
 * Explicit stage moves from the lead page: forward to SQL, Opportunity, Won or Lost for an open lead
 * (POST /v1/leads/:ref/stage), back to an earlier stage for a closed one (POST /v1/leads/:ref/reopen). Both need a
 * reason, recorded with the transition; accepting, rejecting and recycling stay on My queue with the Agreement's
 * reason codes.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api } from '../../api.ts'
import { useSession } from '../../session.tsx'
import { Callout, Card } from '../../ui/kit.tsx'
import { queueKeys } from '../queue/queue-queries.ts'
import type { LeadDetail } from './lead-types.ts'

const FORWARD = ['Lead', 'MQL', 'AQL', 'SAL', 'SQL', 'Opportunity'] as const
const ADVANCE = ['SQL', 'Opportunity', 'Won', 'Lost'] as const
const REOPEN = ['Lead', 'MQL', 'AQL', 'SAL', 'SQL', 'Opportunity'] as const
const CLOSED: ReadonlySet<string> = new Set(['Won', 'Lost', 'Disqualified', 'Recycled'])

type MoveResult = { leadId: number; from: string; stage: string; closed: boolean; explanation: string }

/** The stages a lead at `stage` may be moved to by hand, and whether that is a re-open. */
export function stageMoves(stage: string): { reopen: boolean; to: readonly string[] } {
  if (CLOSED.has(stage)) return { reopen: true, to: REOPEN }
  const at = FORWARD.indexOf(stage as (typeof FORWARD)[number])
  return { reopen: false, to: ADVANCE.filter((s) => s === 'Won' || s === 'Lost' || FORWARD.indexOf(s) > at) }
}

export function LeadStageMove({ lead }: { lead: LeadDetail }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const { reopen, to: options } = stageMoves(lead.stage)
  const [picked, setTo] = useState<string>(options[0] ?? '')
  // After a move the stage changes and so do the choices: keep the pick only while it is still one of them.
  const to = options.includes(picked) ? picked : (options[0] ?? '')
  const [reason, setReason] = useState('')
  const move = useMutation({
    mutationFn: () =>
      api.post<MoveResult>(`/v1/leads/${lead.id}/${reopen ? 'reopen' : 'stage'}`, { to, reason: reason.trim() }),
    onSuccess: async () => {
      setReason('')
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['leads'] }),
        queryClient.invalidateQueries({ queryKey: queueKeys.all }),
      ])
    },
  })
  const mine = lead.owner_rep_id !== null && lead.owner_rep_id === session.principal.repId
  if (!session.can('leads:act_any') && !(session.can('leads:act_own') && mine)) return null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!move.isPending && reason.trim()) move.mutate()
  }
  return (
    <Card title={reopen ? 'Re-open' : 'Move stage'} id="lead-stage-move">
      <form className="lead-move" onSubmit={submit} aria-label={reopen ? 'Re-open lead' : 'Move stage'}>
        <p className="muted small lead-move-hint">
          {reopen
            ? `This cycle is ${lead.stage}. Re-opening moves it back by hand; the engine's forward moves resume from there.`
            : 'Forward moves the CRM usually makes. Won and Lost close the cycle and stop an open SLA clock.'}
        </p>
        <div className="field">
          <label htmlFor="move-to">{reopen ? 'Re-open at' : 'Move to'}</label>
          <select id="move-to" value={to} onChange={(e) => setTo(e.target.value)}>
            {options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field lead-move-reason">
          <label htmlFor="move-reason">Reason</label>
          <input
            id="move-reason"
            value={reason}
            required
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder={reopen ? 'Rejected by mistake: wrong domain' : 'Discovery held: budget owner confirmed'}
            autoComplete="off"
          />
        </div>
        <button type="submit" className="btn" disabled={move.isPending || !reason.trim()}>
          {move.isPending ? 'Saving…' : reopen ? `Re-open at ${to}` : `Move to ${to}`}
        </button>
        {move.isError && (
          <div className="form-error" role="alert">
            {(move.error as Error).message}
          </div>
        )}
        {move.isSuccess && (
          <Callout tone="good" title={`${move.data.from} → ${move.data.stage}`}>
            {move.data.explanation}
          </Callout>
        )}
      </form>
    </Card>
  )
}
