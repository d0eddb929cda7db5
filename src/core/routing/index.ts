// Routing (pure): which rep gets a lead. Ordered rules from the Agreement (first match wins), named owners,
// pools with fair weighted round robin, availability (active, out of office, working hours, caps), backup pools,
// and the trace that answers "why did I get this lead?". Reads calendars from ../calendar; the handoff use case
// locks and stores pool state (see README "Concurrency contract"). Anyone may import this folder.

export { applyRepStatuses, type RepStatus } from './apply-rep-statuses.ts'
export {
  type Absence,
  checkOutOfOffice,
  findMemberUnavailability,
  findOwnerUnavailability,
  listCurrentAndUpcomingAbsences,
  type OutOfOfficeCheck,
} from './check-availability.ts'
export { countAssignmentLoad } from './count-assignment-load.ts'
export { createPoolState, decideRoute, listPoolsToLock } from './decide-route.ts'
export { describeUnavailability, explainRoute } from './explain-route.ts'
export type {
  AvailabilitySource,
  ConditionAnswer,
  DecideRouteArgs,
  Load,
  MemberTrace,
  OutOfOffice,
  Pool,
  PoolMember,
  PoolState,
  PoolTrace,
  Rep,
  RepLoad,
  RouteDecision,
  RouteTarget,
  RouteTrace,
  RoutingInput,
  RoutingRule,
  RuleOutcome,
  RuleTrace,
  UnassignedCode,
  Unavailability,
} from './routing-types.ts'
export { type Turn, type TurnCandidate, takeTurn } from './take-turn.ts'
