import { explainTicket } from '../../engine/explain';
import type { QueueProgram } from '../../engine/rules';
import type { MatchmakingEvent, TicketRecord } from '../../store/records';
import { toPoolTicket } from '../pool-tickets';

/**
 * Other tickets an explanation considers for a timed-out ticket: fewer than the console's, since
 * a pass may time out many tickets at once and each explanation costs one rule check per ticket.
 */
const CONSIDERED_AT_TIMEOUT = 50;

/**
 * Timed-out tickets per pass that get a rule report (a few milliseconds each); the rest of a
 * mass time-out end without one rather than holding the pass up for seconds.
 */
export const RULE_REPORTS_PER_PASS = 100;

/**
 * The rule report a MatchmakingTimedOut event carries (FlexMatch's ruleEvaluationMetrics): how
 * often each rule passed and failed over the best candidate matches the ticket had when it
 * timed out, from the same explanation the console shows.
 */
export function timedOutRuleMetrics(
  program: QueueProgram,
  pool: readonly TicketRecord[],
  ticket: TicketRecord,
  now: number,
): MatchmakingEvent['ruleEvaluationMetrics'] {
  const waiting = pool
    .filter((other) => other.status === 'QUEUED' || other.status === 'SEARCHING')
    .map(toPoolTicket);
  return explainTicket(program, waiting, ticket.ticketId, now, { maxConsidered: CONSIDERED_AT_TIMEOUT })
    .ruleEvaluationMetrics;
}
