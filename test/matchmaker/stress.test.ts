import type { Player } from '../../lambdas/engine/model';
import { SlotfillError } from '../../lambdas/shared/errors';
import { type PassReport, publishOutbox, runPass } from '../../lambdas/usecases/matchmaker';
import {
  createHarness,
  type Harness,
  player,
  RecordingSink,
  scanTable,
  seededRandom,
  setUpConfiguration,
  twoVersusTwo,
} from '../support/matchmaker-harness';
import { checkInvariants } from '../support/matchmaker-invariants';
import { startBackfill, startMatchmaking, stopTicket } from '../support/ticket-calls';

/**
 * Concurrent matchmaker passes over one 2v2 configuration while players cancel and game
 * sessions replace their backfill requests. Afterwards the table and the delivered events
 * must tell one consistent story. Choices are seeded; the interleaving is whatever the event
 * loop and DynamoDB Local make of it, which is the point.
 */

const SEED = 20260514;
const PLAYERS = 150;
const SESSIONS = 8;
const PASS_LOOPS = 3;
const PASSES_PER_LOOP = 8;
const CANCELLATIONS = 30;
/** Of those, stopped before the passes start: the run cancels at least these whatever the timing. */
const CANCELLED_BEFORE_PASSES = 2;
const REPLACEMENTS = 8;
const REQUEST_TIMEOUT_SECONDS = 6;
const PASS_CLOCK_STEP_MS = 400;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.destroy());

interface Session {
  arn: string;
  roster: Player[];
}

it('concurrent passes with cancellations and backfill replacements never double-match, lose a ticket or misreport an end', async () => {
  const name = await setUpConfiguration(h.context, twoVersusTwo, REQUEST_TIMEOUT_SECONDS);
  const rng = seededRandom(SEED);
  const started: string[] = [];
  const matchmakingTickets: Array<{ ticketId: string; players: Player[] }> = [];
  const backfillTickets: string[] = [];
  const errors: unknown[] = [];
  const outcome = { cancelled: 0, alreadyEnded: 0, raced: 0, requeued: 0, replaced: 0, replaceRaced: 0 };

  // Parties of one or two; 40% wait in the pool before the passes start, the rest arrive during them.
  const parties: Player[][] = [];
  for (let i = 0; i < PLAYERS; ) {
    const size = rng.next() < 0.3 && i + 1 < PLAYERS ? 2 : 1;
    parties.push(
      Array.from({ length: size }, (_, k) => player(`p${String(i + k).padStart(3, '0')}`, 5 + rng.int(20))),
    );
    i += size;
  }
  const startParty = async (players: Player[]) => {
    const ticket = await startMatchmaking(h.context, { configurationName: name, players });
    started.push(ticket.ticketId);
    matchmakingTickets.push({ ticketId: ticket.ticketId, players });
  };
  const early = Math.floor(parties.length * 0.4);
  for (const party of parties.slice(0, early)) await startParty(party);

  // Game sessions missing one to three players; one of them names a team the rule set lacks.
  const sessions: Session[] = Array.from({ length: SESSIONS }, (_, s) => {
    const arn = `arn:aws:gamelift:us-east-1::gamesession/fleet-1/gs-${s}`;
    const red = 1 + rng.int(2);
    const blue = rng.int(2);
    const roster = [
      ...Array.from({ length: red }, (_, k) => player(`s${s}-red${k}`, 10, 'red')),
      ...Array.from({ length: blue }, (_, k) => player(`s${s}-blue${k}`, 10, 'blue')),
    ];
    if (s === SESSIONS - 1) roster.push(player(`s${s}-green0`, 10, 'green'));
    return { arn, roster };
  });
  const requestBackfill = async (session: Session) => {
    const ticket = await startBackfill(h.context, {
      configurationName: name,
      gameSessionArn: session.arn,
      players: session.roster,
    });
    started.push(ticket.ticketId);
    backfillTickets.push(ticket.ticketId);
  };
  for (const session of sessions) await requestBackfill(session);
  const invalidBackfill = backfillTickets[backfillTickets.length - 1];

  const reports: PassReport[] = [];
  const sink = new RecordingSink();
  let passesRunning = PASS_LOOPS;

  const passLoop = async () => {
    try {
      for (let i = 0; i < PASSES_PER_LOOP; i++) {
        h.clock.advance(PASS_CLOCK_STEP_MS);
        reports.push(await runPass(h.context, name));
      }
    } catch (error) {
      errors.push(error);
    } finally {
      passesRunning--;
    }
  };
  const arrivals = async () => {
    for (const party of parties.slice(early)) {
      try {
        await startParty(party);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  const cancellations = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const useBackfill = rng.next() < 0.2;
      const target = useBackfill
        ? { ticketId: rng.pick(backfillTickets.filter((id) => id !== invalidBackfill)), players: [] }
        : rng.pick(matchmakingTickets);
      try {
        const stopped = await stopTicket(h.context, target.ticketId);
        // A ticket that timed out or failed first stays as it ended; the stop changes nothing.
        if (stopped.status === 'TIMED_OUT' || stopped.status === 'FAILED') {
          outcome.alreadyEnded++;
          continue;
        }
        if (stopped.status !== 'CANCELLED') errors.push(new Error(`stop returned ${stopped.status}`));
        outcome.cancelled++;
        // Not picked again: a player re-queues once per cancelled ticket, so a player in two
        // matches can only mean a double match, never two games played one after the other.
        const picked = matchmakingTickets.findIndex((t) => t.ticketId === target.ticketId);
        if (picked >= 0) matchmakingTickets.splice(picked, 1);
        // The players' locks went with the ticket: they may queue again at once.
        if (!useBackfill && rng.next() < 0.5) {
          await startParty(target.players);
          outcome.requeued++;
        }
      } catch (error) {
        if (error instanceof SlotfillError && error.reason === 'AlreadyCompleted') outcome.alreadyEnded++;
        else if (error instanceof SlotfillError && error.kind === 'Conflict') outcome.raced++;
        else errors.push(error);
      }
    }
  };
  const replacements = async () => {
    for (let i = 0; i < REPLACEMENTS; i++) {
      try {
        // The invalid session is left alone, so a pass surely meets its one request and fails it.
        await requestBackfill(rng.pick(sessions.slice(0, -1)));
        outcome.replaced++;
      } catch (error) {
        if (error instanceof SlotfillError && error.kind === 'Conflict') outcome.replaceRaced++;
        else errors.push(error);
      }
    }
  };
  // Two publishers race each other (and the passes): delivery is at least once.
  const publisher = async () => {
    try {
      while (passesRunning > 0) {
        await publishOutbox(h.context, sink, name);
        // A breath between rounds: an empty outbox is read in OUTBOX_SHARDS queries at once.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } catch (error) {
      errors.push(error);
    }
  };

  // A few stops land before any pass, so the run surely cancels some tickets however the rest
  // of the race turns out (on a fast DynamoDB Local the passes can win nearly every race).
  await cancellations(CANCELLED_BEFORE_PASSES);
  await Promise.all([
    ...Array.from({ length: PASS_LOOPS }, passLoop),
    arrivals(),
    cancellations(CANCELLATIONS - CANCELLED_BEFORE_PASSES),
    replacements(),
    publisher(),
    publisher(),
  ]);
  expect(errors).toEqual([]);

  // Drain what is left, then check the story the table and the events tell.
  await publishOutbox(h.context, sink, name);
  const afterRace = checkInvariants(await scanTable(h.documents, h.tableName), sink.delivered, {
    startedTicketIds: started,
    outboxEmpty: true,
    settled: true,
  });
  expect(afterRace.violations).toEqual([]);

  // The run exercised what it claims to.
  expect(afterRace.committedMatches).toBeGreaterThanOrEqual(8);
  expect(afterRace.backfillMatches).toBeGreaterThanOrEqual(1);
  // How many of the racing cancellations beat the passes depends on timing; the first ones ran before them.
  expect(afterRace.statuses.CANCELLED ?? 0).toBeGreaterThanOrEqual(CANCELLED_BEFORE_PASSES);
  expect(afterRace.statuses.FAILED ?? 0).toBeGreaterThanOrEqual(1);
  expect(outcome.replaced).toBeGreaterThanOrEqual(REPLACEMENTS - 2);
  expect(reports).toHaveLength(PASS_LOOPS * PASSES_PER_LOOP);

  // Past every deadline, one more pass ends whatever is still waiting, each end reported once.
  h.clock.advance(REQUEST_TIMEOUT_SECONDS * 1000);
  await runPass(h.context, name);
  await publishOutbox(h.context, sink, name);
  const final = checkInvariants(await scanTable(h.documents, h.tableName), sink.delivered, {
    startedTicketIds: started,
    outboxEmpty: true,
    settled: true,
  });
  expect(final.violations).toEqual([]);
  const items = await scanTable(h.documents, h.tableName);
  expect(items.filter((i) => String(i.pk).startsWith('PLAYER#'))).toEqual([]);
  expect(items.filter((i) => String(i.pk).startsWith('SESSION#'))).toEqual([]);
  for (const status of ['QUEUED', 'SEARCHING', 'PLACING', 'REQUIRES_ACCEPTANCE'] as const)
    expect(final.statuses[status] ?? 0).toBe(0);
  expect(final.statuses.TIMED_OUT ?? 0).toBeGreaterThanOrEqual(1);
  expect(Object.values(final.statuses).reduce((a, b) => a + b, 0)).toBe(started.length);

  const dropped = reports.reduce((total, r) => total + r.matchesDropped, 0);
  console.info(
    `stress: ${started.length} tickets, ${final.committedMatches} matches (${final.backfillMatches} backfills), ` +
      `${dropped} proposals dropped by racing passes, statuses ${JSON.stringify(final.statuses)}, ` +
      `outcomes ${JSON.stringify(outcome)}, ${final.duplicateDeliveries} duplicate deliveries`,
  );
  // Every pass reads 16 pool shards and every publish round 16 outbox shards: on a loaded
  // DynamoDB Local that takes longer than jest's default minute.
}, 180_000);
