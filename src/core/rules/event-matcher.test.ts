import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compileEventMatcher, findInvalidRegex, PropertyMatcherSchema } from './event-matcher.ts'

test('a pricing page view matches a prefix matcher and other types never match', () => {
  const m = compileEventMatcher('page_view', { path: { prefix: '/pricing' } })
  assert.equal(m.test({ type: 'page_view', properties: { path: '/pricing/teams' } }), true)
  assert.equal(m.test({ type: 'page_view', properties: { path: '/blog' } }), false)
  assert.equal(m.test({ type: 'form_submit', properties: { path: '/pricing' } }), false)
})

test('all operators of a matcher must hold, numbers compare as numbers', () => {
  const m = compileEventMatcher('product_signal', { seats: { gte: 5, lte: 50 }, plan: { in: ['team', 'business'] } })
  assert.equal(m.test({ type: 'product_signal', properties: { seats: 10, plan: 'team' } }), true)
  assert.equal(m.test({ type: 'product_signal', properties: { seats: 100, plan: 'team' } }), false)
  assert.equal(m.test({ type: 'product_signal', properties: { seats: '10', plan: 'team' } }), false)
})

test('ignore_case folds strings for equals, in, prefix and regex', () => {
  const m = compileEventMatcher('form_submit', { form: { equals: 'demo_request', ignore_case: true } })
  assert.equal(m.test({ type: 'form_submit', properties: { form: 'Demo_Request' } }), true)
})

test('an invalid regular expression is reported, and an empty matcher is refused', () => {
  assert.match(findInvalidRegex({ regex: '([' }) ?? '', /invalid regular expression/)
  assert.equal(PropertyMatcherSchema.safeParse({}).success, false)
})
