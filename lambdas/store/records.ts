import type { MatchmakingQueueConfig, ServerDetails } from '../dialects/playfab/schemas';
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
  /**
   * Set for PlayFab queues, stored under the name `pf:<QueueName>` (FlexMatch names can't hold
   * ':'); their rules are `playfabQueue`, not a rule set (ruleSetName is empty).
   */
  dialect?: 'playfab';
  playfabQueue?: MatchmakingQueueConfig;
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
  /** PlayFab GiveUpAfterSeconds: the ticket's own timeout, used instead of the configuration's. */
  giveUpAfterSeconds?: number;
  /** PlayFab backfill tickets: how joining players reach the server (GetMatch returns it). */
  serverDetails?: ServerDetails;
  /** PlayFab backfill tickets hold one `LOCK#BACKFILL#<config>` item per member, released when they end. */
  backfillLocks?: boolean;
  /** PlayFab player tickets: who created the ticket and whom it waits for (WaitingForPlayers). */
  creator?: TicketEntity;
  membersToMatchWith?: TicketEntity[];
}

/** A PlayFab entity (player) named by a ticket. */
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
  /** For backfill successes: every team of the session, old and new players. */
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
