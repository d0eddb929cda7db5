/**
 * People: employees of accounts (most on the company domain, ~15% behind a free-mail address), plus a few students
 * and job seekers who download content and sometimes ask for a demo (reps reject them later).
 */

import type { GeneratedAccount } from './accounts.ts'
import {
  COUNTRY_TABLE,
  type CountryProfile,
  FREE_MAIL_DOMAINS,
  firstNamesFor,
  JOB_SEEKER_TITLES,
  lastNamesFor,
  STUDENT_TITLES,
  TITLES,
  UNIVERSITY_DOMAINS,
} from './catalog.ts'
import type { Random } from './random.ts'
import { hashString, mix32 } from './random.ts'
import type { Department, PersonKind, Segment, Seniority, SimPerson } from './types.ts'

export type GeneratedPerson = {
  readonly person: SimPerson
  /** Position in the run, unique; anonymous ids and free-mail addresses derive from it, so they are unique too. */
  readonly index: number
  readonly kind: PersonKind
  readonly seniority: Seniority
  readonly department: Department
  readonly freeMail: boolean
  /** The account they work for (also behind a free-mail address); null for students and job seekers. */
  readonly account: GeneratedAccount | null
  readonly utcOffset: number
  readonly anonymousId: string
  /** Relative activity, log-normal with mean 1: most people do little, a few do a lot. */
  readonly engagement: number
  /** Propensity in [0, 1] to talk to sales this quarter: in-market account × fit × persona. */
  readonly buying: number
  /** Already in the marketing database on day one, so emails reach them before any form fill. */
  readonly subscribed: boolean
}

const SEGMENT_PEOPLE: Record<Segment, number> = { smb: 0.7, mid_market: 1.3, enterprise: 2 }
/** Mean of SEGMENT_PEOPLE over the account-size distribution, so `personsPerAccount` stays the overall mean. */
const SEGMENT_PEOPLE_MEAN = 0.95

/** How many people of this account appear in the data; mean `personsPerAccount` over many accounts. */
export function samplePeopleCount(rng: Random, account: GeneratedAccount, personsPerAccount: number): number {
  const target = (personsPerAccount * SEGMENT_PEOPLE[account.account.segment]) / SEGMENT_PEOPLE_MEAN
  return Math.max(1, Math.round(rng.logNormal(target / 1.1, 0.45)))
}

const SENIORITY_BUYING: Record<Seniority, number> = {
  c_level: 1.2,
  vp: 1.4,
  director: 1.3,
  manager: 1,
  individual: 0.55,
}
const DEPARTMENT_BUYING: Record<Department, number> = {
  revops: 1.5,
  marketing: 1.25,
  sales: 1.25,
  executive: 1.1,
  operations: 0.7,
  customer_success: 0.6,
  it: 0.6,
  engineering: 0.45,
  finance: 0.5,
  none: 0.3,
}
const SENIORITY_ACTIVITY: Record<Seniority, number> = {
  c_level: 0.5,
  vp: 0.7,
  director: 0.9,
  manager: 1.1,
  individual: 1.2,
}

/** A UUID-shaped anonymous id whose last group is a bijection of the person's index: random-looking yet unique. */
export function anonymousIdFor(rng: Random, index: number): string {
  const a = rng.hex8()
  const b = rng.hex8()
  const tail = mix32(index).toString(16).padStart(8, '0')
  const hi = Math.floor(index / 4294967296)
    .toString(16)
    .padStart(4, '0')
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(8 + (index & 3)).toString(16)}${hi.slice(-3)}-${rng.hex8().slice(0, 4)}${tail}`
}

function asciiLocal(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '')
}

function sampleEngagement(rng: Random): number {
  // Log-normal with σ = 1.1 has mean e^(σ²/2) × median; dividing by it keeps the mean at 1.
  return rng.logNormal(1, 1.1) / 1.832
}

/**
 * The people of one account. `firstIndex` is the run-wide index of the first; `count` from `samplePeopleCount`.
 */
export function generateAccountPeople(
  rng: Random,
  account: GeneratedAccount,
  count: number,
  firstIndex: number,
  freeMailShare: number,
): GeneratedPerson[] {
  const people: GeneratedPerson[] = []
  const usedLocals = new Set<string>()
  const names = account.country.firstNames
  const addressFormat = hashString(account.account.domain) % 5
  for (let i = 0; i < count; i++) {
    const index = firstIndex + i
    const first = rng.pick(firstNamesFor(names))
    const last = rng.pick(lastNamesFor(names))
    const role = rng.pickWeighted(TITLES)
    const freeMail = rng.chance(freeMailShare)
    let email: string
    if (freeMail) {
      email = `${freeMailLocal(rng, first, last, index)}@${rng.pickWeighted(FREE_MAIL_DOMAINS)}`
    } else {
      const base = companyLocal(addressFormat, first, last)
      let local = base
      for (let n = 2; usedLocals.has(local); n++) local = `${base}${n}`
      usedLocals.add(local)
      email = `${local}@${account.account.domain}`
    }
    const person: { -readonly [K in keyof SimPerson]: SimPerson[K] } = {
      email,
      first_name: first,
      last_name: last,
      title: role.title,
    }
    if (rng.chance(0.8)) person.country = account.account.country
    // Nothing in a personal address ties it to the company, so the record carries no account.
    if (!freeMail) person.account_domain = account.account.domain
    const base = account.inMarket ? 0.25 + 0.6 * account.fit : 0.02 + 0.06 * account.fit
    const buying = Math.min(0.95, base * SENIORITY_BUYING[role.seniority] * DEPARTMENT_BUYING[role.department])
    people.push({
      person,
      index,
      kind: 'employee',
      seniority: role.seniority,
      department: role.department,
      freeMail,
      account,
      utcOffset: account.utcOffset,
      anonymousId: anonymousIdFor(rng, index),
      engagement: sampleEngagement(rng) * SENIORITY_ACTIVITY[role.seniority] * (account.inMarket ? 1.6 : 1),
      buying,
      subscribed: rng.chance(0.45),
    })
  }
  return people
}

/** Company address formats, chosen per account so colleagues share one (as they do in real companies). */
function companyLocal(format: number, first: string, last: string): string {
  const f = asciiLocal(first)
  const l = asciiLocal(last)
  switch (format) {
    case 0:
    case 1:
      return `${f}.${l}`
    case 2:
      return `${f[0] ?? 'x'}${l}`
    case 3:
      return `${f}${l[0] ?? 'x'}`
    default:
      return f
  }
}

/** The index digits end the local part, and names never end in digits, so two people never share an address. */
function freeMailLocal(rng: Random, first: string, last: string, index: number): string {
  const f = asciiLocal(first)
  const l = asciiLocal(last)
  const n = String(index + 7)
  switch (rng.int(0, 3)) {
    case 0:
      return `${f}.${l}${n}`
    case 1:
      return `${f}${l}${n}`
    case 2:
      return `${f[0] ?? 'x'}${l}${n}`
    default:
      return `${f}_${l}${n}`
  }
}

/** A student or job seeker: personal or university address, no account, curious but not buying. */
export function generateOutsider(rng: Random, index: number): GeneratedPerson {
  const kind: PersonKind = rng.chance(0.55) ? 'student' : 'job_seeker'
  const country: CountryProfile = rng.pickWeighted(COUNTRY_TABLE)
  const first = rng.pick(firstNamesFor(country.firstNames))
  const last = rng.pick(lastNamesFor(country.firstNames))
  const university = kind === 'student' && rng.chance(0.4)
  const domain = university ? rng.pick(UNIVERSITY_DOMAINS) : rng.pickWeighted(FREE_MAIL_DOMAINS)
  const email = `${freeMailLocal(rng, first, last, index)}@${domain}`
  const title = rng.pick(kind === 'student' ? STUDENT_TITLES : JOB_SEEKER_TITLES)
  return {
    person: { email, first_name: first, last_name: last, title, country: country.code },
    index,
    kind,
    seniority: 'individual',
    department: 'none',
    freeMail: !university,
    account: null,
    utcOffset: country.utcOffset,
    anonymousId: anonymousIdFor(rng, index),
    engagement: sampleEngagement(rng) * 0.8,
    buying: 0.12,
    subscribed: false,
  }
}
