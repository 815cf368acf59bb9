import type { ServerDetails } from '../dialects/playfab/schemas';
import type { Player } from '../engine/model';
import { regionPreferences } from '../engine/queues/compile';
import { notFound, SlotfillError } from '../shared/errors';
import type { TicketRecord } from '../store/records';
import { type Caller, type PlayFabUseCaseContext, queueOrFail } from './playfab-queues';

export interface MatchView {
  matchId: string;
  /** Every player of the match with the team it plays on (undefined for a queue without teams). */
  members: Array<{ player: Player; teamId?: string }>;
  regionPreferences?: string[];
  /** The backfill ticket's ServerDetails when the match filled a running game (seed 004). */
  serverDetails?: ServerDetails;
}

/** GetMatch: a player may read a match only when they play in it. */
export async function getMatch(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string; matchId: string },
): Promise<MatchView> {
  const queue = await queueOrFail(context, request.queueName);
  const match = await context.store.getMatch(request.matchId);
  // A match still being committed in steps (RESERVING) or abandoned is not a match yet.
  if (
    !match ||
    match.configurationName !== queue.record.name ||
    (match.state !== undefined && match.state !== 'COMMITTED')
  ) {
    throw notFound(`Match '${request.matchId}' was not found in queue '${request.queueName}'.`, {
      resource: 'match',
    });
  }
  const inMatch = match.teams.some((team) =>
    team.players.some((player) => player.playerId === (caller.kind === 'player' ? caller.playerId : '')),
  );
  if (caller.kind === 'player' && !inMatch) {
    throw new SlotfillError(
      'Unauthorized',
      `The caller is not allowed to read match '${match.matchId}': not a member.`,
    );
  }
  const tickets = await context.store.getTickets(match.ticketIds);
  const players = new Map<string, Player>();
  for (const ticket of tickets) for (const player of ticket.players) players.set(player.playerId, player);
  const hasTeams = queue.program.playfab.teamNames.length > 0;
  const members = match.teams.flatMap((team) =>
    team.players.flatMap(({ playerId }) => {
      const player = players.get(playerId);
      if (!player) return [];
      return [hasTeams ? { player, teamId: team.name } : { player }];
    }),
  );
  const view: MatchView = { matchId: match.matchId, members };
  const maxLatencyAt = queue.program.playfab.maxLatencyAt;
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

export interface QueueStatistics {
  numberOfPlayersMatching?: number;
}

/**
 * GetQueueStatistics. NumberOfPlayersMatching counts players in regular tickets waiting in the
 * pool (backfill tickets stand for games already running). Players see it only when the queue's
 * StatisticsVisibilityToPlayers shows it. TimeToMatchStatisticsInSeconds is optional in the spec
 * and slotfill keeps no match-time history yet, so it is left out.
 */
export async function getQueueStatistics(
  context: PlayFabUseCaseContext,
  caller: Caller,
  request: { queueName: string },
): Promise<QueueStatistics> {
  const queue = await queueOrFail(context, request.queueName);
  if (
    caller.kind === 'player' &&
    queue.config.StatisticsVisibilityToPlayers?.ShowNumberOfPlayersMatching !== true
  ) {
    return {};
  }
  const pool = await context.store.readPool(queue.record.name, ['QUEUED', 'SEARCHING']);
  const waiting = pool
    .filter((ticket) => ticket.kind === 'matchmaking')
    .reduce((total, ticket) => total + ticket.players.length, 0);
  return { numberOfPlayersMatching: waiting };
}
