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
import { randomUUID } from 'node:crypto';
import { mapConcurrent } from '../../lambdas/shared/concurrency';
import { SlotfillError } from '../../lambdas/shared/errors';
import { outboxKey, ticketItem } from '../../lambdas/store/items';
import { keys } from '../../lambdas/store/keys';
import type {
  ConfigurationRecord,
  MatchmakingEvent,
  RuleSetRecord,
  TicketRecord,
} from '../../lambdas/store/records';
import type { MatchmakingStore, TicketChange } from '../../lambdas/store/store';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import type { EventSink } from '../../lambdas/usecases/event-sink';
import { runConfigurationWorker } from '../../lambdas/usecases/matchmaker';
import { twoVersusTwoSkill } from '../support/rule-sets';

/** Published per-partition limits (DynamoDB developer guide, "partitions and data distribution"). */
const PARTITION_WCU = 1000;
const PARTITION_RCU = 3000;
/** Latencies per call (ms): DynamoDB's single-digit-ms reads/writes, transactions about twice that. */
const LATENCY = { get: 5, put: 5, queryPage: 10, transact: 15, batchWrite: 10, putEvents: 20 };
/** A 1,024 MB Lambda has about 0.58 of a vCPU: measured CPU time counts this many times. */
const CPU_FACTOR = 1.7;
const LEASE_MS = 8000;
const PAGE_BYTES = 1024 * 1024;
const EPOCH = Date.UTC(2026, 0, 1);

// ---- virtual clock -------------------------------------------------------------------------

class VirtualClock {
  now = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  cpuMs = 0;
  /** Time spent simulating DynamoDB (sizes, accounting): not the matchmaker's CPU. */
  private excludedMs = 0;

  /** Runs simulator work whose CPU time must not count as the matchmaker's. */
  untimed<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.excludedMs += performance.now() - started;
    }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.now + ms, seq: this.seq++, resolve });
    });
  }

  /** Runs until `done()` or no timer is left; synchronous work between timers advances the clock by its CPU time. */
  async run(done: () => boolean): Promise<void> {
    for (;;) {
      const started = performance.now();
      this.excludedMs = 0;
      await new Promise((resolve) => setImmediate(resolve));
      const cpu = Math.max(0, performance.now() - started - this.excludedMs) * CPU_FACTOR;
      this.cpuMs += cpu;
      this.now += cpu;
      if (done() || this.timers.length === 0) return;
      let next = 0;
      for (let index = 1; index < this.timers.length; index++) {
        const t = this.timers[index]!;
        const best = this.timers[next]!;
        if (t.at < best.at || (t.at === best.at && t.seq < best.seq)) next = index;
      }
      const [timer] = this.timers.splice(next, 1);
      this.now = Math.max(this.now, timer!.at);
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
    const second = Math.floor(this.clock.now / 1000);
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

function simulatedStore(
  clock: VirtualClock,
  capacity: Capacity,
  configuration: ConfigurationRecord,
  ruleSet: RuleSetRecord,
) {
  const tickets = new Map<string, TicketRecord>();
  const outbox = new Map<string, { key: { pk: string; sk: string }; event: MatchmakingEvent }>();
  const leases = new Map<string, { owner: string; until: number }>();
  const matchedAt = new Map<string, number>();

  /** A ticket write and its `pool` index entry (an update in place when the index key stays). */
  const chargeTicket = (before: TicketRecord | undefined, after: TicketRecord, transactional: boolean) =>
    clock.untimed(() => chargeTicketNow(before, after, transactional));
  const chargeTicketNow = (before: TicketRecord | undefined, after: TicketRecord, transactional: boolean) => {
    const item = ticketItem(after);
    const bytes = size(item);
    capacity.write(String(item.pk), bytes, transactional);
    const oldPool = before ? (ticketItem(before).poolPk as string | undefined) : undefined;
    const newPool = item.poolPk as string | undefined;
    if (oldPool && oldPool !== newPool) capacity.write(`index:${oldPool}`, bytes, false);
    if (newPool) capacity.write(`index:${newPool}`, bytes, false);
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
    outbox.set(`${key.pk}\u0000${key.sk}`, { key, event });
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

  const store: Partial<MatchmakingStore> = {
    async acquireLease(name, owner, nowMs, durationMs) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.lease(name).pk, 100, false);
      const held = leases.get(name);
      if (held && held.owner !== owner && held.until >= nowMs) return false;
      leases.set(name, { owner, until: nowMs + durationMs });
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
    async readPool(_configurationName, statuses) {
      const byShard = clock.untimed(() => {
        const found = new Map<string, TicketRecord[]>();
        for (const ticket of tickets.values()) {
          const pool = ticketItem(ticket).poolPk as string | undefined;
          if (!pool) continue;
          const list = found.get(pool) ?? [];
          list.push(ticket);
          found.set(pool, list);
        }
        return found;
      });
      const shards = await Promise.all(
        [...byShard].map(async ([pool, shardTickets]) => {
          const bytes = clock.untimed(() =>
            shardTickets.reduce((total, t) => total + size(ticketItem(t)), 0),
          );
          for (let page = 0; page < Math.max(1, Math.ceil(bytes / PAGE_BYTES)); page++)
            await clock.sleep(LATENCY.queryPage);
          capacity.read(`index:${pool}`, bytes, false);
          return clock.untimed(() => shardTickets.filter((t) => statuses.includes(t.status)));
        }),
      );
      return shards.flat().sort((a, b) => a.startTime - b.startTime || a.ticketId.localeCompare(b.ticketId));
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
      for (const change of commit.tickets) matchedAt.set(change.after.ticketId, clock.now);
    },
    async recordMatchWaits(configurationName, time, passId, waits) {
      await clock.sleep(LATENCY.put);
      capacity.write(keys.matchWaits(configurationName, time, passId).pk, waits.length * 8, false);
    },
    async readOutbox(name, limit) {
      const shards = await Promise.all(
        keys.outboxPartitions(name).map(async (partition) => {
          await clock.sleep(LATENCY.queryPage);
          const found = [...outbox.values()]
            .filter((entry) => entry.key.pk === partition)
            .sort((a, b) => a.key.sk.localeCompare(b.key.sk))
            .slice(0, limit);
          capacity.read(
            partition,
            found.reduce((total, entry) => total + size(entry.event), 0),
            true,
          );
          return found;
        }),
      );
      return shards
        .flat()
        .sort((a, b) => a.key.sk.localeCompare(b.key.sk))
        .map((entry) => entry.event);
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
            outbox.delete(`${key.pk}\u0000${key.sk}`);
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
  const missing = new Proxy(store, {
    get(target, property) {
      const value = target[property as keyof MatchmakingStore];
      if (value === undefined && typeof property === 'string' && property !== 'then')
        throw new Error(`the simulated store has no ${property}`);
      return value;
    },
  }) as MatchmakingStore;
  return { store: missing, arrive, tickets, matchedAt, outbox };
}

// ---- scenarios -----------------------------------------------------------------------------

const ruleSet: RuleSetRecord = {
  name: 'model',
  creationTime: EPOCH,
  tags: [],
  // The API tests' 2v2 with one team-skill distance rule.
  body: twoVersusTwoSkill,
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
        attributes: { skill: { kind: 'number', value: 10 + (sequence % 20) } },
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

async function steadyArrivals(ticketsPerSecond: number, seconds: number) {
  const clock = new VirtualClock();
  const capacity = new Capacity(clock);
  const sim = simulatedStore(clock, capacity, configuration, ruleSet);
  const context: UseCaseContext = {
    store: sim.store,
    now: () => EPOCH + clock.now,
    newId: () => randomUUID(),
  };
  const sink = nullSink(clock);
  const endMs = seconds * 1000;
  const created = new Map<string, number>();
  // Arrivals every 10 ms (the API functions' writes: charged, but not to the matchmaker's CPU).
  // Arrivals follow the virtual clock (which CPU time also moves): as many as are due by now.
  const arrivals = (async () => {
    let arrived = 0;
    while (clock.now < endMs) {
      const due = Math.floor((Math.min(clock.now, endMs) * ticketsPerSecond) / 1000);
      clock.untimed(() => {
        for (; arrived < due; arrived++) {
          const ticket = newTicket(EPOCH + clock.now);
          created.set(ticket.ticketId, clock.now);
          sim.arrive(ticket);
        }
      });
      await clock.sleep(10);
    }
  })();
  let passes = 0;
  // Passes back to back while tickets keep arriving: the stream keeps invoking the worker.
  const worker = (async () => {
    while (clock.now < endMs + 3000) {
      const outcome = await runConfigurationWorker(context, sink, configuration.name, {
        owner: 'model',
        leaseMs: LEASE_MS,
      });
      passes++;
      if (outcome.ran && outcome.pass.ticketsInPool === 0) await clock.sleep(50);
    }
  })();
  let finished = false;
  void Promise.all([arrivals, worker]).then(() => {
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
  process.stderr.write(`steady statuses ${JSON.stringify(statuses)}\n`);
  return {
    created: created.size,
    matched: sim.matchedAt.size,
    passes,
    p50: percentile(waits, 50),
    p95: percentile(waits, 95),
    writes: capacity.peak(capacity.writes),
    reads: capacity.peak(capacity.reads),
    cpuMs: clock.cpuMs,
  };
}

async function backlog(tickets: number, budgetMs: number) {
  const clock = new VirtualClock();
  const capacity = new Capacity(clock);
  const sim = simulatedStore(clock, capacity, configuration, ruleSet);
  for (let index = 0; index < tickets; index++) sim.arrive(newTicket(EPOCH - 1000));
  // The backlog was written before: only the drain's own traffic counts.
  capacity.writes.clear();
  const context: UseCaseContext = {
    store: sim.store,
    now: () => EPOCH + clock.now,
    newId: () => randomUUID(),
  };
  const sink = nullSink(clock);
  let passes = 0;
  let drainedAt = Number.NaN;
  const worker = (async () => {
    while (clock.now < budgetMs) {
      const outcome = await runConfigurationWorker(context, sink, configuration.name, {
        owner: 'model',
        leaseMs: LEASE_MS,
        deadline: EPOCH + budgetMs,
      });
      passes++;
      if (outcome.ran)
        process.stderr.write(
          `backlog pass at ${(clock.now / 1000).toFixed(1)} s: ${JSON.stringify({ ...outcome.pass, configurationName: undefined })}\n`,
        );
      const left = clock.untimed(
        () =>
          [...sim.tickets.values()].filter((t) => t.status === 'QUEUED' || t.status === 'SEARCHING').length,
      );
      if (left < 4 && sim.outbox.size === 0) {
        drainedAt = clock.now;
        return;
      }
      if (!outcome.ran) await clock.sleep(100);
    }
  })();
  let finished = false;
  void worker.then(() => {
    finished = true;
  });
  await clock.run(() => finished);
  return {
    matched: sim.matchedAt.size,
    passes,
    drainedAt,
    writes: capacity.peak(capacity.writes),
    reads: capacity.peak(capacity.reads),
  };
}

async function main() {
  const rate = Number(process.env.BENCH_MODEL_RATE ?? 2000);
  const seconds = Number(process.env.BENCH_MODEL_SECONDS ?? 5);
  const backlogSize = Number(process.env.BENCH_MODEL_BACKLOG ?? 100_000);
  const steady = await steadyArrivals(rate, seconds);
  process.stderr.write(`${JSON.stringify(steady)}\n`);
  const drain = await backlog(backlogSize, 55_000);
  process.stderr.write(`${JSON.stringify(drain)}\n`);
  const ok = (units: number, limit: number) => (units <= limit ? 'within' : 'OVER');
  process.stdout.write(
    `Simulated DynamoDB (limits ${PARTITION_WCU} WCU / ${PARTITION_RCU} RCU per partition; latencies ${JSON.stringify(LATENCY)} ms; CPU × ${CPU_FACTOR})\n\n`,
  );
  process.stdout.write(
    '| scenario | figure | value | baseline (unsharded) | ratio |\n|---|---|---|---|---|\n',
  );
  const row = (scenario: string, figure: string, value: string, baseline = '', ratio = '') =>
    process.stdout.write(`| ${scenario} | ${figure} | ${value} | ${baseline} | ${ratio} |\n`);
  const s = `${rate} tickets/s × ${seconds} s, one 2v2 configuration`;
  row(s, 'tickets matched / created', `${steady.matched} / ${steady.created}`);
  row(s, 'time to match p50 / p95 (virtual ms)', `${steady.p50.toFixed(0)} / ${steady.p95.toFixed(0)}`);
  row(s, 'passes', String(steady.passes));
  row(
    s,
    `busiest partition WCU/s (${steady.writes.partition})`,
    `${steady.writes.units} (${ok(steady.writes.units, PARTITION_WCU)})`,
    String(steady.writes.unsharded),
    (steady.writes.units / steady.writes.unsharded).toFixed(2),
  );
  row(
    s,
    `busiest partition RCU/s (${steady.reads.partition})`,
    `${steady.reads.units} (${ok(steady.reads.units, PARTITION_RCU)})`,
    String(steady.reads.unsharded),
    (steady.reads.units / steady.reads.unsharded).toFixed(2),
  );
  const b = `${backlogSize} waiting tickets, one invocation (55 s)`;
  row(
    b,
    'drained at (virtual s)',
    Number.isNaN(drain.drainedAt) ? 'NOT drained' : (drain.drainedAt / 1000).toFixed(1),
  );
  row(b, 'tickets matched / passes', `${drain.matched} / ${drain.passes}`);
  row(
    b,
    `busiest partition WCU/s (${drain.writes.partition})`,
    `${drain.writes.units} (${ok(drain.writes.units, PARTITION_WCU)})`,
    String(drain.writes.unsharded),
    (drain.writes.units / drain.writes.unsharded).toFixed(2),
  );
  row(
    b,
    `busiest partition RCU/s (${drain.reads.partition})`,
    `${drain.reads.units} (${ok(drain.reads.units, PARTITION_RCU)})`,
    String(drain.reads.unsharded),
    (drain.reads.units / drain.reads.unsharded).toFixed(2),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
