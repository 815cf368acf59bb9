import { estimateWaitSeconds, runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { PoolTicket } from '../../../lambdas/engine/model';
import { loadProgram } from '../rules/support';
import {
  average,
  closeSkills,
  expectValidMatches,
  matchedTicketIds,
  NOW,
  party,
  program,
  skillPlayer,
  skillTeams,
  solo,
  teamSkills,
} from './support';

describe('forming new matches', () => {
  const twoVsTwo = program(skillTeams(2, 50));

  it('forms a 2v2 from four compatible solo tickets', () => {
    const pool = [solo('a', 1000), solo('b', 1010), solo('c', 990), solo('d', 1005)];
    const result = runMatchmakingPass(twoVsTwo, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const [match] = result.matches;
    expect(match?.ticketIds.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(match?.backfillTicketId).toBeUndefined();
    expect(match?.teams.map((team) => [team.name, team.players.length])).toEqual([
      ['red', 2],
      ['blue', 2],
    ]);
    expect(match?.evaluation.rules).toEqual([{ ruleName: 'FairTeams', passed: true }]);
    expect(result.stats.candidatesEvaluated).toBeGreaterThanOrEqual(1);
    expectValidMatches(twoVsTwo, pool, result.matches, NOW);
  });

  it('forms nothing from three tickets when each team needs two', () => {
    const result = runMatchmakingPass(twoVsTwo, [solo('a', 1000), solo('b', 1000), solo('c', 1000)], NOW);
    expect(result.matches).toEqual([]);
  });

  it('keeps a party on one team and splits skill so team averages stay close', () => {
    const pool = [party('duo', [1200, 1200]), solo('a', 1200), solo('b', 1200)];
    const result = runMatchmakingPass(twoVsTwo, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    const duoTeams = match.teams.filter((team) => team.players.some((member) => member.ticketId === 'duo'));
    expect(duoTeams).toHaveLength(1);
    expect(duoTeams[0]?.players.map((member) => member.ticketId)).toEqual(['duo', 'duo']);
    expectValidMatches(twoVsTwo, pool, result.matches, NOW);
  });

  it('never places a party that fits no team', () => {
    const pool = [
      party('trio', [1000, 1000, 1000]),
      solo('a', 1000),
      solo('b', 1000),
      solo('c', 1000),
      solo('d', 1000),
    ];
    const result = runMatchmakingPass(twoVsTwo, pool, NOW);
    expect(matchedTicketIds(result.matches)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.stats.ticketsFilteredOut).toBe(1);
  });

  it('uses no ticket and no player twice, even when the pool repeats them', () => {
    const shared = skillPlayer('shared', 1000);
    const pool: PoolTicket[] = [
      solo('a', 1000),
      solo('a', 1000),
      { ticketId: 'x', kind: 'matchmaking', startTime: NOW - 5, players: [shared] },
      { ticketId: 'y', kind: 'matchmaking', startTime: NOW - 4, players: [shared] },
      ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => solo(id, 1000)),
    ];
    const result = runMatchmakingPass(twoVsTwo, pool, NOW);
    expect(result.matches).toHaveLength(2);
    const ids = matchedTicketIds(result.matches);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('x');
    expect(ids).not.toContain('y');
    expectValidMatches(twoVsTwo, pool, result.matches, NOW);
  });

  it('forms as many disjoint matches as the pool allows', () => {
    const pool = Array.from({ length: 12 }, (_, index) => solo(`t${index}`, 1000 + index));
    const result = runMatchmakingPass(twoVsTwo, pool, NOW);
    expect(result.matches).toHaveLength(3);
    expect(result.stats.ticketsMatched).toBe(12);
    expectValidMatches(twoVsTwo, pool, result.matches, NOW);
  });

  it('honours maxMatches', () => {
    const pool = Array.from({ length: 12 }, (_, index) => solo(`t${index}`, 1000));
    expect(runMatchmakingPass(twoVsTwo, pool, NOW, { maxMatches: 1 }).matches).toHaveLength(1);
  });
});

describe('rules and expansions', () => {
  // Everyone within 50 skill; after 10 s within 300.
  const close = program(
    closeSkills(1, 50, [
      { target: 'rules[CloseSkill].maxDistance', steps: [{ waitTimeSeconds: 10, value: 300 }] },
    ]),
  );

  it('forms no match from incompatible skills until the expansion, then forms it at exactly its wait time', () => {
    const pool = [solo('low', 1000, NOW - 9_999), solo('high', 1200, NOW - 9_999)];
    expect(runMatchmakingPass(close, pool, NOW).matches).toEqual([]);
    const later = runMatchmakingPass(close, pool, NOW + 1);
    expect(later.matches).toHaveLength(1);
    expect(later.matches[0]?.evaluation.drivingAgeMs).toBe(10_000);
    expectValidMatches(close, pool, later.matches, NOW + 1);
  });

  it('drives expansions by the newest ticket: a fresh ticket does not enjoy an old ticket’s expansion', () => {
    const pool = [solo('old', 1000, NOW - 60_000), solo('fresh', 1200, NOW - 1_000)];
    expect(runMatchmakingPass(close, pool, NOW).matches).toEqual([]);
  });

  it('drives expansions by the oldest ticket when the rule set says so', () => {
    const oldest = program(
      closeSkills(1, 50, [
        { target: 'rules[CloseSkill].maxDistance', steps: [{ waitTimeSeconds: 10, value: 300 }] },
      ]),
    );
    const configured = program({
      ...(JSON.parse(JSON.stringify(closeSkills(1, 50))) as object),
      algorithm: { expansionAgeSelection: 'oldest' },
      expansions: [{ target: 'rules[CloseSkill].maxDistance', steps: [{ waitTimeSeconds: 10, value: 300 }] }],
    });
    const pool = [solo('old', 1000, NOW - 60_000), solo('fresh', 1200, NOW - 1_000)];
    expect(runMatchmakingPass(oldest, pool, NOW).matches).toEqual([]);
    expect(runMatchmakingPass(configured, pool, NOW).matches).toHaveLength(1);
  });

  it('leaves a fresh ticket out so that older tickets can use the expansion they earned', () => {
    // Teams of 1 to 2; minimum drops to 1 only after 20 s. Two seasoned tickets and one fresh one.
    const queue = program({
      name: 'expanding-min',
      ruleLanguageVersion: '1.0',
      playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
      teams: [
        { name: 'red', minPlayers: 2, maxPlayers: 2 },
        { name: 'blue', minPlayers: 2, maxPlayers: 2 },
      ],
      rules: [],
      expansions: [
        { target: 'teams[red].minPlayers', steps: [{ waitTimeSeconds: 20, value: 1 }] },
        { target: 'teams[blue].minPlayers', steps: [{ waitTimeSeconds: 20, value: 1 }] },
      ],
    });
    const pool = [
      solo('old1', 1000, NOW - 30_000),
      solo('old2', 1000, NOW - 25_000),
      solo('fresh', 1000, NOW),
    ];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.ticketIds.sort()).toEqual(['old1', 'old2']);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('applies player filters before matching: a ticket over every region’s latency limit never matches', () => {
    const queue = loadProgram('latency-regions.json');
    const near = (id: string, latency: number): PoolTicket => ({
      ticketId: id,
      kind: 'matchmaking',
      startTime: NOW,
      players: [skillPlayer(`${id}-p`, 0, { 'eu-west-1': latency })],
    });
    const pool = [near('far', 400), near('a', 50), near('b', 60)];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.stats.ticketsFilteredOut).toBe(1);
    expect(matchedTicketIds(result.matches)).toEqual(['a', 'b']);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('places players on the team a slot-specific rule needs them on', () => {
    const queue = loadProgram('preferences.jsonc');
    const hero = (id: string, isBoss: number, roles: string[]): PoolTicket => ({
      ticketId: id,
      kind: 'matchmaking',
      startTime: NOW,
      players: [
        {
          playerId: `${id}-p`,
          latencyInMs: {},
          attributes: {
            level: { kind: 'number', value: 20 },
            isBoss: { kind: 'number', value: isBoss },
            roles: { kind: 'string_list', value: roles },
          },
        },
      ],
    });
    const pool = [hero('h1', 0, ['tank']), hero('h2', 0, ['healer']), hero('boss', 1, [])];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const bossTeam = result.matches[0]?.teams.find((team) => team.name === 'boss');
    expect(bossTeam?.players.map((member) => member.ticketId)).toEqual(['boss']);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('respects compound rules through the rules module', () => {
    const queue = loadProgram('compound.json');
    const player = (id: string, map: string, skill: number) => ({
      ticketId: id,
      kind: 'matchmaking' as const,
      startTime: NOW,
      players: [
        {
          playerId: `${id}-p`,
          latencyInMs: {},
          attributes: {
            map: { kind: 'string' as const, value: map },
            skill: { kind: 'number' as const, value: skill },
          },
        },
      ],
    });
    // Neither the same map nor close skill: or(SameMap, CloseSkill) fails.
    expect(
      runMatchmakingPass(queue, [player('a', 'harbor', 10), player('b', 'desert', 90)], NOW).matches,
    ).toEqual([]);
    const pool = [player('a', 'harbor', 10), player('b', 'harbor', 90)];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    expectValidMatches(queue, pool, result.matches, NOW);
  });
});

describe('fairness and ordering', () => {
  it('serves the oldest ticket first when players are scarce', () => {
    const queue = program(skillTeams(1, 1000));
    const pool = [
      solo('newest', 1000, NOW - 1_000),
      solo('oldest', 1000, NOW - 9_000),
      solo('middle', 1000, NOW - 5_000),
    ];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(matchedTicketIds(result.matches)).toEqual(['middle', 'oldest']);
    expect(result.matches[0]?.ticketIds[0]).toBe('oldest');
  });

  it('prefers the anchor’s skill neighbours: a far newcomer does not take a close player’s seat', () => {
    const queue = program(closeSkills(1, 1000));
    const pool = [
      solo('anchor', 1000, NOW - 9_000),
      solo('far', 1900, NOW - 8_000),
      solo('near', 1010, NOW - 1_000),
    ];
    const result = runMatchmakingPass(queue, pool, NOW, { windowSize: 1 });
    expect(matchedTicketIds(result.matches)).toEqual(['anchor', 'near']);
  });

  it('orders candidates by distanceSort within the batch', () => {
    const queue = program({
      name: 'sorted',
      ruleLanguageVersion: '1.0',
      playerAttributes: [
        { name: 'skill', type: 'number', default: 1000 },
        { name: 'experience', type: 'number', default: 0 },
      ],
      teams: [{ name: 'all', minPlayers: 2, maxPlayers: 2 }],
      rules: [
        { name: 'CloseXp', type: 'distanceSort', sortDirection: 'ascending', sortAttribute: 'experience' },
      ],
    });
    const withXp = (id: string, experience: number, startTime: number): PoolTicket => ({
      ticketId: id,
      kind: 'matchmaking',
      startTime,
      players: [
        {
          playerId: `${id}-p`,
          latencyInMs: {},
          attributes: {
            skill: { kind: 'number', value: 1000 },
            experience: { kind: 'number', value: experience },
          },
        },
      ],
    });
    // Without the sort rule the older "stranger" would join; with it the closest experience does.
    const pool = [
      withXp('anchor', 50, NOW - 9_000),
      withXp('stranger', 500, NOW - 8_000),
      withXp('peer', 55, NOW),
    ];
    expect(matchedTicketIds(runMatchmakingPass(queue, pool, NOW).matches)).toEqual(['anchor', 'peer']);
  });

  it('keeps batches within a sortByAttributes string group when the group can fill a match', () => {
    const queue = program({
      name: 'maps',
      ruleLanguageVersion: '1.0',
      playerAttributes: [
        { name: 'map', type: 'string', default: 'harbor' },
        { name: 'skill', type: 'number', default: 1000 },
      ],
      algorithm: { batchingPreference: 'sorted', sortByAttributes: ['map', 'skill'] },
      teams: [{ name: 'all', minPlayers: 2, maxPlayers: 2 }],
      rules: [],
    });
    const onMap = (id: string, map: string, startTime: number): PoolTicket => ({
      ticketId: id,
      kind: 'matchmaking',
      startTime,
      players: [
        { playerId: `${id}-p`, latencyInMs: {}, attributes: { map: { kind: 'string', value: map } } },
      ],
    });
    const pool = [
      onMap('h1', 'harbor', NOW - 9_000),
      onMap('d1', 'desert', NOW - 8_000),
      onMap('h2', 'harbor', NOW),
    ];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches.map((match) => match.ticketIds.sort())).toEqual([['h1', 'h2']]);
  });

  it('is deterministic: the same input gives the same output, whatever the pool order', () => {
    const queue = program(skillTeams(3, 40));
    const pool = Array.from({ length: 60 }, (_, index) =>
      solo(`t${index}`, 900 + ((index * 37) % 200), NOW - ((index * 7919) % 30_000)),
    );
    const first = runMatchmakingPass(queue, pool, NOW);
    const again = runMatchmakingPass(queue, pool, NOW);
    const reversed = runMatchmakingPass(queue, [...pool].reverse(), NOW);
    expect(again).toEqual(first);
    expect(reversed.matches).toEqual(first.matches);
    expect(first.matches.length).toBeGreaterThan(5);
  });

  it('balances a 3v3 by skill (snake draft), not by arrival order', () => {
    const queue = program(skillTeams(3, 30));
    const pool = [1600, 1500, 1400, 1300, 1200, 1100].map((skill, index) =>
      solo(`t${index}`, skill, NOW - index),
    );
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    expect(
      Math.abs(average(teamSkills(match, pool, 'red')) - average(teamSkills(match, pool, 'blue'))),
    ).toBeLessThan(60);
  });
});

describe('estimateWaitSeconds', () => {
  const queue = loadProgram('skill-5v5.jsonc');

  it('is one pass when enough players wait', () => {
    expect(estimateWaitSeconds(queue, { waitingPlayers: 9, arrivalsPerSecond: 0 })).toBe(1);
  });

  it('counts arrivals until the minimum, or the expansion that lowers it, whichever is first', () => {
    // Minimum 6 until 20 s, then 2. Alone with one arrival a second: five more in 5 s.
    expect(estimateWaitSeconds(queue, { waitingPlayers: 0, arrivalsPerSecond: 1 })).toBe(6);
    // One arrival every 10 s: the expansion at 20 s comes before the sixth player (50 s).
    expect(estimateWaitSeconds(queue, { waitingPlayers: 0, arrivalsPerSecond: 0.1 })).toBe(21);
    // Nobody arrives: the expansion at 20 s lets two players meet.
    expect(estimateWaitSeconds(queue, { waitingPlayers: 1, arrivalsPerSecond: 0 })).toBe(21);
    expect(estimateWaitSeconds(queue, { waitingPlayers: 0, arrivalsPerSecond: 0 })).toBeUndefined();
  });
});
