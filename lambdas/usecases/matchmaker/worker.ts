import type { UseCaseContext } from '../context';
import type { EventSink } from '../event-sink';
import { type PassReport, runPass } from './pass';
import { publishOutbox } from './publishing';

export interface WorkerOptions {
  /** Who holds the lease: one execution environment (Lambda) or one local service. */
  owner: string;
  /** How long the lease taken for this pass lasts. */
  leaseMs: number;
  /** Epoch ms (context's clock) the caller must be done by, e.g. its Lambda timeout less a margin. */
  deadline?: number;
}

export type WorkerOutcome =
  | { ran: true; pass: PassReport; published: number; publishFailures: number }
  /** Another worker holds the configuration's lease: it does this work. */
  | { ran: false };

/**
 * One worker's turn on one configuration: take (or renew) the configuration's own lease, run a
 * pass, publish its events. Workers of different configurations are independent (nothing
 * shared but the table), so any number run in parallel: the scheduled fan-out, stream-triggered
 * invocations, the local service's wake-ups.
 *
 * Bounded by the lease: the pass starts no write after half of it, leaving the other half for
 * writes in flight and for publishing, so a worker never acts on a lease that has lapsed and
 * another worker may have taken. Correctness never rests on the lease: every commit is
 * conditioned on ticket versions, so two workers on one configuration still never
 * double-match; the lease only keeps them from doing the same work twice.
 */
export async function runConfigurationWorker(
  context: UseCaseContext,
  sink: EventSink,
  configurationName: string,
  options: WorkerOptions,
): Promise<WorkerOutcome> {
  const start = context.now();
  if (!(await context.store.acquireLease(configurationName, options.owner, start, options.leaseMs)))
    return { ran: false };
  const deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, start + options.leaseMs / 2);
  const pass = await runPass(context, configurationName, { deadline });
  // Publishing may use the lease's second half; what it leaves stays in the outbox.
  const publishUntil = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, start + options.leaseMs);
  const outcome = await publishOutbox(context, sink, configurationName, publishUntil);
  return { ran: true, pass, published: outcome.published, publishFailures: outcome.failed };
}
