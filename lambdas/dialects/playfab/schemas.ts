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
 *   limit, unique rule names, expansion shapes) live in engine/queues/compile.ts, which reports every
 *   problem with its path; the schema only checks what each field can check alone.
 */
import * as z from 'zod/mini';
import {
  type BackfillTicketStatus,
  bool,
  type CancellationReason,
  giveUpAfterSeconds,
  jsonObject,
  keyText,
  MAX_TICKET_MEMBERS,
  type MatchmakingQueueConfig,
  type MatchmakingTicketStatus,
  nonEmptyText,
  oneOf,
  optional,
  queueName,
  queueSchemas,
  type ServerDetails,
  SUBSCRIPTION_TYPES,
  SUBSCRIPTION_VERSION,
  stringMap,
  text,
  ticketIdText,
  uint32,
} from '../../engine/queues/definition';
import { builtOnFirstRead, once } from '../../shared/lazy';

export * from '../../engine/queues/definition';

// ---------------------------------------------------------------------------------------------
// Shared datatypes

const EntityKeySchema = once(() =>
  z.object({
    Id: keyText(),
    Type: optional(text()),
    TypeString: optional(text()),
  }),
);

const MatchmakingPlayerAttributesSchema = once(() =>
  z.object({
    DataObject: optional(jsonObject()),
    // Unbounded here: its size is the player's attribute budget (2043), its content checked once parsed.
    EscapedDataObject: optional(z.string()),
  }),
);

const MatchmakingPlayerSchema = once(() =>
  z.object({
    Attributes: optional(MatchmakingPlayerAttributesSchema()),
    Entity: EntityKeySchema(),
  }),
);

const MatchmakingPlayerWithTeamAssignmentSchema = once(() =>
  z.object({
    Attributes: optional(MatchmakingPlayerAttributesSchema()),
    Entity: EntityKeySchema(),
    TeamId: optional(text()),
  }),
);

export type EntityKey = z.output<ReturnType<typeof EntityKeySchema>>;
export type MatchmakingPlayerAttributes = z.output<ReturnType<typeof MatchmakingPlayerAttributesSchema>>;
export type MatchmakingPlayer = z.output<ReturnType<typeof MatchmakingPlayerSchema>>;
export type MatchmakingPlayerWithTeamAssignment = z.output<
  ReturnType<typeof MatchmakingPlayerWithTeamAssignmentSchema>
>;

// ---------------------------------------------------------------------------------------------
// Requests

const customTags = () => optional(stringMap());

const CancelAllMatchmakingTicketsForPlayerRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    // Optional for a player caller (defaults to the caller), required for a title (spec text).
    Entity: optional(EntityKeySchema()),
    QueueName: queueName(),
  }),
);
const CancelAllServerBackfillTicketsForPlayerRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    Entity: EntityKeySchema(),
    QueueName: queueName(),
  }),
);
const CancelMatchmakingTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    QueueName: queueName(),
    TicketId: ticketIdText(),
  }),
);
const CancelServerBackfillTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    QueueName: queueName(),
    TicketId: ticketIdText(),
  }),
);
const CreateMatchmakingTicketRequestSchema = once(() =>
  z.object({
    Creator: MatchmakingPlayerSchema(),
    CustomTags: customTags(),
    GiveUpAfterSeconds: giveUpAfterSeconds(),
    // The creator plus the invited members must fit in one ticket.
    MembersToMatchWith: optional(
      z.array(EntityKeySchema()).check(
        z.maxLength(MAX_TICKET_MEMBERS - 1, {
          error: `must list at most ${MAX_TICKET_MEMBERS - 1} members`,
        }),
      ),
    ),
    QueueName: queueName(),
  }),
);
const CreateServerBackfillTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    GiveUpAfterSeconds: giveUpAfterSeconds(),
    Members: z
      .array(MatchmakingPlayerWithTeamAssignmentSchema())
      .check(
        z.minLength(1, { error: 'must list at least one member' }),
        z.maxLength(MAX_TICKET_MEMBERS, { error: `must list at most ${MAX_TICKET_MEMBERS} members` }),
      ),
    QueueName: queueName(),
    ServerDetails: optional(queueSchemas().ServerDetailsSchema),
  }),
);
const CreateServerMatchmakingTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    GiveUpAfterSeconds: giveUpAfterSeconds(),
    Members: z
      .array(MatchmakingPlayerSchema())
      .check(
        z.minLength(1, { error: 'must list at least one member' }),
        z.maxLength(MAX_TICKET_MEMBERS, { error: `must list at most ${MAX_TICKET_MEMBERS} members` }),
      ),
    QueueName: queueName(),
  }),
);
const GetMatchRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    EscapeObject: bool(),
    MatchId: ticketIdText(),
    QueueName: queueName(),
    ReturnMemberAttributes: bool(),
  }),
);
const GetMatchmakingQueueRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    QueueName: optional(queueName()),
  }),
);
const GetMatchmakingTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    EscapeObject: bool(),
    QueueName: queueName(),
    TicketId: ticketIdText(),
  }),
);
const GetQueueStatisticsRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    QueueName: queueName(),
  }),
);
const GetServerBackfillTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    EscapeObject: bool(),
    QueueName: queueName(),
    TicketId: ticketIdText(),
  }),
);
const JoinMatchmakingTicketRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    Member: MatchmakingPlayerSchema(),
    QueueName: queueName(),
    TicketId: ticketIdText(),
  }),
);
const ListMatchmakingQueuesRequestSchema = once(() => z.object({ CustomTags: customTags() }));
const ListMatchmakingTicketsForPlayerRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    Entity: optional(EntityKeySchema()),
    QueueName: queueName(),
  }),
);
const ListServerBackfillTicketsForPlayerRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    Entity: EntityKeySchema(),
    QueueName: queueName(),
  }),
);
const RemoveMatchmakingQueueRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    QueueName: optional(queueName()),
  }),
);
const SetMatchmakingQueueRequestSchema = once(() =>
  z.object({
    CustomTags: customTags(),
    MatchmakingQueue: queueSchemas().MatchmakingQueueConfigSchema,
  }),
);
const subscription = () => ({
  CustomTags: customTags(),
  EntityKey: EntityKeySchema(),
  PubSubConnectionHandle: nonEmptyText(),
  ResourceId: nonEmptyText(),
  SubscriptionVersion: uint32().check(
    z.gte(SUBSCRIPTION_VERSION, { error: `must be ${SUBSCRIPTION_VERSION}` }),
    z.lte(SUBSCRIPTION_VERSION, { error: `must be ${SUBSCRIPTION_VERSION}` }),
  ),
  Type: oneOf(SUBSCRIPTION_TYPES),
});
const SubscribeToMatchResourceRequestSchema = once(() => z.object(subscription()));
const UnsubscribeFromMatchResourceRequestSchema = once(() => z.object(subscription()));

/** Every `/Match/*` call of the spec: operation → its request datatype's schema. */
export const requestSchemas = builtOnFirstRead({
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
});

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
export const requestDatatypeSchemas: Readonly<Record<string, z.ZodMiniObject>> = builtOnFirstRead({
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
  ServerDetails: () => queueSchemas().ServerDetailsSchema,
  Port: () => queueSchemas().PortSchema,
  MatchmakingQueueConfig: () => queueSchemas().MatchmakingQueueConfigSchema,
  BuildAliasParams: () => queueSchemas().BuildAliasParamsSchema,
  StatisticsVisibilityToPlayers: () => queueSchemas().StatisticsVisibilityToPlayersSchema,
  MatchmakingQueueTeam: () => queueSchemas().MatchmakingQueueTeamSchema,
  QueueRuleAttribute: () => queueSchemas().QueueRuleAttributeSchema,
  OverrideDouble: () => queueSchemas().OverrideDoubleSchema,
  OverrideUnsignedInt: () => queueSchemas().OverrideUnsignedIntSchema,
  DifferenceRule: () => queueSchemas().DifferenceRuleSchema,
  LinearDifferenceRuleExpansion: () => queueSchemas().LinearDifferenceRuleExpansionSchema,
  CustomDifferenceRuleExpansion: () => queueSchemas().CustomDifferenceRuleExpansionSchema,
  MatchTotalRule: () => queueSchemas().MatchTotalRuleSchema,
  MatchTotalRuleExpansion: () => queueSchemas().MatchTotalRuleExpansionSchema,
  RegionSelectionRule: () => queueSchemas().RegionSelectionRuleSchema,
  LinearRegionSelectionRuleExpansion: () => queueSchemas().LinearRegionSelectionRuleExpansionSchema,
  CustomRegionSelectionRuleExpansion: () => queueSchemas().CustomRegionSelectionRuleExpansionSchema,
  SetIntersectionRule: () => queueSchemas().SetIntersectionRuleSchema,
  LinearSetIntersectionRuleExpansion: () => queueSchemas().LinearSetIntersectionRuleExpansionSchema,
  CustomSetIntersectionRuleExpansion: () => queueSchemas().CustomSetIntersectionRuleExpansionSchema,
  StringEqualityRule: () => queueSchemas().StringEqualityRuleSchema,
  StringEqualityRuleExpansion: () => queueSchemas().StringEqualityRuleExpansionSchema,
  TeamDifferenceRule: () => queueSchemas().TeamDifferenceRuleSchema,
  LinearTeamDifferenceRuleExpansion: () => queueSchemas().LinearTeamDifferenceRuleExpansionSchema,
  CustomTeamDifferenceRuleExpansion: () => queueSchemas().CustomTeamDifferenceRuleExpansionSchema,
  TeamSizeBalanceRule: () => queueSchemas().TeamSizeBalanceRuleSchema,
  LinearTeamSizeBalanceRuleExpansion: () => queueSchemas().LinearTeamSizeBalanceRuleExpansionSchema,
  CustomTeamSizeBalanceRuleExpansion: () => queueSchemas().CustomTeamSizeBalanceRuleExpansionSchema,
  TeamTicketSizeSimilarityRule: () => queueSchemas().TeamTicketSizeSimilarityRuleSchema,
});

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
