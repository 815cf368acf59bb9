import { randomUUID } from 'node:crypto';
import type { MatchmakingStore } from '../store/store';

/** What every use case needs: where state lives, what time it is, and how to name new things. */
export interface UseCaseContext {
  store: MatchmakingStore;
  /** Epoch milliseconds. */
  now(): number;
  newId(): string;
}

export function systemContext(store: MatchmakingStore): UseCaseContext {
  return { store, now: () => Date.now(), newId: () => randomUUID() };
}
