import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { CalendarView, PoolView, RepDetail, RepsResponse, TeamView } from './settings-types.ts'

export const settingsKeys = {
  reps: ['settings', 'reps'] as const,
  rep: (id: string) => ['settings', 'reps', id] as const,
  teams: ['settings', 'teams'] as const,
  pools: ['settings', 'pools'] as const,
  calendars: (year: number) => ['settings', 'calendars', year] as const,
  endpoints: ['settings', 'endpoints'] as const,
  outbox: (status: string, endpoint: string) => ['settings', 'outbox', status, endpoint] as const,
}

/** Live state moves with the clock (hours open and close, caps fill): refreshed every minute. */
const LIVE = 60_000

export const useReps = () =>
  useQuery({
    queryKey: settingsKeys.reps,
    queryFn: ({ signal }) => api.get<RepsResponse>('/v1/reps', signal),
    refetchInterval: LIVE,
  })

export const useRep = (id: string) =>
  useQuery({
    queryKey: settingsKeys.rep(id),
    enabled: id !== '',
    queryFn: ({ signal }) => api.get<RepDetail>(`/v1/reps/${encodeURIComponent(id)}`, signal),
  })

export const useTeams = (enabled: boolean) =>
  useQuery({
    queryKey: settingsKeys.teams,
    enabled,
    queryFn: ({ signal }) => api.get<{ as_of: string; teams: TeamView[] }>('/v1/teams', signal),
    refetchInterval: LIVE,
  })

export const usePools = () =>
  useQuery({
    queryKey: settingsKeys.pools,
    queryFn: ({ signal }) => api.get<{ as_of: string; pools: PoolView[] }>('/v1/pools', signal),
    refetchInterval: LIVE,
  })

export const useCalendars = (year: number) =>
  useQuery({
    queryKey: settingsKeys.calendars(year),
    queryFn: ({ signal }) =>
      api.get<{ as_of: string; year: number; calendars: CalendarView[] }>(`/v1/calendars?year=${year}`, signal),
    refetchInterval: LIVE,
  })
