import assert from 'node:assert/strict'
// biome-ignore lint/style/noRestrictedImports: the test reads the shipped example file; the code under test stays pure
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { formatAgreementErrors } from './format-agreement-errors.ts'
import { parseAgreement } from './parse-agreement.ts'

const EXAMPLE = readFileSync(new URL('../../../accord.example.yaml', import.meta.url), 'utf8')

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle)
  assert.ok(i >= 0, `fixture lacks ${needle}`)
  return text.slice(0, i).split('\n').length
}

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture lacks ${from}`)
  return text.replace(from, to)
}

function errorsOf(text: string) {
  const r = parseAgreement(text)
  assert.equal(r.ok, false, 'expected the Agreement to be refused')
  return r.ok ? [] : r.errors
}

function findError(errors: ReturnType<typeof errorsOf>, path: string) {
  const e = errors.find((x) => x.path === path)
  assert.ok(e, `no error at ${path}; got:\n${formatAgreementErrors(errors, 'accord.yaml')}`)
  return e
}

describe('parseAgreement', () => {
  test('the example Agreement parses and gets a sha256 content hash', () => {
    const r = parseAgreement(EXAMPLE)
    assert.ok(r.ok, r.ok ? '' : formatAgreementErrors(r.errors, 'accord.example.yaml'))
    assert.match(r.hash, /^[0-9a-f]{64}$/)
    assert.equal(r.agreement.tiers[0]?.sla?.first_touch.businessMs, 3_600_000)
    assert.equal(r.agreement.tiers[1]?.sla?.first_touch.businessMs, 4 * 3_600_000)
    assert.equal(r.agreement.sla.warn_at, 0.75)
  })

  test('a word where a number belongs is reported with its path, line and value', () => {
    const text = replaceOnce(EXAMPLE, 'points: 20', 'points: ten')
    const e = findError(errorsOf(text), 'icp.fit[1].points')
    assert.equal(e.message, 'expected a number, got "ten"')
    assert.equal(e.line, lineOf(text, 'points: ten'))
    assert.match(
      formatAgreementErrors([e], 'accord.yaml'),
      /^accord\.yaml:\d+ icp\.fit\[1\]\.points: expected a number, got "ten"$/,
    )
  })

  test('a condition reading an unknown field is refused at load time with the line of the typo', () => {
    const text = replaceOnce(
      EXAMPLE,
      '"account.industry in lists.target_industries"',
      '"acount.industry in lists.target_industries"',
    )
    const e = findError(errorsOf(text), 'icp.fit[0].when')
    assert.match(e.message, /unknown field `acount` \(did you mean `account`\?\)/)
    assert.equal(e.line, lineOf(text, 'acount.industry'))
  })

  test('a misspelt signal name is refused and the nearest declared signal is suggested', () => {
    const text = replaceOnce(EXAMPLE, 'signals.pricing_interest ||', 'signals.pricng_interest ||')
    const e = findError(errorsOf(text), 'stages.MQL.when')
    assert.match(e.message, /unknown field `signals\.pricng_interest` \(did you mean `signals\.pricing_interest`\?\)/)
    assert.equal(e.line, lineOf(text, 'signals.pricng_interest'))
  })

  test('comparing a number with a string is refused', () => {
    const text = replaceOnce(EXAMPLE, 'when: "account.employees < 20"', 'when: \'account.employees < "20"\'')
    const e = findError(errorsOf(text), 'icp.disqualify[2].when')
    assert.match(e.message, /cannot compare a number with a string/)
  })

  test('a windowed signal with a zero window is refused', () => {
    const text = replaceOnce(EXAMPLE, 'within: 7d', 'within: 0d')
    const e = findError(errorsOf(text), 'intent.signals.pricing_interest.within')
    assert.equal(e.message, 'must be longer than zero')
    assert.equal(e.line, lineOf(text, 'within: 0d'))
  })

  test('routing to a pool with no members is refused', () => {
    const text = replaceOnce(
      EXAMPLE,
      'members: [{ rep: felix_braun, weight: 1 }, { rep: greta_lind, weight: 1 }]',
      'members: []',
    )
    const e = findError(errorsOf(text), 'pools.emea.members')
    assert.equal(e.message, 'a pool needs at least one member')
    assert.equal(e.line, lineOf(text, 'members: []'))
  })

  test('a pool whose members are all inactive is refused', () => {
    const text = replaceOnce(
      EXAMPLE,
      '{ id: erin_park, name: Erin Park, email: erin.park@northwind.io, team: na_west_sdr,',
      '{ id: erin_park, active: false, name: Erin Park, email: erin.park@northwind.io, team: na_west_sdr,',
    ).replace('id: diego_santos,\n', 'id: diego_santos,\n      active: false,\n')
    findError(errorsOf(text), 'pools.na_west.members')
  })

  test('an unknown time zone is refused', () => {
    const text = replaceOnce(EXAMPLE, 'time_zone: Europe/Berlin', 'time_zone: Europe/Berlinn')
    const e = findError(errorsOf(text), 'calendars.berlin.time_zone')
    assert.match(e.message, /unknown time zone "Europe\/Berlinn"/)
    assert.equal(e.line, lineOf(text, 'Europe/Berlinn'))
  })

  test('a reference to an unknown calendar is refused with a suggestion', () => {
    const text = replaceOnce(EXAMPLE, 'calendar: berlin', 'calendar: berln')
    const e = findError(errorsOf(text), 'teams.emea_sdr.calendar')
    assert.match(e.message, /unknown calendar "berln" \(did you mean "berlin"\?\)/)
  })

  test('a working window ending before it starts is refused unless marked overnight with +1', () => {
    const bad = replaceOnce(EXAMPLE, 'fri: ["09:00-15:00"]', 'fri: ["17:00-09:00"]')
    const e = findError(errorsOf(bad), 'calendars.berlin.hours.fri[0]')
    assert.match(e.message, /ends before it starts; write "17:00-09:00\+1" for an overnight window/)
    assert.equal(e.line, lineOf(bad, 'fri: ["17:00-09:00"]'))
    const overnight = replaceOnce(EXAMPLE, 'fri: ["09:00-15:00"]', 'fri: ["09:00-15:00", "22:00-06:00+1"]')
    assert.equal(parseAgreement(overnight).ok, true)
  })

  test('unknown team, rep, pool, reason code, event type and persona references are each refused', () => {
    const text = [
      ['team: emea_sdr, capacity: { daily: 12 }', 'team: emea_sales, capacity: { daily: 12 }'],
      ['{ rep: greta_lind, weight: 1 }', '{ rep: greta_lindt, weight: 1 }'],
      ['to: { pool: na_west }', 'to: { pool: na_wets }'],
      ['reason: competitor_locked_in', 'reason: competitor'],
      ['type: email_unsubscribe', 'type: email_unsubscribed'],
      ['personas: [economic_buyer, compliance_lead, technical_evaluator]', 'personas: [economic_buyer, champion]'],
    ].reduce((t, [from, to]) => replaceOnce(t, from!, to!), EXAMPLE)
    const errors = errorsOf(text)
    assert.match(findError(errors, 'reps[6].team').message, /unknown team "emea_sales"/)
    assert.match(findError(errors, 'pools.emea.members[1].rep').message, /unknown rep "greta_lindt"/)
    assert.match(findError(errors, 'routing[3].to.pool').message, /unknown pool "na_wets" \(did you mean "na_west"\?\)/)
    assert.match(findError(errors, 'icp.disqualify[0].reason').message, /unknown reject reason code "competitor"/)
    assert.match(findError(errors, 'intent.rules[9].type').message, /unknown event type "email_unsubscribed"/)
    assert.match(findError(errors, 'buying_committee.personas[1]').message, /unknown persona "champion"/)
  })

  test('a tier name typo inside a routing condition is refused', () => {
    const text = replaceOnce(EXAMPLE, 'tier == "hot"', 'tier == "hott"')
    assert.match(findError(errorsOf(text), 'routing[2].when').message, /unknown tier "hott" \(did you mean "hot"\?\)/)
  })

  test('several problems in different sections are all reported at once, sorted by line', () => {
    const text = [
      ['points: 20', 'points: ten'],
      ['"account.industry in lists.target_industries"', '"account.industri in lists.target_industries"'],
      ['within: 7d', 'within: 0d'],
      ['time_zone: Europe/Berlin', 'time_zone: Mars/Olympus'],
      ['to: { pool: na_west }', 'to: { pool: nowhere }'],
      ['model: w_shaped', 'model: w_shape'],
      ['  warn_at: 75%', '  warn_at: 75%\n  whn: never'],
    ].reduce((t, [from, to]) => replaceOnce(t, from!, to!), EXAMPLE)
    const errors = errorsOf(text)
    for (const path of [
      'icp.fit[1].points',
      'icp.fit[0].when',
      'intent.signals.pricing_interest.within',
      'calendars.berlin.time_zone',
      'routing[3].to.pool',
      'attribution.model',
      'sla.whn',
    ])
      assert.ok(findError(errors, path).line !== undefined, `${path} has a line`)
    const lines = errors.map((e) => e.line ?? 0)
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    )
  })

  test('a YAML syntax error is reported with its line', () => {
    const text = replaceOnce(EXAMPLE, 'half_life: 14d', 'half_life: [14d')
    const errors = errorsOf(text)
    assert.ok(errors.length > 0)
    assert.match(errors[0]!.message, /^YAML: /)
    assert.ok(errors[0]!.line !== undefined && errors[0]!.line >= lineOf(text, 'half_life: [14d'))
  })

  test('a missing required section is reported by name', () => {
    const text = replaceOnce(EXAMPLE, 'agreement: Northwind Cloud — revenue agreement FY27 Q1\n', '')
    assert.equal(findError(errorsOf(text), 'agreement').message, 'required')
  })

  test('a situational criterion without a window is refused', () => {
    const text = replaceOnce(EXAMPLE, '      within: 90d\n', '')
    findError(errorsOf(text), 'icp.fit[7].within')
  })

  test('the last routing rule must catch every lead', () => {
    const text = replaceOnce(
      EXAMPLE,
      '  - name: Everyone else\n    to: { pool: na_east }',
      '  - name: Everyone else\n    when: \'account.country == "US"\'\n    to: { pool: na_east }',
    )
    assert.match(findError(errorsOf(text), 'routing[4].when').message, /last routing rule must have no `when`/)
  })
})
