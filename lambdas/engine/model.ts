/**
 * The engine's vocabulary. Dialects translate their wire shapes into these types and back;
 * nothing here knows about HTTP, DynamoDB or either vendor's field names.
 */

/** A player attribute value. Exactly one representation, as in FlexMatch's AttributeValue. */
export type AttributeValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'string_list'; value: string[] }
  | { kind: 'string_number_map'; value: Record<string, number> };

export interface Player {
  playerId: string;
  attributes: Record<string, AttributeValue>;
  /** Region name → round-trip latency in milliseconds. */
  latencyInMs: Record<string, number>;
  /** Only backfill tickets carry teams: the team the player already plays on. */
  team?: string;
}

export type TicketKind = 'matchmaking' | 'backfill';

export type TicketStatus =
  /** PlayFab: the ticket waits for its invited members to join; the pass does not see it yet. */
  | 'WAITING_FOR_PLAYERS'
  | 'QUEUED'
  | 'SEARCHING'
  | 'REQUIRES_ACCEPTANCE'
  | 'PLACING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMED_OUT';

export const ACTIVE_STATUSES: readonly TicketStatus[] = [
  'WAITING_FOR_PLAYERS',
  'QUEUED',
  'SEARCHING',
  'REQUIRES_ACCEPTANCE',
  'PLACING',
];
export const TERMINAL_STATUSES: readonly TicketStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

export function isActiveStatus(status: TicketStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** A ticket as the engine sees it when forming matches. Times are epoch milliseconds. */
export interface PoolTicket {
  ticketId: string;
  kind: TicketKind;
  players: Player[];
  startTime: number;
  /** For backfill tickets: the game session being filled. */
  gameSessionId?: string;
}

/** A candidate match: team name → players on that team. Team names are expanded (`red_1`). */
export interface CandidateMatch {
  teams: Record<string, Player[]>;
}
