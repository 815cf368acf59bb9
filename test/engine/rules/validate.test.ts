import { formatProblems, type RuleSetProblem, validateRuleSetBody } from '../../../lambdas/engine/rules';

type Json = Record<string, unknown>;

/** A small valid rule set; each test breaks one thing. */
function base(): Json {
  return {
    name: 'base',
    ruleLanguageVersion: '1.0',
    playerAttributes: [
      { name: 'skill', type: 'number', default: 10 },
      { name: 'mode', type: 'string', default: 'casual' },
      { name: 'maps', type: 'string_list', default: ['a'] },
      { name: 'votes', type: 'string_number_map', default: { a: 1 } },
    ],
    teams: [
      { name: 'red', minPlayers: 1, maxPlayers: 4 },
      { name: 'blue', minPlayers: 1, maxPlayers: 4 },
    ],
    rules: [
      {
        name: 'Fair',
        type: 'distance',
        measurements: ['avg(teams[*].players.attributes[skill])'],
        referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
        maxDistance: 10,
      },
      {
        name: 'Modes',
        type: 'comparison',
        operation: '=',
        measurements: ['flatten(teams[*].players.attributes[mode])'],
      },
      {
        name: 'Maps',
        type: 'collection',
        operation: 'intersection',
        measurements: ['flatten(teams[*].players.attributes[maps])'],
        minCount: 1,
      },
      { name: 'Ping', type: 'latency', maxLatency: 100 },
    ],
    expansions: [{ target: 'rules[Fair].maxDistance', steps: [{ waitTimeSeconds: 5, value: 20 }] }],
  };
}

function problems(ruleSet: Json): RuleSetProblem[] {
  const result = validateRuleSetBody(JSON.stringify(ruleSet));
  return result.valid ? [] : result.problems;
}

function withRule(rule: Json, extra: Partial<Json> = {}): Json {
  const ruleSet = { ...base(), ...extra };
  ruleSet.rules = [...(base().rules as Json[]), rule];
  return ruleSet;
}

describe('validateRuleSetBody', () => {
  it('accepts the base rule set', () => {
    expect(problems(base())).toEqual([]);
  });

  it('accepts a body with comments', () => {
    const body = JSON.stringify(base(), null, 2).replace('"name": "base",', '"name": "base", // a comment');
    expect(validateRuleSetBody(body).valid).toBe(true);
  });

  it.each<[string, (ruleSet: Json) => void, RuleSetProblem]>([
    [
      'missing version',
      (r) => delete r.ruleLanguageVersion,
      { path: 'ruleLanguageVersion', message: 'is required' },
    ],
    [
      'wrong version',
      (r) => (r.ruleLanguageVersion = '2.0'),
      { path: 'ruleLanguageVersion', message: 'must be "1.0", got string "2.0"' },
    ],
    ['unknown root property', (r) => (r.colour = 'red'), { path: 'colour', message: 'unknown property' }],
    [
      'attribute type',
      (r) => ((r.playerAttributes as Json[])[0] = { name: 'skill', type: 'float' }),
      {
        path: 'playerAttributes[0].type',
        message: 'must be one of "string", "number", "string_list", "string_number_map", got string "float"',
      },
    ],
    [
      'attribute default type',
      (r) => ((r.playerAttributes as Json[])[2] = { name: 'maps', type: 'string_list', default: 'a' }),
      {
        path: 'playerAttributes[2].default',
        message: 'must be an array of strings for a string_list attribute, got string "a"',
      },
    ],
    [
      'map default',
      (r) =>
        ((r.playerAttributes as Json[])[3] = {
          name: 'votes',
          type: 'string_number_map',
          default: { a: 'x' },
        }),
      {
        path: 'playerAttributes[3].default',
        message:
          'must be an object of string keys to numbers for a string_number_map attribute, got an object',
      },
    ],
    [
      'duplicate attribute',
      (r) => (r.playerAttributes as Json[]).push({ name: 'skill', type: 'number' }),
      { path: 'playerAttributes[4].name', message: 'duplicate attribute name "skill"' },
    ],
    ['no teams', (r) => (r.teams = []), { path: 'teams', message: 'must define at least one team' }],
    [
      'duplicate team',
      (r) => ((r.teams as Json[])[1] = { name: 'red', minPlayers: 1, maxPlayers: 4 }),
      { path: 'teams[1].name', message: 'duplicate team name "red"' },
    ],
    [
      'min above max',
      (r) => ((r.teams as Json[])[0] = { name: 'red', minPlayers: 5, maxPlayers: 4 }),
      { path: 'teams[0].minPlayers', message: 'must not exceed maxPlayers (5 > 4)' },
    ],
    [
      'quantity',
      (r) => ((r.teams as Json[])[0] = { name: 'red', minPlayers: 1, maxPlayers: 4, quantity: 0 }),
      { path: 'teams[0].quantity', message: 'must be at least 1, got 0' },
    ],
    [
      'fractional maxPlayers',
      (r) => ((r.teams as Json[])[0] = { name: 'red', minPlayers: 1, maxPlayers: 2.5 }),
      { path: 'teams[0].maxPlayers', message: 'must be a whole number, got 2.5' },
    ],
    [
      'duplicate rule name',
      (r) => ((r.rules as Json[])[1] = { name: 'Fair', type: 'latency', maxLatency: 50 }),
      { path: 'rules[1].name', message: 'duplicate rule name "Fair"' },
    ],
    [
      'unknown rule type',
      (r) => ((r.rules as Json[])[3] = { name: 'Ping', type: 'ping' }),
      {
        path: 'rules[3].type',
        message:
          'must be one of "distance", "comparison", "collection", "latency", "distanceSort", "absoluteSort", "batchDistance", "compound", got string "ping"',
      },
    ],
    [
      'unknown rule property',
      (r) => ((r.rules as Json[])[3] = { name: 'Ping', type: 'latency', maxLatency: 100, maxPing: 3 }),
      { path: 'rules[3].maxPing', message: 'unknown property' },
    ],
    [
      'distance without bounds',
      (r) =>
        ((r.rules as Json[])[0] = {
          name: 'Fair',
          type: 'distance',
          measurements: ['teams[red].players.attributes[skill]'],
          referenceValue: 1,
        }),
      { path: 'rules[0]', message: 'a distance rule needs minDistance or maxDistance' },
    ],
  ])('reports %s', (_title, breakIt, expected) => {
    const ruleSet = base();
    breakIt(ruleSet);
    expect(problems(ruleSet)).toContainEqual(expected);
  });

  it('reports measurements that do not parse, with the column', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'distance',
      measurements: ['avg(teams[*].players.attributes[skill)'],
      maxDistance: 1,
    });
    expect(problems(ruleSet)).toEqual([
      {
        path: 'rules[4].measurements[0]',
        message: `invalid property expression "avg(teams[*].players.attributes[skill)": at column 38: expected ']'`,
      },
    ]);
  });

  it('reports an unknown attribute and an unknown team in expressions', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'comparison',
      operation: '>',
      measurements: ['teams[green].players.attributes[skill]', 'teams[red].players.attributes[speed]'],
      referenceValue: 3,
    });
    expect(problems(ruleSet)).toEqual([
      {
        path: 'rules[4].measurements[0]',
        message: `invalid property expression "teams[green].players.attributes[skill]": at column 7: unknown team 'green'`,
      },
      {
        path: 'rules[4].measurements[1]',
        message: `invalid property expression "teams[red].players.attributes[speed]": at column 31: unknown player attribute 'speed'`,
      },
    ]);
  });

  it('reports measurement values of the wrong type', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'distance',
      measurements: ['flatten(teams[*].players.attributes[mode])'],
      maxDistance: 1,
    });
    expect(problems(ruleSet)).toEqual([
      {
        path: 'rules[4].measurements[0]',
        message:
          'must produce number values, but "flatten(teams[*].players.attributes[mode])" gives string values',
      },
    ]);
  });

  it('requires a single reference value', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'distance',
      measurements: ['teams[red].players.attributes[skill]'],
      referenceValue: 'teams[blue].players.attributes[skill]',
      maxDistance: 1,
    });
    expect(problems(ruleSet)).toEqual([
      {
        path: 'rules[4].referenceValue',
        message:
          'must produce a single number value, but "teams[blue].players.attributes[skill]" gives a list of number values (depth 1)',
      },
    ]);
  });

  it('requires a referenceValue for ordering comparisons', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'comparison',
      operation: '<',
      measurements: ['teams[red].players.attributes[skill]'],
    });
    expect(problems(ruleSet)).toEqual([
      {
        path: 'rules[4].referenceValue',
        message: 'is required for operation "<" (only = and != compare players with each other)',
      },
    ]);
  });

  it('checks collection operations and their reference', () => {
    const ruleSet = withRule({
      name: 'Bad',
      type: 'collection',
      operation: 'contains',
      measurements: ['teams[red].players.attributes[maps]'],
      maxCount: 2,
    });
    expect(problems(ruleSet)).toEqual([
      { path: 'rules[4].referenceValue', message: 'is required for operation "contains"' },
    ]);
  });

  it('checks sort rules: attribute type and mapKey', () => {
    expect(
      problems(withRule({ name: 'S', type: 'absoluteSort', sortDirection: 'up', sortAttribute: 'votes' })),
    ).toEqual([
      {
        path: 'rules[4].sortDirection',
        message: 'must be one of "ascending", "descending", got string "up"',
      },
      { path: 'rules[4].mapKey', message: 'is required when sorting by the string_number_map "votes"' },
    ]);
    expect(
      problems(
        withRule({ name: 'S', type: 'distanceSort', sortDirection: 'ascending', sortAttribute: 'maps' }),
      ),
    ).toEqual([
      {
        path: 'rules[4].sortAttribute',
        message: 'must be a number or string_number_map attribute, "maps" is string_list',
      },
    ]);
  });

  it('checks batchDistance attributes', () => {
    expect(
      problems(withRule({ name: 'B', type: 'batchDistance', batchAttribute: 'level', maxDistance: 1 })),
    ).toEqual([{ path: 'rules[4].batchAttribute', message: 'unknown player attribute "level"' }]);
  });

  it('checks compound statements: syntax and references', () => {
    expect(problems(withRule({ name: 'C', type: 'compound', statement: 'and(Fair, Modes' }))).toEqual([
      {
        path: 'rules[4].statement',
        message: `invalid statement "and(Fair, Modes": at column 16: expected ',' or ')'`,
      },
    ]);
    expect(problems(withRule({ name: 'C', type: 'compound', statement: 'or(Fair, Nope)' }))).toEqual([
      { path: 'rules[4].statement', message: 'at column 10: unknown rule "Nope"' },
    ]);
    expect(problems(withRule({ name: 'C', type: 'compound', statement: 'not(Fair, Modes)' }))).toEqual([
      {
        path: 'rules[4].statement',
        message: 'invalid statement "not(Fair, Modes)": at column 1: not() takes exactly one operand',
      },
    ]);
  });

  it('checks the algorithm block', () => {
    const ruleSet = base();
    ruleSet.algorithm = {
      strategy: 'balanced',
      batchingPreference: 'random',
      expansionAgeSelection: 'middle',
      backfillPriority: 'urgent',
    };
    expect(problems(ruleSet)).toEqual([
      {
        path: 'algorithm.batchingPreference',
        message: '"random" does not apply to strategy "balanced" (use "largestPopulation", "fastestRegion")',
      },
      { path: 'algorithm.balancedAttribute', message: 'is required when strategy is "balanced"' },
      {
        path: 'algorithm.expansionAgeSelection',
        message: 'must be one of "newest", "oldest", got string "middle"',
      },
      {
        path: 'algorithm.backfillPriority',
        message: 'must be one of "normal", "low", "high", got string "urgent"',
      },
    ]);
  });

  it('requires a declared number attribute for balancing and declared attributes for sorting', () => {
    const ruleSet = base();
    ruleSet.algorithm = { strategy: 'balanced', balancedAttribute: 'mode' };
    expect(problems(ruleSet)).toEqual([
      { path: 'algorithm.balancedAttribute', message: 'must be a number attribute, "mode" is string' },
    ]);
    ruleSet.algorithm = { batchingPreference: 'sorted', sortByAttributes: ['skill', 'height'] };
    expect(problems(ruleSet)).toEqual([
      { path: 'algorithm.sortByAttributes[1]', message: 'unknown player attribute "height"' },
    ]);
  });

  it('checks expansion targets', () => {
    const ruleSet = base();
    ruleSet.expansions = [
      { target: 'rules[Nope].maxDistance', steps: [{ waitTimeSeconds: 1, value: 1 }] },
      { target: 'rules[Fair].measurements', steps: [{ waitTimeSeconds: 1, value: 1 }] },
      { target: 'teams[green].minPlayers', steps: [{ waitTimeSeconds: 1, value: 1 }] },
      { target: 'teams[red].quantity', steps: [{ waitTimeSeconds: 1, value: 1 }] },
      { target: 'players', steps: [{ waitTimeSeconds: 1, value: 1 }] },
      { target: 'rules[Fair].minDistance', steps: [{ waitTimeSeconds: 1, value: 1 }] },
    ];
    expect(problems(ruleSet)).toEqual([
      { path: 'expansions[0].target', message: 'unknown rule "Nope" in "rules[Nope].maxDistance"' },
      {
        path: 'expansions[1].target',
        message:
          '"measurements" cannot be expanded on distance rule "Fair" (expandable: minDistance, maxDistance, referenceValue)',
      },
      { path: 'expansions[2].target', message: 'unknown team "green" in "teams[green].minPlayers"' },
      {
        path: 'expansions[3].target',
        message: '"quantity" cannot be expanded on a team (expandable: minPlayers, maxPlayers)',
      },
      {
        path: 'expansions[4].target',
        message:
          'must look like "rules[<rule>].<property>" or "teams[<team>].minPlayers|maxPlayers", got "players"',
      },
      { path: 'expansions[5].target', message: 'rule "Fair" sets no minDistance to expand' },
    ]);
  });

  it('checks expansion steps: types and ascending wait times', () => {
    const ruleSet = base();
    ruleSet.expansions = [
      {
        target: 'teams[red].minPlayers',
        steps: [
          { waitTimeSeconds: 10, value: 1.5 },
          { waitTimeSeconds: 10, value: 1 },
          { waitTimeSeconds: 'soon', value: 0 },
        ],
      },
    ];
    expect(problems(ruleSet)).toEqual([
      { path: 'expansions[0].steps[0].value', message: 'must be a whole number, got 1.5' },
      {
        path: 'expansions[0].steps[1].waitTimeSeconds',
        message: "must be greater than the previous step's 10 (wait times are absolute and ascending)",
      },
      { path: 'expansions[0].steps[2].waitTimeSeconds', message: 'must be a number, got string "soon"' },
    ]);
  });

  describe('large matches (more than 40 players)', () => {
    const large = (): Json => ({
      ...base(),
      teams: [{ name: 'horde', minPlayers: 10, maxPlayers: 50 }],
      algorithm: { strategy: 'balanced', balancedAttribute: 'skill' },
      rules: [{ name: 'Ping', type: 'latency', maxLatency: 100 }],
      expansions: [],
    });

    it('accepts latency and batchDistance rules with the balanced strategy', () => {
      const ruleSet = large();
      (ruleSet.rules as Json[]).push({
        name: 'Band',
        type: 'batchDistance',
        batchAttribute: 'skill',
        maxDistance: 5,
      });
      expect(problems(ruleSet)).toEqual([]);
    });

    it('rejects other rule types, compound rules and exhaustiveSearch', () => {
      const ruleSet = large();
      ruleSet.algorithm = {};
      (ruleSet.rules as Json[]).push(
        {
          name: 'Modes',
          type: 'comparison',
          operation: '=',
          measurements: ['flatten(teams[*].players.attributes[mode])'],
        },
        { name: 'C', type: 'compound', statement: 'and(Ping, Modes)' },
      );
      expect(problems(ruleSet)).toEqual([
        {
          path: 'rules[1].type',
          message:
            '"comparison" rules are not available in large matches (more than 40 players); use latency or batchDistance',
        },
        {
          path: 'rules[2].type',
          message: 'compound rules are only available for matches of up to 40 players',
        },
        {
          path: 'algorithm.strategy',
          message: 'must be "balanced" for large matches (more than 40 players)',
        },
      ]);
    });

    it('counts quantity and caps a match at 200 players', () => {
      const ruleSet = large();
      ruleSet.teams = [{ name: 'squad', minPlayers: 1, maxPlayers: 30, quantity: 7 }];
      expect(problems(ruleSet)).toEqual([
        {
          path: 'teams',
          message: 'a match holds at most 200 players, but maxPlayers × quantity over all teams is 210',
        },
      ]);
    });
  });

  it('lists every problem of a rule set with several, and formats them in one message', () => {
    const ruleSet = base();
    ruleSet.ruleLanguageVersion = 1;
    (ruleSet.teams as Json[])[0] = { name: 'red', minPlayers: 3, maxPlayers: 2 };
    (ruleSet.rules as Json[])[3] = { name: 'Ping', type: 'latency' };
    ruleSet.expansions = [{ target: 'rules[Ping].maxLatency', steps: [{ waitTimeSeconds: 5, value: 200 }] }];
    const found = problems(ruleSet);
    expect(found).toEqual([
      { path: 'ruleLanguageVersion', message: 'must be "1.0", got number 1' },
      { path: 'teams[0].minPlayers', message: 'must not exceed maxPlayers (3 > 2)' },
      { path: 'rules[3]', message: 'a latency rule needs maxLatency or maxDistance' },
      { path: 'expansions[0].target', message: 'rule "Ping" sets no maxLatency to expand' },
    ]);
    expect(formatProblems(found)).toBe(
      'Invalid rule set, 4 problems: (1) ruleLanguageVersion: must be "1.0", got number 1; ' +
        '(2) teams[0].minPlayers: must not exceed maxPlayers (3 > 2); ' +
        '(3) rules[3]: a latency rule needs maxLatency or maxDistance; ' +
        '(4) expansions[0].target: rule "Ping" sets no maxLatency to expand',
    );
  });

  it('reports a body that is not an object, and syntax errors', () => {
    expect(validateRuleSetBody('[1]')).toEqual({
      valid: false,
      problems: [{ path: '', message: 'must be a JSON object, got an array' }],
    });
    expect(validateRuleSetBody('{"a": }')).toEqual({
      valid: false,
      problems: [{ path: '', message: 'syntax error at 1:7: value expected' }],
    });
  });
});
