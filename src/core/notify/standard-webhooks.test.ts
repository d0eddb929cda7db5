import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { checkWebhookSecret, generateWebhookSecret, signWebhook, verifyWebhook } from './standard-webhooks.ts'

// The vector from the reference JavaScript library's "sign function works" test (standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts).
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const SPEC_TIMESTAMP = 1614265330
const SPEC_PAYLOAD = '{"test": 2432232314}'
const SPEC_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='

const at = (seconds: number) => seconds * 1000

describe('signWebhook', () => {
  test('signing the reference vector gives the reference signature', () => {
    const headers = signWebhook({ id: SPEC_ID, timestamp: SPEC_TIMESTAMP, payload: SPEC_PAYLOAD, secret: SPEC_SECRET })
    assert.deepEqual(headers, {
      'webhook-id': SPEC_ID,
      'webhook-timestamp': String(SPEC_TIMESTAMP),
      'webhook-signature': SPEC_SIGNATURE,
    })
  })

  test('two secrets during a rotation give two space-separated signatures, each verifying alone', () => {
    const other = generateWebhookSecret((n) => new Uint8Array(n).fill(7))
    const headers = signWebhook({
      id: SPEC_ID,
      timestamp: SPEC_TIMESTAMP,
      payload: SPEC_PAYLOAD,
      secret: [SPEC_SECRET, other],
    })
    const parts = headers['webhook-signature'].split(' ')
    assert.equal(parts.length, 2)
    assert.equal(parts[0], SPEC_SIGNATURE)
    for (const secret of [SPEC_SECRET, other])
      assert.deepEqual(verifyWebhook(headers, SPEC_PAYLOAD, secret, { now: at(SPEC_TIMESTAMP) }), { kind: 'valid' })
  })

  test('a fractional timestamp is refused because receivers parse whole seconds', () => {
    assert.throws(() => signWebhook({ id: 'a', timestamp: 1.5, payload: '', secret: SPEC_SECRET }), /whole seconds/)
  })
})

describe('verifyWebhook', () => {
  const headers = {
    'webhook-id': SPEC_ID,
    'webhook-timestamp': String(SPEC_TIMESTAMP),
    'webhook-signature': SPEC_SIGNATURE,
  }

  test('the reference message verifies at its own timestamp, with or without the whsec_ prefix', () => {
    assert.deepEqual(verifyWebhook(headers, SPEC_PAYLOAD, SPEC_SECRET, { now: at(SPEC_TIMESTAMP) }), { kind: 'valid' })
    const bare = SPEC_SECRET.slice('whsec_'.length)
    assert.deepEqual(verifyWebhook(headers, SPEC_PAYLOAD, bare, { now: at(SPEC_TIMESTAMP) }), { kind: 'valid' })
  })

  test('header names are matched case-insensitively, as HTTP requires', () => {
    const upper = {
      'Webhook-Id': SPEC_ID,
      'Webhook-Timestamp': String(SPEC_TIMESTAMP),
      'WEBHOOK-SIGNATURE': SPEC_SIGNATURE,
    }
    assert.equal(verifyWebhook(upper, SPEC_PAYLOAD, SPEC_SECRET, { now: at(SPEC_TIMESTAMP) }).kind, 'valid')
  })

  test('a message 301 seconds old is refused as too old; 300 seconds is accepted', () => {
    const old = verifyWebhook(headers, SPEC_PAYLOAD, SPEC_SECRET, { now: at(SPEC_TIMESTAMP + 301) })
    assert.equal(old.kind === 'invalid' && old.code, 'too_old')
    assert.equal(verifyWebhook(headers, SPEC_PAYLOAD, SPEC_SECRET, { now: at(SPEC_TIMESTAMP + 300) }).kind, 'valid')
  })

  test('a message stamped 301 seconds in the future is refused as too new', () => {
    const r = verifyWebhook(headers, SPEC_PAYLOAD, SPEC_SECRET, { now: at(SPEC_TIMESTAMP - 301) })
    assert.equal(r.kind === 'invalid' && r.code, 'too_new')
  })

  test('a wrong secret, a changed payload, a changed id or a changed timestamp fail', () => {
    const now = at(SPEC_TIMESTAMP)
    const wrong = generateWebhookSecret((n) => new Uint8Array(n).fill(1))
    const cases = [
      verifyWebhook(headers, SPEC_PAYLOAD, wrong, { now }),
      verifyWebhook(headers, `${SPEC_PAYLOAD} `, SPEC_SECRET, { now }),
      verifyWebhook({ ...headers, 'webhook-id': 'msg_other' }, SPEC_PAYLOAD, SPEC_SECRET, { now }),
      verifyWebhook({ ...headers, 'webhook-timestamp': String(SPEC_TIMESTAMP + 1) }, SPEC_PAYLOAD, SPEC_SECRET, {
        now,
      }),
    ]
    for (const r of cases) assert.equal(r.kind === 'invalid' && r.code, 'no_matching_signature')
  })

  test('a truncated signature, an empty v1 and an unknown version are refused without throwing', () => {
    const now = at(SPEC_TIMESTAMP)
    for (const sig of [SPEC_SIGNATURE.slice(0, 8), 'v1,', `v2,${SPEC_SIGNATURE.slice(3)}`, 'garbage']) {
      const r = verifyWebhook({ ...headers, 'webhook-signature': sig }, SPEC_PAYLOAD, SPEC_SECRET, { now })
      assert.equal(r.kind === 'invalid' && r.code, 'no_matching_signature', sig)
    }
  })

  test('one valid signature among several others is enough', () => {
    const sig = ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v2,xyz', SPEC_SIGNATURE].join(' ')
    const r = verifyWebhook({ ...headers, 'webhook-signature': sig }, SPEC_PAYLOAD, SPEC_SECRET, {
      now: at(SPEC_TIMESTAMP),
    })
    assert.equal(r.kind, 'valid')
  })

  test('missing headers and a non-numeric timestamp are named', () => {
    const r = verifyWebhook({ 'webhook-id': SPEC_ID }, SPEC_PAYLOAD, SPEC_SECRET, { now: 0 })
    assert.deepEqual(r, {
      kind: 'invalid',
      code: 'missing_header',
      reason: 'missing header webhook-timestamp, webhook-signature',
    })
    const t = verifyWebhook({ ...headers, 'webhook-timestamp': 'hello' }, SPEC_PAYLOAD, SPEC_SECRET, { now: 0 })
    assert.equal(t.kind === 'invalid' && t.code, 'bad_timestamp')
  })

  test('any payload signed now verifies now (property)', () => {
    const secret = generateWebhookSecret((n) => new Uint8Array(n).map((_, i) => i * 13))
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (id, payload, ts) => {
          const h = signWebhook({ id, timestamp: ts, payload, secret })
          return verifyWebhook(h, payload, secret, { now: ts * 1000 }).kind === 'valid'
        },
      ),
    )
  })
})

describe('generateWebhookSecret', () => {
  test('32 supplied bytes become a whsec_ secret that decodes back to them', () => {
    const bytes = new Uint8Array(32).map((_, i) => i)
    const secret = generateWebhookSecret(() => bytes)
    assert.equal(secret, `whsec_${Buffer.from(bytes).toString('base64')}`)
    assert.equal(checkWebhookSecret(secret), null)
  })

  test('key sizes outside 24–64 bytes are refused', () => {
    assert.throws(() => generateWebhookSecret((n) => new Uint8Array(n), 16), /24 to 64/)
  })
})

describe('checkWebhookSecret', () => {
  test('a secret without the prefix, a non-base64 body and a short key are each explained', () => {
    assert.match(checkWebhookSecret('abc') ?? '', /whsec_<base64>/)
    assert.match(checkWebhookSecret('whsec_not base64!') ?? '', /not base64/)
    assert.match(checkWebhookSecret('whsec_AAAA') ?? '', /3 bytes/)
  })
})
