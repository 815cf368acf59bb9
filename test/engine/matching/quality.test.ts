import fc from 'fast-check';
import { runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { PoolTicket } from '../../../lambdas/engine/model';
import { exhaustiveOptimum } from '../../support/optimum';
import { spreadRuleSet } from '../../support/quality';
import { closeSkills, expectValidMatches, NOW, program, skillPlayer, solo } from './support';

const oneVsOne = (maxSpread: number) =>
  program(spreadRuleSet({ name: `1v1-${maxSpread}`, teamSize: 1, maxSpread }));

function matchedPlayers(pool: readonly PoolTicket[], queue = oneVsOne(10)): number {
  const result = runMatchmakingPass(queue, pool, NOW);
  expectValidMatches(queue, pool, result.matches, NOW);
  return result.matches.reduce(
    (total, match) => total + match.teams.reduce((sum, team) => sum + team.players.length, 0),
    0,
  );
}

describe('match quality', () => {
  it('does not strand a pair: the two oldest are compatible, another pairing matches all four', () => {
    // a-b are the two oldest and within 10; pairing a-c and b-d is the only way to match all.
    const pool = [
      solo('a', 100, NOW - 9_000),
      solo('b', 108, NOW - 8_000),
      solo('c', 92, NOW - 2_000),
      solo('d', 116, NOW - 1_000),
    ];
    expect(exhaustiveOptimum(oneVsOne(10), pool, NOW).players).toBe(4);
    const result = runMatchmakingPass(oneVsOne(10), pool, NOW);
    expect(result.matches.map((match) => [...match.ticketIds].sort())).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });

  it('reaches the exhaustive optimum on tiny 1v1 pools with a distance rule', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ skill: fc.integer({ min: 0, max: 200 }), ageMs: fc.integer({ min: 0, max: 25_000 }) }),
          {
            maxLength: 10,
          },
        ),
        fc.integer({ min: 1, max: 40 }),
        (players, maxSpread) => {
          const pool = players.map((player, index) => solo(`t${index}`, player.skill, NOW - player.ageMs));
          const queue = oneVsOne(maxSpread);
          expect(matchedPlayers(pool, queue)).toBe(exhaustiveOptimum(queue, pool, NOW).players);
        },
      ),
      { seed: 10, numRuns: 300 },
    );
  });

  it('matches every valid pair whatever attribute is declared first', () => {
    // 100 pairs of players within 5 of each other, pairs 100 apart; `level` is declared first.
    const pool: PoolTicket[] = [];
    for (let pair = 0; pair < 100; pair++) {
      for (const offset of [0, 5]) {
        const ticket = solo(
          `p${pair}-${offset}`,
          pair * 100 + offset,
          NOW - ((pair * 37 + offset) % 20) * 1_000,
        );
        (ticket.players[0] as PoolTicket['players'][number]).attributes.level = {
          kind: 'number',
          value: (pair * 7919 + offset * 13) % 60,
        };
        pool.push(ticket);
      }
    }
    expect(matchedPlayers(pool, oneVsOne(5))).toBe(200);
  });

  it('gives the same matches for any order of attribute declarations', () => {
    const declarations = [
      { name: 'level', type: 'number', default: 1 },
      { name: 'skill', type: 'number', default: 1500 },
      { name: 'mode', type: 'string', default: 'ranked' },
      { name: 'region', type: 'string_list', default: [] },
    ];
    const ruleSet = (attributes: object[]) => ({
      name: 'twos',
      ruleLanguageVersion: '1.0',
      playerAttributes: attributes,
      teams: [
        { name: 'red', minPlayers: 2, maxPlayers: 2 },
        { name: 'blue', minPlayers: 2, maxPlayers: 2 },
      ],
      rules: [
        {
          name: 'CloseSkill',
          type: 'distance',
          measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
          referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
          maxDistance: 50,
        },
      ],
    });
    const ticketArbitrary = fc.record({
      skill: fc.integer({ min: 1000, max: 2000 }),
      level: fc.integer({ min: 0, max: 100 }),
      ageMs: fc.integer({ min: 0, max: 60_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(ticketArbitrary, { minLength: 4, maxLength: 60 }),
        fc.shuffledSubarray(declarations, { minLength: declarations.length }),
        (tickets, permuted) => {
          const pool: PoolTicket[] = tickets.map((ticket, index) => {
            const player = skillPlayer(`t${index}-p`, ticket.skill);
            player.attributes.level = { kind: 'number', value: ticket.level };
            return {
              ticketId: `t${index}`,
              kind: 'matchmaking',
              startTime: NOW - ticket.ageMs,
              players: [player],
            };
          });
          const declared = runMatchmakingPass(program(ruleSet(declarations)), pool, NOW).matches;
          const reordered = runMatchmakingPass(program(ruleSet(permuted)), pool, NOW).matches;
          expect(reordered).toEqual(declared);
        },
      ),
      { seed: 10, numRuns: 100 },
    );
  });

  it('meets players whose fastest regions differ in a region both can play in', () => {
    const queue = program({
      ...spreadRuleSet({ name: 'regions', teamSize: 1, maxSpread: 100, maxLatency: 80 }),
    });
    const pool: PoolTicket[] = [
      {
        ticketId: 'east',
        kind: 'matchmaking',
        startTime: NOW,
        players: [skillPlayer('east-p', 1500, { 'us-east-1': 20, 'eu-west-1': 70 })],
      },
      {
        ticketId: 'west',
        kind: 'matchmaking',
        startTime: NOW,
        players: [skillPlayer('west-p', 1500, { 'us-east-1': 75, 'eu-west-1': 15 })],
      },
    ];
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches.map((match) => [...match.ticketIds].sort())).toEqual([['east', 'west']]);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  describe('no starvation at the ends of the skill range', () => {
    it('anchors a seasoned player at the top of the range before a fresh one takes his only partner', () => {
      // Within 100, or 300 once every ticket of the match has waited 10 s (the newest drives
      // expansions). top (15 s) and partner (12 s) are seasoned and 250 apart; fresh (1 s) is
      // 50 below partner. A sweep in key order starts at fresh and pairs it with partner.
      const queue = program(
        closeSkills(1, 100, [
          { target: 'rules[CloseSkill].maxDistance', steps: [{ waitTimeSeconds: 10, value: 300 }] },
        ]),
      );
      const pool = [
        solo('fresh', 600, NOW - 1_000),
        solo('partner', 650, NOW - 12_000),
        solo('top', 900, NOW - 15_000),
      ];
      const result = runMatchmakingPass(queue, pool, NOW);
      expectValidMatches(queue, pool, result.matches, NOW);
      expect(result.matches.map((match) => [...match.ticketIds].sort())).toEqual([['partner', 'top']]);
    });

    it('leaves the odd player over in the middle of the range, not at one end', () => {
      // Five fresh players 100 apart, pairs within 150: someone waits. A sweep from the low end
      // pairs 100-200 and 300-400 and leaves 500, the top of the range, over every pass.
      const pool = [100, 200, 300, 400, 500].map((skill) => solo(`s${skill}`, skill));
      const queue = program(closeSkills(1, 150));
      const result = runMatchmakingPass(queue, pool, NOW);
      expectValidMatches(queue, pool, result.matches, NOW);
      expect(result.matches.map((match) => [...match.ticketIds].sort())).toEqual(
        expect.arrayContaining([
          ['s100', 's200'],
          ['s400', 's500'],
        ]),
      );
      expect(result.matches).toHaveLength(2);
    });
  });
});
