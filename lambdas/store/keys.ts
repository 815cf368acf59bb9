import type { TicketStatus } from '../engine/model';

/**
 * Every key format of the single table, in one place. See docs in README "Data model".
 *
 *   pk                          sk                          item
 *   RULESET                     <name>                      rule set (body stored as given)
 *   CONFIGURATION               <name>                      matchmaking configuration
 *   TICKET#<ticketId>           TICKET                      ticket (pool GSI while active)
 *   PLAYER#<playerId>           LOCK#MATCHMAKING#<config>   one active matchmaking ticket per player per configuration
 *   PLAYER#<playerId>           LOCK#BACKFILL#<config>      one active backfill per player per configuration (backfills without a game session)
 *   PLAYER#<playerId>           INVITES#<config>            the tickets inviting the player (a capped set)
 *   SESSION#<gameSessionArn>    BACKFILL                    one active backfill ticket per game session
 *   MATCH#<matchId>             MATCH                       a committed match (teams, tickets)
 *   OUTBOX#<configuration>      <time>#<stage>#<eventId>    an event waiting to be published
 *   LEASE                       <configuration>             which matchmaker invocation runs passes for it
 *   RATE#<config>#<playerId>    <window start>              tickets the player joined in one rate window (TTL)
 *   WAITS#<configuration>       <time>#<passId>             time-to-match of the tickets one pass matched (TTL)
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export type LockNamespace = 'MATCHMAKING' | 'BACKFILL';

export const keys = {
  ruleSet: (name: string): ItemKey => ({ pk: 'RULESET', sk: name }),
  ruleSetPartition: 'RULESET',
  configuration: (name: string): ItemKey => ({ pk: 'CONFIGURATION', sk: name }),
  configurationPartition: 'CONFIGURATION',
  ticket: (ticketId: string): ItemKey => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' }),
  playerLock: (namespace: LockNamespace, configurationName: string, playerId: string): ItemKey => ({
    pk: `PLAYER#${playerId}`,
    sk: `LOCK#${namespace}#${configurationName}`,
  }),
  sessionBackfill: (gameSessionArn: string): ItemKey => ({ pk: `SESSION#${gameSessionArn}`, sk: 'BACKFILL' }),
  /**
   * The player's pending invitations in a configuration: one item holding the inviting tickets'
   * ids, so one bounded read finds them all and one condition caps how many there can be.
   */
  invitations: (configurationName: string, playerId: string): ItemKey => ({
    pk: `PLAYER#${playerId}`,
    sk: `INVITES#${configurationName}`,
  }),
  /** How many tickets a player joined in the rate window starting at `windowStart`. */
  playerRate: (configurationName: string, playerId: string, windowStart: number): ItemKey => ({
    pk: `RATE#${configurationName}#${playerId}`,
    sk: paddedTime(windowStart),
  }),
  match: (matchId: string): ItemKey => ({ pk: `MATCH#${matchId}`, sk: 'MATCH' }),
  outboxPartition: (configurationName: string): string => `OUTBOX#${configurationName}`,
  /** `stage` orders events of one millisecond by lifecycle (searching before succeeded). */
  outbox: (configurationName: string, time: number, stage: number, eventId: string): ItemKey => ({
    pk: `OUTBOX#${configurationName}`,
    sk: `${paddedTime(time)}#${stage}#${eventId}`,
  }),
  lease: (configurationName: string): ItemKey => ({ pk: 'LEASE', sk: configurationName }),
  matchWaits: (configurationName: string, time: number, passId: string): ItemKey => ({
    pk: `WAITS#${configurationName}`,
    sk: `${paddedTime(time)}#${passId}`,
  }),
  matchWaitsPartition: (configurationName: string): string => `WAITS#${configurationName}`,
  /** The sort key from which samples at or after `time` follow. */
  matchWaitsSince: (time: number): string => paddedTime(time),
};

/** Wide enough for any epoch-millisecond time until the year 5138, so string order is time order. */
const TIME_DIGITS = 14;

function paddedTime(epochMs: number): string {
  return String(Math.max(0, Math.floor(epochMs))).padStart(TIME_DIGITS, '0');
}

export const poolKeys = {
  partition: (configurationName: string, status: TicketStatus): string =>
    `POOL#${configurationName}#${status}`,
  sort: (startTime: number, ticketId: string): string => `${paddedTime(startTime)}#${ticketId}`,
};
