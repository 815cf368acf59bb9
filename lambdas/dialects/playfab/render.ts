/**
 * Records → PlayFab result shapes. Status mapping (the spec's Status strings):
 *
 *   WAITING_FOR_PLAYERS                               WaitingForPlayers
 *   QUEUED, SEARCHING, REQUIRES_ACCEPTANCE, PLACING   WaitingForMatch
 *   COMPLETED                                         Matched
 *   CANCELLED                                         Canceled, reason Requested
 *   TIMED_OUT                                         Canceled, reason Timeout
 *   FAILED                                            Canceled, reason Internal
 *
 * Backfill tickets use the same strings (they never wait for players).
 */
import type { TicketStatus } from '../../engine/model';
import type { TicketEntity, TicketRecord } from '../../store/records';
import type { MatchView } from '../../usecases/matches';
import { playerToMember } from './players';
import type {
  CancellationReason,
  EntityKey,
  GetMatchmakingTicketResult,
  GetMatchResult,
  GetServerBackfillTicketResult,
  MatchmakingPlayer,
  MatchmakingTicketStatus,
} from './schemas';

const STATUS: Readonly<Record<TicketStatus, MatchmakingTicketStatus>> = {
  WAITING_FOR_PLAYERS: 'WaitingForPlayers',
  QUEUED: 'WaitingForMatch',
  SEARCHING: 'WaitingForMatch',
  REQUIRES_ACCEPTANCE: 'WaitingForMatch',
  PLACING: 'WaitingForMatch',
  COMPLETED: 'Matched',
  CANCELLED: 'Canceled',
  TIMED_OUT: 'Canceled',
  FAILED: 'Canceled',
};

const CANCELLATION: Partial<Record<TicketStatus, CancellationReason>> = {
  CANCELLED: 'Requested',
  TIMED_OUT: 'Timeout',
  FAILED: 'Internal',
};

export function ticketStatus(status: TicketStatus): MatchmakingTicketStatus {
  return STATUS[status];
}

function entityKey(entity: TicketEntity): EntityKey {
  return entity.type === undefined ? { Id: entity.id } : { Id: entity.id, Type: entity.type };
}

/** Time as the spec's DateTime travels: ISO 8601 UTC. */
function dateTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function cancellation(ticket: TicketRecord) {
  const reason = CANCELLATION[ticket.status];
  return reason === undefined ? {} : { CancellationReason: reason, CancellationReasonString: reason };
}

export function renderPlayerTicket(
  ticket: TicketRecord,
  queueName: string,
  escapeObject: boolean,
): GetMatchmakingTicketResult {
  const members: MatchmakingPlayer[] = ticket.players.map((player) => {
    // MatchmakingPlayer has no TeamId: teams are a match's business (GetMatch).
    const { TeamId: _team, ...member } = playerToMember(player, { includeAttributes: true, escapeObject });
    return member;
  });
  const creator = ticket.creator ? entityKey(ticket.creator) : (members[0]?.Entity ?? { Id: '' });
  return {
    ...cancellation(ticket),
    ChangeNumber: ticket.version,
    Created: dateTime(ticket.startTime),
    Creator: creator,
    GiveUpAfterSeconds: ticket.timeoutSeconds ?? 0,
    ...(ticket.matchId && ticket.status === 'COMPLETED' ? { MatchId: ticket.matchId } : {}),
    Members: members,
    ...(ticket.invited ? { MembersToMatchWith: ticket.invited.map(entityKey) } : {}),
    QueueName: queueName,
    Status: ticketStatus(ticket.status),
    TicketId: ticket.ticketId,
  };
}

export function renderBackfillTicket(
  ticket: TicketRecord,
  queueName: string,
  escapeObject: boolean,
): GetServerBackfillTicketResult {
  const status = ticketStatus(ticket.status);
  return {
    ...cancellation(ticket),
    Created: dateTime(ticket.startTime),
    GiveUpAfterSeconds: ticket.timeoutSeconds ?? 0,
    ...(ticket.matchId && ticket.status === 'COMPLETED' ? { MatchId: ticket.matchId } : {}),
    Members: ticket.players.map((player) =>
      playerToMember(player, { includeAttributes: true, escapeObject }),
    ),
    QueueName: queueName,
    ServerDetails: ticket.serverDetails ?? {},
    // Backfill tickets never wait for players, so only the three backfill statuses occur.
    Status: status === 'WaitingForPlayers' || status === 'WaitingForServer' ? 'WaitingForMatch' : status,
    TicketId: ticket.ticketId,
  };
}

export function renderMatch(
  view: MatchView,
  options: { returnMemberAttributes: boolean; escapeObject: boolean },
): GetMatchResult {
  return {
    MatchId: view.matchId,
    Members: view.members.map(({ player, teamId }) => {
      const member = playerToMember(player, {
        includeAttributes: options.returnMemberAttributes,
        escapeObject: options.escapeObject,
        ...(teamId === undefined ? {} : { teamId }),
      });
      if (teamId === undefined) delete member.TeamId;
      return member;
    }),
    ...(view.regionPreferences ? { RegionPreferences: view.regionPreferences } : {}),
    ...(view.serverDetails ? { ServerDetails: view.serverDetails } : {}),
  };
}
