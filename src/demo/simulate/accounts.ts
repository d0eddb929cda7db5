/**
 * Accounts with firmographics (industry, size, revenue, place, technologies) and their hidden ICP fit.
 */
import {
  COUNTRY_TABLE,
  type CountryProfile,
  FIT_TECHNOLOGIES,
  INDUSTRY_TABLE,
  type IndustryProfile,
  NAME_STEMS,
  TARGET_INDUSTRIES,
  TECHNOLOGIES,
  US_STATES,
} from './catalog.ts'
import type { Random } from './random.ts'
import type { Region, Segment, SimAccount, SimRep } from './types.ts'

export type GeneratedAccount = {
  readonly account: SimAccount
  readonly fit: number
  readonly inMarket: boolean
  readonly country: CountryProfile
  /** Standard UTC offset of the account's business hours. */
  readonly utcOffset: number
  readonly industry: IndustryProfile
}

/**
 * The hidden ICP fit in [0, 1]: target industry, the 200–2,000-employee sweet spot, integrating technologies and
 * a served region. Buying, win probability and deal size follow it; the ingest API never sees it.
 *
 * @example
 *   rateAccountFit({ industry: 'Healthcare', employees: 800, technologies: ['Salesforce'], region: 'NA' }) // 0.85
 */
export function rateAccountFit(
  account: Pick<SimAccount, 'industry' | 'employees' | 'technologies' | 'region'>,
): number {
  let fit = 0
  if (TARGET_INDUSTRIES.includes(account.industry)) fit += 0.35
  const e = account.employees
  if (e >= 200 && e <= 2000) fit += 0.3
  else if ((e >= 80 && e < 200) || (e > 2000 && e <= 10_000)) fit += 0.12
  let tech = 0
  for (const name of account.technologies) if (FIT_TECHNOLOGIES.includes(name)) tech += 0.1
  fit += Math.min(tech, 0.2)
  if (account.region === 'NA' || account.region === 'EMEA') fit += 0.15
  return Math.round(fit * 100) / 100
}

export function segmentFor(employees: number): Segment {
  if (employees < 200) return 'smb'
  if (employees < 2000) return 'mid_market'
  return 'enterprise'
}

/** A domain-safe slug of a company name: "Bluepeak Health" → "bluepeakhealth". */
export function slugForDomain(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '')
}

/**
 * One account. `nameFor` picks the company name (the quarter rejects duplicates; the benchmark stream makes names
 * unique by construction), so domains are unique across a run.
 */
export function generateAccount(
  rng: Random,
  nameFor: (industry: IndustryProfile, rng: Random) => string,
  reps: readonly SimRep[],
): GeneratedAccount {
  const industry = rng.pickWeighted(INDUSTRY_TABLE)
  const country = rng.pickWeighted(COUNTRY_TABLE)
  // Log-normal company size: median ~120, a long tail into the tens of thousands.
  const employees = Math.max(3, Math.min(250_000, Math.round(rng.logNormal(120, 1.55))))
  const revenue = roundRevenue(employees * industry.revenuePerEmployee * rng.logNormal(1, 0.35))
  const segment = segmentFor(employees)

  let state: string | undefined
  let utcOffset = country.utcOffset
  if (country.code === 'US') {
    const [code, offset] = rng.pickWeighted(US_STATES)
    state = code
    utcOffset = offset
  }

  const sizeFactor = Math.log10(employees / 500)
  const technologies: string[] = []
  for (const tech of TECHNOLOGIES) {
    if (tech.industries && !tech.industries.includes(industry.name)) continue
    const p = Math.min(0.92, Math.max(0.01, tech.adoption * (1 + tech.sizeTilt * sizeFactor)))
    if (rng.chance(p)) technologies.push(tech.name)
  }
  // Stacks are messy in real data: the CRM sometimes knows nothing.
  if (rng.chance(0.06)) technologies.length = 0

  const name = nameFor(industry, rng)
  const domain = `${slugForDomain(name)}.${rng.chance(0.25) ? country.tld : 'com'}`
  const region: Region = country.region
  const fit = rateAccountFit({ industry: industry.name, employees, technologies, region })
  const ownerChance = segment === 'enterprise' ? 0.8 : segment === 'mid_market' ? 0.35 : 0.05
  const owners = reps.filter((r) => r.role === 'ae' && r.region === region)
  const owner = owners.length > 0 && rng.chance(ownerChance) ? rng.pick(owners).id : null
  const inMarket = rng.chance(0.06 + 0.34 * fit)

  const account: SimAccount =
    state === undefined
      ? {
          domain,
          name,
          industry: industry.name,
          employees,
          revenue,
          country: country.code,
          region,
          technologies,
          owner,
          segment,
        }
      : {
          domain,
          name,
          industry: industry.name,
          employees,
          revenue,
          country: country.code,
          region,
          state,
          technologies,
          owner,
          segment,
        }
  return { account, fit, inMarket, country, utcOffset, industry }
}

function roundRevenue(usd: number): number {
  if (usd >= 10_000_000) return Math.round(usd / 1_000_000) * 1_000_000
  return Math.max(50_000, Math.round(usd / 10_000) * 10_000)
}

/** Names drawn at random, retried until unused; after many collisions a number keeps them unique. */
export function uniqueNamePicker(): (industry: IndustryProfile, rng: Random) => string {
  const used = new Set<string>()
  return (industry, rng) => {
    for (let attempt = 0; ; attempt++) {
      const base = `${rng.pick(NAME_STEMS)} ${rng.pick(industry.nameSuffixes)}`
      const name = attempt < 20 ? base : `${base} ${attempt}`
      const slug = slugForDomain(name)
      if (!used.has(slug)) {
        used.add(slug)
        return name
      }
    }
  }
}
