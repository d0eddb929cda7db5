// The handoff brief as data. BriefInput is a snapshot of one lead, assembled by the handoff use case from storage;
// Brief is what buildBrief derives from it, and what every renderer (text, Markdown, Slack, email) and the optional
// LLM rewrite read. Instants are UTC epoch ms; all local times are shown in the owner's (rep's) time zone.

export type BriefPropertyValue = string | number | boolean | null | undefined

/** One thing the person did. `properties` carries the event's own fields: path, title, form, webinar, email_campaign… */
export type BriefEvent = {
  readonly type: string
  readonly at: number
  readonly properties?: Readonly<Record<string, BriefPropertyValue>>
  readonly source?: string | null
  readonly medium?: string | null
  readonly campaign?: string | null
}

export type BriefTrigger = {
  /** What moved the lead to a handoff: a stage reached (MQL), a signal fired (demo_request) or a tier assigned (hot). */
  readonly kind: 'stage' | 'signal' | 'tier'
  readonly name: string
  readonly at: number
  /** The engine's own explanation ('MQL because fit 72 ≥ 60 and pricing_interest: 3 pricing views in 7 days'). */
  readonly explanation: string
}

export type BriefInput = {
  readonly leadId: string
  readonly person: {
    readonly name: string | null
    readonly email: string
    readonly title: string | null
    readonly persona: string | null
  }
  readonly account: {
    readonly name: string | null
    readonly domain: string | null
    readonly industry: string | null
    readonly employees: number | null
    readonly country: string | null
    readonly technologies: readonly string[]
  } | null
  readonly timeline: readonly BriefEvent[]
  readonly trigger: BriefTrigger
  readonly fit: {
    readonly score: number
    readonly criteria: readonly { readonly name: string; readonly points: number }[]
  }
  readonly intent: number
  readonly tier: string | null
  /** The routing trace, one line per rule considered or applied ('Account owner: Dana owns acmehealth.com'). */
  readonly routingReasons: readonly string[]
  readonly owner: { readonly name: string; readonly timeZone: string }
  /**
   * The SLA clock's due instant (Infinity when the calendar never opens) and target; `at` null while the clock is
   * paused, with the business time it will have left when it resumes; null when no clock runs.
   */
  readonly due: {
    readonly at: number | null
    readonly timeZone: string
    readonly targetMs?: number
    readonly remainingMs?: number
  } | null
  /** Content hash of the Agreement version the handoff was decided under. */
  readonly agreementVersion: string
}

/**
 * The facts a rewritten brief must keep, by name. Values are copied verbatim from the template; the LLM rewrite is
 * refused unless each value appears in its text.
 */
export type BriefFacts = Readonly<Record<string, string>>

export type Brief = {
  readonly leadId: string
  readonly agreementVersion: string
  /** 'Dana Reyes (VP Engineering, Acme Health) requested a demo' */
  readonly headline: string
  readonly who: string
  readonly company: string
  /** Oldest first, in the rep's zone; at most MAX_TIMELINE_LINES, with a leading '… N earlier events' line. */
  readonly whatTheyDid: readonly string[]
  readonly contentEngaged: readonly string[]
  readonly trigger: string
  readonly whyThisRep: readonly string[]
  /** 'Mon 23 Nov, 09:30 EST (1 business hour)', or null when no SLA clock runs. */
  readonly due: string | null
  readonly icpMatched: readonly string[]
  /** 'fit 72 · intent 55 · tier hot' */
  readonly scores: string
  readonly suggestedOpener: string
  readonly owner: string
  readonly facts: BriefFacts
}
