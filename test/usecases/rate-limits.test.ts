import { toAwsJsonError } from '../../lambdas/dialects/gamelift/errors';
import { toPlayFabError } from '../../lambdas/dialects/playfab/envelope';
import { TITLE_ADMISSIONS_PER_PARTITION } from '../../lambdas/store/rate-limits';
import {
  DEFAULT_PLAYER_TICKETS_PER_MINUTE,
  DEFAULT_TITLE_TICKETS_PER_SECOND,
} from '../../lambdas/usecases/rate-limits';
import { createHarness, type Harness, scanTable } from '../support/matchmaker-harness';
import { type DialectDriver, gameLiftDriver, playFabDriver } from './support';

/**
 * A player may join a limited number of tickets per configuration and minute. Past it, both
 * dialects refuse with their throttling error (FlexMatch: ThrottlingException, which the SDKs
 * retry with backoff; PlayFab: 2054 MatchmakingRateLimitExceeded, HTTP 429), write nothing, and
 * admit the player again in the next minute.
 */
const LIMIT = 3;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  h.context.limits = { playerTicketsPerMinute: LIMIT };
});
afterEach(() => h.destroy());

const ticketsOf = async (playerId: string) =>
  (await scanTable(h.documents, h.tableName)).filter(
    (item) =>
      String(item.pk).startsWith('TICKET#') &&
      (item.players as Array<{ playerId: string }>).some((p) => p.playerId === playerId),
  );

describe.each([
  ['GameLift', (harness: Harness) => gameLiftDriver(harness.context)],
  ['PlayFab', (harness: Harness) => playFabDriver(harness.context)],
] as const)('%s', (_name, makeDriver) => {
  let driver: DialectDriver;
  beforeEach(async () => {
    driver = makeDriver(h);
    await driver.setUp(600);
  });

  it('refuses the ticket past the limit with the dialect throttling error, writing nothing', async () => {
    // A create-cancel loop: each cancel frees the player, only the rate stops the next create.
    for (let i = 0; i < LIMIT; i++)
      await driver.cancel(await driver.start([{ playerId: 'looper', skill: 10 }]));
    const refused = await driver.start([{ playerId: 'looper', skill: 10 }]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeDefined();
    if (driver.name === 'GameLift') {
      const wire = toAwsJsonError(refused);
      expect(wire.statusCode).toBe(400);
      expect(wire.body.__type).toBe('ThrottlingException');
      expect(wire.body.message).toMatch(/looper joined 3 tickets .* this minute; retry in \d+ s/);
    } else {
      const wire = toPlayFabError(refused, 'CreateServerMatchmakingTicket');
      expect(wire).toMatchObject({ code: 429, error: 'MatchmakingRateLimitExceeded', errorCode: 2054 });
    }
    expect(await ticketsOf('looper')).toHaveLength(LIMIT);

    // Another player is not slowed down by the looper.
    await driver.start([{ playerId: 'bystander', skill: 10 }]);

    // The next minute admits the looper again.
    h.clock.advance(60_000);
    await driver.start([{ playerId: 'looper', skill: 10 }]);
    expect(await ticketsOf('looper')).toHaveLength(LIMIT + 1);
  });
});

it('counts only tickets really opened: a request refused for another reason costs nothing', async () => {
  const driver = gameLiftDriver(h.context);
  await driver.setUp(600);
  const first = await driver.start([{ playerId: 'holder', skill: 10 }]);
  // The player already holds a ticket: each attempt is refused and gives its count back.
  for (let i = 0; i < LIMIT + 2; i++)
    await expect(driver.start([{ playerId: 'holder', skill: 10 }])).rejects.toMatchObject({
      reason: 'MembershipLimit',
    });
  const rateItems = (await scanTable(h.documents, h.tableName)).filter((item) =>
    String(item.pk).startsWith('RATE#'),
  );
  expect(rateItems.map((item) => item.hits)).toEqual([1]);
  await driver.cancel(first);
  for (let i = 1; i < LIMIT; i++)
    await driver.cancel(await driver.start([{ playerId: 'holder', skill: 10 }]));
  await expect(driver.start([{ playerId: 'holder', skill: 10 }])).rejects.toMatchObject({
    reason: 'RateLimited',
  });
});

it('has a documented default that a runtime can turn off', async () => {
  expect(DEFAULT_PLAYER_TICKETS_PER_MINUTE).toBe(30);
  h.context.limits = { playerTicketsPerMinute: 0 };
  const driver = gameLiftDriver(h.context);
  await driver.setUp(600);
  for (let i = 0; i < LIMIT + 2; i++)
    await driver.cancel(await driver.start([{ playerId: 'free', skill: 10 }]));
  expect(await ticketsOf('free')).toHaveLength(LIMIT + 2);
});

it('gives back the counts of the other players of a refused group ticket', async () => {
  // GameLift's 1v1 takes a party of two in one ticket; the PlayFab 1v1 queue's teams take one.
  const driver = gameLiftDriver(h.context);
  await driver.setUp(600);
  for (let i = 0; i < LIMIT; i++) await driver.cancel(await driver.start([{ playerId: 'busy', skill: 10 }]));
  await expect(
    driver.start([
      { playerId: 'busy', skill: 10 },
      { playerId: 'friend', skill: 10 },
    ]),
  ).rejects.toMatchObject({ reason: 'RateLimited' });
  // friend was not charged for the refused ticket: LIMIT tickets of their own still go through.
  for (let i = 0; i < LIMIT; i++)
    await driver.cancel(await driver.start([{ playerId: 'friend', skill: 10 }]));
});

describe('title-wide limit', () => {
  it('refuses tickets past the title limit in either dialect, whoever opens them, until the next second', async () => {
    expect(DEFAULT_TITLE_TICKETS_PER_SECOND).toBe(500);
    h.context.limits = { playerTicketsPerMinute: 0, titleTicketsPerSecond: 3 };
    const gameLift = gameLiftDriver(h.context);
    const playFab = playFabDriver(h.context);
    await gameLift.setUp(600);
    await playFab.setUp(600);
    await gameLift.start([{ playerId: 'a', skill: 10 }]);
    await playFab.start([{ playerId: 'b', skill: 10 }]);
    await gameLift.backfill([{ playerId: 'c', skill: 10, team: 'red' }]);

    const refusedGameLift = await gameLift.start([{ playerId: 'd', skill: 10 }]).catch((e: unknown) => e);
    expect(toAwsJsonError(refusedGameLift).body).toMatchObject({
      __type: 'ThrottlingException',
      message: expect.stringMatching(/at most 3 tickets a second across all configurations; retry in 1 s/),
    });
    const refusedPlayFab = await playFab.start([{ playerId: 'e', skill: 10 }]).catch((e: unknown) => e);
    expect(toPlayFabError(refusedPlayFab, 'CreateServerMatchmakingTicket')).toMatchObject({
      code: 429,
      errorCode: 2054,
    });
    expect(await ticketsOf('d')).toHaveLength(0);
    expect(await ticketsOf('e')).toHaveLength(0);

    h.clock.advance(1_000);
    await playFab.start([{ playerId: 'e', skill: 10 }]);
    expect(await ticketsOf('e')).toHaveLength(1);
  });

  it('spreads a high title limit over several counter items, none taking more than its share', async () => {
    h.context.limits = {
      playerTicketsPerMinute: 0,
      titleTicketsPerSecond: 4 * TITLE_ADMISSIONS_PER_PARTITION,
    };
    const driver = gameLiftDriver(h.context);
    await driver.setUp(600);
    for (let i = 0; i < 40; i++) await driver.start([{ playerId: `spread-${i}`, skill: 10 }]);
    const counters = (await scanTable(h.documents, h.tableName)).filter((item) =>
      String(item.pk).startsWith('TITLERATE#'),
    );
    expect(new Set(counters.map((item) => item.pk)).size).toBeGreaterThan(1);
    expect(counters.reduce((sum, item) => sum + Number(item.hits), 0)).toBe(40);
  });

  it('gives the title count back when the ticket is refused for another reason', async () => {
    h.context.limits = { playerTicketsPerMinute: 0, titleTicketsPerSecond: 2 };
    const driver = gameLiftDriver(h.context);
    await driver.setUp(600);
    await driver.start([{ playerId: 'holder', skill: 10 }]);
    for (let i = 0; i < 3; i++)
      await expect(driver.start([{ playerId: 'holder', skill: 10 }])).rejects.toMatchObject({
        reason: 'MembershipLimit',
      });
    await driver.start([{ playerId: 'other', skill: 10 }]);
  });
});
