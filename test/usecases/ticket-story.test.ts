import { toAwsJsonError } from '../../lambdas/dialects/gamelift/errors';
import { implementedOperations } from '../../lambdas/dialects/gamelift/operations';
import { toPlayFabError } from '../../lambdas/dialects/playfab/envelope';
import { publishOutbox, runPass } from '../../lambdas/usecases/matchmaker';
import { createHarness, type Harness, RecordingSink } from '../support/matchmaker-harness';
import {
  type DialectDriver,
  gameLiftDriver,
  type Member,
  neutralEvent,
  neutralTicket,
  playFabDriver,
} from './support';

/**
 * One ticket story: each scenario runs through the GameLift dialect and through the PlayFab
 * dialect, on the same use cases and store, and both must leave the same ticket records and
 * publish the same events. (Acceptance is FlexMatch's alone: PlayFab queues have none.)
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.destroy());

interface Outcome {
  tickets: Array<ReturnType<typeof neutralTicket>>;
  events: Array<ReturnType<typeof neutralEvent>>;
  /** Wire errors the scenario collected, in the dialect's own names. */
  errors: string[];
}

type Scenario = (driver: DialectDriver, errors: string[]) => Promise<string[]>;

async function run(driver: DialectDriver, timeoutSeconds: number, scenario: Scenario): Promise<Outcome> {
  const configurationName = await driver.setUp(timeoutSeconds);
  const errors: string[] = [];
  const ticketIds = await scenario(driver, errors);
  const sink = new RecordingSink();
  await publishOutbox(h.context, sink, configurationName);
  const tickets = await h.context.store.getTickets(ticketIds);
  return { tickets: tickets.map(neutralTicket), events: sink.delivered.map(neutralEvent), errors };
}

/** Runs the scenario through both dialects and returns both outcomes, GameLift's first. */
async function bothDialects(scenario: Scenario, timeoutSeconds = 600): Promise<[Outcome, Outcome]> {
  const gameLift = await run(gameLiftDriver(h.context), timeoutSeconds, scenario);
  const playFab = await run(playFabDriver(h.context), timeoutSeconds, scenario);
  return [gameLift, playFab];
}

/** The wire error a failed call got in its dialect (checked per dialect below). */
async function wireError(driver: DialectDriver, call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    return driver.name === 'GameLift' ? toAwsJsonError(error).body.__type : toPlayFabError(error).error;
  }
  return 'no error';
}

/** The outcome with every team name replaced by 'a team', for matches where either team would do. */
function anyTeams(outcome: Outcome): Outcome {
  return JSON.parse(JSON.stringify(outcome).replace(/"team":"(red|blue)"/g, '"team":"a team"')) as Outcome;
}

const alice: Member = { playerId: 'alice', skill: 10 };
const bob: Member = { playerId: 'bob', skill: 12 };

describe('one ticket story through both dialects', () => {
  it('creates a ticket: QUEUED, version 1, nothing published yet', async () => {
    const [gameLift, playFab] = await bothDialects(async (driver) => [await driver.start([alice])]);
    expect(gameLift.tickets).toEqual([
      { kind: 'matchmaking', status: 'QUEUED', players: [{ playerId: 'alice' }], version: 1, matched: false },
    ]);
    expect(gameLift.events).toEqual([]);
    expect(playFab).toEqual(gameLift);
  });

  it('cancels a ticket once, with one MatchmakingCancelled event; a second cancel changes nothing', async () => {
    const [gameLift, playFab] = await bothDialects(async (driver) => {
      const ticketId = await driver.start([alice]);
      await driver.cancel(ticketId);
      await driver.cancel(ticketId);
      return [ticketId];
    });
    expect(gameLift.tickets).toEqual([
      expect.objectContaining({ status: 'CANCELLED', statusReason: 'CANCELLED', version: 2 }),
    ]);
    expect(gameLift.events).toEqual([
      expect.objectContaining({
        type: 'MatchmakingCancelled',
        reason: 'CANCELLED',
        tickets: [[{ playerId: 'alice' }]],
      }),
    ]);
    expect(playFab).toEqual(gameLift);
  });

  it('times a ticket out after its timeout, with MatchmakingTimedOut', async () => {
    const [gameLift, playFab] = await bothDialects(async (driver) => {
      const ticketId = await driver.start([alice]);
      await runPass(h.context, driver.configurationName());
      h.clock.advance(61_000);
      await runPass(h.context, driver.configurationName());
      return [ticketId];
    }, 60);
    expect(gameLift.tickets).toEqual([expect.objectContaining({ status: 'TIMED_OUT', version: 3 })]);
    expect(gameLift.events.map((e) => e.type)).toEqual(['MatchmakingSearching', 'MatchmakingTimedOut']);
    expect(playFab).toEqual(gameLift);
  });

  it('matches two tickets, and refuses to cancel a matched one', async () => {
    const [gameLift, playFab] = await bothDialects(async (driver, errors) => {
      const first = await driver.start([alice]);
      const second = await driver.start([bob]);
      await runPass(h.context, driver.configurationName());
      errors.push(await wireError(driver, () => driver.cancel(first)));
      return [first, second];
    });
    expect(gameLift.tickets.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(gameLift.tickets.every((t) => t.matched && t.players.every((p) => p.team !== undefined))).toBe(
      true,
    );
    expect(gameLift.events.map((e) => e.type)).toEqual([
      'MatchmakingSearching',
      'PotentialMatchCreated',
      'MatchmakingSucceeded',
    ]);
    expect(gameLift.errors).toEqual(['InvalidRequestException']);
    expect(playFab.errors).toEqual(['MatchmakingTicketAlreadyCompleted']);
    // Which of two equal players plays red is the engine's free choice per program.
    expect(anyTeams({ ...playFab, errors: [] })).toEqual(anyTeams({ ...gameLift, errors: [] }));
  });

  it('fills a running game from a backfill ticket: the joining player takes the open team', async () => {
    const [gameLift, playFab] = await bothDialects(async (driver) => {
      const backfill = await driver.backfill([{ playerId: 'veteran', skill: 11, team: 'red' }]);
      const newcomer = await driver.start([alice]);
      await runPass(h.context, driver.configurationName());
      return [backfill, newcomer];
    });
    expect(gameLift.tickets).toEqual([
      expect.objectContaining({
        kind: 'backfill',
        status: 'COMPLETED',
        players: [{ playerId: 'veteran', team: 'red' }],
      }),
      expect.objectContaining({
        kind: 'matchmaking',
        status: 'COMPLETED',
        players: [{ playerId: 'alice', team: 'blue' }],
      }),
    ]);
    const succeeded = gameLift.events.find((e) => e.type === 'MatchmakingSucceeded');
    expect(succeeded?.backfillTeams).toEqual([
      { name: 'red', players: ['veteran'] },
      { name: 'blue', players: ['alice'] },
    ]);
    expect(playFab).toEqual(gameLift);
  });
});

describe('tickets stay in their dialect', () => {
  it('a GameLift call naming a PlayFab ticket gets NotFound, and the reverse', async () => {
    const gameLift = gameLiftDriver(h.context);
    const playFab = playFabDriver(h.context);
    await gameLift.setUp(600);
    await playFab.setUp(600);
    const gameLiftTicket = await gameLift.start([alice]);
    const playFabTicket = await playFab.start([alice]);

    // Each dialect sees its own ticket.
    expect(await gameLift.read(gameLiftTicket)).toEqual({ ok: true });
    expect(await playFab.read(playFabTicket)).toEqual({ ok: true });

    // DescribeMatchmaking leaves the queue's ticket out; Stop and Accept don't find it.
    expect(await gameLift.read(playFabTicket)).toEqual({
      ok: false,
      error: 'not listed by DescribeMatchmaking',
    });
    expect(await wireError(gameLift, () => gameLift.cancel(playFabTicket))).toBe('NotFoundException');
    const accept = implementedOperations.AcceptMatch!;
    expect(
      await wireError(gameLift, () =>
        accept(
          { useCases: h.context, arnScope: { region: 'us-east-1', accountId: '000000000000' } },
          { TicketId: playFabTicket, PlayerIds: ['alice'], AcceptanceType: 'ACCEPT' },
        ),
      ),
    ).toBe('NotFoundException');

    // PlayFab doesn't find the GameLift ticket in its queue.
    expect(await playFab.read(gameLiftTicket)).toEqual({ ok: false, error: 'MatchmakingTicketNotFound' });
    expect(await wireError(playFab, () => playFab.cancel(gameLiftTicket))).toBe('MatchmakingTicketNotFound');

    // Nothing changed on either side.
    const tickets = await h.context.store.getTickets([gameLiftTicket, playFabTicket]);
    expect(tickets.map((t) => [t.status, t.version])).toEqual([
      ['QUEUED', 1],
      ['QUEUED', 1],
    ]);
  });
});
