import { explainTicket, type TicketExplanation } from '../engine/explain';
import type { TicketKind, TicketStatus } from '../engine/model';
import { SlotfillError } from '../shared/errors';
import type { UseCaseContext } from './context';
import { toPoolTicket } from './pool-tickets';
import { programOf } from './programs';

/**
 * Read-only views of the matchmaker for people and servers: the pool of each configuration
 * right now, and why one ticket is still waiting. They change nothing.
 */

/** Statuses a ticket can wait in; the pool view counts them. */
const WAITING_STATUSES: readonly TicketStatus[] = [
  'WAITING_FOR_PLAYERS',
  'QUEUED',
  'SEARCHING',
  'REQUIRES_ACCEPTANCE',
  'PLACING',
];
/** Tickets listed per configuration in the pool view (the counts cover them all). */
export const POOL_VIEW_TICKETS = 500;

export interface PoolTicketView {
  ticketId: string;
  kind: TicketKind;
  status: TicketStatus;
  players: number;
  ageSeconds: number;
}

export interface ConfigurationPoolView {
  configurationName: string;
  tickets: number;
  players: number;
  byStatus: Partial<Record<TicketStatus, number>>;
  /** Oldest first, at most POOL_VIEW_TICKETS. */
  waiting: PoolTicketView[];
  /** Every waiting ticket's age, for the wait-time histogram. */
  ageSeconds: number[];
}

export async function viewPools(context: UseCaseContext): Promise<ConfigurationPoolView[]> {
  const now = context.now();
  const names = await context.store.listAllConfigurationNames();
  return Promise.all(
    names.map(async (configurationName) => {
      const pool = await context.store.readPool(configurationName, WAITING_STATUSES);
      const byStatus: Partial<Record<TicketStatus, number>> = {};
      for (const ticket of pool) byStatus[ticket.status] = (byStatus[ticket.status] ?? 0) + 1;
      const ageSeconds = pool.map((ticket) => Math.max(0, (now - ticket.startTime) / 1000));
      return {
        configurationName,
        tickets: pool.length,
        players: pool.reduce((total, ticket) => total + ticket.players.length, 0),
        byStatus,
        waiting: pool.slice(0, POOL_VIEW_TICKETS).map((ticket, index) => ({
          ticketId: ticket.ticketId,
          kind: ticket.kind,
          status: ticket.status,
          players: ticket.players.length,
          ageSeconds: ageSeconds[index] ?? 0,
        })),
        ageSeconds,
      };
    }),
  );
}

export interface WaitingReport {
  ticketId: string;
  configurationName: string;
  status: TicketStatus;
  /** Until the ticket times out, when it is still searching. */
  timesOutInSeconds?: number;
  explanation: TicketExplanation;
}

/**
 * Why a ticket is still waiting: the engine's explanation over the configuration's current
 * pool (the tickets a pass would see). NotFound for an unknown ticket.
 */
export async function explainWaitingTicket(
  context: UseCaseContext,
  ticketId: string,
): Promise<WaitingReport> {
  const [ticket] = await context.store.getTickets([ticketId]);
  if (!ticket) throw new SlotfillError('NotFound', `Ticket '${ticketId}' does not exist.`);
  const configuration = await context.store.getConfiguration(ticket.configurationName);
  if (!configuration)
    throw new SlotfillError('NotFound', `Configuration '${ticket.configurationName}' does not exist.`);
  const program = await programOf(context, configuration);
  const now = context.now();
  const pool = await context.store.readPool(configuration.name, ['QUEUED', 'SEARCHING']);
  // The pool is read eventually consistently: the ticket itself is taken from its strong read.
  const tickets = [
    ...pool.filter((other) => other.ticketId !== ticketId),
    ...(isWaiting(ticket.status) ? [ticket] : []),
  ];
  const timeoutMs = (ticket.timeoutSeconds ?? configuration.requestTimeoutSeconds) * 1000;
  return {
    ticketId,
    configurationName: configuration.name,
    status: ticket.status,
    ...(isWaiting(ticket.status)
      ? { timesOutInSeconds: Math.max(0, Math.round((ticket.startTime + timeoutMs - now) / 1000)) }
      : {}),
    explanation: explainTicket(program, tickets.map(toPoolTicket), ticketId, now),
  };
}

function isWaiting(status: TicketStatus): boolean {
  return status === 'QUEUED' || status === 'SEARCHING';
}
