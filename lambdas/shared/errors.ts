/**
 * Dialect-neutral failures. Use cases and the store throw these; each dialect maps the kind
 * to its own error name, status and envelope, so both dialects report the same fault the
 * same way.
 */
export type FailureKind =
  /** The request is wrong and retrying it unchanged will fail again. */
  | 'InvalidRequest'
  /** A named resource does not exist. */
  | 'NotFound'
  /** The request conflicts with the current state (in use, already exists, already ended). */
  | 'Conflict'
  /** A per-player or per-resource limit is exhausted. */
  | 'LimitExceeded'
  /** The caller may not do this. */
  | 'Unauthorized'
  /** Too many concurrent writers to one resource; the same request succeeds when retried. */
  | 'Busy'
  /** Our fault or a dependency's; the caller may retry. */
  | 'Internal';

/**
 * Why, more precisely than the kind, when a dialect has a distinct error for it. Each dialect
 * maps a reason to its own wire error (a PlayFab error code, a FlexMatch exception); a reason
 * it has no special error for falls back to the kind.
 */
export type FailureReason =
  /** The ticket was matched already: it can no longer be cancelled or joined. */
  | 'AlreadyCompleted'
  /** The player is on the ticket already. */
  | 'AlreadyJoined'
  /** A player appears twice in one request. */
  | 'DuplicatePlayers'
  /** More players than the configuration's rules take in one ticket. */
  | 'TooLarge'
  /** A backfill ticket named where a matchmaking ticket is expected, or the reverse. */
  | 'WrongTicketKind'
  /** Invited players already hold the most pending invitations; details.invitees lists them. */
  | 'InvitationLimit'
  /** Players already hold an active ticket of this kind; details.holders lists them. */
  | 'MembershipLimit'
  /** Only a game server (not a player) may do this. */
  | 'ServerOnly'
  /** A player acting on a ticket, match or player that is not theirs. */
  | 'NotOwner'
  /** A backfill member the configuration's rules can't place (unknown team, missing region). */
  | 'InvalidBackfillMember'
  /** A rule set or queue definition with problems; details.fieldErrors lists them by path. */
  | 'InvalidRuleDefinition'
  /** Players' data past what one stored ticket holds (storage-limits.ts). */
  | 'AttributesTooLarge'
  /** Player attributes that can't be read (e.g. malformed escaped JSON). */
  | 'InvalidPlayerAttributes'
  /** A feature slotfill does not offer. */
  | 'Unsupported'
  /** Too many requests of one player in a time window; details.retryAfterSeconds says when to retry. */
  | 'RateLimited';

/** A player that already holds an active ticket (MembershipLimit). */
export interface TicketHolder {
  playerId: string;
  /** The ticket holding the player, when the store could read it. */
  ticketId?: string;
}

export class SlotfillError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /**
     * Machine-readable extras a dialect may surface: `holders` (TicketHolder[]), `resource`
     * (what was not found: 'configuration' | 'ticket' | 'match' | 'rule set'), `fieldErrors`
     * (problems by path).
     */
    readonly details: Record<string, unknown> = {},
    readonly reason?: FailureReason,
  ) {
    super(message);
    this.name = `SlotfillError(${kind})`;
  }
}

export const invalidRequest = (message: string, details?: Record<string, unknown>): SlotfillError =>
  new SlotfillError('InvalidRequest', message, details);
export const notFound = (message: string, details?: Record<string, unknown>): SlotfillError =>
  new SlotfillError('NotFound', message, details);
export const conflict = (message: string, details?: Record<string, unknown>): SlotfillError =>
  new SlotfillError('Conflict', message, details);

/** A failure with a reason, for the faults a dialect reports with an error of its own. */
export const failure = (
  kind: FailureKind,
  reason: FailureReason,
  message: string,
  details?: Record<string, unknown>,
): SlotfillError => new SlotfillError(kind, message, details, reason);
