/**
 * A queue on a virtual clock: tickets arrive (from an arrival model or a recorded log), the
 * real matching pass runs once per virtual second as the matchmaker tick does, tickets time
 * out, formed games lose players and ask for backfill with the players still connected (one
 * active backfill ticket per game, a new request replacing the old one, as StartMatchBackfill
 * does). No real time, no I/O: the same inputs give the same log.
 *
 * Everything that happens is appended to a log of plain events; the report is computed from
 * that log alone (summary.ts), so every figure it shows can be recounted from the raw run.
 */
import { type PassOptions, runMatchmakingPass } from '../matching';
import type { AttributeValue, Player, PoolTicket } from '../model';
import { RESERVED_ATTRIBUTE } from '../queues/attributes';
import type { PlayFabQueueProgram } from '../queues/compile';
import { type CandidateTicket, evaluateCandidate, type QueueProgram, valueAtAge } from '../rules';
import {
  type AttributeDistribution,
  type RecordedArrival,
  recordedPlayers,
  type SimulationModel,
} from './model';
import { normal, seededRandom, weightedIndex } from './random';

/** Virtual epoch of every run (any fixed instant does; it keeps ages readable in the log). */
export const SIMULATION_START_MS = 1_700_000_000_000;
const SECOND = 1_000;

/** Why a sampled waiting ticket's best nearby candidate is refused; this names a missing crowd. */
export const NOT_ENOUGH_PLAYERS = '(not enough players nearby)';

export type SimulationEvent =
  | { type: 'arrival'; t: number; ticketId: string; players: number }
  | { type: 'timeout'; t: number; ticketId: string; players: number; waitedMs: number }
  | {
      type: 'match';
      t: number;
      matchId: string;
      gameId: string;
      /** Set when the match filled seats of a running game. */
      backfillTicketId?: string;
      /** The new (matchmaking) tickets of the match and how long each waited. */
      tickets: Array<{ ticketId: string; players: number; waitedMs: number }>;
      /** Skill of every player per team (joining and present), for spread and gap. */
      teamSkills: number[][];
      drivingAgeMs: number;
      /** Per program expansion (same order): index of the step in force, 0 = base value. */
      expansionSteps: number[];
    }
  | { type: 'leave'; t: number; gameId: string; players: number }
  | { type: 'backfill-request'; t: number; gameId: string; ticketId: string; openSeats: number }
  | { type: 'game-filled'; t: number; gameId: string; openMs: number }
  | { type: 'game-end'; t: number; gameId: string }
  | {
      type: 'tick';
      t: number;
      waitingTickets: number;
      backfillTickets: number;
      games: number;
      fullGames: number;
      /** Games by share of seats taken, in tenths: index 10 = full. */
      gamesByFillTenths: number[];
    }
  | { type: 'blocked'; t: number; ticketId: string; waitedMs: number; failedRules: string[] };

export interface SimulationRun {
  program: QueueProgram;
  model: SimulationModel;
  /** The number attribute spread and gap are measured on (undefined when the queue has none). */
  skillAttribute: string | undefined;
  seats: number;
  log: SimulationEvent[];
  /** Wall-clock milliseconds spent in the matching pass (the only non-deterministic figure). */
  passMs: number;
}

interface Game {
  id: string;
  endsAt: number;
  /** Team slot name → players connected now. */
  teams: Map<string, Player[]>;
  region: string | undefined;
  openSince: number | undefined;
  backfillTicketId: string | undefined;
}

function skillAttributeOf(program: QueueProgram, model: SimulationModel): string | undefined {
  if (model.skillAttribute !== undefined) return model.skillAttribute;
  if (program.algorithm.balancedAttribute !== undefined) return program.algorithm.balancedAttribute;
  const declared = program.attributes.find((spec) => spec.type === 'number' && !spec.name.startsWith('#'));
  if (declared !== undefined) return declared.name;
  return Object.entries(model.attributes).find(
    ([, distribution]) => 'normal' in distribution || 'uniform' in distribution,
  )?.[0];
}

function draw(random: () => number, distribution: AttributeDistribution): AttributeValue {
  if ('normal' in distribution)
    return {
      kind: 'number',
      value: Math.round(normal(random, distribution.normal.mean, distribution.normal.deviation)),
    };
  if ('uniform' in distribution) {
    const { min, max } = distribution.uniform;
    return { kind: 'number', value: Math.round(min + random() * (max - min)) };
  }
  if ('oneOf' in distribution) {
    const weights = distribution.weights ?? distribution.oneOf.map(() => 1);
    return { kind: 'string', value: distribution.oneOf[weightedIndex(random, weights)] ?? '' };
  }
  return { kind: 'string_list', value: distribution.someOf.filter(() => random() < distribution.chance) };
}

function rateAt(model: SimulationModel, second: number): number {
  if (typeof model.rate === 'number') return model.rate;
  let rate = 0;
  for (const step of model.rate) if (step.fromSecond <= second) rate = step.perSecond;
  return rate;
}

/** The region where everyone's worst latency is lowest (where the game server would run). */
function gameRegion(players: readonly Player[]): string | undefined {
  let best: string | undefined;
  let bestWorst = Number.POSITIVE_INFINITY;
  const regions = new Set(players.flatMap((player) => Object.keys(player.latencyInMs)));
  for (const region of regions) {
    let worst = 0;
    for (const player of players)
      worst = Math.max(worst, player.latencyInMs[region] ?? Number.POSITIVE_INFINITY);
    if (worst < bestWorst) {
      bestWorst = worst;
      best = region;
    }
  }
  return best;
}

function percentileTenths(connected: number, seats: number): number {
  return Math.min(10, Math.floor((connected / Math.max(1, seats)) * 10));
}

export function simulateQueue(
  program: QueueProgram,
  model: SimulationModel,
  recorded?: readonly RecordedArrival[],
  /** Matching pass options (a comparison run, say oldest-first anchoring with seasonedAgeMs 0). */
  passOptions?: PassOptions,
): SimulationRun {
  const playfab = program.dialect === 'playfab' ? (program as PlayFabQueueProgram).playfab : undefined;
  const skillAttribute = skillAttributeOf(program, model);
  const seatsPerTeam = new Map(program.teamSlots.map((slot) => [slot.name, slot.maxPlayers.base]));
  const seats = program.totalMaxPlayers;
  // Separate streams, so a rule-set change that alters departures leaves arrivals untouched.
  const arrivals = seededRandom(model.seed);
  const departures = seededRandom(model.seed ^ 0x9e3779b9);
  const leaveChancePerSecond = 1 - (1 - model.leaveChancePerMinute) ** (1 / 60);
  const waiting = new Map<string, PoolTicket>();
  const backfills = new Map<string, { ticket: PoolTicket; game: Game }>();
  const games = new Map<string, Game>();
  const log: SimulationEvent[] = [];
  let passMs = 0;
  let nextTicket = 0;
  let nextGame = 0;
  let nextMatch = 0;
  let nextPlayer = 0;
  let recordedIndex = 0;

  const skillOf = (player: Player): number | undefined => {
    if (skillAttribute === undefined) return undefined;
    const value = player.attributes[skillAttribute];
    if (value?.kind === 'number') return value.value;
    const declared = program.attributes.find((spec) => spec.name === skillAttribute)?.defaultValue;
    return typeof declared === 'number' ? declared : undefined;
  };
  const connected = (game: Game): number => {
    let total = 0;
    for (const members of game.teams.values()) total += members.length;
    return total;
  };
  const newParty = (size: number): Player[] => {
    const shared: Record<string, AttributeValue> = {};
    for (const [name, distribution] of Object.entries(model.attributes))
      shared[name] = draw(arrivals, distribution);
    return Array.from({ length: size }, () => {
      const attributes: Record<string, AttributeValue> = {};
      for (const [name, value] of Object.entries(shared))
        attributes[name] =
          value.kind === 'number' && size > 1
            ? { kind: 'number', value: Math.round(normal(arrivals, value.value, model.partyDeviation)) }
            : value;
      const latencyInMs: Record<string, number> = {};
      for (const [region, spread] of Object.entries(model.latency))
        latencyInMs[region] = Math.max(1, Math.round(normal(arrivals, spread.mean, spread.deviation)));
      if (playfab?.latencyAttributeKey !== undefined)
        attributes[playfab.latencyAttributeKey] = { kind: 'string_number_map', value: { ...latencyInMs } };
      return { playerId: `p${nextPlayer++}`, attributes, latencyInMs };
    });
  };
  const addTicket = (players: Player[], startTime: number, ticketId = `t${nextTicket++}`): void => {
    waiting.set(ticketId, { ticketId, kind: 'matchmaking', startTime, players });
    log.push({ type: 'arrival', t: startTime, ticketId, players: players.length });
  };
  const cancelBackfill = (game: Game): void => {
    if (game.backfillTicketId !== undefined) backfills.delete(game.backfillTicketId);
    game.backfillTicketId = undefined;
  };
  const requestBackfill = (game: Game, nowMs: number): void => {
    cancelBackfill(game);
    if (!model.backfill) return;
    const players: Player[] = [];
    for (const [team, members] of game.teams)
      for (const member of members) {
        // As StartMatchBackfill: latency only for the game's region; PlayFab marks backfill members.
        const latencyInMs: Record<string, number> =
          game.region === undefined
            ? {}
            : { [game.region]: playfab !== undefined ? 0 : (member.latencyInMs[game.region] ?? 0) };
        const attributes =
          playfab !== undefined
            ? { ...member.attributes, [RESERVED_ATTRIBUTE.backfill]: { kind: 'number' as const, value: 1 } }
            : member.attributes;
        players.push({ ...member, attributes, latencyInMs, team });
      }
    const ticket: PoolTicket = {
      ticketId: `bf${nextTicket++}`,
      kind: 'backfill',
      startTime: nowMs,
      players,
      gameSessionId: game.id,
    };
    game.backfillTicketId = ticket.ticketId;
    backfills.set(ticket.ticketId, { ticket, game });
    log.push({
      type: 'backfill-request',
      t: nowMs,
      gameId: game.id,
      ticketId: ticket.ticketId,
      openSeats: seats - players.length,
    });
  };

  const lastSecond = model.seconds;
  for (let second = 1; second <= lastSecond; second++) {
    const nowMs = SIMULATION_START_MS + second * SECOND;
    // Arrivals during the second that just ended, each at its own instant within it.
    if (recorded !== undefined) {
      while (recordedIndex < recorded.length) {
        const arrival = recorded[recordedIndex] as RecordedArrival;
        const at = SIMULATION_START_MS + Math.round(arrival.at * SECOND);
        if (at > nowMs) break;
        addTicket(recordedPlayers(arrival), at, arrival.ticketId);
        recordedIndex++;
      }
    } else {
      const rate = rateAt(model, second - 1);
      const count = Math.floor(rate) + (arrivals() < rate - Math.floor(rate) ? 1 : 0);
      const partyWeights = model.parties.map((party) => party.weight);
      const times = Array.from(
        { length: count },
        () => nowMs - SECOND + Math.floor(arrivals() * SECOND),
      ).sort((left, right) => left - right);
      for (const startTime of times) {
        const size = model.parties[weightedIndex(arrivals, partyWeights)]?.size ?? 1;
        addTicket(newParty(size), startTime);
      }
    }

    for (const [ticketId, ticket] of waiting) {
      const waitedMs = nowMs - ticket.startTime;
      if (waitedMs >= model.timeoutSeconds * SECOND) {
        waiting.delete(ticketId);
        log.push({ type: 'timeout', t: nowMs, ticketId, players: ticket.players.length, waitedMs });
      }
    }

    const pool = [...waiting.values()];
    for (const entry of backfills.values()) pool.push(entry.ticket);
    const started = performance.now();
    const result = runMatchmakingPass(program, pool, nowMs, passOptions);
    passMs += performance.now() - started;
    for (const invalid of result.invalidBackfills) {
      const entry = backfills.get(invalid.ticketId);
      if (entry !== undefined) cancelBackfill(entry.game);
    }

    for (const match of result.matches) {
      const joining = new Map<string, Player>();
      const tickets: Array<{ ticketId: string; players: number; waitedMs: number }> = [];
      for (const id of match.ticketIds) {
        const ticket = waiting.get(id);
        if (ticket === undefined) continue;
        tickets.push({ ticketId: id, players: ticket.players.length, waitedMs: nowMs - ticket.startTime });
        for (const player of ticket.players) joining.set(player.playerId, player);
        waiting.delete(id);
      }
      const request =
        match.backfillTicketId === undefined ? undefined : backfills.get(match.backfillTicketId);
      let game: Game;
      if (request !== undefined) {
        game = request.game;
        backfills.delete(request.ticket.ticketId);
        game.backfillTicketId = undefined;
        for (const team of match.teams) {
          const members = game.teams.get(team.name) ?? [];
          for (const member of team.players) {
            const player = joining.get(member.playerId);
            if (player !== undefined) members.push(player);
          }
          game.teams.set(team.name, members);
        }
      } else {
        const players = [...joining.values()];
        game = {
          id: `g${nextGame++}`,
          endsAt: nowMs + model.gameSeconds * SECOND,
          teams: new Map(
            match.teams.map((team) => [
              team.name,
              team.players.map((member) => joining.get(member.playerId) as Player),
            ]),
          ),
          region: gameRegion(players),
          openSince: undefined,
          backfillTicketId: undefined,
        };
        games.set(game.id, game);
      }
      const teamSkills = [...game.teams.values()].map((members) =>
        members.map(skillOf).filter((skill): skill is number => skill !== undefined),
      );
      log.push({
        type: 'match',
        t: nowMs,
        matchId: `m${nextMatch++}`,
        gameId: game.id,
        ...(request !== undefined ? { backfillTicketId: request.ticket.ticketId } : {}),
        tickets,
        teamSkills,
        drivingAgeMs: match.evaluation.drivingAgeMs,
        expansionSteps: program.expansions.map(
          (expansion) =>
            expansion.steps.filter((step) => step.atAgeMs <= match.evaluation.drivingAgeMs).length,
        ),
      });
      if (connected(game) >= seats) {
        if (game.openSince !== undefined)
          log.push({ type: 'game-filled', t: nowMs, gameId: game.id, openMs: nowMs - game.openSince });
        game.openSince = undefined;
      } else {
        game.openSince ??= nowMs;
        requestBackfill(game, nowMs);
      }
    }

    // Running games: players leave at random and the game asks for backfill; games end on time.
    const gamesByFillTenths = new Array<number>(11).fill(0);
    let fullGames = 0;
    for (const [id, game] of games) {
      let left = 0;
      if (nowMs < game.endsAt)
        for (const [team, members] of game.teams) {
          const staying = members.filter(() => departures() >= leaveChancePerSecond);
          left += members.length - staying.length;
          game.teams.set(team, staying);
        }
      if (left > 0) log.push({ type: 'leave', t: nowMs, gameId: id, players: left });
      if (nowMs >= game.endsAt || connected(game) === 0) {
        cancelBackfill(game);
        games.delete(id);
        log.push({ type: 'game-end', t: nowMs, gameId: id });
        continue;
      }
      if (left > 0) {
        game.openSince ??= nowMs;
        requestBackfill(game, nowMs);
      }
      let full = true;
      for (const [team, members] of game.teams)
        if (members.length < (seatsPerTeam.get(team) ?? 0)) full = false;
      if (full) fullGames++;
      const tenths = percentileTenths(connected(game), seats);
      gamesByFillTenths[tenths] = (gamesByFillTenths[tenths] ?? 0) + 1;
    }
    log.push({
      type: 'tick',
      t: nowMs,
      waitingTickets: waiting.size,
      backfillTickets: backfills.size,
      games: games.size,
      fullGames,
      gamesByFillTenths,
    });

    if (second % model.blockSampleEverySeconds === 0)
      sampleBlockers(program, waiting, nowMs, model, skillOf, log);
  }
  return { program, model, skillAttribute, seats, log, passMs };
}

/**
 * Why do tickets wait? For the oldest waiting tickets, build the candidate a designer would
 * expect (the ticket and its nearest waiting neighbours by skill, teams filled by a snake draft,
 * up to the team sizes in force at the ticket's age) and ask the real rule evaluator which
 * rules refuse it. It is a diagnosis beside the pass, not the pass itself.
 */
function sampleBlockers(
  program: QueueProgram,
  waiting: ReadonlyMap<string, PoolTicket>,
  nowMs: number,
  model: SimulationModel,
  skillOf: (player: Player) => number | undefined,
  log: SimulationEvent[],
): void {
  const tickets = [...waiting.values()];
  const partySkill = (ticket: PoolTicket): number => {
    const skills = ticket.players.map(skillOf).filter((skill): skill is number => skill !== undefined);
    return skills.length === 0 ? 0 : skills.reduce((total, skill) => total + skill, 0) / skills.length;
  };
  const oldest = [...tickets]
    .sort((left, right) => left.startTime - right.startTime)
    .slice(0, model.blockSampleSize);
  for (const anchor of oldest) {
    const ageMs = nowMs - anchor.startTime;
    const maxima = program.teamSlots.map((slot) => valueAtAge(slot.maxPlayers, ageMs));
    const capacity = maxima.reduce((total, value) => total + value, 0);
    const anchorSkill = partySkill(anchor);
    const nearest = tickets
      .filter((ticket) => ticket !== anchor)
      .sort(
        (left, right) => Math.abs(partySkill(left) - anchorSkill) - Math.abs(partySkill(right) - anchorSkill),
      );
    const chosen: PoolTicket[] = [anchor];
    let players = anchor.players.length;
    for (const ticket of nearest) {
      if (players >= capacity) break;
      if (players + ticket.players.length > capacity) continue;
      chosen.push(ticket);
      players += ticket.players.length;
    }
    const teams: CandidateTicket[][] = program.teamSlots.map(() => []);
    const sizes = program.teamSlots.map(() => 0);
    for (const ticket of chosen.sort((left, right) => partySkill(right) - partySkill(left))) {
      let best = -1;
      for (let slot = 0; slot < sizes.length; slot++) {
        const room = (maxima[slot] ?? 0) - (sizes[slot] ?? 0);
        if (room >= ticket.players.length && (best < 0 || (sizes[slot] ?? 0) < (sizes[best] ?? 0)))
          best = slot;
      }
      if (best < 0) continue;
      teams[best]?.push(ticket);
      sizes[best] = (sizes[best] ?? 0) + ticket.players.length;
    }
    const evaluation = evaluateCandidate(
      program,
      { teams: Object.fromEntries(program.teamSlots.map((slot, index) => [slot.name, teams[index] ?? []])) },
      nowMs,
    );
    if (evaluation.passed) continue;
    const failedRules = evaluation.rules
      .filter((rule) => rule !== undefined && !rule.passed)
      .map((rule) => rule.ruleName);
    if (evaluation.teamProblems.length > 0) failedRules.push(NOT_ENOUGH_PLAYERS);
    log.push({ type: 'blocked', t: nowMs, ticketId: anchor.ticketId, waitedMs: ageMs, failedRules });
  }
}
