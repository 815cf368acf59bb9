import { toAwsJsonError } from '../../lambdas/dialects/gamelift/errors';
import { toPlayFabError } from '../../lambdas/dialects/playfab/envelope';
import { DEFAULT_PLAYER_TICKETS_PER_MINUTE } from '../../lambdas/usecases/rate-limits';
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
