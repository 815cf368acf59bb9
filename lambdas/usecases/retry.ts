import { SlotfillError } from '../shared/errors';

/** How many times a use case tries a read-then-write that lost a race to another writer. */
export const CONFLICT_ATTEMPTS = 8;
/** Attempts made whatever the time: the budget below only cuts the later ones short. */
export const CONFLICT_MIN_ATTEMPTS = 5;
/** Upper bound of the random pause before the n-th retry: 10 ms doubling, at most 200 ms. */
const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 200;
/**
 * No new attempt starts this long after the first: under heavy contention the caller's retry
 * (after Busy) is cheaper than holding the function until its timeout answers for it.
 */
export const CONFLICT_RETRY_BUDGET_MS = 3000;

/**
 * Runs `attempt` (a fresh read and a conditional write) again while it fails with a Conflict,
 * up to CONFLICT_ATTEMPTS times (past CONFLICT_MIN_ATTEMPTS only within CONFLICT_RETRY_BUDGET_MS), after a random ("full jitter") pause that grows with each try,
 * so writers racing for one item (the matchmaker, another request, a burst of backfill requests
 * for one game session) spread out instead of colliding again. A race still lost after that is
 * contention, not the caller's mistake: it ends as Busy, which each dialect reports as an error
 * its SDKs retry.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = error instanceof SlotfillError && error.kind === 'Conflict' && error.reason === undefined;
      if (!raced) throw error;
      const overBudget = tries >= CONFLICT_MIN_ATTEMPTS && Date.now() - startedAt > CONFLICT_RETRY_BUDGET_MS;
      if (tries >= CONFLICT_ATTEMPTS || overBudget) {
        throw new SlotfillError(
          'Busy',
          `${error.message} It kept changing during ${tries} attempts; retry the request.`,
          error.details,
        );
      }
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (tries - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
