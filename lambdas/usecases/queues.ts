import { compileQueueConfig } from '../engine/queues/compile';
import type { MatchmakingQueueConfig } from '../engine/queues/definition';
import { notFound, SlotfillError } from '../shared/errors';
import type { ConfigurationRecord } from '../store/records';
import { type Principal, policy } from './access';
import type { UseCaseContext } from './context';
import { queueConfigurationName } from './programs';

/**
 * Queues: configurations whose rules are a queue definition (PlayFab's queue language). They
 * live beside FlexMatch configurations in the same store, under `pf:<queue name>`.
 */

/**
 * The timeout a queue's configuration carries. Tickets in a queue have their own timeout
 * (GiveUpAfterSeconds, required by the spec), which the pass uses instead; this only bounds a
 * ticket that somehow lacks one, at the largest GiveUpAfterSeconds slotfill accepts.
 */
const QUEUE_FALLBACK_TIMEOUT_SECONDS = 3600;

export function queueNotFound(queueName: string): SlotfillError {
  return notFound(`Matchmaking queue '${queueName}' was not found.`, { resource: 'configuration' });
}

/** The configuration of a queue; NotFound when absent (or not a queue). */
export async function queueConfiguration(
  context: UseCaseContext,
  queueName: string,
): Promise<ConfigurationRecord> {
  const record = await context.store.getConfiguration(queueConfigurationName(queueName));
  if (record?.rules.language !== 'queue') throw queueNotFound(queueName);
  return record;
}

/** Creates or replaces a queue; compileQueueConfig refuses an invalid one (every problem with its path). */
export async function setQueue(
  context: UseCaseContext,
  principal: Principal,
  definition: MatchmakingQueueConfig,
): Promise<void> {
  policy.requireServer(principal, 'SetMatchmakingQueue');
  compileQueueConfig(definition);
  const name = queueConfigurationName(definition.Name);
  const previous = await context.store.getConfiguration(name);
  if (previous && previous.rules.language !== 'queue')
    throw new SlotfillError('Internal', `'${name}' is not a queue.`);
  const record: ConfigurationRecord = {
    name,
    rules: { language: 'queue', queue: definition },
    requestTimeoutSeconds: QUEUE_FALLBACK_TIMEOUT_SECONDS,
    acceptanceRequired: false,
    additionalPlayerCount: 0,
    gameProperties: [],
    backfillMode: 'MANUAL',
    flexMatchMode: 'STANDALONE',
    tags: [],
    creationTime: previous?.creationTime ?? context.now(),
    version: (previous?.version ?? 0) + 1,
  };
  if (previous) await context.store.updateConfiguration(record, previous);
  else await context.store.createConfiguration(record);
}

export async function getQueue(
  context: UseCaseContext,
  principal: Principal,
  queueName: string,
): Promise<MatchmakingQueueConfig> {
  policy.requireServer(principal, 'GetMatchmakingQueue');
  return queueDefinition(await queueConfiguration(context, queueName));
}

export async function listQueues(
  context: UseCaseContext,
  principal: Principal,
): Promise<MatchmakingQueueConfig[]> {
  policy.requireServer(principal, 'ListMatchmakingQueues');
  const definitions: MatchmakingQueueConfig[] = [];
  let nextToken: string | undefined;
  do {
    const page = await context.store.listConfigurations({ limit: 100, nextToken });
    for (const record of page.items)
      if (record.rules.language === 'queue') definitions.push(record.rules.queue);
    nextToken = page.nextToken;
  } while (nextToken);
  return definitions;
}

/**
 * Removes a queue. Its active tickets are not matched any more (the pass skips a missing
 * configuration) and end at their own timeout only if the queue comes back; callers cancel
 * them first if they care (PlayFab documents no cascade either).
 */
export async function removeQueue(
  context: UseCaseContext,
  principal: Principal,
  queueName: string,
): Promise<void> {
  policy.requireServer(principal, 'RemoveMatchmakingQueue');
  await context.store.deleteConfiguration(await queueConfiguration(context, queueName));
}

export function queueDefinition(configuration: ConfigurationRecord): MatchmakingQueueConfig {
  if (configuration.rules.language !== 'queue')
    throw new SlotfillError('Internal', `'${configuration.name}' is not a queue.`);
  return configuration.rules.queue;
}
