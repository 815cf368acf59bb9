/**
 * The matchmaker's metric names, modelled on FlexMatch's (CurrentTickets, MatchesCreated,
 * TimeToMatch, ...). Shared by the functions that emit them and the dashboard and alarms that
 * read them (lib/constructs/observability.ts), so the two can't drift apart.
 */
export const MATCHMAKER_METRICS = {
  currentTickets: 'CurrentTickets',
  playersWaiting: 'PlayersWaiting',
  matchesCreated: 'MatchesCreated',
  backfillsFilled: 'BackfillsFilled',
  ticketsCompleted: 'TicketsCompleted',
  ticketsTimedOut: 'TicketsTimedOut',
  ticketsFailed: 'TicketsFailed',
  timeToMatch: 'TimeToMatch',
  timeToFill: 'TimeToFill',
  passDuration: 'PassDuration',
  commitConflicts: 'CommitConflicts',
  publishFailures: 'PublishFailures',
  tickFailures: 'TickFailures',
} as const;

/** Emitted by the API handlers. */
export const API_METRICS = {
  ticketsStarted: 'TicketsStarted',
  ticketsCancelled: 'TicketsCancelled',
  /**
   * Requests answered before any use case ran: unknown operation, unreadable or invalid input,
   * failed authentication. Counted so a client sending garbage shows on the graphs (and so the
   * request's metrics buffer is never empty, which Powertools would log a warning for).
   */
  requestsRejected: 'RequestsRejected',
} as const;
