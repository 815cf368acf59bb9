/**
 * The limits and enumerations of PlayFab's queue language, without the schemas that check them
 * (definition.ts). Compiling a stored queue (compile.ts, which the matchmaker runs) needs only
 * these; keeping zod's schemas out of its imports keeps them out of the matchmaker's bundle and
 * its cold start.
 */

// ---------------------------------------------------------------------------------------------
// Limits

/** Queue and team names: 1-64 characters, letters, digits, `_` and `-`, starting with a letter or digit (PlayFab docs, "Configuring matchmaking queues"). */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Rule names: 1-255 characters, same alphabet (same page, "Common rule elements"). */
export const RULE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
/** Match size: minimum ≥ 2, maximum ≤ 100, or ≤ 32 with teams (same page, "Match size"). */
export const MIN_MATCH_SIZE = 2;
export const MAX_MATCH_SIZE = 100;
export const MAX_MATCH_SIZE_WITH_TEAMS = 32;
/** At most 20 rules per queue (same page, "Rule configuration"). */
export const MAX_RULES_PER_QUEUE = 20;
/** A queue with teams defines at least two (same page, "Teams"). */
export const MIN_TEAMS = 2;
/** Rule weight: greater than 0, at most 1000 (PlayFab docs, "Understanding rule weight"). */
export const MAX_RULE_WEIGHT = 1000;
/**
 * GiveUpAfterSeconds: PlayFab documents no range (its guide suggests 120 s). slotfill accepts
 * 1 s to one hour: a ticket must live long enough to be considered, and an unbounded lifetime
 * would let abandoned tickets block their players (2055) for ever.
 */
export const MIN_GIVE_UP_AFTER_SECONDS = 1;
export const MAX_GIVE_UP_AFTER_SECONDS = 3600;
/** A ticket can't hold more players than the largest match allows. */
export const MAX_TICKET_MEMBERS = MAX_MATCH_SIZE;
/**
 * Free text PlayFab gives no length for (entity types, server details, port names, build ids):
 * slotfill keeps at most this many characters (issue 13: unbounded text reached item limits).
 */
export const MAX_TEXT_LENGTH = 1024;
/** Custom expansion schedules: at most this many intervals (slotfill). */
export const MAX_EXPANSION_INTERVALS = 100;
/** Values of a SetIntersectionRule's default set (slotfill, as FlexMatch's string lists). */
export const MAX_SET_ENTRIES = 100;
/** Ports per ServerDetails (slotfill). */
export const MAX_SERVER_PORTS = 16;
/** The only subscription version the spec allows ("Current supported version must be 1"). */
export const SUBSCRIPTION_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Enumerations (the spec's enum datatypes)

export const ATTRIBUTE_SOURCES = ['User', 'PlayerEntity'] as const;
export const ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS = ['UseDefault', 'MatchAny'] as const;
export const ATTRIBUTE_MERGE_FUNCTIONS = ['Min', 'Max', 'Average'] as const;
export const PROTOCOL_TYPES = ['TCP', 'UDP'] as const;
/** CancellationReason enum of the spec. */
export const CANCELLATION_REASONS = ['Requested', 'Internal', 'Timeout'] as const;
/**
 * CancellationReasonString values PlayFab documents ("Handling common error cases"): finer than
 * the enum, which maps User/Server → Requested, Timeout → Timeout, the rest → Internal.
 */
export const CANCELLATION_REASON_STRINGS = [
  'User',
  'Server',
  'Timeout',
  'ServerAllocationFailed',
  'TicketUnmatchable',
  'RetryRequired',
  'Internal',
] as const;
/** Status strings of player tickets (the spec's GetMatchmakingTicketResult.Status description). */
export const MATCHMAKING_TICKET_STATUSES = [
  'WaitingForPlayers',
  'WaitingForMatch',
  'WaitingForServer',
  'Canceled',
  'Matched',
] as const;
/** Status strings of backfill tickets (GetServerBackfillTicketResult.Status description). */
export const BACKFILL_TICKET_STATUSES = ['WaitingForMatch', 'Canceled', 'Matched'] as const;
/** Subscription types named by SubscribeToMatchResourceRequest.Type's description. */
export const SUBSCRIPTION_TYPES = ['MatchInvite', 'MatchTicketStatusChange'] as const;

export type AttributeSource = (typeof ATTRIBUTE_SOURCES)[number];
export type AttributeNotSpecifiedBehavior = (typeof ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS)[number];
export type AttributeMergeFunction = (typeof ATTRIBUTE_MERGE_FUNCTIONS)[number];
export type ProtocolType = (typeof PROTOCOL_TYPES)[number];
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];
export type CancellationReasonString = (typeof CANCELLATION_REASON_STRINGS)[number];
export type MatchmakingTicketStatus = (typeof MATCHMAKING_TICKET_STATUSES)[number];
export type BackfillTicketStatus = (typeof BACKFILL_TICKET_STATUSES)[number];
