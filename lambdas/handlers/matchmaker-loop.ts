import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MatchmakerSettings } from '../shared/config';
import { logger } from '../shared/observability';
import type { UseCaseContext } from '../usecases/context';
import type { EventSink } from '../usecases/event-sink';
import { runMatchmakerTick, type TickReport } from '../usecases/matchmaker';

/**
 * The scheduled invocation: EventBridge's schedule can't fire more than once a minute, so one
 * invocation runs a tick every intervalMs until it is close to its own timeout.
 */
export async function runMatchmakerInvocation(
  context: UseCaseContext,
  sink: EventSink,
  settings: MatchmakerSettings,
  remainingMs: () => number,
): Promise<{ ticks: number; reports: TickReport[] }> {
  const owner = randomUUID();
  // Long enough to cover a slow tick, short enough that a crashed invocation's lease lapses soon.
  const leaseMs = settings.intervalMs * 3 + settings.safetyMarginMs;
  const reports: TickReport[] = [];
  while (remainingMs() > settings.safetyMarginMs + settings.intervalMs) {
    const started = Date.now();
    try {
      reports.push(await runMatchmakerTick(context, sink, owner, leaseMs));
    } catch (error) {
      // One failed tick must not end the invocation: the next tick retries from stored state.
      logger.error('matchmaker tick failed', { error: error as Error });
    }
    const elapsed = Date.now() - started;
    if (elapsed < settings.intervalMs) await sleep(settings.intervalMs - elapsed);
  }
  return { ticks: reports.length, reports };
}
