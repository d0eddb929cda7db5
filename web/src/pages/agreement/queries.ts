import { useQuery } from '@tanstack/react-query'
import { api } from '../../api.ts'
import type { AgreementVersion, AgreementVersionWithSource, VersionDiff } from '../../types.ts'

export const agreementKeys = {
  all: ['agreement'] as const,
  active: ['agreement', 'active'] as const,
  versions: ['agreement', 'versions'] as const,
  version: (ref: string) => ['agreement', 'version', ref] as const,
  diff: (ref: string) => ['agreement', 'diff', ref] as const,
}

export const useActiveAgreement = () =>
  useQuery({
    queryKey: agreementKeys.active,
    queryFn: ({ signal }) => api.get<AgreementVersionWithSource>('/v1/agreement', signal),
  })

export const useVersions = () =>
  useQuery({
    queryKey: agreementKeys.versions,
    queryFn: ({ signal }) => api.get<{ versions: AgreementVersion[] }>('/v1/agreements', signal),
  })

export const useVersion = (ref: string) =>
  useQuery({
    queryKey: agreementKeys.version(ref),
    queryFn: ({ signal }) => api.get<AgreementVersionWithSource>(`/v1/agreements/${encodeURIComponent(ref)}`, signal),
  })

export const useDiffAgainstActive = (ref: string, enabled: boolean) =>
  useQuery({
    queryKey: agreementKeys.diff(ref),
    enabled,
    queryFn: ({ signal }) =>
      api.get<VersionDiff>(`/v1/agreements/${encodeURIComponent(ref)}/diff?against=active`, signal),
  })
