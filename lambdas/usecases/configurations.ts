import { invalidRequest, notFound } from '../shared/errors';
import { type ConfigurationRecord, type GameProperty, ruleSetNameOf } from '../store/records';
import type { Page } from '../store/store';
import type { UseCaseContext } from './context';
import { DEFAULT_PAGE_SIZE } from './rule-sets';

/** Settings a caller may give; absent optional fields keep their defaults (create) or old values (update). */
export interface ConfigurationSettings {
  ruleSetName: string;
  description?: string;
  requestTimeoutSeconds: number;
  acceptanceRequired: boolean;
  acceptanceTimeoutSeconds?: number;
  additionalPlayerCount?: number;
  customEventData?: string;
  gameProperties?: GameProperty[];
  gameSessionData?: string;
  backfillMode?: string;
  flexMatchMode?: string;
  gameSessionQueueArns?: string[];
  notificationTarget?: string;
}

export interface CreateConfigurationRequest extends ConfigurationSettings {
  name: string;
  tags?: Array<{ key: string; value: string }>;
}

export async function createConfiguration(
  context: UseCaseContext,
  request: CreateConfigurationRequest,
): Promise<ConfigurationRecord> {
  const record: ConfigurationRecord = {
    name: request.name,
    creationTime: context.now(),
    version: 1,
    tags: request.tags ?? [],
    ...checkedSettings(request),
  };
  await context.store.createConfiguration(record);
  return record;
}

/**
 * How old a configuration read for opening a ticket may be. Opening is the hot path (one read
 * per ticket otherwise); the ticket's transaction still checks that the configuration exists,
 * and the matchmaker reads it fresh for every pass, so a change made elsewhere reaches new
 * tickets' checks (their players' attributes, team sizes) at most this late.
 */
export const TICKET_CONFIGURATION_MAX_AGE_MS = 1000;

export async function getConfigurationOrFail(
  context: UseCaseContext,
  name: string,
  options: { maxAgeMs?: number } = {},
): Promise<ConfigurationRecord> {
  const record = await context.store.getConfiguration(name, options);
  if (!record)
    throw notFound(`Matchmaking configuration '${name}' was not found.`, { resource: 'configuration' });
  return record;
}

export type ConfigurationChanges = Partial<ConfigurationSettings>;

export async function updateConfiguration(
  context: UseCaseContext,
  name: string,
  changes: ConfigurationChanges,
): Promise<ConfigurationRecord> {
  const previous = await getConfigurationOrFail(context, name);
  const merged: ConfigurationSettings = {
    ...previous,
    ruleSetName: ruleSetNameOf(previous) ?? '',
    ...withoutUndefined(changes),
  };
  const record: ConfigurationRecord = {
    ...previous,
    ...checkedSettings(merged),
    version: previous.version + 1,
  };
  await context.store.updateConfiguration(record, previous);
  return record;
}

export interface DescribeConfigurationsRequest {
  names?: string[];
  ruleSetName?: string;
  limit?: number;
  nextToken?: string;
}

export async function describeConfigurations(
  context: UseCaseContext,
  request: DescribeConfigurationsRequest,
): Promise<Page<ConfigurationRecord>> {
  if (request.names && request.names.length > 0) {
    const found = await context.store.getConfigurations(request.names);
    // Unknown names are left out, as FlexMatch does, so a caller can probe for existence.
    const byName = new Map(found.filter(isFlexMatchConfiguration).map((c) => [c.name, c]));
    return { items: request.names.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : [])) };
  }
  const page = await context.store.listConfigurations({
    ruleSetName: request.ruleSetName,
    limit: request.limit ?? DEFAULT_PAGE_SIZE,
    nextToken: request.nextToken,
  });
  // Queues share the partition (as `pf:<name>`) but are not FlexMatch configurations; leaving
  // them out can make a page short, which the NextToken contract allows.
  return { ...page, items: page.items.filter(isFlexMatchConfiguration) };
}

/** FlexMatch configurations (rules in a rule set), as opposed to queues stored beside them. */
export function isFlexMatchConfiguration(record: ConfigurationRecord): boolean {
  return record.rules.language === 'ruleSet';
}

export async function deleteConfiguration(context: UseCaseContext, name: string): Promise<void> {
  const record = await getConfigurationOrFail(context, name);
  if (await context.store.hasActiveTickets(name)) {
    throw invalidRequest(
      `Matchmaking configuration '${name}' still has active tickets; stop them (StopMatchmaking) or let them finish before deleting it.`,
    );
  }
  await context.store.deleteConfiguration(record);
}

/** Cross-field rules the wire schemas can't express, and slotfill's own capability limits. */
function checkedSettings(
  settings: ConfigurationSettings,
): Omit<ConfigurationRecord, 'name' | 'creationTime' | 'version' | 'tags'> {
  if (settings.flexMatchMode !== undefined && settings.flexMatchMode !== 'STANDALONE') {
    throw invalidRequest(
      `FlexMatchMode ${settings.flexMatchMode} is not supported: slotfill forms matches and reports them (STANDALONE); your backend places the game session. Omit FlexMatchMode or set STANDALONE.`,
    );
  }
  if (settings.gameSessionQueueArns && settings.gameSessionQueueArns.length > 0) {
    throw invalidRequest(
      'GameSessionQueueArns is not supported: slotfill places no game sessions (STANDALONE mode). Remove GameSessionQueueArns.',
    );
  }
  if (settings.backfillMode !== undefined && settings.backfillMode !== 'MANUAL') {
    throw invalidRequest(
      `BackfillMode ${settings.backfillMode} needs FlexMatchMode WITH_QUEUE; in STANDALONE mode backfill is requested with StartMatchBackfill. Omit BackfillMode or set MANUAL.`,
    );
  }
  if (settings.acceptanceRequired && settings.acceptanceTimeoutSeconds === undefined) {
    throw invalidRequest('AcceptanceTimeoutSeconds is required when AcceptanceRequired is true.');
  }
  return {
    rules: { language: 'ruleSet', ruleSetName: settings.ruleSetName },
    description: settings.description,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    acceptanceRequired: settings.acceptanceRequired,
    acceptanceTimeoutSeconds: settings.acceptanceTimeoutSeconds,
    additionalPlayerCount: settings.additionalPlayerCount ?? 0,
    customEventData: settings.customEventData,
    gameProperties: settings.gameProperties ?? [],
    gameSessionData: settings.gameSessionData,
    backfillMode: 'MANUAL',
    flexMatchMode: 'STANDALONE',
    notificationTarget: settings.notificationTarget,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
