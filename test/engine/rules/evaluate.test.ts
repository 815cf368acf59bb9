import {
  type CandidateEvaluation,
  candidatePasses,
  compareOrderingKeys,
  evaluateCandidate,
  evaluatePropertyExpression,
  orderingKeys,
  playerPassesFilters,
  type QueueProgram,
  type RuleCandidate,
  ticketFilterFailures,
  ticketPassesFilters,
} from '../../../lambdas/engine/rules';
import { candidate, loadProgram, player, skillPlayers, solos, ticket } from './support';

const NOW = 1_700_000_000_000;

function rule(evaluation: CandidateEvaluation, name: string) {
  const found = evaluation.rules.find((result) => result.ruleName === name);
  if (found === undefined) throw new Error(`no result for rule ${name}`);
  return found;
}

/** evaluateCandidate and the fast path must always agree. */
function evaluate(program: QueueProgram, match: RuleCandidate, nowMs = NOW): CandidateEvaluation {
  const evaluation = evaluateCandidate(program, match, nowMs);
  expect(candidatePasses(program, match, nowMs)).toBe(evaluation.passed);
  return evaluation;
}

describe('distance and comparison: skill-5v5', () => {
  const program = loadProgram('skill-5v5.jsonc');

  it('passes balanced teams of equal size', () => {
    const result = evaluate(
      program,
      candidate({
        red: solos(NOW, ...skillPlayers('r', 1000, 1010, 990)),
        blue: solos(NOW, ...skillPlayers('b', 1000, 1005, 995)),
      }),
    );
    expect(result.passed).toBe(true);
    expect(result.rules.map((each) => [each.ruleName, each.passed])).toEqual([
      ['BalancedTeams', true],
      ['SameSize', true],
    ]);
  });

  const lopsided = (startTime: number) =>
    candidate({
      red: solos(startTime, ...skillPlayers('r', 1200, 1200, 1200)),
      blue: solos(startTime, ...skillPlayers('b', 900, 900, 900)),
    });

  it('fails teams whose averages are far apart, naming the distance', () => {
    const result = evaluate(program, lopsided(NOW));
    expect(result.passed).toBe(false);
    expect(rule(result, 'BalancedTeams')).toMatchObject({ passed: false });
    expect(rule(result, 'BalancedTeams').detail).toContain('150 from the reference 1050');
  });

  it('applies an expansion step at exactly its wait time, not a millisecond before', () => {
    expect(evaluate(program, lopsided(NOW - 9_999)).passed).toBe(false);
    const atBoundary = evaluate(program, lopsided(NOW - 10_000));
    expect(atBoundary.ageMs).toBe(10_000);
    expect(atBoundary.passed).toBe(true);
  });

  it('drives expansions by the newest ticket by default', () => {
    const mixed = candidate({
      red: [
        ticket('old', NOW - 60_000, ...skillPlayers('r', 1200, 1200)),
        ticket('new', NOW - 1_000, player('r9', { skill: 1200 })),
      ],
      blue: solos(NOW - 60_000, ...skillPlayers('b', 900, 900, 900)),
    });
    const result = evaluate(program, mixed);
    expect(result.ageMs).toBe(1_000);
    expect(result.passed).toBe(false);
  });

  it('uses the declared default for a missing attribute', () => {
    const withDefault = candidate({
      red: solos(NOW, player('r0'), ...skillPlayers('r', 1000, 1000)),
      blue: solos(NOW, ...skillPlayers('b', 1000, 1000, 1000)),
    });
    expect(evaluate(program, withDefault).passed).toBe(true);
    expect(evaluatePropertyExpression(program, 'teams[red].players.attributes[skill]', withDefault)).toEqual([
      1000, 1000, 1000,
    ]);
  });

  it('fails unequal team sizes through the comparison rule', () => {
    const result = evaluate(
      program,
      candidate({
        red: solos(NOW, ...skillPlayers('r', 1000, 1000, 1000, 1000)),
        blue: solos(NOW, ...skillPlayers('b', 1000, 1000, 1000)),
      }),
    );
    expect(rule(result, 'SameSize')).toMatchObject({ passed: false });
    expect(result.passed).toBe(false);
  });

  it('checks team sizes against expanded minimums', () => {
    const small = (startTime: number) =>
      candidate({
        red: solos(startTime, ...skillPlayers('r', 1000)),
        blue: solos(startTime, ...skillPlayers('b', 1000)),
      });
    const young = evaluate(program, small(NOW));
    expect(young.passed).toBe(false);
    expect(young.teamProblems).toEqual([
      'team "red" has 1 player(s), needs 3 to 5',
      'team "blue" has 1 player(s), needs 3 to 5',
    ]);
    expect(evaluate(program, small(NOW - 20_000)).passed).toBe(true);
  });

  it('leaves an empty team out of the per-team averages', () => {
    const oneSided = candidate({ red: solos(NOW, ...skillPlayers('r', 1000, 1040, 1100)), blue: [] });
    const averages = evaluatePropertyExpression(
      program,
      'avg(teams[*].players.attributes[skill])',
      oneSided,
    ) as number[];
    expect(averages[0]).toBeCloseTo(1046.667, 2);
    expect(Number.isNaN(averages[1])).toBe(true);
    const result = evaluate(program, oneSided);
    expect(rule(result, 'BalancedTeams').passed).toBe(true);
    expect(result.teamProblems).toEqual(['team "blue" has 0 player(s), needs 3 to 5']);
  });

  it('rejects a team the program does not define', () => {
    const result = evaluate(program, candidate({ red: [], blue: [], green: solos(NOW, player('g')) }));
    expect(result.teamProblems).toContain('unknown team "green"');
    expect(result.passed).toBe(false);
  });
});

describe('strings, collections and literal filters: preferences', () => {
  const program = loadProgram('preferences.jsonc');
  const hero1 = player('h1', { level: 12, maps: ['harbor', 'desert'], roles: ['healer'] });
  const hero2 = player('h2', { level: 15, maps: ['desert'], roles: ['tank'] });
  const boss = player('b', { level: 30, isBoss: 1, maps: ['desert', 'harbor'] });
  const match = (heroes: ReturnType<typeof player>[], bossPlayer = boss, startTime = NOW) =>
    candidate({ heroes: solos(startTime, ...heroes), boss: solos(startTime, bossPlayer) });

  it('passes when every rule holds', () => {
    const result = evaluate(program, match([hero1, hero2]));
    expect(result.rules.filter((each) => !each.passed)).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('compares strings of all players with each other', () => {
    const result = evaluate(
      program,
      match([hero1, player('h3', { level: 20, mode: 'ranked', maps: ['desert'] })]),
    );
    expect(rule(result, 'SameMode')).toMatchObject({ passed: false });
    expect(rule(result, 'SameMode').detail).toContain('"ranked"');
  });

  it('fails a rule for a player missing an attribute without default, saying so', () => {
    const result = evaluate(program, match([hero1, player('h4', { maps: ['desert'] })]));
    expect(rule(result, 'LevelFloor')).toEqual({
      ruleName: 'LevelFloor',
      passed: false,
      detail: "player h4 has no 'level' attribute and it has no default",
    });
  });

  it('expands a numeric referenceValue', () => {
    const lowLevel = player('h5', { level: 8, maps: ['desert'] });
    expect(rule(evaluate(program, match([hero1, lowLevel])), 'LevelFloor').passed).toBe(false);
    expect(rule(evaluate(program, match([hero1, lowLevel], boss, NOW - 15_000)), 'LevelFloor').passed).toBe(
      true,
    );
  });

  it('checks a team-specific literal comparison', () => {
    const reluctant = player('b2', { level: 30, maps: ['desert'] });
    expect(rule(evaluate(program, match([hero1], reluctant)), 'BossWantsIt')).toMatchObject({
      passed: false,
    });
  });

  it('needs a map in common to every player (string_list intersection)', () => {
    const islander = player('h6', { level: 30, maps: ['island'], roles: ['healer'] });
    expect(rule(evaluate(program, match([hero1, islander])), 'CommonMap').passed).toBe(false);
    // hero1 and boss share harbor and desert; default maps ["harbor"] shares harbor.
    expect(rule(evaluate(program, match([hero1, player('h7', { level: 11 })])), 'CommonMap').passed).toBe(
      true,
    );
  });

  it('counts occurrences for contains', () => {
    expect(rule(evaluate(program, match([hero2])), 'HeroesHaveHealer').passed).toBe(false);
  });

  it('counts the collections that contain the value, not repeated entries in one', () => {
    const twoHealers = loadProgram('preferences.jsonc', (body) =>
      body.replace(
        '"referenceValue": "healer",\n      "minCount": 1',
        '"referenceValue": "healer",\n      "minCount": 2',
      ),
    );
    const healerTwice = player('h10', { level: 12, maps: ['desert'], roles: ['healer', 'healer'] });
    expect(rule(evaluate(twoHealers, match([healerTwice])), 'HeroesHaveHealer').passed).toBe(false);
    expect(rule(evaluate(twoHealers, match([healerTwice, hero1])), 'HeroesHaveHealer').passed).toBe(true);
  });

  it('measures a set of specific teams with teams[a, b]', () => {
    const acrossTeams = loadProgram('preferences.jsonc', (body) =>
      body
        .replace(
          '"teams[heroes].players.attributes[roles]"',
          '"teams[heroes, boss].players.attributes[roles]"',
        )
        .replace(
          '"referenceValue": "healer",\n      "minCount": 1',
          '"referenceValue": "healer",\n      "minCount": 2',
        ),
    );
    const healingBoss = player('b2', { level: 30, isBoss: 1, maps: ['desert'], roles: ['healer'] });
    expect(rule(evaluate(acrossTeams, match([hero1], healingBoss)), 'HeroesHaveHealer').passed).toBe(true);
    expect(rule(evaluate(acrossTeams, match([hero1], boss)), 'HeroesHaveHealer').passed).toBe(false);
    expect(() =>
      loadProgram('preferences.jsonc', (body) =>
        body.replace(
          '"teams[heroes].players.attributes[roles]"',
          '"teams[heroes, villains].players.attributes[roles]"',
        ),
      ),
    ).toThrow(/unknown team 'villains'/);
  });

  it("reads the guide's team[a, b].players spelling as teams[a, b].players", () => {
    const spelledTeam = loadProgram('preferences.jsonc', (body) =>
      body
        .replace(
          '"teams[heroes].players.attributes[roles]"',
          '"team[heroes, boss].players.attributes[roles]"',
        )
        .replace(
          '"referenceValue": "healer",\n      "minCount": 1',
          '"referenceValue": "healer",\n      "minCount": 2',
        ),
    );
    const healingBoss = player('b3', { level: 30, isBoss: 1, maps: ['desert'], roles: ['healer'] });
    expect(rule(evaluate(spelledTeam, match([hero1], healingBoss)), 'HeroesHaveHealer').passed).toBe(true);
    expect(rule(evaluate(spelledTeam, match([hero1], boss)), 'HeroesHaveHealer').passed).toBe(false);
  });

  it('rejects a match holding a player someone blocked (reference_intersection_count)', () => {
    const blocker = player('h8', {
      level: 12,
      maps: ['desert'],
      roles: ['healer'],
      blocked: ['b', 'stranger'],
    });
    const result = evaluate(program, match([blocker]));
    expect(rule(result, 'NoBlockedPlayers')).toMatchObject({ passed: false });
    const harmless = player('h9', { level: 12, maps: ['desert'], roles: ['healer'], blocked: ['stranger'] });
    expect(rule(evaluate(program, match([harmless])), 'NoBlockedPlayers').passed).toBe(true);
  });

  it('derives per-player filters from literal comparisons, per slot where team-specific', () => {
    expect(program.playerFilters.map((filter) => [filter.ruleName, filter.slots])).toEqual([
      ['LevelFloor', 'all'],
      ['BossWantsIt', [1]],
    ]);
    const novice = player('n', { level: 6 });
    expect(playerPassesFilters(program, novice, 0)).toBe(false);
    expect(playerPassesFilters(program, novice, 15_000)).toBe(true);
    const notBoss = player('x', { level: 50 });
    expect(playerPassesFilters(program, notBoss, 0)).toBe(true);
    expect(playerPassesFilters(program, notBoss, 0, 'heroes')).toBe(true);
    expect(playerPassesFilters(program, notBoss, 0, 'boss')).toBe(false);
    expect(ticketFilterFailures(program, [notBoss], 0, 'boss')).toEqual(['BossWantsIt: isBoss 0 is not = 1']);
  });
});

describe('latency: latency-regions (oldest ticket drives expansions)', () => {
  const program = loadProgram('latency-regions.json');
  const squad = (startTime: number, ...latencies: Array<Record<string, number>>) =>
    candidate({
      squad: solos(startTime, ...latencies.map((latency, index) => player(`p${index}`, {}, latency))),
    });

  it('passes when one region suits everyone', () => {
    expect(evaluate(program, squad(NOW, { us: 50, eu: 200 }, { us: 70, eu: 30 })).passed).toBe(true);
  });

  it('ignores regions above maxLatency instead of failing on them', () => {
    const result = evaluate(program, squad(NOW, { us: 50, eu: 300 }, { us: 90, eu: 20 }));
    expect(rule(result, 'Ping').passed).toBe(true);
  });

  it('fails when acceptable regions are not shared', () => {
    const result = evaluate(program, squad(NOW, { us: 50, eu: 300 }, { eu: 40, us: 180 }));
    expect(rule(result, 'Ping')).toMatchObject({ passed: false });
    expect(rule(result, 'Ping').detail).toContain('100 ms');
  });

  it('fails a player with no latency entry at or below maxLatency', () => {
    const result = evaluate(program, squad(NOW, { us: 50 }, { us: 130 }));
    expect(rule(result, 'Ping').detail).toBe('ticket of player p1 reports no region at or below 100 ms');
  });

  it('fails players too far from the average latency (maxDistance, distanceReference avg)', () => {
    const result = evaluate(program, squad(NOW, { us: 10 }, { us: 95 }));
    expect(rule(result, 'Ping').passed).toBe(true);
    expect(rule(result, 'FairPing')).toMatchObject({ passed: false });
  });

  it('uses the oldest ticket when expansionAgeSelection is oldest', () => {
    const mixed = candidate({
      squad: [
        ticket('old', NOW - 12_000, player('a', {}, { us: 120 })),
        ticket('new', NOW - 1_000, player('b', {}, { us: 110 })),
      ],
    });
    const oldest = evaluate(program, mixed);
    expect(oldest.ageMs).toBe(12_000);
    expect(oldest.passed).toBe(true);
    const newestProgram = loadProgram('latency-regions.json', (body) => body.replace('"oldest"', '"newest"'));
    const newest = evaluate(newestProgram, mixed);
    expect(newest.ageMs).toBe(1_000);
    expect(rule(newest, 'Ping').passed).toBe(false);
  });

  it('pre-filters players by maxLatency with the expansion at its exact boundary', () => {
    const far = player('far', {}, { us: 140, eu: 400 });
    expect(playerPassesFilters(program, far, 9_999)).toBe(false);
    expect(playerPassesFilters(program, far, 10_000)).toBe(true);
  });
});

describe('ordering rules: ordering', () => {
  const program = loadProgram('ordering.json');
  const anchor = [player('anchor', { mapVotes: { harbor: 5, desert: 9 }, experience: 50 })];

  it('compiles sort rules, the batch attribute and sortByAttributes into ordering keys', () => {
    expect(program.orderingRules.map((each) => [each.name, each.sourceType])).toEqual([
      ['FavouriteMap', 'absoluteSort'],
      ['CloseExperience', 'distanceSort'],
      ['RankBand', 'batchDistance'],
      ['sortByAttributes[rank]', 'sortByAttributes'],
    ]);
    expect(program.algorithm.batchingPreference).toBe('sorted');
  });

  it('sorts by the anchor favourite map key, descending (absoluteSort with mapKey maxValue)', () => {
    const keen = [player('k', { mapVotes: { desert: 7, harbor: 1 } })];
    const lukewarm = [player('l', { mapVotes: { desert: 2, harbor: 10 } })];
    const indifferent = [player('i', { mapVotes: { harbor: 10 } })];
    const keys = [keen, lukewarm, indifferent].map((party) => orderingKeys(program, anchor, party));
    expect(keys.map((each) => each[0])).toEqual([-7, -2, Number.NaN]);
    expect(compareOrderingKeys(keys[0] ?? [], keys[1] ?? [])).toBeLessThan(0);
    expect(compareOrderingKeys(keys[2] ?? [], keys[1] ?? [])).toBeGreaterThan(0);
  });

  it('sorts by distance from the anchor (distanceSort ascending), party averaged', () => {
    const near = orderingKeys(program, anchor, [player('n', { experience: 55 })]);
    const far = orderingKeys(program, anchor, [player('f', { experience: 80 })]);
    const party = orderingKeys(program, anchor, [
      player('p1', { experience: 40 }),
      player('p2', { experience: 80 }),
    ]);
    expect(near[1]).toBe(5);
    expect(far[1]).toBe(30);
    expect(party[1]).toBe(10);
  });

  it('never rejects on sort rules but enforces batchDistance with its expansion', () => {
    const close = evaluate(
      program,
      candidate({ all: solos(NOW, player('a', { rank: 3 }), player('b', { rank: 4 })) }),
    );
    expect(close.passed).toBe(true);
    expect(rule(close, 'FavouriteMap').passed).toBe(true);
    const apart = (startTime: number) =>
      candidate({ all: solos(startTime, player('a', { rank: 3 }), player('b', { rank: 5 })) });
    expect(rule(evaluate(program, apart(NOW)), 'RankBand')).toMatchObject({ passed: false });
    expect(evaluate(program, apart(NOW - 20_000)).passed).toBe(true);
  });

  it('reads the guide\'s string form of batchDistance maxDistance ("1") as the number', () => {
    const quoted = loadProgram('ordering.json', (body) =>
      body.replace('"maxDistance": 1 }', '"maxDistance": "1" }'),
    );
    const band = (rank: number) =>
      rule(
        evaluate(quoted, candidate({ all: solos(NOW, player('a', { rank: 3 }), player('b', { rank })) })),
        'RankBand',
      ).passed;
    expect(band(4)).toBe(true);
    expect(band(5)).toBe(false);
    expect(() =>
      loadProgram('ordering.json', (body) => body.replace('"maxDistance": 1 }', '"maxDistance": "1e3" }')),
    ).toThrow(/maxDistance: must be a number, got string "1e3"/);
  });
});

describe('compound rules: compound', () => {
  const program = loadProgram('compound.json');
  const pair = (left: ReturnType<typeof player>, right: ReturnType<typeof player>) =>
    candidate({ left: solos(NOW, left), right: solos(NOW, right) });

  it('passes or() when one side holds; its operands do not reject on their own', () => {
    const result = evaluate(
      program,
      pair(player('a', { map: 'x', skill: 10 }), player('b', { map: 'x', skill: 40 })),
    );
    expect(rule(result, 'CloseSkill').passed).toBe(false);
    expect(rule(result, 'MapOrSkill').passed).toBe(true);
    expect(result.passed).toBe(true);
  });

  it('fails or() when neither side holds', () => {
    const result = evaluate(
      program,
      pair(player('a', { map: 'x', skill: 10 }), player('b', { map: 'y', skill: 40 })),
    );
    expect(rule(result, 'MapOrSkill')).toEqual({
      ruleName: 'MapOrSkill',
      passed: false,
      detail: 'statement is false',
    });
    expect(result.passed).toBe(false);
  });

  it('inverts with not()', () => {
    expect(evaluate(program, pair(player('a', { newbie: 1 }), player('b'))).passed).toBe(false);
    const veterans = evaluate(program, pair(player('a'), player('b')));
    expect(rule(veterans, 'HasNewbie').passed).toBe(false);
    expect(rule(veterans, 'NoNewbies').passed).toBe(true);
    expect(veterans.passed).toBe(true);
  });
});

describe('party aggregation: parties', () => {
  const program = loadProgram('parties.json');

  it('aggregates a ticket’s players with min for CappedSkill and avg by default', () => {
    const carried = candidate({
      red: [ticket('party', NOW, player('low', { skill: 10 }), player('high', { skill: 130 }))],
      blue: solos(NOW, player('b', { skill: 50 })),
    });
    const together = evaluate(program, carried);
    // min(10, 130) = 10 <= 100; avg(10, 130) = 70 >= 20.
    expect(rule(together, 'CappedSkill').passed).toBe(true);
    expect(rule(together, 'AverageSkillFloor').passed).toBe(true);
    const apart = evaluate(
      program,
      candidate({
        red: solos(NOW, player('low', { skill: 10 }), player('high', { skill: 130 })),
        blue: solos(NOW, player('b', { skill: 50 })),
      }),
    );
    expect(rule(apart, 'CappedSkill').passed).toBe(false);
    expect(rule(apart, 'AverageSkillFloor').passed).toBe(false);
  });

  it('intersects a party’s string lists with partyAggregation intersection', () => {
    const party = ticket(
      'duo',
      NOW,
      player('a', { skill: 50, modes: ['duel', 'ffa'] }),
      player('b', { skill: 50, modes: ['ffa', 'ctf'] }),
    );
    const duelist = candidate({
      red: [party],
      blue: solos(NOW, player('c', { skill: 50, modes: ['duel'] })),
    });
    expect(rule(evaluate(program, duelist), 'SharedMode').passed).toBe(false);
    const ffa = candidate({ red: [party], blue: solos(NOW, player('c', { skill: 50, modes: ['ffa'] })) });
    expect(rule(evaluate(program, ffa), 'SharedMode').passed).toBe(true);
  });

  it('treats a ticket split over two teams as one party', () => {
    const split = candidate({
      red: [ticket('split', NOW, player('low', { skill: 10 }))],
      blue: [ticket('split', NOW, player('high', { skill: 130 }))],
    });
    expect(rule(evaluate(program, split), 'CappedSkill').passed).toBe(true);
  });

  it('pre-filters a party with its aggregate rather than member by member', () => {
    const members = [player('low', { skill: 10 }), player('high', { skill: 40 })];
    expect(ticketPassesFilters(program, members, 0)).toBe(true);
    expect(playerPassesFilters(program, player('low', { skill: 10 }), 0)).toBe(false);
  });
});

describe('large matches: large-battle', () => {
  const program = loadProgram('large-battle.json');

  it('exposes the algorithm settings and expanded team slots', () => {
    expect(program.algorithm).toEqual({
      strategy: 'balanced',
      batchingPreference: 'fastestRegion',
      sortByAttributes: [],
      balancedAttribute: 'skill',
      expansionAgeSelection: 'newest',
      backfillPriority: 'high',
      largeMatch: true,
    });
    expect(program.teamSlots.map((slot) => slot.name)).toEqual(['army_1', 'army_2']);
    expect([program.totalMinPlayers, program.totalMaxPlayers]).toEqual([40, 60]);
    expect(program.teamSlots[1]?.minPlayers).toEqual({ base: 20, steps: [{ atAgeMs: 30_000, value: 10 }] });
  });

  it('serves backfill tickets first by default in a large match, as FlexMatch does', () => {
    const withoutPriority = (body: string) => body.replace(',\n    "backfillPriority": "high"', '');
    expect(loadProgram('large-battle.json', withoutPriority).algorithm.backfillPriority).toBe('high');
    const explicitlyNormal = loadProgram('large-battle.json', (body) =>
      body.replace('"backfillPriority": "high"', '"backfillPriority": "normal"'),
    );
    expect(explicitlyNormal.algorithm.backfillPriority).toBe('normal');
    // Small matches keep serving tickets by age.
    expect(loadProgram('skill-5v5.jsonc').algorithm.backfillPriority).toBe('normal');
  });

  it('requires equal strings for a string batchDistance', () => {
    const armies = (mode: string) =>
      candidate({
        army_1: solos(
          NOW - 30_000,
          ...Array.from({ length: 10 }, (_, index) => player(`a${index}`, {}, { us: 50 })),
        ),
        army_2: solos(
          NOW - 30_000,
          ...Array.from({ length: 10 }, (_, index) => player(`b${index}`, { mode }, { us: 60 })),
        ),
      });
    expect(evaluate(program, armies('conquest')).passed).toBe(true);
    const mixed = evaluate(program, armies('rush'));
    expect(rule(mixed, 'SameMode')).toMatchObject({ passed: false });
  });
});
