import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { cleanEventBatch, eventBatchSchema, eventSchema } from './ingest.schema.ts'

/** Both paths over a body as the server receives it (parsed JSON). */
function bothWays(body: unknown) {
  const text = JSON.stringify(body)
  return { clean: cleanEventBatch(JSON.parse(text)), zod: eventBatchSchema.safeParse(JSON.parse(text)) }
}

const personKeys = Object.keys(eventSchema.shape.person.shape)
const contextKeys = Object.keys(eventSchema.shape.context.unwrap().shape)

const cleanText = fc.oneof(
  fc.constantFrom('dana@acme-health.com', 'Dana', 'Head of RevOps', 'google', 'q3-2026-search-brand'),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s),
)
const anyText = fc.oneof(
  cleanText,
  fc.constantFrom(
    '',
    ' ',
    ' padded',
    'padded ',
    '\ttab',
    'nbsp\u00a0',
    'x'.repeat(200),
    'x'.repeat(201),
    'x'.repeat(321),
  ),
  fc.string({ maxLength: 12 }),
)
const anyValue = fc.oneof(anyText, fc.constant(null), fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]))
const withBogusKey = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: arb.map((o) => ({ ...o, bogus: 'x' })) })
const fieldsOf = (keys: string[], value: fc.Arbitrary<unknown>) =>
  fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] })

const occurredAt = fc.constantFrom(
  '2026-11-20T14:03:00Z',
  '2026-11-20T14:03:00.123Z',
  '2026-11-20T14:03:00+02:00',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-13-20T14:03:00Z',
  '2026-11-20T24:00:00Z',
  '2026-11-20',
  '2026-11-20T14:03Z',
  ' 2026-11-20T14:03:00Z',
  'yesterday',
)

const anyEvent = withBogusKey(
  fc.record(
    {
      id: fc.oneof(anyText, fc.integer()),
      type: fc.constantFrom('page_view', 'pricing_view', 'a'.repeat(64), 'a'.repeat(65), 'Page_view', '1st', '', 7),
      occurred_at: fc.oneof(occurredAt, fc.constant(1_700_000_000_000)),
      person: fc.oneof(
        { weight: 6, arbitrary: withBogusKey(fieldsOf(personKeys, anyValue)) },
        { weight: 1, arbitrary: fc.constantFrom(null, [], 'dana@acme-health.com') },
      ),
      account: fc.oneof(fc.constant(null), withBogusKey(fieldsOf(['domain'], anyValue))),
      properties: fc.oneof(
        fc.constantFrom({}, { path: '/pricing' }, { plan: 'pro', seats: 12, nested: { a: [1, 'b'] } }),
        fc.constantFrom(null, [], 'plan=pro', 3),
      ),
      context: fc.oneof(withBogusKey(fieldsOf(contextKeys, anyValue)), fc.constantFrom(null, [], 'google')),
    },
    { requiredKeys: [] },
  ),
)

const cleanEvent = fc.record(
  {
    id: cleanText,
    type: fc.constantFrom('page_view', 'pricing_view', 'demo_request'),
    occurred_at: fc.constantFrom('2026-11-20T14:03:00Z', '2026-11-20T14:03:00.5+05:30'),
    person: fc.oneof(
      fieldsOf(personKeys, fc.oneof(cleanText, fc.constant(null))).map((p) => ({ ...p, email: 'dana@acme.com' })),
      fieldsOf(personKeys, fc.oneof(cleanText, fc.constant(null))).map((p) => ({ ...p, anonymous_id: 'v-1' })),
    ),
    account: fc.oneof(fc.constant(null), fc.record({ domain: cleanText })),
    properties: fc.constantFrom({}, { path: '/pricing' }, { plan: 'pro', seats: 12 }),
    context: fieldsOf(contextKeys, fc.oneof(cleanText, fc.constant(null), fc.constant(''))),
  },
  { requiredKeys: ['id', 'type', 'occurred_at', 'person'] },
)

/** A clean event with one field from `anyEvent`. */
const nearlyClean = fc
  .tuple(
    cleanEvent,
    anyEvent,
    fc.constantFrom('id', 'type', 'occurred_at', 'person', 'account', 'properties', 'context'),
  )
  .map(([c, a, key]) => ({ ...c, [key]: (a as Record<string, unknown>)[key] }))

describe('clean event batches (the ingestion path without zod)', () => {
  test('never accepts a batch the schema refuses, and gives exactly what the schema gives', () => {
    let clean = 0
    let refused = 0
    fc.assert(
      fc.property(
        fc.oneof(
          {
            weight: 8,
            arbitrary: fc.record({
              events: fc.array(fc.oneof(anyEvent, nearlyClean, cleanEvent, cleanEvent), { maxLength: 3 }),
            }),
          },
          {
            weight: 1,
            arbitrary: fc.record({ events: fc.array(cleanEvent, { minLength: 1 }), extra: fc.constant(1) }),
          },
          { weight: 1, arbitrary: fc.constantFrom(null, [], { events: 'none' }, { events: [null] }) },
        ),
        (body) => {
          const { clean: c, zod } = bothWays(body)
          if (c === null) {
            if (!zod.success) refused++
            return
          }
          clean++
          assert.ok(zod.success, `accepted what the schema refuses: ${JSON.stringify(body)}`)
          assert.deepStrictEqual(c, zod.data)
        },
      ),
      { numRuns: 3000 },
    )
    // Both sides of the property were exercised.
    assert.ok(clean > 50 && refused > 500, `clean ${clean}, refused ${refused}`)
  })

  test('takes every batch of clean events, with every field the schema knows, as the schema parses it', () => {
    fc.assert(
      fc.property(fc.array(cleanEvent, { minLength: 1, maxLength: 5 }), (events) => {
        const { clean: c, zod } = bothWays({ events })
        assert.ok(zod.success)
        assert.notEqual(c, null, `not taken: ${JSON.stringify(events)}`)
        assert.deepStrictEqual(c, zod.data)
      }),
      { numRuns: 1000 },
    )
  })

  test('leaves to zod what only zod can word or repair', () => {
    const event = {
      id: 'e1',
      type: 'page_view',
      occurred_at: '2026-11-20T14:03:00Z',
      person: { email: 'dana@acme-health.com' },
    }
    const cases: [string, unknown, boolean][] = [
      ['an id zod trims', { ...event, id: ' e1 ' }, true],
      ['an impossible date', { ...event, occurred_at: '2026-02-30T00:00:00Z' }, false],
      ['a person with neither email nor anonymous id', { ...event, person: { first_name: 'Dana' } }, false],
      ['a misspelt key', { ...event, occured_at: event.occurred_at }, false],
      ['a null context', { ...event, context: null }, false],
    ]
    for (const [name, e, schemaTakes] of cases) {
      const { clean: c, zod } = bothWays({ events: [e] })
      assert.equal(c, null, name)
      assert.equal(zod.success, schemaTakes, name)
    }
    // The clean case fills the defaults the schema fills.
    assert.deepStrictEqual(cleanEventBatch({ events: [{ ...event }] }), {
      events: [{ ...event, properties: {}, context: {} }],
    })
  })
})
