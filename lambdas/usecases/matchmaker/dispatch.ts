import { mapConcurrent } from '../../shared/concurrency';
import type { UseCaseContext } from '../context';
import { partsOf, type WorkUnit } from './worker';

/** Where the dispatcher hands out work: one message per work unit (SQS in AWS). */
export interface WorkQueue {
  /** Returns the units whose message could not be sent. */
  enqueue(units: WorkUnit[]): Promise<{ failed: WorkUnit[] }>;
}

/** Configurations whose split is read at once by the dispatcher. */
const SPLIT_READ_CONCURRENCY = 16;

/** The work units of a configuration split into `split` parts. */
export function unitsOf(configurationName: string, split: number): WorkUnit[] {
  return partsOf(split).map((part) => ({ configurationName, split, part }));
}

/**
 * The scheduled fan-out: one work item per configuration, or per part of a split pool, so each
 * is worked on by its own worker invocation under its own lease, in parallel, however many
 * configurations and parts there are.
 */
export async function dispatchConfigurations(
  context: UseCaseContext,
  queue: WorkQueue,
): Promise<{ dispatched: number; failed: WorkUnit[] }> {
  const names = await context.store.listAllConfigurationNames();
  const splits = await mapConcurrent(names, SPLIT_READ_CONCURRENCY, (name) =>
    context.store.getPoolSplit(name),
  );
  const units = names.flatMap((name, index) => unitsOf(name, splits[index] ?? 1));
  const { failed } = await queue.enqueue(units);
  return { dispatched: units.length - failed.length, failed };
}
