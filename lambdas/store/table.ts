import { createHash } from 'node:crypto';
import {
  type AttributeValue as DynamoAttributeValue,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { invalidRequest } from '../shared/errors';
import { MAX_KEY_BYTES, utf8Bytes } from '../shared/storage-limits';
import type { ItemKey } from './keys';
import { noteOutboxWrites } from './outbox-writes';
import type { Page } from './store';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Item = Record<string, unknown>;

/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
/** Attributes that exist only for keys and indexes; records never see them. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'poolPk', 'poolSk', 'expiresAt', 'usedBy'] as const;
/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;

export interface DynamoStoreOptions {
  tableName: string;
  client: DynamoDBDocumentClient;
}

/**
 * The one table every aggregate's store writes to, with the mechanics they share: batched
 * reads, paged queries and request tokens.
 */
export class DynamoTable {
  readonly name: string;
  readonly client: DynamoDBDocumentClient;

  constructor(options: DynamoStoreOptions) {
    this.name = options.tableName;
    this.client = options.client;
  }

  /**
   * ClientRequestToken is at most 36 characters; a digest keeps it deterministic per logical
   * write. The table is part of it: tokens are not scoped to a table, so two stages sharing
   * ticket ids must not take each other's writes for retries.
   */
  requestToken(...parts: Array<string | number>): string {
    return createHash('sha256')
      .update([this.name, ...parts].join('\u0000'))
      .digest('hex')
      .slice(0, 36);
  }

  /**
   * Every transaction of the store: once it committed, the outbox partitions it wrote events to
   * are noted for a publisher in this process (outbox-writes.ts).
   */
  async transact(input: TransactWriteCommandInput): Promise<void> {
    await this.client.send(new TransactWriteCommand(input));
    noteOutboxWrites(this.name, input.TransactItems ?? []);
  }

  async batchGet(itemKeys: ItemKey[]): Promise<Item[]> {
    const found: Item[] = [];
    const unique = [...new Map(itemKeys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: ItemKey[] = unique.slice(start, start + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...((result.Responses?.[this.name] as Item[] | undefined) ?? []));
        pending = (result.UnprocessedKeys?.[this.name]?.Keys as ItemKey[] | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
    return found;
  }

  /** Every item a query matches, page after page. */
  async queryAll(query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...query, TableName: this.name, ExclusiveStartKey: startKey }),
      );
      items.push(...((page.Items as Item[] | undefined) ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async queryPartition(
    partition: string,
    limit: number,
    nextToken: string | undefined,
    filter?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> },
  ): Promise<Page<Item>> {
    const items: Item[] = [];
    let startKey = nextToken === undefined ? undefined : decodeNextToken(nextToken, partition);
    // A filter can leave a DynamoDB page short; keep reading until the caller's page is full.
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.name,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...(filter?.values ?? {}) },
          ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
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

export function stripKeys(item: Item): Item {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < values.length; start += size) parts.push(values.slice(start, start + size));
  return parts;
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
      typeof decoded[1] === 'string' &&
      // Only a key the table could hold: a forged empty or oversized one would reach DynamoDB.
      decoded[1] !== '' &&
      utf8Bytes(decoded[1]) <= MAX_KEY_BYTES
    ) {
      return { pk: partition, sk: decoded[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidRequest('NextToken is not valid: pass the NextToken from the previous response unchanged.');
}

export interface CancellationReason {
  failed: boolean;
  code: string;
  item?: Item;
}

/** The per-item outcome of a cancelled transaction, aligned with the items sent; undefined for other errors. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => ({
    failed: reason.Code === 'ConditionalCheckFailed',
    code: reason.Code ?? 'None',
    item: reason.Item ? unmarshall(reason.Item as Record<string, DynamoAttributeValue>) : undefined,
  }));
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export async function backoff(attempt: number): Promise<void> {
  const delay = Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, delay));
}
