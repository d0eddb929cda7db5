/**
 * The Agreement rendered for people: every section of the YAML as tables and lists, conditions shown as code,
 * durations and percentages as written. All values are text nodes; nothing from the document becomes markup.
 */
import type { ReactNode } from 'react'
import {
  formatBusiness,
  formatDate,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  humanize,
} from '../../format.ts'
import type { AgreementDocument, EventMatch, PropertyMatcher } from '../../types.ts'
import { Badge, Card, Chips, Code, Stat } from '../../ui/kit.tsx'

const DAYS = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
] as const

const MODEL_NAMES: Record<string, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  u_shaped: 'U-shaped (position based)',
  w_shaped: 'W-shaped',
  full_path: 'Full path',
  custom: 'Custom weights',
  markov: 'Data-driven (Markov)',
}

export const SECTIONS = [
  ['owners', 'Owners'],
  ['icp', 'ICP'],
  ['personas', 'Personas'],
  ['intent', 'Intent'],
  ['stages', 'Stages'],
  ['tiers', 'Tiers & SLA'],
  ['routing', 'Routing'],
  ['pools', 'Pools & reps'],
  ['calendars', 'Calendars'],
  ['dispositions', 'Dispositions'],
  ['attribution', 'Attribution'],
  ['targets', 'Targets'],
] as const

function describeMatcher(prop: string, m: PropertyMatcher): string {
  const parts: string[] = []
  if (m.equals !== undefined) parts.push(`is ${String(m.equals)}`)
  if (m.in) parts.push(`is one of ${m.in.join(', ')}`)
  if (m.prefix) parts.push(`starts with ${m.prefix}`)
  if (m.contains) parts.push(`contains ${m.contains}`)
  if (m.regex) parts.push(`matches /${m.regex}/`)
  if (m.gte !== undefined) parts.push(`≥ ${m.gte}`)
  if (m.lte !== undefined) parts.push(`≤ ${m.lte}`)
  if (m.exists !== undefined) parts.push(m.exists ? 'is present' : 'is absent')
  return `${prop} ${parts.join(' and ')}${m.ignore_case ? ' (any case)' : ''}`
}

export function describeMatch(match?: EventMatch): string {
  if (!match || Object.keys(match).length === 0) return ''
  return Object.entries(match)
    .map(([k, m]) => describeMatcher(k, m))
    .join('; ')
}

function Table({ head, children, className }: { head: ReactNode[]; children: ReactNode; className?: string }) {
  return (
    <div className="table-wrap">
      <table className={`table ${className ?? ''}`}>
        <thead>
          <tr>
            {head.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed column headers
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

function Points({ n }: { n: number }) {
  return <span className={`points ${n < 0 ? 'points-neg' : ''}`}>{n > 0 ? `+${n}` : n}</span>
}

function Owners({ doc }: { doc: AgreementDocument }) {
  return (
    <div className="grid-2">
      {(['marketing', 'sales'] as const).map((side) => (
        <div key={side} className="owner">
          <div className="owner-side">{side === 'marketing' ? 'Marketing owner' : 'Sales owner'}</div>
          <div className="owner-name">{doc.owners[side].name}</div>
          <div className="muted">{doc.owners[side].email}</div>
        </div>
      ))}
    </div>
  )
}

function Icp({ doc }: { doc: AgreementDocument }) {
  const max = doc.icp.fit.reduce((a, c) => a + Math.max(0, c.points), 0)
  return (
    <>
      <h3 className="sub">
        Fit criteria <span className="muted">— up to {max} points</span>
      </h3>
      <Table head={['Criterion', 'Kind', 'Condition', 'Points']}>
        {doc.icp.fit.map((c) => (
          <tr key={c.id}>
            <td>
              <div className="cell-title">{c.name}</div>
              {c.description && <div className="muted small">{c.description}</div>}
            </td>
            <td>
              <Badge tone={c.kind === 'situational' ? 'accent' : 'neutral'}>{c.kind}</Badge>
              {c.within && <div className="muted small">within {formatDuration(c.within.ms)}</div>}
            </td>
            <td>
              <Code>{c.when}</Code>
            </td>
            <td className="num">
              <Points n={c.points} />
            </td>
          </tr>
        ))}
      </Table>
      <h3 className="sub">Disqualifiers</h3>
      {doc.icp.disqualify.length === 0 ? (
        <p className="muted">No disqualifiers.</p>
      ) : (
        <Table head={['Disqualifier', 'Condition', 'Reason code']}>
          {doc.icp.disqualify.map((d) => (
            <tr key={d.id}>
              <td className="cell-title">{d.name}</td>
              <td>
                <Code>{d.when}</Code>
              </td>
              <td>
                <Badge tone="bad">{d.reason}</Badge>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {Object.keys(doc.lists).length > 0 && (
        <>
          <h3 className="sub">Named lists</h3>
          <dl className="deflist">
            {Object.entries(doc.lists).map(([name, items]) => (
              <div key={name}>
                <dt>
                  <Code>lists.{name}</Code>
                </dt>
                <dd>
                  <Chips items={items} />
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </>
  )
}

function Personas({ doc }: { doc: AgreementDocument }) {
  if (doc.personas.length === 0) return <p className="muted">No personas defined.</p>
  return (
    <>
      <div className="grid-cards">
        {doc.personas.map((p, i) => (
          <div key={p.id} className="mini-card">
            <div className="mini-card-title">
              <span className="order">{i + 1}</span> {p.name}
            </div>
            <div className="small muted">Titles</div>
            <Chips items={p.titles} />
            {p.title_patterns.length > 0 && (
              <>
                <div className="small muted">Patterns</div>
                <Chips items={p.title_patterns} />
              </>
            )}
            {p.exclude.length > 0 && (
              <>
                <div className="small muted">Excluded</div>
                <Chips items={p.exclude} tone="muted" />
              </>
            )}
          </div>
        ))}
      </div>
      {doc.buying_committee && (
        <p className="note">
          An account is committee-ready when at least <strong>{doc.buying_committee.min_engaged}</strong> of{' '}
          {doc.buying_committee.personas.map((id) => doc.personas.find((p) => p.id === id)?.name ?? id).join(', ')} are
          engaged.
        </p>
      )}
    </>
  )
}

function Intent({ doc }: { doc: AgreementDocument }) {
  const signals = Object.entries(doc.intent.signals)
  return (
    <>
      <div className="stats">
        <Stat label="Half-life" value={formatDuration(doc.intent.half_life.ms)} hint="points halve after this" />
        <Stat label="Maximum" value={formatNumber(doc.intent.max)} hint="intent is capped here" />
        <Stat label="Rules" value={doc.intent.rules.length} />
        <Stat label="Signals" value={signals.length} />
      </div>
      <h3 className="sub">Intent rules</h3>
      <Table head={['Rule', 'Event', 'Matching', 'Points', 'Cap']}>
        {doc.intent.rules.map((r) => (
          <tr key={r.id}>
            <td className="cell-title">{r.name ?? humanize(r.id)}</td>
            <td>
              <Code>{r.type}</Code>
            </td>
            <td className="small">{describeMatch(r.match) || <span className="muted">any</span>}</td>
            <td className="num">
              <Points n={r.points} />
            </td>
            <td className="num">{r.cap ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </Table>
      <h3 className="sub">Signals</h3>
      <Table head={['Signal', 'Holds when']}>
        {signals.map(([name, s]) => (
          <tr key={name}>
            <td>
              <Code>signals.{name}</Code>
              {s.description && <div className="muted small">{s.description}</div>}
            </td>
            <td className="small">
              {s.kind === 'count' &&
                `at least ${s.at_least} × ${s.type}${s.match ? ` (${describeMatch(s.match)})` : ''} within ${formatDuration(s.within.ms)}`}
              {s.kind === 'any' &&
                `any of ${s.of.map((f) => (f.match ? `${f.type} (${describeMatch(f.match)})` : f.type)).join(', ')} within ${formatDuration(s.within.ms)}`}
              {s.kind === 'inactivity' && `no activity for ${formatDuration(s.for.ms)}`}
            </td>
          </tr>
        ))}
      </Table>
    </>
  )
}

function Stages({ doc }: { doc: AgreementDocument }) {
  const stages = Object.entries(doc.stages).filter((e): e is [string, { description: string; when?: string }] =>
    Boolean(e[1]),
  )
  return (
    <Table head={['Stage', 'Definition', 'Entered']}>
      {stages.map(([name, s]) => (
        <tr key={name}>
          <td>
            <Badge tone={s.when ? 'accent' : 'neutral'}>{name}</Badge>
          </td>
          <td>{s.description}</td>
          <td>
            {s.when ? (
              <>
                <div className="muted small">automatically when</div>
                <Code>{s.when}</Code>
              </>
            ) : (
              <span className="muted small">by a rep, the CRM or a disposition</span>
            )}
          </td>
        </tr>
      ))}
    </Table>
  )
}

function Tiers({ doc }: { doc: AgreementDocument }) {
  return (
    <>
      <Table head={['Tier', 'When', 'First touch', 'Disposition']}>
        {doc.tiers.map((t, i) => (
          <tr key={t.name}>
            <td>
              <div className="cell-title">
                <span className="order">{i + 1}</span> {t.name}
              </div>
              {t.description && <div className="muted small">{t.description}</div>}
            </td>
            <td>
              <Code>{t.when}</Code>
            </td>
            <td>
              {t.sla ? (
                <strong>{formatBusiness(t.sla.first_touch.businessMs)}</strong>
              ) : (
                <span className="muted">no SLA</span>
              )}
            </td>
            <td>
              {t.sla?.disposition ? formatBusiness(t.sla.disposition.businessMs) : <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </Table>
      <h3 className="sub">SLA policy</h3>
      <ul className="plain">
        <li>
          The rep is warned when <strong>{formatPercent(doc.sla.warn_at)}</strong> of the SLA time has elapsed.
        </li>
        {doc.sla.pause_when.length > 0 && (
          <li>
            The clock pauses while: <Chips items={doc.sla.pause_when} />
          </li>
        )}
        {doc.sla.escalate.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: escalation steps are ordered and unnamed
          <li key={i}>
            {e.after.businessMs ? `${formatDuration(e.after.businessMs)} after breach` : 'At breach'}:{' '}
            {[
              e.notify?.length ? `notify ${e.notify.map(humanize).join(', ').toLowerCase()}` : '',
              e.reassign
                ? `reassign to ${e.reassign === 'backup_pool' ? 'the backup pool' : `pool ${e.reassign.pool}`}`
                : '',
            ]
              .filter(Boolean)
              .join(' and ')}
          </li>
        ))}
      </ul>
      {doc.handoff.required_fields.length > 0 && (
        <>
          <h3 className="sub">Required at handoff</h3>
          <Chips items={doc.handoff.required_fields} />
        </>
      )}
    </>
  )
}

function Routing({ doc }: { doc: AgreementDocument }) {
  return (
    <ol className="steps">
      {doc.routing.map((r) => (
        <li key={r.name}>
          <div className="cell-title">{r.name}</div>
          <div className="step-detail">
            {r.when ? (
              <>
                when <Code>{r.when}</Code>
              </>
            ) : (
              <span className="muted">everyone else</span>
            )}{' '}
            →{' '}
            <Badge tone="accent">
              {r.to === 'account_owner' ? 'account owner' : 'pool' in r.to ? `pool ${r.to.pool}` : `rep ${r.to.rep}`}
            </Badge>
          </div>
        </li>
      ))}
    </ol>
  )
}

function Pools({ doc }: { doc: AgreementDocument }) {
  const repName = (id: string) => doc.reps.find((r) => r.id === id)?.name ?? id
  return (
    <>
      <div className="grid-cards">
        {Object.entries(doc.pools).map(([id, pool]) => {
          const total = pool.members.reduce((a, m) => a + m.weight, 0)
          return (
            <div key={id} className="mini-card">
              <div className="mini-card-title">{pool.name ?? id}</div>
              <ul className="weights">
                {pool.members.map((m) => (
                  <li key={m.rep}>
                    <span className="weight-name">{repName(m.rep)}</span>
                    <span className="weight-bar" aria-hidden="true">
                      <span style={{ width: `${(m.weight / total) * 100}%` }} />
                    </span>
                    <span className="weight-value">
                      ×{m.weight} <span className="muted">({Math.round((m.weight / total) * 100)}%)</span>
                    </span>
                  </li>
                ))}
              </ul>
              <div className="small muted">
                {pool.backup ? `Backup: ${pool.backup}` : 'No backup pool'}
                {pool.respect_working_hours ? ' · respects hours' : ''}
                {pool.respect_capacity ? ' · respects capacity' : ''}
              </div>
            </div>
          )
        })}
      </div>
      <h3 className="sub">Teams and reps</h3>
      <Table head={['Rep', 'Team', 'Role', 'Capacity', 'Out of office']}>
        {doc.reps.map((r) => (
          <tr key={r.id} className={r.active ? '' : 'row-muted'}>
            <td>
              <div className="cell-title">{r.name}</div>
              <div className="muted small">{r.email}</div>
            </td>
            <td>{doc.teams[r.team]?.name ?? r.team}</td>
            <td>
              <Badge>{r.role}</Badge> {!r.active && <Badge tone="muted">inactive</Badge>}
            </td>
            <td className="small">
              {r.capacity
                ? [
                    r.capacity.daily ? `${r.capacity.daily}/day` : '',
                    r.capacity.weekly ? `${r.capacity.weekly}/week` : '',
                  ]
                    .filter(Boolean)
                    .join(', ')
                : '—'}
            </td>
            <td className="small">
              {r.out_of_office.length === 0
                ? '—'
                : r.out_of_office
                    .map((o) => `${formatDate(o.from)} – ${formatDate(o.to)}${o.note ? ` (${o.note})` : ''}`)
                    .join('; ')}
            </td>
          </tr>
        ))}
      </Table>
    </>
  )
}

function Calendars({ doc }: { doc: AgreementDocument }) {
  return (
    <div className="grid-cards wide">
      {Object.entries(doc.calendars).map(([id, cal]) => (
        <div key={id} className="mini-card">
          <div className="mini-card-title">
            {humanize(id)} <span className="muted small">{cal.time_zone}</span>
          </div>
          <table className="hours">
            <tbody>
              {DAYS.map(([key, label]) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td>{cal.hours[key]?.length ? cal.hours[key]!.join(', ') : <span className="muted">closed</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="small">
            <span className="muted">Holidays: </span>
            {cal.holidays?.country
              ? `public holidays of ${cal.holidays.country}${cal.holidays.state ? `-${cal.holidays.state}` : ''}`
              : 'none from a country table'}
          </div>
          {(cal.holidays?.add.length ?? 0) > 0 && (
            <ul className="plain small">
              {cal.holidays!.add.map((h) => (
                <li key={h.date}>
                  <Badge tone="warn">closed</Badge> {formatDate(h.date)} — {h.name}
                </li>
              ))}
            </ul>
          )}
          {(cal.holidays?.remove.length ?? 0) > 0 && (
            <ul className="plain small">
              {cal.holidays!.remove.map((h) => (
                <li key={h.date}>
                  <Badge tone="good">open</Badge> {formatDate(h.date)}
                  {h.name ? ` — ${h.name}` : ''}
                </li>
              ))}
            </ul>
          )}
          {cal.overrides.length > 0 && (
            <ul className="plain small">
              {cal.overrides.map((o) => (
                <li key={o.date}>
                  <Badge tone="accent">special</Badge> {formatDate(o.date)}:{' '}
                  {o.hours.length ? o.hours.join(', ') : 'closed'}
                  {o.note ? ` — ${o.note}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  )
}

function Dispositions({ doc }: { doc: AgreementDocument }) {
  const groups = [
    ['accept', 'Accept', 'good'],
    ['reject', 'Reject', 'bad'],
    ['recycle', 'Recycle', 'warn'],
  ] as const
  return (
    <div className="grid-3">
      {groups.map(([key, label, tone]) => (
        <div key={key}>
          <h3 className="sub">
            <Badge tone={tone}>{label}</Badge> <span className="muted small">{doc.dispositions[key].length} codes</span>
          </h3>
          <ul className="codes">
            {doc.dispositions[key].map((d) => (
              <li key={d.code}>
                <div>{d.label}</div>
                <div className="small muted">
                  <Code>{d.code}</Code>
                  {'nurture_for' in d
                    ? ` · nurture ${formatDuration((d as { nurture_for: { ms: number } }).nurture_for.ms)}`
                    : ''}
                  {d.requires_note ? ' · note required' : ''}
                </div>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}

function Attribution({ doc }: { doc: AgreementDocument }) {
  const a = doc.attribution
  return (
    <div className="stats">
      <Stat
        label="Model"
        value={MODEL_NAMES[a.model] ?? a.model}
        hint="other models are shown beside it, never instead"
      />
      <Stat label="Lookback" value={formatDuration(a.lookback.ms)} />
      <Stat label="Locked from" value={formatDate(a.locked_from)} hint="the model cannot change after this" />
      {a.half_life && <Stat label="Half-life" value={formatDuration(a.half_life.ms)} />}
      {a.order && <Stat label="Chain order" value={a.order} />}
      {a.weights && (
        <Stat
          label="Weights"
          value={Object.entries(a.weights)
            .map(([k, v]) => `${k} ${formatPercent(v)}`)
            .join(' · ')}
        />
      )}
    </div>
  )
}

function Targets({ doc }: { doc: AgreementDocument }) {
  if (doc.targets.length === 0) return <p className="muted">No shared targets set.</p>
  const dash = <span className="muted">—</span>
  return (
    <Table head={['Period', 'Pipeline', 'Bookings', 'MQLs', 'SQLs', 'Opportunities', 'SLA compliance']}>
      {doc.targets.map((t) => (
        <tr key={t.period}>
          <td className="cell-title">{t.period}</td>
          <td className="num">{t.pipeline !== undefined ? formatMoney(t.pipeline) : dash}</td>
          <td className="num">{t.bookings !== undefined ? formatMoney(t.bookings) : dash}</td>
          <td className="num">{t.mqls !== undefined ? formatNumber(t.mqls) : dash}</td>
          <td className="num">{t.sqls !== undefined ? formatNumber(t.sqls) : dash}</td>
          <td className="num">{t.opportunities !== undefined ? formatNumber(t.opportunities) : dash}</td>
          <td className="num">{t.sla_compliance !== undefined ? formatPercent(t.sla_compliance) : dash}</td>
        </tr>
      ))}
    </Table>
  )
}

const RENDER: Record<(typeof SECTIONS)[number][0], (p: { doc: AgreementDocument }) => ReactNode> = {
  owners: Owners,
  icp: Icp,
  personas: Personas,
  intent: Intent,
  stages: Stages,
  tiers: Tiers,
  routing: Routing,
  pools: Pools,
  calendars: Calendars,
  dispositions: Dispositions,
  attribution: Attribution,
  targets: Targets,
}

export function AgreementView({ doc }: { doc: AgreementDocument }) {
  return (
    <div className="agreement-view">
      {SECTIONS.map(([id, title]) => {
        const Render = RENDER[id]
        return (
          <Card key={id} id={`section-${id}`} title={title}>
            <Render doc={doc} />
          </Card>
        )
      })}
    </div>
  )
}

export function SectionIndex() {
  return (
    <nav className="section-index" aria-label="Sections of the Agreement">
      {SECTIONS.map(([id, title]) => (
        <a key={id} href={`#section-${id}`}>
          {title}
        </a>
      ))}
    </nav>
  )
}
