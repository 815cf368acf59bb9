import { SlotfillError } from '../shared/errors';
import type { RateCounter, RateRequest } from '../store/store';
import type { UseCaseContext } from './context';

/** Tickets a player may join per configuration and minute, unless the runtime sets another limit. */
export const DEFAULT_PLAYER_TICKETS_PER_MINUTE = 30;
/**
 * Tickets (matchmaking and backfill) the whole deployment may open per second, unless the
 * runtime sets another limit: five times FlexMatch's default StartMatchmaking quota (100/s per
 * account), so that a title never meets it before the API Gateway throttle, yet a runaway
 * client fleet is answered with the dialect's own throttling error instead of a bill.
 */
export const DEFAULT_TITLE_TICKETS_PER_SECOND = 500;
const PLAYER_WINDOW_MS = 60_000;
const TITLE_WINDOW_MS = 1_000;

/** Who a write opens or joins tickets for, and so which rate counters it must pass. */
export interface Admission {
  configurationName: string;
  /** Players joining a ticket (counted per player); none for backfills. */
  playerIds: readonly string[];
  /** The ticket a write opens (counted against the title); absent when players join one. */
  openedTicketId?: string;
}

/**
 * Runs `write` (opening a ticket, or joining one the player was invited to) once its counters
 * admit it, and refuses the request before writing anything otherwise:
 * - per player and configuration and minute: a client stuck in a create-cancel loop, or a
 *   script flooding the queue with one player's tickets, is slowed down. Backfill tickets are
 *   not counted per player: one active backfill per game session (or per player) bounds them.
 * - per title and second: every ticket opened, whoever opens it.
 */
export async function withAdmission<Result>(
  context: UseCaseContext,
  admission: Admission,
  write: () => Promise<Result>,
): Promise<Result> {
  const requests = rateRequests(context, admission);
  if (requests.length === 0) return write();
  const outcome = await context.store.admit(requests);
  if (outcome.admitted) {
    try {
      return await write();
    } catch (error) {
      // Only tickets that were really opened or joined count, and a refused request writes nothing.
      await context.store.giveBackAdmissions(outcome.admissions);
      throw error;
    }
  }
  const [first, ...rest] = outcome.limited;
  if (!first) throw new SlotfillError('Internal', 'A refused admission named no counter.');
  throw rateLimited(context, admission.configurationName, [first, ...rest]);
}

function rateRequests(context: UseCaseContext, admission: Admission): RateRequest[] {
  const now = context.now();
  const windowOf = (lengthMs: number) => ({ start: now - (now % lengthMs), lengthMs });
  const requests: RateRequest[] = [];
  const playerLimit = context.limits?.playerTicketsPerMinute ?? DEFAULT_PLAYER_TICKETS_PER_MINUTE;
  if (playerLimit > 0) {
    const window = windowOf(PLAYER_WINDOW_MS);
    for (const playerId of admission.playerIds) {
      const counter: RateCounter = {
        scope: 'player',
        configurationName: admission.configurationName,
        playerId,
      };
      requests.push({ counter, window, limit: playerLimit });
    }
  }
  const titleLimit = context.limits?.titleTicketsPerSecond ?? DEFAULT_TITLE_TICKETS_PER_SECOND;
  if (titleLimit > 0 && admission.openedTicketId !== undefined) {
    const counter: RateCounter = { scope: 'title', spreadBy: admission.openedTicketId };
    requests.push({ counter, window: windowOf(TITLE_WINDOW_MS), limit: titleLimit });
  }
  return requests;
}

function rateLimited(
  context: UseCaseContext,
  configurationName: string,
  limited: readonly [RateRequest, ...RateRequest[]],
): SlotfillError {
  const players = limited.flatMap(({ counter }) => (counter.scope === 'player' ? [counter.playerId] : []));
  // A player's minute says more than the title's second: it is named when both refused.
  const refusedBy = limited.find(({ counter }) => counter.scope === 'player') ?? limited[0];
  const { window, limit } = refusedBy;
  const retryAfterSeconds = Math.max(1, Math.ceil((window.start + window.lengthMs - context.now()) / 1000));
  const message =
    players.length > 0
      ? `Too many tickets: ${players.join(', ')} joined ${limit} tickets of '${configurationName}' this minute; ` +
        `retry in ${retryAfterSeconds} s.`
      : `Too many tickets: this service opens at most ${limit} tickets a second across all configurations; ` +
        `retry in ${retryAfterSeconds} s.`;
  return new SlotfillError('LimitExceeded', message, { players, retryAfterSeconds }, 'RateLimited');
}
