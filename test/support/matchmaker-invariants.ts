import { isDeepStrictEqual } from 'node:util';
import { isActiveStatus, type TicketStatus } from '../../lambdas/engine/model';
import type { MatchmakingEvent, MatchmakingEventType, TicketRecord } from '../../lambdas/store/records';
import type { StoredMatch } from '../../lambdas/store/store';
import type { Item } from './matchmaker-harness';

/**
 * The matchmaker's safety properties, checked over a full table scan and the events a consumer
 * received (duplicates included: delivery is at least once, consumers de-duplicate by eventId).
 * Returns every violation as a sentence, so a failing test says what broke and where.
 */

const TERMINAL_EVENT: Record<string, MatchmakingEventType> = {
  COMPLETED: 'MatchmakingSucceeded',
  CANCELLED: 'MatchmakingCancelled',
  TIMED_OUT: 'MatchmakingTimedOut',
  FAILED: 'MatchmakingFailed',
};
const TERMINAL_TYPES = new Set<MatchmakingEventType>(Object.values(TERMINAL_EVENT));

export interface InvariantOptions {
  /** Tickets the test started (successfully): every one must still exist. */
  startedTicketIds: readonly string[];
  /** After a final drain: nothing left to publish. */
  outboxEmpty?: boolean;
  /** After recovery: no ticket reserved, no match half-committed. */
  settled?: boolean;
}

export interface InvariantReport {
  violations: string[];
  statuses: Partial<Record<TicketStatus, number>>;
  committedMatches: number;
  backfillMatches: number;
  /** Distinct events by id. */
  events: MatchmakingEvent[];
  duplicateDeliveries: number;
}

/** Distinct events by eventId; a redelivered id must carry the very same event. */
export function distinctEvents(delivered: readonly MatchmakingEvent[]): {
  events: MatchmakingEvent[];
  mismatched: string[];
} {
  const byId = new Map<string, MatchmakingEvent>();
  const mismatched: string[] = [];
  for (const event of delivered) {
    const seen = byId.get(event.eventId);
    if (!seen) byId.set(event.eventId, event);
    else if (!isDeepStrictEqual(seen, event)) mismatched.push(event.eventId);
  }
  return { events: [...byId.values()], mismatched };
}

export function checkInvariants(
  items: readonly Item[],
  delivered: readonly MatchmakingEvent[],
  options: InvariantOptions,
): InvariantReport {
  const violations: string[] = [];
  const { events, mismatched } = distinctEvents(delivered);
  for (const id of mismatched) violations.push(`event ${id} was delivered twice with different contents`);

  const tickets = new Map<string, TicketRecord>();
  const matches = new Map<string, StoredMatch>();
  const locks: Item[] = [];
  const slots: Item[] = [];
  const outbox: Item[] = [];
  for (const item of items) {
    const pk = String(item.pk);
    if (pk.startsWith('TICKET#')) tickets.set(String(item.ticketId), item as unknown as TicketRecord);
    else if (pk.startsWith('MATCH#')) matches.set(String(item.matchId), item as unknown as StoredMatch);
    else if (pk.startsWith('PLAYER#')) locks.push(item);
    else if (pk.startsWith('SESSION#')) slots.push(item);
    else if (pk.startsWith('OUTBOX#')) outbox.push(item);
  }

  // No ticket lost.
  for (const id of options.startedTicketIds) {
    if (!tickets.has(id)) violations.push(`ticket ${id} was started but is not in the table`);
  }

  // Exactly one terminal event per ended ticket, none for active ones.
  const terminal = new Map<string, MatchmakingEvent[]>();
  for (const event of events) {
    if (!TERMINAL_TYPES.has(event.type)) continue;
    for (const ticket of event.tickets) {
      const list = terminal.get(ticket.ticketId) ?? [];
      list.push(event);
      terminal.set(ticket.ticketId, list);
    }
  }
  const statuses: Partial<Record<TicketStatus, number>> = {};
  for (const ticket of tickets.values()) {
    statuses[ticket.status] = (statuses[ticket.status] ?? 0) + 1;
    const ended = terminal.get(ticket.ticketId) ?? [];
    if (isActiveStatus(ticket.status)) {
      if (ended.length > 0) {
        violations.push(
          `active ticket ${ticket.ticketId} (${ticket.status}) has terminal event(s) ${ended.map((e) => e.type).join(', ')}`,
        );
      }
      if (options.settled && ticket.status === 'PLACING')
        violations.push(`ticket ${ticket.ticketId} is still PLACING after recovery`);
      continue;
    }
    if (ended.length !== 1) {
      violations.push(
        `ended ticket ${ticket.ticketId} (${ticket.status}) has ${ended.length} terminal events${ended.length ? `: ${ended.map((e) => e.type).join(', ')}` : ''}`,
      );
      continue;
    }
    const [event] = ended as [MatchmakingEvent];
    if (event.type !== TERMINAL_EVENT[ticket.status]) {
      violations.push(
        `ticket ${ticket.ticketId} is ${ticket.status} but its terminal event is ${event.type}`,
      );
    }
    if (ticket.status === 'COMPLETED' && event.matchId !== ticket.matchId) {
      violations.push(
        `ticket ${ticket.ticketId} completed in match ${ticket.matchId} but its event names match ${event.matchId}`,
      );
    }
  }
  for (const ticketId of terminal.keys()) {
    if (!tickets.has(ticketId)) violations.push(`terminal event for unknown ticket ${ticketId}`);
  }

  // Player locks: only for active matchmaking tickets, and every such ticket holds all of its own.
  const lockOf = new Map<string, string>();
  for (const lock of locks) {
    const playerId = String(lock.playerId);
    const ticketId = String(lock.ticketId);
    lockOf.set(`${playerId}\u0000${String(lock.sk)}`, ticketId);
    const ticket = tickets.get(ticketId);
    if (!ticket) violations.push(`lock of player ${playerId} points to missing ticket ${ticketId}`);
    else if (!isActiveStatus(ticket.status))
      violations.push(`lock of player ${playerId} points to ended ticket ${ticketId} (${ticket.status})`);
    else if (!ticket.players.some((p) => p.playerId === playerId))
      violations.push(`lock of player ${playerId} points to ticket ${ticketId}, which lacks that player`);
  }
  for (const ticket of tickets.values()) {
    if (ticket.kind !== 'matchmaking' || !isActiveStatus(ticket.status)) continue;
    for (const p of ticket.players) {
      const holder = lockOf.get(`${p.playerId}\u0000LOCK#MATCHMAKING#${ticket.configurationName}`);
      if (holder !== ticket.ticketId)
        violations.push(`active ticket ${ticket.ticketId} does not hold the lock of player ${p.playerId}`);
    }
  }

  // Session slots: each holds an active backfill of that session; one active backfill per session.
  const slotHolder = new Map<string, string>();
  for (const slot of slots) {
    const session = String(slot.gameSessionArn);
    const ticketId = String(slot.ticketId);
    slotHolder.set(session, ticketId);
    const ticket = tickets.get(ticketId);
    if (ticket?.kind !== 'backfill' || ticket.gameSessionArn !== session)
      violations.push(`slot of session ${session} points to ${ticketId}, not a backfill of that session`);
    else if (!isActiveStatus(ticket.status))
      violations.push(`slot of session ${session} points to ended backfill ${ticketId} (${ticket.status})`);
  }
  const activeBackfills = new Map<string, string[]>();
  for (const ticket of tickets.values()) {
    if (ticket.kind !== 'backfill' || !isActiveStatus(ticket.status)) continue;
    const session = ticket.gameSessionArn ?? '';
    activeBackfills.set(session, [...(activeBackfills.get(session) ?? []), ticket.ticketId]);
    if (slotHolder.get(session) !== ticket.ticketId)
      violations.push(`active backfill ${ticket.ticketId} is not its session's slot holder`);
  }
  for (const [session, ids] of activeBackfills) {
    if (ids.length > 1)
      violations.push(`session ${session} has ${ids.length} active backfills: ${ids.join(', ')}`);
  }

  // Matches and their tickets agree; no player is in two matches.
  let committedMatches = 0;
  let backfillMatches = 0;
  const matchesOfPlayer = new Map<string, string[]>();
  for (const match of matches.values()) {
    if (match.state !== 'COMMITTED') {
      if (options.settled && match.state === 'RESERVING')
        violations.push(`match ${match.matchId} is still RESERVING after recovery`);
      for (const ticket of tickets.values()) {
        if (ticket.matchId === match.matchId && ticket.status === 'COMPLETED')
          violations.push(`ticket ${ticket.ticketId} completed in ${match.state} match ${match.matchId}`);
      }
      continue;
    }
    committedMatches++;
    if (match.backfillTicketId) backfillMatches++;
    for (const ticketId of match.ticketIds) {
      const ticket = tickets.get(ticketId);
      if (!ticket) violations.push(`match ${match.matchId} names missing ticket ${ticketId}`);
      else if (ticket.status !== 'COMPLETED' || ticket.matchId !== match.matchId)
        violations.push(
          `match ${match.matchId} names ticket ${ticketId}, which is ${ticket.status} with matchId ${ticket.matchId}`,
        );
    }
    for (const team of match.teams) {
      for (const member of team.players) {
        // Players already in a backfilled session were matched before; only newcomers count.
        if (member.ticketId === match.backfillTicketId) continue;
        matchesOfPlayer.set(member.playerId, [
          ...(matchesOfPlayer.get(member.playerId) ?? []),
          match.matchId,
        ]);
      }
    }
  }
  for (const [playerId, ids] of matchesOfPlayer) {
    if (ids.length > 1) violations.push(`player ${playerId} is in ${ids.length} matches: ${ids.join(', ')}`);
  }
  const completedOfPlayer = new Map<string, string[]>();
  for (const ticket of tickets.values()) {
    if (ticket.status !== 'COMPLETED') continue;
    const match = ticket.matchId ? matches.get(ticket.matchId) : undefined;
    if (match?.state !== 'COMMITTED' || !match.ticketIds.includes(ticket.ticketId))
      violations.push(
        `COMPLETED ticket ${ticket.ticketId} is not in a committed match (matchId ${ticket.matchId})`,
      );
    if (ticket.kind !== 'matchmaking') continue;
    for (const p of ticket.players)
      completedOfPlayer.set(p.playerId, [...(completedOfPlayer.get(p.playerId) ?? []), ticket.ticketId]);
  }
  for (const [playerId, ids] of completedOfPlayer) {
    if (ids.length > 1)
      violations.push(`player ${playerId} is in ${ids.length} COMPLETED tickets: ${ids.join(', ')}`);
  }

  // Every success event reports a committed match exactly.
  for (const event of events) {
    if (event.type !== 'MatchmakingSucceeded') continue;
    const match = event.matchId ? matches.get(event.matchId) : undefined;
    if (match?.state !== 'COMMITTED') {
      violations.push(
        `MatchmakingSucceeded ${event.eventId} names match ${event.matchId}, which is not committed`,
      );
    } else if (
      event.tickets
        .map((t) => t.ticketId)
        .sort()
        .join() !== [...match.ticketIds].sort().join()
    ) {
      violations.push(
        `MatchmakingSucceeded for ${match.matchId} lists other tickets than the match: ${JSON.stringify(event.tickets.map((t) => t.ticketId))} vs ${JSON.stringify(match.ticketIds)}`,
      );
    }
  }

  if (options.outboxEmpty && outbox.length > 0)
    violations.push(`${outbox.length} event(s) left in the outbox`);

  return {
    violations,
    statuses,
    committedMatches,
    backfillMatches,
    events,
    duplicateDeliveries: delivered.length - events.length,
  };
}

/** Distinct events of one type naming a ticket. */
export function eventsOfTicket(
  events: readonly MatchmakingEvent[],
  ticketId: string,
  type?: MatchmakingEventType,
): MatchmakingEvent[] {
  return events.filter(
    (e) => (type === undefined || e.type === type) && e.tickets.some((t) => t.ticketId === ticketId),
  );
}
