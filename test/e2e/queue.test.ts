/**
 * My queue in a real browser: Debian's Chromium driven by playwright-core against the real server (buildApp on a
 * port, a fresh test database, the web bundle built for this run). The server's clock is fixed and moved by the
 * test, the browser's clock is installed at the same instant, and the browser runs in London while the rep works
 * New York hours — so every time on screen must be the rep's, not the browser's. Demo requests on Friday and Monday
 * route five hot leads through the na_east pool (2:1:1, A B A C A), three of them to Ana: one overdue since Friday,
 * one past its 75 % warning, one on track. Ana logs the first touch of the warned one and sees the clock stop,
 * accepts it, and cannot reject another with a code that needs a note until she writes one. Countdowns are business
 * time: after hours they stand still and say when the calendar opens. Screenshots at 1280 px
 * and 390 px go to test-results/screenshots/. Skips, saying why, where /usr/bin/chromium is absent.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { chromiumSkipReason, SCREENSHOTS } from '../helpers/chromium.ts'
import { type E2e, startE2e } from '../helpers/e2e.ts'
import { demoRequest, handoffAgreement } from '../helpers/handoff.ts'

const skip = chromiumSkipReason()

/** Monday 23 Nov 2026, 09:51 in New York: Dana's clock (due 10:05, warning 09:50) has just warned. */
const MONDAY_0951_NY = Date.parse('2026-11-23T14:51:00Z')

const LEADS = [
  // Friday 15:55 New York: due Friday 16:55, overdue all weekend.
  { at: '2026-11-20T20:55:00Z', email: 'lee@acme-health-0.com', first: 'Lee', last: 'Park', rep: 'ana_ruiz' },
  { at: '2026-11-20T21:00:00Z', email: 'bo@acme-health-1.com', first: 'Bo', last: 'Stern', rep: 'ben_cho' },
  // Monday 09:05: due 10:05, warned at 09:50.
  { at: '2026-11-23T14:05:00Z', email: 'dana@acme-health-2.com', first: 'Dana', last: 'Reyes', rep: 'ana_ruiz' },
  { at: '2026-11-23T14:06:00Z', email: 'cy@acme-health-3.com', first: 'Cy', last: 'Moss', rep: 'chloe_adams' },
  // Monday 09:20: due 10:20, warning at 10:05 — on track at 09:51.
  { at: '2026-11-23T14:20:00Z', email: 'eve@acme-health-4.com', first: 'Eve', last: 'Lund', rep: 'ana_ruiz' },
]

type Key = 'segment' | 'marcus' | 'ana' | 'diego'

describe('My queue in Chromium', { skip }, () => {
  let e2e: E2e<Key>
  let now = Date.parse(LEADS[0]!.at)
  const inject: E2e<Key>['inject'] = (...args) => e2e.inject(...args)

  before(async () => {
    e2e = await startE2e({
      slug: 'e2e-queue',
      clock: () => now,
      keys: {
        segment: { name: 'Segment', role: 'ingest' },
        marcus: { name: 'Marcus Feld', role: 'sales' },
        ana: { name: 'Ana Ruiz', role: 'rep', repId: 'ana_ruiz' },
        diego: { name: 'Diego Santos', role: 'rep', repId: 'diego_santos' },
      },
      agreement: handoffAgreement(),
    })
    await inject('segment', 'POST', '/v1/accounts', {
      accounts: LEADS.map((l, i) => ({
        domain: l.email.split('@')[1],
        name: ['Acme Health', 'Bolt Clinics', 'Cedar Care', 'Delta Labs', 'Evergreen Health'][i],
        industry: 'Healthcare',
        employees: 450,
        country: 'US',
        state: 'NY',
        technologies: ['AWS'],
        revenue: 50_000_000,
      })),
    })
    for (const [i, l] of LEADS.entries()) {
      now = Date.parse(l.at)
      await inject('segment', 'POST', '/v1/events', {
        events: [demoRequest(`q-${i}`, l.email, new Date(now - 60_000).toISOString(), l.first, l.last)],
      })
      const owner = await inject('marcus', 'GET', `/v1/leads/${l.email}/assignment`)
      assert.equal(owner.current?.rep_id, l.rep, `${l.email} goes to ${l.rep}`)
    }
    now = MONDAY_0951_NY
  })

  after(() => e2e?.close())

  /** A London browser whose clock starts at the server's instant and then ticks. */
  const newPage = (width = 1280) => e2e.newPage({ width, now, timezoneId: 'Europe/London', locale: 'en-GB' })
  const ready = (page: Page, name = 'queue') => e2e.ready(page, name)
  const logInWithKey = (page: Page, key: Key, path: string) => e2e.logIn(page, key, path, 'queue')

  /** Full-page screenshots at 1280 px and at a 390 px phone width; the page is reloaded at each width. */
  const shoot = (page: Page, name: string) => e2e.shoot(page, name, 'queue', '#queue-brief')

  const items = (page: Page) => page.locator('.queue-item')
  /** Visible text on one line: labels are upper-cased by CSS and flex items wrap onto lines of their own. */
  const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim()

  test('Ana sees her three leads, overdue first, with live countdowns in New York time and the brief', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'ana', '/queue')
    assert.equal(await page.locator('h1').innerText(), 'My queue')
    assert.equal(await page.locator('#queue-rep').count(), 0, 'a rep has no rep picker')
    assert.equal(await items(page).count(), 3)
    const [first, second, third] = await items(page).all()
    // Due Friday 16:55, so 5 business minutes on Friday and 51 this morning: 56 business minutes over.
    assert.match(await text(first!), /^Lee Park hot Acme Health Requested a demo · MQL Overdue 56 min \d\d s over/i)
    assert.match((await first!.getAttribute('class')) ?? '', /queue-overdue/)
    assert.match(await text(second!), /^Dana Reyes hot Cedar Care .* Due soon 1[34] min \d\d s left/i)
    assert.match((await second!.getAttribute('class')) ?? '', /queue-warned/)
    assert.match(await second!.innerText(), /due Mon 23 Nov, 10:05 EST/, 'the due instant in the rep’s zone')
    assert.match(await text(third!), /^Eve Lund .* On track 2[89] min \d\d s left/i)
    await page.locator('.queue-item-trigger', { hasText: 'Requested a demo' }).first().waitFor()

    const countdown = second!.getByTestId('countdown')
    const before = await countdown.innerText()
    for (let i = 0; i < 25 && (await countdown.innerText()) === before; i++) await page.waitForTimeout(200)
    assert.notEqual(await countdown.innerText(), before, 'the countdown ticks every second')

    await second!.click()
    await page.waitForURL(/[?&]lead=\d+/)
    const detail = page.getByTestId('queue-detail')
    await detail.locator('#queue-brief').waitFor()
    assert.match(await detail.locator('h2').first().innerText(), /Dana Reyes/)
    const clock = await text(page.getByTestId('sla-clock'))
    assert.match(clock, /Due soon/i)
    assert.match(clock, /Due Mon 23 Nov, 10:05 EST · target 1 business hour/)
    const brief = await page.locator('#queue-brief').innerText()
    for (const part of ['Suggested opener', 'Hi Dana', 'Who', 'Company', 'Cedar Care', 'Trigger', 'What they did'])
      assert.ok(brief.includes(part), `the brief shows ${part}`)
    assert.match(brief, /Why this rep[\s\S]*Ana Ruiz \(weight 2\) chosen/)
    await shoot(page, 'queue')
    await context.close()
  })

  test('Ana logs the first touch and sees the clock stop, then accepts with a reason code', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'ana', '/queue')
    await items(page).filter({ hasText: 'Dana Reyes' }).click()
    await page.locator('#queue-brief').waitFor()
    await page.getByLabel('Channel').selectOption('call')
    await page.getByRole('button', { name: 'Log first touch' }).click()
    const clock = page.getByTestId('sla-clock')
    await clock.filter({ hasText: 'SLA clock stopped' }).waitFor()
    assert.match(await text(clock), /Met at 09:51 EST — 46 business minutes of 1 business hour/)
    assert.match(await page.locator('.queue-actions').innerText(), /First touch logged/)
    assert.equal(await page.locator('#disposition-reason:focus').count(), 1, 'focus moves to the reason code')

    const reasons = await page.locator('#disposition-reason option').allInnerTexts()
    assert.deepEqual(reasons, ['Choose a reason…', 'Qualified — meeting booked', 'Qualified — follow-up scheduled'])
    await page.locator('#disposition-reason').selectOption('qualified_meeting_booked')
    await page.getByRole('button', { name: 'Accept lead' }).click()
    await page.getByTestId('disposition-result').waitFor()
    assert.match(await page.locator('.queue-actions').innerText(), /Accepted — qualified_meeting_booked · now SAL/)
    await items(page).nth(2).waitFor({ state: 'detached' })
    assert.match(await clock.innerText(), /Met at 09:51 EST/, 'the stopped clock stays on screen')
    await page.reload()
    await ready(page)
    await clock.filter({ hasText: 'SLA clock stopped' }).waitFor()
    assert.match(
      await text(clock),
      /Met at 09:51 EST — 46 business minutes of 1 business hour/,
      'after a reload, from the clock’s history',
    )
    const lead = await inject('marcus', 'GET', '/v1/leads/dana@acme-health-2.com')
    assert.equal(lead.stage, 'SAL')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-accepted-390.png'), fullPage: true })
    await page.setViewportSize({ width: 1280, height: 860 })
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-accepted-1280.png'), fullPage: true })
    await context.close()
  })

  test('Ana pauses a clock while waiting on the lead, and resuming moves the due instant by the time paused', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'ana', '/queue')
    await items(page).filter({ hasText: 'Eve Lund' }).click()
    await page.locator('#queue-brief').waitFor()
    const clock = page.getByTestId('sla-clock')
    assert.match(await text(clock), /Due Mon 23 Nov, 10:20 EST/)
    assert.deepEqual(await page.locator('#pause-reason option').allInnerTexts(), ['Waiting on lead'])
    await page.locator('#pause-note').fill('Asked to be called back at 10:30')
    await page.getByRole('button', { name: 'Pause clock' }).click()
    await clock.filter({ hasText: 'SLA clock paused' }).waitFor()
    // Started 09:20, paused 09:51: 31 of the 60 business minutes used.
    assert.match(await text(clock), /Paused — waiting on lead/i)
    assert.match(await text(clock), /Since Mon 23 Nov, 09:51 EST by .+: “Asked to be called back at 10:30”/)
    assert.match(await text(clock), /29 min 00 s of the 1 business hour target left when it resumes/)
    await page.locator('#queue-brief', { hasText: 'clock paused' }).waitFor()
    assert.match(
      await text(page.locator('#queue-brief')),
      /Due clock paused: 29 business minutes left when it resumes/i,
    )
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-paused-1280.png'), fullPage: true })

    now = MONDAY_0951_NY + 40 * 60_000 // 10:31: the rep calls back and resumes the clock
    await page.reload()
    await ready(page)
    await page.getByRole('button', { name: 'Resume clock' }).click()
    await clock.filter({ hasText: 'First touch due' }).waitFor()
    assert.match(await text(clock), /Due Mon 23 Nov, 11:00 EST/, '10:20 plus the 40 minutes paused')
    const sla = await inject('ana', 'GET', '/v1/leads/eve@acme-health-4.com/sla')
    const kinds = sla.clocks[0].history.map((h: { kind: string }) => h.kind)
    assert.deepEqual(kinds.slice(-2), ['paused', 'resumed'])
    assert.equal(sla.clocks[0].history.at(-2).reason_code, 'waiting_on_lead')
    now = MONDAY_0951_NY
    await context.close()
  })

  test('a reject with a code that requires a note is not sent until the note is written', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'ana', '/queue')
    await items(page).filter({ hasText: 'Eve Lund' }).click()
    await page.locator('#queue-brief').waitFor()
    let posts = 0
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/disposition')) posts += 1
    })
    await page.getByRole('radio', { name: 'Reject' }).check()
    await page.locator('#disposition-reason').selectOption('other')
    assert.match(await text(page.locator('label[for="disposition-note"]')), /^Note required$/i)
    await page.getByRole('button', { name: 'Reject lead' }).click()
    const error = page.locator('#disposition-note-error')
    await error.waitFor()
    assert.match(await error.innerText(), /A note is required for “Other \(explain in the note\)”/)
    assert.equal(await page.locator('#disposition-note:focus').count(), 1, 'focus moves to the note')
    assert.equal(posts, 0, 'nothing was sent')
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-note-required-1280.png'), fullPage: true })

    await page.locator('#disposition-note').fill('Agency shopping for a client, not an end customer')
    await page.locator('#disposition-note').press('Control+Enter')
    await page.getByTestId('disposition-result').waitFor()
    assert.equal(posts, 1)
    assert.match(await page.locator('.queue-actions').innerText(), /Rejected — other · now Disqualified/)
    await items(page).nth(1).waitFor({ state: 'detached' })
    await context.close()
  })

  test('a sales lead picks a rep, and a rep with nothing open sees an empty queue', async () => {
    const { context, page } = await newPage()
    await logInWithKey(page, 'marcus', '/queue')
    assert.match(await page.locator('main').innerText(), /Choose a rep/)
    await page.locator('#queue-rep').selectOption('ana_ruiz')
    await page.waitForURL(/[?&]rep=ana_ruiz/)
    await ready(page)
    assert.equal(await page.locator('h1').innerText(), 'Ana Ruiz’s queue')
    assert.equal(await items(page).count(), 1)
    assert.match(await text(items(page).first()), /Lee Park .* Overdue/i)
    await context.close()

    const diego = await newPage()
    await logInWithKey(diego.page, 'diego', '/queue')
    assert.match(await diego.page.locator('main').innerText(), /Nothing waiting — good work/)
    for (const width of [1280, 390]) {
      await diego.page.setViewportSize({ width, height: 844 })
      await diego.page.screenshot({ path: join(SCREENSHOTS, `queue-empty-${width}.png`), fullPage: true })
    }
    await diego.context.close()
  })

  test('after hours the business-time countdown stands still and says when the calendar opens', async () => {
    now = Date.parse('2026-11-23T22:45:00Z') // Monday 17:45 New York: the calendar closed at 17:30
    const { context, page } = await newPage()
    await logInWithKey(page, 'ana', '/queue')
    assert.equal(await items(page).count(), 1)
    const lee = items(page).first()
    // 5 business minutes on Friday and Monday 09:00–17:30.
    assert.match(await text(lee), /Overdue 8 h 35 min 00 s over/i)
    assert.match(await text(lee), /Calendar closed · counts again Tue 24 Nov, 09:00 EST/)
    const countdown = lee.getByTestId('countdown')
    const before = await countdown.innerText()
    await page.clock.fastForward(5_000)
    await page.waitForTimeout(100)
    assert.equal(await countdown.innerText(), before, 'no business time passes while the calendar is closed')
    await lee.click()
    const clock = page.getByTestId('sla-clock')
    await clock.filter({ hasText: 'Calendar closed' }).waitFor()
    assert.match(await text(clock), /8 h 35 min 00 s overdue/)
    assert.match(await text(clock), /the clock stands still until Tue 24 Nov, 09:00 EST/)
    await page.screenshot({ path: join(SCREENSHOTS, 'queue-after-hours-1280.png'), fullPage: true })
    await context.close()
  })

  test('a sales lead filters leads by SLA state, reads a clock on the lead page, closes a lead Lost and re-opens it', async () => {
    const { context, page } = await newPage()
    await e2e.logIn(page, 'marcus', '/leads?sla=met', 'leads')
    const rows = page.locator('.lead-table tbody tr')
    assert.equal(await rows.count(), 1, 'only Dana’s clock was met')
    assert.match(await text(rows.first()), /Dana Reyes .* met/)
    assert.equal(await page.locator('#lead-sla').inputValue(), 'met', 'the filter comes from the URL')

    await page.goto(`${e2e.base}/leads/bo@acme-health-1.com`)
    await e2e.ready(page, 'lead')
    const clock = page.getByTestId('sla-clock')
    assert.match(await text(clock), /First touch due .* overdue/i)
    assert.match(await text(clock), /the clock stands still until Tue 24 Nov, 09:00 EST/)
    const history = await text(page.locator('#lead-clock'))
    assert.match(history, /First touch clock #\d+ for ben_cho · target 1 business hour · started Fri 20 Nov, 16:00 EST/)
    assert.match(history, /Started Fri 20 Nov, 16:00 EST · system started for ben_cho/)

    assert.deepEqual(await page.locator('#move-to option').allInnerTexts(), ['SQL', 'Opportunity', 'Won', 'Lost'])
    await page.locator('#move-to').selectOption('Lost')
    const move = page.getByRole('button', { name: 'Move to Lost' })
    assert.equal(await move.isDisabled(), true, 'a move needs a reason')
    await page.locator('#move-reason').fill('Chose a competitor <b>before</b> the call')
    await move.click()
    await page.locator('#lead-stage-move .callout', { hasText: 'MQL → Lost' }).waitFor()
    await clock.filter({ hasText: 'SLA clock stopped' }).waitFor()
    assert.match(await text(clock), /Stopped at 17:45 EST/)
    const transitions = await page.locator('main').innerText()
    assert.ok(transitions.includes('Chose a competitor <b>before</b> the call'), 'the reason is shown as text')

    assert.equal(await page.locator('#lead-stage-move .card-title').innerText(), 'Re-open')
    assert.deepEqual(await page.locator('#move-to option').allInnerTexts(), [
      'Lead',
      'MQL',
      'AQL',
      'SAL',
      'SQL',
      'Opportunity',
    ])
    await page.locator('#move-to').selectOption('MQL')
    await page.locator('#move-reason').fill('Competitor deal fell through')
    await page.getByRole('button', { name: 'Re-open at MQL' }).click()
    await page.locator('#lead-stage-move .callout', { hasText: 'Lost → MQL' }).waitFor()
    const bo = await inject('marcus', 'GET', '/v1/leads/bo@acme-health-1.com')
    assert.equal(bo.stage, 'MQL')
    assert.deepEqual(
      bo.transitions.map((t: { to_stage: string; actor: string }) => [t.to_stage, t.actor]),
      [
        ['MQL', 'engine'],
        ['Lost', 'sales:Marcus Feld'],
        ['MQL', 'sales:Marcus Feld'],
      ],
      'oldest first: the engine qualified Bo, Marcus closed the cycle Lost and re-opened it',
    )
    await e2e.shoot(page, 'lead-sla-moves', 'lead')

    // Re-opened at MQL, Bo was handed off again: the latest clock is a new, running one.
    await page.goto(`${e2e.base}/leads?sla=running`)
    await e2e.ready(page, 'leads')
    const running = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' '))
    assert.ok(
      running.some((r) => r.startsWith('Bo Stern')),
      `Bo's new clock is listed: ${running}`,
    )
    for (const r of running) assert.match(r, / running /)
    await page.goto(`${e2e.base}/leads?sla=cancelled`)
    await e2e.ready(page, 'leads')
    const cancelled = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' '))
    assert.ok(!cancelled.some((r) => r.startsWith('Bo Stern')), `only the latest clock counts: ${cancelled}`)
    for (const r of cancelled) assert.match(r, / cancelled /)
    await context.close()
  })

  test('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(e2e.problems, [])
  })
})
