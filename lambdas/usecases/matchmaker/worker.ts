import { mapConcurrent } from '../../shared/concurrency';
import { POOL_SHARDS, type PoolPart } from '../../store/keys';
import type { PoolSlice } from '../../store/store';
import type { UseCaseContext } from '../context';
import type { EventSink } from '../event-sink';
import { MAX_MOVES_PER_PASS, type PassReport, readPassInputs, runPass } from './pass';
import { publishOutbox } from './publishing';

export interface WorkerOptions {
  /** Who holds the lease: one execution environment (Lambda) or one local service. */
  owner: string;
  /** How long the lease taken for this pass lasts. */
  leaseMs: number;
  /** Epoch ms (context's clock) the caller must be done by, e.g. its Lambda timeout less a margin. */
  deadline?: number;
  /**
   * Told when this worker changed how many parts the configuration's pool is split into, with
   * the new split's parts: their workers should start now rather than at the next dispatch
   * (AWS: one work message each).
   */
  onSplitChanged?: (configurationName: string, split: number, parts: PoolPart[]) => Promise<void>;
  /** @default TICKETS_PER_PART (tests and the capacity model pass their own) */
  ticketsPerPart?: number;
  /**
   * How old a copy of the pool's split a configuration's turn may start from (a long-lived
   * process waking the same configurations over and over); read fresh when absent. A stale
   * split is safe, if slower: every commit is conditioned on ticket versions, and the worker
   * that changes the split wakes the new parts itself.
   */
  splitMaxAgeMs?: number;
  /**
   * The outbox shards part 0 reads when it publishes, asked once the pass is done; every shard
   * when absent or when it answers undefined. Only a caller that sees every writer of the table
   * can narrow it (the local service: `takeOutboxWrites`).
   */
  outboxShards?: (configurationName: string) => readonly number[] | undefined;
  /**
   * Give the lease back after the turn: the caller runs no further turn (a one-tick invocation),
   * so a worker woken by a new ticket need not wait for the lease to lapse.
   */
  releaseAfterTurn?: boolean;
}

export type WorkerOutcome =
  | { ran: true; pass: PassReport; published: number; publishFailures: number }
  /** Another worker holds the lease: it does this work. */
  | { ran: false };

/**
 * A part's own pass reads at most this many tickets before the pool is split further: the
 * engine's CPU time grows with the pool, and one Lambda has one core's share. docs/scaling.md.
 */
export const TICKETS_PER_PART = 1000;
/** Parts at most: one pool partition each. */
export const MAX_SPLIT = POOL_SHARDS;
/** A ticket its part has not matched for this long is also offered to the merge. */
export const MERGE_AFTER_MS = 2000;
/** Tickets one merge pass looks at, at most: the oldest of each pool partition. */
export const MERGE_TICKETS = 2000;

/** The workers of a pool split into `split` parts: one per part, and the merge of leftovers. */
export function partsOf(split: number): PoolPart[] {
  if (split <= 1) return [0];
  return [...Array.from({ length: split }, (_, index) => index), 'merge'];
}

/**
 * What one part reads: part k of n takes the pool partitions p with p mod n = k (tickets are
 * spread over partitions by a hash of their id, so each part is a random sample of the pool);
 * the merge takes the oldest tickets of every partition that waited MERGE_AFTER_MS or more.
 */
export function sliceOf(split: number, part: PoolPart, now: number): PoolSlice | undefined {
  if (split <= 1) return undefined;
  if (part === 'merge')
    return {
      startedBefore: now - MERGE_AFTER_MS,
      limitPerPartition: Math.ceil(MERGE_TICKETS / POOL_SHARDS),
    };
  return {
    partitions: Array.from({ length: POOL_SHARDS }, (_, shard) => shard).filter(
      (shard) => shard % split === part,
    ),
  };
}

/**
 * One worker's turn on one part of a configuration's pool (the whole pool when it is not
 * split): take (or renew) that part's lease, run a pass over the part, and for part 0 publish
 * the configuration's events. Workers of different configurations and parts are independent
 * (nothing shared but the table), so any number run in parallel: the scheduled fan-out,
 * stream-triggered invocations, the local service's wake-ups.
 *
 * Bounded by the lease: the pass starts no write after half of it, leaving the other half for
 * writes in flight and for publishing, so a worker never acts on a lease that has lapsed and
 * another worker may have taken. Correctness never rests on the lease: every commit is
 * conditioned on ticket versions, so two workers whose pools overlap (a part and the merge, or
 * the parts of an old and a new split) still never double-match; the lease only keeps them
 * from doing the same work twice.
 *
 * Part 0 holds the configuration's own lease and is its only publisher, so events keep one
 * time order and are not published twice however the pool is split.
 */
export async function runPartWorker(
  context: UseCaseContext,
  sink: EventSink,
  configurationName: string,
  split: number,
  part: PoolPart,
  options: WorkerOptions,
): Promise<WorkerOutcome> {
  const start = context.now();
  const scope = { split, part };
  const slice = sliceOf(split, part, start);
  // An unsplit pool (under TICKETS_PER_PART tickets) is read together with the lease request:
  // one round trip less per turn, which on a busy table is much of a small pass's time. Reads
  // change nothing, so a turn that doesn't get the lease only wasted them; a split pool is big,
  // and turns that find its lease taken (a stream-triggered turn beside a running one) are
  // common enough at that rate that it is read only once the lease is held.
  const inputs = split <= 1 ? readPassInputs(context, configurationName, slice) : undefined;
  const discardInputs = () => inputs?.catch(() => undefined);
  const leased = await context.store
    .acquireLease(configurationName, options.owner, start, options.leaseMs, scope)
    .catch(async (error: unknown) => {
      await discardInputs();
      throw error;
    });
  if (!leased) {
    await discardInputs();
    return { ran: false };
  }
  const deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, start + options.leaseMs / 2);
  const partitions = slice?.partitions?.length ?? POOL_SHARDS;
  const background: Array<Promise<void>> = [];
  const pass = await runPass(context, configurationName, {
    deadline,
    ...(inputs ? { inputs } : {}),
    background: (work) => background.push(work),
    ...(slice ? { slice } : {}),
    // A part moves its share: the per-partition write rate stays what MAX_MOVES_PER_PASS allows.
    maxMoves: Math.ceil((MAX_MOVES_PER_PASS * partitions) / POOL_SHARDS),
  });
  let outcome = { published: 0, failed: 0 };
  if (part === 0) {
    // Publishing may use the lease's second half; what it leaves stays in the outbox.
    const publishUntil = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, start + options.leaseMs);
    outcome = await publishOutbox(
      context,
      sink,
      configurationName,
      publishUntil,
      options.outboxShards?.(configurationName),
    );
  }
  const splitChanged =
    part !== 'merge' && (await resplit(context, configurationName, split, part, pass, options));
  // A part that is gone gives its lease back at once, as part 0 of the new split (the
  // configuration's own lease) would otherwise wait for it to lapse.
  if (splitChanged || options.releaseAfterTurn)
    await context.store.releaseLease(configurationName, options.owner, scope);
  // Best effort, never rejects: waited for only so that nothing of this turn outlives it.
  await Promise.all(background);
  return { ran: true, pass, published: outcome.published, publishFailures: outcome.failed };
}

/** One worker's work: a part of a configuration's pool split into `split` parts (1: all of it). */
export interface WorkUnit {
  configurationName: string;
  split: number;
  part: PoolPart;
}

/** A work unit's turn: its worker's outcome, or retired when the pool is split differently now. */
export type UnitOutcome = WorkerOutcome | { ran: false; retired: true };

/**
 * One turn of a work unit's own invocation (one work message in AWS): the unit's pass, unless
 * the pool is split differently now. Then the unit retires and gives its lease back: the
 * worker that changed the split started the new parts, one of which may share that lease.
 */
export async function runUnitTurn(
  context: UseCaseContext,
  sink: EventSink,
  unit: WorkUnit,
  options: WorkerOptions,
): Promise<UnitOutcome> {
  const split = await context.store.getPoolSplit(unit.configurationName);
  if (split !== unit.split || !partsOf(split).includes(unit.part)) {
    await context.store.releaseLease(unit.configurationName, options.owner, unit);
    return { ran: false, retired: true };
  }
  return runPartWorker(context, sink, unit.configurationName, split, unit.part, options);
}

/**
 * Splits the pool further when this part's pass read more than TICKETS_PER_PART tickets, and
 * (part 0 only, which sees a fair sample) halves the split when the whole pool, estimated
 * from this part, is under a quarter of what the current split is for: a wide band, so a
 * steady load does not flip between two splits. True when this worker changed the split.
 */
async function resplit(
  context: UseCaseContext,
  configurationName: string,
  split: number,
  part: number,
  pass: PassReport,
  options: WorkerOptions,
): Promise<boolean> {
  const perPart = options.ticketsPerPart ?? TICKETS_PER_PART;
  const estimatedPool = pass.ticketsInPool * split;
  let wanted = split;
  if (pass.ticketsInPool > perPart)
    wanted = Math.min(MAX_SPLIT, nextPowerOfTwo(Math.ceil(estimatedPool / perPart)));
  else if (part === 0 && split > 1 && estimatedPool < (perPart * split) / 4) wanted = split / 2;
  if (wanted === split || !(await context.store.changePoolSplit(configurationName, split, wanted)))
    return false;
  await options.onSplitChanged?.(configurationName, wanted, partsOf(wanted));
  return true;
}

function nextPowerOfTwo(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}

/**
 * Every worker of one configuration at once, for the split the table holds: what a wake-up on
 * arrival, the local timer and a tick run. Their passes are combined into one report.
 */
export async function runConfigurationWorker(
  context: UseCaseContext,
  sink: EventSink,
  configurationName: string,
  options: WorkerOptions,
): Promise<WorkerOutcome> {
  const split = await context.store.getPoolSplit(configurationName, { maxAgeMs: options.splitMaxAgeMs });
  const parts = partsOf(split);
  const outcomes = await mapConcurrent(parts, parts.length, (part) =>
    runPartWorker(context, sink, configurationName, split, part, options),
  );
  const ran = outcomes.filter((outcome) => outcome.ran);
  if (ran.length === 0) return { ran: false };
  return {
    ran: true,
    pass: combinePassReports(ran.map((outcome) => outcome.pass)),
    published: ran.reduce((total, outcome) => total + outcome.published, 0),
    publishFailures: ran.reduce((total, outcome) => total + outcome.publishFailures, 0),
  };
}

/** One report for the passes of a configuration's parts (the merge's tickets counted again). */
export function combinePassReports(reports: PassReport[]): PassReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('combinePassReports needs at least one report');
  const combined: PassReport = {
    ...first,
    timeToMatchSeconds: [...first.timeToMatchSeconds],
    timeToFillSeconds: [...first.timeToFillSeconds],
  };
  for (const report of rest) {
    combined.ticketsInPool += report.ticketsInPool;
    combined.movedToSearching += report.movedToSearching;
    combined.timedOut += report.timedOut;
    combined.failed += report.failed;
    combined.matchesCommitted += report.matchesCommitted;
    combined.backfillsFilled += report.backfillsFilled;
    combined.matchesDropped += report.matchesDropped;
    combined.placingRecovered += report.placingRecovered;
    combined.acceptancesSettled += report.acceptancesSettled;
    combined.durationMs = Math.max(combined.durationMs, report.durationMs);
    combined.playersWaiting += report.playersWaiting;
    combined.timeToMatchSeconds.push(...report.timeToMatchSeconds);
    combined.timeToFillSeconds.push(...report.timeToFillSeconds);
    combined.cutShort ||= report.cutShort;
  }
  return combined;
}
