import type { MatchmakingEvent, MatchmakingEventType } from '../../store/records';
import { queueNameOf } from '../../usecases/programs';
import type { CancellationReason, MatchmakingTicketStatus } from './schemas';

/** The detail-type of slotfill's PlayFab ticket events (PlayFab itself has no EventBridge events). */
export const PLAYFAB_DETAIL_TYPE = 'PlayFab Matchmaking Ticket Status Changed';

/** An EventBridge entry in the shape PutEvents takes. */
export interface PlayFabEventEntry {
  Source: string;
  DetailType: typeof PLAYFAB_DETAIL_TYPE;
  Detail: string;
  Resources: string[];
  Time: Date;
  EventBusName?: string;
}

/**
 * What a ticket's status is in PlayFab's terms after each kind of event. Acceptance events have
 * no PlayFab counterpart (PlayFab queues never ask players to accept), so they produce nothing.
 */
const CHANGES: Partial<
  Record<MatchmakingEventType, { status: MatchmakingTicketStatus; cancellationReason?: CancellationReason }>
> = {
  MatchmakingSearching: { status: 'WaitingForMatch' },
  MatchmakingSucceeded: { status: 'Matched' },
  MatchmakingCancelled: { status: 'Canceled', cancellationReason: 'Requested' },
  MatchmakingTimedOut: { status: 'Canceled', cancellationReason: 'Timeout' },
  MatchmakingFailed: { status: 'Canceled', cancellationReason: 'Internal' },
};

/**
 * One entry per ticket whose PlayFab status the event changed: queue, ticket, status, match id
 * and cancellation reason, named as GetMatchmakingTicket names them. `eventId` is stable per
 * ticket and change, for de-duplication.
 */
export function toPlayFabEventEntries(
  event: MatchmakingEvent,
  source: string,
  eventBusName?: string,
): PlayFabEventEntry[] {
  const change = CHANGES[event.type];
  if (!change) return [];
  return event.tickets.map((ticket) => ({
    Source: source,
    DetailType: PLAYFAB_DETAIL_TYPE,
    Detail: JSON.stringify({
      eventId: `${event.eventId}/${ticket.ticketId}`,
      QueueName: queueNameOf(event.configurationName),
      TicketId: ticket.ticketId,
      Status: change.status,
      ...(event.type === 'MatchmakingSucceeded' && event.matchId ? { MatchId: event.matchId } : {}),
      ...(change.cancellationReason
        ? { CancellationReasonString: change.cancellationReason, Message: event.message }
        : {}),
      Members: ticket.players.map((player) => ({
        Entity: { Id: player.playerId, Type: 'title_player_account' },
        ...(player.team ? { TeamId: player.team } : {}),
      })),
    }),
    Resources: [],
    Time: new Date(event.time),
    ...(eventBusName ? { EventBusName: eventBusName } : {}),
  }));
}
