import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MatchmakerSettings } from '../shared/config';
import { logger } from '../shared/observability';
import type { UseCaseContext } from '../usecases/context';
import type { EventSink } from '../usecases/event-sink';
import {
  runMatchmakerTick,
  runUnitTurn,
  type TickReport,
  type UnitOutcome,
  type WorkerOptions,
  type WorkUnit,
} from '../usecases/matchmaker';
import { recordTick, recordTickFailure } from './matchmaker-metrics';

/** Long enough to cover a slow pass, short enough that a crashed invocation's lease lapses soon. */
export function leaseMsOf(settings: MatchmakerSettings): number {
  return settings.intervalMs * 3 + settings.safetyMarginMs;
}

/**
 * Runs `turn` every intervalMs until the invocation is close to its own timeout, or until it
 * has run `maxTurns`. Each turn gets the deadline (context's clock) it must start no write
 * after, so no turn outlives the invocation.
 */
export async function runTurns<Report>(
  context: UseCaseContext,
  settings: MatchmakerSettings,
  remainingMs: () => number,
  turn: (deadline: number) => Promise<Report>,
  maxTurns = Number.POSITIVE_INFINITY,
  /** Ends the invocation after a turn whose report says there is nothing left for it to do. */
  finished: (report: Report) => boolean = () => false,
): Promise<Report[]> {
  const reports: Report[] = [];
  const reserveMs = settings.safetyMarginMs + settings.intervalMs;
  let turns = 0;
  while (turns < maxTurns && remainingMs() > reserveMs) {
    const started = Date.now();
    turns++;
    try {
      const report = await turn(context.now() + remainingMs() - settings.safetyMarginMs);
      reports.push(report);
      if (finished(report)) break;
    } catch (error) {
      // One failed turn must not end the invocation: the next one retries from stored state.
      logger.error('matchmaker turn failed', { error: error as Error });
    }
    const waitMs = Math.max(0, settings.intervalMs - (Date.now() - started));
    // No wait at the end: an invocation with no time for another turn returns at once.
    if (turns >= maxTurns || remainingMs() - waitMs <= reserveMs) break;
    await sleep(waitMs);
  }
  return reports;
}

/**
 * A run of the matchmaker over every configuration in this invocation (each by its own worker,
 * in parallel), a tick every intervalMs: what the scheduled function does when it has no work
 * queue to fan out to (the local service's bundles), `maxTicks` at most.
 */
export async function runMatchmakerInvocation(
  context: UseCaseContext,
  sink: EventSink,
  settings: MatchmakerSettings,
  remainingMs: () => number,
  maxTicks = Number.POSITIVE_INFINITY,
  owner: string = randomUUID(),
): Promise<{ ticks: number; reports: TickReport[] }> {
  const leaseMs = leaseMsOf(settings);
  const reports = await runTurns(
    context,
    settings,
    remainingMs,
    // A bounded invocation (the local service's one tick of the bundle) gives its leases back at
    // the end, so the stream-triggered worker may run at once; a long-running one keeps them.
    (deadline) =>
      measured(() => runMatchmakerTick(context, sink, owner, leaseMs, deadline, Number.isFinite(maxTicks))),
    maxTicks,
  );
  return { ticks: reports.length, reports };
}

/**
 * One work unit's invocation (one SQS message: a configuration, or one part of its split
 * pool): a pass every intervalMs under that part's own lease until close to the timeout. Ends
 * early once the configuration's pool is split differently (runUnitTurn): the worker that
 * changed the split sent the new parts' messages, so this part's slice is someone else's now.
 */
export async function runUnitInvocation(
  context: UseCaseContext,
  sink: EventSink,
  settings: MatchmakerSettings,
  unit: WorkUnit,
  remainingMs: () => number,
  owner: string,
  onSplitChanged?: WorkerOptions['onSplitChanged'],
): Promise<UnitOutcome[]> {
  const leaseMs = leaseMsOf(settings);
  return runTurns(
    context,
    settings,
    remainingMs,
    async (deadline): Promise<UnitOutcome> => {
      const outcome = await measured(async () => {
        const turn = await runUnitTurn(context, sink, unit, {
          owner,
          leaseMs,
          deadline,
          ...(onSplitChanged ? { onSplitChanged } : {}),
        });
        return turn.ran
          ? { outcome: turn, passes: [turn.pass], publishFailures: turn.publishFailures }
          : { outcome: turn, passes: [], publishFailures: 0 };
      });
      return outcome.outcome;
    },
    Number.POSITIVE_INFINITY,
    (turn) => 'retired' in turn,
  );
}

/**
 * Runs one turn with its metrics recorded (a failed turn counts for the tick-failure alarm)
 * and a DEBUG line per busy configuration (POWERTOOLS_LOG_LEVEL=DEBUG shows them).
 */
async function measured<Turn extends Pick<TickReport, 'passes' | 'publishFailures'>>(
  turn: () => Promise<Turn>,
): Promise<Turn> {
  try {
    const report = await turn();
    recordTick(report);
    for (const pass of report.passes)
      if (pass.ticketsInPool > 0)
        logger.debug('matchmaker pass', { configuration: pass.configurationName, ...pass });
    return report;
  } catch (error) {
    recordTickFailure();
    throw error;
  }
}
