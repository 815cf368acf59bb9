import {
  FULL_OUTBOX_READ_EVERY_MS,
  IDLE_SWEEP_EVERY,
  LocalMatchmakerScheduler,
  LocalOutboxReads,
} from '../../lambdas/local/matchmaker-scheduler';
import { POOL_SHARDS } from '../../lambdas/store/keys';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import {
  dispatchConfigurations,
  MERGE_AFTER_MS,
  partsOf,
  publishOutbox,
  runConfigurationWorker,
  runMatchmakerTick,
  runPartWorker,
  runPass,
  runUnitTurn,
  sliceOf,
  type WorkUnit,
} from '../../lambdas/usecases/matchmaker';
import {
  commands,
  createHarness,
  type Harness,
  player,
  RecordingSink,
  type SentCommand,
  scanTable,
  setUpConfiguration,
  throttled,
  throughputExceeded,
  twoVersusTwo,
} from '../support/matchmaker-harness';
import { checkInvariants } from '../support/matchmaker-invariants';
import { startBackfill, startMatchmaking } from '../support/ticket-calls';

/**
 * The matchmaker's triggers and workers: new tickets announce themselves, a worker per
 * configuration runs under that configuration's own lease, and concurrent workers on one
 * configuration still tell one consistent story.
 */

/** `count` one-player tickets, skills 5 to 11 in turn (every 2v2 of them fair); their ids. */
async function soloTickets(context: UseCaseContext, name: string, count: number, prefix: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (
        await startMatchmaking(context, {
          configurationName: name,
          players: [player(`${prefix}${i}`, 5 + (i % 7))],
        })
      ).ticketId,
    );
  return ids;
}

/** Every started solo ticket completed in exactly one 2v2 match, every event delivered, none lost. */
async function expectAllMatchedOnce(harness: Harness, sink: RecordingSink, started: string[]) {
  const report = checkInvariants(await scanTable(harness.documents, harness.tableName), sink.delivered, {
    startedTicketIds: started,
    outboxEmpty: true,
    settled: true,
  });
  expect(report.violations).toEqual([]);
  expect(report.statuses).toEqual({ COMPLETED: started.length });
  expect(report.committedMatches).toBe(started.length / 4);
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.destroy());

describe('arrivals', () => {
  it('a QUEUED ticket (matchmaking or backfill) announces its configuration', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const announced: string[] = [];
    const context = { ...h.context, arrivals: { ticketQueued: (c: string) => announced.push(c) } };
    await startMatchmaking(context, { configurationName: name, players: [player('a1')] });
    await startBackfill(context, {
      configurationName: name,
      gameSessionArn: 'arn:aws:gamelift:us-east-1::gamesession/fleet-1/gs-arrivals',
      players: [player('s1', 10, 'red')],
    });
    expect(announced).toEqual([name, name]);
  });

  it('a refused ticket announces nothing', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const announced: string[] = [];
    const context = { ...h.context, arrivals: { ticketQueued: (c: string) => announced.push(c) } };
    await startMatchmaking(context, { configurationName: name, players: [player('dup')] });
    await expect(
      startMatchmaking(context, { configurationName: name, players: [player('dup')] }),
    ).rejects.toMatchObject({ reason: 'MembershipLimit' });
    expect(announced).toEqual([name]);
  });
});

describe('local scheduler', () => {
  it('runs a worker per woken configuration, in parallel, and coalesces wake-ups during a run into one more run', async () => {
    const runs: string[] = [];
    const releases: Array<() => void> = [];
    const scheduler = new LocalMatchmakerScheduler(
      async (name) => {
        runs.push(name);
        await new Promise<void>((release) => releases.push(release));
        return { idle: false };
      },
      async () => ['a', 'b'],
      (error) => {
        throw error;
      },
    );
    scheduler.ticketQueued('a');
    scheduler.ticketQueued('b');
    // Both configurations run at once: neither waits for the other.
    expect(runs).toEqual(['a', 'b']);
    scheduler.ticketQueued('a');
    scheduler.ticketQueued('a');
    await scheduler.sweep();
    expect(runs).toEqual(['a', 'b']);
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    // Three wake-ups of 'a' during its run: one more run, not three.
    expect(runs).toEqual(['a', 'b', 'a']);
    const stopping = scheduler.stop();
    for (const release of releases.splice(0)) release();
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of releases.splice(0)) release();
    await stopping;
    scheduler.ticketQueued('a');
    expect(runs.filter((name) => name === 'a').length).toBeLessThanOrEqual(3);
  });
});

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the local scheduler under load', () => {
  /** A scheduler whose runs end when the test says, recording the order they started in. */
  function controlled(
    maxConcurrentRuns: number,
    configurations: string[],
    idle = () => false,
    wakeOnArrival = true,
  ) {
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const scheduler = new LocalMatchmakerScheduler(
      async (name) => {
        started.push(name);
        await new Promise<void>((release) => finish.set(name, release));
        return { idle: idle() };
      },
      async () => configurations,
      (error) => {
        throw error;
      },
      { maxConcurrentRuns, wakeOnArrival },
    );
    const end = async (name: string) => {
      finish.get(name)?.();
      finish.delete(name);
      await settle();
    };
    return { scheduler, started, end };
  }

  it('runs at most its cap at once, and the waiting configurations in the order they were woken', async () => {
    const { scheduler, started, end } = controlled(2, ['a', 'b', 'c', 'd']);
    for (const name of ['a', 'b', 'c', 'd']) scheduler.ticketQueued(name);
    expect(started).toEqual(['a', 'b']);
    // 'a' is woken again during its run: it queues behind c and d, it does not cut in.
    scheduler.ticketQueued('a');
    await end('a');
    expect(started).toEqual(['a', 'b', 'c']);
    await end('b');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    await end('c');
    expect(started).toEqual(['a', 'b', 'c', 'd', 'a']);
    await end('d');
    await end('a');
    await scheduler.stop();
  });

  it('sweeps an idle configuration once in IDLE_SWEEP_EVERY sweeps, and a new ticket at once', async () => {
    const { scheduler, started, end } = controlled(4, ['quiet'], () => true);
    await scheduler.sweep();
    await end('quiet');
    expect(started).toHaveLength(1);
    for (let sweep = 1; sweep < IDLE_SWEEP_EVERY; sweep++) await scheduler.sweep();
    expect(started).toHaveLength(1);
    await scheduler.sweep();
    expect(started).toHaveLength(2);
    await end('quiet');
    scheduler.ticketQueued('quiet');
    expect(started).toHaveLength(3);
    await end('quiet');
    await scheduler.stop();
  });

  it('sweeps an idle configuration every time when new tickets wake nothing (the sweep is the only trigger)', async () => {
    const { scheduler, started, end } = controlled(4, ['quiet'], () => true, false);
    for (let sweep = 0; sweep < 3; sweep++) {
      await scheduler.sweep();
      await end('quiet');
    }
    expect(started).toEqual(['quiet', 'quiet', 'quiet']);
    await scheduler.stop();
  });

  it('sweeps a busy configuration every time', async () => {
    const { scheduler, started, end } = controlled(4, ['busy'], () => false);
    for (let sweep = 0; sweep < 3; sweep++) {
      await scheduler.sweep();
      await end('busy');
    }
    expect(started).toEqual(['busy', 'busy', 'busy']);
    await scheduler.stop();
  });
});

describe('workers under their own lease', () => {
  it('a worker skips a configuration whose lease another owner holds, and takes it once that lease lapsed', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    for (let i = 0; i < 4; i++)
      await startMatchmaking(h.context, { configurationName: name, players: [player(`l${i}`)] });
    const sink = new RecordingSink();
    const first = await runConfigurationWorker(h.context, sink, name, { owner: 'other', leaseMs: 3000 });
    expect(first.ran).toBe(true);
    expect(await runConfigurationWorker(h.context, sink, name, { owner: 'me', leaseMs: 3000 })).toEqual({
      ran: false,
    });
    h.clock.advance(3001);
    const later = await runConfigurationWorker(h.context, sink, name, { owner: 'me', leaseMs: 3000 });
    expect(later.ran).toBe(true);
  });

  it('reads an unsplit pool together with its lease request, and a split pool only once it holds the lease', async () => {
    const poolReads = () =>
      h.faults.sent.filter(
        (command) =>
          command.kind === 'Query' && (command.input as { IndexName?: string }).IndexName === 'pool',
      ).length;
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    for (let i = 0; i < 3; i++)
      await startMatchmaking(h.context, { configurationName: name, players: [player(`r${i}`)] });
    const sink = new RecordingSink();
    expect((await runConfigurationWorker(h.context, sink, name, { owner: 'other', leaseMs: 3000 })).ran).toBe(
      true,
    );
    let before = poolReads();
    expect((await runConfigurationWorker(h.context, sink, name, { owner: 'me', leaseMs: 3000 })).ran).toBe(
      false,
    );
    // Unsplit: the sixteen pool partitions went out with the (refused) lease request.
    expect(poolReads() - before).toBe(16);
    expect(await h.store.changePoolSplit(name, 1, 2)).toBe(true);
    for (const part of partsOf(2))
      expect(await h.store.acquireLease(name, 'other', h.clock.now(), 60_000, { split: 2, part })).toBe(true);
    before = poolReads();
    expect((await runConfigurationWorker(h.context, sink, name, { owner: 'me', leaseMs: 3000 })).ran).toBe(
      false,
    );
    // Split: every part's lease is taken, and no part read its partitions.
    expect(poolReads() - before).toBe(0);
  });

  it("starts a turn from a recent copy of the pool's split when allowed, and from a read otherwise", async () => {
    const splitReads = () =>
      h.faults.sent.filter(
        (command) =>
          command.kind === 'Get' && (command.input.Key as { sk?: string } | undefined)?.sk === 'SPLIT',
      ).length;
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const sink = new RecordingSink();
    const before = splitReads();
    for (let turn = 0; turn < 3; turn++)
      await runConfigurationWorker(h.context, sink, name, {
        owner: 'me',
        leaseMs: 3000,
        splitMaxAgeMs: 60_000,
      });
    expect(splitReads() - before).toBe(1);
    await runConfigurationWorker(h.context, sink, name, { owner: 'me', leaseMs: 3000 });
    expect(splitReads() - before).toBe(2);
  });

  it('publishes from the outbox shards this process committed events to, and reads no other', async () => {
    const outboxReads = () =>
      h.faults.sent.filter(
        (command) =>
          command.kind === 'Query' &&
          String((command.input.ExpressionAttributeValues as Record<string, unknown>)[':pk']).startsWith(
            'OUTBOX#',
          ),
      ).length;
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    // Notes left by earlier tests' writes on this table and configuration are none of this one's.
    h.store.takeOutboxWrites(name);
    for (let i = 0; i < 4; i++)
      await startMatchmaking(h.context, { configurationName: name, players: [player(`o${i}`)] });
    const sink = new RecordingSink();
    const asked: Array<readonly number[]> = [];
    const before = outboxReads();
    const turn = await runConfigurationWorker(h.context, sink, name, {
      owner: 'me',
      leaseMs: 3000,
      outboxShards: (configurationName) => {
        const written = h.store.takeOutboxWrites(configurationName);
        asked.push(written);
        return written;
      },
    });
    expect(turn.ran && turn.published).toBe(3);
    // The move's MatchmakingSearching, and the match's PotentialMatchCreated and MatchmakingSucceeded:
    // one shard each at most, and only those were read.
    const [written] = asked;
    expect(written?.length).toBeGreaterThan(0);
    expect(written?.length).toBeLessThanOrEqual(3);
    expect(outboxReads() - before).toBe(written?.length);
    expect(sink.delivered.map((event) => event.type)).toEqual([
      'MatchmakingSearching',
      'PotentialMatchCreated',
      'MatchmakingSucceeded',
    ]);
    // Nothing written since: the next turn reads no outbox partition at all.
    const again = outboxReads();
    await runConfigurationWorker(h.context, sink, name, {
      owner: 'me',
      leaseMs: 3000,
      outboxShards: (configurationName) => h.store.takeOutboxWrites(configurationName),
    });
    expect(outboxReads()).toBe(again);
    expect(await h.store.readOutbox(name, 100)).toEqual([]);
  });

  it('notes no outbox shard for a transaction that failed', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const [ticket] = await Promise.all([
      startMatchmaking(h.context, { configurationName: name, players: [player('f0')] }),
    ]);
    h.store.takeOutboxWrites(name);
    // A stale version: the move's transaction is refused, its event never written.
    const stale = { ...ticket, version: ticket.version + 5 };
    await expect(
      h.store.replaceTickets(
        [{ before: stale, after: { ...stale, status: 'SEARCHING', version: stale.version + 1 } }],
        {
          eventId: 'refused-event',
          type: 'MatchmakingSearching',
          configurationName: name,
          time: h.clock.now(),
          tickets: [],
        },
      ),
    ).rejects.toThrow();
    expect(h.store.takeOutboxWrites(name)).toEqual([]);
  });

  it('a pass past its deadline starts no write: its tickets wait, untouched, for the next pass', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = [];
    for (let i = 0; i < 8; i++)
      started.push(
        await startMatchmaking(h.context, { configurationName: name, players: [player(`d${i}`)] }),
      );
    const sink = new RecordingSink();
    // A lease of 0 ms: the pass's deadline is its start, so it reads but writes nothing.
    const cut = await runConfigurationWorker(h.context, sink, name, { owner: 'deadline', leaseMs: 0 });
    expect(cut.ran && cut.pass.cutShort).toBe(true);
    expect(cut.ran && cut.pass.movedToSearching).toBe(0);
    const tickets = await h.store.getTickets(started.map((t) => t.ticketId));
    expect(tickets.every((t) => t.status === 'QUEUED' && t.version === 1)).toBe(true);
    h.clock.advance(1);
    const next = await runConfigurationWorker(h.context, sink, name, { owner: 'deadline', leaseMs: 10_000 });
    expect(next.ran && next.pass.matchesCommitted).toBe(2);
  });

  it('a tick runs every configuration, each under its own lease', async () => {
    const names = [
      await setUpConfiguration(h.context, twoVersusTwo),
      await setUpConfiguration(h.context, twoVersusTwo),
    ];
    for (const name of names)
      for (let i = 0; i < 4; i++)
        await startMatchmaking(h.context, { configurationName: name, players: [player(`${name}-${i}`)] });
    // Another owner holds the first configuration: only the second is worked on.
    await h.store.acquireLease(names[0]!, 'someone-else', h.clock.now(), 60_000);
    const tick = await runMatchmakerTick(h.context, new RecordingSink(), 'tick-owner', 3000);
    expect(tick.skipped).toContain(names[0]);
    const mine = tick.passes.find((p) => p.configurationName === names[1]);
    expect(mine?.matchesCommitted).toBe(1);
    expect(tick.passes.some((p) => p.configurationName === names[0])).toBe(false);
  });
});

it('concurrent workers on one configuration (leases overlapping, as after a lapse) never double-match or lose an event', async () => {
  const own = await createHarness();
  try {
    const name = await setUpConfiguration(own.context, twoVersusTwo);
    const started = await soloTickets(own.context, name, 60, 'c');
    const sink = new RecordingSink();
    // Fresh stores and clients: separate invocations. Each round's lease lapses before the next
    // round (the clock moves past it), and within a round the workers race for it.
    const contexts = [own.context, own.freshContext(), own.freshContext(), own.freshContext()];
    let ran = 0;
    for (let round = 0; round < 6; round++) {
      const outcomes = await Promise.all(
        contexts.map((context, index) =>
          runConfigurationWorker(context, sink, name, { owner: `w${round}-${index}`, leaseMs: 60_000 }),
        ),
      );
      // The lease admits one worker per round however they interleave.
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      ran++;
      // Then every worker runs a pass at once, as workers whose leases overlapped would.
      await Promise.all(
        contexts.map(async (context) => {
          await runPass(context, name);
          await publishOutbox(context, sink, name);
        }),
      );
      own.clock.advance(60_001);
    }
    expect(ran).toBe(6);
    await expectAllMatchedOnce(own, sink, started);
  } finally {
    own.destroy();
  }
});

describe('throttling on the sharded paths', () => {
  const outboxRead = (command: SentCommand) =>
    command.kind === 'Query' &&
    String(
      (command.input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'],
    ).startsWith('OUTBOX#');
  const leaseWrite = (command: SentCommand) =>
    command.kind === 'Put' && String((command.input.Item as Record<string, unknown>).pk).startsWith('LEASE#');

  async function solos(name: string, count: number, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(
        (await startMatchmaking(h.context, { configurationName: name, players: [player(`${prefix}${i}`)] }))
          .ticketId,
      );
    return ids;
  }

  it('a throttled lease write: the worker fails having written nothing, its reads discarded', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await solos(name, 4, 'tl');
    h.faults.inject({ name: 'lease throttled', matches: leaseWrite, error: throttled });
    const sentBefore = h.faults.sent.length;
    await expect(
      runConfigurationWorker(h.context, new RecordingSink(), name, { owner: 'throttled', leaseMs: 8000 }),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    // The pool's split (one read), then the lease together with the pass's reads (the
    // configuration and the sixteen pool shards): the lease is the only write, and it failed.
    const sent = h.faults.sent.slice(sentBefore).map((c) => c.kind);
    expect(sent[0]).toBe('Get');
    expect(sent.filter((kind) => kind !== 'Get' && kind !== 'Query')).toEqual(['Put']);
    expect(sent.filter((kind) => kind === 'Query')).toHaveLength(16);
    const tickets = await h.store.getTickets(started);
    expect(tickets.every((t) => t.status === 'QUEUED' && t.version === 1)).toBe(true);
    h.faults.clear();
  });

  it('one pool shard of sixteen throttled: the pass fails having written nothing; the next one matches everyone', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await solos(name, 8, 'tp');
    const fault = h.faults.inject({
      name: 'tenth pool shard throttled',
      matches: commands.poolRead,
      skip: 9,
      error: throughputExceeded,
    });
    await expect(runPass(h.context, name)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(fault.fired()).toBe(1);
    expect((await h.store.getTickets(started)).every((t) => t.status === 'QUEUED' && t.version === 1)).toBe(
      true,
    );
    h.faults.clear();
    const report = await runPass(h.context, name);
    expect(report.matchesCommitted).toBe(2);
  });

  it('a throttled outbox shard or delete: nothing is lost, and what was deleted is not sent again', async () => {
    const own = await createHarness();
    try {
      const name = await setUpConfiguration(own.context, twoVersusTwo);
      const started: string[] = [];
      for (let i = 0; i < 40; i++)
        started.push(
          (await startMatchmaking(own.context, { configurationName: name, players: [player(`to${i}`)] }))
            .ticketId,
        );
      await runPass(own.context, name);
      const written = (await own.store.readOutbox(name, 100)).map((e) => e.eventId).sort();
      // 1 MatchmakingSearching + 10 × (PotentialMatchCreated, MatchmakingSucceeded).
      expect(written).toHaveLength(21);

      const sink = new RecordingSink();
      own.faults.inject({ name: 'outbox shard throttled', matches: outboxRead, skip: 5, error: throttled });
      await expect(publishOutbox(own.context, sink, name)).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      expect(sink.delivered).toEqual([]);
      expect((await own.store.readOutbox(name, 100)).map((e) => e.eventId).sort()).toEqual(written);
      own.faults.clear();

      // 21 events → deletes of 25 per call: one call here; throttle it once after delivery.
      own.faults.inject({
        name: 'outbox delete throttled',
        matches: commands.outboxDelete,
        error: throttled,
      });
      await expect(publishOutbox(own.context, sink, name)).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      own.faults.clear();
      // Delivered but not deleted: sent again with the same ids, then gone.
      await publishOutbox(own.context, sink, name);
      expect(await own.store.readOutbox(name, 100)).toEqual([]);
      const report = checkInvariants(await scanTable(own.documents, own.tableName), sink.delivered, {
        startedTicketIds: started,
        outboxEmpty: true,
        settled: true,
      });
      expect(report.violations).toEqual([]);
      expect(report.events.map((e) => e.eventId).sort()).toEqual(written);
      expect(report.duplicateDeliveries).toBe(21);
    } finally {
      own.destroy();
    }
  });
});

describe('a split pool: parts and a merge, each under its own lease', () => {
  it('the parts of a split read disjoint pool partitions that together are the whole pool; the merge reads old tickets only', () => {
    for (const split of [2, 4, 16]) {
      const read = partsOf(split)
        .filter((part) => part !== 'merge')
        .flatMap((part) => sliceOf(split, part, 10_000)?.partitions ?? []);
      expect(read.sort((a, b) => a - b)).toEqual(Array.from({ length: POOL_SHARDS }, (_, shard) => shard));
    }
    expect(sliceOf(1, 0, 10_000)).toBeUndefined();
    expect(sliceOf(4, 'merge', 10_000)).toMatchObject({ startedBefore: 10_000 - MERGE_AFTER_MS });
  });

  it('a pass over more than a part holds splits the pool and starts the new parts; part 0 halves it once the pool is small', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    for (let i = 0; i < 12; i++)
      await startMatchmaking(h.context, {
        configurationName: name,
        players: [player(`sp${i}`, 5 + (i % 3))],
      });
    const changes: Array<{ split: number; parts: unknown[] }> = [];
    const options = {
      owner: 'splitter',
      leaseMs: 8000,
      ticketsPerPart: 4,
      onSplitChanged: async (_: string, split: number, parts: unknown[]) => {
        changes.push({ split, parts });
      },
    };
    const first = await runConfigurationWorker(h.context, new RecordingSink(), name, options);
    expect(first).toMatchObject({ ran: true, pass: { ticketsInPool: 12, matchesCommitted: 3 } });
    // 12 tickets at 4 a part: the next power of two above 3 parts.
    expect(changes).toEqual([{ split: 4, parts: [0, 1, 2, 3, 'merge'] }]);
    expect(await h.store.getPoolSplit(name)).toBe(4);
    // Everyone matched: part 0 sees an empty pool and halves the split, one step at a time.
    await runConfigurationWorker(h.context, new RecordingSink(), name, options);
    expect(await h.store.getPoolSplit(name)).toBe(2);
    // A stale writer (it read split 4) changes nothing.
    expect(await h.store.changePoolSplit(name, 4, 8)).toBe(false);
    expect(await h.store.getPoolSplit(name)).toBe(2);
  });

  it('concurrent workers of a split pool (parts, merge, a stale whole-pool worker, passes over every slice at once) never double-match or lose an event', async () => {
    const own = await createHarness();
    try {
      const name = await setUpConfiguration(own.context, twoVersusTwo);
      const started = await soloTickets(own.context, name, 64, 'sw');
      expect(await own.store.changePoolSplit(name, 1, 4)).toBe(true);
      const sink = new RecordingSink();
      const contexts = [own.context, own.freshContext(), own.freshContext()];
      const parts = partsOf(4);
      for (let round = 0; round < 6; round++) {
        const outcomes = await Promise.all([
          // Every part and the merge, from three invocations at once: one wins each lease.
          ...contexts.map((context, index) =>
            runConfigurationWorker(context, sink, name, { owner: `s${round}-${index}`, leaseMs: 60_000 }),
          ),
          // A worker that still believes the pool whole races part 0 for the configuration's lease.
          runPartWorker(own.freshContext(), sink, name, 1, 0, { owner: `stale${round}`, leaseMs: 60_000 }),
        ]);
        expect(outcomes.some((outcome) => outcome.ran)).toBe(true);
        // Then a pass over every slice and the whole pool at once, as if every lease overlapped.
        const now = own.clock.now();
        await Promise.all([
          ...parts.map((part) => {
            const slice = sliceOf(4, part, now);
            return runPass(own.freshContext(), name, slice ? { slice } : {});
          }),
          runPass(own.freshContext(), name),
        ]);
        await publishOutbox(own.context, sink, name);
        // Past the leases, and past MERGE_AFTER_MS: the merge sees what the parts left.
        own.clock.advance(60_001);
      }
      await expectAllMatchedOnce(own, sink, started);
    } finally {
      own.destroy();
    }
  });
});

describe('work units of a split pool', () => {
  it('a unit of an old split retires and gives its lease back, so part 0 of the new split runs at once', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    await soloTickets(h.context, name, 4, 'ru');
    const sink = new RecordingSink();
    const whole = { configurationName: name, split: 1, part: 0 as const };
    expect(await runUnitTurn(h.context, sink, whole, { owner: 'old', leaseMs: 60_000 })).toMatchObject({
      ran: true,
      pass: { matchesCommitted: 1 },
    });
    expect(await h.store.changePoolSplit(name, 1, 2)).toBe(true);
    // Part 0 of the new split shares the configuration's lease, which the old unit still holds.
    expect(await runPartWorker(h.context, sink, name, 2, 0, { owner: 'new', leaseMs: 60_000 })).toEqual({
      ran: false,
    });
    expect(await runUnitTurn(h.context, sink, whole, { owner: 'old', leaseMs: 60_000 })).toEqual({
      ran: false,
      retired: true,
    });
    expect(await runPartWorker(h.context, sink, name, 2, 0, { owner: 'new', leaseMs: 60_000 })).toMatchObject(
      {
        ran: true,
      },
    );
  });

  it('the dispatcher sends one message per configuration, or per part and the merge of a split pool', async () => {
    const whole = await setUpConfiguration(h.context, twoVersusTwo);
    const split = await setUpConfiguration(h.context, twoVersusTwo);
    expect(await h.store.changePoolSplit(split, 1, 4)).toBe(true);
    const sent: WorkUnit[] = [];
    const result = await dispatchConfigurations(h.context, {
      enqueue: async (units) => {
        sent.push(...units);
        return { failed: [] };
      },
    });
    expect(result.failed).toEqual([]);
    expect(sent.filter((unit) => unit.configurationName === whole)).toEqual([
      { configurationName: whole, split: 1, part: 0 },
    ]);
    expect(sent.filter((unit) => unit.configurationName === split).map((unit) => unit.part)).toEqual([
      0,
      1,
      2,
      3,
      'merge',
    ]);
    expect(sent.filter((unit) => unit.configurationName === split).every((unit) => unit.split === 4)).toBe(
      true,
    );
  });
});

describe('the outbox shards a local run reads', () => {
  function plan() {
    let now = 1_000_000;
    const written = new Map<string, number[]>();
    const reads = new LocalOutboxReads(
      (name) => {
        const shards = written.get(name) ?? [];
        written.delete(name);
        return shards;
      },
      () => now,
    );
    return {
      reads,
      write: (name: string, ...shards: number[]) =>
        written.set(name, [...(written.get(name) ?? []), ...shards]),
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('every shard on a configuration first run, then only the shards written, then every shard again once the period is up', () => {
    const { reads, write, advance } = plan();
    write('a', 3);
    expect(reads.shardsFor('a')).toBeUndefined();
    write('a', 5, 9);
    advance(1000);
    expect(reads.shardsFor('a')).toEqual([5, 9]);
    advance(1000);
    // Nothing written: nothing to read, not even one partition.
    expect(reads.shardsFor('a')).toEqual([]);
    // Another configuration keeps its own period.
    expect(reads.shardsFor('b')).toBeUndefined();
    advance(FULL_OUTBOX_READ_EVERY_MS);
    expect(reads.shardsFor('a')).toBeUndefined();
    expect(reads.shardsFor('a')).toEqual([]);
  });

  it('every shard on the run after a failure, whatever the period', () => {
    const { reads, write, advance } = plan();
    expect(reads.shardsFor('a')).toBeUndefined();
    advance(10);
    write('a', 2);
    expect(reads.shardsFor('a')).toEqual([2]);
    reads.failed('a');
    advance(10);
    expect(reads.shardsFor('a')).toBeUndefined();
  });
});
