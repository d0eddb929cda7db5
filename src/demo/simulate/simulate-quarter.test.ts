import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { DEFAULT_ACCOUNT_SIGNAL_TYPES } from '../../core/agreement/index.ts'
import { type SimulatedQuarter, simulateQuarter } from './simulate-quarter.ts'
import type { SimAccount } from './types.ts'

const START = '2026-10-01'
const DAYS = 91
const startMs = Date.parse(START)
const endMs = startMs + DAYS * 86_400_000

const cache = new Map<number, SimulatedQuarter>()
function quarter(seed: number): SimulatedQuarter {
  let q = cache.get(seed)
  if (q === undefined) {
    q = simulateQuarter({ seed, start: START, days: DAYS })
    cache.set(seed, q)
  }
  return q
}

/** The test's own reading of fit, from firmographics only: target industry, sweet-spot size, integrating tech. */
function fitProxy(a: SimAccount): number {
  let score = 0
  if (['Healthcare', 'Financial Services', 'Software/SaaS', 'Manufacturing'].includes(a.industry)) score++
  if (a.employees >= 200 && a.employees <= 2000) score++
  if (a.technologies.some((t) => ['Salesforce', 'HubSpot', 'Snowflake'].includes(t))) score++
  return score
}

const FREE_MAIL = /@(gmail\.com|yahoo\.com|outlook\.com|hotmail\.com|icloud\.com|aol\.com|proton\.me|gmx\.de)$/

describe('simulateQuarter', () => {
  test('the same seed produces byte-identical output', () => {
    const a = JSON.stringify(simulateQuarter({ seed: 11, start: START, accounts: 150 }))
    const b = JSON.stringify(simulateQuarter({ seed: 11, start: START, accounts: 150 }))
    assert.equal(a, b)
  })

  test('different seeds produce different accounts, people and events', () => {
    const a = simulateQuarter({ seed: 11, start: START, accounts: 150 })
    const b = simulateQuarter({ seed: 12, start: START, accounts: 150 })
    assert.notDeepEqual(
      a.accounts.map((x) => x.domain),
      b.accounts.map((x) => x.domain),
    )
    assert.notDeepEqual(
      a.people.slice(0, 20).map((p) => p.email),
      b.people.slice(0, 20).map((p) => p.email),
    )
    assert.notEqual(a.events[0]?.occurred_at, b.events[0]?.occurred_at)
  })

  test('a default quarter has demo-sized volumes', () => {
    const { stats } = quarter(1)
    assert.equal(stats.accounts, 600)
    assert.ok(stats.people >= 2500 && stats.people <= 3600, `people ${stats.people}`)
    assert.ok(stats.events >= 60_000 && stats.events <= 100_000, `events ${stats.events}`)
    assert.ok(stats.opportunities >= 100 && stats.opportunities <= 250, `opportunities ${stats.opportunities}`)
    for (const [type, n] of Object.entries(stats.eventsByType)) assert.ok(n > 0, `no ${type} events`)
  })

  test('event ids are unique, events are sorted and inside [start, start + days)', () => {
    const { events } = quarter(1)
    assert.equal(new Set(events.map((e) => e.id)).size, events.length)
    let previous = ''
    for (const e of events) {
      const at = Date.parse(e.occurred_at)
      assert.ok(at >= startMs && at < endMs, `${e.id} at ${e.occurred_at}`)
      assert.equal(new Date(at).toISOString(), e.occurred_at)
      assert.ok(e.occurred_at >= previous, `${e.id} is out of order`)
      previous = e.occurred_at
    }
  })

  test('every email is lower-case, on events and on people', () => {
    const q = quarter(1)
    for (const p of q.people) assert.equal(p.email, p.email.toLowerCase())
    for (const e of q.events)
      if (e.person.email !== undefined) assert.equal(e.person.email, e.person.email.toLowerCase())
    assert.equal(new Set(q.people.map((p) => p.email)).size, q.people.length)
  })

  test('free-mail people have no account_domain; company addresses name their own domain', () => {
    const { people, stats } = quarter(1)
    let freeMail = 0
    for (const p of people) {
      if (FREE_MAIL.test(p.email)) {
        freeMail++
        assert.equal(p.account_domain, undefined, p.email)
      } else if (p.account_domain !== undefined) {
        assert.equal(p.email.split('@')[1], p.account_domain)
      }
    }
    const share = freeMail / people.length
    assert.ok(share > 0.1 && share < 0.22, `free-mail share ${share}`)
    assert.ok(stats.studentsAndJobSeekers > 0)
  })

  test('students and job seekers have no account and are marked as such in the truth', () => {
    const q = quarter(1)
    const outsiders = q.truth.people.filter((t) => t.kind !== 'employee')
    assert.ok(outsiders.length > 20)
    const byEmail = new Map(q.people.map((p) => [p.email, p]))
    for (const t of outsiders) {
      assert.equal(byEmail.get(t.email)?.account_domain, undefined)
      assert.match(byEmail.get(t.email)?.title ?? '', /Student|Candidate|Job|Open to Work|Graduate|Career|Seeking/)
    }
  })

  test('anonymous page views come first, then a form fill carrying both email and anonymous id', () => {
    const { events } = quarter(1)
    const firstEmailAt = new Map<string, number>()
    const stitchedByForm = new Set<string>()
    events.forEach((e, i) => {
      const anon = e.person.anonymous_id
      if (anon === undefined || e.person.email === undefined) return
      if (!firstEmailAt.has(anon)) firstEmailAt.set(anon, i)
      if (e.type === 'form_submit' || e.type === 'webinar_registered') stitchedByForm.add(anon)
    })
    let anonymousBeforeForm = 0
    const counted = new Set<string>()
    events.forEach((e, i) => {
      const anon = e.person.anonymous_id
      if (anon === undefined || e.person.email !== undefined) return
      const identified = firstEmailAt.get(anon)
      if (identified !== undefined && i < identified && stitchedByForm.has(anon) && !counted.has(anon)) {
        counted.add(anon)
        anonymousBeforeForm++
      }
    })
    assert.ok(stitchedByForm.size > 1000, `form-stitched visitors ${stitchedByForm.size}`)
    assert.ok(anonymousBeforeForm / stitchedByForm.size > 0.5, `${anonymousBeforeForm} of ${stitchedByForm.size}`)
    // One browser, one person: an anonymous id is never stitched to two emails.
    const emailOf = new Map<string, string>()
    for (const e of events) {
      const { anonymous_id: anon, email } = e.person
      if (anon === undefined || email === undefined) continue
      assert.equal(emailOf.get(anon) ?? email, email)
      emailOf.set(anon, email)
    }
  })

  test('event properties and contexts have the documented shapes', () => {
    const { events } = quarter(1)
    const forms = new Set(['newsletter', 'ebook_download', 'contact_sales', 'demo_request'])
    for (const e of events) {
      const p = e.properties
      assert.ok(e.person.email !== undefined || e.person.anonymous_id !== undefined, e.id)
      assert.equal(typeof e.context.source, 'string')
      assert.equal(typeof e.context.medium, 'string')
      assert.ok(e.context.campaign === null || typeof e.context.campaign === 'string')
      switch (e.type) {
        case 'page_view':
          assert.match(String(p.path), /^\//)
          break
        case 'form_submit':
          assert.ok(forms.has(String(p.form)), `${e.id} form ${p.form}`)
          if (p.form === 'ebook_download') assert.equal(typeof p.content, 'string')
          assert.ok(e.person.email !== undefined && e.person.anonymous_id !== undefined, `${e.id} does not stitch`)
          break
        case 'webinar_registered':
        case 'webinar_attended':
          assert.equal(typeof p.webinar, 'string')
          break
        case 'email_open':
        case 'email_click':
          assert.equal(typeof p.email_campaign, 'string')
          assert.equal(e.context.medium, 'email')
          break
        case 'product_signal':
          assert.equal(typeof p.signal, 'string')
          break
        default:
          break
      }
    }
  })

  test('account signals are known types on known accounts, dated up to 60 days before the window, more often in market', () => {
    const q = quarter(1)
    const domains = new Set(q.accounts.map((a) => a.domain))
    const known = new Set<string>(DEFAULT_ACCOUNT_SIGNAL_TYPES)
    assert.ok(q.accountSignals.length > 30, `${q.accountSignals.length} signals`)
    for (const s of q.accountSignals) {
      assert.ok(domains.has(s.domain), s.domain)
      assert.ok(known.has(s.type), s.type)
      const at = Date.parse(s.at)
      assert.ok(at >= startMs - 60 * 86_400_000 && at < endMs, s.at)
    }
    const inMarket = new Set(q.truth.accounts.filter((a) => a.inMarket).map((a) => a.domain))
    const rate = (market: boolean) => {
      const group = q.accounts.filter((a) => inMarket.has(a.domain) === market)
      const signalled = new Set(q.accountSignals.map((s) => s.domain))
      return group.filter((a) => signalled.has(a.domain)).length / group.length
    }
    assert.ok(rate(true) > 2 * rate(false), `in market ${rate(true)}, not ${rate(false)}`)
  })

  test('event volume per person is heavy-tailed', () => {
    const { events } = quarter(1)
    const perPerson = new Map<string, number>()
    for (const e of events) {
      const key = e.person.email ?? e.person.anonymous_id ?? ''
      perPerson.set(key, (perPerson.get(key) ?? 0) + 1)
    }
    const counts = [...perPerson.values()].sort((a, b) => a - b)
    const median = counts[Math.floor(counts.length / 2)] ?? 0
    const max = counts[counts.length - 1] ?? 0
    assert.ok(max > 15 * median, `max ${max}, median ${median}`)
  })

  test('accounts with a demo request become opportunities far more often, and only afterwards', () => {
    const q = quarter(1)
    const lastUseful = endMs - 14 * 86_400_000
    const demoAt = new Map<string, number>()
    for (const t of q.truth.people) {
      if (t.firstDemoRequestAt === null || t.accountDomain === null) continue
      const at = Date.parse(t.firstDemoRequestAt)
      demoAt.set(t.accountDomain, Math.min(demoAt.get(t.accountDomain) ?? at, at))
    }
    const oppFor = new Map(q.opportunities.map((o) => [o.account_domain, o]))
    let demoAccounts = 0
    let demoWithOpp = 0
    let otherAccounts = 0
    let otherWithOpp = 0
    for (const a of q.accounts) {
      const at = demoAt.get(a.domain)
      if (at !== undefined && at < lastUseful) {
        demoAccounts++
        if (oppFor.has(a.domain)) demoWithOpp++
      } else if (at === undefined) {
        otherAccounts++
        if (oppFor.has(a.domain)) otherWithOpp++
      }
    }
    const withDemo = demoWithOpp / demoAccounts
    const without = otherWithOpp / otherAccounts
    assert.ok(withDemo > 0.5, `opportunity rate after a demo request ${withDemo}`)
    assert.ok(withDemo > 4 * without, `with demo ${withDemo}, without ${without}`)

    // Nothing is created before its account engaged.
    const firstActivity = new Map<string, number>()
    const domainOf = new Map(q.truth.people.map((t) => [t.email, t.accountDomain]))
    const domainOfAnon = new Map(q.truth.people.map((t) => [t.anonymousId, t.accountDomain]))
    for (const e of q.events) {
      const domain =
        (e.person.email && domainOf.get(e.person.email)) ||
        (e.person.anonymous_id && domainOfAnon.get(e.person.anonymous_id))
      if (domain && !firstActivity.has(domain)) firstActivity.set(domain, Date.parse(e.occurred_at))
    }
    for (const o of q.opportunities) {
      const first = firstActivity.get(o.account_domain)
      assert.ok(first !== undefined && Date.parse(o.created_at) > first, `${o.external_id} precedes engagement`)
    }
  })

  test('high-fit accounts win more often than low-fit ones', () => {
    let highWon = 0
    let highClosed = 0
    let lowWon = 0
    let lowClosed = 0
    for (const seed of [1, 2, 3]) {
      const q = quarter(seed)
      const accounts = new Map(q.accounts.map((a) => [a.domain, a]))
      for (const o of q.opportunities) {
        if (o.stage !== 'closed_won' && o.stage !== 'closed_lost') continue
        const fit = fitProxy(accounts.get(o.account_domain) as SimAccount)
        const won = o.stage === 'closed_won' ? 1 : 0
        if (fit >= 2) {
          highClosed++
          highWon += won
        } else {
          lowClosed++
          lowWon += won
        }
      }
    }
    assert.ok(highClosed >= 30 && lowClosed >= 30, `closed deals: high ${highClosed}, low ${lowClosed}`)
    assert.ok(
      highWon / highClosed > lowWon / lowClosed + 0.05,
      `win rates high ${highWon}/${highClosed}, low ${lowWon}/${lowClosed}`,
    )
  })

  test('opportunities are consistent: stages, dates, cycle length, reasons, owners and contacts', () => {
    const q = quarter(1)
    const emails = new Set(q.people.map((p) => p.email))
    const domains = new Set(q.accounts.map((a) => a.domain))
    const repIds = new Set(q.reps.map((r) => r.id))
    assert.equal(new Set(q.opportunities.map((o) => o.external_id)).size, q.opportunities.length)
    for (const o of q.opportunities) {
      assert.ok(domains.has(o.account_domain))
      assert.ok(o.amount > 0)
      const created = Date.parse(o.created_at)
      assert.ok(created >= startMs && created < endMs)
      const closed = o.stage === 'closed_won' || o.stage === 'closed_lost'
      if (closed) {
        const days = (Date.parse(o.closed_at ?? '') - created) / 86_400_000
        assert.ok(days > 0 && days <= 91, `${o.external_id} cycle ${days} days`)
        assert.ok(Date.parse(o.closed_at ?? '') < endMs)
      } else assert.equal(o.closed_at, null)
      assert.equal(o.lost_reason !== null, o.stage === 'closed_lost', o.external_id)
      assert.ok(o.owner === null || repIds.has(o.owner))
      for (const c of o.contacts) assert.ok(emails.has(c.email), `${o.external_id} contact ${c.email}`)
    }
    const won = q.opportunities.filter((o) => o.stage === 'closed_won')
    const cycles = won.map((o) => (Date.parse(o.closed_at ?? '') - Date.parse(o.created_at)) / 86_400_000)
    for (const d of cycles) assert.ok(d >= 29 && d <= 91, `won cycle ${d} days`)
  })

  test('accounts carry valid firmographics and owners that exist', () => {
    const q = quarter(1)
    const repIds = new Set(q.reps.map((r) => r.id))
    assert.equal(new Set(q.accounts.map((a) => a.domain)).size, q.accounts.length)
    for (const a of q.accounts) {
      assert.match(a.domain, /^[a-z0-9]+\.[a-z.]+$/)
      assert.match(a.country, /^[A-Z]{2}$/)
      assert.ok(['NA', 'EMEA', 'APAC', 'LATAM'].includes(a.region))
      assert.equal(a.state !== undefined, a.country === 'US', a.domain)
      assert.ok(a.employees > 0 && a.revenue > 0)
      assert.ok(a.owner === null || repIds.has(a.owner))
      const expected = a.employees < 200 ? 'smb' : a.employees < 2000 ? 'mid_market' : 'enterprise'
      assert.equal(a.segment, expected)
    }
    for (const r of q.reps) assert.match(r.email, /@example\.com$/)
  })

  test('invalid options are rejected with the path of the option', () => {
    assert.throws(() => simulateQuarter({ seed: 1.5, start: START }), /simulateQuarter\.seed/)
    assert.throws(() => simulateQuarter({ seed: 1, start: 'soon' }), /simulateQuarter\.start/)
    assert.throws(() => simulateQuarter({ seed: 1, start: START, accounts: 0 }), /simulateQuarter\.accounts/)
    assert.throws(() => simulateQuarter({ seed: 1, start: START, eventsPerPersonScale: -1 }), /eventsPerPersonScale/)
  })

  test('eventsPerPersonScale scales browsing, not the number of people', () => {
    const small = simulateQuarter({ seed: 5, start: START, accounts: 100, eventsPerPersonScale: 0.5 })
    const large = simulateQuarter({ seed: 5, start: START, accounts: 100, eventsPerPersonScale: 2 })
    assert.equal(small.people.length, large.people.length)
    assert.ok(large.events.length > 2 * small.events.length)
  })
})
