import { IdempotentParameterMismatchException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failure, notFound, SlotfillError, type TicketHolder } from '../shared/errors';
import {
  invitationRemoval,
  outboxPut,
  reservationRelease,
  ticketItem,
  ticketPut,
  ticketWrites,
} from './items';
import { keys, type LockNamespace, poolKeys } from './keys';
import { type TicketRecord, ticketHolds } from './records';
import { MAX_BATCH_TICKETS, type TicketChange, type TicketStore } from './store';
import {
  type CancellationReason,
  cancellationReasons,
  type DynamoTable,
  type Item,
  MAX_TRANSACTION_ITEMS,
  stripKeys,
  type TransactItem,
} from './table';

/**
 * Players a ticket may lock or invite: with the configuration check and the ticket itself they
 * fill DynamoDB's 100-item transaction.
 */
export const MAX_LOCKED_PLAYERS = MAX_TRANSACTION_ITEMS - 2;
/** A player's invitations outlive the latest inviting ticket's own timeout by this much before TTL removes them. */
const INVITATION_GRACE_SECONDS = 3600;
/** Invitations of a ticket without its own timeout expire after this long. */
const DEFAULT_INVITATION_SECONDS = 3600;
/**
 * Pending invitations one player may hold per configuration, so nobody can flood another's
 * invitations (and the read that lists them stays one small item).
 */
export const MAX_PENDING_INVITATIONS = 10;

/**
 * Tickets and what keeps them exclusive: per-player locks (`PLAYER#…/LOCK#<kind>#<config>`),
 * the session slot of a backfill (`SESSION#…`), and invitations (`PLAYER#…/INVITES#…`). Every
 * ticket write is conditioned on the version read; every new ticket on its configuration.
 */
export function dynamoTickets(table: DynamoTable): TicketStore {
  /** The first two items of every new ticket's transaction: its configuration exists, its id is new. */
  const newTicketItems = (ticket: TicketRecord): TransactItem[] => [
    {
      ConditionCheck: {
        TableName: table.name,
        Key: keys.configuration(ticket.configurationName),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: ticketItem(ticket),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];

  const lockPut = (kind: LockNamespace, ticket: TicketRecord, playerId: string): TransactItem => ({
    Put: {
      TableName: table.name,
      Item: {
        ...keys.playerLock(kind, ticket.configurationName, playerId),
        ticketId: ticket.ticketId,
        playerId,
        configurationName: ticket.configurationName,
        createdAt: ticket.startTime,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });

  const invitationAdd = (ticket: TicketRecord, playerId: string): TransactItem => ({
    Update: {
      TableName: table.name,
      Key: keys.invitations(ticket.configurationName, playerId),
      // Ending tickets take themselves out; TTL removes the item once the newest invitation is stale.
      UpdateExpression: 'ADD ticketIds :ticket SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(ticketIds) OR size(ticketIds) < :cap',
      ExpressionAttributeValues: {
        ':ticket': new Set([ticket.ticketId]),
        ':cap': MAX_PENDING_INVITATIONS,
        ':expiresAt':
          Math.ceil(ticket.startTime / 1000) +
          (ticket.timeoutSeconds ?? DEFAULT_INVITATION_SECONDS) +
          INVITATION_GRACE_SECONDS,
      },
    },
  });

  /** The first `limit` entries of every pool partition of a configuration, read at once. */
  function oldestOfEachPartition(
    configurationName: string,
    limit: number,
    projection?: string,
  ): Promise<Item[][]> {
    return Promise.all(
      poolKeys.partitions(configurationName).map(async (partition) => {
        const result = await table.client.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'pool',
            KeyConditionExpression: 'poolPk = :poolPk',
            ExpressionAttributeValues: { ':poolPk': partition },
            Limit: limit,
            ...(projection ? { ProjectionExpression: projection } : {}),
          }),
        );
        return (result.Items as Item[] | undefined) ?? [];
      }),
    );
  }

  return {
    async createTicket(ticket) {
      const holds = ticketHolds(ticket);
      if (holds === 'SESSION')
        throw new Error('a backfill of a game session is created with createBackfillTicket');
      const invited = ticket.invited ?? [];
      if (ticket.players.length + invited.length > MAX_LOCKED_PLAYERS)
        throw new Error(`createTicket takes at most ${MAX_LOCKED_PLAYERS} players and invitations`);
      const items: TransactItem[] = [
        ...newTicketItems(ticket),
        ...ticket.players.map((player) => lockPut(holds, ticket, player.playerId)),
        ...invited.map((entity) => invitationAdd(ticket, entity.id)),
      ];
      try {
        await table.transact({
          TransactItems: items,
          // A retry of this exact write (after a lost response) must succeed, not report a clash with itself.
          ClientRequestToken: table.requestToken('create-ticket', ticket.ticketId, ticket.startTime),
        });
      } catch (error) {
        const reasons = newTicketFailure(error, ticket);
        const holders: TicketHolder[] = ticket.players.flatMap((player, index) => {
          const reason = reasons[index + 2];
          return reason?.failed
            ? [{ playerId: player.playerId, ticketId: String(reason.item?.ticketId ?? 'unknown') }]
            : [];
        });
        if (holders.length > 0) throw membershipLimit(ticket, holders);
        const flooded = invited.filter((_, index) => reasons[index + 2 + ticket.players.length]?.failed);
        if (flooded.length > 0)
          throw invitationLimit(
            ticket,
            flooded.map((entity) => entity.id),
          );
        throw error;
      }
    },

    async createBackfillTicket(ticket, slot) {
      const { heldBy, replaced } = slot;
      const items: TransactItem[] = [
        ...newTicketItems(ticket),
        {
          // The slot must still be as we read it: empty, or held by the ticket we are replacing.
          Put: {
            TableName: table.name,
            Item: {
              ...keys.sessionBackfill(ticket.gameSessionArn ?? ''),
              ticketId: ticket.ticketId,
              gameSessionArn: ticket.gameSessionArn,
            },
            ConditionExpression: heldBy === undefined ? 'attribute_not_exists(pk)' : 'ticketId = :heldBy',
            ...(heldBy === undefined ? {} : { ExpressionAttributeValues: { ':heldBy': heldBy } }),
          },
        },
      ];
      if (replaced) {
        // Only the ticket itself: the slot is taken over above, not released.
        items.push(ticketPut(table, replaced.change), outboxPut(table, replaced.event));
        items.push(...reservationRelease(table, replaced.change.before));
      }
      try {
        await table.transact({
          TransactItems: items,
          ClientRequestToken: table.requestToken('create-backfill', ticket.ticketId, ticket.startTime),
        });
      } catch (error) {
        const reasons = newTicketFailure(error, ticket);
        if (reasons.slice(2).some((reason) => reason.failed)) {
          throw new SlotfillError('Conflict', "The game session's backfill changed concurrently.", {
            raced: true,
          });
        }
        throw error;
      }
    },

    async joinTicket(before, after, playerId) {
      try {
        await table.transact({
          TransactItems: [
            ticketPut(table, { before, after }),
            lockPut('MATCHMAKING', after, playerId),
            invitationRemoval(table, before, playerId),
          ],
          ClientRequestToken: table.requestToken('join', before.ticketId, before.version, playerId),
        });
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons?.[1]?.failed) {
          throw membershipLimit(after, [
            { playerId, ticketId: String(reasons[1].item?.ticketId ?? 'unknown') },
          ]);
        }
        if (reasons || error instanceof IdempotentParameterMismatchException)
          throw staleTicket(before.ticketId);
        throw error;
      }
    },

    async getTickets(ticketIds) {
      const items = await table.batchGet(ticketIds.map(keys.ticket));
      const byId = new Map(
        items.map((item) => [String(item.ticketId), stripKeys(item) as unknown as TicketRecord]),
      );
      return ticketIds.flatMap((id) => {
        const ticket = byId.get(id);
        return ticket ? [ticket] : [];
      });
    },

    async transitionTicket(ticket, transition, events = []) {
      const next: TicketRecord = {
        ...ticket,
        status: transition.status,
        statusReason: transition.statusReason,
        statusMessage: transition.statusMessage,
        endTime: transition.endTime ?? ticket.endTime,
        version: transition.expectedVersion + 1,
      };
      const items = [
        ...ticketWrites(table, { before: { ...ticket, version: transition.expectedVersion }, after: next }),
        ...reservationRelease(table, ticket),
        ...events.map((event) => outboxPut(table, event)),
      ];
      try {
        await table.transact({
          TransactItems: items,
          ClientRequestToken: table.requestToken('transition', ticket.ticketId, transition.expectedVersion),
        });
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
    },

    async replaceTickets(changes: TicketChange[], event) {
      if (changes.length === 0) return;
      if (changes.length > MAX_BATCH_TICKETS)
        throw new Error(`replaceTickets takes at most ${MAX_BATCH_TICKETS} tickets`);
      const items = changes.flatMap((change) => ticketWrites(table, change));
      if (event) items.push(outboxPut(table, event));
      if (items.length > MAX_TRANSACTION_ITEMS)
        throw new Error('replaceTickets: too many items for one transaction');
      try {
        await table.transact({
          TransactItems: items,
          ClientRequestToken: table.requestToken(
            'replace',
            ...changes.map((c) => `${c.before.ticketId}@${c.before.version}`),
          ),
        });
      } catch (error) {
        if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) {
          throw new SlotfillError('Conflict', 'One or more tickets changed while they were being updated.', {
            staleTickets: changes.map((c) => c.before.ticketId),
          });
        }
        throw error;
      }
    },

    async getSessionBackfill(gameSessionArn) {
      const result = await table.client.send(
        new GetCommand({
          TableName: table.name,
          Key: keys.sessionBackfill(gameSessionArn),
          ConsistentRead: true,
        }),
      );
      return result.Item ? String(result.Item.ticketId) : undefined;
    },

    async heldTicket(kind, configurationName, playerId) {
      const result = await table.client.send(
        new GetCommand({
          TableName: table.name,
          Key: keys.playerLock(kind, configurationName, playerId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? String(result.Item.ticketId) : undefined;
    },

    async invitations(configurationName, playerId) {
      const result = await table.client.send(
        new GetCommand({
          TableName: table.name,
          Key: keys.invitations(configurationName, playerId),
          ConsistentRead: true,
        }),
      );
      const ticketIds = result.Item?.ticketIds;
      return ticketIds instanceof Set ? [...(ticketIds as Set<string>)].sort() : [];
    },

    async readPool(configurationName, statuses, slice = {}) {
      if (statuses.length === 0) return [];
      const partitions = poolKeys.partitions(configurationName);
      const read = slice.partitions ? slice.partitions.map((shard) => partitions[shard]!) : partitions;
      const before = slice.startedBefore;
      const limit = slice.limitPerPartition;
      // The shards are read at once: a pass waits for the slowest partition, not for all in turn.
      const shards = await Promise.all(
        read.map(async (partition) => {
          const query = {
            IndexName: 'pool',
            // The sort key starts with the start time: "started before" is a key range.
            KeyConditionExpression:
              before === undefined ? 'poolPk = :poolPk' : 'poolPk = :poolPk AND poolSk < :before',
            FilterExpression: `#status IN (${statuses.map((_, index) => `:status${index}`).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':poolPk': partition,
              ...(before === undefined ? {} : { ':before': poolKeys.sort(before, '') }),
              ...Object.fromEntries(statuses.map((status, index) => [`:status${index}`, status])),
            },
          };
          if (limit === undefined) return table.queryAll(query);
          const page = await table.client.send(
            new QueryCommand({ ...query, TableName: table.name, Limit: limit }),
          );
          return (page.Items as Item[] | undefined) ?? [];
        }),
      );
      return shards
        .flat()
        .map((item) => stripKeys(item) as unknown as TicketRecord)
        .sort((a, b) => a.startTime - b.startTime || a.ticketId.localeCompare(b.ticketId));
    },

    async samplePool(configurationName, perPartition) {
      const shards = await oldestOfEachPartition(configurationName, perPartition);
      return shards.flat().map((item) => stripKeys(item) as unknown as TicketRecord);
    },

    async hasActiveTickets(configurationName) {
      // Only active tickets carry pool keys: any item in any shard is an active ticket.
      const shards = await oldestOfEachPartition(configurationName, 1, 'pk');
      return shards.some((items) => items.length > 0);
    },
  };
}

/**
 * Reads why a new ticket's transaction failed: a missing configuration or a reused id become
 * their errors; otherwise the per-item reasons come back for the caller's own items (index 2+).
 */
function newTicketFailure(error: unknown, ticket: TicketRecord): CancellationReason[] {
  if (error instanceof IdempotentParameterMismatchException) throw ticketIdInUse(ticket.ticketId);
  const reasons = cancellationReasons(error);
  if (!reasons) throw error;
  if (reasons[0]?.failed)
    throw notFound(`Matchmaking configuration '${ticket.configurationName}' was not found.`, {
      resource: 'configuration',
    });
  if (reasons[1]?.failed) throw ticketIdInUse(ticket.ticketId);
  return reasons;
}

function membershipLimit(ticket: TicketRecord, holders: TicketHolder[]): SlotfillError {
  const kind = ticket.kind === 'backfill' ? 'backfill' : 'matchmaking';
  return failure(
    'LimitExceeded',
    'MembershipLimit',
    `Player(s) already have an active ${kind} ticket in configuration '${ticket.configurationName}': ${holders
      .map((h) => `${h.playerId} (ticket ${h.ticketId})`)
      .join(', ')}. Stop that ticket or wait for it to end.`,
    { holders, ticketKind: ticket.kind },
  );
}

function invitationLimit(ticket: TicketRecord, playerIds: string[]): SlotfillError {
  return failure(
    'LimitExceeded',
    'InvitationLimit',
    `Player(s) ${playerIds.join(', ')} already have ${MAX_PENDING_INVITATIONS} pending invitations in configuration '${ticket.configurationName}'; invite them once one of those ends.`,
    { invitees: playerIds },
  );
}

function staleTicket(ticketId: string): SlotfillError {
  return new SlotfillError('Conflict', `Ticket '${ticketId}' changed while it was being updated.`, {
    staleTicket: ticketId,
  });
}

function ticketIdInUse(ticketId: string): SlotfillError {
  return new SlotfillError(
    'InvalidRequest',
    `TicketId '${ticketId}' is already in use; every request needs a new ticket id.`,
  );
}
