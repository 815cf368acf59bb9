import { runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { PoolTicket } from '../../../lambdas/engine/model';
import { loadProgram } from '../rules/support';
import {
  average,
  bell,
  expectValidMatches,
  NOW,
  program,
  seededRandom,
  skillPlayer,
  teamSkills,
} from './support';

function largeTeams(teamSize: { min: number; max: number }, quantity = 1): object {
  const teams =
    quantity === 1
      ? [
          { name: 'red', minPlayers: teamSize.min, maxPlayers: teamSize.max },
          { name: 'blue', minPlayers: teamSize.min, maxPlayers: teamSize.max },
        ]
      : [{ name: 'army', minPlayers: teamSize.min, maxPlayers: teamSize.max, quantity }];
  return {
    name: 'large',
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1500 }],
    algorithm: { strategy: 'balanced', balancedAttribute: 'skill', batchingPreference: 'largestPopulation' },
    teams,
    rules: [{ name: 'Ping', type: 'latency', maxLatency: 150 }],
  };
}

/** Solos and a few parties with bell-shaped skills, all close to us-east-1. */
function crowd(count: number, seed: number): PoolTicket[] {
  const random = seededRandom(seed);
  const pool: PoolTicket[] = [];
  let players = 0;
  for (let index = 0; players < count; index++) {
    const size = random() < 0.15 ? 2 + Math.floor(random() * 3) : 1;
    const ticketId = `t${index}`;
    pool.push({
      ticketId,
      kind: 'matchmaking',
      startTime: NOW - Math.floor(random() * 20_000),
      players: Array.from({ length: size }, (_, member) =>
        skillPlayer(`${ticketId}-${member}`, Math.round(bell(random, 1500, 800)), {
          'us-east-1': 20 + Math.floor(random() * 80),
        }),
      ),
    });
    players += size;
  }
  return pool;
}

function spreadOfTeamAverages(match: { teams: Array<{ name: string }> }, pool: PoolTicket[]): number {
  const averages = match.teams.map((team) => average(teamSkills(match as never, pool, team.name)));
  return Math.max(...averages) - Math.min(...averages);
}

describe('balanced strategy and large matches', () => {
  it('fills a 25v25 large match with team skill averages close together', () => {
    const queue = program(largeTeams({ min: 20, max: 25 }));
    expect(queue.algorithm.largeMatch).toBe(true);
    const pool = crowd(60, 7);
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    expect(match.teams.map((team) => team.players.length)).toEqual([25, 25]);
    // Skills spread over about ±400; a snake draft keeps the team averages within a few dozen.
    expect(spreadOfTeamAverages(match, pool)).toBeLessThan(40);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('builds a 200-player match (100 per team) in one pass, balanced', () => {
    const queue = program(largeTeams({ min: 50, max: 100 }));
    const pool = crowd(230, 11);
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    expect(match.teams.map((team) => team.players.length)).toEqual([100, 100]);
    expect(spreadOfTeamAverages(match, pool)).toBeLessThan(25);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('balances quantity teams of the large-battle fixture and honours its latency and mode rules', () => {
    const queue = loadProgram('large-battle.json');
    const pool = crowd(70, 3);
    // Two players on another mode and one far away must stay out (batchDistance and latency).
    pool.push({
      ticketId: 'other-mode',
      kind: 'matchmaking',
      startTime: NOW - 30_000,
      players: [
        {
          playerId: 'other-mode-p',
          latencyInMs: { 'us-east-1': 30 },
          attributes: { skill: { kind: 'number', value: 1500 }, mode: { kind: 'string', value: 'rush' } },
        },
      ],
    });
    pool.push({
      ticketId: 'far',
      kind: 'matchmaking',
      startTime: NOW - 30_000,
      players: [skillPlayer('far-p', 1500, { 'us-east-1': 300 })],
    });
    const result = runMatchmakingPass(queue, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    expect(match.ticketIds).not.toContain('far');
    expect(match.ticketIds).not.toContain('other-mode');
    expect(match.teams.map((team) => team.name)).toEqual(['army_1', 'army_2']);
    for (const team of match.teams) expect(team.players.length).toBeGreaterThanOrEqual(20);
    expect(spreadOfTeamAverages(match, pool)).toBeLessThan(40);
    expectValidMatches(queue, pool, result.matches, NOW);
  });

  it('balances much better than arrival order would', () => {
    const queue = program(largeTeams({ min: 20, max: 20 }, 2));
    const pool = crowd(40, 5);
    const result = runMatchmakingPass(queue, pool, NOW);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    const byArrival = pool.flatMap((ticket) => ticket.players.map((player) => player.attributes.skill));
    const values = byArrival.map((value) => (value?.kind === 'number' ? value.value : 0));
    const naive = Math.abs(average(values.slice(0, 20)) - average(values.slice(20, 40)));
    expect(spreadOfTeamAverages(match, pool)).toBeLessThan(Math.max(10, naive / 3));
    expectValidMatches(queue, pool, result.matches, NOW);
  });
});
