import type { LocalService } from '../../../lambdas/local/service';
import { gameLiftErrorShapeProblems, signedGameLiftCall, tableSnapshot } from '../../support/hostile';
import { startTestService, uniqueName } from '../../support/local-service';
import { twoVersusTwoSkill } from '../../support/rule-sets';

/**
 * Every class of client mistake a probe once turned into a 500 (issue 13) answers
 * InvalidRequestException (400) with a message naming the limit, and writes nothing.
 */
let service: LocalService;
let configurationName: string;

beforeAll(async () => {
  service = await startTestService();
  const ruleSetName = uniqueName('rules');
  configurationName = uniqueName('config');
  await expectOk('CreateMatchmakingRuleSet', { Name: ruleSetName, RuleSetBody: twoVersusTwoSkill });
  await expectOk('CreateMatchmakingConfiguration', {
    Name: configurationName,
    RuleSetName: ruleSetName,
    RequestTimeoutSeconds: 120,
    AcceptanceRequired: false,
  });
});
afterAll(async () => {
  await service?.stop();
});

async function expectOk(operation: string, input: object): Promise<unknown> {
  const response = await signedGameLiftCall(service, operation, JSON.stringify(input));
  if (response.status !== 200) throw new Error(`${operation}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Sends the request, expects a 400 InvalidRequestException whose message matches, and no write. */
async function refused(operation: string, body: string | object, message: RegExp): Promise<void> {
  const before = await tableSnapshot(service);
  const response = await signedGameLiftCall(
    service,
    operation,
    typeof body === 'string' ? body : JSON.stringify(body),
  );
  expect(gameLiftErrorShapeProblems(response)).toEqual([]);
  expect({ status: response.status, body: response.body }).toEqual({
    status: 400,
    body: { __type: 'InvalidRequestException', message: expect.stringMatching(message) },
  });
  expect(await tableSnapshot(service)).toEqual(before);
}

const playerWith = (extra: object, playerId = uniqueName('p')) => ({ PlayerId: playerId, ...extra });
const start = (players: object[]) => ({ ConfigurationName: configurationName, Players: players });

describe('numbers DynamoDB cannot store', () => {
  it.each([
    ['huge', '1e300'],
    ['beyond 2^53', '9007199254740994'],
    ['tiny', '1e-200'],
    ['negative huge', '-1e300'],
  ])('refuses an N attribute that is %s', async (_label, literal) => {
    const player = JSON.stringify(playerWith({})).replace(
      /}$/,
      `,"PlayerAttributes":{"skill":{"N":${literal}}}}`,
    );
    await refused(
      'StartMatchmaking',
      `{"ConfigurationName":"${configurationName}","Players":[${player}]}`,
      /2\^53|1e-130/,
    );
  });

  it('refuses an SDM value out of range', async () => {
    await refused(
      'StartMatchmaking',
      start([playerWith({ PlayerAttributes: { modes: { SDM: { ranked: 1e300 } } } })]),
      /2\^53|1e-130/,
    );
  });

  it('refuses a LatencyInMs value past a 32-bit integer', async () => {
    await refused(
      'StartMatchmaking',
      start([playerWith({ LatencyInMs: { 'us-east-1': 1e300 } })]),
      /less than or equal to 2147483647/,
    );
  });

  it('refuses a page Limit past a 32-bit integer', async () => {
    await refused('DescribeMatchmakingConfigurations', { Limit: 1e300 }, /less than or equal to 2147483647/);
  });
});

describe('sizes DynamoDB cannot store', () => {
  it('refuses thousands of LatencyInMs entries', async () => {
    const latency = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`region-${i}`, 50]));
    await refused(
      'StartMatchmaking',
      start([playerWith({ LatencyInMs: latency })]),
      /latencyInMs' failed.*length less than or equal to 100/,
    );
  });

  it('refuses player attributes past the per-player budget', async () => {
    const list = Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(100, 'x'));
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`list${i}`, { SL: list }]));
    await refused(
      'StartMatchmaking',
      start([playerWith({ PlayerAttributes: attributes })]),
      /attributes.*bytes/i,
    );
  });

  it('refuses a backfill whose players together pass the ticket budget', async () => {
    const list = Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(100, 'x'));
    const players = Array.from({ length: 199 }, (_, i) =>
      playerWith({ Team: i % 2 ? 'red' : 'blue', PlayerAttributes: { tags: { SL: list } } }),
    );
    await refused(
      'StartMatchBackfill',
      {
        ConfigurationName: configurationName,
        GameSessionArn: 'arn:aws:gamelift:us-east-1::gamesession/fleet-1/session-1',
        Players: players,
      },
      /ticket.*bytes/i,
    );
  });

  it('refuses a PlayerId past 1024 bytes of UTF-8 (a key)', async () => {
    await refused('StartMatchmaking', start([playerWith({}, '\u{1F600}'.repeat(300))]), /1024 bytes/);
  });
});

describe('names and tokens that cannot be keys', () => {
  it('refuses an empty configuration or rule set name', async () => {
    await refused(
      'CreateMatchmakingConfiguration',
      { Name: '', RuleSetName: 'x', RequestTimeoutSeconds: 10, AcceptanceRequired: false },
      /'name' failed.*length greater than or equal to 1/,
    );
    await refused(
      'CreateMatchmakingRuleSet',
      { Name: '', RuleSetBody: twoVersusTwoSkill },
      /'name' failed.*length greater than or equal to 1/,
    );
  });

  it('refuses a forged NextToken that carries an empty key', async () => {
    for (const [operation, partition] of [
      ['DescribeMatchmakingRuleSets', 'RULESET'],
      ['DescribeMatchmakingConfigurations', 'CONFIGURATION'],
    ] as const) {
      const forged = Buffer.from(JSON.stringify([partition, ''])).toString('base64url');
      await refused(operation, { NextToken: forged }, /NextToken/);
    }
  });

  it('answers 10,000 configuration names with a list limit, not a timeout', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `config-${i}`);
    await refused(
      'DescribeMatchmakingConfigurations',
      { Names: names },
      /'names' failed.*length less than or equal to 100/,
    );
  });
});

describe('nesting that would overflow the stack', () => {
  it('refuses a deeply nested rule set body', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const body = `{"name":"deep","ruleLanguageVersion":"1.0","teams":${deep}}`;
    await refused('ValidateMatchmakingRuleSet', { RuleSetBody: body }, /nest/i);
    await refused('CreateMatchmakingRuleSet', { Name: uniqueName('deep'), RuleSetBody: body }, /nest/i);
  });

  it('refuses a deeply nested rule expression', async () => {
    const rules = JSON.parse(twoVersusTwoSkill) as { rules: Array<Record<string, unknown>> };
    const expression = `${'avg('.repeat(5000)}teams[*].players.attributes[skill]${')'.repeat(5000)}`;
    rules.rules[0]!.measurements = [expression];
    await refused('ValidateMatchmakingRuleSet', { RuleSetBody: JSON.stringify(rules) }, /nest/i);
  });
});
