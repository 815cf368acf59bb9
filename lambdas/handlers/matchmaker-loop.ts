import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MatchmakerSettings } from '../shared/config';
import { logger } from '../shared/observability';
import type { UseCaseContext } from '../usecases/context';
import type { EventSink } from '../usecases/event-sink';
import {
  runConfigurationWorker,
  runMatchmakerTick,
  type TickReport,
  type WorkerOutcome,
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
): Promise<Report[]> {
  const reports: Report[] = [];
  const reserveMs = settings.safetyMarginMs + settings.intervalMs;
  let turns = 0;
  while (turns < maxTurns && remainingMs() > reserveMs) {
    const started = Date.now();
    turns++;
    try {
      reports.push(await turn(context.now() + remainingMs() - settings.safetyMarginMs));
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
    (deadline) => measured(() => runMatchmakerTick(context, sink, owner, leaseMs, deadline)),
    maxTicks,
  );
  return { ticks: reports.length, reports };
}

/**
 * One configuration's worker invocation (one SQS message of the scheduled fan-out): a pass
 * every intervalMs under the configuration's own lease until close to the timeout.
 */
export async function runConfigurationInvocation(
  context: UseCaseContext,
  sink: EventSink,
  settings: MatchmakerSettings,
  configurationName: string,
  remainingMs: () => number,
  owner: string,
): Promise<WorkerOutcome[]> {
  const leaseMs = leaseMsOf(settings);
  return runTurns(context, settings, remainingMs, async (deadline) => {
    const outcome = await measured(async () => {
      const turn = await runConfigurationWorker(context, sink, configurationName, {
        owner,
        leaseMs,
        deadline,
      });
      return turn.ran
        ? { outcome: turn, passes: [turn.pass], publishFailures: turn.publishFailures }
        : { outcome: turn, passes: [], publishFailures: 0 };
    });
    return outcome.outcome;
  });
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
