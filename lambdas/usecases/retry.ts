import { SlotfillError } from '../shared/errors';

/** How many times a use case tries a read-then-write that lost a race to another writer. */
export const CONFLICT_ATTEMPTS = 5;

/**
 * Runs `attempt` (a fresh read and a conditional write) again while it fails with a Conflict,
 * up to CONFLICT_ATTEMPTS times; the matchmaker or another request moved the state meanwhile.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && error.reason === undefined;
      if (!raced || tries >= CONFLICT_ATTEMPTS) throw error;
    }
  }
}
