import { availableParallelism } from 'node:os';
import type { TicketArrivals } from '../usecases/context';

/**
 * Configuration runs in flight at once. Every run reads its 16 pool partitions (and the outbox
 * shards written) from the one DynamoDB Local beside it: more runs at once than the machine has
 * cores only make each of them, and the requests, wait longer (docs/scaling.md, time to match).
 */
export const LOCAL_CONCURRENT_RUNS = Math.max(2, availableParallelism());
/**
 * An idle configuration (its last run found no ticket and published nothing) is swept once in
 * this many sweeps. Nothing in it can fall due (no ticket to time out, no acceptance deadline,
 * no event waiting: API calls write events only for tickets that are in the pool), and a new
 * ticket wakes its worker at once; the occasional sweep is the net under that wake-up.
 */
export const IDLE_SWEEP_EVERY = 10;

export interface SchedulerOptions {
  /** @default LOCAL_CONCURRENT_RUNS */
  maxConcurrentRuns?: number;
  /**
   * Whether new tickets wake their worker (`ticketQueued`). When they don't, the sweep is the
   * only trigger there is, so it visits every configuration every time, idle or not.
   * @default true
   */
  wakeOnArrival?: boolean;
}

/** What a run tells the scheduler: whether it found nothing to do. */
export interface RunResult {
  idle: boolean;
}

/**
 * The local matchmaker's trigger, as AWS triggers it: a new ticket wakes a worker for its
 * configuration at once (the table's stream does this in AWS), and a periodic sweep wakes one
 * for every configuration (the scheduled fan-out, the safety net for timeouts, expansions and
 * acceptance deadlines). Per configuration at most one worker runs here; a wake-up during its
 * run makes it run once more after it, so arrivals during a pass coalesce into the next one.
 * Different configurations run in parallel, each worker under its configuration's lease, at
 * most `maxConcurrentRuns` at once; woken configurations wait for a free run in the order they
 * were woken, so a busy one does not keep the others out.
 */
export class LocalMatchmakerScheduler implements TicketArrivals {
  private readonly running = new Map<string, Promise<void>>();
  /** Woken and waiting for a run, in the order woken (a Set keeps insertion order). */
  private readonly due = new Set<string>();
  /** Configurations whose last run was idle, with the sweeps skipped since. */
  private readonly idleSweepsSkipped = new Map<string, number>();
  private stopped = false;

  private readonly maxConcurrentRuns: number;
  private readonly idleSweepEvery: number;

  constructor(
    private readonly runWorker: (configurationName: string) => Promise<RunResult>,
    private readonly listConfigurations: () => Promise<string[]>,
    private readonly reportError: (error: unknown) => void,
    options: SchedulerOptions = {},
  ) {
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? LOCAL_CONCURRENT_RUNS;
    this.idleSweepEvery = options.wakeOnArrival === false ? 1 : IDLE_SWEEP_EVERY;
  }

  ticketQueued(configurationName: string): void {
    this.wake(configurationName);
  }

  wake(configurationName: string): void {
    if (this.stopped) return;
    this.idleSweepsSkipped.delete(configurationName);
    this.due.add(configurationName);
    this.startDueRuns();
  }

  /** Wakes a worker for every configuration (the timer's safety net), idle ones now and then. */
  async sweep(): Promise<void> {
    const names = await this.listConfigurations().catch((error: unknown) => {
      this.reportError(error);
      return [];
    });
    for (const name of names) {
      const skipped = this.idleSweepsSkipped.get(name);
      if (skipped !== undefined && skipped + 1 < this.idleSweepEvery) {
        this.idleSweepsSkipped.set(name, skipped + 1);
        continue;
      }
      this.wake(name);
    }
  }

  /** Resolves once no worker runs (none starts after stop). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.due.clear();
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private startDueRuns(): void {
    for (const name of this.due) {
      if (this.stopped || this.running.size >= this.maxConcurrentRuns) return;
      // Running already: it runs again once this run ends (coalescing the wake-ups).
      if (this.running.has(name)) continue;
      this.due.delete(name);
      const run = this.runWorker(name)
        .then(
          (result) => {
            if (result.idle && !this.due.has(name)) this.idleSweepsSkipped.set(name, 0);
          },
          (error: unknown) => this.reportError(error),
        )
        .finally(() => {
          this.running.delete(name);
          this.startDueRuns();
        });
      this.running.set(name, run);
    }
  }
}

/**
 * How often a local run reads every outbox shard of its configuration rather than the ones this
 * process wrote to: the bound on how late an event another process wrote is published.
 */
export const FULL_OUTBOX_READ_EVERY_MS = 5000;

/**
 * Which outbox shards a local run publishes from. Every writer of the table is in the local
 * service's process (handlers and matchmaker alike), so a run reads the shards this process
 * wrote to since the last run; every shard on a configuration's first run, every
 * FULL_OUTBOX_READ_EVERY_MS after, and after a failed run or delivery, for what another
 * process (a tool, a test) may have written or a failure left behind.
 */
export class LocalOutboxReads {
  private readonly lastFullRead = new Map<string, number>();

  constructor(
    private readonly takeWrites: (configurationName: string) => number[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The shards to read now; undefined for every shard. */
  shardsFor(configurationName: string): readonly number[] | undefined {
    const written = this.takeWrites(configurationName);
    const now = this.now();
    const last = this.lastFullRead.get(configurationName) ?? Number.NEGATIVE_INFINITY;
    if (now - last < FULL_OUTBOX_READ_EVERY_MS) return written;
    this.lastFullRead.set(configurationName, now);
    return undefined;
  }

  /** The run failed or some events were not delivered: its next run reads every shard. */
  failed(configurationName: string): void {
    this.lastFullRead.delete(configurationName);
  }
}
