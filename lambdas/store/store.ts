import type { TicketStatus } from '../engine/model';
import type { LeaseScope, LockNamespace } from './keys';
import type {
  AcceptanceDecision,
  AcceptanceResponse,
  ConfigurationRecord,
  MatchmakingEvent,
  MatchRecord,
  RuleSetRecord,
  TicketRecord,
} from './records';

export interface Page<T> {
  items: T[];
  /** Opaque continuation; absent on the last page. */
  nextToken?: string;
}

export interface ConfigurationQuery {
  ruleSetName?: string;
  limit: number;
  nextToken?: string;
}

export interface TicketTransition {
  ticketId: string;
  /** The version the caller read; the write fails if the ticket moved on since. */
  expectedVersion: number;
  status: TicketStatus;
  statusReason?: string;
  statusMessage?: string;
  /** Set for terminal statuses. */
  endTime?: number;
}

export interface TicketChange {
  before: TicketRecord;
  after: TicketRecord;
}

/** What the session's backfill slot held when read, and what happens to that ticket. */
export interface SessionSlotTakeover {
  /** The ticket id the slot held when read; absent when the slot was empty. */
  heldBy?: string;
  /** The held ticket's cancellation, when it was still active. */
  replaced?: { change: TicketChange; event: MatchmakingEvent };
}

/**
 * A match as stored. Matches written in one transaction are COMMITTED at once; larger ones go
 * RESERVING → COMMITTED (or ABANDONED by recovery) and keep every ticket's final state.
 */
export interface StoredMatch extends MatchRecord {
  state: 'RESERVING' | 'COMMITTED' | 'ABANDONED';
  finalTickets?: TicketRecord[];
}

export interface MatchCommit {
  match: MatchRecord;
  tickets: TicketChange[];
  events: MatchmakingEvent[];
}

/** The part of a configuration's pool one worker reads (docs/scaling.md, "Split pools"). */
export interface PoolSlice {
  /** Pool partitions (shard numbers, 0 to POOL_SHARDS − 1) to read; every one when absent. */
  partitions?: readonly number[];
  /** Only tickets that started before this time (epoch ms): the leftovers a merge looks at. */
  startedBefore?: number;
  /** At most this many tickets from each partition, the oldest (before the status filter). */
  limitPerPartition?: number;
}

/** Ticket writes per replaceTickets call: DynamoDB's 100-item transaction, less one event. */
export const MAX_BATCH_TICKETS = 99;

/** Rule sets: immutable once created; deletion is refused while a configuration uses one. */
export interface RuleSetStore {
  createRuleSet(record: RuleSetRecord): Promise<void>;
  getRuleSets(names: string[]): Promise<RuleSetRecord[]>;
  listRuleSets(limit: number, nextToken?: string): Promise<Page<RuleSetRecord>>;
  deleteRuleSet(name: string): Promise<void>;
}

/** Configurations of either rule language (a rule set's name, or a queue definition). */
export interface ConfigurationStore {
  /** Writes a new configuration; one whose rules are a rule set is recorded as that rule set's user. */
  createConfiguration(record: ConfigurationRecord): Promise<void>;
  /**
   * The configuration as stored; with `maxAgeMs`, a copy this store read at most that long ago
   * may answer instead (its own changes drop it). A missing configuration is always read again.
   */
  getConfiguration(name: string, options?: { maxAgeMs?: number }): Promise<ConfigurationRecord | undefined>;
  getConfigurations(names: string[]): Promise<ConfigurationRecord[]>;
  listConfigurations(query: ConfigurationQuery): Promise<Page<ConfigurationRecord>>;
  /** Replaces the configuration if it is still at `previous.version`; moves rule-set usage. */
  updateConfiguration(record: ConfigurationRecord, previous: ConfigurationRecord): Promise<void>;
  deleteConfiguration(record: ConfigurationRecord): Promise<void>;
  listAllConfigurationNames(): Promise<string[]>;
}

/**
 * Tickets and what keeps them exclusive (see ticketHolds): per-player locks, the session slot
 * of a backfill, and invitations to join a ticket.
 */
export interface TicketStore {
  /**
   * Writes a new ticket with one lock per player and one invitation per invited player,
   * atomically, or nothing. Players that hold a lock already fail it with MembershipLimit.
   */
  createTicket(ticket: TicketRecord): Promise<void>;
  /**
   * Creates a backfill ticket and makes it the game session's one active backfill; a
   * previous active backfill of that session is cancelled in the same transaction.
   */
  createBackfillTicket(ticket: TicketRecord, slot: SessionSlotTakeover): Promise<void>;
  /** Adds a player: the ticket's new state (conditioned on before.version) and the player's lock, atomically. */
  joinTicket(before: TicketRecord, after: TicketRecord, playerId: string): Promise<void>;
  getTickets(ticketIds: string[]): Promise<TicketRecord[]>;
  /**
   * Moves a ticket to a new status, with the events that report it, atomically; releases its
   * players' locks (and a backfill's session slot) when the status is terminal.
   */
  transitionTicket(
    ticket: TicketRecord,
    transition: TicketTransition,
    events?: MatchmakingEvent[],
  ): Promise<TicketRecord>;
  /**
   * Replaces tickets with new states in one transaction (at most MAX_BATCH_TICKETS), each
   * conditioned on the version it was read at, plus one event. All or nothing.
   */
  replaceTickets(changes: TicketChange[], event?: MatchmakingEvent): Promise<void>;
  /** The id of the session's active backfill ticket, if any. */
  getSessionBackfill(gameSessionArn: string): Promise<string | undefined>;
  /** The ticket whose lock the player holds in the configuration, if any. */
  heldTicket(kind: LockNamespace, configurationName: string, playerId: string): Promise<string | undefined>;
  /** Ids of tickets in the configuration that invited the player. */
  invitations(configurationName: string, playerId: string): Promise<string[]>;
  /**
   * Active tickets of a configuration in the given statuses, oldest first (eventually
   * consistent); only those of `slice` when given (one worker's part of a split pool).
   */
  readPool(
    configurationName: string,
    statuses: readonly TicketStatus[],
    slice?: PoolSlice,
  ): Promise<TicketRecord[]>;
  /**
   * The oldest `perPartition` active tickets of each pool partition, any status: a bounded look
   * at who waits, for reports that can't afford the whole pool (eventually consistent).
   */
  samplePool(configurationName: string, perPartition: number): Promise<TicketRecord[]>;
  /** Whether any ticket of the configuration is still active. */
  hasActiveTickets(configurationName: string): Promise<boolean>;
}

/** Matches, including the multi-step commit of matches too large for one transaction. */
export interface MatchStore {
  /** Writes a match and every ticket's new state, lock releases and events: all or nothing. */
  commitMatch(commit: MatchCommit): Promise<void>;
  getMatch(matchId: string): Promise<StoredMatch | undefined>;
  /** Finishes a multi-step match commit: reserved (PLACING) tickets take their recorded final states. */
  finishPlacing(reservedTickets: TicketRecord[], finals: TicketRecord[]): Promise<void>;
  /** Flips a RESERVING match to ABANDONED; false when it was committed (or abandoned) already. */
  abandonMatch(matchId: string): Promise<boolean>;
  /** Puts reserved (PLACING) tickets back to SEARCHING, each conditioned on its version. */
  releasePlacing(reservedTickets: TicketRecord[]): Promise<void>;
}

/** Players' answers to a match awaiting acceptance, and its one decision. */
export interface AcceptanceStore {
  /**
   * Records players' answers on a match awaiting acceptance, with the AcceptMatch event;
   * refused (Conflict) once the match is decided or past its deadline.
   */
  recordAcceptance(
    matchId: string,
    responses: Record<string, AcceptanceResponse>,
    nowMs: number,
    event: MatchmakingEvent,
  ): Promise<void>;
  /** Decides a match awaiting acceptance exactly once, with the events announcing it; false if already decided. */
  decideAcceptance(
    matchId: string,
    decision: AcceptanceDecision,
    events: MatchmakingEvent[],
  ): Promise<boolean>;
}

/** Events written with the changes they report, until they are published. */
export interface OutboxStore {
  /**
   * Events not yet published, oldest first: up to `limit` from each of the configuration's
   * outbox shards (only the given ones when `shards` is set).
   */
  readOutbox(
    configurationName: string,
    limit: number,
    shards?: readonly number[],
  ): Promise<MatchmakingEvent[]>;
  /**
   * The outbox shards this process committed events of the configuration to since the last
   * call (and forgets them): what a publisher needs to read when every writer of the table is
   * in this process. Other processes' writes are not among them.
   */
  takeOutboxWrites(configurationName: string): number[];
  deleteOutbox(events: MatchmakingEvent[]): Promise<void>;
}

/** Which matchmaker invocation runs passes for a configuration (or a part of its pool). */
export interface LeaseStore {
  /**
   * Takes or renews the matchmaker lease of a part of a configuration's pool (part 0, the
   * configuration's own lease, by default); false when another owner holds it.
   */
  acquireLease(
    configurationName: string,
    owner: string,
    nowMs: number,
    durationMs: number,
    scope?: LeaseScope,
  ): Promise<boolean>;
  /** Gives a lease back before it lapses (only its owner can); nothing when someone else holds it. */
  releaseLease(configurationName: string, owner: string, scope?: LeaseScope): Promise<void>;
  /**
   * How many parts the configuration's pool is split into: 1 until a worker split it. With
   * `maxAgeMs`, a copy this store read at most that long ago may answer (its own change drops it).
   */
  getPoolSplit(configurationName: string, options?: { maxAgeMs?: number }): Promise<number>;
  /** Changes the split from `from` to `to`; false when another worker changed it first. */
  changePoolSplit(configurationName: string, from: number, to: number): Promise<boolean>;
}

/** One player counted once in a rate window (what giving the count back needs). */
/** What a rate counter counts: one player's tickets in a configuration, or every ticket the title opens. */
export type RateCounter =
  | { scope: 'player'; configurationName: string; playerId: string }
  /** `spreadBy` (a ticket id) picks one of the title counter's partitions. */
  | { scope: 'title'; spreadBy: string };

export interface RateRequest {
  counter: RateCounter;
  window: { start: number; lengthMs: number };
  /** Admissions allowed in the window. */
  limit: number;
}

/** One counted admission, as needed to give it back. */
export interface RateAdmission {
  request: RateRequest;
  /** The counter's value right after this admission. */
  hits: number;
}

/** Fixed-window admission counters (per player and configuration, and per title). */
export interface RateLimitStore {
  /**
   * Counts one admission on each counter; not admitted (and the others' counts given back) when
   * a counter was already at its limit in its window.
   */
  admit(
    requests: readonly RateRequest[],
  ): Promise<{ admitted: true; admissions: RateAdmission[] } | { admitted: false; limited: RateRequest[] }>;
  /** Undoes admissions of a request that failed after all, leaving no trace of it. */
  giveBackAdmissions(admissions: readonly RateAdmission[]): Promise<void>;
}

/** Time-to-match samples, for the queues' time-to-match statistics. */
export interface StatisticsStore {
  /** Keeps the seconds each ticket a pass matched had waited (one item per pass). */
  recordMatchWaits(
    configurationName: string,
    time: number,
    passId: string,
    waitSeconds: number[],
  ): Promise<void>;
  /** Every sample recorded at or after `sinceMs`. */
  readMatchWaits(configurationName: string, sinceMs: number): Promise<number[]>;
}

/**
 * Everything slotfill keeps, behind one interface made of one part per aggregate. The DynamoDB
 * implementation owns every key, condition and transaction; use cases only speak in records.
 */
export type MatchmakingStore = RuleSetStore &
  ConfigurationStore &
  TicketStore &
  MatchStore &
  AcceptanceStore &
  OutboxStore &
  LeaseStore &
  StatisticsStore &
  RateLimitStore;
