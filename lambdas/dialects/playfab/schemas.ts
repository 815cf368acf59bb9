/**
 * Request schemas and response types of PlayFab Matchmaking (`POST /Match/<Operation>`), written
 * by hand from the official PlayFab Multiplayer API spec (`Legacy/PlayFab/Multiplayer.api.json`)
 * and checked against it by test/dialects/playfab/spec-conformance.test.ts: every property the
 * spec lists and no other, with the spec's required-ness and JSON types.
 *
 * Field names are the spec's (PascalCase, as on the wire). Constraints beyond the spec's types
 * come from PlayFab's published documentation and are listed next to each constant below with
 * where they come from; a few are slotfill's own and say so.
 *
 * Decisions:
 * - Unknown members are dropped (zod's default strip): PlayFab's .NET model binding ignores them.
 * - A JSON `null` on an optional member means "absent" (the PlayFab SDKs serialise unset
 *   nullable members as null); on a required member it is "required".
 * - The queue configuration uses the spec's typed rule lists (DifferenceRules,
 *   StringEqualityRules, ...). PlayFab's tutorials show an older `Rules: [{Type, ...}]` form;
 *   the spec does not have it, so neither do we.
 * - Checks that involve several fields of a queue (team sizes against match sizes, the 20-rule
 *   limit, unique rule names, expansion shapes) live in queue-compile.ts, which reports every
 *   problem with its path; the schema only checks what each field can check alone.
 */
import * as z from 'zod';

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
/** The only subscription version the spec allows ("Current supported version must be 1"). */
export const SUBSCRIPTION_VERSION = 1;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

// ---------------------------------------------------------------------------------------------
// Field builders. Messages are phrases completed by the field name in envelope.ts
// ("The field QueueName must be ..."), so each states what a valid value looks like.

/** An optional member: absent, or null (treated as absent). */
function optional<Schema extends z.ZodType>(schema: Schema) {
  // The outer optional marks the key optional (in the type too); the preprocess turns null into absent.
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional()).optional();
}

const text = () => z.string();
const nonEmptyText = () => z.string().min(1, { error: 'must not be empty' });
const int32 = () =>
  z
    .number()
    .int({ error: 'must be a whole number' })
    .min(INT32_MIN, { error: `must be at least ${INT32_MIN}` })
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` });
const uint32 = () =>
  z
    .number()
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .max(UINT32_MAX, { error: `must be at most ${UINT32_MAX}` });
const double = () => z.number();
const bool = () => z.boolean();
const stringMap = () => z.record(z.string(), z.string());
/** A JSON object of any shape (the spec's `object` type). */
const jsonObject = () => z.record(z.string(), z.unknown());

const queueName = () =>
  z.string().regex(QUEUE_NAME_PATTERN, {
    error: "must be 1 to 64 characters of letters, digits, '_' and '-', starting with a letter or digit",
  });
const ruleName = () =>
  z.string().regex(RULE_NAME_PATTERN, {
    error: "must be 1 to 255 characters of letters, digits, '_' and '-', starting with a letter or digit",
  });
const weight = () =>
  z
    .number()
    .gt(0, { error: 'must be greater than 0' })
    .max(MAX_RULE_WEIGHT, { error: `must be at most ${MAX_RULE_WEIGHT}` });
/** Expansion interval: at least one second, or the schedule never advances. */
const secondsBetweenExpansions = () => uint32().min(1, { error: 'must be at least 1' });
const giveUpAfterSeconds = () =>
  int32()
    .min(MIN_GIVE_UP_AFTER_SECONDS, { error: `must be at least ${MIN_GIVE_UP_AFTER_SECONDS}` })
    .max(MAX_GIVE_UP_AFTER_SECONDS, { error: `must be at most ${MAX_GIVE_UP_AFTER_SECONDS}` });

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

const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

// ---------------------------------------------------------------------------------------------
// Shared datatypes

export const EntityKeySchema = z.object({
  Id: nonEmptyText(),
  Type: optional(text()),
  TypeString: optional(text()),
});

export const MatchmakingPlayerAttributesSchema = z.object({
  DataObject: optional(jsonObject()),
  EscapedDataObject: optional(text()),
});

export const MatchmakingPlayerSchema = z.object({
  Attributes: optional(MatchmakingPlayerAttributesSchema),
  Entity: EntityKeySchema,
});

export const MatchmakingPlayerWithTeamAssignmentSchema = z.object({
  Attributes: optional(MatchmakingPlayerAttributesSchema),
  Entity: EntityKeySchema,
  TeamId: optional(text()),
});

export const PortSchema = z.object({
  Name: text(),
  Num: int32()
    .min(0, { error: 'must be a port number from 0 to 65535' })
    .max(65535, { error: 'must be a port number from 0 to 65535' }),
  Protocol: oneOf(PROTOCOL_TYPES),
});

export const ServerDetailsSchema = z.object({
  Fqdn: optional(text()),
  // Not validated: the seed documents IPV4Address as free text that may carry any connect string.
  IPV4Address: optional(text()),
  Ports: optional(z.array(PortSchema)),
  Region: optional(text()),
  ServerId: optional(text()),
});

// ---------------------------------------------------------------------------------------------
// Queue configuration

export const QueueRuleAttributeSchema = z.object({
  Path: nonEmptyText(),
  Source: oneOf(ATTRIBUTE_SOURCES),
});

/** An override list entry: a value, or null to switch the rule off for that interval (PlayFab docs, "Expansions"). */
const overrideList = <Entry extends z.ZodType>(entry: Entry) =>
  z.array(entry.nullable()).min(1, { error: 'must list at least one interval' });

export const OverrideDoubleSchema = z.object({ Value: double() });
export const OverrideUnsignedIntSchema = z.object({ Value: uint32() });

export const LinearDifferenceRuleExpansionSchema = z.object({
  Delta: double(),
  Limit: optional(double()),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const CustomDifferenceRuleExpansionSchema = z.object({
  DifferenceOverrides: overrideList(OverrideDoubleSchema),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const DifferenceRuleSchema = z.object({
  Attribute: QueueRuleAttributeSchema,
  AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
  CustomExpansion: optional(CustomDifferenceRuleExpansionSchema),
  DefaultAttributeValue: optional(double()),
  Difference: double().min(0, { error: 'must be 0 or more' }),
  LinearExpansion: optional(LinearDifferenceRuleExpansionSchema),
  MergeFunction: oneOf(ATTRIBUTE_MERGE_FUNCTIONS),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
  Weight: weight(),
});

export const MatchTotalRuleExpansionSchema = z.object({
  MaxOverrides: optional(overrideList(OverrideDoubleSchema)),
  MinOverrides: optional(overrideList(OverrideDoubleSchema)),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const MatchTotalRuleSchema = z.object({
  Attribute: QueueRuleAttributeSchema,
  Expansion: optional(MatchTotalRuleExpansionSchema),
  Max: double(),
  Min: double(),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
  Weight: weight(),
});

export const LinearRegionSelectionRuleExpansionSchema = z.object({
  Delta: uint32(),
  Limit: uint32(),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const CustomRegionSelectionRuleExpansionSchema = z.object({
  MaxLatencyOverrides: overrideList(OverrideUnsignedIntSchema),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const RegionSelectionRuleSchema = z.object({
  CustomExpansion: optional(CustomRegionSelectionRuleExpansionSchema),
  LinearExpansion: optional(LinearRegionSelectionRuleExpansionSchema),
  MaxLatency: uint32(),
  Name: ruleName(),
  Path: nonEmptyText(),
  SecondsUntilOptional: optional(uint32()),
  Weight: weight(),
});

export const LinearSetIntersectionRuleExpansionSchema = z.object({
  Delta: uint32(),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const CustomSetIntersectionRuleExpansionSchema = z.object({
  MinIntersectionSizeOverrides: overrideList(OverrideUnsignedIntSchema),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const SetIntersectionRuleSchema = z.object({
  Attribute: QueueRuleAttributeSchema,
  AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
  CustomExpansion: optional(CustomSetIntersectionRuleExpansionSchema),
  DefaultAttributeValue: optional(z.array(text())),
  LinearExpansion: optional(LinearSetIntersectionRuleExpansionSchema),
  MinIntersectionSize: uint32(),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
  Weight: weight(),
});

export const StringEqualityRuleExpansionSchema = z.object({
  EnabledOverrides: z.array(bool()).min(1, { error: 'must list at least one interval' }),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const StringEqualityRuleSchema = z.object({
  Attribute: QueueRuleAttributeSchema,
  AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
  DefaultAttributeValue: optional(text()),
  Expansion: optional(StringEqualityRuleExpansionSchema),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
  Weight: weight(),
});

export const LinearTeamDifferenceRuleExpansionSchema = z.object({
  Delta: double(),
  Limit: optional(double()),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const CustomTeamDifferenceRuleExpansionSchema = z.object({
  DifferenceOverrides: overrideList(OverrideDoubleSchema),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const TeamDifferenceRuleSchema = z.object({
  Attribute: QueueRuleAttributeSchema,
  CustomExpansion: optional(CustomTeamDifferenceRuleExpansionSchema),
  DefaultAttributeValue: double(),
  Difference: double().min(0, { error: 'must be 0 or more' }),
  LinearExpansion: optional(LinearTeamDifferenceRuleExpansionSchema),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
});

export const LinearTeamSizeBalanceRuleExpansionSchema = z.object({
  Delta: uint32(),
  Limit: optional(uint32()),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const CustomTeamSizeBalanceRuleExpansionSchema = z.object({
  DifferenceOverrides: overrideList(OverrideUnsignedIntSchema),
  SecondsBetweenExpansions: secondsBetweenExpansions(),
});
export const TeamSizeBalanceRuleSchema = z.object({
  CustomExpansion: optional(CustomTeamSizeBalanceRuleExpansionSchema),
  Difference: uint32(),
  LinearExpansion: optional(LinearTeamSizeBalanceRuleExpansionSchema),
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
});

export const TeamTicketSizeSimilarityRuleSchema = z.object({
  Name: ruleName(),
  SecondsUntilOptional: optional(uint32()),
});

export const MatchmakingQueueTeamSchema = z.object({
  MaxTeamSize: uint32().min(1, { error: 'must be at least 1' }),
  MinTeamSize: uint32(),
  Name: queueName(),
});

export const BuildAliasParamsSchema = z.object({ AliasId: nonEmptyText() });

export const StatisticsVisibilityToPlayersSchema = z.object({
  ShowNumberOfPlayersMatching: bool(),
  ShowTimeToMatch: bool(),
});

export const MatchmakingQueueConfigSchema = z.object({
  BuildAliasParams: optional(BuildAliasParamsSchema),
  BuildId: optional(text()),
  DifferenceRules: optional(z.array(DifferenceRuleSchema)),
  MatchTotalRules: optional(z.array(MatchTotalRuleSchema)),
  MaxMatchSize: uint32()
    .min(MIN_MATCH_SIZE, { error: `must be at least ${MIN_MATCH_SIZE}` })
    .max(MAX_MATCH_SIZE, { error: `must be at most ${MAX_MATCH_SIZE}` }),
  MaxTicketSize: optional(uint32().min(1, { error: 'must be at least 1' })),
  MinMatchSize: uint32()
    .min(MIN_MATCH_SIZE, { error: `must be at least ${MIN_MATCH_SIZE}` })
    .max(MAX_MATCH_SIZE, { error: `must be at most ${MAX_MATCH_SIZE}` }),
  Name: queueName(),
  RegionSelectionRule: optional(RegionSelectionRuleSchema),
  ServerAllocationEnabled: bool(),
  SetIntersectionRules: optional(z.array(SetIntersectionRuleSchema)),
  StatisticsVisibilityToPlayers: optional(StatisticsVisibilityToPlayersSchema),
  StringEqualityRules: optional(z.array(StringEqualityRuleSchema)),
  TeamDifferenceRules: optional(z.array(TeamDifferenceRuleSchema)),
  Teams: optional(z.array(MatchmakingQueueTeamSchema)),
  TeamSizeBalanceRule: optional(TeamSizeBalanceRuleSchema),
  TeamTicketSizeSimilarityRule: optional(TeamTicketSizeSimilarityRuleSchema),
});

export type EntityKey = z.output<typeof EntityKeySchema>;
export type MatchmakingPlayerAttributes = z.output<typeof MatchmakingPlayerAttributesSchema>;
export type MatchmakingPlayer = z.output<typeof MatchmakingPlayerSchema>;
export type MatchmakingPlayerWithTeamAssignment = z.output<typeof MatchmakingPlayerWithTeamAssignmentSchema>;
export type Port = z.output<typeof PortSchema>;
export type ServerDetails = z.output<typeof ServerDetailsSchema>;
export type QueueRuleAttribute = z.output<typeof QueueRuleAttributeSchema>;
export type DifferenceRule = z.output<typeof DifferenceRuleSchema>;
export type MatchTotalRule = z.output<typeof MatchTotalRuleSchema>;
export type RegionSelectionRule = z.output<typeof RegionSelectionRuleSchema>;
export type SetIntersectionRule = z.output<typeof SetIntersectionRuleSchema>;
export type StringEqualityRule = z.output<typeof StringEqualityRuleSchema>;
export type TeamDifferenceRule = z.output<typeof TeamDifferenceRuleSchema>;
export type TeamSizeBalanceRule = z.output<typeof TeamSizeBalanceRuleSchema>;
export type TeamTicketSizeSimilarityRule = z.output<typeof TeamTicketSizeSimilarityRuleSchema>;
export type MatchmakingQueueTeam = z.output<typeof MatchmakingQueueTeamSchema>;
export type MatchmakingQueueConfig = z.output<typeof MatchmakingQueueConfigSchema>;
export type OverrideDouble = z.output<typeof OverrideDoubleSchema>;
export type OverrideUnsignedInt = z.output<typeof OverrideUnsignedIntSchema>;

// ---------------------------------------------------------------------------------------------
// Requests

const customTags = () => optional(stringMap());

export const CancelAllMatchmakingTicketsForPlayerRequestSchema = z.object({
  CustomTags: customTags(),
  // Optional for a player caller (defaults to the caller), required for a title (spec text).
  Entity: optional(EntityKeySchema),
  QueueName: queueName(),
});
export const CancelAllServerBackfillTicketsForPlayerRequestSchema = z.object({
  CustomTags: customTags(),
  Entity: EntityKeySchema,
  QueueName: queueName(),
});
export const CancelMatchmakingTicketRequestSchema = z.object({
  CustomTags: customTags(),
  QueueName: queueName(),
  TicketId: nonEmptyText(),
});
export const CancelServerBackfillTicketRequestSchema = z.object({
  CustomTags: customTags(),
  QueueName: queueName(),
  TicketId: nonEmptyText(),
});
export const CreateMatchmakingTicketRequestSchema = z.object({
  Creator: MatchmakingPlayerSchema,
  CustomTags: customTags(),
  GiveUpAfterSeconds: giveUpAfterSeconds(),
  // The creator plus the invited members must fit in one ticket.
  MembersToMatchWith: optional(
    z
      .array(EntityKeySchema)
      .max(MAX_TICKET_MEMBERS - 1, { error: `must list at most ${MAX_TICKET_MEMBERS - 1} members` }),
  ),
  QueueName: queueName(),
});
export const CreateServerBackfillTicketRequestSchema = z.object({
  CustomTags: customTags(),
  GiveUpAfterSeconds: giveUpAfterSeconds(),
  Members: z
    .array(MatchmakingPlayerWithTeamAssignmentSchema)
    .min(1, { error: 'must list at least one member' })
    .max(MAX_TICKET_MEMBERS, { error: `must list at most ${MAX_TICKET_MEMBERS} members` }),
  QueueName: queueName(),
  ServerDetails: optional(ServerDetailsSchema),
});
export const CreateServerMatchmakingTicketRequestSchema = z.object({
  CustomTags: customTags(),
  GiveUpAfterSeconds: giveUpAfterSeconds(),
  Members: z
    .array(MatchmakingPlayerSchema)
    .min(1, { error: 'must list at least one member' })
    .max(MAX_TICKET_MEMBERS, { error: `must list at most ${MAX_TICKET_MEMBERS} members` }),
  QueueName: queueName(),
});
export const GetMatchRequestSchema = z.object({
  CustomTags: customTags(),
  EscapeObject: bool(),
  MatchId: nonEmptyText(),
  QueueName: queueName(),
  ReturnMemberAttributes: bool(),
});
export const GetMatchmakingQueueRequestSchema = z.object({
  CustomTags: customTags(),
  QueueName: optional(queueName()),
});
export const GetMatchmakingTicketRequestSchema = z.object({
  CustomTags: customTags(),
  EscapeObject: bool(),
  QueueName: queueName(),
  TicketId: nonEmptyText(),
});
export const GetQueueStatisticsRequestSchema = z.object({
  CustomTags: customTags(),
  QueueName: queueName(),
});
export const GetServerBackfillTicketRequestSchema = z.object({
  CustomTags: customTags(),
  EscapeObject: bool(),
  QueueName: queueName(),
  TicketId: nonEmptyText(),
});
export const JoinMatchmakingTicketRequestSchema = z.object({
  CustomTags: customTags(),
  Member: MatchmakingPlayerSchema,
  QueueName: queueName(),
  TicketId: nonEmptyText(),
});
export const ListMatchmakingQueuesRequestSchema = z.object({ CustomTags: customTags() });
export const ListMatchmakingTicketsForPlayerRequestSchema = z.object({
  CustomTags: customTags(),
  Entity: optional(EntityKeySchema),
  QueueName: queueName(),
});
export const ListServerBackfillTicketsForPlayerRequestSchema = z.object({
  CustomTags: customTags(),
  Entity: EntityKeySchema,
  QueueName: queueName(),
});
export const RemoveMatchmakingQueueRequestSchema = z.object({
  CustomTags: customTags(),
  QueueName: optional(queueName()),
});
export const SetMatchmakingQueueRequestSchema = z.object({
  CustomTags: customTags(),
  MatchmakingQueue: MatchmakingQueueConfigSchema,
});
const subscription = {
  CustomTags: customTags(),
  EntityKey: EntityKeySchema,
  PubSubConnectionHandle: nonEmptyText(),
  ResourceId: nonEmptyText(),
  SubscriptionVersion: uint32()
    .min(SUBSCRIPTION_VERSION, { error: `must be ${SUBSCRIPTION_VERSION}` })
    .max(SUBSCRIPTION_VERSION, { error: `must be ${SUBSCRIPTION_VERSION}` }),
  Type: oneOf(SUBSCRIPTION_TYPES),
};
export const SubscribeToMatchResourceRequestSchema = z.object(subscription);
export const UnsubscribeFromMatchResourceRequestSchema = z.object(subscription);

/** Every `/Match/*` call of the spec: operation → its request datatype's schema. */
export const requestSchemas = {
  CancelAllMatchmakingTicketsForPlayer: CancelAllMatchmakingTicketsForPlayerRequestSchema,
  CancelAllServerBackfillTicketsForPlayer: CancelAllServerBackfillTicketsForPlayerRequestSchema,
  CancelMatchmakingTicket: CancelMatchmakingTicketRequestSchema,
  CancelServerBackfillTicket: CancelServerBackfillTicketRequestSchema,
  CreateMatchmakingTicket: CreateMatchmakingTicketRequestSchema,
  CreateServerBackfillTicket: CreateServerBackfillTicketRequestSchema,
  CreateServerMatchmakingTicket: CreateServerMatchmakingTicketRequestSchema,
  GetMatch: GetMatchRequestSchema,
  GetMatchmakingQueue: GetMatchmakingQueueRequestSchema,
  GetMatchmakingTicket: GetMatchmakingTicketRequestSchema,
  GetQueueStatistics: GetQueueStatisticsRequestSchema,
  GetServerBackfillTicket: GetServerBackfillTicketRequestSchema,
  JoinMatchmakingTicket: JoinMatchmakingTicketRequestSchema,
  ListMatchmakingQueues: ListMatchmakingQueuesRequestSchema,
  ListMatchmakingTicketsForPlayer: ListMatchmakingTicketsForPlayerRequestSchema,
  ListServerBackfillTicketsForPlayer: ListServerBackfillTicketsForPlayerRequestSchema,
  RemoveMatchmakingQueue: RemoveMatchmakingQueueRequestSchema,
  SetMatchmakingQueue: SetMatchmakingQueueRequestSchema,
  SubscribeToMatchmakingResource: SubscribeToMatchResourceRequestSchema,
  UnsubscribeFromMatchmakingResource: UnsubscribeFromMatchResourceRequestSchema,
} as const;

export type PlayFabOperation = keyof typeof requestSchemas;
export const PLAYFAB_OPERATIONS = Object.keys(requestSchemas) as PlayFabOperation[];
export type OperationRequest<Operation extends PlayFabOperation> = z.output<
  (typeof requestSchemas)[Operation]
>;

export function isPlayFabOperation(name: string): name is PlayFabOperation {
  return Object.hasOwn(requestSchemas, name);
}

/**
 * Every request-side datatype by its spec name, nested ones included, so the conformance test
 * can compare each one's members with the spec.
 */
export const requestDatatypeSchemas: Readonly<Record<string, z.ZodObject>> = {
  CancelAllMatchmakingTicketsForPlayerRequest: CancelAllMatchmakingTicketsForPlayerRequestSchema,
  CancelAllServerBackfillTicketsForPlayerRequest: CancelAllServerBackfillTicketsForPlayerRequestSchema,
  CancelMatchmakingTicketRequest: CancelMatchmakingTicketRequestSchema,
  CancelServerBackfillTicketRequest: CancelServerBackfillTicketRequestSchema,
  CreateMatchmakingTicketRequest: CreateMatchmakingTicketRequestSchema,
  CreateServerBackfillTicketRequest: CreateServerBackfillTicketRequestSchema,
  CreateServerMatchmakingTicketRequest: CreateServerMatchmakingTicketRequestSchema,
  GetMatchRequest: GetMatchRequestSchema,
  GetMatchmakingQueueRequest: GetMatchmakingQueueRequestSchema,
  GetMatchmakingTicketRequest: GetMatchmakingTicketRequestSchema,
  GetQueueStatisticsRequest: GetQueueStatisticsRequestSchema,
  GetServerBackfillTicketRequest: GetServerBackfillTicketRequestSchema,
  JoinMatchmakingTicketRequest: JoinMatchmakingTicketRequestSchema,
  ListMatchmakingQueuesRequest: ListMatchmakingQueuesRequestSchema,
  ListMatchmakingTicketsForPlayerRequest: ListMatchmakingTicketsForPlayerRequestSchema,
  ListServerBackfillTicketsForPlayerRequest: ListServerBackfillTicketsForPlayerRequestSchema,
  RemoveMatchmakingQueueRequest: RemoveMatchmakingQueueRequestSchema,
  SetMatchmakingQueueRequest: SetMatchmakingQueueRequestSchema,
  SubscribeToMatchResourceRequest: SubscribeToMatchResourceRequestSchema,
  UnsubscribeFromMatchResourceRequest: UnsubscribeFromMatchResourceRequestSchema,
  EntityKey: EntityKeySchema,
  MatchmakingPlayer: MatchmakingPlayerSchema,
  MatchmakingPlayerAttributes: MatchmakingPlayerAttributesSchema,
  MatchmakingPlayerWithTeamAssignment: MatchmakingPlayerWithTeamAssignmentSchema,
  ServerDetails: ServerDetailsSchema,
  Port: PortSchema,
  MatchmakingQueueConfig: MatchmakingQueueConfigSchema,
  BuildAliasParams: BuildAliasParamsSchema,
  StatisticsVisibilityToPlayers: StatisticsVisibilityToPlayersSchema,
  MatchmakingQueueTeam: MatchmakingQueueTeamSchema,
  QueueRuleAttribute: QueueRuleAttributeSchema,
  OverrideDouble: OverrideDoubleSchema,
  OverrideUnsignedInt: OverrideUnsignedIntSchema,
  DifferenceRule: DifferenceRuleSchema,
  LinearDifferenceRuleExpansion: LinearDifferenceRuleExpansionSchema,
  CustomDifferenceRuleExpansion: CustomDifferenceRuleExpansionSchema,
  MatchTotalRule: MatchTotalRuleSchema,
  MatchTotalRuleExpansion: MatchTotalRuleExpansionSchema,
  RegionSelectionRule: RegionSelectionRuleSchema,
  LinearRegionSelectionRuleExpansion: LinearRegionSelectionRuleExpansionSchema,
  CustomRegionSelectionRuleExpansion: CustomRegionSelectionRuleExpansionSchema,
  SetIntersectionRule: SetIntersectionRuleSchema,
  LinearSetIntersectionRuleExpansion: LinearSetIntersectionRuleExpansionSchema,
  CustomSetIntersectionRuleExpansion: CustomSetIntersectionRuleExpansionSchema,
  StringEqualityRule: StringEqualityRuleSchema,
  StringEqualityRuleExpansion: StringEqualityRuleExpansionSchema,
  TeamDifferenceRule: TeamDifferenceRuleSchema,
  LinearTeamDifferenceRuleExpansion: LinearTeamDifferenceRuleExpansionSchema,
  CustomTeamDifferenceRuleExpansion: CustomTeamDifferenceRuleExpansionSchema,
  TeamSizeBalanceRule: TeamSizeBalanceRuleSchema,
  LinearTeamSizeBalanceRuleExpansion: LinearTeamSizeBalanceRuleExpansionSchema,
  CustomTeamSizeBalanceRuleExpansion: CustomTeamSizeBalanceRuleExpansionSchema,
  TeamTicketSizeSimilarityRule: TeamTicketSizeSimilarityRuleSchema,
};

// ---------------------------------------------------------------------------------------------
// Responses (the `data` of the envelope). Each type has a runtime field list beside it, checked
// against the spec by the conformance test and against the type by exactFields below.

/**
 * Returns its argument, and fails to compile unless the list names every key of T exactly once
 * or more and nothing else, so a field list can't drift from its type.
 */
function exactFields<T>() {
  return <const Keys extends readonly (keyof T & string)[]>(
    keys: Keys & ([Exclude<keyof T, Keys[number]>] extends [never] ? unknown : never),
  ): Keys => keys;
}

// biome-ignore lint/complexity/noBannedTypes: the spec's empty result datatypes are empty objects.
export type EmptyResult = {};

export interface CreateMatchmakingTicketResult {
  TicketId: string;
}
export interface CreateServerBackfillTicketResult {
  TicketId: string;
}

/** ISO 8601 UTC date-time text, as the spec's DateTime fields travel (`2016-08-23T12:33:14Z`). */
export type DateTimeText = string;

export interface GetMatchmakingTicketResult {
  CancellationReason?: CancellationReason;
  CancellationReasonString?: string;
  ChangeNumber?: number;
  Created: DateTimeText;
  Creator: EntityKey;
  GiveUpAfterSeconds: number;
  MatchId?: string;
  Members: MatchmakingPlayer[];
  MembersToMatchWith?: EntityKey[];
  QueueName: string;
  /** One of MATCHMAKING_TICKET_STATUSES (the spec types it as a plain string). */
  Status: MatchmakingTicketStatus;
  TicketId: string;
}
/** The brief's name for a player ticket as returned by GetMatchmakingTicket. */
export type MatchmakingTicket = GetMatchmakingTicketResult;

export interface GetServerBackfillTicketResult {
  CancellationReason?: CancellationReason;
  CancellationReasonString?: string;
  Created: DateTimeText;
  GiveUpAfterSeconds: number;
  MatchId?: string;
  Members: MatchmakingPlayerWithTeamAssignment[];
  QueueName: string;
  ServerDetails: ServerDetails;
  Status: BackfillTicketStatus;
  TicketId: string;
}

export interface GetMatchResult {
  ArrangementString?: string;
  MatchId: string;
  Members: MatchmakingPlayerWithTeamAssignment[];
  RegionPreferences?: string[];
  ServerDetails?: ServerDetails;
}

export interface GetMatchmakingQueueResult {
  MatchmakingQueue?: MatchmakingQueueConfig;
}
export interface ListMatchmakingQueuesResult {
  MatchMakingQueues?: MatchmakingQueueConfig[];
}
export interface ListMatchmakingTicketsForPlayerResult {
  TicketIds: string[];
}
export interface ListServerBackfillTicketsForPlayerResult {
  TicketIds: string[];
}
export interface Statistics {
  Average: number;
  Percentile50: number;
  Percentile90: number;
  Percentile99: number;
}
export interface GetQueueStatisticsResult {
  NumberOfPlayersMatching?: number;
  TimeToMatchStatisticsInSeconds?: Statistics;
}
export interface SubscribeToMatchResourceResult {
  Topic: string;
}

export type CancelAllMatchmakingTicketsForPlayerResult = EmptyResult;
export type CancelAllServerBackfillTicketsForPlayerResult = EmptyResult;
export type CancelMatchmakingTicketResult = EmptyResult;
export type CancelServerBackfillTicketResult = EmptyResult;
export type JoinMatchmakingTicketResult = EmptyResult;
export type RemoveMatchmakingQueueResult = EmptyResult;
export type SetMatchmakingQueueResult = EmptyResult;
export type UnsubscribeFromMatchResourceResult = EmptyResult;

/** Operation → the type of its envelope's `data`. */
export interface OperationResults {
  CancelAllMatchmakingTicketsForPlayer: CancelAllMatchmakingTicketsForPlayerResult;
  CancelAllServerBackfillTicketsForPlayer: CancelAllServerBackfillTicketsForPlayerResult;
  CancelMatchmakingTicket: CancelMatchmakingTicketResult;
  CancelServerBackfillTicket: CancelServerBackfillTicketResult;
  CreateMatchmakingTicket: CreateMatchmakingTicketResult;
  CreateServerBackfillTicket: CreateServerBackfillTicketResult;
  // The spec gives the server call the same result datatype as the player call.
  CreateServerMatchmakingTicket: CreateMatchmakingTicketResult;
  GetMatch: GetMatchResult;
  GetMatchmakingQueue: GetMatchmakingQueueResult;
  GetMatchmakingTicket: GetMatchmakingTicketResult;
  GetQueueStatistics: GetQueueStatisticsResult;
  GetServerBackfillTicket: GetServerBackfillTicketResult;
  JoinMatchmakingTicket: JoinMatchmakingTicketResult;
  ListMatchmakingQueues: ListMatchmakingQueuesResult;
  ListMatchmakingTicketsForPlayer: ListMatchmakingTicketsForPlayerResult;
  ListServerBackfillTicketsForPlayer: ListServerBackfillTicketsForPlayerResult;
  RemoveMatchmakingQueue: RemoveMatchmakingQueueResult;
  SetMatchmakingQueue: SetMatchmakingQueueResult;
  SubscribeToMatchmakingResource: SubscribeToMatchResourceResult;
  UnsubscribeFromMatchmakingResource: UnsubscribeFromMatchResourceResult;
}
export type OperationResult<Operation extends PlayFabOperation> = OperationResults[Operation];

/** Operation → the spec's name of its result datatype. */
export const resultDatatypeNames: Readonly<Record<PlayFabOperation, string>> = {
  CancelAllMatchmakingTicketsForPlayer: 'CancelAllMatchmakingTicketsForPlayerResult',
  CancelAllServerBackfillTicketsForPlayer: 'CancelAllServerBackfillTicketsForPlayerResult',
  CancelMatchmakingTicket: 'CancelMatchmakingTicketResult',
  CancelServerBackfillTicket: 'CancelServerBackfillTicketResult',
  CreateMatchmakingTicket: 'CreateMatchmakingTicketResult',
  CreateServerBackfillTicket: 'CreateServerBackfillTicketResult',
  CreateServerMatchmakingTicket: 'CreateMatchmakingTicketResult',
  GetMatch: 'GetMatchResult',
  GetMatchmakingQueue: 'GetMatchmakingQueueResult',
  GetMatchmakingTicket: 'GetMatchmakingTicketResult',
  GetQueueStatistics: 'GetQueueStatisticsResult',
  GetServerBackfillTicket: 'GetServerBackfillTicketResult',
  JoinMatchmakingTicket: 'JoinMatchmakingTicketResult',
  ListMatchmakingQueues: 'ListMatchmakingQueuesResult',
  ListMatchmakingTicketsForPlayer: 'ListMatchmakingTicketsForPlayerResult',
  ListServerBackfillTicketsForPlayer: 'ListServerBackfillTicketsForPlayerResult',
  RemoveMatchmakingQueue: 'RemoveMatchmakingQueueResult',
  SetMatchmakingQueue: 'SetMatchmakingQueueResult',
  SubscribeToMatchmakingResource: 'SubscribeToMatchResourceResult',
  UnsubscribeFromMatchmakingResource: 'UnsubscribeFromMatchResourceResult',
};

const none = exactFields<EmptyResult>()([]);

/**
 * Field lists of the response-only datatypes, by spec name. Datatypes shared with requests
 * (EntityKey, ServerDetails, MatchmakingQueueConfig, ...) take theirs from requestDatatypeSchemas.
 */
export const responseFields: Readonly<Record<string, readonly string[]>> = {
  CancelAllMatchmakingTicketsForPlayerResult: none,
  CancelAllServerBackfillTicketsForPlayerResult: none,
  CancelMatchmakingTicketResult: none,
  CancelServerBackfillTicketResult: none,
  JoinMatchmakingTicketResult: none,
  RemoveMatchmakingQueueResult: none,
  SetMatchmakingQueueResult: none,
  UnsubscribeFromMatchResourceResult: none,
  CreateMatchmakingTicketResult: exactFields<CreateMatchmakingTicketResult>()(['TicketId']),
  CreateServerBackfillTicketResult: exactFields<CreateServerBackfillTicketResult>()(['TicketId']),
  GetMatchmakingTicketResult: exactFields<GetMatchmakingTicketResult>()([
    'CancellationReason',
    'CancellationReasonString',
    'ChangeNumber',
    'Created',
    'Creator',
    'GiveUpAfterSeconds',
    'MatchId',
    'Members',
    'MembersToMatchWith',
    'QueueName',
    'Status',
    'TicketId',
  ]),
  GetServerBackfillTicketResult: exactFields<GetServerBackfillTicketResult>()([
    'CancellationReason',
    'CancellationReasonString',
    'Created',
    'GiveUpAfterSeconds',
    'MatchId',
    'Members',
    'QueueName',
    'ServerDetails',
    'Status',
    'TicketId',
  ]),
  GetMatchResult: exactFields<GetMatchResult>()([
    'ArrangementString',
    'MatchId',
    'Members',
    'RegionPreferences',
    'ServerDetails',
  ]),
  GetMatchmakingQueueResult: exactFields<GetMatchmakingQueueResult>()(['MatchmakingQueue']),
  ListMatchmakingQueuesResult: exactFields<ListMatchmakingQueuesResult>()(['MatchMakingQueues']),
  ListMatchmakingTicketsForPlayerResult: exactFields<ListMatchmakingTicketsForPlayerResult>()(['TicketIds']),
  ListServerBackfillTicketsForPlayerResult: exactFields<ListServerBackfillTicketsForPlayerResult>()([
    'TicketIds',
  ]),
  GetQueueStatisticsResult: exactFields<GetQueueStatisticsResult>()([
    'NumberOfPlayersMatching',
    'TimeToMatchStatisticsInSeconds',
  ]),
  Statistics: exactFields<Statistics>()(['Average', 'Percentile50', 'Percentile90', 'Percentile99']),
  SubscribeToMatchResourceResult: exactFields<SubscribeToMatchResourceResult>()(['Topic']),
};
