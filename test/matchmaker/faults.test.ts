import {
  EventBridgeClient,
  InternalException,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeSink } from '../../lambdas/handlers/eventbridge-sink';
import type { MatchmakingEvent, TicketRecord } from '../../lambdas/store/records';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { PLACING_RECOVERY_MS, publishOutbox, runPass } from '../../lambdas/usecases/matchmaker';
import {
  commands,
  createHarness,
  type Harness,
  type Item,
  networkFailure,
  player,
  RecordingSink,
  scanTable,
  setUpConfiguration,
  throttled,
  throughputExceeded,
  transactionConflict,
  twoVersusTwo,
} from '../support/matchmaker-harness';
import { checkInvariants, eventsOfTicket, type InvariantReport } from '../support/matchmaker-invariants';
import { startBackfill, startMatchmaking, stopTicket } from '../support/ticket-calls';

/**
 * Faults DynamoDB Local never produces (transaction conflicts, throttling, lost responses,
 * crashes between steps) and EventBridge partial failures, each followed by a normal pass and
 * publish that must leave everything consistent: every ticket ended or waiting, every end
 * reported exactly once (after de-duplication by eventId), the outbox empty.
 */

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h?.destroy());

async function startSolos(context: UseCaseContext, configurationName: string, count: number, prefix = 'p') {
  const tickets: TicketRecord[] = [];
  // In groups, to keep the large cases quick; every ticket starts at the same (test) time anyway.
  for (let start = 0; start < count; start += 20) {
    const group = Array.from({ length: Math.min(20, count - start) }, (_, k) => start + k);
    tickets.push(
      ...(await Promise.all(
        group.map((i) =>
          startMatchmaking(context, {
            configurationName,
            players: [player(`${prefix}${String(i).padStart(3, '0')}`, 10 + (i % 7))],
          }),
        ),
      )),
    );
  }
  return tickets;
}

async function table(): Promise<Item[]> {
  return scanTable(h.documents, h.tableName);
}

const ticketsIn = (items: Item[]) =>
  items.filter((i) => String(i.pk).startsWith('TICKET#')) as unknown as TicketRecord[];
const matchesIn = (items: Item[]) => items.filter((i) => String(i.pk).startsWith('MATCH#'));
const locksIn = (items: Item[]) => items.filter((i) => String(i.pk).startsWith('PLAYER#'));
const outboxIn = (items: Item[]) => items.filter((i) => String(i.pk).startsWith('OUTBOX#'));
const TERMINAL = new Set([
  'MatchmakingSucceeded',
  'MatchmakingCancelled',
  'MatchmakingTimedOut',
  'MatchmakingFailed',
]);
/** Lifecycle events these cases assert on (other kinds, e.g. PotentialMatchCreated, are not counted). */
const COUNTED = new Set(['MatchmakingSearching', ...TERMINAL]);
const eventCounts = (events: MatchmakingEvent[]) =>
  countBy(
    events.filter((e) => COUNTED.has(e.type)),
    (e) => e.type,
  );
const countBy = <T>(values: T[], key: (value: T) => string) =>
  values.reduce<Record<string, number>>((counts, value) => {
    counts[key(value)] = (counts[key(value)] ?? 0) + 1;
    return counts;
  }, {});

/** A normal pass and publish on a fresh context, then every invariant over table and events. */
async function recoverAndCheck(
  configurationName: string,
  sink: RecordingSink,
  started: readonly TicketRecord[],
  passes = 1,
): Promise<InvariantReport> {
  h.faults.clear();
  const context = h.freshContext();
  for (let i = 0; i < passes; i++) await runPass(context, configurationName);
  await publishOutbox(context, sink, configurationName);
  const report = checkInvariants(await table(), sink.delivered, {
    startedTicketIds: started.map((t) => t.ticketId),
    outboxEmpty: true,
    settled: true,
  });
  expect(report.violations).toEqual([]);
  return report;
}

describe('1. a transaction conflict on a match commit', () => {
  it('drops that match only; its tickets stay SEARCHING and the next pass matches them', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await startSolos(h.context, name, 8);
    const conflict = h.faults.inject({
      name: 'first match commit conflicts',
      matches: commands.matchCommit,
      error: transactionConflict,
    });

    const first = await runPass(h.context, name);
    expect(conflict.fired()).toBe(1);
    expect(first).toMatchObject({ movedToSearching: 8, matchesCommitted: 1, matchesDropped: 1 });
    const items = await table();
    expect(matchesIn(items)).toHaveLength(1);
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ COMPLETED: 4, SEARCHING: 4 });
    // Nothing of the dropped match was written: its players still hold their locks.
    const waiting = ticketsIn(items).filter((t) => t.status === 'SEARCHING');
    expect(waiting.every((t) => t.version === 2 && t.matchId === undefined)).toBe(true);
    expect(locksIn(items).map((l) => l.ticketId)).toEqual(
      expect.arrayContaining(waiting.map((t) => t.ticketId)),
    );
    expect(locksIn(items)).toHaveLength(4);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: 8 });
    expect(report.committedMatches).toBe(2);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 1, MatchmakingSucceeded: 2 });
  });
});

describe('2. throttling', () => {
  it('while reading the pool: the pass fails having written nothing; the next pass completes', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await startSolos(h.context, name, 8);
    h.faults.inject({ name: 'pool read throttled', matches: commands.poolRead, error: throughputExceeded });

    await expect(runPass(h.context, name)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    const items = await table();
    expect(ticketsIn(items).every((t) => t.status === 'QUEUED' && t.version === 1)).toBe(true);
    expect(matchesIn(items)).toEqual([]);
    expect(outboxIn(items)).toEqual([]);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: 8 });
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 1, MatchmakingSucceeded: 2 });
  });

  it('while moving the second batch to SEARCHING: the first batch stays moved, nothing half-written; the next pass completes', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    // 120 tickets: moveToSearching writes 99 and then 21, each batch one transaction with its event.
    const started = await startSolos(h.context, name, 120);
    const fault = h.faults.inject({
      name: 'second SEARCHING batch throttled',
      matches: commands.moveToSearching,
      skip: 1,
      error: throttled,
    });

    await expect(runPass(h.context, name)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fault.fired()).toBe(1);
    const items = await table();
    const byStatus = countBy(ticketsIn(items), (t) => `${t.status}@${t.version}`);
    expect(byStatus).toEqual({ 'SEARCHING@2': 99, 'QUEUED@1': 21 });
    expect(matchesIn(items)).toEqual([]);
    expect(locksIn(items)).toHaveLength(120);
    const pending = await h.store.readOutbox(name, 100);
    expect(pending.map((e) => [e.type, e.tickets.length])).toEqual([['MatchmakingSearching', 99]]);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: 120 });
    expect(report.committedMatches).toBe(30);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 2, MatchmakingSucceeded: 30 });
  });
});

describe('3. EventBridge PutEvents failures', () => {
  const ebMock = mockClient(EventBridgeClient);
  afterEach(() => ebMock.reset());
  afterAll(() => ebMock.restore());

  interface BusEntry {
    eventId: string;
    type: string;
    ticketIds: string[];
    detail: string;
  }
  const parse = (entry: NonNullable<PutEventsCommandInput['Entries']>[number]): BusEntry => {
    const detail = JSON.parse(entry.Detail ?? '{}') as {
      eventId: string;
      type: string;
      tickets: Array<{ ticketId: string }>;
    };
    return {
      eventId: detail.eventId,
      type: detail.type,
      ticketIds: detail.tickets.map((t) => t.ticketId),
      detail: entry.Detail ?? '',
    };
  };

  it('keeps failed entries in the outbox and delivers them next time, with the same eventIds', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const matched = await startSolos(h.context, name, 16);
    const stopped = await startSolos(h.context, name, 6, 'quitter');
    for (const ticket of stopped) await stopTicket(h.context, ticket.ticketId);
    await runPass(h.context, name);
    const written = await h.store.readOutbox(name, 100);
    // 6 cancellations, one SEARCHING batch, 4 matches (and whatever else the passes report): more
    // than one PutEvents batch of 10.
    expect(eventCounts(written)).toEqual({
      MatchmakingCancelled: 6,
      MatchmakingSearching: 1,
      MatchmakingSucceeded: 4,
    });

    const bus: BusEntry[] = [];
    const attempts: BusEntry[] = [];
    let mode: 'down' | 'partial' | 'healthy' = 'down';
    let throwOnce = true;
    const poisoned = new Set(
      [
        ...written.filter((e) => e.type === 'MatchmakingSucceeded').slice(0, 2),
        ...written.filter((e) => e.type === 'MatchmakingCancelled').slice(-1),
      ].map((e) => e.eventId),
    );
    ebMock.on(PutEventsCommand).callsFake((input: PutEventsCommandInput): PutEventsCommandOutput => {
      const entries = (input.Entries ?? []).map(parse);
      attempts.push(...entries);
      if (mode === 'down' || (mode === 'partial' && throwOnce)) {
        throwOnce = mode === 'down';
        throw new InternalException({ message: 'Internal failure', $metadata: { httpStatusCode: 500 } });
      }
      const results: PutEventsResultEntry[] = entries.map((entry) => {
        if (mode === 'partial' && poisoned.has(entry.eventId))
          return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' };
        bus.push(entry);
        return { EventId: `eb-${bus.length}` };
      });
      return {
        $metadata: { httpStatusCode: 200 },
        FailedEntryCount: results.filter((r) => r.ErrorCode).length,
        Entries: results,
      };
    });
    const sink = new EventBridgeSink({
      client: new EventBridgeClient({ region: 'us-east-1' }),
      eventBusName: 'slotfill-events',
      source: 'slotfill.matchmaking',
      arnScope: { region: 'us-east-1', accountId: '000000000000' },
    });
    const outboxIds = async () => (await h.store.readOutbox(name, 100)).map((e) => e.eventId).sort();

    // EventBridge down: every attempt throws; nothing delivered, nothing lost.
    expect(written.length).toBeGreaterThan(10);
    expect(await publishOutbox(h.context, sink, name)).toEqual({ published: 0, failed: written.length });
    expect(bus).toEqual([]);
    expect(await outboxIds()).toEqual(written.map((e) => e.eventId).sort());

    // One throw (retried within the publish), then some entries fail every retry.
    mode = 'partial';
    expect(await publishOutbox(h.context, sink, name)).toEqual({ published: written.length - 3, failed: 3 });
    expect(await outboxIds()).toEqual([...poisoned].sort());
    expect(new Set(bus.map((e) => e.eventId)).size).toBe(written.length - 3);

    // Healthy again: the rest goes out and the outbox is empty.
    mode = 'healthy';
    expect(await publishOutbox(h.context, sink, name)).toEqual({ published: 3, failed: 0 });
    expect(await outboxIds()).toEqual([]);

    // Every event was delivered; a retried entry is byte-for-byte what was first attempted.
    const delivered = new Map(bus.map((e) => [e.eventId, e]));
    expect([...delivered.keys()].sort()).toEqual(written.map((e) => e.eventId).sort());
    for (const attempt of attempts) expect(delivered.get(attempt.eventId)?.detail).toBe(attempt.detail);

    // A consumer de-duplicating by detail.eventId sees exactly one end per ticket, of the right kind.
    const ends = new Map<string, string[]>();
    for (const entry of delivered.values()) {
      if (!TERMINAL.has(entry.type)) continue;
      for (const id of entry.ticketIds) ends.set(id, [...(ends.get(id) ?? []), entry.type]);
    }
    for (const t of matched) expect(ends.get(t.ticketId)).toEqual(['MatchmakingSucceeded']);
    for (const t of stopped) expect(ends.get(t.ticketId)).toEqual(['MatchmakingCancelled']);

    // The table agrees (the recording sink sees the same events the outbox held).
    const recorded = new RecordingSink();
    await recorded.publish(written);
    const report = checkInvariants(await table(), recorded.delivered, {
      startedTicketIds: [...matched, ...stopped].map((t) => t.ticketId),
      outboxEmpty: true,
      settled: true,
    });
    expect(report.violations).toEqual([]);
  });
});

describe('4. a crash between commit and publish', () => {
  it('after runPass committed, a fresh process publishes the events', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await startSolos(h.context, name, 8);
    const crashed = await runPass(h.context, name);
    expect(crashed.matchesCommitted).toBe(2);
    // The process dies here: no publish. A new invocation, with new clients and store, takes over.
    const pending = await h.store.readOutbox(name, 100);
    const sink = new RecordingSink();
    expect(await publishOutbox(h.freshContext(), sink, name)).toEqual({
      published: pending.length,
      failed: 0,
    });
    expect(sink.delivered).toEqual(pending);
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: 8 });
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 1, MatchmakingSucceeded: 2 });
  });

  it('when the commit was applied but its response lost, nothing is matched twice and events still go out', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await startSolos(h.context, name, 8);
    let lostMatch = '';
    h.faults.inject({
      name: 'commit applied, response lost',
      matches: commands.matchCommit,
      when: 'after',
      error: (command) => {
        lostMatch = command.operations.find((o) => o.pk.startsWith('MATCH#'))?.pk ?? '';
        return networkFailure();
      },
    });
    await expect(runPass(h.context, name)).rejects.toThrow('socket hang up');
    // The caller never learned it, but that match is committed, its tickets with it.
    const lost = matchesIn(await table()).find((m) => m.pk === lostMatch);
    expect(lost?.state).toBe('COMMITTED');
    const lostTickets = ticketsIn(await table()).filter((t) => t.matchId === lost?.matchId);
    expect(lostTickets.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started, 2);
    expect(report.statuses).toEqual({ COMPLETED: 8 });
    expect(report.committedMatches).toBe(2);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 1, MatchmakingSucceeded: 2 });
  });

  it('after delivery but before the outbox delete: redelivery carries the same eventIds, de-duplicated to one end per ticket', async () => {
    const name = await setUpConfiguration(h.context, twoVersusTwo);
    const started = await startSolos(h.context, name, 8);
    await stopTicket(h.context, started[7]!.ticketId);
    await runPass(h.context, name);
    h.faults.inject({
      name: 'crash before outbox delete',
      matches: commands.outboxDelete,
      error: networkFailure,
    });
    const sink = new RecordingSink();
    await expect(publishOutbox(h.context, sink, name)).rejects.toThrow('socket hang up');
    const firstDelivery = [...sink.delivered];
    expect(eventCounts(firstDelivery)).toEqual({
      MatchmakingCancelled: 1,
      MatchmakingSearching: 1,
      MatchmakingSucceeded: 1,
    });

    // Another invocation publishes the same events again: at least once, never different.
    h.faults.clear();
    expect(await publishOutbox(h.freshContext(), sink, name)).toEqual({
      published: firstDelivery.length,
      failed: 0,
    });
    expect(sink.delivered.slice(firstDelivery.length)).toEqual(firstDelivery);
    // The untouched pool holds 3 SEARCHING tickets; a further pass changes nothing about them.
    const report = await recoverAndCheck(name, sink, started);
    expect(report.duplicateDeliveries).toBe(firstDelivery.length);
    expect(report.statuses).toEqual({ COMPLETED: 4, CANCELLED: 1, SEARCHING: 3 });
    expect(eventsOfTicket(report.events, started[7]!.ticketId)).toHaveLength(1);
  });
});

describe('5. large matches (two teams of 60: 120 tickets, reserved in chunks of 100 and 20)', () => {
  const largeMatch = {
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 10 }],
    algorithm: { strategy: 'balanced', balancedAttribute: 'skill', batchingPreference: 'largestPopulation' },
    teams: [
      { name: 'red', minPlayers: 60, maxPlayers: 60 },
      { name: 'blue', minPlayers: 60, maxPlayers: 60 },
    ],
  };
  const PLAYERS = 120;

  async function largeSetup() {
    const name = await setUpConfiguration(h.context, largeMatch);
    const started = await startSolos(h.context, name, PLAYERS);
    return { name, started };
  }
  const matchStates = (items: Item[]) => matchesIn(items).map((m) => m.state);

  it('(a) a fault while reserving chunk 2 releases the reserved tickets and abandons the match; the next pass matches', async () => {
    const { name, started } = await largeSetup();
    const chunks = h.faults.inject({
      name: 'second reservation chunk throttled',
      matches: commands.reservationChunk,
      skip: 1,
      error: throughputExceeded,
    });
    await expect(runPass(h.context, name)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(chunks.fired()).toBe(1);
    const items = await table();
    expect(matchStates(items)).toEqual(['ABANDONED']);
    // Reserved (v3) then released (v4): back in the pool, still holding their players' locks.
    expect(countBy(ticketsIn(items), (t) => `${t.status}@${t.version}`)).toEqual({
      'SEARCHING@4': 100,
      'SEARCHING@2': 20,
    });
    expect(locksIn(items)).toHaveLength(PLAYERS);
    expect((await h.store.readOutbox(name, 100)).map((e) => e.type)).toEqual([
      'MatchmakingSearching',
      'MatchmakingSearching',
    ]);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: PLAYERS });
    expect(report.committedMatches).toBe(1);
    expect(matchStates(await table()).sort()).toEqual(['ABANDONED', 'COMMITTED']);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 2, MatchmakingSucceeded: 1 });
  });

  it('(b) a crash after the COMMITTED flip leaves tickets PLACING; recovery completes them with one success event', async () => {
    const { name, started } = await largeSetup();
    h.faults.inject({ name: 'finishPlacing throttled', matches: commands.finishPlacing, error: throttled });
    await expect(runPass(h.context, name)).rejects.toMatchObject({ name: 'ThrottlingException' });
    let items = await table();
    expect(matchStates(items)).toEqual(['COMMITTED']);
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ PLACING: PLAYERS });
    expect(locksIn(items)).toHaveLength(PLAYERS);

    h.faults.clear();
    h.clock.advance(1000);
    const recovery = await runPass(h.freshContext(), name);
    expect(recovery).toMatchObject({ placingRecovered: PLAYERS, matchesCommitted: 0 });
    items = await table();
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ COMPLETED: PLAYERS });
    expect(locksIn(items)).toEqual([]);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 2, MatchmakingSucceeded: 1 });
    const [success] = report.events.filter((e) => e.type === 'MatchmakingSucceeded');
    expect(success?.tickets).toHaveLength(PLAYERS);
  });

  it('(b) a conflict on one finishing batch is left to recovery, which completes those tickets', async () => {
    const { name, started } = await largeSetup();
    h.faults.inject({
      name: 'a finishing batch conflicts',
      matches: commands.finishPlacing,
      error: transactionConflict,
    });
    const pass = await runPass(h.context, name);
    expect(pass.matchesCommitted).toBe(1);
    const items = await table();
    const placing = ticketsIn(items).filter((t) => t.status === 'PLACING');
    expect(placing.length).toBeGreaterThan(0);
    // Their players stay locked until the tickets really end.
    expect(locksIn(items)).toHaveLength(placing.length);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: PLAYERS });
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 2, MatchmakingSucceeded: 1 });
  });

  it('(c) a match stuck RESERVING is abandoned only after PLACING_RECOVERY_MS, then its players are matched again', async () => {
    const { name, started } = await largeSetup();
    h.faults.inject({ name: 'COMMITTED flip fails', matches: commands.committedFlip, error: networkFailure });
    await expect(runPass(h.context, name)).rejects.toThrow('socket hang up');
    let items = await table();
    expect(matchStates(items)).toEqual(['RESERVING']);
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ PLACING: PLAYERS });
    h.faults.clear();

    // Too early: the commit may still be in flight elsewhere, so nothing is touched.
    h.clock.advance(PLACING_RECOVERY_MS - 1000);
    expect(await runPass(h.freshContext(), name)).toMatchObject({ placingRecovered: 0, matchesCommitted: 0 });
    items = await table();
    expect(matchStates(items)).toEqual(['RESERVING']);
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ PLACING: PLAYERS });

    // Past the deadline: abandoned and released in this pass, matched in the next.
    h.clock.advance(2000);
    expect(await runPass(h.freshContext(), name)).toMatchObject({ placingRecovered: PLAYERS });
    items = await table();
    expect(matchStates(items)).toEqual(['ABANDONED']);
    expect(countBy(ticketsIn(items), (t) => t.status)).toEqual({ SEARCHING: PLAYERS });

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: PLAYERS });
    expect(matchStates(await table()).sort()).toEqual(['ABANDONED', 'COMMITTED']);
    expect(eventCounts(report.events)).toEqual({ MatchmakingSearching: 2, MatchmakingSucceeded: 1 });
  });

  it('(d) a ticket stopped before the commit point wins: the match is abandoned, the others wait again', async () => {
    const { name, started } = await largeSetup();
    const quitter = started[17]!;
    let stopped: TicketRecord | undefined;
    // Every ticket is reserved; right before the COMMITTED flip, the player gives up.
    h.faults.inject({
      name: 'stop before the flip',
      matches: commands.committedFlip,
      hook: async () => {
        stopped = await stopTicket(h.freshContext(), quitter.ticketId);
      },
    });
    expect(await runPass(h.context, name)).toMatchObject({ matchesCommitted: 0, matchesDropped: 1 });
    expect(stopped?.status).toBe('CANCELLED');
    expect(matchStates(await table())).toEqual(['ABANDONED']);

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started, 2);
    expect(report.committedMatches).toBe(0);
    expect(report.statuses).toEqual({ CANCELLED: 1, SEARCHING: PLAYERS - 1 });
    expect(
      eventsOfTicket(report.events, quitter.ticketId)
        .filter((e) => TERMINAL.has(e.type))
        .map((e) => e.type),
    ).toEqual(['MatchmakingCancelled']);
  });

  it('(d) a ticket stopped after the commit point is refused: the match stands and the ticket completes', async () => {
    const { name, started } = await largeSetup();
    const quitter = started[17]!;
    let refusal: unknown;
    h.faults.inject({
      name: 'stop after the flip',
      matches: commands.finishPlacing,
      hook: async () => {
        refusal = await stopTicket(h.freshContext(), quitter.ticketId).catch((error: unknown) => error);
      },
    });
    expect(await runPass(h.context, name)).toMatchObject({ matchesCommitted: 1 });
    expect(refusal).toMatchObject({ kind: 'Conflict', message: expect.stringMatching(/was just matched/) });

    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, started);
    expect(report.statuses).toEqual({ COMPLETED: PLAYERS });
    expect(
      eventsOfTicket(report.events, quitter.ticketId)
        .filter((e) => TERMINAL.has(e.type))
        .map((e) => e.type),
    ).toEqual(['MatchmakingSucceeded']);
  });

  it('(e) a backfill replaced while its large match is reserving: the replacement wins and the match is abandoned', async () => {
    const name = await setUpConfiguration(h.context, largeMatch);
    const gameSessionArn = 'arn:aws:gamelift:us-east-1::gamesession/fleet-1/large';
    const roster = [player('veteran', 10, 'red')];
    const first = await startBackfill(h.context, {
      configurationName: name,
      gameSessionArn,
      players: roster,
    });
    const solos = await startSolos(h.context, name, PLAYERS - 1);
    let second: TicketRecord | undefined;
    h.faults.inject({
      name: 'backfill replaced before the flip',
      matches: commands.committedFlip,
      hook: async () => {
        second = await startBackfill(h.freshContext(), {
          configurationName: name,
          gameSessionArn,
          players: roster,
        });
      },
    });
    expect(await runPass(h.context, name)).toMatchObject({ matchesCommitted: 0, matchesDropped: 1 });
    expect(second?.status).toBe('QUEUED');

    // The next passes match the new backfill with the same players.
    const sink = new RecordingSink();
    const report = await recoverAndCheck(name, sink, [first, second!, ...solos], 2);
    expect(report.statuses).toEqual({ CANCELLED: 1, COMPLETED: PLAYERS });
    expect(report.backfillMatches).toBe(1);
    expect(
      eventsOfTicket(report.events, first.ticketId)
        .filter((e) => TERMINAL.has(e.type))
        .map((e) => e.type),
    ).toEqual(['MatchmakingCancelled']);
  });
});
