import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { createConditionEnvironment } from './cel-environment.ts'
import { type CompiledCondition, compileCondition } from './compile-condition.ts'
import { evaluateCondition, testCondition } from './evaluate-condition.ts'

const env = createConditionEnvironment('stage', {
  lists: { competitors: ['rival.io', 'other.io'], stack: ['aws', 'okta'] },
  signals: ['pricing_interest', 'demo_request'],
  accountSignals: [],
  stages: ['Lead', 'MQL', 'SQL'],
  tiers: ['hot', 'warm'],
})

function compile(source: string): CompiledCondition {
  const r = compileCondition(env, source)
  assert.ok(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('; '))
  return r.condition
}

function refuse(source: string): string {
  const r = compileCondition(env, source)
  assert.equal(r.ok, false, `${source} should be refused`)
  return r.ok ? '' : r.errors.map((e) => e.message).join('; ')
}

describe('compileCondition', () => {
  test('fit >= 60 compares a double score with an integer literal', () => {
    const c = compile('fit >= 60')
    assert.equal(testCondition(c, { fit: 72 }), true)
    assert.equal(testCondition(c, { fit: 59.5 }), false)
    assert.equal(c.testWithCel({ fit: 60 }), true)
  })

  test('fit == 60 and fit + 10 > 70 type-check although fit is a double', () => {
    assert.equal(testCondition(compile('fit == 60'), { fit: 60 }), true)
    assert.equal(compile('fit + 10 > 70').testWithCel({ fit: 61 }), true)
  })

  test('comparing a number with a string is refused', () => {
    assert.match(refuse('account.employees == "ten"'), /cannot compare a number with a string/)
  })

  test('an unknown root, field or list is refused with a suggestion', () => {
    assert.match(refuse('acount.industry == "x"'), /unknown field `acount` \(did you mean `account`\?\)/)
    assert.match(refuse('account.industri == "x"'), /did you mean `account.industry`/)
    assert.match(refuse('account.domain in lists.competitorz'), /unknown field `lists.competitorz`/)
  })

  test('a condition that is not a boolean is refused', () => {
    assert.match(refuse('fit'), /must be true or false/)
  })

  test('a stage literal that names no stage is refused', () => {
    assert.match(refuse('stage == "MQQL"'), /unknown stage "MQQL" \(did you mean "MQL"\?\)/)
  })

  test('a missing field makes the answer unknown and names the field', () => {
    const c = compile('fit >= 60 && account.employees >= 200')
    const r = evaluateCondition(c, { fit: 72, account: {} })
    assert.equal(r.matched, 'unknown')
    assert.deepEqual(r.missing, ['account.employees'])
  })

  test('a missing field does not matter when the other side already decides', () => {
    const c = compile('signals.demo_request || account.employees >= 200')
    assert.equal(testCondition(c, { signals: { demo_request: true }, account: {} }), true)
    assert.equal(c.testWithCel({ signals: { demo_request: true }, account: {} }), true)
    assert.equal(testCondition(compile('fit >= 60 && account.employees >= 200'), { fit: 10, account: {} }), false)
  })

  test('null counts as absent on both evaluation paths', () => {
    const c = compile('has(account.owner)')
    assert.equal(testCondition(c, { account: { owner: null } }), false)
    assert.equal(c.testWithCel({ account: { owner: null } }), false)
  })

  test('reasons show each operand with the values it read', () => {
    const c = compile('fit >= 60 && (intent >= 40 || signals.pricing_interest)')
    const r = evaluateCondition(c, { fit: 72, intent: 45, signals: { pricing_interest: false } })
    assert.equal(r.matched, true)
    assert.deepEqual(r.reasons, [
      'fit >= 60: true (fit = 72)',
      'intent >= 40: true (intent = 45)',
      'signals.pricing_interest: false',
    ])
  })

  test('fields only tested with has() are not required', () => {
    assert.deepEqual(compile('has(account.owner) && fit > 1').reads, ['fit'])
  })

  test('list macros and membership in a list field take the fast path', () => {
    const c = compile('account.technologies.exists(t, t in lists.stack)')
    assert.equal(c.isFast, true)
    assert.equal(testCondition(c, { account: { technologies: ['jira', 'okta'] } }), true)
    assert.equal(testCondition(c, { account: { technologies: ['jira'] } }), false)
    assert.equal(testCondition(c, { account: { technologies: [] } }), false)
    assert.equal(testCondition(c, { account: {} }), 'unknown')
    assert.equal(testCondition(c, { account: null }), 'unknown')
  })

  test('an element that reads a missing field is unknown unless another element decides', () => {
    const exists = compile('account.technologies.exists(t, t == account.industry)')
    assert.equal(testCondition(exists, { account: { technologies: ['aws'] } }), 'unknown')
    assert.equal(exists.testWithCel({ account: { technologies: ['aws'] } }), 'unknown')
    assert.equal(testCondition(exists, { account: { technologies: [] } }), false)
    const all = compile('account.technologies.all(t, t.startsWith("a") || account.employees > 10)')
    assert.equal(testCondition(all, { account: { technologies: ['aws', 'jira'] } }), 'unknown')
    assert.equal(testCondition(all, { account: { technologies: ['aws', 'jira'], employees: 3 } }), false)
  })

  test('a condition with has() is not monotone; one without is', () => {
    assert.equal(compile('has(account.owner) || fit > 1').isMonotone, false)
    assert.equal(compile('fit > 1 && account.technologies.exists(t, t == "aws")').isMonotone, true)
    assert.deepEqual([...compile('has(account.owner) || person.title == "CFO"').fields].sort(), [
      'account.owner',
      'person.title',
    ])
  })

  test('the fast path and the CEL interpreter agree on every context', () => {
    const sources = [
      'account.technologies.exists(t, t in lists.stack)',
      'account.technologies.exists(t, t == account.industry || t.startsWith("o"))',
      'account.technologies.all(t, t != "jira" && account.employees >= 10)',
      'account.technologies.exists_one(t, t in ["aws", "okta"] || size(t) > account.employees)',
      'size(account.technologies.filter(t, t.contains(account.domain))) >= 1 || fit > 50',
      '"AWS" in account.technologies.map(t, t.upperAscii())',
      'account.technologies.map(t, t != "aws", t.upperAscii()).exists(u, u == "OKTA")',
      'lists.stack.all(s, s in account.technologies)',
      'account.technologies.exists(t, lists.stack.exists(s, s == t && person.title != "Analyst"))',
      'account.technologies.exists(t, t in lists.stack) ? fit >= 60 : intent > 10',
      'fit >= 60 && (intent >= 40 || signals.pricing_interest || signals.demo_request)',
      'account.industry in ["Healthcare", "Fintech"] && account.employees >= 200',
      '!(account.domain in lists.competitors) || fit == 60',
      'account.domain.endsWith(".io") && "aws" in account.technologies',
      'has(account.owner) ? account.owner != "" : stage == "MQL"',
      'size(account.technologies) >= 2 || person.title.lowerAscii().contains("cfo")',
      'account.industry.matches("^Health")',
    ]
    const compiled = sources.map(compile)
    for (const c of compiled) assert.equal(c.isFast, true, `${c.source} should take the fast path`)
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
    const ctx = fc.record({
      fit: maybe(fc.integer({ min: 0, max: 100 })),
      intent: maybe(fc.double({ min: 0, max: 100, noNaN: true })),
      stage: maybe(fc.constantFrom('Lead', 'MQL')),
      signals: fc.record({ pricing_interest: maybe(fc.boolean()), demo_request: maybe(fc.boolean()) }),
      account: fc.record({
        industry: maybe(fc.constantFrom('Healthcare', 'Fintech', 'Retail', 'Health Tech')),
        employees: maybe(fc.integer({ min: 0, max: 5000 })),
        domain: maybe(fc.constantFrom('rival.io', 'acme.com', 'north.io', 'okta')),
        owner: maybe(fc.constantFrom('', 'ana')),
        technologies: maybe(fc.subarray(['aws', 'okta', 'jira', 'okta.io'])),
      }),
      person: fc.record({ title: maybe(fc.constantFrom('CFO', 'VP Finance', 'Analyst')) }),
    })
    fc.assert(
      fc.property(ctx, (c) => {
        for (const cond of compiled)
          assert.equal(cond.test(c), cond.testWithCel(c), `${cond.source} on ${JSON.stringify(c)}`)
      }),
      { numRuns: 1000 },
    )
  })
})
