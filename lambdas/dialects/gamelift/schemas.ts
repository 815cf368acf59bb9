/**
 * Input schemas for the 13 FlexMatch operations, written by hand from the official Smithy model
 * (gamelift 2015-10-01) and checked against it by test/dialects/gamelift/smithy-constraints.test.ts.
 *
 * Member names are the model's (UpperCamelCase, as on the AWS JSON 1.1 wire). Every check carries
 * the AWS constraint phrase as its zod message, so validation-message.ts only has to add the
 * "Value ... at ..." framing.
 *
 * Decisions:
 * - Patterns must match the WHOLE value. Smithy defines @pattern as an unanchored ECMA-262
 *   search, but AWS services validate with a full match (they reject `"smart-dcb-messages"`
 *   against `[a-zA-Z0-9_.-]+`, and `serverlessTest.-dev` against `[a-zA-Z][-a-zA-Z0-9]*|arn:…`),
 *   and the Smithy conversion added `^…$` to most GameLift patterns to say so. Under a search,
 *   `^[a-zA-Z0-9-\.]*|^arn:…` would accept anything, which is clearly not meant.
 * - Unknown members are dropped (zod's default strip), as AWS ignores members it doesn't know.
 * - A JSON `null` on an optional member means "absent", as the AWS JSON protocol treats it.
 * - A few published FlexMatch rules that the model doesn't encode are enforced too; they are
 *   listed in SERVICE_RULES so the conformance test can tell them from invented constraints.
 */
import * as z from 'zod/mini';
import { builtOnFirstRead, once } from '../../shared/lazy';
import {
  isStorableNumber,
  MAX_KEY_BYTES,
  STORABLE_NUMBER_RULE,
  utf8Bytes,
} from '../../shared/storage-limits';

// ---------------------------------------------------------------------------------------------
// AWS constraint phrases. validation-message.ts frames them; the test matches on them.

export const constraintPhrase = {
  notNull: 'Member must not be null',
  maxLength: (max: number) => `Member must have length less than or equal to ${max}`,
  minLength: (min: number) => `Member must have length greater than or equal to ${min}`,
  maxValue: (max: number) => `Member must have value less than or equal to ${max}`,
  minValue: (min: number) => `Member must have value greater than or equal to ${min}`,
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${printedPattern(pattern)}`,
  enumValues: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  /** AWS reports a bad list element once, at the list, listing every constraint of the element shape. */
  listMember: (phrases: readonly string[]) => `Member must satisfy constraint: [${phrases.join(', ')}]`,
  mapKeys: (phrases: readonly string[]) => `Map keys must satisfy constraint: [${phrases.join(', ')}]`,
  mapValues: (phrases: readonly string[]) => `Map value must satisfy constraint: [${phrases.join(', ')}]`,
  exactlyOneOf: (members: readonly string[]) => `Member must have exactly one of [${members.join(', ')}] set`,
  type: (expected: WireType) => `Member must be of type ${expected}`,
  maxBytes: (max: number) => `Member must have length less than or equal to ${max} bytes of UTF-8`,
} as const;

const storableNumberPhrase = `Member must be ${STORABLE_NUMBER_RULE}`;

export type WireType = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'map' | 'structure';

/**
 * AWS prints its own (pre-Smithy) form of a pattern, without the `^…$` the Smithy conversion
 * wrapped around it: `[a-zA-Z0-9-\.]*` for a ticket id. Only an outer pair is removed.
 */
export function printedPattern(pattern: string): string {
  let printed = pattern;
  if (printed.startsWith('^')) printed = printed.slice(1);
  if (printed.endsWith('$') && !printed.endsWith('\\$')) printed = printed.slice(0, -1);
  return printed;
}

/** Full-match semantics (see the file comment). No `u` flag: the model's classes such as `[0-9-\.]` are only legal without it. */
export function wholeValuePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

// ---------------------------------------------------------------------------------------------
// Constraint descriptions (data), so collection checks can list a member's constraints AWS's way.

interface StringConstraints {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** UTF-8 bytes, for values that become part of a DynamoDB key (a slotfill rule). */
  maxBytes?: number;
}

interface NumberConstraints {
  min?: number;
  max?: number;
}

/** The phrases AWS lists for a string shape, in AWS's order: max, min, pattern. */
function stringConstraintPhrases(constraints: StringConstraints): string[] {
  const phrases: string[] = [];
  if (constraints.maxLength !== undefined) phrases.push(constraintPhrase.maxLength(constraints.maxLength));
  if (constraints.minLength !== undefined) phrases.push(constraintPhrase.minLength(constraints.minLength));
  if (constraints.pattern !== undefined) phrases.push(constraintPhrase.pattern(constraints.pattern));
  if (constraints.maxBytes !== undefined) phrases.push(constraintPhrase.maxBytes(constraints.maxBytes));
  return phrases;
}

function numberConstraintPhrases(constraints: NumberConstraints): string[] {
  const phrases: string[] = [];
  if (constraints.max !== undefined) phrases.push(constraintPhrase.maxValue(constraints.max));
  if (constraints.min !== undefined) phrases.push(constraintPhrase.minValue(constraints.min));
  return phrases;
}

function satisfiesString(value: string, constraints: StringConstraints): boolean {
  if (constraints.minLength !== undefined && value.length < constraints.minLength) return false;
  if (constraints.maxLength !== undefined && value.length > constraints.maxLength) return false;
  if (constraints.pattern !== undefined && !wholeValuePattern(constraints.pattern).test(value)) return false;
  if (constraints.maxBytes !== undefined && utf8Bytes(value) > constraints.maxBytes) return false;
  return true;
}

function satisfiesNumber(value: number, constraints: NumberConstraints): boolean {
  if (constraints.min !== undefined && value < constraints.min) return false;
  if (constraints.max !== undefined && value > constraints.max) return false;
  return true;
}

// Model string shapes (Smithy @length / @pattern), named after the model's shape ids.
const MatchmakingIdStringModel: StringConstraints = {
  minLength: 0,
  maxLength: 128,
  pattern: '^[a-zA-Z0-9-\\.]*$',
};
const MatchmakingConfigurationName: StringConstraints = {
  minLength: 1,
  maxLength: 256,
  pattern: '^[a-zA-Z0-9-\\.]*|^arn:.*:matchmakingconfiguration\\/[a-zA-Z0-9-\\.]*$',
};
const MatchmakingRuleSetName: StringConstraints = {
  minLength: 1,
  maxLength: 256,
  pattern: '^[a-zA-Z0-9-\\.]*|^arn:.*:matchmakingruleset\\/[a-zA-Z0-9-\\.]*$',
};
const ArnStringModel: StringConstraints = { minLength: 1, maxLength: 512, pattern: '^[a-zA-Z0-9:/-]+$' };
const SnsArnStringModel: StringConstraints = {
  minLength: 0,
  maxLength: 300,
  pattern: '^[a-zA-Z0-9:_/-]*(.fifo)?$',
};
const PlayerIdString: StringConstraints = { minLength: 1, maxLength: 1024 };
const NonZeroAndMaxString: StringConstraints = { minLength: 1, maxLength: 1024 };
const NonEmptyString: StringConstraints = { minLength: 1 };
const PlayerAttributeString: StringConstraints = { minLength: 1, maxLength: 100 };
const RuleSetBody: StringConstraints = { minLength: 1, maxLength: 65535 };
const TagKey: StringConstraints = { minLength: 1, maxLength: 128 };
const TagValue: StringConstraints = { minLength: 0, maxLength: 256 };
const CustomEventData: StringConstraints = { minLength: 0, maxLength: 256 };
const GamePropertyKey: StringConstraints = { minLength: 0, maxLength: 32 };
const GamePropertyValue: StringConstraints = { minLength: 0, maxLength: 96 };
const GameSessionData: StringConstraints = { minLength: 1, maxLength: 4096 };

// Model number shapes (Smithy @range).
const PositiveInteger: NumberConstraints = { min: 1 };
const WholeNumber: NumberConstraints = { min: 0 };
const RuleSetLimit: NumberConstraints = { min: 1, max: 10 };
const MatchmakingRequestTimeoutInteger: NumberConstraints = { min: 1, max: 43200 };
const MatchmakingAcceptanceTimeoutInteger: NumberConstraints = { min: 1, max: 600 };

/**
 * Published FlexMatch rules the Smithy model does not encode. Kept together (and exported) so the
 * conformance test can tell these from invented constraints and check them separately.
 */
export const SERVICE_RULES = {
  startMatchmakingMaxPlayers: 10,
  /**
   * What DynamoDB stores, which FlexMatch's model does not say (slotfill, issue 13): numbers
   * (N, SDM values) within ±(2^53 − 1) and 0 or at least 1e-130 in magnitude; ids used in keys
   * (PlayerId) at most 1024 bytes of UTF-8; names used as keys at least 1 character; at most 100
   * LatencyInMs regions of at most 128 characters; at most 100 Names per
   * DescribeMatchmakingConfigurations (one batched read).
   */
  maxKeyBytes: MAX_KEY_BYTES,
  minNameLength: 1,
  maxLatencyRegions: 100,
  maxRegionNameLength: 128,
  maxDescribedConfigurations: 100,
  startMatchmakingMinPlayers: 1,
  startMatchBackfillMaxPlayers: 199,
  describeMatchmakingMaxTicketIds: 10,
  maxAttributesPerPlayer: 10,
  maxStringListEntries: 100,
  maxStringDoubleMapEntries: 10,
  /** The model leaves Player.PlayerId optional, but a player without an id can't be matched. */
  playerIdRequired: true,
  /** StartMatchBackfill: every player already in the session carries its team. */
  backfillPlayerTeamRequired: true,
  /** AttributeValue is a tagged union on the wire (documented, not modelled). */
  attributeValueMembers: ['S', 'N', 'SL', 'SDM'] as const,
} as const;

/** Names that become keys: the model allows an empty one, a key can't be empty. */
const NewResourceName: StringConstraints = {
  ...MatchmakingIdStringModel,
  minLength: SERVICE_RULES.minNameLength,
};
/** PlayerId becomes part of lock and invitation keys. */
const StoredPlayerId: StringConstraints = { ...PlayerIdString, maxBytes: SERVICE_RULES.maxKeyBytes };
const LatencyRegion: StringConstraints = { ...NonEmptyString, maxLength: SERVICE_RULES.maxRegionNameLength };
/** PositiveInteger is an `integer`: at most 2^31 − 1. */
const LatencyMilliseconds: NumberConstraints = { ...PositiveInteger, max: 2 ** 31 - 1 };

/** Model members whose values AWS never echoes in messages (@sensitive). */
export const SENSITIVE_MEMBER_NAMES: ReadonlySet<string> = new Set(['PlayerId', 'PlayerIds']);

/** Members that are maps: the path segment after one of these is a key, not a member name. */
export const MAP_MEMBER_NAMES: ReadonlySet<string> = new Set(['PlayerAttributes', 'LatencyInMs', 'SDM']);

// ---------------------------------------------------------------------------------------------
// Schema builders.

/** Message for a wrong JSON type, or "must not be null" when the member is absent. */
function typeMismatch(expected: WireType) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined || issue.input === null
      ? constraintPhrase.notNull
      : constraintPhrase.type(expected);
}

function constrainedString(constraints: StringConstraints) {
  const checks: z.core.$ZodCheck<string>[] = [];
  // A minimum of 0 can't fail; adding it would only clutter the issue list.
  if (constraints.minLength !== undefined && constraints.minLength > 0) {
    checks.push(
      z.minLength(constraints.minLength, { error: constraintPhrase.minLength(constraints.minLength) }),
    );
  }
  if (constraints.maxLength !== undefined) {
    checks.push(
      z.maxLength(constraints.maxLength, { error: constraintPhrase.maxLength(constraints.maxLength) }),
    );
  }
  if (constraints.pattern !== undefined) {
    checks.push(
      z.regex(wholeValuePattern(constraints.pattern), {
        error: constraintPhrase.pattern(constraints.pattern),
      }),
    );
  }
  const { maxBytes } = constraints;
  if (maxBytes !== undefined) {
    // Reported only for values within the length limit, which says more when both fail.
    const lengthLimit = constraints.maxLength ?? Number.POSITIVE_INFINITY;
    checks.push(
      z.refine((value: string) => value.length > lengthLimit || utf8Bytes(value) <= maxBytes, {
        error: constraintPhrase.maxBytes(maxBytes),
      }),
    );
  }
  return z.string({ error: typeMismatch('string') }).check(...checks);
}

/** Smithy's `integer` is a signed 32-bit integer: a bound of the type, whatever the range trait says. */
const INT32_MAX = 2 ** 31 - 1;

function constrainedInteger(constraints: NumberConstraints) {
  const checks: z.core.$ZodCheck<number>[] = [z.int({ error: constraintPhrase.type('integer') })];
  if (constraints.min !== undefined) {
    checks.push(z.gte(constraints.min, { error: constraintPhrase.minValue(constraints.min) }));
  }
  const max = constraints.max ?? INT32_MAX;
  checks.push(z.lte(max, { error: constraintPhrase.maxValue(max) }));
  return z.number({ error: typeMismatch('integer') }).check(...checks);
}

const doubleValue = once(() =>
  z
    .number({ error: typeMismatch('number') })
    .check(z.refine(isStorableNumber, { error: storableNumberPhrase })),
);
const booleanValue = once(() => z.boolean({ error: typeMismatch('boolean') }));

function enumeration<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? constraintPhrase.notNull
        : constraintPhrase.enumValues(values),
  });
}

/** An optional member: absent or `null` both mean "not given" (zod's preprocess, spelt in zod/mini). */
function optional<Schema extends z.ZodMiniType>(schema: Schema) {
  return z.pipe<z.ZodMiniTransform<unknown, unknown>, z.ZodMiniOptional<Schema>>(
    z.transform((value: unknown) => (value === null ? undefined : value)),
    z.optional(schema),
  );
}

interface LengthConstraints {
  minLength?: number;
  maxLength?: number;
}

function withCollectionLength<Schema extends z.ZodMiniArray<z.ZodMiniType>>(
  schema: Schema,
  length: LengthConstraints,
): Schema {
  const checks: z.core.$ZodCheck<unknown[]>[] = [];
  if (length.minLength !== undefined && length.minLength > 0) {
    checks.push(z.minLength(length.minLength, { error: constraintPhrase.minLength(length.minLength) }));
  }
  if (length.maxLength !== undefined) {
    checks.push(z.maxLength(length.maxLength, { error: constraintPhrase.maxLength(length.maxLength) }));
  }
  return checks.length === 0 ? schema : schema.check(...checks);
}

/** A list of strings; a bad element is reported once, at the list, as AWS does. */
function stringList(member: StringConstraints, length: LengthConstraints = {}) {
  const elements = withCollectionLength(
    z.array(z.string({ error: typeMismatch('string') }), { error: typeMismatch('list') }),
    length,
  );
  return elements.check(
    z.superRefine((values: string[], context) => {
      if (values.some((value) => typeof value === 'string' && !satisfiesString(value, member))) {
        context.addIssue({
          code: 'custom',
          input: values,
          message: constraintPhrase.listMember(stringConstraintPhrases(member)),
        });
      }
    }),
  );
}

function structureList<Member extends z.ZodMiniType>(member: Member, length: LengthConstraints = {}) {
  return withCollectionLength(z.array(member, { error: typeMismatch('list') }), length);
}

/** Object-like JSON value whose own entries can be counted (map length). */
function entryCountWithin(record: Record<string, unknown>, maxEntries: number | undefined): boolean {
  return maxEntries === undefined || Object.keys(record).length <= maxEntries;
}

/**
 * A string-keyed map. Key and simple-value failures are reported once per map, at the map, the
 * way AWS does ("Map keys must satisfy constraint: [...]").
 */
function stringKeyedMap<Value extends z.ZodMiniType>(
  keyConstraints: StringConstraints,
  value: Value,
  options: { valueCheck?: (entry: unknown) => boolean; valuePhrases?: string[]; maxEntries?: number } = {},
) {
  const checkEntries = z.superRefine((record: Record<string, unknown>, context) => {
    const entries = Object.entries(record as Record<string, unknown>);
    if (
      !entryCountWithin(record as Record<string, unknown>, options.maxEntries) &&
      options.maxEntries !== undefined
    ) {
      context.addIssue({
        code: 'custom',
        input: record,
        message: constraintPhrase.maxLength(options.maxEntries),
      });
    }
    if (entries.some(([key]) => !satisfiesString(key, keyConstraints))) {
      context.addIssue({
        code: 'custom',
        input: record,
        message: constraintPhrase.mapKeys(stringConstraintPhrases(keyConstraints)),
      });
    }
    const { valueCheck, valuePhrases } = options;
    if (valueCheck && valuePhrases && entries.some(([, entry]) => !valueCheck(entry))) {
      context.addIssue({ code: 'custom', input: record, message: constraintPhrase.mapValues(valuePhrases) });
    }
  });
  return z.record(z.string(), value, { error: typeMismatch('map') }).check(checkEntries);
}

// ---------------------------------------------------------------------------------------------
// Shared structures.

const attributeValueSchema = once(() =>
  z
    .object(
      {
        S: optional(constrainedString(PlayerAttributeString)),
        N: optional(doubleValue()),
        SL: optional(stringList(PlayerAttributeString, { maxLength: SERVICE_RULES.maxStringListEntries })),
        SDM: optional(
          stringKeyedMap(PlayerAttributeString, doubleValue(), {
            maxEntries: SERVICE_RULES.maxStringDoubleMapEntries,
          }),
        ),
      },
      { error: typeMismatch('structure') },
    )
    .check(
      z.superRefine((attribute: Partial<Record<'S' | 'N' | 'SL' | 'SDM', unknown>>, context) => {
        const given = SERVICE_RULES.attributeValueMembers.filter((member) => attribute[member] !== undefined);
        if (given.length !== 1) {
          context.addIssue({
            code: 'custom',
            input: attribute,
            message: constraintPhrase.exactlyOneOf(SERVICE_RULES.attributeValueMembers),
          });
        }
      }),
    ),
);

const latencyIsPositiveInteger = (entry: unknown): boolean =>
  typeof entry === 'number' && Number.isInteger(entry) && satisfiesNumber(entry, LatencyMilliseconds);

const playerMembers = once(() => ({
  PlayerId: constrainedString(StoredPlayerId),
  PlayerAttributes: optional(
    stringKeyedMap(NonZeroAndMaxString, attributeValueSchema(), {
      maxEntries: SERVICE_RULES.maxAttributesPerPlayer,
    }),
  ),
  Team: optional(constrainedString(NonZeroAndMaxString)),
  LatencyInMs: optional(
    stringKeyedMap(LatencyRegion, z.number({ error: typeMismatch('integer') }), {
      valueCheck: latencyIsPositiveInteger,
      valuePhrases: numberConstraintPhrases(LatencyMilliseconds),
      maxEntries: SERVICE_RULES.maxLatencyRegions,
    }),
  ),
}));

const matchmakingPlayerSchema = once(() => z.object(playerMembers(), { error: typeMismatch('structure') }));
const backfillPlayerSchema = once(() =>
  z.object(
    { ...playerMembers(), Team: constrainedString(NonZeroAndMaxString) },
    { error: typeMismatch('structure') },
  ),
);

const tagList = once(() =>
  structureList(
    z.object(
      { Key: constrainedString(TagKey), Value: constrainedString(TagValue) },
      { error: typeMismatch('structure') },
    ),
    { minLength: 0, maxLength: 200 },
  ),
);

const gamePropertyList = once(() =>
  structureList(
    z.object(
      { Key: constrainedString(GamePropertyKey), Value: constrainedString(GamePropertyValue) },
      { error: typeMismatch('structure') },
    ),
    { minLength: 0, maxLength: 16 },
  ),
);

const backfillModes = ['AUTOMATIC', 'MANUAL'] as const;
const flexMatchModes = ['STANDALONE', 'WITH_QUEUE'] as const;
const acceptanceTypes = ['ACCEPT', 'REJECT'] as const;

function operationInput<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.object(shape, { error: typeMismatch('structure') });
}

// ---------------------------------------------------------------------------------------------
// Operation inputs.

const startMatchmakingInputSchema = once(() =>
  operationInput({
    TicketId: optional(constrainedString(MatchmakingIdStringModel)),
    ConfigurationName: constrainedString(MatchmakingConfigurationName),
    Players: structureList(matchmakingPlayerSchema(), {
      minLength: SERVICE_RULES.startMatchmakingMinPlayers,
      maxLength: SERVICE_RULES.startMatchmakingMaxPlayers,
    }),
  }),
);

const startMatchBackfillInputSchema = once(() =>
  operationInput({
    TicketId: optional(constrainedString(MatchmakingIdStringModel)),
    ConfigurationName: constrainedString(MatchmakingConfigurationName),
    GameSessionArn: optional(constrainedString(ArnStringModel)),
    Players: structureList(backfillPlayerSchema(), { maxLength: SERVICE_RULES.startMatchBackfillMaxPlayers }),
  }),
);

const describeMatchmakingInputSchema = once(() =>
  operationInput({
    TicketIds: stringList(MatchmakingIdStringModel, {
      maxLength: SERVICE_RULES.describeMatchmakingMaxTicketIds,
    }),
  }),
);

const stopMatchmakingInputSchema = once(() =>
  operationInput({
    TicketId: constrainedString(MatchmakingIdStringModel),
  }),
);

const acceptMatchInputSchema = once(() =>
  operationInput({
    TicketId: constrainedString(MatchmakingIdStringModel),
    PlayerIds: stringList(StoredPlayerId),
    AcceptanceType: enumeration(acceptanceTypes),
  }),
);

const validateMatchmakingRuleSetInputSchema = once(() =>
  operationInput({
    RuleSetBody: constrainedString(RuleSetBody),
  }),
);

const createMatchmakingRuleSetInputSchema = once(() =>
  operationInput({
    Name: constrainedString(NewResourceName),
    RuleSetBody: constrainedString(RuleSetBody),
    Tags: optional(tagList()),
  }),
);

const describeMatchmakingRuleSetsInputSchema = once(() =>
  operationInput({
    Names: optional(stringList(MatchmakingRuleSetName, { minLength: 1, maxLength: 10 })),
    Limit: optional(constrainedInteger(RuleSetLimit)),
    NextToken: optional(constrainedString(NonZeroAndMaxString)),
  }),
);

const deleteMatchmakingRuleSetInputSchema = once(() =>
  operationInput({
    Name: constrainedString(MatchmakingRuleSetName),
  }),
);

const createMatchmakingConfigurationInputSchema = once(() =>
  operationInput({
    Name: constrainedString(NewResourceName),
    Description: optional(constrainedString(NonZeroAndMaxString)),
    GameSessionQueueArns: optional(stringList(ArnStringModel)),
    RequestTimeoutSeconds: constrainedInteger(MatchmakingRequestTimeoutInteger),
    AcceptanceTimeoutSeconds: optional(constrainedInteger(MatchmakingAcceptanceTimeoutInteger)),
    AcceptanceRequired: booleanValue(),
    RuleSetName: constrainedString(MatchmakingRuleSetName),
    NotificationTarget: optional(constrainedString(SnsArnStringModel)),
    AdditionalPlayerCount: optional(constrainedInteger(WholeNumber)),
    CustomEventData: optional(constrainedString(CustomEventData)),
    GameProperties: optional(gamePropertyList()),
    GameSessionData: optional(constrainedString(GameSessionData)),
    BackfillMode: optional(enumeration(backfillModes)),
    FlexMatchMode: optional(enumeration(flexMatchModes)),
    Tags: optional(tagList()),
  }),
);

const describeMatchmakingConfigurationsInputSchema = once(() =>
  operationInput({
    Names: optional(
      stringList(MatchmakingConfigurationName, { maxLength: SERVICE_RULES.maxDescribedConfigurations }),
    ),
    RuleSetName: optional(constrainedString(MatchmakingRuleSetName)),
    Limit: optional(constrainedInteger(PositiveInteger)),
    NextToken: optional(constrainedString(NonZeroAndMaxString)),
  }),
);

const updateMatchmakingConfigurationInputSchema = once(() =>
  operationInput({
    Name: constrainedString(MatchmakingConfigurationName),
    Description: optional(constrainedString(NonZeroAndMaxString)),
    GameSessionQueueArns: optional(stringList(ArnStringModel)),
    RequestTimeoutSeconds: optional(constrainedInteger(MatchmakingRequestTimeoutInteger)),
    AcceptanceTimeoutSeconds: optional(constrainedInteger(MatchmakingAcceptanceTimeoutInteger)),
    AcceptanceRequired: optional(booleanValue()),
    RuleSetName: optional(constrainedString(MatchmakingRuleSetName)),
    NotificationTarget: optional(constrainedString(SnsArnStringModel)),
    AdditionalPlayerCount: optional(constrainedInteger(WholeNumber)),
    CustomEventData: optional(constrainedString(CustomEventData)),
    GameProperties: optional(gamePropertyList()),
    GameSessionData: optional(constrainedString(GameSessionData)),
    BackfillMode: optional(enumeration(backfillModes)),
    FlexMatchMode: optional(enumeration(flexMatchModes)),
  }),
);

const deleteMatchmakingConfigurationInputSchema = once(() =>
  operationInput({
    Name: constrainedString(MatchmakingConfigurationName),
  }),
);

/** Each operation's input schema, built when first read and then kept: a request needs one. */
export const operationInputSchemas = builtOnFirstRead({
  StartMatchmaking: startMatchmakingInputSchema,
  StartMatchBackfill: startMatchBackfillInputSchema,
  DescribeMatchmaking: describeMatchmakingInputSchema,
  StopMatchmaking: stopMatchmakingInputSchema,
  AcceptMatch: acceptMatchInputSchema,
  ValidateMatchmakingRuleSet: validateMatchmakingRuleSetInputSchema,
  CreateMatchmakingRuleSet: createMatchmakingRuleSetInputSchema,
  DescribeMatchmakingRuleSets: describeMatchmakingRuleSetsInputSchema,
  DeleteMatchmakingRuleSet: deleteMatchmakingRuleSetInputSchema,
  CreateMatchmakingConfiguration: createMatchmakingConfigurationInputSchema,
  DescribeMatchmakingConfigurations: describeMatchmakingConfigurationsInputSchema,
  UpdateMatchmakingConfiguration: updateMatchmakingConfigurationInputSchema,
  DeleteMatchmakingConfiguration: deleteMatchmakingConfigurationInputSchema,
});

export type GameLiftOperation = keyof typeof operationInputSchemas;
export type OperationInput<Operation extends GameLiftOperation> = z.output<
  (typeof operationInputSchemas)[Operation]
>;

export type StartMatchmakingInput = OperationInput<'StartMatchmaking'>;
export type StartMatchBackfillInput = OperationInput<'StartMatchBackfill'>;
export type DescribeMatchmakingInput = OperationInput<'DescribeMatchmaking'>;
export type StopMatchmakingInput = OperationInput<'StopMatchmaking'>;
export type AcceptMatchInput = OperationInput<'AcceptMatch'>;
export type ValidateMatchmakingRuleSetInput = OperationInput<'ValidateMatchmakingRuleSet'>;
export type CreateMatchmakingRuleSetInput = OperationInput<'CreateMatchmakingRuleSet'>;
export type DescribeMatchmakingRuleSetsInput = OperationInput<'DescribeMatchmakingRuleSets'>;
export type DeleteMatchmakingRuleSetInput = OperationInput<'DeleteMatchmakingRuleSet'>;
export type CreateMatchmakingConfigurationInput = OperationInput<'CreateMatchmakingConfiguration'>;
export type DescribeMatchmakingConfigurationsInput = OperationInput<'DescribeMatchmakingConfigurations'>;
export type UpdateMatchmakingConfigurationInput = OperationInput<'UpdateMatchmakingConfiguration'>;
export type DeleteMatchmakingConfigurationInput = OperationInput<'DeleteMatchmakingConfiguration'>;

// ---------------------------------------------------------------------------------------------
// Output wire shapes (what the service returns). Names as in the model; timestamps are epoch
// seconds (AWS JSON 1.1 default), possibly fractional.

/** The wire AttributeValue. On output exactly one member is set, as on input. */
export interface WireAttributeValue {
  S?: string;
  N?: number;
  SL?: string[];
  SDM?: Record<string, number>;
}

/** The wire Player. The model leaves PlayerId optional; slotfill always requires and returns it. */
export interface WirePlayer {
  PlayerId: string;
  PlayerAttributes?: Record<string, WireAttributeValue>;
  Team?: string;
  LatencyInMs?: Record<string, number>;
}

export interface MatchedPlayerSession {
  PlayerId?: string;
  PlayerSessionId?: string;
}

export interface GameSessionConnectionInfo {
  GameSessionArn?: string;
  IpAddress?: string;
  DnsName?: string;
  Port?: number;
  MatchedPlayerSessions?: MatchedPlayerSession[];
}

export type MatchmakingConfigurationStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'PLACING'
  | 'QUEUED'
  | 'REQUIRES_ACCEPTANCE'
  | 'SEARCHING'
  | 'TIMED_OUT';

export interface MatchmakingTicket {
  TicketId?: string;
  ConfigurationName?: string;
  ConfigurationArn?: string;
  Status?: MatchmakingConfigurationStatus;
  StatusReason?: string;
  StatusMessage?: string;
  StartTime?: number;
  EndTime?: number;
  Players?: WirePlayer[];
  GameSessionConnectionInfo?: GameSessionConnectionInfo;
  EstimatedWaitTime?: number;
}

export interface WireTag {
  Key: string;
  Value: string;
}

export interface WireGameProperty {
  Key: string;
  Value: string;
}

export interface MatchmakingConfiguration {
  Name?: string;
  ConfigurationArn?: string;
  Description?: string;
  GameSessionQueueArns?: string[];
  RequestTimeoutSeconds?: number;
  AcceptanceTimeoutSeconds?: number;
  AcceptanceRequired?: boolean;
  RuleSetName?: string;
  RuleSetArn?: string;
  NotificationTarget?: string;
  AdditionalPlayerCount?: number;
  CustomEventData?: string;
  CreationTime?: number;
  GameProperties?: WireGameProperty[];
  GameSessionData?: string;
  BackfillMode?: (typeof backfillModes)[number];
  FlexMatchMode?: (typeof flexMatchModes)[number];
}

export interface MatchmakingRuleSet {
  RuleSetName?: string;
  RuleSetArn?: string;
  /** The only member the model marks required. */
  RuleSetBody: string;
  CreationTime?: number;
}

// Compile-time guard: a parsed input player is a valid wire player (players.ts relies on it).
type ParsedPlayer = StartMatchmakingInput['Players'][number] | StartMatchBackfillInput['Players'][number];
const parsedPlayerIsWirePlayer = (player: ParsedPlayer): WirePlayer => player;
void parsedPlayerIsWirePlayer;
