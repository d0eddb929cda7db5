/**
 * Account signals an enrichment provider would report (funding rounds, hiring surges, compliance deadlines…), for
 * the ICP's situational criteria. Accounts in market report them more often — a raise or an audit deadline is
 * often why they are shopping.
 */
import type { GeneratedAccount } from './accounts.ts'
import { type Random, weightedTable } from './random.ts'
import { DAY, formatIso, type SimWindow } from './time.ts'
import type { SimAccountSignal } from './types.ts'

const SIGNAL_TYPES = weightedTable([
  ['funding_round', 3],
  ['hiring_surge', 4],
  ['compliance_deadline', 3],
  ['leadership_change', 2],
  ['new_technology', 2],
  ['expansion', 1],
] as const)

const PROVIDERS = ['crunchbase', 'bombora', 'linkedin_sales_nav'] as const

/**
 * Up to two signals for one account, dated from 60 days before the window to its end.
 *
 * @example generateAccountSignals(createRandom(42, 'signals', 7), account, window) // [{ domain, type: 'funding_round', at, source }]
 */
export function generateAccountSignals(rng: Random, account: GeneratedAccount, window: SimWindow): SimAccountSignal[] {
  const signals: SimAccountSignal[] = []
  const count = rng.chance(account.inMarket ? 0.45 : 0.12) ? (rng.chance(0.3) ? 2 : 1) : 0
  const from = window.start - 60 * DAY
  for (let i = 0; i < count; i++) {
    const at = Math.floor(rng.float(from, window.end) / 60_000) * 60_000
    signals.push({
      domain: account.account.domain,
      type: rng.pickWeighted(SIGNAL_TYPES),
      at: formatIso(window, at),
      source: PROVIDERS[rng.int(0, PROVIDERS.length - 1)]!,
    })
  }
  return signals
}
