import type { Player, TicketKind, TicketStatus } from '../engine/model';

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

export interface ConfigurationRecord {
  name: string;
  ruleSetName: string;
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
  acceptanceTimeout?: number;
  ruleEvaluationMetrics?: Array<{ ruleName: string; passedCount: number; failedCount: number }>;
  /** For backfill successes: every team of the session, old and new players. */
  matchmakerData?: { teams: MatchmakerDataTeam[]; backfillTicketId?: string };
}

export interface MatchRecord {
  matchId: string;
  configurationName: string;
  createdAt: number;
  ticketIds: string[];
  teams: Array<{ name: string; players: Array<{ playerId: string; ticketId: string }> }>;
  backfillTicketId?: string;
  gameSessionArn?: string;
}
