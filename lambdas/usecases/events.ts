import { createHash } from 'node:crypto';
import type {
  ConfigurationRecord,
  EventTicket,
  MatchmakingEvent,
  MatchmakingEventType,
  MatchRecord,
  TicketRecord,
} from '../store/records';

/**
 * Derives the event id from what happened (type, subject, version), so that writing the same
 * state change twice yields the same id and consumers can de-duplicate.
 */
export function eventId(type: MatchmakingEventType, ...subject: Array<string | number>): string {
  const digest = createHash('sha256')
    .update([type, ...subject].join('\u0000'))
    .digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

export function eventTicket(ticket: TicketRecord): EventTicket {
  return {
    ticketId: ticket.ticketId,
    startTime: ticket.startTime,
    players: ticket.players.map((player) => ({
      playerId: player.playerId,
      ...(player.team ? { team: player.team } : {}),
      ...(playerSessionOf(ticket, player.playerId)
        ? { playerSessionId: playerSessionOf(ticket, player.playerId) }
        : {}),
    })),
  };
}

function playerSessionOf(ticket: TicketRecord, playerId: string): string | undefined {
  return ticket.connectionInfo?.matchedPlayerSessions.find((s) => s.playerId === playerId)?.playerSessionId;
}

/**
 * MatchmakingSearching for tickets that (re-)entered the search: new tickets leaving QUEUED, and
 * tickets whose proposed match failed acceptance. `subject` keeps the id stable per change.
 */
export function searchingEvent(
  configuration: Pick<ConfigurationRecord, 'name' | 'customEventData'>,
  tickets: TicketRecord[],
  time: number,
  subject: string[],
  estimatedWaitMillis?: number,
): MatchmakingEvent {
  return {
    eventId: eventId('MatchmakingSearching', ...subject),
    type: 'MatchmakingSearching',
    configurationName: configuration.name,
    time,
    tickets: tickets.map(eventTicket),
    ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
    ...(estimatedWaitMillis === undefined ? {} : { estimatedWaitMillis }),
  };
}

/** The event reporting that a single ticket reached `ticket.status` (cancel, time-out, failure). */
export function ticketEndedEvent(
  configuration: Pick<ConfigurationRecord, 'name' | 'customEventData'>,
  ticket: TicketRecord,
  type: 'MatchmakingCancelled' | 'MatchmakingTimedOut' | 'MatchmakingFailed',
  time: number,
  reason: string,
  message: string,
): MatchmakingEvent {
  return {
    eventId: eventId(type, ticket.ticketId, ticket.version),
    type,
    configurationName: configuration.name,
    time,
    tickets: [eventTicket(ticket)],
    ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
    reason,
    message,
  };
}

/**
 * MatchmakingSucceeded with the match's matchmaker data: every team and its players (for a
 * backfill the session's players too), each with the attributes the rules declare, the rest
 * left out as FlexMatch leaves them out of a game session's matchmaker data.
 */
export function succeededEvent(
  configuration: ConfigurationRecord,
  match: MatchRecord,
  tickets: TicketRecord[],
  time: number,
  declaredAttributes: readonly string[],
): MatchmakingEvent {
  const players = tickets.flatMap((t) => t.players);
  const declared = new Set(declaredAttributes);
  const declaredOf = (playerId: string) =>
    Object.fromEntries(
      Object.entries(players.find((p) => p.playerId === playerId)?.attributes ?? {}).filter(([name]) =>
        declared.has(name),
      ),
    );
  return {
    eventId: eventId('MatchmakingSucceeded', match.matchId),
    type: 'MatchmakingSucceeded',
    configurationName: configuration.name,
    time,
    matchId: match.matchId,
    tickets: tickets.map(eventTicket),
    ...(configuration.customEventData ? { customEventData: configuration.customEventData } : {}),
    ...(match.gameSessionArn ? { gameSessionArn: match.gameSessionArn } : {}),
    matchmakerData: {
      ...(match.backfillTicketId ? { backfillTicketId: match.backfillTicketId } : {}),
      teams: match.teams.map((team) => ({
        name: team.name,
        players: team.players.map((member) => ({
          playerId: member.playerId,
          attributes: declaredOf(member.playerId),
        })),
      })),
    },
  };
}
