import type { TicketStatus } from '../engine/model';
import { compileQueueConfig } from '../engine/queues/compile';
import type { MatchmakingQueueConfig } from '../engine/queues/definition';
import { notFound, SlotfillError } from '../shared/errors';
import type { ConfigurationRecord } from '../store/records';
import { type Principal, policy } from './access';
import type { UseCaseContext } from './context';
import { ticketEndedEvent } from './events';
import { queueConfigurationName } from './programs';
import { endTicket } from './tickets';

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

/** Tickets a removed queue ends: those not yet claimed by a proposed match. */
const ENDED_WITH_QUEUE: readonly TicketStatus[] = ['WAITING_FOR_PLAYERS', 'QUEUED', 'SEARCHING'];
const QUEUE_REMOVED_MESSAGE = 'The matchmaking queue was removed.';

/**
 * Removes a queue. Its waiting tickets end first (FAILED: PlayFab shows Canceled with reason
 * Internal), each with its event and its players' locks released, so nobody is left holding a
 * ticket that can never match; a crash part-way leaves the queue in place and a repeated call
 * finishes the job. Tickets already claimed by a proposed match finish with that match.
 */
export async function removeQueue(
  context: UseCaseContext,
  principal: Principal,
  queueName: string,
): Promise<void> {
  policy.requireServer(principal, 'RemoveMatchmakingQueue');
  const configuration = await queueConfiguration(context, queueName);
  for (const ticket of await context.store.readPool(configuration.name, ENDED_WITH_QUEUE)) {
    await endTicket(context, ticket, 'FAILED', QUEUE_REMOVED_MESSAGE, (ended, time) => [
      ticketEndedEvent(configuration, ended, 'MatchmakingFailed', time, 'FAILED', QUEUE_REMOVED_MESSAGE),
    ]).catch((error: unknown) => {
      // Moved on since the read (matched, cancelled): nothing to end.
      if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
    });
  }
  await context.store.deleteConfiguration(configuration);
}

export function queueDefinition(configuration: ConfigurationRecord): MatchmakingQueueConfig {
  if (configuration.rules.language !== 'queue')
    throw new SlotfillError('Internal', `'${configuration.name}' is not a queue.`);
  return configuration.rules.queue;
}
