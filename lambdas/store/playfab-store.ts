import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { conflict, SlotfillError } from '../shared/errors';
import { ticketItem } from './dynamo-store';
import { keys, type LockNamespace, PLAYFAB_QUEUE_PREFIX } from './keys';
import type { ConfigurationRecord, TicketRecord } from './records';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** The entity key of a player who already holds a ticket (PlayFab's UsersExceedingMembershipLimit). */
export interface MembershipHolder {
  Id: string;
  Type?: string;
}

/**
 * What the PlayFab dialect keeps beyond the shared store, in the same table: queues (configuration
 * items named `pf:<QueueName>`), ticket creation with per-player membership locks, joins, and the
 * lock look-ups behind the ...ForPlayer calls. Ticket reads, transitions, the pool and matches go
 * through the shared MatchmakingStore, so the matchmaker pass sees PlayFab tickets as any other.
 */
export interface PlayFabStore {
  /** Creates the queue (previous absent) or replaces it if still at previous.version. */
  putQueue(record: ConfigurationRecord, previous?: ConfigurationRecord): Promise<void>;
  listQueues(): Promise<ConfigurationRecord[]>;
  /** Deletes the queue item; false when there was none. */
  removeQueue(configurationName: string): Promise<boolean>;
  /**
   * Writes a new ticket and one lock per player in `namespace`, atomically. When a player
   * already holds a lock, nothing is written and a LimitExceeded error lists the holders
   * (`usersExceedingMembershipLimit`) and their tickets (`heldTickets`).
   */
  createTicket(
    ticket: TicketRecord,
    namespace: LockNamespace,
    entityTypes: Map<string, string>,
  ): Promise<void>;
  /** Adds a member: the ticket's new state (conditioned on before.version) and the member's lock, atomically. */
  joinTicket(before: TicketRecord, after: TicketRecord, member: MembershipHolder): Promise<void>;
  /** Ids of tickets in the queue that invited the player (MembersToMatchWith), newest last. */
  invitations(configurationName: string, playerId: string): Promise<string[]>;
  /** The ticket id whose lock the player holds in the namespace, if any. */
  heldTicket(
    namespace: LockNamespace,
    configurationName: string,
    playerId: string,
  ): Promise<string | undefined>;
}

/**
 * One ticket write plus one lock or invitation per member must fit DynamoDB's 100-item
 * transaction (see README).
 */
export const MAX_LOCKED_MEMBERS = 98;
/** Invitations outlive their ticket's GiveUpAfterSeconds by this much before TTL removes them. */
const INVITATION_GRACE_SECONDS = 3600;

export class DynamoPlayFabStore implements PlayFabStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient,
  ) {}

  async putQueue(record: ConfigurationRecord, previous?: ConfigurationRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.configuration(record.name), ...record },
          ...(previous
            ? {
                ConditionExpression: 'version = :expectedVersion',
                ExpressionAttributeValues: { ':expectedVersion': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        throw conflict(`Queue '${record.name}' was changed concurrently; retry.`, { raced: true });
      }
      throw error;
    }
  }

  async listQueues(): Promise<ConfigurationRecord[]> {
    const queues: ConfigurationRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.configurationPartition, ':prefix': PLAYFAB_QUEUE_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (page.Items as Item[] | undefined) ?? []) {
        const { pk: _pk, sk: _sk, ...record } = item;
        queues.push(record as unknown as ConfigurationRecord);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return queues;
  }

  async removeQueue(configurationName: string): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.configuration(configurationName),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async createTicket(
    ticket: TicketRecord,
    namespace: LockNamespace,
    entityTypes: Map<string, string>,
  ): Promise<void> {
    if (ticket.players.length > MAX_LOCKED_MEMBERS)
      throw new Error(`createTicket takes at most ${MAX_LOCKED_MEMBERS} players`);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: ticketItem(ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...ticket.players.map((player) => this.lockPut(namespace, ticket, player.playerId)),
      // Invitations expire with the ticket's patience; a stale one is filtered out when read.
      ...(ticket.membersToMatchWith ?? []).map(
        (invitee): TransactItem => ({
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.invitation(ticket.configurationName, invitee.id, ticket.ticketId),
              ticketId: ticket.ticketId,
              expiresAt:
                Math.ceil(ticket.startTime / 1000) +
                (ticket.giveUpAfterSeconds ?? 3600) +
                INVITATION_GRACE_SECONDS,
            },
          },
        }),
      ),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed')
        throw conflict(`Ticket id '${ticket.ticketId}' is already in use.`);
      const holders = ticket.players.filter(
        (_player, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed',
      );
      if (holders.length === 0) throw error;
      throw membershipLimit(
        namespace,
        ticket.configurationName,
        holders.map((player) => ({ Id: player.playerId, Type: entityTypes.get(player.playerId) })),
      );
    }
  }

  async joinTicket(before: TicketRecord, after: TicketRecord, member: MembershipHolder): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: ticketItem(after),
                ConditionExpression: 'version = :expectedVersion',
                ExpressionAttributeValues: { ':expectedVersion': before.version },
              },
            },
            this.lockPut('MATCHMAKING', after, member.Id),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed')
        throw membershipLimit('MATCHMAKING', after.configurationName, [member]);
      throw conflict(`Ticket '${before.ticketId}' changed while the member was joining; retry.`, {
        staleTicket: before.ticketId,
      });
    }
  }

  async invitations(configurationName: string, playerId: string): Promise<string[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.invitation(configurationName, playerId, '').pk,
          ':prefix': keys.invitationPrefix(configurationName),
        },
        ConsistentRead: true,
      }),
    );
    return ((result.Items as Array<Record<string, unknown>> | undefined) ?? []).map((item) =>
      String(item.ticketId),
    );
  }

  async heldTicket(
    namespace: LockNamespace,
    configurationName: string,
    playerId: string,
  ): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.playerLock(namespace, configurationName, playerId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? String(result.Item.ticketId) : undefined;
  }

  private lockPut(namespace: LockNamespace, ticket: TicketRecord, playerId: string): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        // The same lock item shape the shared store writes and its ticketWrites releases.
        Item: {
          ...keys.playerLock(namespace, ticket.configurationName, playerId),
          ticketId: ticket.ticketId,
          playerId,
          configurationName: ticket.configurationName,
          createdAt: ticket.startTime,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}

function membershipLimit(
  namespace: LockNamespace,
  configurationName: string,
  holders: MembershipHolder[],
): SlotfillError {
  const kind = namespace === 'BACKFILL' ? 'backfill ticket' : 'matchmaking ticket';
  const queue = configurationName.slice(PLAYFAB_QUEUE_PREFIX.length);
  return new SlotfillError(
    'LimitExceeded',
    `User(s) ${holders.map((h) => h.Id).join(', ')} already belong to an active ${kind} in queue '${queue}'; a user may be in one ${kind} per queue. ${
      namespace === 'BACKFILL'
        ? 'Cancel it with CancelServerBackfillTicket or CancelAllServerBackfillTicketsForPlayer.'
        : 'Cancel it (CancelMatchmakingTicket / CancelAllMatchmakingTicketsForPlayer) or wait for it to end.'
    }`,
    {
      usersExceedingMembershipLimit: holders.map((h) => (h.Type ? { Id: h.Id, Type: h.Type } : { Id: h.Id })),
    },
  );
}
