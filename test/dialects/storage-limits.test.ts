import { parseOperationInput } from '../../lambdas/dialects/gamelift/validation-message';
import { parseRequest } from '../../lambdas/dialects/playfab/envelope';
import { parseQueueConfig } from '../../lambdas/engine/queues/parse';
import { parseRuleSetJson } from '../../lambdas/engine/rules/parse';
import {
  isStorableNumber,
  jsonProblem,
  MAX_JSON_DEPTH,
  textNestingDepth,
} from '../../lambdas/shared/storage-limits';

/** The limits issue 13 put in the dialects' schemas, checked without a service. */

describe('storable numbers', () => {
  it.each([
    [0, true],
    [-0, true],
    [1e-130, true],
    [-(2 ** 53 - 1), true],
    [2 ** 53 - 1, true],
    [2 ** 53, false],
    [1e-131, false],
    [1e300, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
  ])('%p storable: %p', (value, storable) => {
    expect(isStorableNumber(value)).toBe(storable);
  });
});

describe('nesting without recursion', () => {
  it('measures text nesting outside strings, parentheses on request', () => {
    expect(textNestingDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(textNestingDepth('avg(max(x[1]))', true)).toBe(3);
    expect(textNestingDepth('avg(max(x[1]))')).toBe(1);
    expect(textNestingDepth('['.repeat(100_000))).toBe(100_000);
  });

  it('finds the first unstorable part of a JSON value at any depth', () => {
    expect(jsonProblem({ a: [1, 2, { b: 3 }] })).toBeUndefined();
    expect(jsonProblem({ a: [1, 1e300] })).toEqual({ kind: 'number', value: 1e300 });
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(jsonProblem(deep)).toEqual({ kind: 'depth' });
    let edge: unknown = 1;
    for (let level = 0; level < MAX_JSON_DEPTH; level++) edge = { a: edge };
    expect(jsonProblem(edge)).toBeUndefined();
  });
});

describe('GameLift schemas', () => {
  const start = (player: object) => ({ ConfigurationName: 'c', Players: [{ PlayerId: 'p', ...player }] });
  const message = (operation: Parameters<typeof parseOperationInput>[0], body: unknown) => {
    const parsed = parseOperationInput(operation, body);
    return parsed.ok ? 'accepted' : parsed.message;
  };

  it('refuses numbers DynamoDB cannot store, in N and SDM', () => {
    expect(message('StartMatchmaking', start({ PlayerAttributes: { s: { N: 1e300 } } }))).toMatch(/2\^53/);
    expect(message('StartMatchmaking', start({ PlayerAttributes: { s: { SDM: { a: 1e-200 } } } }))).toMatch(
      /1e-130/,
    );
    expect(message('StartMatchmaking', start({ PlayerAttributes: { s: { N: 12.5 } } }))).toBe('accepted');
  });

  it('bounds integers by the 32-bit type and LatencyInMs by region count', () => {
    expect(message('DescribeMatchmakingRuleSets', { Limit: 2 ** 31 })).toMatch(/less than or equal to 10/);
    expect(message('DescribeMatchmakingConfigurations', { Limit: 2 ** 31 })).toMatch(/2147483647/);
    const regions = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`r${i}`, 10]));
    expect(message('StartMatchmaking', start({ LatencyInMs: regions }))).toMatch(/less than or equal to 100/);
  });

  it('bounds PlayerId in UTF-8 bytes, names from below and Names per describe', () => {
    expect(
      message('StartMatchmaking', { ConfigurationName: 'c', Players: [{ PlayerId: 'é'.repeat(600) }] }),
    ).toMatch(/1024 bytes of UTF-8/);
    expect(message('CreateMatchmakingRuleSet', { Name: '', RuleSetBody: '{}' })).toMatch(
      /greater than or equal to 1/,
    );
    expect(message('DescribeMatchmakingConfigurations', { Names: Array(101).fill('c') })).toMatch(
      /less than or equal to 100/,
    );
    expect(message('DescribeMatchmakingConfigurations', { Names: Array(100).fill('c') })).toBe('accepted');
  });

  it('echoes at most a bounded print of a refused value', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 50_000; level++) deep = [deep];
    const refused = message('StopMatchmaking', { TicketId: deep });
    expect(refused).toMatch(/Member must be of type string/);
    expect(refused.length).toBeLessThan(1000);
  });
});

describe('PlayFab schemas', () => {
  const details = (operation: Parameters<typeof parseRequest>[0], body: object) => {
    const parsed = parseRequest(operation, body);
    return parsed.ok ? 'accepted' : JSON.stringify(parsed.error.errorDetails);
  };

  it('bounds ids used in keys', () => {
    expect(
      details('GetMatch', {
        QueueName: 'q',
        MatchId: 'm'.repeat(129),
        EscapeObject: false,
        ReturnMemberAttributes: false,
      }),
    ).toMatch(/MatchId.*at most 128 characters/);
    expect(
      details('CreateServerMatchmakingTicket', {
        QueueName: 'q',
        GiveUpAfterSeconds: 10,
        Members: [{ Entity: { Id: '😀'.repeat(257) } }],
      }),
    ).toMatch(/Members\[0\]\.Entity\.Id.*1024 bytes/);
  });

  it('refuses DataObject numbers and nesting DynamoDB and the stack cannot take', () => {
    const ticket = (dataObject: object) => ({
      QueueName: 'q',
      GiveUpAfterSeconds: 10,
      Members: [{ Entity: { Id: 'p' }, Attributes: { DataObject: dataObject } }],
    });
    expect(details('CreateServerMatchmakingTicket', ticket({ skill: 1e300 }))).toMatch(/2\^53/);
    let deep: object = { a: 1 };
    for (let level = 0; level < MAX_JSON_DEPTH; level++) deep = { a: deep };
    expect(details('CreateServerMatchmakingTicket', ticket(deep))).toMatch(/nest at most 32 levels/);
    expect(details('CreateServerMatchmakingTicket', ticket({ skill: 3.5, nest: { a: [1, 2] } }))).toBe(
      'accepted',
    );
  });

  it('refuses queue numbers out of range and rule lists far past the rule limit', () => {
    const rule = (difference: number, name = 'skill') => ({
      Name: name,
      Attribute: { Path: 'skill', Source: 'User' },
      AttributeNotSpecifiedBehavior: 'MatchAny',
      Difference: difference,
      MergeFunction: 'Average',
      Weight: 1,
    });
    const queue = (rules: object[]) => ({
      Name: 'q',
      MinMatchSize: 2,
      MaxMatchSize: 2,
      ServerAllocationEnabled: false,
      DifferenceRules: rules,
    });
    const problems = (raw: object) => {
      const parsed = parseQueueConfig(raw);
      return parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems(queue([rule(1e300)]))).toEqual([
      expect.stringMatching(/^MatchmakingQueue\.DifferenceRules\[0\]\.Difference: must be .*2\^53/),
    ]);
    expect(problems(queue(Array.from({ length: 1000 }, (_, i) => rule(1, `r${i}`))))).toEqual([
      expect.stringMatching(/DifferenceRules: must list at most 20 rules in all/),
    ]);
  });
});

describe('rule-set JSON', () => {
  it('refuses nesting past the limit before the recursive parser runs', () => {
    const parsed = parseRuleSetJson(`{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
    expect(parsed).toEqual({
      ok: false,
      problems: [{ path: '', message: expect.stringMatching(/nests deeper than 32/) }],
    });
  });
});
