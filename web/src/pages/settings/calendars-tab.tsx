/**
 * Calendars: each Agreement calendar's zone and weekly hours as a week grid, open or closed now, the year's closed
 * dates (public holidays seeded from the country and the Agreement's own), removed holidays and dated overrides,
 * who works by it, and a "when is it due?" calculator over the same business-time core as SLA clocks. Editing is a
 * proposed Agreement version. `calendar`, `year`, `from` and `duration` live in the query string.
 */
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { ApiError, api } from '../../api.ts'
import { formatDate } from '../../format.ts'
import { useSearchParam } from '../../router.tsx'
import { type Column, DataTable } from '../../ui/data-table.tsx'
import { Badge, Card, Field } from '../../ui/kit.tsx'
import { Empty, ErrorState, Skeleton } from '../../ui/states.tsx'
import { formatInZone } from '../queue/queue-time.ts'
import { describeNextChange, OpenBadge, ProposeLink } from './settings-format.tsx'
import type { TabProps } from './settings-page.tsx'
import { useCalendars } from './settings-queries.ts'
import type { CalendarView, DueAnswer } from './settings-types.ts'

const DAY_LABEL = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const

function hoursText(minutes: number): string {
  const h = minutes / 60
  return Number.isInteger(h) ? `${h} h` : `${Math.floor(h)} h ${minutes % 60} min`
}

export function CalendarsTab({ onReady }: TabProps) {
  const thisYear = new Date().getUTCFullYear()
  const [yearParam, setYear] = useSearchParam('year', String(thisYear))
  const year = Number.parseInt(yearParam, 10) || thisYear
  const [name, setName] = useSearchParam('calendar')
  const calendars = useCalendars(year)
  useEffect(() => onReady(calendars.isSuccess), [calendars.isSuccess, onReady])
  const list = calendars.data?.calendars ?? []
  const selected = list.find((c) => c.name === name) ?? list[0]

  if (calendars.isPending)
    return (
      <Card>
        <Skeleton rows={8} />
      </Card>
    )
  if (calendars.isError)
    return (
      <Card>
        <ErrorState error={calendars.error} onRetry={() => calendars.refetch()} />
      </Card>
    )
  if (!selected)
    return (
      <Card>
        <Empty title="No calendars">The active Agreement defines no calendars.</Empty>
      </Card>
    )
  const now = Date.parse(calendars.data.as_of)
  return (
    <>
      <div className="toolbar settings-filters">
        <label htmlFor="calendar-pick">Calendar</label>
        <select id="calendar-pick" value={selected.name} onChange={(e) => setName(e.target.value)}>
          {list.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} — {c.time_zone.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        <ul className="calendar-chips" aria-label="Open now">
          {list.map((c) => (
            <li key={c.name} className="small">
              {c.name} <OpenBadge open={c} />
            </li>
          ))}
        </ul>
      </div>
      <Card
        title={
          <>
            {selected.name} <OpenBadge open={selected} />
          </>
        }
        actions={<ProposeLink at={`calendars.${selected.name}`} />}
      >
        <p className="calendar-now" data-testid="calendar-now">
          {selected.time_zone.replace(/_/g, ' ')} · local time {formatInZone(now, selected.time_zone)} ·{' '}
          {describeNextChange(selected, selected.time_zone, now)} · {hoursText(selected.weekly_minutes)} a week
          {selected.used_by.teams.length > 0 && <> · teams {selected.used_by.teams.join(', ')}</>}
          {' · '}
          {selected.used_by.reps.length} rep{selected.used_by.reps.length === 1 ? '' : 's'}
        </p>
        <WeekGrid calendar={selected} />
      </Card>
      <div className="grid-2">
        <HolidaysCard calendar={selected} year={year} onYear={(y) => setYear(String(y))} />
        <DueCalculator calendar={selected} />
      </div>
    </>
  )
}

/** The week as columns of hours, open windows filled; an overnight window continues at the top of the next day. */
function WeekGrid({ calendar }: { calendar: CalendarView }) {
  const blocks = calendar.weekly.map(() => [] as { start: number; end: number; text: string }[])
  calendar.weekly.forEach((d, i) => {
    for (const w of d.windows) {
      blocks[i]!.push({ start: w.start, end: Math.min(w.end, 1440), text: w.text })
      if (w.end > 1440) blocks[(i + 1) % 7]!.push({ start: 0, end: w.end - 1440, text: w.text })
    }
  })
  // "Now" in the calendar's own zone, from the server's reading of it (not the browser's zone).
  const nowDay = (new Date(`${calendar.local_now.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7
  const nowMinute = Number(calendar.local_now.slice(11, 13)) * 60 + Number(calendar.local_now.slice(14, 16))
  const summary = calendar.weekly
    .map((d) => `${DAY_LABEL[d.day]} ${d.windows.length ? d.windows.map((w) => w.text).join(', ') : 'closed'}`)
    .join('; ')
  return (
    <>
      <div className="week-grid" role="img" aria-label={`Weekly hours: ${summary}`} data-testid="week-grid">
        <div className="week-hours" aria-hidden="true">
          {[0, 6, 12, 18, 24].map((h) => (
            <span key={h} style={{ top: `${(h / 24) * 100}%` }}>
              {String(h).padStart(2, '0')}
            </span>
          ))}
        </div>
        {calendar.weekly.map((d, i) => (
          <div key={d.day} className="week-day">
            <div className="week-day-name">{DAY_LABEL[d.day]}</div>
            <div className="week-day-body">
              {i === nowDay && (
                <span className="week-now" style={{ top: `${(nowMinute / 1440) * 100}%` }} title="now" />
              )}
              {blocks[i]!.map((b) => (
                <span
                  key={`${b.start}-${b.end}`}
                  className="week-window"
                  title={b.text}
                  style={{ top: `${(b.start / 1440) * 100}%`, height: `${((b.end - b.start) / 1440) * 100}%` }}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
      <table className="hours week-list">
        <tbody>
          {calendar.weekly.map((d) => (
            <tr key={d.day}>
              <th scope="row">{DAY_LABEL[d.day]}</th>
              <td>
                {d.windows.length ? d.windows.map((w) => w.text).join(', ') : <span className="muted">closed</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

type HolidayRow = {
  date: string
  weekday: string
  name: string
  kind: 'seeded' | 'added' | 'removed' | 'override'
  hours?: string[]
}

function HolidaysCard({ calendar, year, onYear }: { calendar: CalendarView; year: number; onYear(y: number): void }) {
  const rows: HolidayRow[] = [
    ...calendar.holidays.dates.map((h) => ({ date: h.date, weekday: h.weekday, name: h.name, kind: h.source })),
    ...calendar.holidays.removed.map((h) => ({ date: h.date, weekday: '', name: h.name, kind: 'removed' as const })),
    ...calendar.overrides.map((o) => ({
      date: o.date,
      weekday: '',
      name: o.note ?? '',
      kind: 'override' as const,
      hours: o.hours,
    })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const source = calendar.holidays.country
    ? `public holidays of ${calendar.holidays.country}${calendar.holidays.state ? `-${calendar.holidays.state}` : ''}`
    : 'no country holidays'
  const columns: Column<HolidayRow>[] = [
    { label: 'Date', className: 'nowrap', cell: (r) => formatDate(r.date) },
    { label: 'Name', cell: (r) => r.name || <span className="muted">—</span> },
    {
      label: 'What',
      cell: (r) =>
        r.kind === 'seeded' ? (
          <Badge>closed · public</Badge>
        ) : r.kind === 'added' ? (
          <Badge tone="accent">closed · added</Badge>
        ) : r.kind === 'removed' ? (
          <Badge tone="good">working day</Badge>
        ) : r.hours && r.hours.length > 0 ? (
          <Badge tone="warn">hours {r.hours.join(', ')}</Badge>
        ) : (
          <Badge tone="accent">closed · override</Badge>
        ),
    },
  ]
  return (
    <Card
      title={`Holidays ${year}`}
      actions={
        <span className="row">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onYear(year - 1)}
            aria-label={`Holidays ${year - 1}`}
          >
            ←
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onYear(year + 1)}
            aria-label={`Holidays ${year + 1}`}
          >
            →
          </button>
        </span>
      }
    >
      <p className="muted small">
        {calendar.holidays.dates.length} closed date{calendar.holidays.dates.length === 1 ? '' : 's'}: {source}, plus
        the Agreement’s additions, minus its removals; overrides change a day’s hours.
      </p>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(r) => `${r.kind}-${r.date}`}
        rowClassName={(r) => (r.kind === 'removed' ? 'row-muted' : '')}
        empty={`No holidays or overrides in ${year}.`}
        caption={`Holidays and overrides ${year}`}
        testId="holidays"
        cards={false}
      />
    </Card>
  )
}

/** "YYYY-MM-DDTHH:mm" now in the zone, for a datetime-local input (read by the server as local to the calendar). */
function localNow(timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(Date.now())
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

function DueCalculator({ calendar }: { calendar: CalendarView }) {
  const id = useId()
  const [fromParam, setFromParam] = useSearchParam('from')
  const [durationParam, setDurationParam] = useSearchParam('duration')
  const [from, setFrom] = useState(fromParam || localNow(calendar.time_zone))
  const [duration, setDuration] = useState(durationParam || '4h')
  const due = useQuery({
    queryKey: ['settings', 'due', calendar.name, fromParam, durationParam],
    enabled: durationParam !== '',
    retry: false,
    queryFn: ({ signal }) =>
      api.get<DueAnswer>(
        `/v1/calendars/${encodeURIComponent(calendar.name)}/due?duration=${encodeURIComponent(durationParam)}${
          fromParam ? `&from=${encodeURIComponent(fromParam)}` : ''
        }`,
        signal,
      ),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setFromParam(from)
    setDurationParam(duration.trim())
  }
  const error = due.error instanceof ApiError ? due.error : null
  const issue = (path: string) => error?.issues.find((i) => i.path === path)?.message
  return (
    <Card title="When is it due?">
      <form className="form form-inline" onSubmit={submit}>
        <Field label="From" htmlFor={`${id}-from`} error={issue('from')} hint={`Local time, ${calendar.time_zone}`}>
          <input
            id={`${id}-from`}
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
        </Field>
        <Field label="Business time" htmlFor={`${id}-duration`} error={issue('duration')} hint="e.g. 1h, 4h, 90m">
          <input
            id={`${id}-duration`}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            required
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <div className="form-submit">
          <button type="submit" className="btn btn-primary">
            Calculate
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="due-result">
        {due.isFetching ? (
          <p className="muted">Calculating…</p>
        ) : due.isSuccess ? (
          due.data.due ? (
            <div className="due-answer">
              <div className="due-when">Due {formatInZone(due.data.due, due.data.time_zone)}</div>
              <div className="muted small">
                {due.data.business} after {formatInZone(due.data.from, due.data.time_zone)} in {due.data.calendar};{' '}
                <span className="mono">{due.data.due}</span>
                {due.data.elapsed_ms !== null && (
                  <> · {hoursText(Math.round(due.data.elapsed_ms / 60_000))} of wall-clock time</>
                )}
              </div>
            </div>
          ) : (
            <p>{due.data.reason}</p>
          )
        ) : due.isError && !issue('from') && !issue('duration') ? (
          <ErrorState error={due.error} />
        ) : (
          <p className="muted small">
            Holidays, overrides and daylight-saving changes count exactly as SLA clocks count them.
          </p>
        )}
      </div>
    </Card>
  )
}
