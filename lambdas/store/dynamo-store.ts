import { createHash } from 'node:crypto';
import {
  type AttributeValue as DynamoAttributeValue,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ACTIVE_STATUSES, isActiveStatus, type TicketStatus } from '../engine/model';
import { conflict, invalidRequest, notFound, SlotfillError } from '../shared/errors';
import { type ItemKey, keys, poolKeys } from './keys';
import type {
  AcceptanceDecision,
  AcceptanceResponse,
  ConfigurationRecord,
  MatchmakingEvent,
  MatchmakingEventType,
  MatchRecord,
  RuleSetRecord,
  TicketRecord,
} from './records';
import {
  type ConfigurationQuery,
  MAX_BATCH_TICKETS,
  type MatchCommit,
  type MatchmakingStore,
  type Page,
  type SessionSlotTakeover,
  type StoredMatch,
  type TicketChange,
  type TicketTransition,
} from './store';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** How long finished tickets stay readable (DescribeMatchmaking) before TTL removes them. */
export const FINISHED_TICKET_RETENTION_SECONDS = 24 * 60 * 60;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
const KEY_ATTRIBUTES = ['pk', 'sk', 'poolPk', 'poolSk', 'expiresAt', 'usedBy'] as const;
/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;
/** How long an unpublished event or a committed match stays before TTL, as a last resort. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;

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

  /** The first two items of every new ticket's transaction: its configuration exists, its id is new. */
  private newTicketItems(ticket: TicketRecord): TransactItem[] {
    return [
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
    ];
  }

  async createTicket(ticket: TicketRecord): Promise<void> {
    const playerLocks = ticket.kind === 'matchmaking' ? ticket.players.map((p) => p.playerId) : [];
    const items: TransactItem[] = [
      ...this.newTicketItems(ticket),
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
          ClientRequestToken: this.requestToken('create-ticket', ticket.ticketId, ticket.startTime),
        }),
      );
    } catch (error) {
      const reasons = newTicketFailure(error, ticket);
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

  async transitionTicket(
    ticket: TicketRecord,
    transition: TicketTransition,
    events: MatchmakingEvent[] = [],
  ): Promise<TicketRecord> {
    const next: TicketRecord = {
      ...ticket,
      status: transition.status,
      statusReason: transition.statusReason,
      statusMessage: transition.statusMessage,
      endTime: transition.endTime ?? ticket.endTime,
      version: transition.expectedVersion + 1,
    };
    const items = [
      ...this.ticketWrites({ before: { ...ticket, version: transition.expectedVersion }, after: next }),
      ...this.reservationRelease(ticket),
      ...events.map((event) => this.outboxPut(event)),
    ];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: this.requestToken('transition', ticket.ticketId, transition.expectedVersion),
        }),
      );
    } catch (error) {
      if (
        cancellationReasons(error)?.some((reason) => reason.failed) ||
        error instanceof IdempotentParameterMismatchException
      ) {
        throw staleTicket(ticket.ticketId);
      }
      throw error;
    }
    return next;
  }

  async replaceTickets(changes: TicketChange[], event?: MatchmakingEvent): Promise<void> {
    if (changes.length === 0) return;
    if (changes.length > MAX_BATCH_TICKETS)
      throw new Error(`replaceTickets takes at most ${MAX_BATCH_TICKETS} tickets`);
    const items = changes.flatMap((change) => this.ticketWrites(change));
    if (event) items.push(this.outboxPut(event));
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new Error('replaceTickets: too many items for one transaction');
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: this.requestToken(
            'replace',
            ...changes.map((c) => `${c.before.ticketId}@${c.before.version}`),
          ),
        }),
      );
    } catch (error) {
      if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) {
        throw new SlotfillError('Conflict', 'One or more tickets changed while they were being updated.', {
          staleTickets: changes.map((c) => c.before.ticketId),
        });
      }
      throw error;
    }
  }

  async createBackfillTicket(ticket: TicketRecord, slot: SessionSlotTakeover): Promise<void> {
    const { heldBy, replaced } = slot;
    const slotKey = keys.sessionBackfill(ticket.gameSessionArn ?? '');
    const items: TransactItem[] = [
      ...this.newTicketItems(ticket),
      {
        // The slot must still be as we read it: empty, or held by the ticket we are replacing.
        Put: {
          TableName: this.tableName,
          Item: { ...slotKey, ticketId: ticket.ticketId, gameSessionArn: ticket.gameSessionArn },
          ConditionExpression: heldBy === undefined ? 'attribute_not_exists(pk)' : 'ticketId = :heldBy',
          ...(heldBy === undefined ? {} : { ExpressionAttributeValues: { ':heldBy': heldBy } }),
        },
      },
    ];
    if (replaced) {
      // Only the ticket itself: the slot is taken over above, not released.
      items.push(this.ticketPut(replaced.change), this.outboxPut(replaced.event));
      items.push(...this.reservationRelease(replaced.change.before));
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: this.requestToken('create-backfill', ticket.ticketId, ticket.startTime),
        }),
      );
    } catch (error) {
      const reasons = newTicketFailure(error, ticket);
      if (reasons.slice(2).some((reason) => reason.failed)) {
        throw new SlotfillError('Conflict', "The game session's backfill changed concurrently.", {
          raced: true,
        });
      }
      throw error;
    }
  }

  async getSessionBackfill(gameSessionArn: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.sessionBackfill(gameSessionArn),
        ConsistentRead: true,
      }),
    );
    return result.Item ? String(result.Item.ticketId) : undefined;
  }

  async readPool(configurationName: string, statuses: readonly TicketStatus[]): Promise<TicketRecord[]> {
    const tickets: TicketRecord[] = [];
    for (const status of statuses) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'pool',
            KeyConditionExpression: 'poolPk = :poolPk',
            ExpressionAttributeValues: { ':poolPk': poolKeys.partition(configurationName, status) },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of (page.Items as Item[] | undefined) ?? [])
          tickets.push(stripKeys(item) as unknown as TicketRecord);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return tickets.sort((a, b) => a.startTime - b.startTime || a.ticketId.localeCompare(b.ticketId));
  }

  async commitMatch(commit: MatchCommit): Promise<void> {
    const items: TransactItem[] = [
      this.matchPut(commit.match, 'COMMITTED'),
      ...commit.tickets.flatMap((change) => this.ticketWrites(change)),
      ...commit.events.map((event) => this.outboxPut(event)),
    ];
    if (items.length <= MAX_TRANSACTION_ITEMS) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: items,
            ClientRequestToken: this.requestToken('match', commit.match.matchId),
          }),
        );
      } catch (error) {
        if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) {
          throw new SlotfillError('Conflict', `Match ${commit.match.matchId} lost a race for its tickets.`, {
            staleMatch: commit.match.matchId,
          });
        }
        throw error;
      }
      return;
    }
    await this.commitLargeMatch(commit);
  }

  /**
   * A match too big for one transaction commits in steps around a match item that moves from
   * RESERVING to COMMITTED exactly once: write the match (RESERVING, with every ticket's final
   * state), reserve each ticket (PLACING, conditioned on its version, in chunks), flip the match
   * to COMMITTED together with its events (the commit point), then move the tickets to their
   * final states. Recovery (a later pass) may flip a stale RESERVING match to ABANDONED instead
   * and release its tickets; the conditional flip guarantees only one of the two ever happens.
   */
  private async commitLargeMatch(commit: MatchCommit): Promise<void> {
    const matchId = commit.match.matchId;
    const reserved: TicketChange[] = commit.tickets.map((change) => ({
      before: change.before,
      after: { ...change.before, status: 'PLACING', matchId, version: change.before.version + 1 },
    }));
    const finals = commit.tickets.map((change) => ({ ...change.after, version: change.before.version + 2 }));
    await this.client.send(
      new TransactWriteCommand({ TransactItems: [this.matchPut(commit.match, 'RESERVING', finals)] }),
    );
    const lost = () =>
      new SlotfillError('Conflict', `Match ${matchId} lost a race for its tickets.`, { staleMatch: matchId });
    const done: TicketChange[] = [];
    for (const part of chunk(reserved, MAX_TRANSACTION_ITEMS)) {
      try {
        await this.client.send(
          new TransactWriteCommand({ TransactItems: part.map((c) => this.ticketPut(c)) }),
        );
        done.push(...part);
      } catch (error) {
        await this.abandonMatch(matchId);
        await this.releasePlacing(done.map((c) => c.after));
        if (cancellationReasons(error)) throw lost();
        throw error;
      }
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.match(matchId),
                UpdateExpression: 'SET #state = :committed',
                ConditionExpression: '#state = :reserving',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':committed': 'COMMITTED', ':reserving': 'RESERVING' },
              },
            },
            ...commit.events.map((event) => this.outboxPut(event)),
          ],
          ClientRequestToken: this.requestToken('commit-match', matchId),
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)) {
        // Recovery abandoned the match first; its tickets are (being) released.
        await this.releasePlacing(done.map((c) => c.after));
        throw lost();
      }
      throw error;
    }
    await this.finishPlacing(
      reserved.map((change) => change.after),
      finals,
    );
  }

  /** Flips a RESERVING match to ABANDONED; false when it was already committed (or abandoned). */
  async abandonMatch(matchId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.match(matchId),
          UpdateExpression: 'SET #state = :abandoned',
          ConditionExpression: '#state = :reserving',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':abandoned': 'ABANDONED', ':reserving': 'RESERVING' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Puts reserved tickets back in the pool (SEARCHING), each conditioned on its reserved version. */
  async releasePlacing(reservedTickets: TicketRecord[]): Promise<void> {
    for (const part of chunk(reservedTickets, MAX_TRANSACTION_ITEMS)) {
      for (const ticket of part) {
        const after: TicketRecord = {
          ...ticket,
          status: 'SEARCHING',
          matchId: undefined,
          version: ticket.version + 1,
        };
        // One by one: a ticket someone else already moved must not block the others.
        await this.client
          .send(new TransactWriteCommand({ TransactItems: [this.ticketPut({ before: ticket, after })] }))
          .catch((error: unknown) => {
            if (!cancellationReasons(error)) throw error;
          });
      }
    }
  }

  /** Moves reserved tickets to the final states the committed match recorded. */
  async finishPlacing(reservedTickets: TicketRecord[], finals: TicketRecord[]): Promise<void> {
    const finalById = new Map(finals.map((ticket) => [ticket.ticketId, ticket]));
    const changes = reservedTickets.flatMap((before) => {
      const after = finalById.get(before.ticketId);
      return after ? [{ before, after }] : [];
    });
    // Each ticket (with its lock releases) goes alone or in small groups to stay under 100 items.
    let batch: TransactItem[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await this.client.send(new TransactWriteCommand({ TransactItems: batch })).catch((error: unknown) => {
        // A ticket already finished by another pass is fine; anything else is retried next pass.
        if (!cancellationReasons(error)) throw error;
      });
      batch = [];
    };
    for (const change of changes) {
      const writes = this.ticketWrites(change);
      if (batch.length + writes.length > MAX_TRANSACTION_ITEMS) await flush();
      batch.push(...writes);
    }
    await flush();
  }

  async getMatch(matchId: string): Promise<StoredMatch | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.match(matchId), ConsistentRead: true }),
    );
    return result.Item ? (stripKeys(result.Item) as unknown as StoredMatch) : undefined;
  }

  async recordAcceptance(
    matchId: string,
    responses: Record<string, AcceptanceResponse>,
    nowMs: number,
    event: MatchmakingEvent,
  ): Promise<void> {
    const names: Record<string, string> = { '#acceptance': 'acceptance', '#responses': 'responses' };
    const values: Record<string, unknown> = { ':now': nowMs };
    const sets = Object.entries(responses).map(([playerId, response], index) => {
      names[`#p${index}`] = playerId;
      values[`:r${index}`] = response;
      return `#acceptance.#responses.#p${index} = :r${index}`;
    });
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.match(matchId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression:
                  'attribute_not_exists(#acceptance.decision) AND #acceptance.deadline > :now',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            this.outboxPut(event),
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)) {
        throw new SlotfillError('Conflict', `Match ${matchId} is no longer waiting for acceptance.`, {
          matchId,
        });
      }
      throw error;
    }
  }

  async decideAcceptance(
    matchId: string,
    decision: AcceptanceDecision,
    events: MatchmakingEvent[],
  ): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.match(matchId),
                UpdateExpression: 'SET #acceptance.decision = :decision',
                ConditionExpression:
                  'attribute_exists(#acceptance) AND attribute_not_exists(#acceptance.decision)',
                ExpressionAttributeNames: { '#acceptance': 'acceptance' },
                ExpressionAttributeValues: { ':decision': decision },
              },
            },
            ...events.map((event) => this.outboxPut(event)),
          ],
          ClientRequestToken: this.requestToken('decide', matchId),
        }),
      );
      return true;
    } catch (error) {
      if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) return false;
      throw error;
    }
  }

  async readOutbox(configurationName: string, limit: number): Promise<MatchmakingEvent[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outboxPartition(configurationName) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return ((page.Items as Item[] | undefined) ?? []).map((item) => item.event as MatchmakingEvent);
  }

  async deleteOutbox(events: MatchmakingEvent[]): Promise<void> {
    for (const part of chunk(events, 25)) {
      let pending: Array<Record<string, unknown>> = part.map((event) => ({
        DeleteRequest: {
          Key: keys.outbox(event.configurationName, event.time, lifecycleStage[event.type], event.eventId),
        },
      }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending =
          (result.UnprocessedItems?.[this.tableName] as Array<Record<string, unknown>> | undefined) ?? [];
        if (pending.length > 0) await backoff(attempt);
      }
    }
  }

  async acquireLease(
    configurationName: string,
    owner: string,
    nowMs: number,
    durationMs: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.lease(configurationName), owner, leaseUntil: nowMs + durationMs },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listAllConfigurationNames(): Promise<string[]> {
    const names: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.configurationPartition },
          ProjectionExpression: 'sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (page.Items as Item[] | undefined) ?? []) names.push(String(item.sk));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return names;
  }

  /**
   * ClientRequestToken is at most 36 characters; a digest keeps it deterministic per logical
   * write. The table is part of it: tokens are not scoped to a table, so two stages sharing
   * ticket ids must not take each other's writes for retries.
   */
  private requestToken(...parts: Array<string | number>): string {
    return createHash('sha256')
      .update([this.tableName, ...parts].join('\u0000'))
      .digest('hex')
      .slice(0, 36);
  }

  /** The ticket's new state, conditioned on the version it was read at. */
  private ticketPut(change: TicketChange): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: ticketItem(change.after),
        ConditionExpression: 'version = :expectedVersion',
        ExpressionAttributeValues: { ':expectedVersion': change.before.version },
      },
    };
  }

  /**
   * A reserved (PLACING) ticket belongs to its large match until that match is decided: moving
   * it elsewhere (a stop, a backfill replacement) abandons the match in the same transaction, so
   * the match's conditional COMMITTED flip can no longer happen. Once the match committed, this
   * condition fails and so does the move: the ticket's outcome is the match.
   */
  private reservationRelease(ticket: TicketRecord): TransactItem[] {
    if (ticket.status !== 'PLACING' || !ticket.matchId) return [];
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.match(ticket.matchId),
          UpdateExpression: 'SET #state = :abandoned',
          ConditionExpression: '#state IN (:reserving, :abandoned)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':abandoned': 'ABANDONED', ':reserving': 'RESERVING' },
        },
      },
    ];
  }

  /** The ticket write plus, when the ticket ends, the release of what it held. */
  private ticketWrites(change: TicketChange): TransactItem[] {
    const items = [this.ticketPut(change)];
    const ending = isActiveStatus(change.before.status) && !isActiveStatus(change.after.status);
    if (!ending) return items;
    const ownedBy = { ':ticketId': change.before.ticketId };
    if (change.before.kind === 'matchmaking') {
      for (const player of change.before.players) {
        items.push({
          Delete: {
            TableName: this.tableName,
            Key: keys.playerLock('MATCHMAKING', change.before.configurationName, player.playerId),
            // Only our own lock; a missing lock (already released) is fine.
            ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticketId',
            ExpressionAttributeValues: ownedBy,
          },
        });
      }
    } else if (change.before.backfillLocks) {
      // PlayFab backfill tickets: one backfill membership lock per member (seed 004).
      for (const player of change.before.players) {
        items.push({
          Delete: {
            TableName: this.tableName,
            Key: keys.playerLock('BACKFILL', change.before.configurationName, player.playerId),
            ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticketId',
            ExpressionAttributeValues: ownedBy,
          },
        });
      }
    } else if (change.before.gameSessionArn) {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: keys.sessionBackfill(change.before.gameSessionArn),
          ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticketId',
          ExpressionAttributeValues: ownedBy,
        },
      });
    }
    return items;
  }

  private outboxPut(event: MatchmakingEvent): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.outbox(event.configurationName, event.time, lifecycleStage[event.type], event.eventId),
          event,
          expiresAt: Math.ceil(event.time / 1000) + OUTBOX_RETENTION_SECONDS,
        },
      },
    };
  }

  private matchPut(
    match: MatchRecord,
    state: StoredMatch['state'],
    finalTickets?: TicketRecord[],
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.match(match.matchId),
          ...match,
          state,
          ...(finalTickets ? { finalTickets } : {}),
          expiresAt: Math.ceil(match.createdAt / 1000) + FINISHED_TICKET_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
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

/** The stored item of a ticket (pool keys while active, TTL once ended); the PlayFab store writes the same shape. */
export function ticketItem(ticket: TicketRecord): Item {
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

/** Where each event falls in a ticket's life, to order events written in the same millisecond. */
const lifecycleStage: Record<MatchmakingEventType, number> = {
  MatchmakingSearching: 1,
  PotentialMatchCreated: 2,
  AcceptMatch: 3,
  AcceptMatchCompleted: 4,
  MatchmakingSucceeded: 5,
  MatchmakingTimedOut: 5,
  MatchmakingCancelled: 5,
  MatchmakingFailed: 5,
};

/**
 * Reads why a new ticket's transaction failed: a missing configuration or a reused id become
 * their errors; otherwise the per-item reasons come back for the caller's own items (index 2+).
 */
function newTicketFailure(error: unknown, ticket: TicketRecord): CancellationReason[] {
  if (error instanceof IdempotentParameterMismatchException) throw ticketIdInUse(ticket.ticketId);
  const reasons = cancellationReasons(error);
  if (!reasons) throw error;
  if (reasons[0]?.failed)
    throw notFound(`Matchmaking configuration '${ticket.configurationName}' was not found.`);
  if (reasons[1]?.failed) throw ticketIdInUse(ticket.ticketId);
  return reasons;
}

function staleTicket(ticketId: string): SlotfillError {
  return new SlotfillError('Conflict', `Ticket '${ticketId}' changed while it was being updated.`, {
    staleTicket: ticketId,
  });
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < values.length; start += size) parts.push(values.slice(start, start + size));
  return parts;
}

function ticketIdInUse(ticketId: string): SlotfillError {
  return invalidRequest(`TicketId '${ticketId}' is already in use; every request needs a new ticket id.`);
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
