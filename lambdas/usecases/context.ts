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
}

export interface UseCaseLimits {
  /** Tickets one player may join per configuration and minute; 0 turns the limit off. */
  playerTicketsPerMinute?: number;
}

export function systemContext(store: MatchmakingStore, limits?: UseCaseLimits): UseCaseContext {
  return { store, now: () => Date.now(), newId: () => randomUUID(), ...(limits ? { limits } : {}) };
}
