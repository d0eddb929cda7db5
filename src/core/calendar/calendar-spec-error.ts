import type { CalendarIssue } from './calendar-types.ts'

/** Every problem found in a calendar spec, each pointing at its path ('weekly.mon[1]', 'overrides[0].date'). */
export class CalendarSpecError extends Error {
  readonly code = 'invalid_calendar' as const
  readonly issues: readonly CalendarIssue[]
  constructor(issues: readonly CalendarIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'))
    this.name = 'CalendarSpecError'
    this.issues = issues
  }
}
