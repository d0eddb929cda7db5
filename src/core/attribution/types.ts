/**
 * Data shapes shared by every attribution model. Pure data: no behaviour lives here.
 */

/** A lifecycle milestone a touch may have caused. Position-based models anchor credit on these. */
export type Milestone = 'lead' | 'opportunity' | 'won'

/**
 * One marketing or sales touch on a journey, oldest first.
 * `at` (epoch ms) is only read by the time-decay model; `milestone` only by the position-based models.
 */
export type Touch = {
  channel: string
  at?: number
  milestone?: Milestone
}

/**
 * A journey: touches in time order and what came of them. Aggregated data (one row standing for many
 * identical journeys, as in the ChannelAttribution path format) is a journey with `conversions > 1`.
 *
 * Example: `{ touches: [{ channel: 'search' }, { channel: 'email' }], conversions: 1, value: 1200, nulls: 0 }`
 */
export type Journey = {
  touches: readonly Touch[]
  /** Converting journeys on this path (a count, ≥ 0; fractional counts are allowed). */
  conversions: number
  /** Total conversion value of those conversions. */
  value: number
  /** Journeys on this path that did not convert. Only the Markov model reads them. */
  nulls?: number
  /** Conversion instant (epoch ms) for time decay; defaults to the latest touch `at`. */
  convertedAt?: number
}

/**
 * Relative slot weights of a position-based model. Slots that a journey lacks (no touch marked `won`,
 * no middle touches…) are dropped and the remaining weights renormalised, so only ratios matter.
 * - `first` / `last`: the first / last touch of the journey.
 * - `lead` / `opportunity` / `won`: the first touch marked with that milestone.
 * - `middle`: spread evenly over every touch that no other weighted slot claimed.
 */
export type PositionWeights = {
  first?: number
  lead?: number
  opportunity?: number
  won?: number
  last?: number
  middle?: number
}

/**
 * Which model to run, keyed by `kind` (the same names the CLI and the Agreement use).
 *
 * - `first` / `last`: all credit to the first / last touch.
 * - `linear`: equal credit per touch; a channel touching twice gets two shares (A > A > B gives A 2/3, B 1/3),
 *   exactly as ChannelAttribution's `linear_touch`.
 * - `time_decay`: touch weight 2^(−age / halfLifeMs), age = conversion instant − touch instant (clamped at 0).
 *   Journeys where any touch lacks `at` (path files) decay by position instead: the k-th touch before the last
 *   weighs 2^(−k / halfLifeTouches), `halfLifeTouches` defaulting to 1.
 * - `u_shaped`: 40% first, 40% last, 20% spread over the touches between (`{ first: 0.4, middle: 0.2, last: 0.4 }`).
 *   One touch takes 100%, two touches 50/50.
 * - `w_shaped`: 30% first, 30% lead-creation touch, 30% opportunity-creation touch, 10% spread over every other touch
 *   (`{ first: 0.3, lead: 0.3, opportunity: 0.3, middle: 0.1 }`).
 * - `full_path`: 22.5% each to first, lead creation, opportunity creation and closed-won, 10% over the rest
 *   (`{ first: 0.225, lead: 0.225, opportunity: 0.225, won: 0.225, middle: 0.1 }`).
 * - `custom`: any {@link PositionWeights}, normalised per journey.
 * - `markov`: data-driven removal effects of an absorbing Markov chain of order `order` (default 1), solved exactly.
 *
 * Rules shared by the position-based models (u_shaped, w_shaped, full_path, custom):
 * 1. A milestone slot goes to the first touch marked with that milestone. When two slots land on the same touch
 *    (the first touch also created the lead), that touch receives both weights.
 * 2. A journey with no marked milestone at all (every path file) uses positional stand-ins: the anchors
 *    `first`, the model's weighted milestones in lifecycle order, and `last` when it is weighted, are spread evenly
 *    over the path — anchor j of m sits at touch round((j · (n − 1)) / (m − 1)), halves rounding up.
 *    W-shaped therefore falls back to first / middle / last (A > B > C > D: A, C, D anchored, B gets the 10%), and
 *    full-path to first / one third / two thirds / last.
 * 3. A slot with no touch (a lead milestone is marked but no opportunity one; no middle touches) is dropped and the
 *    present weights are renormalised, so W-shaped on a two-touch marked journey A(lead) > B(opportunity) gives
 *    A = 0.6 / 0.9 = 2/3 and B = 1/3.
 * 4. If every present weight is zero (custom `{ middle: 1 }` on a one-touch journey) the journey falls back to linear.
 */
export type AttributionModel =
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'linear' }
  | { kind: 'time_decay'; halfLifeMs: number; halfLifeTouches?: number }
  | { kind: 'u_shaped' }
  | { kind: 'w_shaped' }
  | { kind: 'full_path' }
  | { kind: 'custom'; weights: PositionWeights }
  | { kind: 'markov'; order?: number }

export type AttributionModelKind = AttributionModel['kind']

/** Credit given to one channel. Fractional: a linear model splits conversions. */
export type ChannelCredit = {
  channel: string
  conversions: number
  value: number
}

export type AttributionResult = {
  model: AttributionModel
  /** Every channel seen on any journey, zero-credit ones included; sorted by conversions desc, then name. */
  channels: ChannelCredit[]
  /** The same credits keyed by channel name (null prototype, so any channel name is a safe key). */
  byChannel: Readonly<Record<string, ChannelCredit>>
  /** Input totals over all journeys. */
  totalConversions: number
  totalValue: number
  /** Journeys without any touch: their conversions and value cannot be credited to a channel. */
  unattributed: { journeys: number; conversions: number; value: number }
  /** Journeys read and distinct paths after aggregation (the work actually done). */
  journeyCount: number
  pathCount: number
}
