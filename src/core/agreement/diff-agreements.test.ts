import assert from 'node:assert/strict'
// biome-ignore lint/style/noRestrictedImports: the test reads the shipped example file; the code under test stays pure
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { Agreement } from './agreement-schema.ts'
import { diffAgreements, formatDiff } from './diff-agreements.ts'
import { hashAgreement } from './hash-agreement.ts'
import { parseAgreement } from './parse-agreement.ts'

const EXAMPLE = readFileSync(new URL('../../../accord.example.yaml', import.meta.url), 'utf8')

function load(text: string): { agreement: Agreement; hash: string } {
  const r = parseAgreement(text)
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors))
  return r
}

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture lacks ${from}`)
  return text.replace(from, to)
}

const base = load(EXAMPLE)

describe('hashAgreement', () => {
  test('the hash ignores comments, key order, quoting and whitespace', () => {
    const reordered = edit(
      edit(
        EXAMPLE,
        '  marketing: { name: Priya Natarajan, email: priya.natarajan@northwind.io }',
        '  marketing: { email: "priya.natarajan@northwind.io",   name: Priya Natarajan }   # signer',
      ),
      'when: "fit >= 60 && (intent',
      'when: "fit>=60 && (intent',
    )
    assert.equal(load(reordered).hash, base.hash)
    assert.equal(hashAgreement(base.agreement), base.hash)
  })

  test('the hash changes with any change of meaning, including rule order', () => {
    assert.notEqual(load(edit(EXAMPLE, 'points: 25', 'points: 26')).hash, base.hash)
    const emea = EXAMPLE.slice(
      EXAMPLE.indexOf('  - name: EMEA\n'),
      EXAMPLE.indexOf('  - name: Enterprise demo requests\n'),
    )
    const swapped = load(
      edit(edit(EXAMPLE, emea, ''), '  - name: North America West\n', `${emea}  - name: North America West\n`),
    )
    assert.notEqual(swapped.hash, base.hash)
    assert.deepEqual(
      diffAgreements(base.agreement, swapped.agreement).changes.map((c) => c.summary),
      [
        'routing rule order Account owner, EMEA, Enterprise demo requests, North America West, Everyone else → Account owner, Enterprise demo requests, EMEA, North America West, Everyone else',
      ],
    )
  })
})

describe('diffAgreements', () => {
  test('an MQL threshold change reads as the operand that moved', () => {
    const next = load(edit(EXAMPLE, 'when: "fit >= 60 && (intent', 'when: "fit >= 65 && (intent'))
    const d = diffAgreements(base.agreement, next.agreement)
    assert.deepEqual(
      d.changes.map((c) => c.summary),
      ['MQL: fit >= 60 → fit >= 65'],
    )
    assert.equal(d.changes[0]?.path, 'stages.MQL.when')
  })

  test('a new disqualifier is named', () => {
    const next = load(
      edit(
        EXAMPLE,
        '  disqualify:\n',
        '  disqualify:\n    - { id: gov, name: Government, when: \'account.industry == "Government"\', reason: wrong_industry }\n',
      ),
    )
    const d = diffAgreements(base.agreement, next.agreement)
    assert.ok(
      d.changes.some((c) => c.kind === 'added' && c.summary === 'new disqualifier Government'),
      formatDiff(d),
    )
  })

  test('a tier SLA change reads in business hours', () => {
    const next = load(
      edit(EXAMPLE, 'sla: { first_touch: 1h, disposition: 4h }', 'sla: { first_touch: 2h, disposition: 4h }'),
    )
    assert.deepEqual(
      diffAgreements(base.agreement, next.agreement).changes.map((c) => c.summary),
      ['tier hot SLA 1h → 2h'],
    )
  })

  test('an attribution model change is reported', () => {
    const next = load(edit(EXAMPLE, 'model: w_shaped', 'model: linear'))
    assert.deepEqual(
      diffAgreements(base.agreement, next.agreement).changes.map((c) => c.summary),
      ['attribution model w_shaped → linear'],
    )
  })

  test('list edits and removed reason codes are reported as additions and removals', () => {
    const next = load(
      edit(
        edit(EXAMPLE, 'competitors: [vantacomply.com,', 'competitors: [newrival.com, vantacomply.com,'),
        '    - { code: existing_customer, label: Already a customer — route to account management }\n',
        '',
      ),
    )
    const text = formatDiff(diffAgreements(base.agreement, next.agreement))
    assert.match(text, /\+ list competitors \+ newrival\.com/)
    assert.match(text, /- reject reason existing_customer removed/)
  })

  test('identical Agreements have no semantic changes', () => {
    assert.equal(formatDiff(diffAgreements(base.agreement, base.agreement)), 'no semantic changes')
  })
})
