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
