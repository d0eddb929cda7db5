import type { JourneySet } from './compile-journeys.ts'
import type { AttributionModel, AttributionResult, ChannelCredit } from './types.ts'

/** Shape per-channel credit arrays (indexed like `set.channels`) into the public result. */
export function buildAttributionResult(
  set: JourneySet,
  model: AttributionModel,
  conversions: Float64Array,
  values: Float64Array,
  extraUnattributed: { conversions: number; value: number } = { conversions: 0, value: 0 },
): AttributionResult {
  const channels: ChannelCredit[] = set.channels.map((channel, i) => ({
    channel,
    conversions: conversions[i]!,
    value: values[i]!,
  }))
  channels.sort((a, b) => b.conversions - a.conversions || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0))
  const byChannel: Record<string, ChannelCredit> = Object.create(null)
  for (const c of channels) byChannel[c.channel] = c
  return {
    model,
    channels,
    byChannel,
    totalConversions: set.totalConversions,
    totalValue: set.totalValue,
    unattributed: {
      journeys: set.unattributed.journeys,
      conversions: set.unattributed.conversions + extraUnattributed.conversions,
      value: set.unattributed.value + extraUnattributed.value,
    },
    journeyCount: set.journeyCount,
    pathCount: set.pathCount,
  }
}
