import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createUser } from '../../src/auth/create-user.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

type Cookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; path?: string; secure?: boolean }

function sessionCookie(res: { cookies: Cookie[] }): Cookie {
  const c = res.cookies.find((x) => x.name === 'accord_session')
  assert.ok(c, 'the response sets accord_session')
  return c
}

describe('dashboard sessions, users and CSRF', () => {
  let t: TestApp
  before(async () => {
    t = await createTestApp()
    await createUser(t.ctx, {
      workspaceId: t.workspaceId,
      username: 'priya',
      displayName: 'Priya Natarajan',
      role: 'marketing',
      password: 'correct horse battery',
    })
  })
  after(() => t.close())

  const logIn = (payload: Record<string, unknown>, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/v1/session', payload, remoteAddress: ip })

  test('an API key logs in: an HTTP-only, SameSite=Strict cookie and a CSRF token come back', async () => {
    const res = await logIn({ api_key: t.keys.sales })
    assert.equal(res.statusCode, 201)
    const cookie = sessionCookie(res)
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Strict')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.secure, undefined, 'not Secure over plain http')
    const body = res.json()
    assert.equal(body.principal.kind, 'api_key')
    assert.equal(body.principal.role, 'sales')
    assert.match(body.csrfToken, /^[\w-]{32}$/)
    assert.ok(body.permissions.includes('agreement:sign'))
    assert.ok(!body.permissions.includes('keys:manage'))

    const me = await t.app.inject({ url: '/v1/session', cookies: { accord_session: cookie.value } })
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().principal.name, 'sales key')
    assert.equal(me.json().csrfToken, body.csrfToken)
  })

  test('an ingest key cannot log in', async () => {
    const res = await logIn({ api_key: t.keys.ingest }, '10.0.0.2')
    assert.equal(res.statusCode, 403)
    assert.match(res.json().error.message, /ingest key .* cannot log in/)
    assert.equal(res.cookies.length, 0)
  })

  test('a username and password log in; unknown user and wrong password get the same answer', async () => {
    const ok = await logIn({ username: 'Priya', password: 'correct horse battery' }, '10.0.0.3')
    assert.equal(ok.statusCode, 201, ok.body)
    assert.equal(ok.json().principal.kind, 'user')
    assert.equal(ok.json().principal.name, 'Priya Natarajan')
    const wrong = await logIn({ username: 'priya', password: 'wrong horse battery' }, '10.0.0.3')
    const unknown = await logIn({ username: 'nobody', password: 'wrong horse battery' }, '10.0.0.3')
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.statusCode, 401)
    assert.deepEqual(wrong.json(), unknown.json())
  })

  test('a cookie-authenticated POST without the CSRF header is refused; with it, it goes through', async () => {
    const login = await logIn({ api_key: t.keys.marketing }, '10.0.0.4')
    const cookies = { accord_session: sessionCookie(login).value }
    const payload = { source: 'agreement: x' }
    const without = await t.app.inject({ method: 'POST', url: '/v1/agreements/validate', cookies, payload })
    assert.equal(without.statusCode, 403)
    assert.equal(without.json().error.code, 'forbidden')
    assert.match(without.json().error.message, /x-csrf-token/)
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements/validate',
      cookies,
      payload,
      headers: { 'x-csrf-token': 'not-the-token' },
    })
    assert.equal(wrong.statusCode, 403)
    const right = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements/validate',
      cookies,
      payload,
      headers: { 'x-csrf-token': login.json().csrfToken },
    })
    assert.equal(right.statusCode, 422, 'past auth and CSRF, the (invalid) Agreement reaches validation')
  })

  test('a bearer-key POST needs no CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements/validate',
      headers: t.auth('marketing'),
      payload: { source: 'agreement: x' },
    })
    assert.equal(res.statusCode, 422)
  })

  test('logging out ends the session: the cookie no longer authenticates', async () => {
    const login = await logIn({ api_key: t.keys.rep }, '10.0.0.5')
    const cookies = { accord_session: sessionCookie(login).value }
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/v1/session',
      cookies,
      headers: { 'x-csrf-token': login.json().csrfToken },
    })
    assert.equal(out.statusCode, 204)
    assert.equal(out.cookies.find((c) => c.name === 'accord_session')?.value, '')
    const me = await t.app.inject({ url: '/v1/session', cookies })
    assert.equal(me.statusCode, 401)
    assert.match(me.json().error.message, /session has ended/)
  })

  test('revoking a key ends the sessions opened with it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: t.auth('admin'),
      payload: { name: 'short-lived', role: 'sales' },
    })
    const login = await logIn({ api_key: created.json().secret }, '10.0.0.6')
    const cookies = { accord_session: sessionCookie(login).value }
    assert.equal((await t.app.inject({ url: '/v1/agreements', cookies })).statusCode, 200)
    await t.app.inject({ method: 'DELETE', url: `/v1/keys/${created.json().id}`, headers: t.auth('admin') })
    assert.equal((await t.app.inject({ url: '/v1/agreements', cookies })).statusCode, 401)
  })

  test('failed log-ins are limited per IP and username: the 11th within a minute gets 429', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push((await logIn({ username: 'priya', password: `guess number ${i}` }, '10.9.9.9')).statusCode)
    assert.deepEqual(statuses, [...Array(10).fill(401), 429])
    const right = await logIn({ username: 'priya', password: 'correct horse battery' }, '10.9.9.9')
    assert.equal(right.statusCode, 429, 'even the right password waits out the window')
    const elsewhere = await logIn({ username: 'priya', password: 'correct horse battery' }, '10.9.9.10')
    assert.equal(elsewhere.statusCode, 201, 'another IP is not locked out')
  })

  test('admins create and list users; passwords are never returned; others may not', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: t.auth('admin'),
      payload: {
        username: 'ana',
        display_name: 'Ana Ruiz',
        role: 'rep',
        rep_id: 'ana_ruiz',
        password: 'a long passphrase',
      },
    })
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(created.json().rep_id, 'ana_ruiz')
    assert.ok(!('password_hash' in created.json()))
    const list = await t.app.inject({ url: '/v1/users', headers: t.auth('admin') })
    assert.deepEqual(
      list.json().users.map((u: { username: string }) => u.username),
      ['priya', 'ana'],
    )
    assert.ok(!JSON.stringify(list.json()).includes('scrypt'))
    const bySales = await t.app.inject({ url: '/v1/users', headers: t.auth('sales') })
    assert.equal(bySales.statusCode, 403)
  })

  test('a user is refused with every problem named: ingest role, short password, rep without rep id, taken name', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: t.auth('admin'),
      payload: { username: 'x', display_name: ' ', role: 'ingest', password: 'short' },
    })
    assert.equal(bad.statusCode, 422)
    assert.deepEqual(
      bad
        .json()
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
      ['display_name', 'password', 'role', 'username'],
    )
    const rep = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: t.auth('admin'),
      payload: { username: 'ben', display_name: 'Ben', role: 'rep', password: 'a long passphrase' },
    })
    assert.deepEqual(
      rep.json().error.issues.map((i: { path: string }) => i.path),
      ['rep_id'],
    )
    const taken = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: t.auth('admin'),
      payload: { username: 'PRIYA', display_name: 'Other', role: 'sales', password: 'a long passphrase' },
    })
    assert.equal(taken.statusCode, 409)
  })

  test('a disabled user cannot log in, and their open sessions end', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: t.auth('admin'),
      payload: { username: 'leaver', display_name: 'Leaver', role: 'sales', password: 'a long passphrase' },
    })
    const login = await logIn({ username: 'leaver', password: 'a long passphrase' }, '10.0.0.7')
    const cookies = { accord_session: sessionCookie(login).value }
    const id = login.json().principal.id
    const disabled = await t.app.inject({ method: 'DELETE', url: `/v1/users/${id}`, headers: t.auth('admin') })
    assert.equal(disabled.statusCode, 200)
    assert.ok(disabled.json().disabled_at)
    assert.equal((await t.app.inject({ url: '/v1/session', cookies })).statusCode, 401)
    const again = await logIn({ username: 'leaver', password: 'a long passphrase' }, '10.0.0.7')
    assert.equal(again.statusCode, 403)
    assert.match(again.json().error.message, /disabled/)
  })

  test('a user session signs the Agreement in the user’s name', async () => {
    const { readFileSync } = await import('node:fs')
    const source = readFileSync('accord.example.yaml', 'utf8')
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/v1/agreements',
      headers: t.auth('sales'),
      payload: { source },
    })
    const login = await logIn({ username: 'priya', password: 'correct horse battery' }, '10.0.0.8')
    const signed = await t.app.inject({
      method: 'POST',
      url: `/v1/agreements/${proposed.json().id}/sign`,
      cookies: { accord_session: sessionCookie(login).value },
      headers: { 'x-csrf-token': login.json().csrfToken },
    })
    assert.equal(signed.statusCode, 200, signed.body)
    assert.deepEqual(
      signed.json().signatures.map((s: { side: string; signer: string }) => [s.side, s.signer]),
      [['marketing', 'Priya Natarajan']],
    )
  })

  test('a request without key or cookie is refused with how to authenticate', async () => {
    const res = await t.app.inject({ url: '/v1/agreements' })
    assert.equal(res.statusCode, 401)
    assert.match(res.json().error.message, /Bearer .*log in/)
  })
})
