/**
 * The selling company's sales team: AEs own named accounts and opportunities; SDRs are there for the rep-action
 * simulator that later issues add (first touches, dispositions), which will draw from its own random stream.
 */
import { firstNamesFor, lastNamesFor } from './catalog.ts'
import type { Random } from './random.ts'
import type { Region, SimRep } from './types.ts'

const TEAM: readonly {
  readonly region: Region
  readonly timeZone: string
  readonly aes: number
  readonly sdrs: number
}[] = [
  { region: 'NA', timeZone: 'America/New_York', aes: 3, sdrs: 2 },
  { region: 'NA', timeZone: 'America/Los_Angeles', aes: 2, sdrs: 1 },
  { region: 'EMEA', timeZone: 'Europe/London', aes: 2, sdrs: 1 },
  { region: 'EMEA', timeZone: 'Europe/Berlin', aes: 1, sdrs: 1 },
  { region: 'APAC', timeZone: 'Australia/Sydney', aes: 1, sdrs: 1 },
  { region: 'LATAM', timeZone: 'America/Sao_Paulo', aes: 1, sdrs: 0 },
]

/**
 * @example
 *   generateReps(createRandom(42, 'reps')) // [{ id: 'rep_ae_01', name: 'Megan Walker', role: 'ae', region: 'NA', … }, …]
 */
export function generateReps(rng: Random): SimRep[] {
  const reps: SimRep[] = []
  const usedNames = new Set<string>()
  let ae = 0
  let sdr = 0
  for (const group of TEAM) {
    for (const role of ['ae', 'sdr'] as const) {
      const count = role === 'ae' ? group.aes : group.sdrs
      for (let i = 0; i < count; i++) {
        let first = rng.pick(firstNamesFor('en'))
        let last = rng.pick(lastNamesFor('en'))
        while (usedNames.has(`${first} ${last}`)) {
          first = rng.pick(firstNamesFor('en'))
          last = rng.pick(lastNamesFor('en'))
        }
        usedNames.add(`${first} ${last}`)
        const n = role === 'ae' ? ++ae : ++sdr
        reps.push({
          id: `rep_${role}_${String(n).padStart(2, '0')}`,
          name: `${first} ${last}`,
          email: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.com',
          role,
          region: group.region,
          time_zone: group.timeZone,
        })
      }
    }
  }
  return reps
}
