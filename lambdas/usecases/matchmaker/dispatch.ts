import type { UseCaseContext } from '../context';

/** Where the dispatcher hands out work: one message per configuration (SQS in AWS). */
export interface WorkQueue {
  /** Returns the configurations whose message could not be sent. */
  enqueue(configurationNames: string[]): Promise<{ failed: string[] }>;
}

/**
 * The scheduled fan-out: one work item per configuration, so each is worked on by its own
 * worker invocation under its own lease, in parallel, however many configurations there are.
 */
export async function dispatchConfigurations(
  context: UseCaseContext,
  queue: WorkQueue,
): Promise<{ dispatched: number; failed: string[] }> {
  const names = await context.store.listAllConfigurationNames();
  const { failed } = await queue.enqueue(names);
  return { dispatched: names.length - failed.length, failed };
}
