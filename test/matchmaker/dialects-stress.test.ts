import { SlotfillError } from '../../lambdas/shared/errors';
import { publishOutbox, runPass } from '../../lambdas/usecases/matchmaker';
import {
  commands,
  createHarness,
  type Harness,
  RecordingSink,
  scanTable,
  seededRandom,
  transactionConflict,
} from '../support/matchmaker-harness';
import { checkInvariants } from '../support/matchmaker-invariants';
import type { DialectDriver, Member } from '../usecases/support';
import { gameLiftDriver, playFabDriver } from '../usecases/support';

/**
 * The stress and fault stories of stress.test.ts and faults.test.ts, with tickets and
 * backfills opened through both dialects' operation tables: a GameLift configuration and a
 * PlayFab queue share one table and one matchmaker, and race passes, cancellations and
 * publishers. Whatever the dialect, the table and the events must tell one consistent story.
 */

const SEED = 20261207;
const SOLOS_PER_DIALECT = 40;
const BACKFILLS_PER_DIALECT = 4;
const CANCELLATIONS_PER_DIALECT = 8;
const TIMEOUT_SECONDS = 6;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h?.destroy());

interface Lane {
  driver: DialectDriver;
  configurationName: string;
  started: string[];
  waiting: string[];
}

async function openLanes(): Promise<Lane[]> {
  const lanes: Lane[] = [];
  for (const driver of [gameLiftDriver(h.context), playFabDriver(h.context)]) {
    const configurationName = await driver.setUp(TIMEOUT_SECONDS);
    lanes.push({ driver, configurationName, started: [], waiting: [] });
  }
  return lanes;
}

const solo = (lane: Lane, i: number, skill: number): Member[] => [
  { playerId: `${lane.driver.name}-p${String(i).padStart(3, '0')}`, skill },
];

it('passes racing cancellations and publishers over a GameLift configuration and a PlayFab queue keep every invariant', async () => {
  const rng = seededRandom(SEED);
  const lanes = await openLanes();
  const sink = new RecordingSink();
  const errors: unknown[] = [];
  const outcome = { cancelled: 0, alreadyEnded: 0, raced: 0 };

  const arrivalsDone = new Set<Lane>();
  const firstCancellation = new Map(
    lanes.map((lane) => {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      return [lane, { promise, resolve }] as const;
    }),
  );
  const arrivals = async (lane: Lane) => {
    // First, games that lost their blue player: each backfill needs one newcomer.
    for (let s = 0; s < BACKFILLS_PER_DIALECT; s++) {
      try {
        lane.started.push(
          await lane.driver.backfill([{ playerId: `${lane.driver.name}-s${s}-red`, skill: 12, team: 'red' }]),
        );
      } catch (error) {
        errors.push(error);
      }
    }
    for (let i = 0; i < SOLOS_PER_DIALECT; i++) {
      try {
        const ticketId = await lane.driver.start(solo(lane, i, 5 + rng.int(20)));
        lane.started.push(ticketId);
        lane.waiting.push(ticketId);
      } catch (error) {
        errors.push(error);
      }
    }
    arrivalsDone.add(lane);
  };
  const cancellations = async (lane: Lane) => {
    for (let i = 0; i < CANCELLATIONS_PER_DIALECT; i++) {
      // Cancel among the tickets that have arrived so far, racing the passes that match them.
      while (lane.waiting.length < 4 && lane.started.length < SOLOS_PER_DIALECT + BACKFILLS_PER_DIALECT)
        await new Promise((resolve) => setTimeout(resolve, 5));
      if (lane.waiting.length === 0) break;
      const [ticketId] = lane.waiting.splice(rng.int(lane.waiting.length), 1);
      try {
        await lane.driver.cancel(ticketId);
        outcome.cancelled++;
      } catch (error) {
        if (error instanceof SlotfillError && error.reason === 'AlreadyCompleted') outcome.alreadyEnded++;
        else if (error instanceof SlotfillError && error.kind === 'Conflict') outcome.raced++;
        else errors.push(error);
      } finally {
        firstCancellation.get(lane)?.resolve();
      }
    }
    firstCancellation.get(lane)?.resolve(); // also when there was nothing to cancel
  };
  let passesRunning = lanes.length;
  const passes = async (lane: Lane) => {
    try {
      // Ten passes 200 ms apart on the clock, racing the arrivals; on a slow machine the
      // arrivals may outlast them, so passes go on (clock still) until two after the last one.
      // The lane's first cancellation goes before any pass, so the cancel path always runs
      // however the machine's load orders the rest.
      await firstCancellation.get(lane)?.promise;
      let passesAfterArrivals = 0;
      for (let i = 0; i < 10 || passesAfterArrivals < 2; i++) {
        if (i < 10) h.clock.advance(200);
        const arrivedBefore = arrivalsDone.has(lane);
        await runPass(h.context, lane.configurationName);
        if (arrivedBefore) passesAfterArrivals++;
      }
    } catch (error) {
      errors.push(error);
    } finally {
      passesRunning--;
    }
  };
  const publisher = async (lane: Lane) => {
    try {
      while (passesRunning > 0) await publishOutbox(h.context, sink, lane.configurationName);
    } catch (error) {
      errors.push(error);
    }
  };

  await Promise.all(
    lanes.flatMap((lane) => [arrivals(lane), cancellations(lane), passes(lane), publisher(lane)]),
  );
  expect(errors).toEqual([]);

  // Past every deadline: one more pass per lane ends whatever still waits, then everything is published.
  h.clock.advance(TIMEOUT_SECONDS * 1000 + 1000);
  for (const lane of lanes) {
    await runPass(h.context, lane.configurationName);
    await publishOutbox(h.context, sink, lane.configurationName);
  }
  const started = lanes.flatMap((lane) => lane.started);
  const report = checkInvariants(await scanTable(h.documents, h.tableName), sink.delivered, {
    startedTicketIds: started,
    outboxEmpty: true,
    settled: true,
  });
  expect(report.violations).toEqual([]);
  expect(Object.values(report.statuses).reduce((a, b) => a + b, 0)).toBe(started.length);
  for (const status of ['QUEUED', 'SEARCHING', 'PLACING', 'REQUIRES_ACCEPTANCE'] as const)
    expect(report.statuses[status] ?? 0).toBe(0);
  // Both dialects matched, backfilled and cancelled: the run exercised what it claims to.
  for (const lane of lanes) {
    const matched = sink.delivered.filter(
      (event) => event.type === 'MatchmakingSucceeded' && event.configurationName === lane.configurationName,
    );
    expect(matched.length).toBeGreaterThanOrEqual(5);
  }
  expect(report.backfillMatches).toBeGreaterThanOrEqual(2);
  expect(outcome.cancelled + outcome.alreadyEnded).toBe(2 * CANCELLATIONS_PER_DIALECT);
  // How many cancellations beat the (concurrent) passes depends on timing; each lane's first does.
  expect(outcome.cancelled).toBeGreaterThanOrEqual(lanes.length);
});

it('a conflict on a PlayFab match commit drops that match only; the next pass matches its tickets', async () => {
  const lanes = await openLanes();
  const playFab = lanes[1];
  const ids = [
    await playFab.driver.start(solo(playFab, 1, 10)),
    await playFab.driver.start(solo(playFab, 2, 11)),
  ];
  const conflict = h.faults.inject({
    name: 'PlayFab match commit conflicts',
    matches: commands.matchCommit,
    error: transactionConflict,
  });
  const first = await runPass(h.context, playFab.configurationName);
  expect(first.matchesDropped).toBe(1);
  expect(first.matchesCommitted).toBe(0);
  expect(conflict.fired()).toBe(1);
  const second = await runPass(h.context, playFab.configurationName);
  expect(second.matchesCommitted).toBe(1);

  // A fresh process publishes what the crashed-or-not pass left in the outbox.
  const sink = new RecordingSink();
  await publishOutbox(h.freshContext(), sink, playFab.configurationName);
  const report = checkInvariants(await scanTable(h.documents, h.tableName), sink.delivered, {
    startedTicketIds: ids,
    outboxEmpty: true,
    settled: true,
  });
  expect(report.violations).toEqual([]);
  expect(report.statuses.COMPLETED).toBe(2);
});
