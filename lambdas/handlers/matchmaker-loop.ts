import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MatchmakerSettings } from '../shared/config';
import { logger } from '../shared/observability';
import type { UseCaseContext } from '../usecases/context';
import type { EventSink } from '../usecases/event-sink';
import { runMatchmakerTick, type TickReport } from '../usecases/matchmaker';
import { recordTick, recordTickFailure } from './matchmaker-metrics';

/**
 * The scheduled invocation: EventBridge's schedule can't fire more than once a minute, so one
 * invocation runs a tick every intervalMs until it is close to its own timeout, or until it
 * has run `maxTicks` (the local service runs one tick per invocation on its own timer).
 */
export async function runMatchmakerInvocation(
  context: UseCaseContext,
  sink: EventSink,
  settings: MatchmakerSettings,
  remainingMs: () => number,
  maxTicks = Number.POSITIVE_INFINITY,
  owner: string = randomUUID(),
): Promise<{ ticks: number; reports: TickReport[] }> {
  // Long enough to cover a slow tick, short enough that a crashed invocation's lease lapses soon.
  const leaseMs = settings.intervalMs * 3 + settings.safetyMarginMs;
  const reports: TickReport[] = [];
  const reserveMs = settings.safetyMarginMs + settings.intervalMs;
  while (reports.length < maxTicks && remainingMs() > reserveMs) {
    const started = Date.now();
    try {
      const tick = await runMatchmakerTick(context, sink, owner, leaseMs);
      recordTick(tick);
      // One line per busy configuration, at DEBUG (POWERTOOLS_LOG_LEVEL=DEBUG to see them).
      for (const pass of tick.passes)
        if (pass.ticketsInPool > 0)
          logger.debug('matchmaker pass', { configuration: pass.configurationName, ...pass });
      reports.push(tick);
    } catch (error) {
      // One failed tick must not end the invocation: the next tick retries from stored state.
      logger.error('matchmaker tick failed', { error: error as Error });
      recordTickFailure();
    }
    const waitMs = Math.max(0, settings.intervalMs - (Date.now() - started));
    // No wait at the end: an invocation with no time for another tick returns at once.
    if (reports.length >= maxTicks || remainingMs() - waitMs <= reserveMs) break;
    await sleep(waitMs);
  }
  return { ticks: reports.length, reports };
}
