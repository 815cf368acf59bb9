import { estimateWaitSeconds, runMatchmakingPass } from '../../engine/matching';
import type { TicketStatus } from '../../engine/model';
import type { QueueProgram } from '../../engine/rules';
import { mapConcurrent } from '../../shared/concurrency';
import { SlotfillError } from '../../shared/errors';
import type { ConfigurationRecord, MatchmakingEvent, TicketRecord } from '../../store/records';
import { MAX_BATCH_TICKETS, type PoolSlice, type TicketChange } from '../../store/store';
import type { UseCaseContext } from '../context';
import { searchingEvent, ticketEndedEvent } from '../events';
import { toPoolTicket } from '../pool-tickets';
import { programOf } from '../programs';
import { RULE_REPORTS_PER_PASS, timedOutRuleMetrics } from '../rule-reports';
import { commitProposedMatch } from './commit';
import { recoverPlacing, settleDueAcceptances } from './recovery';

export interface PassReport {
  configurationName: string;
  ticketsInPool: number;
  movedToSearching: number;
  timedOut: number;
  failed: number;
  matchesCommitted: number;
  backfillsFilled: number;
  /** Proposed matches dropped because a ticket changed after the pass read it. */
  matchesDropped: number;
  placingRecovered: number;
  /** Matches awaiting acceptance that this pass decided (timed out) or finished moving. */
  acceptancesSettled: number;
  /** Wall-clock time the pass took, storage calls included. */
  durationMs: number;
  /** Players on tickets searching when the engine ran. */
  playersWaiting: number;
  /** How long each matchmaking ticket matched by this pass waited (seconds). */
  timeToMatchSeconds: number[];
  /** How long each backfill ticket filled by this pass waited (seconds). */
  timeToFillSeconds: number[];
  /** The pass reached its deadline: what it had not started yet is left for the next pass. */
  cutShort: boolean;
}

export interface PassOptions {
  /**
   * Epoch ms (context's clock) after which the pass starts no more writes: a worker passes
   * its lease's end (less a margin), so a pass never outlives the lease or the Lambda timeout.
   */
  deadline?: number;
  /** The part of the pool this pass works on (a worker of a split pool); all of it when absent. */
  slice?: PoolSlice;
  /** QUEUED tickets moved at most (a part moves its share of MAX_MOVES_PER_PASS). */
  maxMoves?: number;
  /**
   * The pass's reads, started by the caller (`readPassInputs`) before the pass may run: a
   * worker starts them together with its lease request rather than after it.
   */
  inputs?: Promise<PassInputs>;
  /**
   * Takes the pass's best-effort statistics write (how long matched tickets waited) instead of
   * the pass waiting for it: a worker publishes meanwhile and waits for it before its turn ends.
   */
  background?: (work: Promise<void>) => void;
}

/** What a pass reads before it decides anything: its configuration and its part of the pool. */
export interface PassInputs {
  configuration: ConfigurationRecord | undefined;
  pool: TicketRecord[];
}

/** Statuses a pass reads: the pool, and the tickets of matches it may have to finish. */
const POOL_STATUSES: TicketStatus[] = ['QUEUED', 'SEARCHING', 'PLACING', 'REQUIRES_ACCEPTANCE'];

/**
 * Reads a pass's inputs, the configuration and the pool at once. Reading changes nothing, so a
 * worker may start these reads before it knows it holds the lease; a pass that then doesn't
 * run only wasted them.
 */
export async function readPassInputs(
  context: UseCaseContext,
  configurationName: string,
  slice?: PoolSlice,
): Promise<PassInputs> {
  const [configuration, pool] = await Promise.all([
    context.store.getConfiguration(configurationName),
    context.store.readPool(configurationName, POOL_STATUSES, slice),
  ]);
  return { configuration, pool };
}

/** Match commits in flight at once within one pass. */
export const COMMIT_CONCURRENCY = 16;
/**
 * Other writes of a pass in flight at once: timeouts (one transaction per ticket), batches of
 * QUEUED→SEARCHING moves. Each is independent of the others, so running them together bounds
 * the pass by DynamoDB's latency instead of the number of tickets.
 */
export const WRITE_CONCURRENCY = 16;
/**
 * QUEUED tickets moved to SEARCHING by one pass at most, oldest first; the rest wait for the
 * next pass. A moved ticket costs writes on its `pool` index partition (the move, then its
 * match) and on the outbox partitions (its events, written in transactions, then deleted):
 * about 4.5 outbox units per ticket of a 2v2 (the capacity model), so 16 outbox partitions
 * take about 3,500 tickets a second. With one pass per interval (1 s), 3,000 keeps a 100k
 * backlog's drain under every partition's limit (docs/scaling.md); steady arrivals bring far
 * fewer per pass. A part of a split pool moves its share.
 */
export const MAX_MOVES_PER_PASS = 3000;
/** Attempts to move one batch of QUEUED tickets, each without the tickets that moved on. */
const MOVE_ATTEMPTS = 3;

/**
 * One matchmaking pass over one configuration: recover interrupted commits, time out old
 * tickets, move new tickets to SEARCHING, run the engine, and commit each proposed match
 * atomically against the versions the pass read. Every state change carries its events.
 */
export async function runPass(
  context: UseCaseContext,
  configurationName: string,
  options: PassOptions = {},
): Promise<PassReport> {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const startedAt = performance.now();
  const report: PassReport = {
    configurationName,
    ticketsInPool: 0,
    movedToSearching: 0,
    timedOut: 0,
    failed: 0,
    matchesCommitted: 0,
    backfillsFilled: 0,
    matchesDropped: 0,
    placingRecovered: 0,
    acceptancesSettled: 0,
    durationMs: 0,
    playersWaiting: 0,
    timeToMatchSeconds: [],
    timeToFillSeconds: [],
    cutShort: false,
  };
  const timeLeft = () => {
    if (context.now() < deadline) return true;
    report.cutShort = true;
    return false;
  };
  const { configuration, pool } = await (options.inputs ??
    readPassInputs(context, configurationName, options.slice));
  if (!configuration) return report;
  const program = await programOf(context, configuration);
  // After the reads: no ticket the pool holds started after the pass's "now".
  const now = context.now();
  report.ticketsInPool = pool.length;

  report.placingRecovered = await recoverPlacing(
    context,
    pool.filter((t) => t.status === 'PLACING'),
    now,
  );
  report.acceptancesSettled = await settleDueAcceptances(
    context,
    configuration,
    pool.filter((t) => t.status === 'REQUIRES_ACCEPTANCE'),
    now,
  );

  // A ticket's own timeout overrides the configuration's.
  const timeoutMs = (ticket: TicketRecord) =>
    (ticket.timeoutSeconds ?? configuration.requestTimeoutSeconds) * 1000;
  const live: TicketRecord[] = [];
  const expired: TicketRecord[] = [];
  for (const ticket of pool) {
    // A proposed match owns these until it is decided.
    if (ticket.status === 'PLACING' || ticket.status === 'REQUIRES_ACCEPTANCE') continue;
    if (now - ticket.startTime >= timeoutMs(ticket)) expired.push(ticket);
    else live.push(ticket);
  }
  // Explaining a time-out costs an engine run: only the first few of a mass time-out get one.
  const explained = new Set(expired.slice(0, RULE_REPORTS_PER_PASS));
  const ended = await mapConcurrent(expired, WRITE_CONCURRENCY, async (ticket) =>
    timeLeft()
      ? endQuietly(
          context,
          configuration,
          ticket,
          'TIMED_OUT',
          'MatchmakingTimedOut',
          'Removed from matchmaking due to timing out.',
          explained.has(ticket) ? timedOutRuleMetrics(program, pool, ticket, now) : undefined,
        )
      : false,
  );
  report.timedOut = ended.filter(Boolean).length;

  const queued = live.filter((t) => t.status === 'QUEUED').slice(0, options.maxMoves ?? MAX_MOVES_PER_PASS);
  const searching = await moveToSearching(
    context,
    configuration,
    program,
    queued,
    live.length,
    now,
    timeLeft,
  );
  // moveToSearching returns exactly the queued tickets it moved, in their new state.
  report.movedToSearching = searching.length;
  const current = [...live.filter((t) => t.status !== 'QUEUED'), ...searching];
  const byId = new Map(current.filter((t) => t.status === 'SEARCHING').map((t) => [t.ticketId, t]));

  const result = runMatchmakingPass(program, [...byId.values()].map(toPoolTicket), now);
  for (const ticket of byId.values()) report.playersWaiting += ticket.players.length;

  const failedBackfills = await mapConcurrent(result.invalidBackfills, WRITE_CONCURRENCY, async (invalid) => {
    const ticket = byId.get(invalid.ticketId);
    return (
      ticket !== undefined &&
      timeLeft() &&
      endQuietly(context, configuration, ticket, 'FAILED', 'MatchmakingFailed', invalid.reason)
    );
  });
  report.failed = failedBackfills.filter(Boolean).length;
  // Proposed matches share no ticket, so their commits can't conflict with each other: a few
  // run at once, which bounds the pass by DynamoDB's latency rather than by the match count.
  const declaredAttributes = program.attributes.map((attribute) => attribute.name);
  const waitSeconds: number[] = [];
  await mapConcurrent(result.matches, COMMIT_CONCURRENCY, async (match) => {
    if (!timeLeft()) return;
    if (await commitProposedMatch(context, configuration, match, byId, now, declaredAttributes)) {
      report.matchesCommitted++;
      if (match.backfillTicketId) {
        report.backfillsFilled++;
        const backfill = byId.get(match.backfillTicketId);
        if (backfill) report.timeToFillSeconds.push((now - backfill.startTime) / 1000);
      }
      for (const ticketId of match.ticketIds) {
        const ticket = byId.get(ticketId);
        if (ticket && ticket.kind === 'matchmaking') waitSeconds.push((now - ticket.startTime) / 1000);
      }
    } else {
      report.matchesDropped++;
    }
  });
  const waitsRecorded = recordWaits(context, configuration.name, now, waitSeconds);
  if (options.background) options.background(waitsRecorded);
  else await waitsRecorded;
  report.timeToMatchSeconds = waitSeconds;
  report.durationMs = Math.round(performance.now() - startedAt);
  return report;
}

/** At most this many time-to-match samples per pass (evenly spread), to keep the item small. */
const MAX_WAIT_SAMPLES = 1000;

/**
 * Keeps how long the matched tickets waited, for time-to-match statistics. Best effort: the
 * matches are committed already, and a lost sample only thins the statistics.
 */
async function recordWaits(context: UseCaseContext, configurationName: string, now: number, waits: number[]) {
  if (waits.length === 0) return;
  const step = Math.max(1, waits.length / MAX_WAIT_SAMPLES);
  const samples: number[] = [];
  for (let index = 0; index < waits.length; index += step) samples.push(waits[Math.floor(index)]!);
  await context.store
    .recordMatchWaits(configurationName, now, context.newId(), samples)
    .catch(() => undefined);
}

/** Ends one ticket with its event; false when it changed under us (the next pass sees it again). */
async function endQuietly(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  ticket: TicketRecord,
  status: Extract<TicketStatus, 'TIMED_OUT' | 'FAILED'>,
  type: 'MatchmakingTimedOut' | 'MatchmakingFailed',
  message: string,
  ruleEvaluationMetrics?: MatchmakingEvent['ruleEvaluationMetrics'],
): Promise<boolean> {
  const time = context.now();
  const after: TicketRecord = {
    ...ticket,
    status,
    statusReason: status,
    statusMessage: message,
    endTime: time,
    version: ticket.version + 1,
  };
  try {
    await context.store.replaceTickets([{ before: ticket, after }], {
      ...ticketEndedEvent(configuration, after, type, time, status, message),
      ...(ruleEvaluationMetrics ? { ruleEvaluationMetrics } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof SlotfillError && error.kind === 'Conflict') return false;
    throw error;
  }
}

async function moveToSearching(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
  program: QueueProgram,
  queued: TicketRecord[],
  poolSize: number,
  now: number,
  timeLeft: () => boolean,
): Promise<TicketRecord[]> {
  const moved = new Map<string, TicketRecord>();
  const waitingPlayers = queued.reduce((total, t) => total + t.players.length, 0);
  const recent = queued
    .filter((t) => now - t.startTime <= 60_000)
    .reduce((total, t) => total + t.players.length, 0);
  const estimate = estimateWaitSeconds(program, {
    waitingPlayers: Math.max(0, waitingPlayers + (poolSize - queued.length) - 1),
    arrivalsPerSecond: recent / 60,
  });
  const batches: TicketRecord[][] = [];
  for (let start = 0; start < queued.length; start += MAX_BATCH_TICKETS)
    batches.push(queued.slice(start, start + MAX_BATCH_TICKETS));
  // Batches share no ticket: they go together, each its own transaction with its own event.
  await mapConcurrent(batches, WRITE_CONCURRENCY, async (first) => {
    let batch = first;
    // One ticket that moved on since the read (a stop, a racing pass) fails the whole batch. The
    // batch is read again and the unchanged tickets go without it: otherwise a pool where some
    // player always cancels during the pass would never move anyone and everyone times out.
    for (let attempt = 1; batch.length > 0 && timeLeft(); attempt++) {
      const changes: TicketChange[] = batch.map((before) => ({
        before,
        after: {
          ...before,
          status: 'SEARCHING',
          ...(estimate === undefined ? {} : { estimatedWaitTimeSeconds: Math.ceil(estimate) }),
          version: before.version + 1,
        },
      }));
      const event = searchingEvent(
        configuration,
        changes.map((c) => c.after),
        now,
        batch.map((t) => `${t.ticketId}@${t.version}`),
        estimate === undefined ? undefined : Math.ceil(estimate * 1000),
      );
      try {
        await context.store.replaceTickets(changes, event);
        for (const change of changes) moved.set(change.after.ticketId, change.after);
        return;
      } catch (error) {
        if (!(error instanceof SlotfillError && error.kind === 'Conflict')) throw error;
        if (attempt >= MOVE_ATTEMPTS) return; // the rest wait for the next pass
        const reread = new Map(
          (await context.store.getTickets(batch.map((t) => t.ticketId))).map((t) => [t.ticketId, t]),
        );
        batch = batch.filter((t) => {
          const current = reread.get(t.ticketId);
          return current?.status === 'QUEUED' && current.version === t.version;
        });
      }
    }
  });
  // In the pool's order whatever order the batches finished in: the engine's input stays deterministic.
  return queued.flatMap((ticket) => moved.get(ticket.ticketId) ?? []);
}
