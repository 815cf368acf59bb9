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
 *   OUTBOX#<configuration>#<shard>  <time>#<stage>#<eventId>  an event waiting to be published (shard of its id)
 *   LEASE#<configuration>       LEASE                       which matchmaker worker runs passes for it (part 0 of a split pool)
 *   LEASE#<configuration>       LEASE#<n|MERGE>#OF#<split>  the worker of part n of a split pool, or of its leftovers' merge
 *   LEASE#<configuration>       SPLIT                       how many parts the configuration's pool is split into
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
  /** How many tickets the whole title opened in one partition of its counter in the window. */
  titleRate: (shard: number, windowStart: number): ItemKey => ({
    pk: `TITLERATE#${shard}`,
    sk: paddedTime(windowStart),
  }),
  match: (matchId: string): ItemKey => ({ pk: `MATCH#${matchId}`, sk: 'MATCH' }),
  /**
   * Outbox partitions of a configuration: the given shards, or every one. Publishing reads them
   * in parallel.
   */
  outboxPartitions: (configurationName: string, shards?: readonly number[]): string[] =>
    (shards ?? Array.from({ length: OUTBOX_SHARDS }, (_, shard) => shard)).map(
      (shard) => `OUTBOX#${configurationName}#${shard}`,
    ),
  /** The configuration and shard of an outbox partition key; undefined for any other key. */
  outboxPartitionOf: (pk: string): { configurationName: string; shard: number } | undefined => {
    if (!pk.startsWith('OUTBOX#')) return undefined;
    const last = pk.lastIndexOf('#');
    const shard = Number(pk.slice(last + 1));
    return last > 'OUTBOX'.length && Number.isInteger(shard)
      ? { configurationName: pk.slice('OUTBOX#'.length, last), shard }
      : undefined;
  },
  /**
   * `stage` orders events of one millisecond by lifecycle (searching before succeeded). The
   * event id picks the shard: a busy configuration's events spread over OUTBOX_SHARDS
   * partitions instead of all writing (and being deleted from) one.
   */
  outbox: (configurationName: string, time: number, stage: number, eventId: string): ItemKey => ({
    pk: `OUTBOX#${configurationName}#${shardOf(eventId, OUTBOX_SHARDS)}`,
    sk: `${paddedTime(time)}#${stage}#${eventId}`,
  }),
  /**
   * One partition per configuration: every pass of every configuration renews one lease. Part 0
   * of a split pool holds the configuration's own lease (it is also the one publisher), so the
   * unsplit worker and part 0 never run together; other parts and the merge have one per split.
   */
  lease: (configurationName: string, scope: LeaseScope = { split: 1, part: 0 }): ItemKey => ({
    pk: `LEASE#${configurationName}`,
    sk: scope.part === 0 ? 'LEASE' : `LEASE#${String(scope.part).toUpperCase()}#OF#${scope.split}`,
  }),
  /** How many parts the configuration's pool is split into (absent: one). */
  poolSplit: (configurationName: string): ItemKey => ({ pk: `LEASE#${configurationName}`, sk: 'SPLIT' }),
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

/**
 * Partitions of a configuration's pool in the `pool` index. DynamoDB gives a partition about
 * 1,000 write and 3,000 read units a second; one partition per configuration would cap it at a
 * few hundred tickets a second. Tickets spread by a hash of their id; the status stays out of
 * the key so that a ticket's moves (QUEUED → SEARCHING → …) update its index entry in place
 * (one index write) instead of deleting and re-inserting it (two). See docs/scaling.md.
 */
export const POOL_SHARDS = 16;
/** Partitions of a configuration's outbox: events spread by a hash of their id. */
export const OUTBOX_SHARDS = 16;

/**
 * Which worker of a configuration: a part of its pool (0 to split − 1), or the merge of what
 * the parts left over (docs/scaling.md).
 */
export type PoolPart = number | 'merge';

/** Whose lease: a part of a configuration's pool split into `split` parts. */
export interface LeaseScope {
  split: number;
  part: PoolPart;
}

export const poolKeys = {
  partition: (configurationName: string, ticketId: string): string =>
    `POOL#${configurationName}#${shardOf(ticketId, POOL_SHARDS)}`,
  /** Every pool partition of a configuration; a pass reads them all, in parallel. */
  partitions: (configurationName: string): string[] =>
    Array.from({ length: POOL_SHARDS }, (_, shard) => `POOL#${configurationName}#${shard}`),
  sort: (startTime: number, ticketId: string): string => `${paddedTime(startTime)}#${ticketId}`,
};

/** A stable shard in [0, shards) for an id (FNV-1a): the same id always lands in the same partition. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
