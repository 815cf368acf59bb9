import { randomUUID } from 'node:crypto';
import type { MatchmakingStore } from '../store/store';

/** What every use case needs: where state lives, what time it is, and how to name new things. */
export interface UseCaseContext {
  store: MatchmakingStore;
  /** Epoch milliseconds. */
  now(): number;
  newId(): string;
  /** Abuse limits; each falls back to its documented default when absent. */
  limits?: UseCaseLimits;
  /**
   * Told when a ticket becomes QUEUED (created, or its last invitee joined), so a pass can
   * consider it at once instead of at the next scheduled one. Locally the service wakes its
   * matchmaker; in AWS nothing is injected: the table's stream invokes the matchmaker.
   */
  arrivals?: TicketArrivals;
  /**
   * Told when a ticket is opened or cancelled by request, whichever dialect asked: the API
   * functions count them as metrics (TicketsStarted, TicketsCancelled per configuration).
   */
  observer?: TicketObserver;
}

export interface TicketObserver {
  ticketStarted(configurationName: string): void;
  ticketCancelled(configurationName: string): void;
}

export interface TicketArrivals {
  ticketQueued(configurationName: string): void;
}

export interface UseCaseLimits {
  /** Tickets one player may join per configuration and minute; 0 turns the limit off. */
  playerTicketsPerMinute?: number;
  /** Tickets the whole deployment may open per second; 0 turns the limit off. */
  titleTicketsPerSecond?: number;
}

export function systemContext(
  store: MatchmakingStore,
  options: { limits?: UseCaseLimits; observer?: TicketObserver } = {},
): UseCaseContext {
  return { store, now: () => Date.now(), newId: () => randomUUID(), ...options };
}
