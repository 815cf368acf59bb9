import { SlotfillError } from '../shared/errors';
import type { UseCaseContext } from './context';

/** Tickets a player may join per configuration and minute, unless the runtime sets another limit. */
export const DEFAULT_PLAYER_TICKETS_PER_MINUTE = 30;
const WINDOW_MS = 60_000;

/**
 * Runs `write` (opening a ticket, or joining one the player was invited to) with its players
 * counted, and refuses the request before writing anything when one of them has joined too many tickets of the configuration in the
 * current minute: a client stuck in a create-cancel loop, or a script flooding the queue with
 * one player's tickets, is slowed down before it writes anything. Backfill tickets are not
 * counted: one active backfill per game session (or per player) bounds them already.
 */
export async function withAdmittedPlayers<Result>(
  context: UseCaseContext,
  configurationName: string,
  playerIds: readonly string[],
  write: () => Promise<Result>,
): Promise<Result> {
  const limit = context.limits?.playerTicketsPerMinute ?? DEFAULT_PLAYER_TICKETS_PER_MINUTE;
  if (limit <= 0 || playerIds.length === 0) return write();
  const now = context.now();
  const window = { start: now - (now % WINDOW_MS), lengthMs: WINDOW_MS };
  const outcome = await context.store.admitPlayers(configurationName, playerIds, window, limit);
  if (outcome.admitted) {
    try {
      return await write();
    } catch (error) {
      // Only tickets that were really opened or joined count, and a refused request writes nothing.
      await context.store.giveBackAdmissions(outcome.admissions);
      throw error;
    }
  }
  const retryAfterSeconds = Math.ceil((window.start + WINDOW_MS - now) / 1000);
  throw new SlotfillError(
    'LimitExceeded',
    `Too many tickets: ${outcome.limited.join(', ')} joined ${limit} tickets of '${configurationName}' this minute; ` +
      `retry in ${retryAfterSeconds} s.`,
    { players: outcome.limited, retryAfterSeconds },
    'RateLimited',
  );
}
