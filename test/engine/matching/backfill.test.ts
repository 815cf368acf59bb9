import { runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { PoolTicket } from '../../../lambdas/engine/model';
import {
  backfill,
  expectValidMatches,
  matchedTicketIds,
  NOW,
  party,
  program,
  skillPlayer,
  skillTeams,
  solo,
} from './support';

const fourVsFour = program(skillTeams(4, 50));
const withPriority = (priority: 'high' | 'low' | 'normal') =>
  program(skillTeams(2, 1000, { algorithm: { backfillPriority: priority } }));

describe('backfill', () => {
  it('fills the open red seat of a 4v4 that lost one red player, keeping everyone on their team', () => {
    const game = backfill('game', { red: [1000, 1000, 1000], blue: [1000, 1000, 1000, 1000] }, NOW - 2_000);
    const pool = [game, solo('joiner', 1005, NOW - 1_000)];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const match = result.matches[0];
    if (match === undefined) throw new Error('no match');
    expect(match.backfillTicketId).toBe('game');
    expect(match.ticketIds).toEqual(['game', 'joiner']);
    const red = match.teams.find((team) => team.name === 'red');
    const blue = match.teams.find((team) => team.name === 'blue');
    expect(red?.players).toHaveLength(4);
    expect(red?.players.filter((member) => member.ticketId === 'joiner')).toEqual([
      { playerId: 'joiner-p', ticketId: 'joiner' },
    ]);
    expect(blue?.players.map((member) => member.ticketId)).toEqual(['game', 'game', 'game', 'game']);
    expect(result.stats.backfillsFilled).toBe(1);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('fills with the player the rules accept, not merely the oldest one', () => {
    const game = backfill('game', { red: [1000, 1000, 1000], blue: [1000, 1000, 1000, 1000] });
    const pool = [game, solo('misfit', 2000, NOW - 9_000), solo('fit', 1010, NOW - 1_000)];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches.map((match) => match.ticketIds)).toEqual([['game', 'fit']]);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('lets new players join open seats only: a party of two does not fit a single seat', () => {
    const game = backfill('game', { red: [1000, 1000, 1000], blue: [1000, 1000, 1000, 1000] });
    const result = runMatchmakingPass(fourVsFour, [game, party('duo', [1000, 1000])], NOW);
    expect(result.matches).toEqual([]);
  });

  it('fills several seats on both teams at once', () => {
    const game = backfill('game', { red: [1000, 1000], blue: [1000, 1000, 1000] });
    const pool = [game, party('duo', [1000, 1000]), solo('a', 1000), solo('b', 1000)];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.teams.map((team) => team.players.length)).toEqual([4, 4]);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('needs at least one new ticket: a full game is not matched even though its rules pass', () => {
    const full = backfill('full', { red: [1000, 1000, 1000, 1000], blue: [1000, 1000, 1000, 1000] });
    const result = runMatchmakingPass(fourVsFour, [full], NOW);
    expect(result.matches).toEqual([]);
    expect(result.invalidBackfills).toEqual([]);
  });

  it('never matches two backfill tickets together, even when together they would make a full match', () => {
    const reds = backfill('reds', { red: [1000, 1000, 1000, 1000] }, NOW - 1_000);
    const blues = backfill('blues', { blue: [1000, 1000, 1000, 1000] }, NOW - 1_000);
    expect(runMatchmakingPass(fourVsFour, [reds, blues], NOW).matches).toEqual([]);
    // With new players around, each game gets its own match.
    const pool = [reds, blues, ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => solo(id, 1000))];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches.map((match) => match.backfillTicketId).sort()).toEqual(['blues', 'reds']);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('reports a backfill ticket whose team the rule set does not define, and matches the rest', () => {
    const stray = backfill('stray', { green: [1000], red: [1000] });
    const pool = [stray, ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => solo(id, 1000))];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.invalidBackfills).toEqual([
      { ticketId: 'stray', reason: expect.stringContaining('team "green" is not defined') },
    ]);
    expect(matchedTicketIds(result.matches)).not.toContain('stray');
    expect(result.matches).toHaveLength(1);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('maps teams of a quantity definition by slot name, and rejects the ambiguous definition name', () => {
    const squads = program({
      name: 'squads',
      ruleLanguageVersion: '1.0',
      playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
      teams: [{ name: 'squad', minPlayers: 2, maxPlayers: 2, quantity: 3 }],
      rules: [],
    });
    const game = backfill('game', { squad_1: [1000, 1000], squad_2: [1000], squad_3: [1000, 1000] });
    const vague = backfill('vague', { squad: [1000] });
    const pool = [game, vague, solo('a', 1000)];
    const result = runMatchmakingPass(squads, pool, NOW);
    expect(result.invalidBackfills.map((invalid) => invalid.ticketId)).toEqual(['vague']);
    expect(result.invalidBackfills[0]?.reason).toContain('ambiguous');
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.teams.find((team) => team.name === 'squad_2')?.players).toContainEqual({
      playerId: 'a-p',
      ticketId: 'a',
    });
    expectValidMatches(squads, pool, result.matches, NOW);
  });

  it('reports a team holding more players than its maximum', () => {
    const crowded = backfill('crowded', { red: [1, 2, 3, 4, 5], blue: [1] });
    const result = runMatchmakingPass(fourVsFour, [crowded, solo('a', 1000)], NOW);
    expect(result.invalidBackfills).toEqual([
      { ticketId: 'crowded', reason: 'team "red" has 5 players, more than its maxPlayers 4' },
    ]);
  });

  it('puts a backfill member without a team where the most room is', () => {
    const game = backfill('game', { red: [1000, 1000, 1000], blue: [1000, 1000] });
    game.players.push(skillPlayer('teamless', 1000));
    const pool = [game, solo('a', 1000), solo('b', 1000)];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches).toHaveLength(1);
    const blue = result.matches[0]?.teams.find((team) => team.name === 'blue');
    expect(blue?.players.map((member) => member.playerId)).toContain('teamless');
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });

  it('does not add a player who is already in the game', () => {
    const game = backfill('game', { red: [1000, 1000, 1000], blue: [1000, 1000, 1000, 1000] });
    const again: PoolTicket = {
      ticketId: 'again',
      kind: 'matchmaking',
      startTime: NOW - 9_000,
      players: [skillPlayer('game-red0', 1000)],
    };
    const pool = [game, again, solo('fresh', 1000)];
    const result = runMatchmakingPass(fourVsFour, pool, NOW);
    expect(result.matches.map((match) => match.ticketIds)).toEqual([['game', 'fresh']]);
    expectValidMatches(fourVsFour, pool, result.matches, NOW);
  });
});

describe('large matches fill teams as FlexMatch does', () => {
  // Attackers 20–30 and defenders 20–25: 55 players at most, a large match.
  const siege = program({
    name: 'siege',
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
    algorithm: { strategy: 'balanced', balancedAttribute: 'skill' },
    teams: [
      { name: 'attackers', minPlayers: 20, maxPlayers: 30 },
      { name: 'defenders', minPlayers: 20, maxPlayers: 25 },
    ],
  });
  const game = (attackers: number, defenders: number) =>
    backfill(
      'siege-game',
      { attackers: new Array(attackers).fill(1000), defenders: new Array(defenders).fill(1000) },
      NOW - 5_000,
    );
  const joinersOf = (pool: PoolTicket[]) => {
    const [match] = runMatchmakingPass(siege, pool, NOW).matches;
    return Object.fromEntries(
      (match?.teams ?? []).map((team) => [
        team.name,
        team.players.filter((member) => member.ticketId !== 'siege-game').length,
      ]),
    );
  };

  it('a team below its minimum first, even when another has more open slots', () => {
    // attackers 22 (8 open), defenders 19 (below the minimum of 20, 6 open).
    expect(joinersOf([game(22, 19), solo('joiner', 1000)])).toEqual({ attackers: 0, defenders: 1 });
  });

  it('then the team with the most open slots, not the one with the fewest players', () => {
    // attackers 24 (6 open), defenders 21 (4 open): the fuller team has more room.
    expect(joinersOf([game(24, 21), solo('joiner', 1000)])).toEqual({ attackers: 1, defenders: 0 });
  });

  it('is the backfill FlexMatch serves first in a large match by default', () => {
    const pool = [game(24, 21), solo('a', 1000, NOW - 9_000), solo('b', 1000, NOW - 8_000)];
    const [first] = runMatchmakingPass(siege, pool, NOW).matches;
    expect(first?.backfillTicketId).toBe('siege-game');
  });
});

describe('backfillPriority', () => {
  // A 2v2 game missing one blue player, and four waiting players: enough for the backfill or
  // for a new match, not both.
  const scarcePool = (): PoolTicket[] => [
    backfill('game', { red: [1000, 1000], blue: [1000] }, NOW - 1_000),
    ...['a', 'b', 'c', 'd'].map((id, index) => solo(id, 1000, NOW - 5_000 + index)),
  ];

  it('high: the backfill takes a player before new matches form', () => {
    const pool = scarcePool();
    const result = runMatchmakingPass(withPriority('high'), pool, NOW);
    expect(result.matches.map((match) => match.backfillTicketId)).toEqual(['game']);
    expect(result.matches[0]?.ticketIds).toEqual(['game', 'a']);
    expectValidMatches(withPriority('high'), pool, result.matches, NOW);
  });

  it('low: the new match takes the players first and the backfill waits', () => {
    const pool = scarcePool();
    const result = runMatchmakingPass(withPriority('low'), pool, NOW);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.backfillTicketId).toBeUndefined();
    expect(matchedTicketIds(result.matches)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('low: leftover players still fill the backfill after new matches', () => {
    const pool = [...scarcePool(), solo('e', 1000, NOW)];
    const result = runMatchmakingPass(withPriority('low'), pool, NOW);
    expect(result.matches.map((match) => match.backfillTicketId)).toEqual([undefined, 'game']);
    expect(result.matches[1]?.ticketIds).toEqual(['game', 'e']);
  });

  it('normal: tickets are served by age, backfill or not', () => {
    const olderGame = scarcePool().map((ticket) =>
      ticket.kind === 'backfill' ? { ...ticket, startTime: NOW - 10_000 } : ticket,
    );
    expect(runMatchmakingPass(withPriority('normal'), olderGame, NOW).matches[0]?.backfillTicketId).toBe(
      'game',
    );
    const newerGame = scarcePool();
    const result = runMatchmakingPass(withPriority('normal'), newerGame, NOW);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]?.backfillTicketId).toBeUndefined();
  });
});
