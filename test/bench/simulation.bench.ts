/**
 * A virtual-clock simulation of one queue with automatic backfill, no real time involved:
 * players arrive steadily (seeded), the matching pass runs every virtual second, matched games
 * lose players at random and ask for backfill with the players still connected and their
 * teams (one active backfill ticket per game, a new request replacing the old one, as
 * StartMatchBackfill does). It runs the same arrivals twice, with backfillPriority high and
 * normal, and reports time to match, time to fill, how full games stay, and skill spread.
 * Run: npx tsx test/bench/simulation.bench.ts
 */

import { runMatchmakingPass } from '../../lambdas/engine/matching';
import type { Player, PoolTicket } from '../../lambdas/engine/model';
import { type BackfillPriority, compileRuleSetBody, type QueueProgram } from '../../lambdas/engine/rules';
import { bell, seededRandom } from '../engine/matching/random';

const START = 1_700_000_000_000;
const SECOND = 1_000;

export interface SimulationSettings {
  virtualSeconds: number;
  arrivalsPerSecond: number;
  /** Chance per second that a connected player leaves. */
  leaveChancePerSecond: number;
  gameSeconds: number;
  ticketTimeoutSeconds: number;
  seed: number;
}

export const DEFAULT_SIMULATION: SimulationSettings = {
  virtualSeconds: 1_800,
  arrivalsPerSecond: 4,
  leaveChancePerSecond: 1 / 900,
  gameSeconds: 600,
  ticketTimeoutSeconds: 120,
  seed: 2024,
};

function ruleSet(priority: BackfillPriority): string {
  return JSON.stringify({
    name: `sim-5v5-${priority}`,
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1500 }],
    algorithm: { backfillPriority: priority },
    teams: [
      { name: 'red', minPlayers: 5, maxPlayers: 5 },
      { name: 'blue', minPlayers: 5, maxPlayers: 5 },
    ],
    rules: [
      {
        name: 'FairTeams',
        type: 'distance',
        measurements: ['avg(teams[*].players.attributes[skill])'],
        referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
        maxDistance: 40,
      },
      {
        name: 'CloseSkill',
        type: 'distance',
        measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
        referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
        maxDistance: 300,
      },
    ],
    expansions: [
      { target: 'rules[FairTeams].maxDistance', steps: [{ waitTimeSeconds: 15, value: 120 }] },
      {
        target: 'rules[CloseSkill].maxDistance',
        steps: [
          { waitTimeSeconds: 10, value: 600 },
          { waitTimeSeconds: 30, value: 1500 },
        ],
      },
      { target: 'teams[red].minPlayers', steps: [{ waitTimeSeconds: 20, value: 4 }] },
      { target: 'teams[blue].minPlayers', steps: [{ waitTimeSeconds: 20, value: 4 }] },
    ],
  });
}

interface Game {
  id: string;
  endsAt: number;
  /** Team slot name → players connected now. */
  teams: Map<string, Player[]>;
  /** When the game last dropped below full, or undefined while full. */
  openSince: number | undefined;
  backfillTicketId: string | undefined;
}

export interface SimulationReport {
  priority: BackfillPriority;
  playersArrived: number;
  matchesFormed: number;
  backfillsFilled: number;
  timedOut: number;
  timeToMatchP50: number;
  timeToMatchP95: number;
  timeToFillP50: number;
  timeToFillP95: number;
  /** Share of game-seconds during which the game had every seat taken. */
  shareFull: number;
  /** Median skill range (highest minus lowest) of the players of a new match. */
  skillSpreadP50: number;
  /** Median gap between the two teams' average skills in a new match. */
  teamGapP50: number;
  passMsTotal: number;
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] as number;
}

function skillOf(player: Player): number {
  const skill = player.attributes.skill;
  return skill?.kind === 'number' ? skill.value : 1500;
}

export function simulate(
  priority: BackfillPriority,
  settings: SimulationSettings = DEFAULT_SIMULATION,
): SimulationReport {
  const program: QueueProgram = compileRuleSetBody(ruleSet(priority));
  const seatsPerTeam = new Map(program.teamSlots.map((slot) => [slot.name, slot.maxPlayers.base]));
  const seats = program.totalMaxPlayers;
  // Arrivals and departures draw from separate streams so both runs see the same arrivals.
  const arrivals = seededRandom(settings.seed);
  const departures = seededRandom(settings.seed ^ 0x9e3779b9);
  const waiting = new Map<string, PoolTicket>();
  const backfills = new Map<string, { ticket: PoolTicket; game: Game }>();
  const games = new Map<string, Game>();
  const timeToMatch: number[] = [];
  const timeToFill: number[] = [];
  const skillSpreads: number[] = [];
  const teamGaps: number[] = [];
  let playersArrived = 0;
  let matchesFormed = 0;
  let backfillsFilled = 0;
  let timedOut = 0;
  let fullGameSeconds = 0;
  let gameSeconds = 0;
  let passMsTotal = 0;
  let nextTicket = 0;
  let nextGame = 0;

  const requestBackfill = (game: Game, nowMs: number): void => {
    if (game.backfillTicketId !== undefined) backfills.delete(game.backfillTicketId);
    const players: Player[] = [];
    for (const [team, members] of game.teams) for (const member of members) players.push({ ...member, team });
    const ticket: PoolTicket = {
      ticketId: `bf${nextTicket++}`,
      kind: 'backfill',
      startTime: nowMs,
      players,
      gameSessionId: game.id,
    };
    game.backfillTicketId = ticket.ticketId;
    backfills.set(ticket.ticketId, { ticket, game });
  };
  const connected = (game: Game): number =>
    [...game.teams.values()].reduce((total, team) => total + team.length, 0);

  for (let second = 0; second < settings.virtualSeconds; second++) {
    const nowMs = START + second * SECOND;
    // Arrivals: a steady stream, one ticket in ten a party of two.
    let expected = settings.arrivalsPerSecond;
    while (expected > 0) {
      if (arrivals() < Math.min(1, expected)) {
        const size = arrivals() < 0.1 ? 2 : 1;
        const ticketId = `t${nextTicket++}`;
        const partySkill = bell(arrivals, 1500, 1200);
        waiting.set(ticketId, {
          ticketId,
          kind: 'matchmaking',
          startTime: nowMs - Math.floor(arrivals() * SECOND),
          players: Array.from({ length: size }, (_, member) => ({
            playerId: `${ticketId}-${member}`,
            attributes: {
              skill: { kind: 'number' as const, value: Math.round(partySkill + (arrivals() - 0.5) * 100) },
            },
            latencyInMs: {},
          })),
        });
        playersArrived += size;
      }
      expected -= 1;
    }
    // Time-outs, as RequestTimeoutSeconds would.
    for (const [ticketId, ticket] of waiting) {
      if (nowMs - ticket.startTime >= settings.ticketTimeoutSeconds * SECOND) {
        waiting.delete(ticketId);
        timedOut += ticket.players.length;
      }
    }

    const pool = [...waiting.values(), ...[...backfills.values()].map((entry) => entry.ticket)];
    const started = performance.now();
    const result = runMatchmakingPass(program, pool, nowMs);
    passMsTotal += performance.now() - started;

    for (const match of result.matches) {
      const newTickets = match.ticketIds.filter((id) => waiting.has(id));
      const players = new Map<string, Player>();
      for (const id of newTickets) {
        const ticket = waiting.get(id) as PoolTicket;
        timeToMatch.push((nowMs - ticket.startTime) / SECOND);
        for (const player of ticket.players) players.set(player.playerId, player);
        waiting.delete(id);
      }
      if (match.backfillTicketId !== undefined) {
        const request = backfills.get(match.backfillTicketId);
        backfills.delete(match.backfillTicketId);
        if (request === undefined) continue;
        const game = request.game;
        game.backfillTicketId = undefined;
        for (const team of match.teams) {
          const members = game.teams.get(team.name) ?? [];
          for (const member of team.players) {
            const joining = players.get(member.playerId);
            if (joining !== undefined) members.push(joining);
          }
          game.teams.set(team.name, members);
        }
        backfillsFilled++;
        if (connected(game) >= seats) {
          if (game.openSince !== undefined) timeToFill.push((nowMs - game.openSince) / SECOND);
          game.openSince = undefined;
        } else {
          requestBackfill(game, nowMs);
        }
        continue;
      }
      const game: Game = {
        id: `g${nextGame++}`,
        endsAt: nowMs + settings.gameSeconds * SECOND,
        teams: new Map(),
        openSince: undefined,
        backfillTicketId: undefined,
      };
      const skills: number[] = [];
      const averages: number[] = [];
      for (const team of match.teams) {
        const members = team.players.map((member) => players.get(member.playerId) as Player);
        game.teams.set(team.name, members);
        const teamSkills = members.map(skillOf);
        skills.push(...teamSkills);
        averages.push(teamSkills.reduce((total, value) => total + value, 0) / Math.max(1, teamSkills.length));
      }
      skillSpreads.push(Math.max(...skills) - Math.min(...skills));
      teamGaps.push(Math.max(...averages) - Math.min(...averages));
      games.set(game.id, game);
      matchesFormed++;
      if (connected(game) < seats) {
        game.openSince = nowMs;
        requestBackfill(game, nowMs);
      }
    }

    // Games: players leave at random, the game asks for backfill; games end on schedule.
    for (const [id, game] of games) {
      if (nowMs >= game.endsAt) {
        if (game.backfillTicketId !== undefined) backfills.delete(game.backfillTicketId);
        games.delete(id);
        continue;
      }
      let left = false;
      for (const [team, members] of game.teams) {
        const staying = members.filter(() => departures() >= settings.leaveChancePerSecond);
        if (staying.length !== members.length) left = true;
        game.teams.set(team, staying);
      }
      const present = connected(game);
      if (present === 0) {
        if (game.backfillTicketId !== undefined) backfills.delete(game.backfillTicketId);
        games.delete(id);
        continue;
      }
      if (left) {
        game.openSince ??= nowMs;
        requestBackfill(game, nowMs);
      }
      gameSeconds++;
      let full = true;
      for (const [team, members] of game.teams)
        if (members.length < (seatsPerTeam.get(team) ?? 0)) full = false;
      if (full) fullGameSeconds++;
    }
  }
  return {
    priority,
    playersArrived,
    matchesFormed,
    backfillsFilled,
    timedOut,
    timeToMatchP50: percentile(timeToMatch, 0.5),
    timeToMatchP95: percentile(timeToMatch, 0.95),
    timeToFillP50: percentile(timeToFill, 0.5),
    timeToFillP95: percentile(timeToFill, 0.95),
    shareFull: gameSeconds === 0 ? Number.NaN : fullGameSeconds / gameSeconds,
    skillSpreadP50: percentile(skillSpreads, 0.5),
    teamGapP50: percentile(teamGaps, 0.5),
    passMsTotal,
  };
}

// Async so a bench runner can await it alongside other, truly asynchronous benchmarks.
export async function runSimulation(
  settings: SimulationSettings = DEFAULT_SIMULATION,
): Promise<SimulationReport[]> {
  return [simulate('high', settings), simulate('normal', settings)];
}

export function simulationTable(reports: readonly SimulationReport[]): string {
  const seconds = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(0)} s`);
  const lines = [
    '| backfillPriority | players | matches | backfills filled | timed out | time to match p50 / p95 | time to fill p50 / p95 | games full | skill range p50 | team gap p50 | pass ms total |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...reports.map(
      (report) =>
        `| ${report.priority} | ${report.playersArrived} | ${report.matchesFormed} | ${report.backfillsFilled} | ${report.timedOut} | ${seconds(report.timeToMatchP50)} / ${seconds(report.timeToMatchP95)} | ${seconds(report.timeToFillP50)} / ${seconds(report.timeToFillP95)} | ${(report.shareFull * 100).toFixed(1)} % | ${report.skillSpreadP50.toFixed(0)} | ${report.teamGapP50.toFixed(1)} | ${report.passMsTotal.toFixed(0)} |`,
    ),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  runSimulation().then((reports) => process.stdout.write(`${simulationTable(reports)}\n`));
}
