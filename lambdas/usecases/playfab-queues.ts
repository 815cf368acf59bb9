import type { MatchmakingQueueConfig } from '../dialects/playfab/schemas';
import { compileQueueConfig, type PlayFabQueueProgram } from '../engine/queues/compile';
import { invalidRequest, notFound, SlotfillError } from '../shared/errors';
import { keys, PLAYFAB_QUEUE_PREFIX } from '../store/keys';
import type { PlayFabStore } from '../store/playfab-store';
import type { ConfigurationRecord } from '../store/records';
import type { UseCaseContext } from './context';

/** The use-case context of the PlayFab dialect: the shared store plus the PlayFab items. */
export interface PlayFabUseCaseContext extends UseCaseContext {
  playfab: PlayFabStore;
}

/**
 * Who is asking. A server (title secret key) may do everything; a player (entity token) only
 * what the ownership rules below allow.
 */
export type Caller = { kind: 'server' } | { kind: 'player'; playerId: string };

/**
 * The timeout a PlayFab queue's configuration record carries. Every PlayFab ticket has its own
 * GiveUpAfterSeconds (required by the spec), which the pass uses instead; this only bounds a
 * ticket that somehow lacks one, at PlayFab's largest GiveUpAfterSeconds slotfill accepts.
 */
const QUEUE_FALLBACK_TIMEOUT_SECONDS = 3600;

export interface PlayFabQueue {
  record: ConfigurationRecord;
  config: MatchmakingQueueConfig;
  program: PlayFabQueueProgram;
}

/** Compiled programs by `name#version`: a queue can be replaced, and each version compiles once. */
const programCache = new Map<string, PlayFabQueueProgram>();

export function playfabQueueProgram(record: ConfigurationRecord): PlayFabQueueProgram {
  if (!record.playfabQueue)
    throw new SlotfillError('Internal', `Queue record '${record.name}' has no queue.`);
  const cacheKey = `${record.name}#${record.version}`;
  const cached = programCache.get(cacheKey);
  if (cached) return cached;
  const program = compileQueueConfig(record.playfabQueue);
  programCache.set(cacheKey, program);
  return program;
}

export function requireServer(
  caller: Caller,
  action: string,
  playfabError = 'MatchmakingUnauthorized',
): void {
  if (caller.kind !== 'server') {
    throw new SlotfillError(
      'Unauthorized',
      `${action} is for game servers only: call it with the title secret key (X-SecretKey).`,
      {
        playfabError,
      },
    );
  }
}

export function queueNotFound(queueName: string): SlotfillError {
  return notFound(`Matchmaking queue '${queueName}' was not found.`, { resource: 'queue' });
}

export async function queueOrFail(context: PlayFabUseCaseContext, queueName: string): Promise<PlayFabQueue> {
  const record = await context.store.getConfiguration(keys.playfabQueueConfiguration(queueName));
  if (!record?.playfabQueue || record.dialect !== 'playfab') throw queueNotFound(queueName);
  return { record, config: record.playfabQueue, program: playfabQueueProgram(record) };
}

/** Creates or replaces a queue; compileQueueConfig refuses an invalid one (2031, every problem with its path). */
export async function setQueue(
  context: PlayFabUseCaseContext,
  caller: Caller,
  config: MatchmakingQueueConfig,
): Promise<void> {
  requireServer(caller, 'SetMatchmakingQueue', 'NotAuthorized');
  compileQueueConfig(config);
  const name = keys.playfabQueueConfiguration(config.Name);
  const previous = await context.store.getConfiguration(name);
  if (previous && previous.dialect !== 'playfab')
    throw new SlotfillError('Internal', `'${name}' is not a queue.`);
  const record: ConfigurationRecord = {
    name,
    ruleSetName: '',
    requestTimeoutSeconds: QUEUE_FALLBACK_TIMEOUT_SECONDS,
    acceptanceRequired: false,
    additionalPlayerCount: 0,
    gameProperties: [],
    backfillMode: 'MANUAL',
    flexMatchMode: 'STANDALONE',
    tags: [],
    creationTime: previous?.creationTime ?? context.now(),
    version: (previous?.version ?? 0) + 1,
    dialect: 'playfab',
    playfabQueue: config,
  };
  await context.playfab.putQueue(record, previous);
}

function requireQueueName(queueName: string | undefined): string {
  if (queueName === undefined) {
    throw invalidRequest('QueueName is required.', {
      playfabError: 'InvalidParams',
      fieldErrors: { QueueName: ['The QueueName field is required.'] },
    });
  }
  return queueName;
}

export async function getQueue(
  context: PlayFabUseCaseContext,
  caller: Caller,
  queueName: string | undefined,
): Promise<MatchmakingQueueConfig> {
  requireServer(caller, 'GetMatchmakingQueue', 'NotAuthorized');
  return (await queueOrFail(context, requireQueueName(queueName))).config;
}

export async function listQueues(
  context: PlayFabUseCaseContext,
  caller: Caller,
): Promise<MatchmakingQueueConfig[]> {
  requireServer(caller, 'ListMatchmakingQueues', 'NotAuthorized');
  const records = await context.playfab.listQueues();
  return records.flatMap((record) =>
    record.dialect === 'playfab' && record.playfabQueue && record.name.startsWith(PLAYFAB_QUEUE_PREFIX)
      ? [record.playfabQueue]
      : [],
  );
}

/**
 * Removes a queue. Its active tickets are not matched any more (the pass skips a missing
 * configuration) and end at their GiveUpAfterSeconds only if the queue comes back; callers
 * cancel them first if they care (PlayFab documents no cascade either).
 */
export async function removeQueue(
  context: PlayFabUseCaseContext,
  caller: Caller,
  queueName: string | undefined,
): Promise<void> {
  requireServer(caller, 'RemoveMatchmakingQueue', 'NotAuthorized');
  const name = requireQueueName(queueName);
  if (!(await context.playfab.removeQueue(keys.playfabQueueConfiguration(name)))) throw queueNotFound(name);
}
