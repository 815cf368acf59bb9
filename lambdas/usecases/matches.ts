import type { Player } from '../engine/model';
import { regionPreferences } from '../engine/queues/compile';
import type { ServerDetails } from '../engine/queues/definition';
import { notFound } from '../shared/errors';
import type { TicketRecord } from '../store/records';
import { type Principal, policy } from './access';
import type { UseCaseContext } from './context';
import { isQueueProgram, programOf } from './programs';
import { configurationFor } from './tickets';

export interface MatchView {
  matchId: string;
  /** Every player of the match with the team it plays on (undefined for rules without teams). */
  members: Array<{ player: Player; teamId?: string }>;
  regionPreferences?: string[];
  /** The backfill ticket's server details when the match filled a running game. */
  serverDetails?: ServerDetails;
}

/** A committed match of the configuration, for the principal (a player only when they play in it). */
export async function readMatch(
  context: UseCaseContext,
  principal: Principal,
  request: { configurationName: string; matchId: string },
): Promise<MatchView> {
  const configuration = await configurationFor(context, request.configurationName, undefined);
  const program = await programOf(context, configuration);
  const match = await context.store.getMatch(request.matchId);
  // A match still being committed in steps (RESERVING) or abandoned is not a match yet.
  if (
    !match ||
    match.configurationName !== configuration.name ||
    (match.state !== undefined && match.state !== 'COMMITTED')
  ) {
    throw notFound(`Match '${request.matchId}' was not found.`, { resource: 'match' });
  }
  policy.requireInMatch(principal, match);
  const tickets = await context.store.getTickets(match.ticketIds);
  const players = new Map<string, Player>();
  for (const ticket of tickets) for (const player of ticket.players) players.set(player.playerId, player);
  const hasTeams = !isQueueProgram(program) || program.playfab.teamNames.length > 0;
  const members = match.teams.flatMap((team) =>
    team.players.flatMap(({ playerId }) => {
      const player = players.get(playerId);
      if (!player) return [];
      return [hasTeams ? { player, teamId: team.name } : { player }];
    }),
  );
  const view: MatchView = { matchId: match.matchId, members };
  const maxLatencyAt = isQueueProgram(program) ? program.playfab.maxLatencyAt : undefined;
  if (maxLatencyAt) {
    // The rule's limit when the match formed, driven by the oldest ticket's age as in the pass.
    const oldest = Math.min(...tickets.map((ticket) => ticket.startTime));
    const maxLatency = maxLatencyAt(Math.max(0, match.createdAt - oldest)) ?? Number.POSITIVE_INFINITY;
    view.regionPreferences = regionPreferences(
      members.map((member) => member.player),
      maxLatency,
    );
  }
  const backfill: TicketRecord | undefined = tickets.find(
    (ticket) => ticket.ticketId === match.backfillTicketId,
  );
  if (backfill?.serverDetails) view.serverDetails = backfill.serverDetails;
  return view;
}

export interface WaitStatistics {
  average: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface PoolStatistics {
  playersMatching?: number;
  /** Seconds matched tickets waited, over the last TIME_TO_MATCH_WINDOW_MS; absent without matches. */
  timeToMatch?: WaitStatistics;
}

/** The window time-to-match statistics cover: matches of the last ten minutes. */
export const TIME_TO_MATCH_WINDOW_MS = 10 * 60 * 1000;

/**
 * Players waiting in regular tickets (backfill tickets stand for games already running), and
 * how long recently matched tickets waited. A queue shows each to players only when its
 * StatisticsVisibilityToPlayers says so; game servers see both.
 */
export async function poolStatistics(
  context: UseCaseContext,
  principal: Principal,
  request: { configurationName: string },
): Promise<PoolStatistics> {
  const configuration = await configurationFor(context, request.configurationName, undefined);
  const visibility =
    configuration.rules.language === 'queue'
      ? configuration.rules.queue.StatisticsVisibilityToPlayers
      : undefined;
  const server = principal.kind !== 'player';
  const statistics: PoolStatistics = {};
  if (server || visibility?.ShowNumberOfPlayersMatching === true) {
    const pool = await context.store.readPool(configuration.name, ['QUEUED', 'SEARCHING']);
    statistics.playersMatching = pool
      .filter((ticket) => ticket.kind === 'matchmaking')
      .reduce((total, ticket) => total + ticket.players.length, 0);
  }
  if (server || visibility?.ShowTimeToMatch === true) {
    const waits = await context.store.readMatchWaits(
      configuration.name,
      context.now() - TIME_TO_MATCH_WINDOW_MS,
    );
    if (waits.length > 0) statistics.timeToMatch = waitStatistics(waits);
  }
  return statistics;
}

/** Mean and nearest-rank percentiles. */
export function waitStatistics(waits: readonly number[]): WaitStatistics {
  const sorted = [...waits].sort((a, b) => a - b);
  const percentile = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
  return {
    average: sorted.reduce((total, wait) => total + wait, 0) / sorted.length,
    p50: percentile(0.5),
    p90: percentile(0.9),
    p99: percentile(0.99),
  };
}
