import type { ProposedMatch } from '../../../lambdas/engine/matching';
import type { Player, PoolTicket } from '../../../lambdas/engine/model';
import {
  type CandidateTicket,
  compileRuleSetBody,
  evaluateCandidate,
  type QueueProgram,
  type RuleCandidate,
} from '../../../lambdas/engine/rules';

export const NOW = 1_700_000_000_000;

export { bell, seededRandom } from '../../../lambdas/engine/simulation/random';

export function program(ruleSet: object): QueueProgram {
  return compileRuleSetBody(JSON.stringify(ruleSet));
}

export function skillPlayer(
  playerId: string,
  skill: number,
  latencyInMs: Record<string, number> = {},
  team?: string,
): Player {
  const player: Player = { playerId, attributes: { skill: { kind: 'number', value: skill } }, latencyInMs };
  if (team !== undefined) player.team = team;
  return player;
}

export function solo(ticketId: string, skill: number, startTime = NOW): PoolTicket {
  return { ticketId, kind: 'matchmaking', startTime, players: [skillPlayer(`${ticketId}-p`, skill)] };
}

export function party(ticketId: string, skills: readonly number[], startTime = NOW): PoolTicket {
  return {
    ticketId,
    kind: 'matchmaking',
    startTime,
    players: skills.map((skill, index) => skillPlayer(`${ticketId}-p${index}`, skill)),
  };
}

/** A backfill ticket: team name → skills of the players still in the game. */
export function backfill(
  ticketId: string,
  teams: Record<string, readonly number[]>,
  startTime = NOW,
): PoolTicket {
  const players: Player[] = [];
  for (const [team, skills] of Object.entries(teams)) {
    skills.forEach((skill, index) => {
      players.push(skillPlayer(`${ticketId}-${team}${index}`, skill, {}, team));
    });
  }
  return { ticketId, kind: 'backfill', startTime, players, gameSessionId: `session-${ticketId}` };
}

/** Two teams of `size`, team averages within `maxDistance` of the match average. */
export function skillTeams(size: number, maxDistance: number, extra: Record<string, unknown> = {}): object {
  return {
    name: `skill-${size}v${size}`,
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
    teams: [
      { name: 'red', minPlayers: size, maxPlayers: size },
      { name: 'blue', minPlayers: size, maxPlayers: size },
    ],
    rules: [
      {
        name: 'FairTeams',
        type: 'distance',
        measurements: ['avg(teams[*].players.attributes[skill])'],
        referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
        maxDistance,
      },
    ],
    ...extra,
  };
}

/** Everyone within `maxSpread` skill of each other. */
export function closeSkills(size: number, maxSpread: number, expansions: object[] = []): object {
  return {
    name: `close-${size}v${size}`,
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
    teams: [
      { name: 'red', minPlayers: size, maxPlayers: size },
      { name: 'blue', minPlayers: size, maxPlayers: size },
    ],
    rules: [
      {
        name: 'CloseSkill',
        type: 'distance',
        measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
        referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
        maxDistance: maxSpread,
      },
    ],
    expansions,
  };
}

/** Slot index of a backfill player's team, as the pass must resolve it. */
function slotNameFor(queue: QueueProgram, team: string): string | undefined {
  if (queue.teamSlots.some((slot) => slot.name === team)) return team;
  const copies = queue.teamSlots.filter((slot) => slot.definitionName === team);
  return copies.length === 1 ? copies[0]?.name : undefined;
}

/**
 * Checks every invariant a pass must keep, independently of the pass's own bookkeeping:
 * tickets and players used once, parties whole on one team, backfill players on their team,
 * at most one backfill and at least one new ticket per match, and the rules module's full
 * evaluation (team sizes included) passing on the match as reported.
 */
export function expectValidMatches(
  queue: QueueProgram,
  pool: readonly PoolTicket[],
  matches: readonly ProposedMatch[],
  nowMs: number,
): void {
  const tickets = new Map(pool.map((ticket) => [ticket.ticketId, ticket]));
  const usedTickets = new Set<string>();
  const usedPlayers = new Set<string>();
  for (const match of matches) {
    const backfills = match.ticketIds.filter((id) => tickets.get(id)?.kind === 'backfill');
    expect(backfills.length).toBeLessThanOrEqual(1);
    expect(match.ticketIds.length - backfills.length).toBeGreaterThanOrEqual(1);
    expect(match.backfillTicketId).toBe(backfills[0]);
    expect(match.teams.map((team) => team.name)).toEqual(queue.teamSlots.map((slot) => slot.name));

    const teamOfPlayer = new Map<string, string>();
    const candidateTeams: Record<string, CandidateTicket[]> = {};
    for (const team of match.teams) {
      candidateTeams[team.name] = [];
      for (const member of team.players) {
        expect(teamOfPlayer.has(member.playerId)).toBe(false);
        teamOfPlayer.set(member.playerId, team.name);
      }
    }
    for (const ticketId of match.ticketIds) {
      expect(usedTickets.has(ticketId)).toBe(false);
      usedTickets.add(ticketId);
      const ticket = tickets.get(ticketId);
      if (ticket === undefined) throw new Error(`match names unknown ticket ${ticketId}`);
      const teamsOfTicket = new Set<string>();
      for (const player of ticket.players) {
        expect(usedPlayers.has(player.playerId)).toBe(false);
        usedPlayers.add(player.playerId);
        const team = teamOfPlayer.get(player.playerId);
        if (team === undefined) throw new Error(`player ${player.playerId} of ${ticketId} is on no team`);
        teamsOfTicket.add(team);
        if (ticket.kind === 'backfill') {
          if (player.team !== undefined) expect(team).toBe(slotNameFor(queue, player.team));
          (candidateTeams[team] as CandidateTicket[]).push({
            ticketId: `${ticketId}/${player.playerId}`,
            startTime: ticket.startTime,
            players: [player],
          });
        }
      }
      if (ticket.kind === 'matchmaking') {
        expect(teamsOfTicket.size).toBe(1);
        const [team] = [...teamsOfTicket] as [string];
        (candidateTeams[team] as CandidateTicket[]).push(ticket);
      }
    }
    // Every reported player belongs to one of the match's tickets.
    const reported = match.teams.reduce((total, team) => total + team.players.length, 0);
    const owned = match.ticketIds.reduce((total, id) => total + (tickets.get(id)?.players.length ?? 0), 0);
    expect(reported).toBe(owned);
    const candidate: RuleCandidate = { teams: candidateTeams };
    const evaluation = evaluateCandidate(queue, candidate, nowMs);
    if (!evaluation.passed) {
      throw new Error(
        `match ${match.ticketIds.join(',')} fails: ${JSON.stringify({ problems: evaluation.teamProblems, rules: evaluation.rules })}`,
      );
    }
    // Rules only used inside a compound rule may fail on their own; every other rule must pass.
    const failedStandalone = match.evaluation.rules.filter(
      (rule) => !rule.passed && queue.matchRules.find((each) => each.name === rule.ruleName)?.standalone,
    );
    expect(failedStandalone).toEqual([]);
  }
}

export function matchedTicketIds(matches: readonly ProposedMatch[]): string[] {
  return matches.flatMap((match) => match.ticketIds).sort();
}

export function teamSkills(match: ProposedMatch, pool: readonly PoolTicket[], team: string): number[] {
  const skills = new Map<string, number>();
  for (const ticket of pool) {
    for (const player of ticket.players) {
      const skill = player.attributes.skill;
      if (skill?.kind === 'number') skills.set(player.playerId, skill.value);
    }
  }
  const found = match.teams.find((each) => each.name === team);
  return (found?.players ?? []).map((member) => skills.get(member.playerId) ?? Number.NaN);
}

export function average(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}
