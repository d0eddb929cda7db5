/**
 * From a CSV row to an ingest record: which column feeds which field (the file's own header names, HubSpot and
 * Salesforce export names, or a mapping file), and typed coercion with a message naming the field.
 * An empty cell means "unknown": the field is left out, so an import never blanks stored values.
 */
import { AppError, type Issue } from '../core/errors.ts'
import { ACCOUNT_FIELDS, type FieldType as CatalogueType, PERSON_FIELDS } from '../core/rules/index.ts'

export type ImportKind = 'accounts' | 'people' | 'events' | 'opportunities' | 'signals'
export const IMPORT_KINDS: readonly ImportKind[] = ['accounts', 'people', 'events', 'opportunities', 'signals']
type FieldType = 'text' | 'number' | 'integer' | 'boolean' | 'list' | 'datetime'

const FIELDS: Record<ImportKind, Record<string, FieldType>> = {
  accounts: {
    domain: 'text',
    name: 'text',
    industry: 'text',
    employees: 'integer',
    revenue: 'number',
    country: 'text',
    region: 'text',
    state: 'text',
    segment: 'text',
    technologies: 'list',
    owner: 'text',
    external_id: 'text',
  },
  people: {
    email: 'text',
    first_name: 'text',
    last_name: 'text',
    title: 'text',
    phone: 'text',
    country: 'text',
    account_domain: 'text',
    external_id: 'text',
  },
  opportunities: {
    external_id: 'text',
    account_domain: 'text',
    account_name: 'text',
    name: 'text',
    amount: 'number',
    stage: 'text',
    is_closed: 'boolean',
    is_won: 'boolean',
    created_at: 'datetime',
    closed_at: 'datetime',
    owner: 'text',
    source: 'text',
    lost_reason: 'text',
  },
  events: {
    id: 'text',
    type: 'text',
    occurred_at: 'datetime',
    email: 'text',
    anonymous_id: 'text',
    first_name: 'text',
    last_name: 'text',
    title: 'text',
    account_domain: 'text',
    source: 'text',
    medium: 'text',
    campaign: 'text',
    content: 'text',
    term: 'text',
  },
  signals: {
    domain: 'text',
    type: 'text',
    at: 'datetime',
    source: 'text',
  },
}

/** Export column names from HubSpot and Salesforce, keyed by their normalized form (lower-case letters and digits). */
const ALIASES: Record<ImportKind, Record<string, string>> = {
  accounts: {
    companydomainname: 'domain',
    website: 'domain',
    websiteurl: 'domain',
    companyname: 'name',
    accountname: 'name',
    numberofemployees: 'employees',
    employeecount: 'employees',
    annualrevenue: 'revenue',
    billingcountry: 'country',
    billingstate: 'state',
    stateregion: 'state',
    companyowner: 'owner',
    accountowner: 'owner',
    ownerid: 'owner',
    recordid: 'external_id',
    accountid: 'external_id',
    id: 'external_id',
  },
  people: {
    emailaddress: 'email',
    firstname: 'first_name',
    lastname: 'last_name',
    jobtitle: 'title',
    phonenumber: 'phone',
    mobilephone: 'phone',
    companydomainname: 'account_domain',
    recordid: 'external_id',
    contactid: 'external_id',
    leadid: 'external_id',
    id: 'external_id',
  },
  opportunities: {
    dealid: 'external_id',
    recordid: 'external_id',
    opportunityid: 'external_id',
    id: 'external_id',
    dealname: 'name',
    opportunityname: 'name',
    dealstage: 'stage',
    stagename: 'stage',
    createdate: 'created_at',
    createddate: 'created_at',
    closedate: 'closed_at',
    dealowner: 'owner',
    opportunityowner: 'owner',
    ownerid: 'owner',
    closedlostreason: 'lost_reason',
    lossreason: 'lost_reason',
    leadsource: 'source',
    originalsource: 'source',
    iswon: 'is_won',
    won: 'is_won',
    isclosed: 'is_closed',
    closed: 'is_closed',
    companydomainname: 'account_domain',
    accountname: 'account_name',
    associatedcompany: 'account_name',
    companyname: 'account_name',
  },
  events: {
    eventid: 'id',
    eventtype: 'type',
    timestamp: 'occurred_at',
    emailaddress: 'email',
    utmsource: 'source',
    utmmedium: 'medium',
    utmcampaign: 'campaign',
    utmcontent: 'content',
    utmterm: 'term',
  },
  signals: {
    companydomainname: 'domain',
    website: 'domain',
    accountdomain: 'domain',
    signaltype: 'type',
    signal: 'type',
    date: 'at',
    detectedat: 'at',
    timestamp: 'at',
    occurredat: 'at',
    provider: 'source',
  },
}

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

export type ColumnPlan = { header: string[]; fieldOf: (string | null)[]; unmapped: string[] }

/** The prefix of a kind's free-form keys: `properties.` (events), `details.` (signals), `attributes.` (records). */
function freeFormPrefix(kind: ImportKind): string {
  return kind === 'events' ? 'properties.' : kind === 'signals' ? 'details.' : 'attributes.'
}

function isFreeFormField(kind: ImportKind, field: string): boolean {
  const prefix = freeFormPrefix(kind)
  return field.startsWith(prefix) && /^\S+$/.test(field.slice(prefix.length))
}

/** True when `field` can receive a value in a `kind` record (a field name, or a free-form key). */
export function isImportField(kind: ImportKind, field: string): boolean {
  return field in FIELDS[kind] || isFreeFormField(kind, field)
}

/**
 * Decides which field each column feeds. An explicit mapping (`{ "Deal Stage": "stage" }`) wins; then the
 * field's own name; then a known CRM export name. `properties.<name>` columns (events) and `attributes.<name>`
 * columns (accounts, people, opportunities) fill those free-form objects. An accounts file without a domain
 * column keys its accounts by `name` (see src/ingest/account-names.ts).
 */
export function planColumns(kind: ImportKind, header: string[], mapping: Record<string, string> = {}): ColumnPlan {
  const fields = FIELDS[kind]
  const issues: Issue[] = []
  for (const [column, field] of Object.entries(mapping)) {
    if (!header.includes(column))
      issues.push({ path: `columns.${column}`, message: `the file has no column "${column}"` })
    if (!isImportField(kind, field) && field !== 'ignore') {
      issues.push({
        path: `columns.${column}`,
        message: `"${field}" is not a ${kind} field; fields: ${Object.keys(fields).join(', ')}, ${freeFormPrefix(kind)}<name>`,
      })
    }
  }
  if (issues.length) throw new AppError('invalid_input', 'the mapping does not fit the file', issues)
  const byNorm = new Map(Object.keys(fields).map((f) => [normalize(f), f]))
  const fieldOf = header.map((h) => {
    if (h in mapping) return mapping[h] === 'ignore' ? null : mapping[h]!
    if (isFreeFormField(kind, h)) return h
    return byNorm.get(normalize(h)) ?? ALIASES[kind][normalize(h)] ?? null
  })
  const seen = new Map<string, string>()
  fieldOf.forEach((f, i) => {
    if (!f) return
    const prev = seen.get(f)
    if (prev)
      issues.push({
        path: `columns.${header[i]}`,
        message: `both "${prev}" and "${header[i]}" map to ${f}; map one of them to ignore`,
      })
    seen.set(f, header[i]!)
  })
  const required = {
    accounts: seen.has('name') ? [] : ['domain'],
    people: ['email'],
    opportunities: ['external_id', 'stage'],
    events: ['type', 'occurred_at'],
    signals: ['domain', 'type', 'at'],
  }[kind]
  for (const r of required)
    if (!seen.has(r)) issues.push({ path: r, message: `no column maps to the required field ${r}` })
  if (kind === 'events' && !seen.has('email') && !seen.has('anonymous_id')) {
    issues.push({ path: 'email', message: 'an events file needs an email or an anonymous_id column' })
  }
  if (issues.length) throw new AppError('invalid_input', 'the file cannot be imported as ' + kind, issues)
  return { header, fieldOf, unmapped: header.filter((_, i) => !fieldOf[i]) }
}

const TRUE = new Set(['true', 'yes', 'y', '1', 't'])
const FALSE = new Set(['false', 'no', 'n', '0', 'f'])

function coerce(type: FieldType, raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (type) {
    case 'text':
      return { ok: true, value: raw }
    case 'number':
    case 'integer': {
      const n = Number(raw.replace(/[,\s$€£]/g, ''))
      if (!Number.isFinite(n)) return { ok: false, message: `expected a number, got "${raw}"` }
      if (type === 'integer' && !Number.isInteger(n))
        return { ok: false, message: `expected a whole number, got "${raw}"` }
      return { ok: true, value: n }
    }
    case 'boolean': {
      const v = raw.toLowerCase()
      if (TRUE.has(v)) return { ok: true, value: true }
      if (FALSE.has(v)) return { ok: true, value: false }
      return { ok: false, message: `expected true or false, got "${raw}"` }
    }
    case 'list':
      return {
        ok: true,
        value: raw
          .split(/[;,|]/)
          .map((s) => s.trim())
          .filter(Boolean),
      }
    case 'datetime': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { ok: true, value: raw }
      const t = Date.parse(raw)
      if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}[T ]/.test(raw))
        return { ok: false, message: `expected an ISO-8601 date or date-time, got "${raw}"` }
      const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(raw)
      return { ok: true, value: new Date(hasZone ? t : Date.parse(`${raw.replace(' ', 'T')}Z`)).toISOString() }
    }
  }
}

const IMPORT_TYPE_OF: Record<CatalogueType, FieldType> = {
  string: 'text',
  double: 'number',
  bool: 'boolean',
  'list<string>': 'list',
}

/**
 * The type of an `attributes.<name>` column that conditions read (`attributes.tags` → `account.tags`, a list), so
 * the cell is coerced like a declared column instead of kept as text the ingest schema would refuse; null for any
 * other free-form key.
 */
function conditionTypeOf(kind: ImportKind, field: string): FieldType | null {
  const catalogue = kind === 'accounts' ? ACCOUNT_FIELDS : kind === 'people' ? PERSON_FIELDS : null
  if (catalogue === null || !field.startsWith('attributes.')) return null
  const name = field.slice('attributes.'.length)
  return Object.hasOwn(catalogue, name) ? IMPORT_TYPE_OF[catalogue[name]!.type] : null
}

/**
 * Sets one field of a flat record from a raw cell (coerced to the field's type); a free-form key is kept as text,
 * unless conditions read it (then coerced to their type).
 * Returns the problem's message, or null when set. Empty cells are unknown and set nothing.
 *
 * @example setField('opportunities', record, 'attributes.office', 'Central') // null; record['attributes.office'] = 'Central'
 */
export function setField(kind: ImportKind, flat: Record<string, unknown>, field: string, raw: string): string | null {
  const value = raw.trim()
  if (value === '') return null
  if (isFreeFormField(kind, field)) {
    const conditionType = conditionTypeOf(kind, field)
    if (conditionType === null) {
      flat[field] = value
      return null
    }
    const r = coerce(conditionType, value)
    if (!r.ok) return r.message
    flat[field] = r.value
    return null
  }
  const r = coerce(FIELDS[kind][field]!, value)
  if (!r.ok) return r.message
  flat[field] = r.value
  return null
}

/**
 * Folds the free-form keys of a flat record into their object: `attributes.<name>` into `attributes`,
 * `details.<name>` into a signal's `details` (events fold properties in toEvent).
 */
export function finishRecord(kind: ImportKind, flat: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'events') return toEvent(flat)
  const prefix = freeFormPrefix(kind)
  const out: Record<string, unknown> = {}
  let free: Record<string, unknown> | null = null
  for (const [k, v] of Object.entries(flat)) {
    if (k.startsWith(prefix)) {
      free ??= {}
      free[k.slice(prefix.length)] = v
    } else out[k] = v
  }
  if (free) out[prefix.slice(0, -1)] = free
  return out
}

/**
 * One CSV row to a flat record (field → value; free-form keys still dotted), or the row's problems. Callers add
 * looked-up fields with setField and finish with finishRecord.
 */
export function rowToFlatRecord(
  kind: ImportKind,
  plan: ColumnPlan,
  cells: string[],
): { ok: true; flat: Record<string, unknown> } | { ok: false; issues: Issue[] } {
  const flat: Record<string, unknown> = {}
  const issues: Issue[] = []
  plan.fieldOf.forEach((field, i) => {
    if (!field) return
    const problem = setField(kind, flat, field, cells[i] ?? '')
    if (problem) issues.push({ path: field, message: problem })
  })
  return issues.length ? { ok: false, issues } : { ok: true, flat }
}

/** One CSV row to a record in the API's shape, or the row's problems. */
export function rowToRecord(
  kind: ImportKind,
  plan: ColumnPlan,
  cells: string[],
): { ok: true; record: Record<string, unknown> } | { ok: false; issues: Issue[] } {
  const r = rowToFlatRecord(kind, plan, cells)
  return r.ok ? { ok: true, record: finishRecord(kind, r.flat) } : r
}

function toEvent(flat: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(flat))
    if (k.startsWith('properties.')) properties[k.slice('properties.'.length)] = v
  const person: Record<string, unknown> = {}
  for (const k of ['email', 'anonymous_id', 'first_name', 'last_name', 'title'])
    if (flat[k] !== undefined) person[k] = flat[k]
  const context: Record<string, unknown> = {}
  for (const k of ['source', 'medium', 'campaign', 'content', 'term']) if (flat[k] !== undefined) context[k] = flat[k]
  const occurred = flat.occurred_at as string | undefined
  return {
    ...(flat.id !== undefined ? { id: flat.id } : {}),
    type: flat.type,
    occurred_at: occurred && occurred.length === 10 ? `${occurred}T00:00:00Z` : occurred,
    person,
    ...(flat.account_domain ? { account: { domain: flat.account_domain } } : {}),
    properties,
    context,
  }
}
