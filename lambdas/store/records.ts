import type { Player, TicketKind, TicketStatus } from '../engine/model';
import type { MatchmakingQueueConfig, ServerDetails } from '../engine/queues/definition';

/**
 * What the store persists, in the engine's terms. Times are epoch milliseconds. Dialects
 * render these into their own wire shapes.
 */
export interface RuleSetRecord {
  name: string;
  body: string;
  creationTime: number;
  tags: Array<{ key: string; value: string }>;
}

export interface GameProperty {
  key: string;
  value: string;
}

/**
 * Which rule language a configuration's rules are written in, and the rules: a FlexMatch
 * configuration names a stored rule set; a queue carries its definition and can be replaced.
 */
export type ConfigurationRules =
  | { language: 'ruleSet'; ruleSetName: string }
  | { language: 'queue'; queue: MatchmakingQueueConfig };

export type RuleLanguage = ConfigurationRules['language'];

export interface ConfigurationRecord {
  name: string;
  rules: ConfigurationRules;
  description?: string;
  requestTimeoutSeconds: number;
  acceptanceRequired: boolean;
  acceptanceTimeoutSeconds?: number;
  additionalPlayerCount: number;
  customEventData?: string;
  gameProperties: GameProperty[];
  gameSessionData?: string;
  backfillMode: 'MANUAL';
  flexMatchMode: 'STANDALONE';
  notificationTarget?: string;
  tags: Array<{ key: string; value: string }>;
  creationTime: number;
  /** Bumped on every update; updates are conditioned on it. */
  version: number;
}

/** The rule set a configuration uses, when its rules are a rule set. */
export function ruleSetNameOf(configuration: Pick<ConfigurationRecord, 'rules'>): string | undefined {
  return configuration.rules.language === 'ruleSet' ? configuration.rules.ruleSetName : undefined;
}

export interface MatchedPlayerSession {
  playerId: string;
  playerSessionId: string;
}

export interface ConnectionInfo {
  gameSessionArn: string;
  matchedPlayerSessions: MatchedPlayerSession[];
  ipAddress?: string;
  dnsName?: string;
  port?: number;
}

export interface TicketRecord {
  ticketId: string;
  kind: TicketKind;
  configurationName: string;
  status: TicketStatus;
  statusReason?: string;
  statusMessage?: string;
  players: Player[];
  startTime: number;
  endTime?: number;
  estimatedWaitTimeSeconds?: number;
  /** Backfill tickets: the session being filled. */
  gameSessionArn?: string;
  connectionInfo?: ConnectionInfo;
  matchId?: string;
  /** Bumped on every state change; every transition is conditioned on it. */
  version: number;
  /** The ticket's own timeout, used instead of the configuration's RequestTimeoutSeconds. */
  timeoutSeconds?: number;
  /** Backfill tickets without a game session: how joining players reach the server. */
  serverDetails?: ServerDetails;
  /** Who opened the ticket, and the players it waits for (WAITING_FOR_PLAYERS) until they join. */
  creator?: TicketEntity;
  invited?: TicketEntity[];
}

/**
 * What keeps a ticket exclusive, released when it ends: a matchmaking ticket holds one lock
 * per player (`MATCHMAKING`); a backfill names its game session (one active backfill per
 * session) or, without one, holds one `BACKFILL` lock per player.
 */
export function ticketHolds(
  ticket: Pick<TicketRecord, 'kind' | 'gameSessionArn'>,
): 'MATCHMAKING' | 'BACKFILL' | 'SESSION' {
  if (ticket.kind === 'matchmaking') return 'MATCHMAKING';
  return ticket.gameSessionArn ? 'SESSION' : 'BACKFILL';
}

/** A player named by a ticket, with the entity type the caller gave. */
export interface TicketEntity {
  id: string;
  type?: string;
}

export type MatchmakingEventType =
  | 'MatchmakingSearching'
  | 'PotentialMatchCreated'
  | 'AcceptMatch'
  | 'AcceptMatchCompleted'
  | 'MatchmakingSucceeded'
  | 'MatchmakingTimedOut'
  | 'MatchmakingCancelled'
  | 'MatchmakingFailed';

export interface EventTicket {
  ticketId: string;
  startTime: number;
  players: Array<{ playerId: string; team?: string; playerSessionId?: string; accepted?: boolean }>;
}

export interface MatchmakerDataTeam {
  name: string;
  players: Array<{ playerId: string; attributes: Player['attributes'] }>;
}

/**
 * A status event in the engine's terms, written to the outbox in the same transaction as the
 * state change it reports, and published after commit. The id is derived from what happened,
 * so a retried write produces the same event and consumers can de-duplicate.
 */
export interface MatchmakingEvent {
  eventId: string;
  type: MatchmakingEventType;
  configurationName: string;
  time: number;
  tickets: EventTicket[];
  customEventData?: string;
  matchId?: string;
  gameSessionArn?: string;
  estimatedWaitMillis?: number;
  reason?: string;
  message?: string;
  acceptance?: 'Accepted' | 'Rejected' | 'TimedOut';
  acceptanceRequired?: boolean;
  acceptanceTimeout?: number;
  ruleEvaluationMetrics?: Array<{ ruleName: string; passedCount: number; failedCount: number }>;
  /** For successes: every team of the match (for a backfill, the session's players too). */
  matchmakerData?: { teams: MatchmakerDataTeam[]; backfillTicketId?: string };
}

export type AcceptanceResponse = 'ACCEPT' | 'REJECT';
export type AcceptanceDecision = 'Accepted' | 'Rejected' | 'TimedOut';

/** A proposed match waiting for its players to accept (configurations with AcceptanceRequired). */
export interface MatchAcceptance {
  /** Epoch ms; players who have not accepted by then count as rejecting. */
  deadline: number;
  /** New players only: a backfill's existing players are never asked. */
  requiredPlayerIds: string[];
  responses: Record<string, AcceptanceResponse>;
  decision?: AcceptanceDecision;
  /** Every ticket's state once the match is accepted. */
  completedTickets: TicketRecord[];
}

export interface MatchRecord {
  matchId: string;
  configurationName: string;
  createdAt: number;
  ticketIds: string[];
  teams: Array<{ name: string; players: Array<{ playerId: string; ticketId: string }> }>;
  backfillTicketId?: string;
  gameSessionArn?: string;
  acceptance?: MatchAcceptance;
}
