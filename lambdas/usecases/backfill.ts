import type { Player } from '../engine/model';
import { isActiveStatus } from '../engine/model';
import type { ServerDetails } from '../engine/queues/definition';
import type { QueueProgram } from '../engine/rules';
import { failure, invalidRequest } from '../shared/errors';
import type { RuleLanguage, TicketRecord } from '../store/records';
import type { SessionSlotTakeover } from '../store/store';
import { type Principal, policy } from './access';
import type { UseCaseContext } from './context';
import { ticketEndedEvent } from './events';
import { isQueueProgram, programOf } from './programs';
import { withAdmission } from './rate-limits';
import { retryOnConflict } from './retry';
import {
  announceOpened,
  checkDistinct,
  checkSize,
  checkStorable,
  configurationFor,
  createWithLocks,
  type PlayersOf,
} from './tickets';

export interface OpenBackfillRequest {
  configurationName: string;
  language?: RuleLanguage;
  ticketId?: string;
  /** Every player in the game now, each with its team when it has one. */
  players: PlayersOf;
  /**
   * The game session being filled: it has one active backfill, and a new request replaces the
   * previous one. Without a session, each player may be in one active backfill per configuration.
   */
  gameSessionArn?: string;
  /** How joining players reach the game server. */
  serverDetails?: ServerDetails;
  timeoutSeconds?: number;
}

/**
 * Game session ARNs carry their Region (`arn:aws:gamelift:<region>::gamesession/...`); latency
 * may only be reported for that Region, because the players are already playing there.
 */
export function regionOfGameSession(gameSessionArn: string): string | undefined {
  const parts = gameSessionArn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] ? parts[3] : undefined;
}

/**
 * Asks the matchmaker to fill a running game's open slots. Only game servers may. A game
 * session's new backfill cancels the previous one in the same transaction, so two requests
 * racing for one session can never both stay active; a backfill without a session locks its
 * players instead (MembershipLimit when one is in another backfill).
 */
export async function openBackfill(
  context: UseCaseContext,
  principal: Principal,
  request: OpenBackfillRequest,
): Promise<TicketRecord> {
  policy.requireServer(principal, 'Opening a backfill ticket');
  const configuration = await configurationFor(context, request.configurationName, request.language);
  const program = await programOf(context, configuration);
  const players = request.players(program);
  checkDistinct(players.map((p) => p.playerId));
  checkSize(program, players.length, 'backfill', request.gameSessionArn === undefined);
  checkStorable(players);
  if (isQueueProgram(program)) checkQueuePlayers(players, program, request.serverDetails);
  else checkTeams(players);
  if (request.gameSessionArn) checkSessionRegion(players, request.gameSessionArn);
  const ticket: TicketRecord = {
    ticketId: request.ticketId || context.newId(),
    kind: 'backfill',
    configurationName: configuration.name,
    status: 'QUEUED',
    players,
    startTime: context.now(),
    version: 1,
    ...(request.gameSessionArn ? { gameSessionArn: request.gameSessionArn } : {}),
    ...(request.serverDetails ? { serverDetails: request.serverDetails } : {}),
    ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
  };
  const { gameSessionArn } = request;
  const admission = { configurationName: configuration.name, playerIds: [], openedTicketId: ticket.ticketId };
  return withAdmission(context, admission, async () => {
    if (!gameSessionArn) {
      await createWithLocks(context, ticket);
      return ticket;
    }
    return retryOnConflict(async () => {
      const slot = await readSlot(context, gameSessionArn, configuration);
      await context.store.createBackfillTicket(ticket, slot);
      if (slot.replaced) context.observer?.ticketCancelled(configuration.name);
      announceOpened(context, ticket);
      return ticket;
    });
  });
}

async function readSlot(
  context: UseCaseContext,
  gameSessionArn: string,
  configuration: { name: string; customEventData?: string },
): Promise<SessionSlotTakeover> {
  const heldBy = await context.store.getSessionBackfill(gameSessionArn);
  if (heldBy === undefined) return {};
  const [held] = await context.store.getTickets([heldBy]);
  if (!held || !isActiveStatus(held.status)) return { heldBy };
  const time = context.now();
  const message = 'Replaced by a newer backfill request for the same game session.';
  const after: TicketRecord = {
    ...held,
    status: 'CANCELLED',
    statusReason: 'CANCELLED',
    statusMessage: message,
    endTime: time,
    version: held.version + 1,
  };
  return {
    heldBy,
    replaced: {
      change: { before: held, after },
      event: ticketEndedEvent(configuration, after, 'MatchmakingCancelled', time, 'CANCELLED', message),
    },
  };
}

/** A rule set's backfill: every player already in the game is on one of its teams. */
function checkTeams(players: Player[]): void {
  for (const player of players) {
    if (!player.team)
      throw invalidRequest(`Player ${player.playerId} has no Team; every backfill player needs one.`);
  }
}

/** A game session's players report latency only for the session's Region. */
function checkSessionRegion(players: Player[], gameSessionArn: string): void {
  const region = regionOfGameSession(gameSessionArn);
  if (region === undefined) return;
  for (const player of players) {
    const foreign = Object.keys(player.latencyInMs).filter((r) => r !== region);
    if (foreign.length > 0) {
      throw invalidRequest(
        `Player ${player.playerId} reports latency for ${foreign.join(', ')}; a backfill may only report latency for the game session's Region (${region}).`,
      );
    }
  }
}

/** A queue's backfill: teams the queue has, and the server's Region when a rule selects regions. */
function checkQueuePlayers(
  players: Player[],
  program: QueueProgram,
  serverDetails: ServerDetails | undefined,
): void {
  if (!isQueueProgram(program)) return;
  const { teamNames, config } = program.playfab;
  for (const player of players) {
    if (player.team === undefined) continue;
    if (teamNames.length === 0) {
      throw failure(
        'InvalidRequest',
        'InvalidBackfillMember',
        `Member '${player.playerId}' has TeamId '${player.team}', but queue '${config.Name}' has no teams; omit TeamId.`,
      );
    }
    if (!teamNames.includes(player.team)) {
      throw failure(
        'InvalidRequest',
        'InvalidBackfillMember',
        `Member '${player.playerId}' has TeamId '${player.team}', which is not a team of queue '${config.Name}' (${teamNames.join(', ')}).`,
      );
    }
  }
  if (config.RegionSelectionRule !== undefined && !serverDetails?.Region) {
    throw failure(
      'InvalidRequest',
      'InvalidBackfillMember',
      `Queue '${config.Name}' has a RegionSelectionRule: a backfill ticket must give ServerDetails.Region, the region the game is played in.`,
    );
  }
}
