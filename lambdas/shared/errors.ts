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
  /** Our fault or a dependency's; the caller may retry. */
  | 'Internal';

export class SlotfillError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Machine-readable extras a dialect may surface (e.g. the players that hold a ticket). */
    readonly details: Record<string, unknown> = {},
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
