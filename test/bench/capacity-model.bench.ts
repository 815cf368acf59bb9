/**
 * Capacity model: the real matchmaker code (runConfigurationWorker: pass, engine, commits,
 * publishing) against a simulated DynamoDB on a virtual clock. The simulation charges every
 * read and write to the partition the real key functions (keys.ts, items.ts) put it in,
 * including the `pool` index, with DynamoDB's published costs (1 WCU per KB written, twice in
 * a transaction; 0.5 RCU per 4 KB eventually consistent, 1 RCU strongly consistent) and limits
 * (1,000 WCU and 3,000 RCU a second per partition), and gives each call a fixed latency. The
 * engine's CPU time is measured for real and added to the virtual clock (scaled to a 1,024 MB
 * Lambda). See docs/scaling.md for the assumptions.
 *
 * Scenarios: 2,000 tickets/s into one 2v2 configuration (time to match, busiest partition),
 * and a 100,000-ticket backlog drained by one worker invocation (55 s budget).
 * The baseline, from the same traffic: what the busiest partition would have taken with one
 * pool and one outbox partition per configuration (the unsharded layout).
 * Run: npx tsx test/bench/capacity-model.bench.ts
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mapConcurrent } from '../../lambdas/shared/concurrency';
import { SlotfillError } from '../../lambdas/shared/errors';
import { outboxKey, ticketItem } from '../../lambdas/store/items';
import { keys, type LeaseScope, POOL_SHARDS, type PoolPart, poolKeys } from '../../lambdas/store/keys';
import type {
  ConfigurationRecord,
  MatchmakingEvent,
  RuleSetRecord,
  TicketRecord,
} from '../../lambdas/store/records';
import type { MatchmakingStore, PoolSlice, TicketChange } from '../../lambdas/store/store';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import type { EventSink } from '../../lambdas/usecases/event-sink';
import { runUnitTurn, TICKETS_PER_PART } from '../../lambdas/usecases/matchmaker';
import { twoVersusTwoSkill } from '../support/rule-sets';
import { ownCpuMs } from './cpu';
import { SKILL_5V5_BENCH } from './matching.bench';

/** Published per-partition limits (DynamoDB developer guide, "partitions and data distribution"). */
const PARTITION_WCU = 1000;
const PARTITION_RCU = 3000;
/** Latencies per call (ms): DynamoDB's single-digit-ms reads/writes, transactions about twice that. */
const LATENCY = { get: 5, put: 5, queryPage: 10, transact: 15, batchWrite: 10, putEvents: 20 };
/** A 1,024 MB Lambda has about 0.58 of a vCPU: measured CPU time counts this many times. */
const CPU_FACTOR = 1.7;
/** The deployed pass interval: a worker invocation starts a turn this often (runTurns). */
const INTERVAL_MS = Number(process.env.BENCH_MODEL_INTERVAL_MS ?? 1000);
/** As leaseMsOf gives it: interval × 3 + the 5 s safety margin. */
const LEASE_MS = INTERVAL_MS * 3 + 5000;
const PAGE_BYTES = 1024 * 1024;
const EPOCH = Date.UTC(2026, 0, 1);

// ---- virtual clock -------------------------------------------------------------------------

/** Which Lambda invocation (work unit) the code running now belongs to: each has its own CPU. */
const lanes = new AsyncLocalStorage<string>();

/**
 * A virtual clock for several Lambda invocations at once. Every timer belongs to the lane
 * (invocation) that set it; the synchronous work a timer's continuation runs is that lane's CPU
 * time, measured for real, and delays only that lane: its work starts when the lane is free,
 * and the timers it sets start when its CPU time is spent. Other lanes run meanwhile.
 */
class VirtualClock {
  now = 0;
  private timers: Array<{ at: number; seq: number; lane: string; resolve: () => void }> = [];
  private seq = 0;
  cpuMs = 0;
  /** lane → virtual time its CPU is busy until */
  private readonly busyUntil = new Map<string, number>();
  /** The segment running now: when its CPU started (process CPU ms) and where it started (virtual). */
  private segment = { cpuStart: 0, excludedMs: 0, virtualStart: 0, active: false };

  /** Runs simulator work whose CPU time must not count as the matchmaker's. */
  untimed<T>(work: () => T): T {
    const started = ownCpuMs();
    try {
      return work();
    } finally {
      this.segment.excludedMs += ownCpuMs() - started;
    }
  }

  private liveCpu(): number {
    if (!this.segment.active) return 0;
    return Math.max(0, ownCpuMs() - this.segment.cpuStart - this.segment.excludedMs) * CPU_FACTOR;
  }

  /** The virtual time as the running lane sees it: its start plus the CPU it has spent so far. */
  current(): number {
    return this.segment.active ? this.segment.virtualStart + this.liveCpu() : this.now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({
        at: this.current() + ms,
        seq: this.seq++,
        lane: lanes.getStore() ?? 'main',
        resolve,
      });
    });
  }

  /** Runs until `done()` or no timer is left. */
  async run(done: () => boolean): Promise<void> {
    let lane = 'main';
    for (;;) {
      this.segment = {
        cpuStart: ownCpuMs(),
        excludedMs: 0,
        virtualStart: Math.max(this.now, this.busyUntil.get(lane) ?? 0),
        active: true,
      };
      await new Promise((resolve) => setImmediate(resolve));
      const cpu = this.liveCpu();
      const end = this.segment.virtualStart + cpu;
      this.segment.active = false;
      this.cpuMs += cpu;
      this.busyUntil.set(lane, end);
      // Timers the segment set carry its live time; one due before `end` (a reply to a call
      // sent mid-segment) still waits for the lane's CPU: its segment starts at busyUntil.
      if (done() || this.timers.length === 0) {
        if (process.env.BENCH_MODEL_TRACE === '1')
          process.stderr.write(`clock stops at ${this.now}: done ${done()}, timers ${this.timers.length}\n`);
        return;
      }
      let next = 0;
      for (let index = 1; index < this.timers.length; index++) {
        const t = this.timers[index]!;
        const best = this.timers[next]!;
        if (t.at < best.at || (t.at === best.at && t.seq < best.seq)) next = index;
      }
      const [timer] = this.timers.splice(next, 1);
      this.now = Math.max(this.now, timer!.at);
      lane = timer!.lane;
      timer!.resolve();
    }
  }
}

// ---- capacity accounting -------------------------------------------------------------------

class Capacity {
  /** second → partition → units */
  readonly writes = new Map<number, Map<string, number>>();
  readonly reads = new Map<number, Map<string, number>>();
  constructor(private readonly clock: VirtualClock) {}

  private add(table: Map<number, Map<string, number>>, partition: string, units: number) {
    const second = Math.floor(this.clock.current() / 1000);
    const row = table.get(second) ?? new Map<string, number>();
    row.set(partition, (row.get(partition) ?? 0) + units);
    table.set(second, row);
  }
  write(partition: string, bytes: number, transactional: boolean) {
    this.clock.untimed(() => this.addWrite(partition, bytes, transactional));
  }
  private addWrite(partition: string, bytes: number, transactional: boolean) {
    this.add(this.writes, partition, Math.ceil(Math.max(1, bytes) / 1024) * (transactional ? 2 : 1));
  }
  read(partition: string, bytes: number, consistent: boolean) {
    this.clock.untimed(() => this.addRead(partition, bytes, consistent));
  }
  private addRead(partition: string, bytes: number, consistent: boolean) {
    this.add(this.reads, partition, Math.ceil(Math.max(1, bytes) / 4096) * (consistent ? 1 : 0.5));
  }
  /** The busiest partition-second, and the same traffic with every pool/outbox shard of a configuration in one partition. */
  peak(table: Map<number, Map<string, number>>): { partition: string; units: number; unsharded: number } {
    let best = { partition: '', units: 0, unsharded: 0 };
    for (const row of table.values()) {
      const merged = new Map<string, number>();
      for (const [partition, units] of row) {
        if (units > best.units) best = { ...best, partition, units };
        const family = partition.replace(/#\d+$/, '');
        merged.set(family, (merged.get(family) ?? 0) + units);
      }
      for (const units of merged.values()) best.unsharded = Math.max(best.unsharded, units);
    }
    return best;
  }
}

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

// ---- simulated store (the matchmaker's calls only) ------------------------------------------

interface PoolEntry {
  ticket: TicketRecord;
  bytes: number;
}

function simulatedStore(
  clock: VirtualClock,
  capacity: Capacity,
  configuration: ConfigurationRecord,
  ruleSet: RuleSetRecord,
) {
  const tickets = new Map<string, TicketRecord>();
  /** The `pool` index: partition → its tickets (kept as the real index is, by every ticket write). */
  const poolIndex = new Map<string, Map<string, PoolEntry>>();
  /** Outbox partition → sort key → event. */
  const outbox = new Map<string, Map<string, MatchmakingEvent>>();
  const leases = new Map<string, { owner: string; until: number }>();
  const matchedAt = new Map<string, number>();
  let split = 1;
  /** Matches committed by a merge pass (worker parts report them through the lane). */
  const committedBy = new Map<string, number>();

  /** A ticket write and its `pool` index entry (an update in place when the index key stays). */
  const chargeTicket = (before: TicketRecord | undefined, after: TicketRecord, transactional: boolean) =>
    clock.untimed(() => chargeTicketNow(before, after, transactional));
  const chargeTicketNow = (before: TicketRecord | undefined, after: TicketRecord, transactional: boolean) => {
    const item = ticketItem(after);
    const bytes = size(item);
    capacity.write(String(item.pk), bytes, transactional);
    const oldPool = before ? (ticketItem(before).poolPk as string | undefined) : undefined;
    const newPool = item.poolPk as string | undefined;
    if (oldPool && oldPool !== newPool) {
      capacity.write(`index:${oldPool}`, bytes, false);
      poolIndex.get(oldPool)?.delete(after.ticketId);
    }
    if (newPool) {
      capacity.write(`index:${newPool}`, bytes, false);
      const partition = poolIndex.get(newPool) ?? new Map<string, PoolEntry>();
      partition.set(after.ticketId, { ticket: after, bytes });
      poolIndex.set(newPool, partition);
    }
    if (after.status === 'COMPLETED' || after.status === 'TIMED_OUT')
      for (const player of after.players)
        capacity.write(
          keys.playerLock('MATCHMAKING', after.configurationName, player.playerId).pk,
          100,
          transactional,
        );
  };
  const chargeEvent = (event: MatchmakingEvent) => clock.untimed(() => chargeEventNow(event));
  const chargeEventNow = (event: MatchmakingEvent) => {
    const key = outboxKey(event);
    capacity.write(key.pk, size(event), true);
    const partition = outbox.get(key.pk) ?? new Map<string, MatchmakingEvent>();
    partition.set(key.sk, event);
    outbox.set(key.pk, partition);
  };
  const apply = (changes: TicketChange[]) => {
    for (const { before } of changes) {
      if (tickets.get(before.ticketId)?.version !== before.version)
        throw new SlotfillError('Conflict', 'changed', {});
    }
    for (const { before, after } of changes) {
      tickets.set(after.ticketId, after);
      chargeTicket(before, after, true);
    }
  };
  const leaseKey = (name: string, scope?: LeaseScope) => {
    const key = keys.lease(name, scope);
    return `${key.pk}/${key.sk}`;
  };

  const store: Partial<MatchmakingStore> = {
    async acquireLease(name, owner, nowMs, durationMs, scope) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.lease(name).pk, 100, false);
      const held = leases.get(leaseKey(name, scope));
      if (held && held.owner !== owner && held.until >= nowMs) return false;
      leases.set(leaseKey(name, scope), { owner, until: nowMs + durationMs });
      return true;
    },
    async releaseLease(name, owner, scope) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.lease(name).pk, 100, false);
      if (leases.get(leaseKey(name, scope))?.owner === owner) leases.delete(leaseKey(name, scope));
    },
    async getPoolSplit(name) {
      await clock.sleep(LATENCY.get);
      capacity.read(keys.poolSplit(name).pk, 100, true);
      return split;
    },
    async changePoolSplit(name, from, to) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.poolSplit(name).pk, 100, false);
      if (split !== from) return false;
      split = to;
      return true;
    },
    async getConfiguration() {
      await clock.sleep(LATENCY.get);
      capacity.read(keys.configuration(configuration.name).pk, size(configuration), true);
      return configuration;
    },
    async getRuleSets() {
      await clock.sleep(LATENCY.get);
      return [ruleSet];
    },
    async readPool(name, statuses, slice?: PoolSlice) {
      const shards = slice?.partitions ?? Array.from({ length: POOL_SHARDS }, (_, shard) => shard);
      const partitions = poolKeys.partitions(name);
      const read = await Promise.all(
        shards.map(async (shard) => {
          const pool = partitions[shard]!;
          // What the query returns, as of when it is sent.
          const { found, bytes } = clock.untimed(() => {
            let entries = [...(poolIndex.get(pool)?.values() ?? [])];
            const before = slice?.startedBefore;
            if (before !== undefined) entries = entries.filter((e) => e.ticket.startTime < before);
            entries.sort(
              (a, b) =>
                a.ticket.startTime - b.ticket.startTime || a.ticket.ticketId.localeCompare(b.ticket.ticketId),
            );
            if (slice?.limitPerPartition !== undefined) entries = entries.slice(0, slice.limitPerPartition);
            return { found: entries, bytes: entries.reduce((total, e) => total + e.bytes, 0) };
          });
          for (let page = 0; page < Math.max(1, Math.ceil(bytes / PAGE_BYTES)); page++)
            await clock.sleep(LATENCY.queryPage);
          capacity.read(`index:${pool}`, bytes, false);
          return clock.untimed(() => found.map((e) => e.ticket).filter((t) => statuses.includes(t.status)));
        }),
      );
      return clock.untimed(() =>
        read.flat().sort((a, b) => a.startTime - b.startTime || a.ticketId.localeCompare(b.ticketId)),
      );
    },
    async getTickets(ids) {
      await clock.sleep(LATENCY.get);
      return ids.flatMap((id) => (tickets.has(id) ? [tickets.get(id)!] : []));
    },
    async replaceTickets(changes, event) {
      await clock.sleep(LATENCY.transact);
      apply(changes);
      if (event) chargeEvent(event);
    },
    async commitMatch(commit) {
      await clock.sleep(LATENCY.transact);
      try {
        apply(commit.tickets);
      } catch {
        throw new SlotfillError('Conflict', 'lost a race', {});
      }
      capacity.write(
        keys.match(commit.match.matchId).pk,
        clock.untimed(() => size(commit.match)),
        true,
      );
      for (const event of commit.events) chargeEvent(event);
      const lane = lanes.getStore() ?? 'main';
      committedBy.set(lane, (committedBy.get(lane) ?? 0) + 1);
      for (const change of commit.tickets) matchedAt.set(change.after.ticketId, clock.current());
    },
    async recordMatchWaits(configurationName, time, passId, waits) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.matchWaits(configurationName, time, passId).pk, waits.length * 8, false);
    },
    async readOutbox(name, limit) {
      const shards = await Promise.all(
        keys.outboxPartitions(name).map(async (partition) => {
          await clock.sleep(LATENCY.queryPage);
          const found = clock.untimed(() =>
            [...(outbox.get(partition) ?? new Map<string, MatchmakingEvent>())]
              .sort(([a], [b]) => a.localeCompare(b))
              .slice(0, limit),
          );
          capacity.read(
            partition,
            clock.untimed(() => found.reduce((total, [, event]) => total + size(event), 0)),
            true,
          );
          return found;
        }),
      );
      return clock.untimed(() =>
        shards
          .flat()
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([, event]) => event),
      );
    },
    async deleteOutbox(events) {
      const batches: MatchmakingEvent[][] = [];
      for (let start = 0; start < events.length; start += 25) batches.push(events.slice(start, start + 25));
      await mapConcurrent(batches, 8, async (batch) => {
        await clock.sleep(LATENCY.batchWrite);
        for (const event of batch) {
          clock.untimed(() => {
            const key = outboxKey(event);
            capacity.write(key.pk, size(event), false);
            outbox.get(key.pk)?.delete(key.sk);
          });
        }
      });
    },
  };

  /** A new QUEUED ticket as StartMatchmaking writes it (ticket, index entry, one lock per player). */
  const arrive = (ticket: TicketRecord) => clock.untimed(() => arriveNow(ticket));
  const arriveNow = (ticket: TicketRecord) => {
    tickets.set(ticket.ticketId, ticket);
    chargeTicket(undefined, ticket, true);
    for (const player of ticket.players)
      capacity.write(keys.playerLock('MATCHMAKING', ticket.configurationName, player.playerId).pk, 100, true);
  };
  const outboxSize = () => [...outbox.values()].reduce((total, partition) => total + partition.size, 0);
  const missing = new Proxy(store, {
    get(target, property) {
      const value = target[property as keyof MatchmakingStore];
      if (value === undefined && typeof property === 'string' && property !== 'then')
        throw new Error(`the simulated store has no ${property}`);
      return value;
    },
  }) as MatchmakingStore;
  return {
    store: missing,
    arrive,
    tickets,
    matchedAt,
    outboxSize,
    committedBy,
    split: () => split,
  };
}

// ---- scenarios -----------------------------------------------------------------------------

/**
 * The API tests' 2v2 with one team-skill distance rule; BENCH_MODEL_RULES=5v5 takes the matching
 * benchmark's 5v5 (team averages within 50, a latency rule, an expansion): ten players a match
 * and a tighter rule, so the engine costs more CPU per ticket.
 */
const FIVE_VERSUS_FIVE = process.env.BENCH_MODEL_RULES === '5v5';
const ruleSet: RuleSetRecord = {
  name: 'model',
  creationTime: EPOCH,
  tags: [],
  body: FIVE_VERSUS_FIVE ? SKILL_5V5_BENCH : twoVersusTwoSkill,
};
const configuration: ConfigurationRecord = {
  name: 'model',
  rules: { language: 'ruleSet', ruleSetName: 'model' },
  requestTimeoutSeconds: 600,
  acceptanceRequired: false,
  additionalPlayerCount: 0,
  gameProperties: [],
  backfillMode: 'MANUAL',
  flexMatchMode: 'STANDALONE',
  tags: [],
  creationTime: EPOCH,
  version: 1,
};

let sequence = 0;
function newTicket(startTime: number): TicketRecord {
  const ticketId = `t-${++sequence}-${randomUUID().slice(0, 8)}`;
  return {
    ticketId,
    kind: 'matchmaking',
    configurationName: configuration.name,
    status: 'QUEUED',
    players: [
      {
        playerId: `p-${ticketId}`,
        attributes: {
          skill: {
            kind: 'number',
            value: FIVE_VERSUS_FIVE ? 1000 + ((sequence * 37) % 1000) : 10 + (sequence % 20),
          },
        },
        latencyInMs: { 'us-east-1': 40 },
      },
    ],
    startTime,
    version: 1,
  };
}

function nullSink(clock: VirtualClock): EventSink {
  return {
    async publish(events) {
      const calls = Math.ceil(events.length / 10);
      // PutEvents calls, 8 at once (eventbridge-sink.ts).
      for (let wave = 0; wave < Math.ceil(calls / 8); wave++) await clock.sleep(LATENCY.putEvents);
      return { failed: [] };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The configuration's workers as AWS runs them: each work unit (the whole pool, or a part of
 * a split pool, or the merge) is an invocation of its own (a lane with its own CPU) starting a
 * turn every INTERVAL_MS (runTurns), until the pool is split differently (runUnitTurn retires
 * it); the worker that changes the split starts the new parts at once (the work messages it
 * sends). Stream-triggered invocations add nothing here: the looping worker holds the lease.
 */
function runWorkUnits(
  clock: VirtualClock,
  context: UseCaseContext,
  sink: EventSink,
  options: { ticketsPerPart: number; stop: () => boolean; deadline?: number },
) {
  const running = new Set<string>();
  const all: Array<Promise<void>> = [];
  const splits: number[] = [1];
  const launch = (split: number, part: PoolPart) => {
    const unit = `${split}/${part}`;
    if (running.has(unit)) return;
    running.add(unit);
    all.push(
      lanes.run(unit, async () => {
        try {
          while (!options.stop()) {
            const started = clock.current();
            const outcome = await runUnitTurn(
              context,
              sink,
              { configurationName: configuration.name, split, part },
              {
                owner: unit,
                leaseMs: LEASE_MS,
                ticketsPerPart: options.ticketsPerPart,
                ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
                onSplitChanged: async (_name, next, parts) => {
                  splits.push(next);
                  for (const nextPart of parts) launch(next, nextPart);
                },
              },
            );
            if (process.env.BENCH_MODEL_TRACE === '1')
              process.stderr.write(
                `${(clock.current() / 1000).toFixed(2)} ${unit} ${JSON.stringify(outcome.ran ? { ...outcome.pass, timeToMatchSeconds: outcome.pass.timeToMatchSeconds.length, configurationName: undefined } : outcome)}\n`,
              );
            if ('retired' in outcome) return;
            await clock.sleep(Math.max(0, INTERVAL_MS - (clock.current() - started)));
          }
        } catch (error) {
          process.stderr.write(
            `lane ${unit} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
          );
          throw error;
        } finally {
          running.delete(unit);
        }
      }),
    );
  };
  return {
    start() {
      launch(1, 0);
    },
    /** Resolves once every lane ended (lanes launched later included). */
    async done() {
      for (let awaited = 0; awaited < all.length; ) {
        const launched = all.length;
        await Promise.all(all.slice(0, launched));
        awaited = launched;
      }
    },
    splits,
  };
}

async function steadyArrivals(ticketsPerSecond: number, seconds: number, ticketsPerPart: number) {
  const clock = new VirtualClock();
  const capacity = new Capacity(clock);
  const sim = simulatedStore(clock, capacity, configuration, ruleSet);
  const context: UseCaseContext = {
    store: sim.store,
    now: () => EPOCH + clock.current(),
    newId: () => randomUUID(),
  };
  const sink = nullSink(clock);
  const endMs = seconds * 1000;
  const created = new Map<string, number>();
  // Arrivals every 10 ms (the API functions' writes: charged, but not to the matchmaker's CPU).
  const arrivals = lanes.run('arrivals', async () => {
    let arrived = 0;
    while (clock.current() < endMs) {
      const due = Math.floor((Math.min(clock.current(), endMs) * ticketsPerSecond) / 1000);
      clock.untimed(() => {
        for (; arrived < due; arrived++) {
          const ticket = newTicket(EPOCH + clock.current());
          created.set(ticket.ticketId, clock.current());
          sim.arrive(ticket);
        }
      });
      await clock.sleep(10);
    }
  });
  const units = runWorkUnits(clock, context, sink, {
    ticketsPerPart,
    stop: () => clock.current() >= endMs + 3000,
  });
  units.start();
  let finished = false;
  void Promise.all([arrivals, units.done()]).then(() => {
    finished = true;
  });
  await clock.run(() => finished);
  // Every ticket created before the last second counts; one never matched counts as infinitely late.
  const waits = [...created]
    .filter(([, at]) => at < endMs - 1000)
    .map(([id, at]) => (sim.matchedAt.get(id) ?? Number.POSITIVE_INFINITY) - at)
    .sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const ticket of sim.tickets.values()) statuses[ticket.status] = (statuses[ticket.status] ?? 0) + 1;
  process.stderr.write(
    `steady statuses ${JSON.stringify(statuses)} by lane ${JSON.stringify(Object.fromEntries(sim.committedBy))}\n`,
  );
  return {
    created: created.size,
    matched: sim.matchedAt.size,
    matches: [...sim.committedBy.values()].reduce((total, n) => total + n, 0),
    byMerge: [...sim.committedBy].reduce((total, [lane, n]) => total + (lane.endsWith('/merge') ? n : 0), 0),
    splits: units.splits,
    p50: percentile(waits, 50),
    p95: percentile(waits, 95),
    writes: capacity.peak(capacity.writes),
    reads: capacity.peak(capacity.reads),
    cpuMs: clock.cpuMs,
  };
}

async function backlog(tickets: number, budgetMs: number, ticketsPerPart: number) {
  const clock = new VirtualClock();
  const capacity = new Capacity(clock);
  const sim = simulatedStore(clock, capacity, configuration, ruleSet);
  for (let index = 0; index < tickets; index++) sim.arrive(newTicket(EPOCH - 1000));
  // The backlog was written before: only the drain's own traffic counts.
  capacity.writes.clear();
  const context: UseCaseContext = {
    store: sim.store,
    now: () => EPOCH + clock.current(),
    newId: () => randomUUID(),
  };
  const sink = nullSink(clock);
  let drainedAt = Number.NaN;
  const drained = () => {
    if (!Number.isNaN(drainedAt)) return true;
    const left = clock.untimed(
      () => [...sim.tickets.values()].filter((t) => t.status === 'QUEUED' || t.status === 'SEARCHING').length,
    );
    // Fewer than one match's worth of players can be left over for ever.
    if (left < 4 && sim.outboxSize() === 0) drainedAt = clock.current();
    return !Number.isNaN(drainedAt);
  };
  let checkedAt = 0;
  const units = runWorkUnits(clock, context, sink, {
    ticketsPerPart,
    deadline: EPOCH + budgetMs,
    // Checked at most every 100 virtual ms: counting 100k tickets is the simulator's time, not the model's.
    stop: () => {
      if (clock.current() >= budgetMs) return true;
      if (clock.current() - checkedAt < 100) return false;
      checkedAt = clock.current();
      return drained();
    },
  });
  units.start();
  let finished = false;
  void units.done().then(() => {
    finished = true;
  });
  await clock.run(() => finished);
  return {
    matched: sim.matchedAt.size,
    matches: [...sim.committedBy.values()].reduce((total, n) => total + n, 0),
    byMerge: [...sim.committedBy].reduce((total, [lane, n]) => total + (lane.endsWith('/merge') ? n : 0), 0),
    splits: units.splits,
    drainedAt,
    writes: capacity.peak(capacity.writes),
    reads: capacity.peak(capacity.reads),
  };
}

async function main() {
  const rate = Number(process.env.BENCH_MODEL_RATE ?? 2000);
  const seconds = Number(process.env.BENCH_MODEL_SECONDS ?? 5);
  const backlogSize = Number(process.env.BENCH_MODEL_BACKLOG ?? 100_000);
  const budgetMs = 55_000;
  const oneWorker = Number.POSITIVE_INFINITY;
  const steady = await steadyArrivals(rate, seconds, TICKETS_PER_PART);
  process.stderr.write(`${JSON.stringify(steady)}\n`);
  const steadyBaseline = await steadyArrivals(rate, seconds, oneWorker);
  process.stderr.write(`${JSON.stringify(steadyBaseline)}\n`);
  const drain = await backlog(backlogSize, budgetMs, TICKETS_PER_PART);
  process.stderr.write(`${JSON.stringify(drain)}\n`);
  const drainBaseline =
    process.env.BENCH_MODEL_SKIP_BACKLOG_BASELINE === '1'
      ? undefined
      : await backlog(backlogSize, budgetMs, oneWorker);
  process.stderr.write(`${JSON.stringify(drainBaseline)}\n`);
  const ok = (units: number, limit: number) => (units <= limit ? 'within' : 'OVER');
  process.stdout.write(
    `Simulated DynamoDB (limits ${PARTITION_WCU} WCU / ${PARTITION_RCU} RCU per partition; latencies ${JSON.stringify(LATENCY)} ms; CPU × ${CPU_FACTOR}). Baselines from the same run: one worker per configuration (no split), and the busiest partition had every pool/outbox shard of a configuration been one partition.\n\n`,
  );
  process.stdout.write('| scenario | figure | split pool | baseline | ratio |\n|---|---|---|---|---|\n');
  const row = (scenario: string, figure: string, value: string, baseline = '', ratio = '') =>
    process.stdout.write(`| ${scenario} | ${figure} | ${value} | ${baseline} | ${ratio} |\n`);
  const ratio = (value: number, baseline: number) => (value / baseline).toFixed(2);
  const s = `${rate} tickets/s × ${seconds} s, one ${FIVE_VERSUS_FIVE ? '5v5' : '2v2'} configuration`;
  row(
    s,
    'tickets matched / created',
    `${steady.matched} / ${steady.created}`,
    `${steadyBaseline.matched} / ${steadyBaseline.created} (one worker)`,
  );
  row(
    s,
    'time to match p50 / p95 (virtual ms)',
    `${steady.p50.toFixed(0)} / ${steady.p95.toFixed(0)}`,
    `${steadyBaseline.p50.toFixed(0)} / ${steadyBaseline.p95.toFixed(0)} (one worker)`,
    ratio(steady.p95, steadyBaseline.p95),
  );
  row(
    s,
    'splits taken; matches (by the merge)',
    `${steady.splits.join(' → ')}; ${steady.matches} (${steady.byMerge})`,
  );
  row(
    s,
    `busiest partition WCU/s (${steady.writes.partition})`,
    `${steady.writes.units} (${ok(steady.writes.units, PARTITION_WCU)})`,
    `${steady.writes.unsharded} (unsharded)`,
    ratio(steady.writes.units, steady.writes.unsharded),
  );
  row(
    s,
    `busiest partition RCU/s (${steady.reads.partition})`,
    `${steady.reads.units} (${ok(steady.reads.units, PARTITION_RCU)})`,
    `${steady.reads.unsharded} (unsharded)`,
    ratio(steady.reads.units, steady.reads.unsharded),
  );
  const b = `${backlogSize} waiting tickets, ${budgetMs / 1000} s budget`;
  const drainedText = (at: number) => (Number.isNaN(at) ? 'NOT drained' : `${(at / 1000).toFixed(1)} s`);
  row(
    b,
    'drained at (virtual)',
    drainedText(drain.drainedAt),
    drainBaseline ? `${drainedText(drainBaseline.drainedAt)} (one worker)` : '',
  );
  row(
    b,
    'tickets matched',
    String(drain.matched),
    drainBaseline ? `${drainBaseline.matched} (one worker)` : '',
    drainBaseline ? ratio(drain.matched, drainBaseline.matched) : '',
  );
  row(
    b,
    'splits taken; matches (by the merge)',
    `${drain.splits.join(' → ')}; ${drain.matches} (${drain.byMerge})`,
  );
  row(
    b,
    `busiest partition WCU/s (${drain.writes.partition})`,
    `${drain.writes.units} (${ok(drain.writes.units, PARTITION_WCU)})`,
    `${drain.writes.unsharded} (unsharded)`,
    ratio(drain.writes.units, drain.writes.unsharded),
  );
  row(
    b,
    `busiest partition RCU/s (${drain.reads.partition})`,
    `${drain.reads.units} (${ok(drain.reads.units, PARTITION_RCU)})`,
    `${drain.reads.unsharded} (unsharded)`,
    ratio(drain.reads.units, drain.reads.unsharded),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
