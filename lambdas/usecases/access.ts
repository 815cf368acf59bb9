import { failure, type SlotfillError } from '../shared/errors';
import type { MatchRecord, TicketRecord } from '../store/records';

/**
 * Who is asking. A game server (GameLift's signed caller, PlayFab's title secret key) may do
 * everything; a player (PlayFab's entity token) only what the policy below allows.
 */
export type Principal = { kind: 'server' } | { kind: 'player'; playerId: string };

/** The principal of every GameLift call: requests are signed by the game's backend. */
export const GAME_SERVER: Principal = { kind: 'server' };

function notOwner(what: string): SlotfillError {
  return failure('Unauthorized', 'NotOwner', `The caller is not allowed to ${what}.`);
}

/**
 * Who may do what. Every use case asks here before it changes or reveals anything, so the
 * rules for players are in one place:
 * - a player opens tickets only as their own creator, alone (others join by invitation);
 * - a player sees and cancels only matchmaking tickets they are on (sees also when invited),
 *   and learns nothing about backfill tickets, not even their own game's;
 * - a player acts "for a player" only for themselves, and reads only matches they play in;
 * - rules (queues, configurations), backfills and group tickets are for servers only.
 */
export const policy = {
  requireServer(principal: Principal, action: string): void {
    if (principal.kind !== 'server') {
      throw failure(
        'Unauthorized',
        'ServerOnly',
        `${action} is for game servers only: call it with the game server's credentials.`,
      );
    }
  },

  /** A player may open a ticket only for themselves, as its creator and only present player. */
  requireMayOpen(principal: Principal, creatorId: string | undefined, playerIds: readonly string[]): void {
    if (principal.kind === 'server') return;
    const alone = playerIds.length === 1 && playerIds[0] === principal.playerId;
    if (creatorId !== principal.playerId || !alone) {
      throw notOwner(
        `create a ticket for '${creatorId ?? playerIds.join(', ')}': a player may only create tickets with themselves as Creator`,
      );
    }
  },

  /** The player a "for player" call is about: a player may only name themselves (and may omit it). */
  subjectOf(principal: Principal, playerId: string | undefined, action: string): string | undefined {
    if (principal.kind === 'server') return playerId;
    if (playerId !== undefined && playerId !== principal.playerId)
      throw notOwner(`${action} for '${playerId}'`);
    return principal.playerId;
  },

  requireSelf(principal: Principal, playerId: string, action: string): void {
    if (principal.kind === 'player' && principal.playerId !== playerId) {
      throw notOwner(`${action} '${playerId}': a player may only act for themselves`);
    }
  },

  /** Reading a ticket: its players and the players it invited. */
  requireMayRead(principal: Principal, ticket: TicketRecord): void {
    if (principal.kind === 'server') return;
    const invited = (ticket.invited ?? []).some((entity) => entity.id === principal.playerId);
    if (ticket.kind !== 'matchmaking' || (!isOnTicket(ticket, principal.playerId) && !invited)) {
      throw notOwner(`read ticket '${ticket.ticketId}': not a member`);
    }
  },

  /** Cancelling a ticket: only its players. */
  requireMayCancel(principal: Principal, ticket: TicketRecord): void {
    if (principal.kind === 'server') return;
    if (ticket.kind !== 'matchmaking' || !isOnTicket(ticket, principal.playerId)) {
      throw notOwner(`cancel ticket '${ticket.ticketId}': not a member`);
    }
  },

  /** Reading a match: only the players in it. */
  requireInMatch(principal: Principal, match: MatchRecord): void {
    if (principal.kind === 'server') return;
    const plays = match.teams.some((team) => team.players.some((p) => p.playerId === principal.playerId));
    if (!plays) throw notOwner(`read match '${match.matchId}': not a member`);
  },

  /** A ticket of the other kind than asked for: players learn nothing about backfills. */
  wrongKind(principal: Principal, ticket: TicketRecord): SlotfillError {
    if (principal.kind === 'player') return notOwner(`access ticket '${ticket.ticketId}'`);
    const other = ticket.kind === 'backfill' ? 'a backfill ticket' : 'a matchmaking ticket';
    return failure('InvalidRequest', 'WrongTicketKind', `Ticket '${ticket.ticketId}' is ${other}.`);
  },
};

export function isOnTicket(ticket: TicketRecord, playerId: string): boolean {
  return ticket.players.some((player) => player.playerId === playerId);
}
