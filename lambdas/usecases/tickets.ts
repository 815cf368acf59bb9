import type { Player, TicketStatus } from '../engine/model';
import { isActiveStatus } from '../engine/model';
import { conflict, invalidRequest, notFound, SlotfillError } from '../shared/errors';
import type { MatchmakingEvent, TicketRecord } from '../store/records';
import { getConfigurationOrFail } from './configurations';
import type { UseCaseContext } from './context';
import { ticketEndedEvent } from './events';

export interface StartMatchmakingRequest {
  configurationName: string;
  ticketId?: string;
  players: Player[];
}

export async function startMatchmaking(
  context: UseCaseContext,
  request: StartMatchmakingRequest,
): Promise<TicketRecord> {
  const duplicates = duplicatePlayerIds(request.players);
  if (duplicates.length > 0) {
    throw invalidRequest(
      `Each player may appear once per ticket; repeated PlayerId(s): ${duplicates.join(', ')}.`,
    );
  }
  const configuration = await getConfigurationOrFail(context, request.configurationName);
  const ticket: TicketRecord = {
    ticketId: request.ticketId || context.newId(),
    kind: 'matchmaking',
    configurationName: configuration.name,
    status: 'QUEUED',
    players: request.players,
    startTime: context.now(),
    version: 1,
  };
  await context.store.createTicket(ticket);
  return ticket;
}

export async function describeTickets(context: UseCaseContext, ticketIds: string[]): Promise<TicketRecord[]> {
  return context.store.getTickets(ticketIds);
}

/** How many times a stop retries when the matchmaker moves the ticket under it. */
const STOP_ATTEMPTS = 5;

/**
 * Cancels an active ticket (matchmaking or backfill). Stopping a ticket that is already
 * cancelled succeeds and changes nothing, so a caller can retry safely.
 */
export async function stopTicket(context: UseCaseContext, ticketId: string): Promise<TicketRecord> {
  for (let attempt = 1; ; attempt++) {
    const [ticket] = await context.store.getTickets([ticketId]);
    if (!ticket) throw notFound(`Matchmaking ticket '${ticketId}' was not found.`);
    if (ticket.status === 'CANCELLED') return ticket;
    if (!isActiveStatus(ticket.status)) {
      throw invalidRequest(
        `Matchmaking ticket '${ticketId}' already ended with status ${ticket.status}; only active tickets can be stopped.`,
      );
    }
    if (ticket.status === 'PLACING' && ticket.matchId) {
      // A large match past its commit point stands; its tickets are only being moved to COMPLETED.
      const match = await context.store.getMatch(ticket.matchId);
      if (match?.state === 'COMMITTED') {
        throw conflict(
          `Matchmaking ticket '${ticketId}' was just matched (match ${ticket.matchId}) and can no longer be stopped.`,
        );
      }
    }
    try {
      const configuration = (await context.store.getConfiguration(ticket.configurationName)) ?? {
        name: ticket.configurationName,
      };
      return await endTicket(context, ticket, 'CANCELLED', 'Cancelled by request.', (ended, time) => [
        ticketEndedEvent(
          configuration,
          ended,
          'MatchmakingCancelled',
          time,
          'CANCELLED',
          'Cancelled by request.',
        ),
      ]);
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && attempt < STOP_ATTEMPTS;
      if (!raced) throw error;
    }
  }
}

/**
 * Ends a ticket and writes the events describing its end in the same transaction; `events`
 * sees the ticket as it will be stored.
 */
export async function endTicket(
  context: UseCaseContext,
  ticket: TicketRecord,
  status: TicketStatus,
  statusMessage: string,
  events: (ended: TicketRecord, time: number) => MatchmakingEvent[] = () => [],
): Promise<TicketRecord> {
  const time = context.now();
  const ended: TicketRecord = {
    ...ticket,
    status,
    statusReason: status,
    statusMessage,
    endTime: time,
    version: ticket.version + 1,
  };
  return context.store.transitionTicket(
    ticket,
    {
      ticketId: ticket.ticketId,
      expectedVersion: ticket.version,
      status,
      statusReason: status,
      statusMessage,
      endTime: time,
    },
    events(ended, time),
  );
}

function duplicatePlayerIds(players: Player[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { playerId } of players) {
    if (seen.has(playerId)) repeated.add(playerId);
    seen.add(playerId);
  }
  return [...repeated];
}
