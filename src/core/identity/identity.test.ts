import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { accountDomainOfEmail, isFreeMailDomain, normalizeDomain, normalizeEmail } from './identity.ts'

describe('identity', () => {
  test('an email is trimmed and compared case-insensitively', () => {
    assert.equal(normalizeEmail('  Ana.Ruiz@ACME.com '), 'ana.ruiz@acme.com')
  })
  test('a string without a usable domain is not an email', () => {
    for (const bad of ['ana', 'ana@', '@acme.com', 'ana@acme', 'an a@acme.com', 'ana@.com']) {
      assert.equal(normalizeEmail(bad), null, bad)
    }
  })
  test('a work email implies its company domain as the account', () => {
    assert.equal(accountDomainOfEmail('ana@acme-health.com'), 'acme-health.com')
  })
  test('free-mail addresses imply no account', () => {
    for (const d of ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'proton.me', 'icloud.com']) {
      assert.equal(isFreeMailDomain(d), true, d)
      assert.equal(accountDomainOfEmail(`someone@${d}`), null)
    }
  })
  test('employers that also appear on provider lists stay companies', () => {
    assert.equal(accountDomainOfEmail('eng@facebook.com'), 'facebook.com')
  })
  test('a website URL normalizes to its bare domain', () => {
    assert.equal(normalizeDomain('https://www.Acme.com/about?x=1'), 'acme.com')
    assert.equal(normalizeDomain('acme.co.uk.'), 'acme.co.uk')
    assert.equal(normalizeDomain('not a domain'), null)
  })
})
