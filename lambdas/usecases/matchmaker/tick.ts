import type { UseCaseContext } from '../context';
import type { EventSink } from '../event-sink';
import { type PassReport, runPass } from './pass';
import { publishOutbox } from './publishing';

export interface TickReport {
  passes: PassReport[];
  /** Configurations another matchmaker invocation holds the lease for. */
  skipped: string[];
  published: number;
  publishFailures: number;
}

/**
 * One round over every configuration: take (or renew) its lease, run a pass, publish its
 * events. The lease only keeps invocations from duplicating work; every commit is conditioned
 * on ticket versions, so two passes over one configuration would still never double-match.
 */
export async function runMatchmakerTick(
  context: UseCaseContext,
  sink: EventSink,
  owner: string,
  leaseMs: number,
): Promise<TickReport> {
  const tick: TickReport = { passes: [], skipped: [], published: 0, publishFailures: 0 };
  for (const name of await context.store.listAllConfigurationNames()) {
    if (!(await context.store.acquireLease(name, owner, context.now(), leaseMs))) {
      tick.skipped.push(name);
      continue;
    }
    tick.passes.push(await runPass(context, name));
    const outcome = await publishOutbox(context, sink, name);
    tick.published += outcome.published;
    tick.publishFailures += outcome.failed;
  }
  return tick;
}
