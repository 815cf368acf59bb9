/**
 * PlayFab's queue language: the MatchmakingQueueConfig a queue is defined by, with the limits
 * PlayFab documents. A peer of the FlexMatch rule language (engine/rules): compile.ts turns a
 * definition into the same queue program. The PlayFab dialect validates requests with these
 * schemas and only translates wire shapes; field names are PlayFab's (PascalCase). The limits
 * and enumerations the schemas check live in limits.ts (re-exported here), which code that
 * needs no schema imports instead.
 */
import * as z from 'zod/mini';
import { once } from '../../shared/lazy';
import {
  isStorableNumber,
  jsonProblem,
  MAX_JSON_DEPTH,
  MAX_KEY_BYTES,
  MAX_TICKET_ID_LENGTH,
  STORABLE_NUMBER_RULE,
  utf8Bytes,
} from '../../shared/storage-limits';
import {
  ATTRIBUTE_MERGE_FUNCTIONS,
  ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS,
  ATTRIBUTE_SOURCES,
  MAX_EXPANSION_INTERVALS,
  MAX_GIVE_UP_AFTER_SECONDS,
  MAX_MATCH_SIZE,
  MAX_MATCH_SIZE_WITH_TEAMS,
  MAX_RULE_WEIGHT,
  MAX_RULES_PER_QUEUE,
  MAX_SERVER_PORTS,
  MAX_SET_ENTRIES,
  MAX_TEXT_LENGTH,
  MIN_GIVE_UP_AFTER_SECONDS,
  MIN_MATCH_SIZE,
  PROTOCOL_TYPES,
  QUEUE_NAME_PATTERN,
  RULE_NAME_PATTERN,
} from './limits';

export * from './limits';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

// ---------------------------------------------------------------------------------------------
// Field builders. Messages are phrases completed by the field name in envelope.ts
// ("The field QueueName must be ..."), so each states what a valid value looks like.

/** An optional member: absent, or null (treated as absent). */
export function optional<Schema extends z.ZodMiniType>(schema: Schema) {
  // The outer optional marks the key optional (in the type too); the preprocess (a transform
  // piped into the schema, as zod/mini spells it) turns null into absent.
  return z.optional(
    z.pipe<z.ZodMiniTransform<unknown, unknown>, z.ZodMiniOptional<Schema>>(
      z.transform((value: unknown) => (value === null ? undefined : value)),
      z.optional(schema),
    ),
  );
}

export const text = () =>
  z.string().check(z.maxLength(MAX_TEXT_LENGTH, { error: `must be at most ${MAX_TEXT_LENGTH} characters` }));
export const nonEmptyText = () => text().check(z.minLength(1, { error: 'must not be empty' }));
/** An id that becomes part of a key (Entity.Id): DynamoDB's key size in UTF-8 bytes. */
export const keyText = () =>
  z.string().check(
    z.minLength(1, { error: 'must not be empty' }),
    z.refine((value: string) => utf8Bytes(value) <= MAX_KEY_BYTES, {
      error: `must be at most ${MAX_KEY_BYTES} bytes of UTF-8`,
    }),
  );
/** A ticket or match id: slotfill issues UUIDs, so no longer one names anything. */
export const ticketIdText = () =>
  z
    .string()
    .check(
      z.minLength(1, { error: 'must not be empty' }),
      z.maxLength(MAX_TICKET_ID_LENGTH, { error: `must be at most ${MAX_TICKET_ID_LENGTH} characters` }),
    );
export const int32 = () =>
  z
    .number()
    .check(
      z.int({ error: 'must be a whole number' }),
      z.gte(INT32_MIN, { error: `must be at least ${INT32_MIN}` }),
      z.lte(INT32_MAX, { error: `must be at most ${INT32_MAX}` }),
    );
export const uint32 = () =>
  z
    .number()
    .check(
      z.int({ error: 'must be a whole number' }),
      z.gte(0, { error: 'must be 0 or more' }),
      z.lte(UINT32_MAX, { error: `must be at most ${UINT32_MAX}` }),
    );
/** Numbers are stored as given: only those DynamoDB and the DocumentClient keep exactly. */
export const double = () =>
  z.number().check(z.refine(isStorableNumber, { error: `must be ${STORABLE_NUMBER_RULE}` }));
export const bool = () => z.boolean();
export const stringMap = () => z.record(z.string(), z.string());
/** A JSON object of any shape (the spec's `object` type). */
export const jsonObject = () =>
  z.record(z.string(), z.unknown()).check(
    z.superRefine((value: Record<string, unknown>, context) => {
      const problem = jsonProblem(value);
      if (problem === undefined) return;
      context.addIssue({
        code: 'custom',
        input: value,
        message:
          problem.kind === 'depth'
            ? `must nest at most ${MAX_JSON_DEPTH} levels of objects and arrays`
            : `must hold only numbers that are ${STORABLE_NUMBER_RULE} (found ${problem.value})`,
      });
    }),
  );

export const queueName = () =>
  z.string().check(
    z.regex(QUEUE_NAME_PATTERN, {
      error: "must be 1 to 64 characters of letters, digits, '_' and '-', starting with a letter or digit",
    }),
  );
const ruleName = () =>
  z.string().check(
    z.regex(RULE_NAME_PATTERN, {
      error: "must be 1 to 255 characters of letters, digits, '_' and '-', starting with a letter or digit",
    }),
  );
const weight = () =>
  z
    .number()
    .check(
      z.gt(0, { error: 'must be greater than 0' }),
      z.lte(MAX_RULE_WEIGHT, { error: `must be at most ${MAX_RULE_WEIGHT}` }),
    );
/** Expansion interval: at least one second, or the schedule never advances. */
const secondsBetweenExpansions = () => uint32().check(z.gte(1, { error: 'must be at least 1' }));
export const giveUpAfterSeconds = () =>
  int32().check(
    z.gte(MIN_GIVE_UP_AFTER_SECONDS, { error: `must be at least ${MIN_GIVE_UP_AFTER_SECONDS}` }),
    z.lte(MAX_GIVE_UP_AFTER_SECONDS, { error: `must be at most ${MAX_GIVE_UP_AFTER_SECONDS}` }),
  );

export const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

// ---------------------------------------------------------------------------------------------
// Queue configuration

/** An override list entry: a value, or null to switch the rule off for that interval (PlayFab docs, "Expansions"). */
const overrideList = <Entry extends z.ZodMiniType>(entry: Entry) =>
  z.array(z.nullable(entry)).check(
    z.minLength(1, { error: 'must list at least one interval' }),
    z.maxLength(MAX_EXPANSION_INTERVALS, {
      error: `must list at most ${MAX_EXPANSION_INTERVALS} intervals`,
    }),
  );

/**
 * A list of one rule type. compile.ts counts rules across lists (MAX_RULES_PER_QUEUE, with the
 * count in its message); a list far past that is refused before its rules are read at all.
 */
export const MAX_RULE_LIST_LENGTH = 100;
function ruleList<Rule extends z.ZodMiniType>(rule: Rule) {
  return z
    .array(rule)
    .check(
      z.maxLength(MAX_RULE_LIST_LENGTH, { error: `must list at most ${MAX_RULES_PER_QUEUE} rules in all` }),
    );
}

/**
 * The queue configuration's schemas, built together the first time one is needed (a queue is
 * being stored or read from a request) rather than when the module loads.
 */
export const queueSchemas = once(() => {
  /** How joining players reach a running game: a backfill ticket carries it, its Region feeds the region rule. */
  const PortSchema = z.object({
    Name: text(),
    Num: int32().check(
      z.gte(0, { error: 'must be a port number from 0 to 65535' }),
      z.lte(65535, { error: 'must be a port number from 0 to 65535' }),
    ),
    Protocol: oneOf(PROTOCOL_TYPES),
  });

  const ServerDetailsSchema = z.object({
    Fqdn: optional(text()),
    // Not validated: the seed documents IPV4Address as free text that may carry any connect string.
    IPV4Address: optional(text()),
    Ports: optional(
      z
        .array(PortSchema)
        .check(z.maxLength(MAX_SERVER_PORTS, { error: `must list at most ${MAX_SERVER_PORTS} ports` })),
    ),
    Region: optional(text()),
    ServerId: optional(text()),
  });

  const QueueRuleAttributeSchema = z.object({
    Path: nonEmptyText(),
    Source: oneOf(ATTRIBUTE_SOURCES),
  });

  const OverrideDoubleSchema = z.object({ Value: double() });
  const OverrideUnsignedIntSchema = z.object({ Value: uint32() });

  const LinearDifferenceRuleExpansionSchema = z.object({
    Delta: double(),
    Limit: optional(double()),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const CustomDifferenceRuleExpansionSchema = z.object({
    DifferenceOverrides: overrideList(OverrideDoubleSchema),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const DifferenceRuleSchema = z.object({
    Attribute: QueueRuleAttributeSchema,
    AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
    CustomExpansion: optional(CustomDifferenceRuleExpansionSchema),
    DefaultAttributeValue: optional(double()),
    Difference: double().check(z.gte(0, { error: 'must be 0 or more' })),
    LinearExpansion: optional(LinearDifferenceRuleExpansionSchema),
    MergeFunction: oneOf(ATTRIBUTE_MERGE_FUNCTIONS),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
    Weight: weight(),
  });

  const MatchTotalRuleExpansionSchema = z.object({
    MaxOverrides: optional(overrideList(OverrideDoubleSchema)),
    MinOverrides: optional(overrideList(OverrideDoubleSchema)),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const MatchTotalRuleSchema = z.object({
    Attribute: QueueRuleAttributeSchema,
    Expansion: optional(MatchTotalRuleExpansionSchema),
    Max: double(),
    Min: double(),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
    Weight: weight(),
  });

  const LinearRegionSelectionRuleExpansionSchema = z.object({
    Delta: uint32(),
    Limit: uint32(),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const CustomRegionSelectionRuleExpansionSchema = z.object({
    MaxLatencyOverrides: overrideList(OverrideUnsignedIntSchema),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const RegionSelectionRuleSchema = z.object({
    CustomExpansion: optional(CustomRegionSelectionRuleExpansionSchema),
    LinearExpansion: optional(LinearRegionSelectionRuleExpansionSchema),
    MaxLatency: uint32(),
    Name: ruleName(),
    Path: nonEmptyText(),
    SecondsUntilOptional: optional(uint32()),
    Weight: weight(),
  });

  const LinearSetIntersectionRuleExpansionSchema = z.object({
    Delta: uint32(),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const CustomSetIntersectionRuleExpansionSchema = z.object({
    MinIntersectionSizeOverrides: overrideList(OverrideUnsignedIntSchema),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const SetIntersectionRuleSchema = z.object({
    Attribute: QueueRuleAttributeSchema,
    AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
    CustomExpansion: optional(CustomSetIntersectionRuleExpansionSchema),
    DefaultAttributeValue: optional(
      z
        .array(text())
        .check(z.maxLength(MAX_SET_ENTRIES, { error: `must list at most ${MAX_SET_ENTRIES} values` })),
    ),
    LinearExpansion: optional(LinearSetIntersectionRuleExpansionSchema),
    MinIntersectionSize: uint32(),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
    Weight: weight(),
  });

  const StringEqualityRuleExpansionSchema = z.object({
    EnabledOverrides: z.array(bool()).check(
      z.minLength(1, { error: 'must list at least one interval' }),
      z.maxLength(MAX_EXPANSION_INTERVALS, {
        error: `must list at most ${MAX_EXPANSION_INTERVALS} intervals`,
      }),
    ),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const StringEqualityRuleSchema = z.object({
    Attribute: QueueRuleAttributeSchema,
    AttributeNotSpecifiedBehavior: oneOf(ATTRIBUTE_NOT_SPECIFIED_BEHAVIORS),
    DefaultAttributeValue: optional(text()),
    Expansion: optional(StringEqualityRuleExpansionSchema),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
    Weight: weight(),
  });

  const LinearTeamDifferenceRuleExpansionSchema = z.object({
    Delta: double(),
    Limit: optional(double()),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const CustomTeamDifferenceRuleExpansionSchema = z.object({
    DifferenceOverrides: overrideList(OverrideDoubleSchema),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const TeamDifferenceRuleSchema = z.object({
    Attribute: QueueRuleAttributeSchema,
    CustomExpansion: optional(CustomTeamDifferenceRuleExpansionSchema),
    DefaultAttributeValue: double(),
    Difference: double().check(z.gte(0, { error: 'must be 0 or more' })),
    LinearExpansion: optional(LinearTeamDifferenceRuleExpansionSchema),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
  });

  const LinearTeamSizeBalanceRuleExpansionSchema = z.object({
    Delta: uint32(),
    Limit: optional(uint32()),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const CustomTeamSizeBalanceRuleExpansionSchema = z.object({
    DifferenceOverrides: overrideList(OverrideUnsignedIntSchema),
    SecondsBetweenExpansions: secondsBetweenExpansions(),
  });
  const TeamSizeBalanceRuleSchema = z.object({
    CustomExpansion: optional(CustomTeamSizeBalanceRuleExpansionSchema),
    Difference: uint32(),
    LinearExpansion: optional(LinearTeamSizeBalanceRuleExpansionSchema),
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
  });

  const TeamTicketSizeSimilarityRuleSchema = z.object({
    Name: ruleName(),
    SecondsUntilOptional: optional(uint32()),
  });

  const MatchmakingQueueTeamSchema = z.object({
    MaxTeamSize: uint32().check(z.gte(1, { error: 'must be at least 1' })),
    MinTeamSize: uint32(),
    Name: queueName(),
  });

  const BuildAliasParamsSchema = z.object({ AliasId: nonEmptyText() });

  const StatisticsVisibilityToPlayersSchema = z.object({
    ShowNumberOfPlayersMatching: bool(),
    ShowTimeToMatch: bool(),
  });

  const MatchmakingQueueConfigSchema = z.object({
    BuildAliasParams: optional(BuildAliasParamsSchema),
    BuildId: optional(text()),
    DifferenceRules: optional(ruleList(DifferenceRuleSchema)),
    MatchTotalRules: optional(ruleList(MatchTotalRuleSchema)),
    MaxMatchSize: uint32().check(
      z.gte(MIN_MATCH_SIZE, { error: `must be at least ${MIN_MATCH_SIZE}` }),
      z.lte(MAX_MATCH_SIZE, { error: `must be at most ${MAX_MATCH_SIZE}` }),
    ),
    MaxTicketSize: optional(uint32().check(z.gte(1, { error: 'must be at least 1' }))),
    MinMatchSize: uint32().check(
      z.gte(MIN_MATCH_SIZE, { error: `must be at least ${MIN_MATCH_SIZE}` }),
      z.lte(MAX_MATCH_SIZE, { error: `must be at most ${MAX_MATCH_SIZE}` }),
    ),
    Name: queueName(),
    RegionSelectionRule: optional(RegionSelectionRuleSchema),
    ServerAllocationEnabled: bool(),
    SetIntersectionRules: optional(ruleList(SetIntersectionRuleSchema)),
    StatisticsVisibilityToPlayers: optional(StatisticsVisibilityToPlayersSchema),
    StringEqualityRules: optional(ruleList(StringEqualityRuleSchema)),
    TeamDifferenceRules: optional(ruleList(TeamDifferenceRuleSchema)),
    Teams: optional(
      z.array(MatchmakingQueueTeamSchema).check(
        z.maxLength(MAX_MATCH_SIZE_WITH_TEAMS, {
          error: `must list at most ${MAX_MATCH_SIZE_WITH_TEAMS} teams`,
        }),
      ),
    ),
    TeamSizeBalanceRule: optional(TeamSizeBalanceRuleSchema),
    TeamTicketSizeSimilarityRule: optional(TeamTicketSizeSimilarityRuleSchema),
  });
  return {
    PortSchema,
    ServerDetailsSchema,
    QueueRuleAttributeSchema,
    OverrideDoubleSchema,
    OverrideUnsignedIntSchema,
    LinearDifferenceRuleExpansionSchema,
    CustomDifferenceRuleExpansionSchema,
    DifferenceRuleSchema,
    MatchTotalRuleExpansionSchema,
    MatchTotalRuleSchema,
    LinearRegionSelectionRuleExpansionSchema,
    CustomRegionSelectionRuleExpansionSchema,
    RegionSelectionRuleSchema,
    LinearSetIntersectionRuleExpansionSchema,
    CustomSetIntersectionRuleExpansionSchema,
    SetIntersectionRuleSchema,
    StringEqualityRuleExpansionSchema,
    StringEqualityRuleSchema,
    LinearTeamDifferenceRuleExpansionSchema,
    CustomTeamDifferenceRuleExpansionSchema,
    TeamDifferenceRuleSchema,
    LinearTeamSizeBalanceRuleExpansionSchema,
    CustomTeamSizeBalanceRuleExpansionSchema,
    TeamSizeBalanceRuleSchema,
    TeamTicketSizeSimilarityRuleSchema,
    MatchmakingQueueTeamSchema,
    BuildAliasParamsSchema,
    StatisticsVisibilityToPlayersSchema,
    MatchmakingQueueConfigSchema,
  };
});

type QueueSchemas = ReturnType<typeof queueSchemas>;

export type Port = z.output<QueueSchemas['PortSchema']>;
export type ServerDetails = z.output<QueueSchemas['ServerDetailsSchema']>;
export type QueueRuleAttribute = z.output<QueueSchemas['QueueRuleAttributeSchema']>;
export type DifferenceRule = z.output<QueueSchemas['DifferenceRuleSchema']>;
export type MatchTotalRule = z.output<QueueSchemas['MatchTotalRuleSchema']>;
export type RegionSelectionRule = z.output<QueueSchemas['RegionSelectionRuleSchema']>;
export type SetIntersectionRule = z.output<QueueSchemas['SetIntersectionRuleSchema']>;
export type StringEqualityRule = z.output<QueueSchemas['StringEqualityRuleSchema']>;
export type TeamDifferenceRule = z.output<QueueSchemas['TeamDifferenceRuleSchema']>;
export type TeamSizeBalanceRule = z.output<QueueSchemas['TeamSizeBalanceRuleSchema']>;
export type TeamTicketSizeSimilarityRule = z.output<QueueSchemas['TeamTicketSizeSimilarityRuleSchema']>;
export type MatchmakingQueueTeam = z.output<QueueSchemas['MatchmakingQueueTeamSchema']>;
export type MatchmakingQueueConfig = z.output<QueueSchemas['MatchmakingQueueConfigSchema']>;
export type OverrideDouble = z.output<QueueSchemas['OverrideDoubleSchema']>;
export type OverrideUnsignedInt = z.output<QueueSchemas['OverrideUnsignedIntSchema']>;
