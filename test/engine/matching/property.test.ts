import { runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { Player, PoolTicket } from '../../../lambdas/engine/model';
import type { QueueProgram } from '../../../lambdas/engine/rules';
import { loadProgram } from '../rules/support';
import { bell, closeSkills, expectValidMatches, NOW, program, seededRandom, skillTeams } from './support';

/**
 * Randomized pools (seeded, so a failure repeats) over rule sets of every shape the pass
 * handles: parties, quantity teams, slot-specific filters, latency, compound rules, expansions,
 * large balanced matches, and backfill tickets (some invalid). Every produced match must keep
 * invariants 1-3, checked independently by expectValidMatches.
 */

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const MAPS = ['harbor', 'desert'];
const MODES = ['casual', 'ranked'];
const ROLES = ['tank', 'healer', 'dps'];

/** Rule set name, program, and the mean skill its rules expect. */
const programs: Array<[string, QueueProgram, number]> = [
  ['skill 2v2', program(skillTeams(2, 60)), 1000],
  [
    'skill 3v3 with backfill priority high',
    program(skillTeams(3, 80, { algorithm: { backfillPriority: 'high' } })),
    1000,
  ],
  [
    'close skills 2v2 with expansion',
    program(
      closeSkills(2, 80, [
        { target: 'rules[CloseSkill].maxDistance', steps: [{ waitTimeSeconds: 15, value: 400 }] },
      ]),
    ),
    1000,
  ],
  ['skill-5v5 fixture', loadProgram('skill-5v5.jsonc'), 1000],
  ['parties fixture', loadProgram('parties.json'), 60],
  ['preferences fixture (slot filters)', loadProgram('preferences.jsonc'), 1000],
  ['latency fixture (oldest age)', loadProgram('latency-regions.json'), 1000],
  ['compound fixture', loadProgram('compound.json'), 1000],
  ['ordering fixture', loadProgram('ordering.json'), 1000],
  [
    'squads with quantity 3, backfill low',
    program({
      name: 'squads',
      ruleLanguageVersion: '1.0',
      playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
      algorithm: { backfillPriority: 'low' },
      teams: [{ name: 'squad', minPlayers: 2, maxPlayers: 3, quantity: 3 }],
      rules: [
        {
          name: 'Even',
          type: 'distance',
          measurements: ['avg(teams[*].players.attributes[skill])'],
          referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
          maxDistance: 150,
        },
      ],
    }),
    1000,
  ],
  ['large battle fixture', loadProgram('large-battle.json'), 1000],
];

function randomPlayer(random: () => number, skillMean: number, playerId: string, team?: string): Player {
  const latencyInMs: Record<string, number> = {};
  for (const region of REGIONS) if (random() < 0.8) latencyInMs[region] = Math.floor(20 + random() * 200);
  if (Object.keys(latencyInMs).length === 0) latencyInMs[REGIONS[0] as string] = 90;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const player: Player = {
    playerId,
    latencyInMs,
    attributes: {
      skill: { kind: 'number', value: Math.round(bell(random, skillMean, skillMean / 2)) },
      level: { kind: 'number', value: Math.floor(random() * 40) },
      experience: { kind: 'number', value: Math.floor(random() * 100) },
      rank: { kind: 'number', value: 1 + Math.floor(random() * 6) },
      isBoss: { kind: 'number', value: random() < 0.2 ? 1 : 0 },
      newbie: { kind: 'number', value: random() < 0.1 ? 1 : 0 },
      map: { kind: 'string', value: pick(MAPS) },
      mode: { kind: 'string', value: random() < 0.9 ? 'conquest' : pick(MODES) },
      roles: { kind: 'string_list', value: ROLES.filter(() => random() < 0.4) },
      maps: { kind: 'string_list', value: MAPS.filter(() => random() < 0.7) },
      modes: { kind: 'string_list', value: random() < 0.8 ? ['duel'] : ['duel', 'ffa'] },
    },
  };
  if (team !== undefined) player.team = team;
  return player;
}

function randomPool(
  queue: QueueProgram,
  skillMean: number,
  random: () => number,
  size: number,
): PoolTicket[] {
  const pool: PoolTicket[] = [];
  for (let index = 0; index < size; index++) {
    const ticketId = `t${index}`;
    const startTime = NOW - Math.floor(random() * 40_000);
    if (random() < 0.08) {
      // A game that lost players: each slot keeps a random share of its maximum.
      const players: Player[] = [];
      for (const slot of queue.teamSlots) {
        const keep = Math.floor(random() * (slot.maxPlayers.base + 1));
        for (let member = 0; member < keep; member++) {
          players.push(randomPlayer(random, skillMean, `${ticketId}-${slot.name}-${member}`, slot.name));
        }
      }
      // Some backfill requests are wrong: a team the rule set doesn't know.
      if (random() < 0.15) players.push(randomPlayer(random, skillMean, `${ticketId}-stray`, 'nonexistent'));
      pool.push({ ticketId, kind: 'backfill', startTime, players, gameSessionId: `game-${ticketId}` });
      continue;
    }
    const partySize = random() < 0.2 ? 2 + Math.floor(random() * 3) : 1;
    const players = Array.from({ length: partySize }, (_, member) =>
      randomPlayer(random, skillMean, `${ticketId}-${member}`),
    );
    pool.push({ ticketId, kind: 'matchmaking', startTime, players });
  }
  // Rarely, one player waits on two tickets at once: the pass must use them at most once.
  if (pool.length > 2 && random() < 0.3) {
    const donor = pool.find((ticket) => ticket.kind === 'matchmaking');
    const copied = donor?.players[0];
    if (copied !== undefined) {
      pool.push({
        ticketId: 'duplicate-player',
        kind: 'matchmaking',
        startTime: NOW - 1,
        players: [{ ...copied }],
      });
    }
  }
  return pool;
}

describe('randomized pools keep every invariant', () => {
  it.each(programs)('%s', (_name, queue, skillMean) => {
    const random = seededRandom(0x5107f111 ^ queue.name.length);
    let matchesSeen = 0;
    let backfillsSeen = 0;
    for (let round = 0; round < 40; round++) {
      const size = 2 + Math.floor(random() * (queue.algorithm.largeMatch ? 140 : 60));
      const pool = randomPool(queue, skillMean, random, size);
      const nowMs = NOW + Math.floor(random() * 30_000);
      const result = runMatchmakingPass(queue, pool, nowMs, { windowSize: 8 + Math.floor(random() * 40) });
      expectValidMatches(queue, pool, result.matches, nowMs);
      for (const invalid of result.invalidBackfills) {
        const ticket = pool.find((each) => each.ticketId === invalid.ticketId);
        expect(ticket?.kind).toBe('backfill');
        expect(result.matches.some((match) => match.ticketIds.includes(invalid.ticketId))).toBe(false);
      }
      matchesSeen += result.matches.length;
      backfillsSeen += result.matches.filter((match) => match.backfillTicketId !== undefined).length;
      // Deterministic: the same pool in another order gives the same matches.
      if (round % 8 === 0) {
        const shuffled = [...pool].reverse();
        const again = runMatchmakingPass(queue, shuffled, nowMs, { windowSize: 8 + (round % 40) });
        const first = runMatchmakingPass(queue, pool, nowMs, { windowSize: 8 + (round % 40) });
        expect(again.matches).toEqual(first.matches);
      }
    }
    // The generator must actually exercise the pass, or the invariants prove nothing.
    expect(matchesSeen).toBeGreaterThan(0);
    if (!queue.algorithm.largeMatch) expect(backfillsSeen).toBeGreaterThan(0);
  });
});
