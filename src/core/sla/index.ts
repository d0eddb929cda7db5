// SLA clocks (pure): start, pause, resume, first touch, cancel, calendar recompute, and which warn / breach /
// escalation timers are due. Business time comes from ../calendar; storage and sending live in timers/ and
// handoff/, which call in here. Anyone may import this folder.

export { applyTimerEvent, decideTimers } from './decide-timers.ts'
export { type ClockMeasure, measureClock } from './measure-clock.ts'
export type {
  EscalationAction,
  EscalationStep,
  SlaClock,
  SlaClockChange,
  SlaClockState,
  SlaTimerDecision,
  SlaTimerEvent,
  SlaTimerKey,
} from './sla-clock-types.ts'
export {
  cancelClock,
  pauseClock,
  recomputeClock,
  resumeClock,
  type StartClockInput,
  startClock,
  stopClock,
} from './transition-clock.ts'
