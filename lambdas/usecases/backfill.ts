import type { Player } from '../engine/model';
import { isActiveStatus } from '../engine/model';
import { invalidRequest, SlotfillError } from '../shared/errors';
import type { TicketRecord } from '../store/records';
import type { SessionSlotTakeover } from '../store/store';
import { getConfigurationOrFail } from './configurations';
import type { UseCaseContext } from './context';
import { ticketEndedEvent } from './events';

export interface StartBackfillRequest {
  configurationName: string;
  gameSessionArn: string;
  ticketId?: string;
  /** Every player connected to the session now, each with its team. */
  players: Player[];
}

/** How many times a backfill request retries when another request for the session races it. */
const SLOT_ATTEMPTS = 5;

/**
 * Game session ARNs carry their Region (`arn:aws:gamelift:<region>::gamesession/...`); latency
 * may only be reported for that Region, because the players are already playing there.
 */
export function regionOfGameSession(gameSessionArn: string): string | undefined {
  const parts = gameSessionArn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts[3] ? parts[3] : undefined;
}

/**
 * Asks the matchmaker to fill a running game session's open slots. The session has one active
 * backfill ticket: a new request replaces (cancels) the previous one in the same transaction,
 * so two requests racing for one session can never both stay active.
 */
export async function startBackfill(
  context: UseCaseContext,
  request: StartBackfillRequest,
): Promise<TicketRecord> {
  checkBackfillPlayers(request);
  const configuration = await getConfigurationOrFail(context, request.configurationName);
  const ticket: TicketRecord = {
    ticketId: request.ticketId || context.newId(),
    kind: 'backfill',
    configurationName: configuration.name,
    status: 'QUEUED',
    players: request.players,
    startTime: context.now(),
    gameSessionArn: request.gameSessionArn,
    version: 1,
  };
  for (let attempt = 1; ; attempt++) {
    const slot = await readSlot(context, request.gameSessionArn, configuration);
    try {
      await context.store.createBackfillTicket(ticket, slot);
      return ticket;
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && attempt < SLOT_ATTEMPTS;
      if (!raced) throw error;
    }
  }
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

function checkBackfillPlayers(request: StartBackfillRequest): void {
  const seen = new Set<string>();
  const region = regionOfGameSession(request.gameSessionArn);
  for (const player of request.players) {
    if (seen.has(player.playerId)) {
      throw invalidRequest(
        `Each player may appear once per backfill request; repeated PlayerId: ${player.playerId}.`,
      );
    }
    seen.add(player.playerId);
    if (!player.team)
      throw invalidRequest(`Player ${player.playerId} has no Team; every backfill player needs one.`);
    const regions = Object.keys(player.latencyInMs);
    const foreign = region === undefined ? [] : regions.filter((r) => r !== region);
    if (foreign.length > 0) {
      throw invalidRequest(
        `Player ${player.playerId} reports latency for ${foreign.join(', ')}; a backfill may only report latency for the game session's Region (${region}).`,
      );
    }
  }
}
