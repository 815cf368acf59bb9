import { createHash } from 'node:crypto';
import {
  type AttributeValue as DynamoAttributeValue,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ACTIVE_STATUSES, isActiveStatus } from '../engine/model';
import { conflict, invalidRequest, notFound, SlotfillError } from '../shared/errors';
import { type ItemKey, keys, poolKeys } from './keys';
import type { ConfigurationRecord, RuleSetRecord, TicketRecord } from './records';
import type { ConfigurationQuery, MatchmakingStore, Page, TicketTransition } from './store';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** How long finished tickets stay readable (DescribeMatchmaking) before TTL removes them. */
export const FINISHED_TICKET_RETENTION_SECONDS = 24 * 60 * 60;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
const KEY_ATTRIBUTES = ['pk', 'sk', 'poolPk', 'poolSk', 'expiresAt', 'usedBy'] as const;

export interface DynamoStoreOptions {
  tableName: string;
  client: DynamoDBDocumentClient;
}

export class DynamoMatchmakingStore implements MatchmakingStore {
  private readonly tableName: string;
  private readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client;
  }

  // ---- rule sets -------------------------------------------------------------------------

  async createRuleSet(record: RuleSetRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.ruleSet(record.name), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw conflict(`A matchmaking rule set named '${record.name}' already exists.`);
      throw error;
    }
  }

  async getRuleSets(names: string[]): Promise<RuleSetRecord[]> {
    const items = await this.batchGet(names.map(keys.ruleSet));
    return items.map((item) => stripKeys(item) as unknown as RuleSetRecord);
  }

  async listRuleSets(limit: number, nextToken?: string): Promise<Page<RuleSetRecord>> {
    const page = await this.queryPartition(keys.ruleSetPartition, limit, nextToken);
    return {
      items: page.items.map((item) => stripKeys(item) as unknown as RuleSetRecord),
      nextToken: page.nextToken,
    };
  }

  async deleteRuleSet(name: string): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.ruleSet(name),
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedBy)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      const existing = reasons[0]?.item;
      if (!existing) throw notFound(`Matchmaking rule set '${name}' was not found.`);
      const users = [...((existing.usedBy as Set<string> | undefined) ?? [])].sort();
      throw conflict(
        `Matchmaking rule set '${name}' is used by matchmaking configuration(s) ${users.map((u) => `'${u}'`).join(', ')}; delete or update them first.`,
        { configurations: users },
      );
    }
  }

  // ---- configurations ----------------------------------------------------------------------

  async createConfiguration(record: ConfigurationRecord): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.configuration(record.name), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.addRuleSetUser(record.ruleSetName, record.name),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0]?.failed)
        throw conflict(`A matchmaking configuration named '${record.name}' already exists.`);
      if (reasons[1]?.failed) throw notFound(`Matchmaking rule set '${record.ruleSetName}' was not found.`);
      throw error;
    }
  }

  async getConfiguration(name: string): Promise<ConfigurationRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.configuration(name), ConsistentRead: true }),
    );
    return result.Item ? (stripKeys(result.Item) as unknown as ConfigurationRecord) : undefined;
  }

  async getConfigurations(names: string[]): Promise<ConfigurationRecord[]> {
    const items = await this.batchGet(names.map(keys.configuration));
    return items.map((item) => stripKeys(item) as unknown as ConfigurationRecord);
  }

  async listConfigurations(query: ConfigurationQuery): Promise<Page<ConfigurationRecord>> {
    const page = await this.queryPartition(
      keys.configurationPartition,
      query.limit,
      query.nextToken,
      query.ruleSetName === undefined
        ? undefined
        : { expression: 'ruleSetName = :ruleSetName', values: { ':ruleSetName': query.ruleSetName } },
    );
    return {
      items: page.items.map((item) => stripKeys(item) as unknown as ConfigurationRecord),
      nextToken: page.nextToken,
    };
  }

  async updateConfiguration(record: ConfigurationRecord, previous: ConfigurationRecord): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.configuration(record.name), ...record },
          ConditionExpression: 'version = :expectedVersion',
          ExpressionAttributeValues: { ':expectedVersion': previous.version },
        },
      },
    ];
    if (record.ruleSetName !== previous.ruleSetName) {
      items.push(this.addRuleSetUser(record.ruleSetName, record.name));
      items.push(this.removeRuleSetUser(previous.ruleSetName, record.name));
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0]?.failed) {
        throw conflict(
          `Matchmaking configuration '${record.name}' was changed or deleted concurrently; retry.`,
        );
      }
      if (reasons[1]?.failed) throw notFound(`Matchmaking rule set '${record.ruleSetName}' was not found.`);
      throw error;
    }
  }

  async deleteConfiguration(record: ConfigurationRecord): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.configuration(record.name),
                ConditionExpression: 'version = :expectedVersion',
                ExpressionAttributeValues: { ':expectedVersion': record.version },
              },
            },
            this.removeRuleSetUser(record.ruleSetName, record.name),
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.failed) {
        throw conflict(
          `Matchmaking configuration '${record.name}' was changed or deleted concurrently; retry.`,
        );
      }
      throw error;
    }
  }

  private addRuleSetUser(ruleSetName: string, configurationName: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.ruleSet(ruleSetName),
        UpdateExpression: 'ADD usedBy :user',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':user': new Set([configurationName]) },
      },
    };
  }

  private removeRuleSetUser(ruleSetName: string, configurationName: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.ruleSet(ruleSetName),
        UpdateExpression: 'DELETE usedBy :user',
        ExpressionAttributeValues: { ':user': new Set([configurationName]) },
      },
    };
  }

  // ---- tickets -------------------------------------------------------------------------------

  async createTicket(ticket: TicketRecord): Promise<void> {
    const playerLocks = ticket.kind === 'matchmaking' ? ticket.players.map((p) => p.playerId) : [];
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.configuration(ticket.configurationName),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: ticketItem(ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...playerLocks.map(
        (playerId): TransactItem => ({
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.playerLock('MATCHMAKING', ticket.configurationName, playerId),
              ticketId: ticket.ticketId,
              playerId,
              configurationName: ticket.configurationName,
              createdAt: ticket.startTime,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
      ),
    ];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          // A retry of this exact write (after a lost response) must succeed, not report a clash with itself.
          ClientRequestToken: requestToken('create-ticket', ticket.ticketId, ticket.startTime),
        }),
      );
    } catch (error) {
      if (error instanceof IdempotentParameterMismatchException) throw ticketIdInUse(ticket.ticketId);
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      if (reasons[0]?.failed)
        throw notFound(`Matchmaking configuration '${ticket.configurationName}' was not found.`);
      if (reasons[1]?.failed) throw ticketIdInUse(ticket.ticketId);
      const holders = reasons
        .slice(2)
        .map((reason, index) => ({ reason, playerId: playerLocks[index]! }))
        .filter(({ reason }) => reason.failed)
        .map(({ reason, playerId }) => ({ playerId, ticketId: String(reason.item?.ticketId ?? 'unknown') }));
      if (holders.length > 0) {
        throw invalidRequest(
          `Player(s) already have an active matchmaking ticket in configuration '${ticket.configurationName}': ${holders
            .map((h) => `${h.playerId} (ticket ${h.ticketId})`)
            .join(', ')}. Stop that ticket or wait for it to end.`,
          { playersWithActiveTickets: holders },
        );
      }
      throw error;
    }
  }

  async getTickets(ticketIds: string[]): Promise<TicketRecord[]> {
    const items = await this.batchGet(ticketIds.map(keys.ticket));
    const byId = new Map(
      items.map((item) => [String(item.ticketId), stripKeys(item) as unknown as TicketRecord]),
    );
    return ticketIds.flatMap((id) => {
      const ticket = byId.get(id);
      return ticket ? [ticket] : [];
    });
  }

  async transitionTicket(ticket: TicketRecord, transition: TicketTransition): Promise<TicketRecord> {
    const next: TicketRecord = {
      ...ticket,
      status: transition.status,
      statusReason: transition.statusReason,
      statusMessage: transition.statusMessage,
      endTime: transition.endTime ?? ticket.endTime,
      version: transition.expectedVersion + 1,
    };
    const ending = !isActiveStatus(transition.status);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: ticketItem(next),
          ConditionExpression: 'version = :expectedVersion',
          ExpressionAttributeValues: { ':expectedVersion': transition.expectedVersion },
        },
      },
    ];
    if (ending && ticket.kind === 'matchmaking') {
      for (const player of ticket.players) {
        items.push({
          Delete: {
            TableName: this.tableName,
            Key: keys.playerLock('MATCHMAKING', ticket.configurationName, player.playerId),
            // Only our own lock; a missing lock (already released) is fine.
            ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticketId',
            ExpressionAttributeValues: { ':ticketId': ticket.ticketId },
          },
        });
      }
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: requestToken('transition', ticket.ticketId, transition.expectedVersion),
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)?.[0]?.failed || error instanceof IdempotentParameterMismatchException) {
        throw new SlotfillError(
          'Conflict',
          `Ticket '${ticket.ticketId}' changed while it was being updated.`,
          {
            staleTicket: ticket.ticketId,
          },
        );
      }
      throw error;
    }
    return next;
  }

  async hasActiveTickets(configurationName: string): Promise<boolean> {
    for (const status of ACTIVE_STATUSES) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'pool',
          KeyConditionExpression: 'poolPk = :poolPk',
          ExpressionAttributeValues: { ':poolPk': poolKeys.partition(configurationName, status) },
          Limit: 1,
          ProjectionExpression: 'pk',
        }),
      );
      if ((result.Items?.length ?? 0) > 0) return true;
    }
    return false;
  }

  // ---- shared mechanics ------------------------------------------------------------------------

  private async batchGet(itemKeys: ItemKey[]): Promise<Item[]> {
    const found: Item[] = [];
    const unique = [...new Map(itemKeys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: ItemKey[] = unique.slice(start, start + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...((result.Responses?.[this.tableName] as Item[] | undefined) ?? []));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys as ItemKey[] | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
    return found;
  }

  private async queryPartition(
    partition: string,
    limit: number,
    nextToken: string | undefined,
    filter?: { expression: string; values: Record<string, unknown> },
  ): Promise<Page<Item>> {
    const items: Item[] = [];
    let startKey = nextToken === undefined ? undefined : decodeNextToken(nextToken, partition);
    // A filter can leave a DynamoDB page short; keep reading until the caller's page is full.
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...(filter?.values ?? {}) },
          FilterExpression: filter?.expression,
          ExclusiveStartKey: startKey,
          Limit: limit - items.length,
          ConsistentRead: true,
        }),
      );
      items.push(...((result.Items as Item[] | undefined) ?? []));
      startKey = result.LastEvaluatedKey as ItemKey | undefined;
    } while (startKey && items.length < limit);
    const last = items[items.length - 1];
    const more = startKey !== undefined && last !== undefined;
    return {
      items,
      nextToken: more ? encodeNextToken({ pk: String(last.pk), sk: String(last.sk) }) : undefined,
    };
  }
}

function ticketItem(ticket: TicketRecord): Item {
  const active = isActiveStatus(ticket.status);
  return {
    ...keys.ticket(ticket.ticketId),
    ...ticket,
    ...(active
      ? {
          poolPk: poolKeys.partition(ticket.configurationName, ticket.status),
          poolSk: poolKeys.sort(ticket.startTime, ticket.ticketId),
        }
      : {
          expiresAt:
            Math.ceil((ticket.endTime ?? ticket.startTime) / 1000) + FINISHED_TICKET_RETENTION_SECONDS,
        }),
  };
}

function stripKeys(item: Item): Item {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}

function ticketIdInUse(ticketId: string): SlotfillError {
  return invalidRequest(`TicketId '${ticketId}' is already in use; every request needs a new ticket id.`);
}

/** ClientRequestToken is at most 36 characters; a digest keeps it deterministic per logical write. */
function requestToken(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 36);
}

function encodeNextToken(key: ItemKey): string {
  return Buffer.from(JSON.stringify([key.pk, key.sk])).toString('base64url');
}

function decodeNextToken(token: string, partition: string): ItemKey {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      decoded[0] === partition &&
      typeof decoded[1] === 'string'
    ) {
      return { pk: partition, sk: decoded[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidRequest('NextToken is not valid: pass the NextToken from the previous response unchanged.');
}

interface CancellationReason {
  failed: boolean;
  code: string;
  item?: Item;
}

/** The per-item outcome of a cancelled transaction, aligned with the items sent; undefined for other errors. */
function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => ({
    failed: reason.Code === 'ConditionalCheckFailed',
    code: reason.Code ?? 'None',
    item: reason.Item ? unmarshall(reason.Item as Record<string, DynamoAttributeValue>) : undefined,
  }));
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

async function backoff(attempt: number): Promise<void> {
  const delay = Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, delay));
}
