// The operational overlay on the Agreement's reps: who is out of office this week, who is switched off today.
// Those change day to day and must not wait for both owners to sign a new version, so they live in the rep status
// (stored by the use case) and are merged here, as data, before every routing decision — routing stays pure.

import type { OutOfOffice, Rep } from './routing-types.ts'

/**
 * One rep's operational status. `active: null` follows the Agreement; `true`/`false` overrides it until cleared.
 * `outOfOffice` entries are added to the Agreement's own (they never remove one the Agreement lists).
 */
export type RepStatus = {
  readonly repId: string
  readonly active: boolean | null
  readonly outOfOffice: readonly OutOfOffice[]
}

/**
 * The reps routing should see: the Agreement's, with each rep's status merged in. Facts that came from the status
 * are marked `source: 'rep_status'`, so the routing trace can say a rep was skipped because someone marked them out
 * of office in Accord, not because the Agreement says so. Reps without a status are returned as the same objects
 * (routing caches per object); with no statuses at all the same array comes back.
 * @example applyRepStatuses(plan.reps, [{ repId: 'ana_ruiz', active: null, outOfOffice: [{ from: '2026-11-23', to: '2026-11-24', note: 'Flu' }] }])
 * // ana_ruiz.outOfOffice ends with { from: '2026-11-23', to: '2026-11-24', note: 'Flu', source: 'rep_status' }
 */
export function applyRepStatuses(reps: readonly Rep[], statuses: readonly RepStatus[]): readonly Rep[] {
  if (statuses.length === 0) return reps
  const byRep = new Map(statuses.map((s) => [s.repId, s]))
  return reps.map((rep) => {
    const status = byRep.get(rep.id)
    if (!status) return rep
    const overridesActive = status.active !== null && status.active !== rep.active
    if (!overridesActive && status.outOfOffice.length === 0) return rep
    return {
      ...rep,
      ...(overridesActive ? { active: status.active!, activeSource: 'rep_status' as const } : {}),
      outOfOffice: [
        ...rep.outOfOffice,
        ...status.outOfOffice.map((o) => ({
          from: o.from,
          to: o.to,
          ...(o.note ? { note: o.note } : {}),
          source: 'rep_status' as const,
        })),
      ],
    }
  })
}
