/** Employee bands used for segmenting; labels are stable keys stored with dispositions. */
export const EMPLOYEE_BANDS = [
  { label: '<50', min: 0, max: 50 },
  { label: '50-199', min: 50, max: 200 },
  { label: '200-999', min: 200, max: 1000 },
  { label: '1000-4999', min: 1000, max: 5000 },
  { label: '5000+', min: 5000, max: null },
] as const

export type EmployeeBand = (typeof EMPLOYEE_BANDS)[number]['label']

/**
 * The employee band of a head count, or null when unknown.
 *
 * @example findEmployeeBand(42) // '<50'
 */
export function findEmployeeBand(employees: number | null | undefined): EmployeeBand | null {
  if (employees === null || employees === undefined || !Number.isFinite(employees) || employees < 0) return null
  return EMPLOYEE_BANDS.find((band) => band.max === null || employees < band.max)!.label
}

export type SegmentSource = {
  employees?: number | null
  industry?: string | null
  country?: string | null
  region?: string | null
  source?: string | null
  campaign?: string | null
  /** ICP fit criteria (by name) the lead matched, and all criteria of the Agreement version. */
  matchedCriteria?: readonly string[]
  allCriteria?: readonly string[]
}

/** Prefix of the per-criterion dimensions: `icp:Mid-market` → 'matched' | 'not_matched'. */
export const ICP_DIMENSION_PREFIX = 'icp:'

/**
 * The segment dimensions of a lead, as stored with its disposition: employee band, industry, country,
 * region, source, campaign, and one `icp:<criterion>` dimension per ICP criterion ('matched' or
 * 'not_matched'), so one aggregation answers "are leads matching Mid-market rejected more?".
 *
 * @example describeSegments({ employees: 42, source: 'webinar', matchedCriteria: ['Fintech'], allCriteria: ['Fintech', 'Mid-market'] })
 * // { employees_band: '<50', industry: null, …, source: 'webinar', 'icp:Fintech': 'matched', 'icp:Mid-market': 'not_matched' }
 */
export function describeSegments(lead: SegmentSource): Record<string, string | null> {
  const dimensions: Record<string, string | null> = {
    employees_band: findEmployeeBand(lead.employees),
    industry: lead.industry ?? null,
    country: lead.country ?? null,
    region: lead.region ?? null,
    source: lead.source ?? null,
    campaign: lead.campaign ?? null,
  }
  const matched = new Set(lead.matchedCriteria ?? [])
  for (const criterion of lead.allCriteria ?? lead.matchedCriteria ?? []) {
    dimensions[`${ICP_DIMENSION_PREFIX}${criterion}`] = matched.has(criterion) ? 'matched' : 'not_matched'
  }
  return dimensions
}
