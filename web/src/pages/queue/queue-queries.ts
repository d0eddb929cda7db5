/** Query keys and shared reads of My queue; every action invalidates `queueKeys.all` (and the Leads pages). */
import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { BriefResponse } from './queue-types.ts'

export const queueKeys = {
  all: ['queue'] as const,
  list: (rep: string) => ['queue', 'list', rep] as const,
  brief: (leadId: number) => ['queue', 'brief', leadId] as const,
  sla: (leadId: number) => ['queue', 'sla', leadId] as const,
}

/** The brief is read by the list (for each lead's trigger) and by the selected lead: one request per lead. */
export const useBrief = (leadId: number) =>
  useQuery({
    queryKey: queueKeys.brief(leadId),
    queryFn: ({ signal }) => api.get<BriefResponse>(`/v1/leads/${leadId}/brief`, signal),
    staleTime: 60_000,
  })
