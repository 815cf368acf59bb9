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

export interface PoolStatistics {
  playersMatching?: number;
}

/**
 * Players waiting in regular tickets (backfill tickets stand for games already running). A
 * queue shows it to players only when its StatisticsVisibilityToPlayers says so.
 */
export async function poolStatistics(
  context: UseCaseContext,
  principal: Principal,
  request: { configurationName: string },
): Promise<PoolStatistics> {
  const configuration = await configurationFor(context, request.configurationName, undefined);
  const visibleToPlayers =
    configuration.rules.language === 'queue' &&
    configuration.rules.queue.StatisticsVisibilityToPlayers?.ShowNumberOfPlayersMatching === true;
  if (principal.kind === 'player' && !visibleToPlayers) return {};
  const pool = await context.store.readPool(configuration.name, ['QUEUED', 'SEARCHING']);
  const waiting = pool
    .filter((ticket) => ticket.kind === 'matchmaking')
    .reduce((total, ticket) => total + ticket.players.length, 0);
  return { playersMatching: waiting };
}
