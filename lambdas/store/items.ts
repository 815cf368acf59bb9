import { isActiveStatus } from '../engine/model';
import { keys, poolKeys } from './keys';
import {
  type MatchmakingEvent,
  type MatchmakingEventType,
  type MatchRecord,
  type TicketRecord,
  ticketHolds,
} from './records';
import type { StoredMatch, TicketChange } from './store';
import type { DynamoTable, Item, TransactItem } from './table';

/**
 * The items that transactions of several aggregates combine: a ticket's new state with the
 * release of what it held, an outbox event, a match. Each aggregate's file builds its own
 * transactions from these, so every item has one shape wherever it is written.
 */

/** How long finished tickets stay readable (DescribeMatchmaking) before TTL removes them. */
export const FINISHED_TICKET_RETENTION_SECONDS = 24 * 60 * 60;
/** How long an unpublished event stays before TTL, as a last resort. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** The stored item of a ticket: pool keys while active, TTL once ended. */
export function ticketItem(ticket: TicketRecord): Item {
  const active = isActiveStatus(ticket.status);
  return {
    ...keys.ticket(ticket.ticketId),
    ...ticket,
    ...(active
      ? {
          poolPk: poolKeys.partition(ticket.configurationName, ticket.ticketId),
          poolSk: poolKeys.sort(ticket.startTime, ticket.ticketId),
        }
      : {
          expiresAt:
            Math.ceil((ticket.endTime ?? ticket.startTime) / 1000) + FINISHED_TICKET_RETENTION_SECONDS,
        }),
  };
}

/** The ticket's new state, conditioned on the version it was read at. */
export function ticketPut(table: DynamoTable, change: TicketChange): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: ticketItem(change.after),
      ConditionExpression: 'version = :expectedVersion',
      ExpressionAttributeValues: { ':expectedVersion': change.before.version },
    },
  };
}

/** The ticket write plus, when the ticket ends, the release of what it held (locks or session slot). */
export function ticketWrites(table: DynamoTable, change: TicketChange): TransactItem[] {
  const items = [ticketPut(table, change)];
  const ending = isActiveStatus(change.before.status) && !isActiveStatus(change.after.status);
  if (!ending) return items;
  const { before } = change;
  // Only our own lock or slot; a missing one (already released) is fine.
  const release = (key: { pk: string; sk: string }): TransactItem => ({
    Delete: {
      TableName: table.name,
      Key: key,
      ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :ticketId',
      ExpressionAttributeValues: { ':ticketId': before.ticketId },
    },
  });
  const holds = ticketHolds(before);
  if (holds === 'SESSION') return [...items, release(keys.sessionBackfill(before.gameSessionArn ?? ''))];
  return [
    ...items,
    ...before.players.map((player) =>
      release(keys.playerLock(holds, before.configurationName, player.playerId)),
    ),
    // Invitations end with their ticket; those of players who joined ended when they joined.
    ...(before.invited ?? [])
      .filter((entity) => !before.players.some((player) => player.playerId === entity.id))
      .map((entity) => invitationRemoval(table, before, entity.id)),
  ];
}

/** Takes the ticket out of the player's pending invitations (nothing happens when it isn't there). */
export function invitationRemoval(table: DynamoTable, ticket: TicketRecord, playerId: string): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.invitations(ticket.configurationName, playerId),
      UpdateExpression: 'DELETE ticketIds :ticket',
      ExpressionAttributeValues: { ':ticket': new Set([ticket.ticketId]) },
    },
  };
}

/**
 * A reserved (PLACING) ticket belongs to its large match until that match is decided: moving
 * it elsewhere (a stop, a backfill replacement) abandons the match in the same transaction, so
 * the match's conditional COMMITTED flip can no longer happen. Once the match committed, this
 * condition fails and so does the move: the ticket's outcome is the match.
 */
export function reservationRelease(table: DynamoTable, ticket: TicketRecord): TransactItem[] {
  if (ticket.status !== 'PLACING' || !ticket.matchId) return [];
  return [
    {
      Update: {
        TableName: table.name,
        Key: keys.match(ticket.matchId),
        UpdateExpression: 'SET #state = :abandoned',
        ConditionExpression: '#state IN (:reserving, :abandoned)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':abandoned': 'ABANDONED', ':reserving': 'RESERVING' },
      },
    },
  ];
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

export function outboxKey(event: MatchmakingEvent): { pk: string; sk: string } {
  return keys.outbox(event.configurationName, event.time, lifecycleStage[event.type], event.eventId);
}

export function outboxPut(table: DynamoTable, event: MatchmakingEvent): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: {
        ...outboxKey(event),
        event,
        expiresAt: Math.ceil(event.time / 1000) + OUTBOX_RETENTION_SECONDS,
      },
    },
  };
}

export function matchPut(
  table: DynamoTable,
  match: MatchRecord,
  state: StoredMatch['state'],
  finalTickets?: TicketRecord[],
): TransactItem {
  return {
    Put: {
      TableName: table.name,
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
