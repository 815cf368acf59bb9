import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { playerToMember, toEnginePlayer } from '../../../lambdas/dialects/playfab/players';
import type { MatchmakingPlayerWithTeamAssignment } from '../../../lambdas/dialects/playfab/schemas';
import {
  compileQueueConfig,
  MATCH_SIZE_RULE,
  type PlayFabQueueProgram,
  QueueConfigInvalidError,
  regionPreferences,
  SINGLE_SLOT_NAME,
  scheduleAt,
  scheduleSteps,
  TICKET_COUNT_RULE,
} from '../../../lambdas/engine/queues/compile';
import { parseQueueConfig } from '../../../lambdas/engine/queues/parse';
import { type CandidateTicket, evaluateCandidate, ticketFilterFailures } from '../../../lambdas/engine/rules';
import { SlotfillError } from '../../../lambdas/shared/errors';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'playfab');
const NOW = 1_000_000_000;

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as unknown;
}

/** Parses (schema + semantics) and compiles; fails the test with the problems otherwise. */
function compile(raw: unknown): PlayFabQueueProgram {
  const parsed = parseQueueConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return compileQueueConfig(parsed.config);
}

/** A two-player queue without teams plus the given rule lists. */
/** Raw input: parseQueueConfig validates it, so it is typed loosely on purpose. */
function duel(rules: Record<string, unknown>, sizes = { MinMatchSize: 2, MaxMatchSize: 2 }): unknown {
  return { Name: 'q', ServerAllocationEnabled: false, ...sizes, ...rules };
}

const attribute = (path: string) => ({ Path: path, Source: 'User' });

function member(
  id: string,
  data?: Record<string, unknown>,
  teamId?: string,
): MatchmakingPlayerWithTeamAssignment {
  const result: MatchmakingPlayerWithTeamAssignment = { Entity: { Id: id, Type: 'title_player_account' } };
  if (data !== undefined) result.Attributes = { DataObject: data };
  if (teamId !== undefined) result.TeamId = teamId;
  return result;
}

/** A ticket waiting for ageMs at NOW, its members translated through the queue. */
function ticket(
  queue: PlayFabQueueProgram,
  id: string,
  ageMs: number,
  members: MatchmakingPlayerWithTeamAssignment[],
  backfillRegion?: string,
): CandidateTicket {
  const options = backfillRegion === undefined ? {} : { backfill: { serverRegion: backfillRegion } };
  return {
    ticketId: id,
    startTime: NOW - ageMs,
    players: members.map((each) => toEnginePlayer(each, queue, options)),
  };
}

/** One-player tickets with the given attributes, all of the same age. */
function solos(queue: PlayFabQueueProgram, ageMs: number, ...data: (Record<string, unknown> | undefined)[]) {
  return data.map((each, index) => ticket(queue, `t${index}`, ageMs, [member(`p${index}`, each)]));
}

function verdict(queue: PlayFabQueueProgram, teams: Record<string, CandidateTicket[]>) {
  const evaluation = evaluateCandidate(queue, { teams }, NOW);
  const failed = evaluation.rules
    .filter((rule) => rule !== undefined && !rule.passed)
    .map((rule) => rule.ruleName);
  return { passed: evaluation.passed, failed, problems: evaluation.teamProblems };
}

const single = (queue: PlayFabQueueProgram, tickets: CandidateTicket[]) =>
  verdict(queue, { [SINGLE_SLOT_NAME]: tickets });

describe('DifferenceRule', () => {
  const queue = compile(fixture('skill-duel.json'));

  it('accepts tickets within Difference and rejects those beyond, with a message', () => {
    expect(single(queue, solos(queue, 0, { skill: 1000 }, { skill: 1100 })).passed).toBe(true);
    const evaluation = evaluateCandidate(
      queue,
      { teams: { [SINGLE_SLOT_NAME]: solos(queue, 0, { skill: 1000 }, { skill: 1101 }) } },
      NOW,
    );
    expect(evaluation.passed).toBe(false);
    expect(evaluation.rules.find((rule) => rule.ruleName === 'SkillGap')?.detail).toBe(
      'skill differs by 101 between tickets (1000 to 1101); at most 100 is allowed',
    );
  });

  it('expands linearly at exact interval boundaries and stops at Limit', () => {
    const gap = (difference: number, ageMs: number) =>
      single(queue, solos(queue, ageMs, { skill: 0 }, { skill: difference })).passed;
    expect(gap(150, 9_999)).toBe(false);
    expect(gap(150, 10_000)).toBe(true);
    expect(gap(200, 19_999)).toBe(false);
    expect(gap(200, 20_000)).toBe(true);
    expect(gap(201, 3_000_000)).toBe(false);
    expect(queue.expansions).toEqual([
      {
        target: 'SkillGap.Difference',
        steps: [
          { atAgeMs: 10_000, value: 150 },
          { atAgeMs: 20_000, value: 200 },
        ],
      },
    ]);
  });

  it('uses DefaultAttributeValue for a player without the attribute (UseDefault)', () => {
    expect(single(queue, solos(queue, 0, undefined, { skill: 1100 })).passed).toBe(true);
    expect(single(queue, solos(queue, 0, undefined, { skill: 1101 })).passed).toBe(false);
  });

  it.each([
    ['Min', 1000, 1150],
    ['Max', 1200, 1350],
    ['Average', 1100, 1250],
  ])('merges a party with %s', (mergeFunction, passing, failing) => {
    const merged = compile(
      duel(
        {
          DifferenceRules: [
            {
              Name: 'Gap',
              Attribute: attribute('skill'),
              AttributeNotSpecifiedBehavior: 'MatchAny',
              Difference: 100,
              MergeFunction: mergeFunction,
              Weight: 1,
            },
          ],
        },
        { MinMatchSize: 2, MaxMatchSize: 3 },
      ),
    );
    const party = ticket(merged, 'party', 0, [member('a', { skill: 1000 }), member('b', { skill: 1200 })]);
    const opponent = (skill: number) => ticket(merged, 'solo', 0, [member('c', { skill: skill + 100 })]);
    expect(single(merged, [party, opponent(passing)]).passed).toBe(true);
    expect(single(merged, [party, opponent(failing)]).passed).toBe(false);
  });

  it('ignores players without the attribute under MatchAny', () => {
    const anyone = compile(
      duel({
        DifferenceRules: [
          {
            Name: 'Gap',
            Attribute: attribute('skill'),
            AttributeNotSpecifiedBehavior: 'MatchAny',
            Difference: 10,
            MergeFunction: 'Max',
            Weight: 1,
          },
        ],
      }),
    );
    expect(single(anyone, solos(anyone, 0, {}, { skill: 5000 })).passed).toBe(true);
    // A value of the wrong type counts as not specified.
    expect(single(anyone, solos(anyone, 0, { skill: 'high' }, { skill: 5000 })).passed).toBe(true);
  });

  it('follows a Custom expansion per interval, null switching the rule off, the last value persisting', () => {
    const custom = compile(
      duel({
        DifferenceRules: [
          {
            Name: 'Gap',
            Attribute: attribute('skill'),
            AttributeNotSpecifiedBehavior: 'MatchAny',
            Difference: 1,
            MergeFunction: 'Average',
            CustomExpansion: {
              DifferenceOverrides: [{ Value: 10 }, null, { Value: 30 }],
              SecondsBetweenExpansions: 5,
            },
            Weight: 1,
          },
        ],
      }),
    );
    const gap = (difference: number, ageMs: number) =>
      single(custom, solos(custom, ageMs, { skill: 0 }, { skill: difference })).passed;
    // Interval 0 uses the first override, not Difference (1).
    expect(gap(10, 0)).toBe(true);
    expect(gap(11, 4_999)).toBe(false);
    // Interval 1: null, the rule is off.
    expect(gap(10_000, 5_000)).toBe(true);
    expect(gap(10_000, 9_999)).toBe(true);
    // Interval 2 and after: 30.
    expect(gap(31, 10_000)).toBe(false);
    expect(gap(30, 600_000)).toBe(true);
    const [description] = custom.expansions;
    expect(description?.steps.map((step) => [step.atAgeMs, step.value])).toEqual([
      [0, 10],
      [5_000, Number.NaN],
      [10_000, 30],
    ]);
  });
});

describe('SecondsUntilOptional and Weight', () => {
  const queue = compile(fixture('skill-duel.json'));

  it('enforces the rule until the age, then reports it failed but accepts the match', () => {
    const builds = (ageMs: number) =>
      single(
        queue,
        solos(queue, ageMs, { skill: 1, client: { build: 'a' } }, { skill: 1, client: { build: 'b' } }),
      );
    expect(builds(29_999)).toEqual({ passed: false, failed: ['SameBuild'], problems: [] });
    expect(builds(30_000)).toEqual({ passed: true, failed: ['SameBuild'], problems: [] });
  });

  it('carries Weight and optionalAfterMs into the rule; team rules weigh 0', () => {
    const rules = Object.fromEntries(queue.matchRules.map((rule) => [rule.name, rule]));
    expect(rules.SkillGap).toMatchObject({ weight: 2, sourceType: 'DifferenceRule' });
    expect(rules.SkillGap?.optionalAfterMs).toBeUndefined();
    expect(rules.SameBuild).toMatchObject({ weight: 1, optionalAfterMs: 30_000 });
    const arena = compile(fixture('team-arena.json'));
    expect(arena.matchRules.find((rule) => rule.name === 'FairTeams')?.weight).toBe(0);
  });

  it('reads a nested path from the DataObject and matches anyone without it (MatchAny)', () => {
    expect(single(queue, solos(queue, 0, { client: { build: 'a' } }, {})).passed).toBe(true);
  });
});

describe('StringEqualityRule', () => {
  const rule = (extra: Record<string, unknown>) =>
    compile(
      duel({
        StringEqualityRules: [
          {
            Name: 'Mode',
            Attribute: attribute('mode'),
            AttributeNotSpecifiedBehavior: 'UseDefault',
            DefaultAttributeValue: 'ranked',
            Weight: 1,
            ...extra,
          },
        ],
      }),
    );

  it('requires equal strings; UseDefault stands in for a missing one', () => {
    const queue = rule({});
    expect(single(queue, solos(queue, 0, { mode: 'ranked' }, { mode: 'ranked' })).passed).toBe(true);
    expect(single(queue, solos(queue, 0, { mode: 'ranked' }, { mode: 'casual' })).failed).toEqual(['Mode']);
    expect(single(queue, solos(queue, 0, {}, { mode: 'ranked' })).passed).toBe(true);
    expect(single(queue, solos(queue, 0, {}, { mode: 'casual' })).passed).toBe(false);
  });

  it('MatchAny lets a player without the attribute match anyone', () => {
    const queue = rule({ AttributeNotSpecifiedBehavior: 'MatchAny', DefaultAttributeValue: undefined });
    expect(single(queue, solos(queue, 0, {}, { mode: 'casual' })).passed).toBe(true);
  });

  it('switches on and off with EnabledOverrides', () => {
    const queue = rule({
      Expansion: { EnabledOverrides: [true, false, true], SecondsBetweenExpansions: 10 },
    });
    const differ = (ageMs: number) => single(queue, solos(queue, ageMs, { mode: 'a' }, { mode: 'b' })).passed;
    expect(differ(9_999)).toBe(false);
    expect(differ(10_000)).toBe(true);
    expect(differ(20_000)).toBe(false);
  });
});

describe('MatchTotalRule', () => {
  const queue = compile(
    duel(
      {
        MatchTotalRules: [
          {
            Name: 'OneHealer',
            Attribute: attribute('healer'),
            Min: 1,
            Max: 1,
            Expansion: { MaxOverrides: [{ Value: 1 }, { Value: 2 }, null], SecondsBetweenExpansions: 10 },
            Weight: 1,
          },
        ],
      },
      { MinMatchSize: 2, MaxMatchSize: 4 },
    ),
  );

  it('sums the attribute over the match (a missing value adds 0) within Min and Max', () => {
    expect(single(queue, solos(queue, 0, { healer: 1 }, {}, { healer: 0 })).passed).toBe(true);
    expect(single(queue, solos(queue, 0, {}, {})).failed).toEqual(['OneHealer']);
    expect(single(queue, solos(queue, 0, { healer: 1 }, { healer: 1 })).passed).toBe(false);
  });

  it('takes Max from MaxOverrides per interval, null switching the rule off', () => {
    const twoHealers = (ageMs: number) =>
      single(queue, solos(queue, ageMs, { healer: 1 }, { healer: 1 })).passed;
    expect(twoHealers(9_999)).toBe(false);
    expect(twoHealers(10_000)).toBe(true);
    expect(single(queue, solos(queue, 20_000, {}, {})).passed).toBe(true);
  });
});

describe('SetIntersectionRule', () => {
  const queue = compile(
    duel(
      {
        SetIntersectionRules: [
          {
            Name: 'Maps',
            Attribute: attribute('maps'),
            AttributeNotSpecifiedBehavior: 'UseDefault',
            DefaultAttributeValue: ['dust', 'summit'],
            MinIntersectionSize: 2,
            LinearExpansion: { Delta: 1, SecondsBetweenExpansions: 15 },
            Weight: 1,
          },
        ],
      },
      { MinMatchSize: 2, MaxMatchSize: 3 },
    ),
  );

  it('needs MinIntersectionSize values common to every player; the default stands in', () => {
    expect(
      single(queue, solos(queue, 0, { maps: ['dust', 'summit', 'lake'] }, { maps: ['summit', 'dust'] }))
        .passed,
    ).toBe(true);
    expect(
      single(queue, solos(queue, 0, { maps: ['dust', 'lake'] }, { maps: ['dust', 'summit'] })).passed,
    ).toBe(false);
    expect(single(queue, solos(queue, 0, {}, { maps: ['dust', 'summit'] })).passed).toBe(true);
  });

  it('lowers the minimum by Delta per interval (an expansion relaxes), never below 0', () => {
    const oneShared = (ageMs: number) =>
      single(queue, solos(queue, ageMs, { maps: ['dust', 'lake'] }, { maps: ['dust', 'summit'] })).passed;
    expect(oneShared(14_999)).toBe(false);
    expect(oneShared(15_000)).toBe(true);
    const noneShared = (ageMs: number) =>
      single(queue, solos(queue, ageMs, { maps: ['lake'] }, { maps: ['dust'] })).passed;
    expect(noneShared(29_999)).toBe(false);
    expect(noneShared(30_000)).toBe(true);
    expect(noneShared(3_000_000)).toBe(true);
  });

  it('filters out a party whose own members already share too little', () => {
    const party = ticket(queue, 'p', 0, [
      member('a', { maps: ['dust', 'summit'] }),
      member('b', { maps: ['dust'] }),
    ]);
    expect(ticketFilterFailures(queue, party.players, 0)).toEqual([
      "Maps: the ticket's players share 1 value(s) of maps ([dust]); at least 2 are needed",
    ]);
    expect(ticketFilterFailures(queue, party.players, 15_000)).toEqual([]);
  });
});

describe('RegionSelectionRule', () => {
  const arena = compile(fixture('team-arena.json'));
  const latencies = (entries: Record<string, number>) =>
    Object.entries(entries).map(([region, latency]) => ({ region, latency }));
  /** Two-player teams, every player with the same skill; latencies per player. */
  const teamsWith = (ageMs: number, ...perPlayer: Record<string, number>[]) => {
    const tickets = perPlayer.map((entries, index) =>
      ticket(arena, `t${index}`, ageMs, [
        member(`p${index}`, { skill: 1000, Latencies: latencies(entries) }),
      ]),
    );
    return { red: tickets.slice(0, 2), blue: tickets.slice(2, 4) };
  };

  it('maps the latency list at Path into Player.latencyInMs', () => {
    const player = toEnginePlayer(member('a', { Latencies: latencies({ EastUS: 40, WestUS: 90 }) }), arena);
    expect(player.latencyInMs).toEqual({ EastUS: 40, WestUS: 90 });
    expect(arena.playfab.latencyAttributeKey).toBe('Latencies');
  });

  it('needs a region within MaxLatency of every player', () => {
    const near = { EastUS: 40, WestUS: 150 };
    expect(verdict(arena, teamsWith(0, near, near, near, { EastUS: 100, WestUS: 10 })).passed).toBe(true);
    expect(verdict(arena, teamsWith(0, near, near, near, { EastUS: 101, WestUS: 10 })).failed).toEqual([
      'Ping',
    ]);
  });

  it('expands MaxLatency linearly up to Limit', () => {
    const far = { EastUS: 150 };
    expect(verdict(arena, teamsWith(19_999, far, far, far, far)).passed).toBe(false);
    expect(verdict(arena, teamsWith(20_000, far, far, far, far)).passed).toBe(true);
    expect(verdict(arena, teamsWith(3_000_000, { EastUS: 201 }, far, far, far)).passed).toBe(false);
    expect(arena.playfab.maxLatencyAt?.(40_000)).toBe(200);
  });

  it('rejects a player without latencies, and filters such a ticket early', () => {
    const none = toEnginePlayer(member('x', { skill: 1 }), arena);
    expect(ticketFilterFailures(arena, [none], 0)).toEqual([
      'Ping: player x reports no latencies in Latencies',
    ]);
  });

  it("puts a backfill ticket in its server's Region: joiners need an acceptable latency to it", () => {
    const backfill = ticket(
      arena,
      'bf',
      60_000,
      [member('s1', { skill: 1000 }, 'red'), member('s2', { skill: 1000 }, 'blue')],
      'WestUS',
    );
    expect(backfill.players[0]?.latencyInMs).toEqual({ WestUS: 0 });
    const joiner = (id: string, westUs: number) =>
      ticket(arena, id, 0, [
        member(id, { skill: 1000, Latencies: latencies({ EastUS: 5, WestUS: westUs }) }),
      ]);
    // The backfill ticket is the oldest: at 60 s MaxLatency has expanded to 200.
    const candidate = (westUs: number) => ({
      red: [{ ...backfill, players: [backfill.players[0]!] }, joiner('j1', westUs)],
      blue: [{ ...backfill, players: [backfill.players[1]!] }, joiner('j2', 20)],
    });
    expect(verdict(arena, candidate(200)).passed).toBe(true);
    expect(verdict(arena, candidate(201)).failed).toEqual(['Ping']);
  });

  it('ranks the regions every player can use for RegionPreferences', () => {
    const players = [
      toEnginePlayer(member('a', { Latencies: latencies({ A: 50, B: 20, C: 300 }) }), arena),
      toEnginePlayer(member('b', { Latencies: latencies({ A: 30, B: 60, C: 10 }) }), arena),
    ];
    expect(regionPreferences(players, 100)).toEqual(['A', 'B']);
  });
});

describe('team rules', () => {
  const arena = compile(fixture('team-arena.json'));
  const here = { Latencies: [{ region: 'EastUS', latency: 10 }] };
  const solo = (id: string, skill?: number) =>
    ticket(arena, id, 0, [member(id, skill === undefined ? here : { ...here, skill })]);
  const party = (id: string, size: number, skill = 1000) =>
    ticket(
      arena,
      id,
      0,
      Array.from({ length: size }, (_, index) => member(`${id}-${index}`, { ...here, skill })),
    );

  it('turns Teams into team slots with their sizes', () => {
    expect(arena.teamSlots.map((slot) => [slot.name, slot.minPlayers.base, slot.maxPlayers.base])).toEqual([
      ['red', 2, 4],
      ['blue', 2, 4],
    ]);
    expect(arena.matchRules.map((rule) => rule.name)).toEqual([
      TICKET_COUNT_RULE,
      'Ping',
      'FairTeams',
      'EvenTeams',
      'PartiesMeetParties',
    ]);
  });

  it('TeamDifferenceRule compares team averages, the default standing in for missing values', () => {
    expect(
      verdict(arena, { red: [solo('a', 1000), solo('b', 1100)], blue: [solo('c', 1050), solo('d', 1000)] })
        .passed,
    ).toBe(true);
    expect(
      verdict(arena, { red: [solo('a', 1000), solo('b', 1000)], blue: [solo('c', 1100), solo('d', 1001)] })
        .failed,
    ).toEqual(['FairTeams']);
    // Missing skill counts as 1000: averages 1000 and 1050.
    expect(
      verdict(arena, { red: [solo('a'), solo('b')], blue: [solo('c', 1100), solo('d', 1000)] }).passed,
    ).toBe(true);
  });

  it('TeamSizeBalanceRule bounds the difference in team sizes', () => {
    expect(
      verdict(arena, { red: [solo('a'), solo('b'), solo('e')], blue: [solo('c'), solo('d')] }).failed,
    ).toEqual(['EvenTeams']);
  });

  it('TeamTicketSizeSimilarityRule: large parties only against large parties', () => {
    // A party of 2 fills half of MaxTeamSize 4: large.
    expect(verdict(arena, { red: [party('p', 2)], blue: [solo('c'), solo('d')] }).failed).toEqual([
      'PartiesMeetParties',
    ]);
    expect(verdict(arena, { red: [party('p', 2)], blue: [party('q', 2)] }).passed).toBe(true);
  });

  it('TeamTicketSizeSimilarityRule is flagged and stands aside for backfill tickets', () => {
    const rule = arena.matchRules.find((each) => each.name === 'PartiesMeetParties');
    expect(rule?.ignoredForBackfill).toBe(true);
    expect(arena.playfab.backfillIgnoredRules).toEqual(['PartiesMeetParties']);
    const backfill = ticket(
      arena,
      'bf',
      0,
      [member('s1', { skill: 1000 }, 'red'), member('s2', { skill: 1000 }, 'red')],
      'EastUS',
    );
    expect(verdict(arena, { red: [backfill], blue: [solo('c', 1000), solo('d', 1000)] }).passed).toBe(true);
  });

  it('a match needs two tickets even when one fills it', () => {
    expect(
      verdict(arena, {
        red: [{ ...party('p', 4), players: party('p', 4).players.slice(0, 2) }],
        blue: [{ ...party('p', 4), players: party('p', 4).players.slice(2) }],
      }).failed,
    ).toEqual(expect.arrayContaining([TICKET_COUNT_RULE]));
  });
});

describe('match size', () => {
  it('without teams: one slot of [MinMatchSize, MaxMatchSize]', () => {
    const queue = compile(duel({}, { MinMatchSize: 2, MaxMatchSize: 3 }));
    expect(queue.teamSlots).toHaveLength(1);
    expect(single(queue, solos(queue, 0, {}, {}, {}, {})).problems).toEqual([
      `team "${SINGLE_SLOT_NAME}" has 4 player(s), needs 2 to 3`,
    ]);
  });

  it('with teams: a match-size rule when the teams allow more than MaxMatchSize', () => {
    const queue = compile(
      duel(
        {
          Teams: [
            { Name: 'a', MinTeamSize: 1, MaxTeamSize: 3 },
            { Name: 'b', MinTeamSize: 1, MaxTeamSize: 3 },
          ],
        },
        { MinMatchSize: 2, MaxMatchSize: 4 },
      ),
    );
    expect(queue.matchRules.map((rule) => rule.name)).toContain(MATCH_SIZE_RULE);
    const five = solos(queue, 0, {}, {}, {}, {}, {});
    expect(verdict(queue, { a: five.slice(0, 3), b: five.slice(3) }).failed).toEqual([MATCH_SIZE_RULE]);
    expect(queue.totalMaxPlayers).toBe(4);
  });
});

describe('schedules', () => {
  it('Linear: base + k·Delta after k whole intervals, capped; Custom: last value persists', () => {
    const linear = { base: 10, intervalMs: 1000, linear: { delta: 5, limit: 22, direction: 1 as const } };
    expect([0, 999, 1000, 2000, 3000, 99_000].map((age) => scheduleAt(linear, age))).toEqual([
      10, 10, 15, 20, 22, 22,
    ]);
    expect(scheduleSteps(linear)).toEqual([
      { atAgeMs: 1000, value: 15 },
      { atAgeMs: 2000, value: 20 },
      { atAgeMs: 3000, value: 22 },
    ]);
    const custom = { base: 1, intervalMs: 1000, overrides: [3, null, 7] };
    expect([0, 1000, 1999, 2000, 50_000].map((age) => scheduleAt(custom, age))).toEqual([
      3,
      null,
      null,
      7,
      7,
    ]);
  });
});

describe('invalid queue configurations', () => {
  const problemsOf = (raw: unknown) => {
    const parsed = parseQueueConfig(raw);
    return parsed.ok ? [] : parsed.problems;
  };
  const difference = (extra: Record<string, unknown> = {}) => ({
    Name: 'Gap',
    Attribute: attribute('skill'),
    AttributeNotSpecifiedBehavior: 'MatchAny',
    Difference: 10,
    MergeFunction: 'Average',
    Weight: 1,
    ...extra,
  });
  const teams = (...sizes: [number, number][]) =>
    sizes.map(([min, max], index) => ({ Name: `t${index}`, MinTeamSize: min, MaxTeamSize: max }));

  it.each<[string, unknown, string, RegExp]>([
    ['bad queue name', duel({ Name: '-bad' }), 'MatchmakingQueue.Name', /letters, digits/],
    [
      'MinMatchSize below 2',
      duel({}, { MinMatchSize: 1, MaxMatchSize: 2 }),
      'MatchmakingQueue.MinMatchSize',
      /at least 2/,
    ],
    [
      'MaxMatchSize above 100',
      duel({}, { MinMatchSize: 2, MaxMatchSize: 101 }),
      'MatchmakingQueue.MaxMatchSize',
      /at most 100/,
    ],
    [
      'Min above Max',
      duel({}, { MinMatchSize: 5, MaxMatchSize: 4 }),
      'MatchmakingQueue.MinMatchSize',
      /MaxMatchSize \(4\)/,
    ],
    [
      'more than 32 with teams',
      duel({ Teams: teams([1, 20], [1, 20]) }, { MinMatchSize: 2, MaxMatchSize: 40 }),
      'MatchmakingQueue.MaxMatchSize',
      /at most 32/,
    ],
    [
      'a single team',
      duel({ Teams: teams([1, 2]) }, { MinMatchSize: 2, MaxMatchSize: 2 }),
      'MatchmakingQueue.Teams',
      /at least 2 teams/,
    ],
    [
      'duplicate team names ignoring case',
      duel({
        Teams: [
          { Name: 'Red', MinTeamSize: 1, MaxTeamSize: 1 },
          { Name: 'red', MinTeamSize: 1, MaxTeamSize: 1 },
        ],
      }),
      'MatchmakingQueue.Teams[1].Name',
      /duplicates Teams\[0\]/,
    ],
    [
      'MinTeamSize above MaxTeamSize',
      duel({ Teams: teams([3, 2], [1, 1]) }, { MinMatchSize: 2, MaxMatchSize: 4 }),
      'MatchmakingQueue.Teams[0].MinTeamSize',
      /MaxTeamSize \(2\)/,
    ],
    [
      'teams need more than MaxMatchSize',
      duel({ Teams: teams([2, 2], [2, 2]) }, { MinMatchSize: 2, MaxMatchSize: 3 }),
      'MatchmakingQueue.Teams',
      /at least 4 players/,
    ],
    [
      'teams hold fewer than MinMatchSize',
      duel({ Teams: teams([1, 1], [1, 1]) }, { MinMatchSize: 3, MaxMatchSize: 4 }),
      'MatchmakingQueue.Teams',
      /at most 2 players/,
    ],
    [
      'MaxTicketSize above the largest team',
      duel({ Teams: teams([1, 2], [1, 2]), MaxTicketSize: 3 }, { MinMatchSize: 2, MaxMatchSize: 4 }),
      'MatchmakingQueue.MaxTicketSize',
      /one team/,
    ],
    [
      'more than 20 rules',
      duel({ DifferenceRules: Array.from({ length: 21 }, (_, index) => difference({ Name: `r${index}` })) }),
      'MatchmakingQueue',
      /21 rules/,
    ],
    [
      'duplicate rule names across kinds',
      duel({
        DifferenceRules: [difference()],
        StringEqualityRules: [
          { Name: 'Gap', Attribute: attribute('mode'), AttributeNotSpecifiedBehavior: 'MatchAny', Weight: 1 },
        ],
      }),
      'MatchmakingQueue.StringEqualityRules[0].Name',
      /already the name of MatchmakingQueue.DifferenceRules\[0\]/,
    ],
    [
      'bad rule name',
      duel({ DifferenceRules: [difference({ Name: 'has space' })] }),
      'MatchmakingQueue.DifferenceRules[0].Name',
      /255 characters/,
    ],
    [
      'Weight 0',
      duel({ DifferenceRules: [difference({ Weight: 0 })] }),
      'MatchmakingQueue.DifferenceRules[0].Weight',
      /greater than 0/,
    ],
    [
      'Weight above 1000',
      duel({ DifferenceRules: [difference({ Weight: 1001 })] }),
      'MatchmakingQueue.DifferenceRules[0].Weight',
      /at most 1000/,
    ],
    [
      'team rule without teams',
      duel({ TeamSizeBalanceRule: { Name: 'Even', Difference: 1 } }),
      'MatchmakingQueue.TeamSizeBalanceRule',
      /needs Teams/,
    ],
    [
      'both expansions',
      duel({
        DifferenceRules: [
          difference({
            LinearExpansion: { Delta: 1, SecondsBetweenExpansions: 5 },
            CustomExpansion: { DifferenceOverrides: [{ Value: 1 }], SecondsBetweenExpansions: 5 },
          }),
        ],
      }),
      'MatchmakingQueue.DifferenceRules[0]',
      /not both/,
    ],
    [
      'Limit below the start',
      duel({
        DifferenceRules: [
          difference({ LinearExpansion: { Delta: 1, Limit: 5, SecondsBetweenExpansions: 5 } }),
        ],
      }),
      'MatchmakingQueue.DifferenceRules[0].LinearExpansion.Limit',
      /at least Difference \(10\)/,
    ],
    [
      'negative Delta',
      duel({
        DifferenceRules: [difference({ LinearExpansion: { Delta: -1, SecondsBetweenExpansions: 5 } })],
      }),
      'MatchmakingQueue.DifferenceRules[0].LinearExpansion.Delta',
      /relaxes/,
    ],
    [
      'zero interval',
      duel({ DifferenceRules: [difference({ LinearExpansion: { Delta: 1, SecondsBetweenExpansions: 0 } })] }),
      'MatchmakingQueue.DifferenceRules[0].LinearExpansion.SecondsBetweenExpansions',
      /at least 1/,
    ],
    [
      'empty override list',
      duel({
        DifferenceRules: [
          difference({ CustomExpansion: { DifferenceOverrides: [], SecondsBetweenExpansions: 5 } }),
        ],
      }),
      'MatchmakingQueue.DifferenceRules[0].CustomExpansion.DifferenceOverrides',
      /at least one interval/,
    ],
    [
      'negative override',
      duel({
        DifferenceRules: [
          difference({
            CustomExpansion: { DifferenceOverrides: [null, { Value: -2 }], SecondsBetweenExpansions: 5 },
          }),
        ],
      }),
      'MatchmakingQueue.DifferenceRules[0].CustomExpansion.DifferenceOverrides[1].Value',
      /0 or more/,
    ],
    [
      'UseDefault without a default',
      duel({ DifferenceRules: [difference({ AttributeNotSpecifiedBehavior: 'UseDefault' })] }),
      'MatchmakingQueue.DifferenceRules[0].DefaultAttributeValue',
      /UseDefault/,
    ],
    [
      'bad MergeFunction',
      duel({ DifferenceRules: [difference({ MergeFunction: 'Median' })] }),
      'MatchmakingQueue.DifferenceRules[0].MergeFunction',
      /Min, Max, Average/,
    ],
    [
      'Min above Max of a total',
      duel({ MatchTotalRules: [{ Name: 'T', Attribute: attribute('x'), Min: 3, Max: 2, Weight: 1 }] }),
      'MatchmakingQueue.MatchTotalRules[0].Min',
      /Max \(2\)/,
    ],
    [
      'override min above override max',
      duel({
        MatchTotalRules: [
          {
            Name: 'T',
            Attribute: attribute('x'),
            Min: 1,
            Max: 0,
            Weight: 1,
            Expansion: {
              MinOverrides: [{ Value: 1 }, { Value: 3 }],
              MaxOverrides: [{ Value: 2 }],
              SecondsBetweenExpansions: 5,
            },
          },
        ],
      }),
      'MatchmakingQueue.MatchTotalRules[0].Expansion',
      /interval 1/,
    ],
    [
      'repeated set default',
      duel({
        SetIntersectionRules: [
          {
            Name: 'S',
            Attribute: attribute('maps'),
            AttributeNotSpecifiedBehavior: 'UseDefault',
            DefaultAttributeValue: ['a', 'a'],
            MinIntersectionSize: 1,
            Weight: 1,
          },
        ],
      }),
      'MatchmakingQueue.SetIntersectionRules[0].DefaultAttributeValue',
      /repeat/,
    ],
    [
      'one attribute read as two types',
      duel({
        DifferenceRules: [difference()],
        StringEqualityRules: [
          {
            Name: 'S',
            Attribute: attribute('$.skill'),
            AttributeNotSpecifiedBehavior: 'MatchAny',
            Weight: 1,
          },
        ],
      }),
      'MatchmakingQueue.StringEqualityRules[0].Attribute.Path',
      /as a number, this rule as a string/,
    ],
    [
      'unreadable path',
      duel({ DifferenceRules: [difference({ Attribute: attribute('a..b') })] }),
      'MatchmakingQueue.DifferenceRules[0].Attribute.Path',
      /empty segment|can't read/,
    ],
    [
      'PlayerEntity path without object',
      duel({ DifferenceRules: [difference({ Attribute: { Path: '$.skill', Source: 'PlayerEntity' } })] }),
      'MatchmakingQueue.DifferenceRules[0].Attribute.Path',
      /object and a field/,
    ],
    [
      'region Limit below MaxLatency',
      duel({
        RegionSelectionRule: {
          Name: 'R',
          Path: 'Latencies',
          MaxLatency: 100,
          Weight: 1,
          LinearExpansion: { Delta: 10, Limit: 50, SecondsBetweenExpansions: 5 },
        },
      }),
      'MatchmakingQueue.RegionSelectionRule.LinearExpansion.Limit',
      /MaxLatency \(100\)/,
    ],
  ])('%s', (_title, raw, path, message) => {
    const problems = problemsOf(raw);
    expect(problems).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it('compileQueueConfig throws every problem as MatchmakingQueueConfigInvalid details', () => {
    const parsed = parseQueueConfig(duel({}, { MinMatchSize: 2, MaxMatchSize: 2 }));
    if (!parsed.ok) throw new Error('expected a valid base');
    const config = { ...parsed.config, MinMatchSize: 9, TeamSizeBalanceRule: { Name: 'E', Difference: 0 } };
    let thrown: unknown;
    try {
      compileQueueConfig(config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueueConfigInvalidError);
    expect(thrown).toBeInstanceOf(SlotfillError);
    const error = thrown as QueueConfigInvalidError;
    expect(error.problems.map((problem) => problem.path)).toEqual([
      'MatchmakingQueue.MinMatchSize',
      'MatchmakingQueue.TeamSizeBalanceRule',
    ]);
    expect(error.reason).toBe('InvalidRuleDefinition');
    expect(error.details).toMatchObject({
      fieldErrors: { 'MatchmakingQueue.MinMatchSize': ['must not exceed MaxMatchSize (2)'] },
    });
    expect(error.message).toMatch(
      /^Invalid queue configuration, 2 problems: \(1\) MatchmakingQueue.MinMatchSize/,
    );
  });
});

describe('member ↔ engine player', () => {
  const queue = compile(
    duel({
      DifferenceRules: [
        {
          Name: 'Gap',
          Attribute: { Path: '$.stats.skill', Source: 'User' },
          AttributeNotSpecifiedBehavior: 'MatchAny',
          Difference: 5,
          MergeFunction: 'Average',
          Weight: 1,
        },
        {
          Name: 'Level',
          Attribute: { Path: '$.profile.level', Source: 'PlayerEntity' },
          AttributeNotSpecifiedBehavior: 'MatchAny',
          Difference: 5,
          MergeFunction: 'Average',
          Weight: 1,
        },
      ],
    }),
  );

  it('extracts the attributes the rules read, keyed by normalised path', () => {
    const player = toEnginePlayer(member('a', { stats: { skill: 7 }, ignored: true }), queue, {
      entityObjects: { profile: { level: 12 } },
    });
    expect(player.playerId).toBe('a');
    expect(player.attributes['stats.skill']).toEqual({ kind: 'number', value: 7 });
    expect(player.attributes['PlayerEntity:profile.level']).toEqual({ kind: 'number', value: 12 });
    expect(queue.attributes.map((spec) => spec.name)).toEqual(['stats.skill', 'PlayerEntity:profile.level']);
  });

  it('reads EscapedDataObject, and rejects one that is not a JSON object', () => {
    const escaped = { Entity: { Id: 'a' }, Attributes: { EscapedDataObject: '{"stats":{"skill":3}}' } };
    expect(toEnginePlayer(escaped, queue).attributes['stats.skill']).toEqual({ kind: 'number', value: 3 });
    expect(() =>
      toEnginePlayer({ Entity: { Id: 'a' }, Attributes: { EscapedDataObject: '[1' } }, queue),
    ).toThrow(
      expect.objectContaining({
        kind: 'InvalidRequest',
        reason: 'InvalidPlayerAttributes',
      }),
    );
  });

  it('gives back the member as sent: entity, team, attributes only when asked, escaped or not', () => {
    const sent = member('a', { stats: { skill: 7 }, extra: ['x'] }, 'red');
    const player = toEnginePlayer(sent, queue);
    expect(player.team).toBe('red');
    expect(playerToMember(player)).toEqual({
      Entity: { Id: 'a', Type: 'title_player_account', TypeString: 'title_player_account' },
      TeamId: 'red',
    });
    expect(playerToMember(player, { includeAttributes: true }).Attributes).toEqual(sent.Attributes);
    expect(playerToMember(player, { includeAttributes: true, escapeObject: true }).Attributes).toEqual({
      EscapedDataObject: JSON.stringify(sent.Attributes?.DataObject),
    });
    expect(playerToMember(player, { teamId: 'blue' }).TeamId).toBe('blue');
  });
});
