import { explainTicket } from '../engine/explain';
import type { QueueProgram } from '../engine/rules';
import type { MatchmakingEvent, TicketRecord } from '../store/records';
import { toPoolTicket } from './pool-tickets';

/**
 * FlexMatch's ruleEvaluationMetrics on the events of tickets that end without a match: how
 * often each rule passed and failed over the best candidate matches the ticket had when it
 * ended, from the same explanation the console shows. It is how a designer learns which rule
 * kept a ticket waiting.
 */
type RuleMetrics = NonNullable<MatchmakingEvent['ruleEvaluationMetrics']>;

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
 * Waiting tickets a cancellation reads per pool partition for its report: the oldest few of
 * each (16 partitions, so about 64 tickets and a handful of read units per StopMatchmaking),
 * never the whole pool. On a large pool the report is over this sample, not the best partners.
 */
export const SAMPLED_PER_PARTITION_AT_CANCEL = 4;

/** Only a ticket the matchmaker is searching partners for has a rule report. */
export const isSearchable = (ticket: Pick<TicketRecord, 'status'>) =>
  ticket.status === 'QUEUED' || ticket.status === 'SEARCHING';

/** The report for a ticket timed out by a pass, over the pool the pass holds. */
export function timedOutRuleMetrics(
  program: QueueProgram,
  pool: readonly TicketRecord[],
  ticket: TicketRecord,
  now: number,
): RuleMetrics {
  return reportOver(program, pool.filter(isSearchable), ticket, now);
}

/**
 * The report for a waiting ticket cancelled by request, over a sample of the tickets waiting
 * beside it (the caller checks the ticket was searchable).
 */
export function cancelledRuleMetrics(
  program: QueueProgram,
  sample: readonly TicketRecord[],
  ticket: TicketRecord,
  now: number,
): RuleMetrics {
  const others = sample.filter((other) => isSearchable(other) && other.ticketId !== ticket.ticketId);
  return reportOver(program, [ticket, ...others], ticket, now);
}

function reportOver(
  program: QueueProgram,
  waiting: readonly TicketRecord[],
  ticket: TicketRecord,
  now: number,
): RuleMetrics {
  return explainTicket(program, waiting.map(toPoolTicket), ticket.ticketId, now, {
    maxConsidered: CONSIDERED_AT_TIMEOUT,
  }).ruleEvaluationMetrics;
}
