import { mapConcurrent } from '../../shared/concurrency';
import type { UseCaseContext } from '../context';
import type { EventSink } from '../event-sink';
import type { PassReport } from './pass';
import { runConfigurationWorker } from './worker';

export interface TickReport {
  passes: PassReport[];
  /** Configurations another matchmaker invocation holds the lease for. */
  skipped: string[];
  published: number;
  publishFailures: number;
}

/**
 * Configurations worked on at once by one tick. Each is an independent worker under its own
 * lease, so a tick takes as long as its slowest configuration, not the sum of them all.
 */
export const CONFIGURATION_CONCURRENCY = 16;

/**
 * One round over every configuration, each by its own worker (worker.ts) in parallel: the
 * local service's safety-net sweep and its tests' explicit ticks. In AWS the same workers run
 * in separate invocations (one SQS message per configuration, or a stream's new tickets).
 */
export async function runMatchmakerTick(
  context: UseCaseContext,
  sink: EventSink,
  owner: string,
  leaseMs: number,
  deadline?: number,
  /** The caller runs no further tick: leases go back at the end (WorkerOptions.releaseAfterTurn). */
  releaseAfterTurn = false,
): Promise<TickReport> {
  const tick: TickReport = { passes: [], skipped: [], published: 0, publishFailures: 0 };
  const names = await context.store.listAllConfigurationNames();
  const outcomes = await mapConcurrent(names, CONFIGURATION_CONCURRENCY, (name) =>
    runConfigurationWorker(context, sink, name, { owner, leaseMs, deadline, releaseAfterTurn }),
  );
  outcomes.forEach((outcome, index) => {
    if (!outcome.ran) {
      tick.skipped.push(names[index]!);
      return;
    }
    tick.passes.push(outcome.pass);
    tick.published += outcome.published;
    tick.publishFailures += outcome.publishFailures;
  });
  return tick;
}
