/**
 * Match quality scenarios shared by the quality benchmark and the engine's quality tests:
 * seeded pools and rule sets, a sort-and-chunk baseline, and the measures (matched players,
 * skill spread per match, gap between team average skills).
 */
import type { ProposedMatch } from '../../lambdas/engine/matching';
import type { Player, PoolTicket } from '../../lambdas/engine/model';
import {
  type CandidateTicket,
  candidatePasses,
  compileRuleSetBody,
  type QueueProgram,
} from '../../lambdas/engine/rules';
import { bell, seededRandom } from '../../lambdas/engine/simulation/random';

export const QUALITY_NOW = 1_700_000_000_000;
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'] as const;

/**
 * A rule set where every player's skill must lie within `maxSpread` of every other's. `level`
 * is declared first and measured by nothing: batching must not follow declaration order.
 */
export function spreadRuleSet(options: {
  name: string;
  teamSize: number;
  maxSpread: number;
  maxLatency?: number;
}): object {
  const rules: object[] = [
    {
      name: 'CloseSkill',
      type: 'distance',
      measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
      referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
      maxDistance: options.maxSpread,
    },
  ];
  if (options.maxLatency !== undefined)
    rules.push({ name: 'Ping', type: 'latency', maxLatency: options.maxLatency });
  return {
    name: options.name,
    ruleLanguageVersion: '1.0',
    playerAttributes: [
      { name: 'level', type: 'number', default: 1 },
      { name: 'skill', type: 'number', default: 1500 },
    ],
    teams: [
      { name: 'red', minPlayers: options.teamSize, maxPlayers: options.teamSize },
      { name: 'blue', minPlayers: options.teamSize, maxPlayers: options.teamSize },
    ],
    rules,
  };
}

export interface Scenario {
  name: string;
  ruleSet: object;
  /** A seeded pool of `tickets` tickets. */
  pool(tickets: number, seed: number): PoolTicket[];
  /** Pool size for the exhaustive comparison (at most 30). */
  smallPool: number;
}

interface PoolShape {
  partySizes: readonly number[];
  skillSpread: number;
  regions: boolean;
}

function makePool(shape: PoolShape, tickets: number, seed: number): PoolTicket[] {
  const random = seededRandom(seed);
  const pool: PoolTicket[] = [];
  for (let index = 0; index < tickets; index++) {
    const size = shape.partySizes[Math.floor(random() * shape.partySizes.length)] as number;
    const partySkill = bell(random, 1500, shape.skillSpread);
    const home = Math.floor(random() * REGIONS.length);
    const ticketId = `t${index}`;
    pool.push({
      ticketId,
      kind: 'matchmaking',
      // Up to 20 s old: fresh, the case where the pass's choices matter most.
      startTime: QUALITY_NOW - Math.floor(random() * 20_000),
      players: Array.from({ length: size }, (_, member) => ({
        playerId: `${ticketId}-${member}`,
        attributes: {
          level: { kind: 'number' as const, value: Math.floor(random() * 100) },
          skill: { kind: 'number' as const, value: Math.round(partySkill + (random() - 0.5) * 40) },
        },
        latencyInMs: shape.regions
          ? Object.fromEntries(
              REGIONS.map((region, at) => [
                region,
                // Near the home region; another region is often playable too.
                at === home ? Math.floor(20 + random() * 40) : Math.floor(50 + random() * 120),
              ]),
            )
          : {},
      })),
    });
  }
  return pool;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: '1v1, skill within 40',
    ruleSet: spreadRuleSet({ name: 'q-1v1', teamSize: 1, maxSpread: 40 }),
    pool: (tickets, seed) => makePool({ partySizes: [1], skillSpread: 1000, regions: false }, tickets, seed),
    smallPool: 30,
  },
  {
    name: '5v5, skill within 250',
    ruleSet: spreadRuleSet({ name: 'q-5v5', teamSize: 5, maxSpread: 250 }),
    pool: (tickets, seed) => makePool({ partySizes: [1], skillSpread: 1000, regions: false }, tickets, seed),
    smallPool: 30,
  },
  {
    name: '4v4, parties of 1-4, skill within 250',
    ruleSet: spreadRuleSet({ name: 'q-4v4', teamSize: 4, maxSpread: 250 }),
    pool: (tickets, seed) =>
      makePool({ partySizes: [1, 1, 2, 3, 4], skillSpread: 1000, regions: false }, tickets, seed),
    smallPool: 20,
  },
  {
    name: '5v5, 3 regions within 100 ms, skill within 400',
    ruleSet: spreadRuleSet({ name: 'q-5v5-latency', teamSize: 5, maxSpread: 400, maxLatency: 100 }),
    pool: (tickets, seed) => makePool({ partySizes: [1], skillSpread: 1000, regions: true }, tickets, seed),
    smallPool: 30,
  },
];

export function compileScenario(scenario: Scenario): QueueProgram {
  return compileRuleSetBody(JSON.stringify(scenario.ruleSet));
}

function skillOf(player: Player): number {
  const skill = player.attributes.skill;
  return skill?.kind === 'number' ? skill.value : Number.NaN;
}

function partySkill(ticket: PoolTicket): number {
  let total = 0;
  for (const player of ticket.players) total += skillOf(player);
  return total / ticket.players.length;
}

function fastestRegion(ticket: PoolTicket): string {
  const first = ticket.players[0];
  if (first === undefined) return '';
  let best = '';
  let bestLatency = Number.POSITIVE_INFINITY;
  for (const [region, latency] of Object.entries(first.latencyInMs)) {
    if (latency < bestLatency) {
      best = region;
      bestLatency = latency;
    }
  }
  return best;
}

/** A match as the skills of the players on each team. */
export type TeamSkills = number[][];

/**
 * The baseline: sort the pool by fastest region then party skill, cut it into consecutive
 * matches (each party onto the team with the most room; a party that fits nowhere waits for
 * the next match), and keep the matches the rules accept.
 */
export function sortAndChunk(
  program: QueueProgram,
  pool: readonly PoolTicket[],
  nowMs: number,
): TeamSkills[] {
  const byRegion = program.matchRules.some((rule) => rule.sourceType === 'latency');
  const sorted = pool
    .filter((ticket) => ticket.kind === 'matchmaking')
    .map((ticket) => ({ ticket, region: byRegion ? fastestRegion(ticket) : '', skill: partySkill(ticket) }))
    .sort((left, right) =>
      left.region !== right.region ? (left.region < right.region ? -1 : 1) : left.skill - right.skill,
    );
  const slots = program.teamSlots;
  const matches: TeamSkills[] = [];
  let teams: CandidateTicket[][] = slots.map(() => []);
  let region = '';
  const room = (slot: number): number =>
    (slots[slot]?.maxPlayers.base ?? 0) -
    (teams[slot] ?? []).reduce((total, ticket) => total + ticket.players.length, 0);
  const close = (): void => {
    const full = slots.every((slot, index) => room(index) <= slot.maxPlayers.base - slot.minPlayers.base);
    if (full) {
      const candidate: Record<string, CandidateTicket[]> = {};
      slots.forEach((slot, index) => {
        candidate[slot.name] = teams[index] ?? [];
      });
      if (candidatePasses(program, { teams: candidate }, nowMs))
        matches.push(teams.map((team) => team.flatMap((ticket) => ticket.players.map(skillOf))));
    }
    teams = slots.map(() => []);
  };
  // Parties that fit no team of the current match start the next one.
  let carried: PoolTicket[] = [];
  const add = (ticket: PoolTicket): boolean => {
    let best = -1;
    for (let slot = 0; slot < slots.length; slot++)
      if (room(slot) >= ticket.players.length && (best < 0 || room(slot) > room(best))) best = slot;
    if (best < 0) return false;
    (teams[best] as CandidateTicket[]).push(ticket);
    if (slots.every((_, slot) => room(slot) === 0)) {
      close();
      const waiting = carried;
      carried = [];
      for (const next of waiting) if (!add(next)) carried.push(next);
    }
    return true;
  };
  for (const { ticket, region: ticketRegion } of sorted) {
    if (ticketRegion !== region) {
      close();
      carried = [];
      region = ticketRegion;
    }
    if (!add(ticket)) carried.push(ticket);
  }
  close();
  return matches;
}

/** The engine's matches as team skills. */
export function engineTeamSkills(
  pool: readonly PoolTicket[],
  matches: readonly ProposedMatch[],
): TeamSkills[] {
  const skills = new Map<string, number>();
  for (const ticket of pool)
    for (const player of ticket.players) skills.set(player.playerId, skillOf(player));
  return matches.map((match) =>
    match.teams.map((team) => team.players.map((player) => skills.get(player.playerId) ?? Number.NaN)),
  );
}

export interface QualityMeasures {
  matchedPlayers: number;
  /** Matched players over players in the pool. */
  matchedShare: number;
  /** Mean over matches of the highest minus the lowest player skill. */
  meanSpread: number;
  /** Mean over matches of the highest minus the lowest team average skill. */
  meanTeamGap: number;
}

export function measure(pool: readonly PoolTicket[], matches: readonly TeamSkills[]): QualityMeasures {
  const poolPlayers = pool.reduce((total, ticket) => total + ticket.players.length, 0);
  let matchedPlayers = 0;
  let spreads = 0;
  let gaps = 0;
  for (const teams of matches) {
    const all = teams.flat();
    matchedPlayers += all.length;
    spreads += Math.max(...all) - Math.min(...all);
    const averages = teams
      .filter((team) => team.length > 0)
      .map((team) => team.reduce((total, skill) => total + skill, 0) / team.length);
    gaps += Math.max(...averages) - Math.min(...averages);
  }
  const count = Math.max(1, matches.length);
  return {
    matchedPlayers,
    matchedShare: poolPlayers === 0 ? 0 : matchedPlayers / poolPlayers,
    meanSpread: spreads / count,
    meanTeamGap: gaps / count,
  };
}
