import {
  type ExpressionType,
  type LeafType,
  looksLikeExpression,
  type NumericPartyAggregation,
  parsePropertyExpression,
  type SetPartyAggregation,
  typeOfExpression,
} from './expressions';
import { type JsonObject, type JsonValue, parseRuleSetJson } from './parse';
import { childPath, type RuleSetProblem } from './problems';
import type {
  AgeSelection,
  AttributeLeafValue,
  AttributeSpec,
  AttributeType,
  BackfillPriority,
  BatchingPreference,
  ExpressionEnvironment,
  SortDirection,
  Strategy,
} from './program';
import { parseCompoundStatement, statementRuleNames } from './statement';
import type {
  AlgorithmDefinition,
  CollectionOperation,
  ComparisonOperation,
  ExpansionDefinition,
  ExpansionTarget,
  ParsedExpression,
  ReferenceValue,
  RuleDefinition,
  RuleSet,
  RuleType,
  TeamDefinition,
} from './types';

/*
 * Facts behind the size limits (AWS GameLift FlexMatch developer guide, "Design a FlexMatch
 * large-match rule set", "Rule set schema for large matches" and "Set rules for large
 * matches", read through the search tool):
 * - a rule set is a large-match rule set when the sum of maxPlayers over all teams exceeds 40;
 *   matches then hold 41 to 200 players;
 * - large matches require strategy "balanced" with a numeric balancedAttribute declared among
 *   the player attributes; their batchingPreference is largestPopulation (default) or
 *   fastestRegion, while exhaustiveSearch uses random or sorted;
 * - of the custom rules, large matches support only the latency rule (maxLatency) and the
 *   batchDistance rule; the large schema lists no maxDistance for latency;
 * - compound rules are for matches of up to 40 players.
 * The published example 10 combines strategy balanced with a compound rule in a 40-player
 * match, so "balanced" itself is accepted for small matches.
 */
export const LARGE_MATCH_THRESHOLD = 40;
export const MAX_PLAYERS_PER_MATCH = 200;
const LARGE_MATCH_RULE_TYPES: ReadonlySet<RuleType> = new Set(['latency', 'batchDistance']);

const RULE_TYPES: readonly RuleType[] = [
  'distance',
  'comparison',
  'collection',
  'latency',
  'distanceSort',
  'absoluteSort',
  'batchDistance',
  'compound',
];
const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'number', 'string_list', 'string_number_map'];
const COMPARISON_OPERATIONS: readonly ComparisonOperation[] = ['<', '<=', '=', '!=', '>', '>='];
const COLLECTION_OPERATIONS: readonly CollectionOperation[] = [
  'intersection',
  'contains',
  'reference_intersection_count',
];
const NUMERIC_AGGREGATIONS: readonly NumericPartyAggregation[] = ['avg', 'min', 'max'];
const SET_AGGREGATIONS: readonly SetPartyAggregation[] = ['union', 'intersection'];
const STRATEGIES: readonly Strategy[] = ['exhaustiveSearch', 'balanced'];
const BATCHING: readonly BatchingPreference[] = ['random', 'sorted', 'largestPopulation', 'fastestRegion'];
const BATCHING_BY_STRATEGY: Record<Strategy, readonly BatchingPreference[]> = {
  exhaustiveSearch: ['random', 'sorted'],
  balanced: ['largestPopulation', 'fastestRegion'],
};
const AGE_SELECTIONS: readonly AgeSelection[] = ['newest', 'oldest'];
const BACKFILL_PRIORITIES: readonly BackfillPriority[] = ['normal', 'low', 'high'];
const SORT_DIRECTIONS: readonly SortDirection[] = ['ascending', 'descending'];

const COMMON_RULE_PROPERTIES = ['name', 'description', 'type'];
const RULE_PROPERTIES: Record<RuleType, readonly string[]> = {
  distance: ['measurements', 'referenceValue', 'minDistance', 'maxDistance', 'partyAggregation'],
  comparison: ['measurements', 'referenceValue', 'operation', 'partyAggregation'],
  collection: ['measurements', 'referenceValue', 'operation', 'minCount', 'maxCount', 'partyAggregation'],
  latency: ['maxLatency', 'maxDistance', 'distanceReference', 'partyAggregation'],
  distanceSort: ['sortDirection', 'sortAttribute', 'mapKey', 'partyAggregation'],
  absoluteSort: ['sortDirection', 'sortAttribute', 'mapKey', 'partyAggregation'],
  batchDistance: ['batchAttribute', 'maxDistance', 'partyAggregation'],
  compound: ['statement'],
};

/** A plain decimal number written as a string (`"500"`, `"2.5"`); no exponents, hex or blanks. */
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Numeric rule properties an expansion may relax; counts must stay whole numbers. */
export const EXPANDABLE_RULE_PROPERTIES: Record<RuleType, readonly string[]> = {
  distance: ['minDistance', 'maxDistance', 'referenceValue'],
  comparison: ['referenceValue'],
  collection: ['minCount', 'maxCount'],
  latency: ['maxLatency', 'maxDistance'],
  distanceSort: [],
  absoluteSort: [],
  batchDistance: ['maxDistance'],
  compound: [],
};
const WHOLE_NUMBER_PROPERTIES = new Set(['minCount', 'maxCount', 'minPlayers', 'maxPlayers']);

export type ValidationResult =
  | { valid: true; ruleSet: RuleSet }
  | { valid: false; problems: RuleSetProblem[] };

/** Parses and validates a rule set body, collecting every problem. */
export function validateRuleSetBody(body: string): ValidationResult {
  const parsed = parseRuleSetJson(body);
  if (!parsed.ok) {
    return { valid: false, problems: parsed.problems };
  }
  return validateRuleSetValue(parsed.value);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function listed<T extends string>(values: readonly T[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

/** Collects problems and offers typed readers that report, at the right path, what is wrong. */
class Checker {
  readonly problems: RuleSetProblem[] = [];

  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  unknownProperties(object: JsonObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        this.report(childPath(path, key), 'unknown property');
      }
    }
  }

  string(object: JsonObject, key: string, path: string, required: boolean): string | undefined {
    const value = object[key];
    if (value === undefined) {
      if (required) this.report(childPath(path, key), 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report(childPath(path, key), `must be a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  name(object: JsonObject, key: string, path: string): string | undefined {
    const value = this.string(object, key, path, true);
    if (value !== undefined && value.trim() === '') {
      this.report(childPath(path, key), 'must not be empty');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(
    object: JsonObject,
    key: string,
    path: string,
    allowed: readonly T[],
  ): T | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.report(childPath(path, key), `must be one of ${listed(allowed)}, got ${describe(value)}`);
      return undefined;
    }
    return value as T;
  }

  number(
    object: JsonObject,
    key: string,
    path: string,
    options: {
      required?: boolean;
      min?: number;
      max?: number;
      integer?: boolean;
      decimalString?: boolean;
    } = {},
  ): number | undefined {
    const raw = object[key];
    const at = childPath(path, key);
    if (raw === undefined) {
      if (options.required) this.report(at, 'is required');
      return undefined;
    }
    const value =
      options.decimalString && typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.report(at, `must be a number, got ${describe(value)}`);
      return undefined;
    }
    if (options.integer && !Number.isInteger(value)) {
      this.report(at, `must be a whole number, got ${value}`);
      return undefined;
    }
    if (options.min !== undefined && value < options.min) {
      this.report(at, `must be at least ${options.min}, got ${value}`);
      return undefined;
    }
    if (options.max !== undefined && value > options.max) {
      this.report(at, `must be at most ${options.max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  array(object: JsonObject, key: string, path: string, required: boolean): JsonValue[] | undefined {
    const value = object[key];
    if (value === undefined) {
      if (required) this.report(childPath(path, key), 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.report(childPath(path, key), `must be an array, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }
}

function checkDefault(type: AttributeType, value: JsonValue): AttributeLeafValue | string {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : 'must be a number';
    case 'string_list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? (value as string[])
        : 'must be an array of strings';
    default: {
      if (!isObject(value)) return 'must be an object of string keys to numbers';
      const entries = Object.entries(value);
      if (!entries.every(([, item]) => typeof item === 'number' && Number.isFinite(item))) {
        return 'must be an object of string keys to numbers';
      }
      return Object.fromEntries(entries) as Record<string, number>;
    }
  }
}

export function validateRuleSetValue(root: JsonValue): ValidationResult {
  const checker = new Checker();
  if (!isObject(root)) {
    return {
      valid: false,
      problems: [{ path: '', message: `must be a JSON object, got ${describe(root)}` }],
    };
  }
  checker.unknownProperties(root, '', [
    'name',
    'ruleLanguageVersion',
    'playerAttributes',
    'algorithm',
    'teams',
    'rules',
    'expansions',
  ]);
  const name = checker.string(root, 'name', '', false) ?? '';
  const version = root.ruleLanguageVersion;
  if (version === undefined) {
    checker.report('ruleLanguageVersion', 'is required');
  } else if (version !== '1.0') {
    checker.report('ruleLanguageVersion', `must be "1.0", got ${describe(version)}`);
  }

  const attributes = validateAttributes(root, checker);
  const teams = validateTeams(root, checker);
  const slotNames = new Map<string, number[]>();
  let slotCount = 0;
  for (const team of teams) {
    const indexes: number[] = [];
    for (let copy = 1; copy <= team.quantity; copy++) {
      const slotName = team.quantity === 1 ? team.name : `${team.name}_${copy}`;
      if (team.quantity > 1) slotNames.set(slotName, [slotCount]);
      indexes.push(slotCount++);
    }
    slotNames.set(team.name, indexes);
  }
  const totalMaxPlayers = teams.reduce((total, team) => total + team.maxPlayers * team.quantity, 0);
  const largeMatch = totalMaxPlayers > LARGE_MATCH_THRESHOLD;
  if (totalMaxPlayers > MAX_PLAYERS_PER_MATCH) {
    checker.report(
      'teams',
      `a match holds at most ${MAX_PLAYERS_PER_MATCH} players, but maxPlayers × quantity over all teams is ${totalMaxPlayers}`,
    );
  }
  const environment: ExpressionEnvironment = {
    attributes: new Map(attributes.map((spec) => [spec.name, spec])),
    teamSlots: slotNames,
    slotCount,
  };
  const { rules, declaredRuleNames } = validateRules(root, checker, environment, largeMatch);
  const algorithm = validateAlgorithm(root, checker, environment, largeMatch);
  const expansions = validateExpansions(root, checker, rules, declaredRuleNames, teams);

  if (checker.problems.length > 0) {
    return { valid: false, problems: checker.problems };
  }
  return {
    valid: true,
    ruleSet: {
      name,
      ruleLanguageVersion: '1.0',
      playerAttributes: attributes,
      teams,
      rules,
      algorithm,
      expansions,
      totalMaxPlayers,
      largeMatch,
    },
  };
}

function validateAttributes(root: JsonObject, checker: Checker): AttributeSpec[] {
  const list = checker.array(root, 'playerAttributes', '', false) ?? [];
  const result: AttributeSpec[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    const path = childPath('playerAttributes', index);
    if (!isObject(entry)) {
      checker.report(path, `must be an object, got ${describe(entry)}`);
      return;
    }
    checker.unknownProperties(entry, path, ['name', 'type', 'default']);
    const name = checker.name(entry, 'name', path);
    const type = checker.oneOf(entry, 'type', path, ATTRIBUTE_TYPES);
    if (entry.type === undefined) checker.report(childPath(path, 'type'), 'is required');
    if (name !== undefined && seen.has(name)) {
      checker.report(childPath(path, 'name'), `duplicate attribute name "${name}"`);
      return;
    }
    if (name === undefined || type === undefined) return;
    seen.add(name);
    const spec: AttributeSpec = { name, type };
    const rawDefault = entry.default;
    if (rawDefault !== undefined) {
      const checked = checkDefault(type, rawDefault);
      if (typeof checked === 'string' && type !== 'string') {
        checker.report(
          childPath(path, 'default'),
          `${checked} for a ${type} attribute, got ${describe(rawDefault)}`,
        );
      } else if (type === 'string' && typeof rawDefault !== 'string') {
        checker.report(
          childPath(path, 'default'),
          `must be a string for a string attribute, got ${describe(rawDefault)}`,
        );
      } else {
        spec.defaultValue = checked;
      }
    }
    result.push(spec);
  });
  return result;
}

function validateTeams(root: JsonObject, checker: Checker): TeamDefinition[] {
  const list = checker.array(root, 'teams', '', true);
  if (list === undefined) return [];
  if (list.length === 0) {
    checker.report('teams', 'must define at least one team');
  }
  const result: TeamDefinition[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    const path = childPath('teams', index);
    if (!isObject(entry)) {
      checker.report(path, `must be an object, got ${describe(entry)}`);
      return;
    }
    checker.unknownProperties(entry, path, ['name', 'minPlayers', 'maxPlayers', 'quantity']);
    const name = checker.name(entry, 'name', path);
    const maxPlayers = checker.number(entry, 'maxPlayers', path, {
      required: true,
      integer: true,
      min: 1,
      max: MAX_PLAYERS_PER_MATCH,
    });
    const minPlayers = checker.number(entry, 'minPlayers', path, {
      required: true,
      integer: true,
      min: 0,
      max: MAX_PLAYERS_PER_MATCH,
    });
    const quantity =
      entry.quantity === undefined ? 1 : checker.number(entry, 'quantity', path, { integer: true, min: 1 });
    if (minPlayers !== undefined && maxPlayers !== undefined && minPlayers > maxPlayers) {
      checker.report(
        childPath(path, 'minPlayers'),
        `must not exceed maxPlayers (${minPlayers} > ${maxPlayers})`,
      );
    }
    if (name !== undefined) {
      if (seen.has(name)) {
        checker.report(childPath(path, 'name'), `duplicate team name "${name}"`);
        return;
      }
      seen.add(name);
    }
    if (name === undefined || minPlayers === undefined || maxPlayers === undefined || quantity === undefined)
      return;
    result.push({ name, minPlayers, maxPlayers, quantity });
  });
  // Generated names (`red_2`) must not collide with a declared team.
  for (const team of result) {
    for (let copy = 1; team.quantity > 1 && copy <= team.quantity; copy++) {
      const slotName = `${team.name}_${copy}`;
      const clash = result.findIndex((other) => other.name === slotName);
      if (clash >= 0) {
        checker.report(
          childPath(childPath('teams', clash), 'name'),
          `"${slotName}" clashes with a generated name of team "${team.name}" (quantity ${team.quantity})`,
        );
      }
    }
  }
  return result;
}

interface RuleContext {
  checker: Checker;
  environment: ExpressionEnvironment;
  rule: JsonObject;
  path: string;
}

function parseMeasurements(context: RuleContext, allowedLeaves: readonly LeafType[]): ParsedExpression[] {
  const { checker, rule, path } = context;
  const raw = rule.measurements;
  const at = childPath(path, 'measurements');
  if (raw === undefined) {
    checker.report(at, 'is required');
    return [];
  }
  // The published block-list example gives one expression as a plain string; arrays hold several.
  const items: Array<{ value: JsonValue; at: string }> = Array.isArray(raw)
    ? raw.map((value, index) => ({ value, at: childPath(at, index) }))
    : [{ value: raw, at }];
  if (items.length === 0) {
    checker.report(at, 'must name at least one expression');
  }
  const result: ParsedExpression[] = [];
  for (const item of items) {
    if (typeof item.value !== 'string') {
      checker.report(item.at, `must be a property expression string, got ${describe(item.value)}`);
      continue;
    }
    const typed = parseTypedExpression(context, item.value, item.at);
    if (typed === undefined) continue;
    if (!allowedLeaves.includes(typed.type.leaf)) {
      checker.report(
        item.at,
        `must produce ${allowedLeaves.join(' or ')} values, but "${item.value}" gives ${typed.type.leaf} values`,
      );
      continue;
    }
    result.push(typed.expression);
  }
  return result;
}

function parseTypedExpression(
  context: RuleContext,
  text: string,
  at: string,
): { expression: ParsedExpression; type: ExpressionType } | undefined {
  const parsed = parsePropertyExpression(text);
  if (!parsed.ok) {
    context.checker.report(at, `invalid property expression "${text}": ${parsed.message}`);
    return undefined;
  }
  const typed = typeOfExpression(parsed.node, context.environment);
  if (!typed.ok) {
    context.checker.report(at, `invalid property expression "${text}": ${typed.message}`);
    return undefined;
  }
  return { expression: { text, node: parsed.node }, type: typed.type };
}

/** Parses referenceValue: a number, a literal string or string list, or a property expression. */
function parseReference(
  context: RuleContext,
  accept: {
    number: boolean;
    string: boolean;
    stringList: boolean;
    expressionLeaves: readonly LeafType[];
    scalar: boolean;
  },
): ReferenceValue | undefined {
  const raw = context.rule.referenceValue;
  const at = childPath(context.path, 'referenceValue');
  if (raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    if (accept.number) return { kind: 'number', value: raw };
  } else if (typeof raw === 'string' && looksLikeExpression(raw)) {
    const typed = parseTypedExpression(context, raw, at);
    if (typed === undefined) return undefined;
    if (!accept.expressionLeaves.includes(typed.type.leaf) || (accept.scalar && typed.type.depth > 0)) {
      const wanted = `${accept.scalar ? 'a single ' : ''}${accept.expressionLeaves.join(' or ')} value`;
      context.checker.report(at, `must produce ${wanted}, but "${raw}" gives ${describeType(typed.type)}`);
      return undefined;
    }
    return { kind: 'expression', expression: typed.expression };
  } else if (typeof raw === 'string') {
    if (accept.string) return { kind: 'string', value: raw };
  } else if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
    if (accept.stringList) return { kind: 'string_list', value: raw as string[] };
  }
  const kinds = [
    accept.number ? 'a number' : undefined,
    accept.string ? 'a string' : undefined,
    accept.stringList ? 'an array of strings' : undefined,
    'a property expression',
  ].filter((kind) => kind !== undefined);
  context.checker.report(at, `must be ${kinds.join(' or ')}, got ${describe(raw)}`);
  return undefined;
}

function describeType(type: ExpressionType): string {
  return type.depth === 0
    ? `a single ${type.leaf} value`
    : `a list of ${type.leaf} values (depth ${type.depth})`;
}

function validateRules(
  root: JsonObject,
  checker: Checker,
  environment: ExpressionEnvironment,
  largeMatch: boolean,
): { rules: RuleDefinition[]; declaredRuleNames: ReadonlySet<string> } {
  const list = checker.array(root, 'rules', '', false) ?? [];
  const result: RuleDefinition[] = [];
  const seen = new Set<string>();
  const compounds: Array<{ rule: Extract<RuleDefinition, { type: 'compound' }>; path: string }> = [];
  list.forEach((entry, index) => {
    const path = childPath('rules', index);
    if (!isObject(entry)) {
      checker.report(path, `must be an object, got ${describe(entry)}`);
      return;
    }
    const name = checker.name(entry, 'name', path);
    if (name !== undefined) {
      if (seen.has(name)) {
        checker.report(childPath(path, 'name'), `duplicate rule name "${name}"`);
      }
      seen.add(name);
    }
    const description = checker.string(entry, 'description', path, false);
    const type = checker.oneOf(entry, 'type', path, RULE_TYPES);
    if (entry.type === undefined) checker.report(childPath(path, 'type'), 'is required');
    if (type === undefined) return;
    checker.unknownProperties(entry, path, [...COMMON_RULE_PROPERTIES, ...RULE_PROPERTIES[type]]);
    if (largeMatch && !LARGE_MATCH_RULE_TYPES.has(type)) {
      checker.report(
        childPath(path, 'type'),
        type === 'compound'
          ? `compound rules are only available for matches of up to ${LARGE_MATCH_THRESHOLD} players`
          : `"${type}" rules are not available in large matches (more than ${LARGE_MATCH_THRESHOLD} players); use latency or batchDistance`,
      );
    }
    const context: RuleContext = { checker, environment, rule: entry, path };
    const rule = validateRuleBody(context, type, largeMatch);
    if (rule === undefined || name === undefined) return;
    const named = { ...rule, name, ...(description === undefined ? {} : { description }) } as RuleDefinition;
    if (named.type === 'compound') compounds.push({ rule: named, path });
    result.push(named);
  });
  const byName = new Map(result.map((rule) => [rule.name, rule]));
  for (const { rule, path } of compounds) {
    for (const reference of statementRuleNames(rule.statement)) {
      const target = byName.get(reference.name);
      const at = childPath(path, 'statement');
      if (target === undefined) {
        if (!seen.has(reference.name)) {
          checker.report(at, `at column ${reference.column}: unknown rule "${reference.name}"`);
        }
      } else if (target.type === 'compound') {
        checker.report(
          at,
          `at column ${reference.column}: "${reference.name}" is a compound rule; compound rules cannot nest`,
        );
      } else if (target.type === 'distanceSort' || target.type === 'absoluteSort') {
        checker.report(
          at,
          `at column ${reference.column}: "${reference.name}" is a sort rule, which never passes or fails`,
        );
      }
    }
  }
  return { rules: result, declaredRuleNames: seen };
}

type RuleBody = RuleDefinition extends infer R
  ? R extends RuleDefinition
    ? Omit<R, 'name' | 'description'>
    : never
  : never;

function validateRuleBody(context: RuleContext, type: RuleType, largeMatch: boolean): RuleBody | undefined {
  const { checker, rule, path } = context;
  switch (type) {
    case 'distance': {
      const measurements = parseMeasurements(context, ['number']);
      const referenceValue = parseReference(context, {
        number: true,
        string: false,
        stringList: false,
        expressionLeaves: ['number'],
        scalar: true,
      });
      const minDistance = checker.number(rule, 'minDistance', path, { min: 0 });
      const maxDistance = checker.number(rule, 'maxDistance', path, { min: 0 });
      if (rule.minDistance === undefined && rule.maxDistance === undefined) {
        checker.report(path, 'a distance rule needs minDistance or maxDistance');
      }
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, NUMERIC_AGGREGATIONS) ?? 'avg';
      return { type, measurements, referenceValue, minDistance, maxDistance, partyAggregation };
    }
    case 'comparison': {
      const operation = checker.oneOf(rule, 'operation', path, COMPARISON_OPERATIONS);
      if (rule.operation === undefined) checker.report(childPath(path, 'operation'), 'is required');
      const ordering = operation !== undefined && operation !== '=' && operation !== '!=';
      const measurements = parseMeasurements(context, ordering ? ['number'] : ['number', 'string']);
      const referenceValue = parseReference(context, {
        number: true,
        string: !ordering,
        stringList: false,
        expressionLeaves: ordering ? ['number'] : ['number', 'string'],
        scalar: true,
      });
      if (referenceValue === undefined && rule.referenceValue === undefined && ordering) {
        checker.report(
          childPath(path, 'referenceValue'),
          `is required for operation "${operation}" (only = and != compare players with each other)`,
        );
      }
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, NUMERIC_AGGREGATIONS) ?? 'avg';
      if (operation === undefined) return undefined;
      return { type, measurements, referenceValue, operation, partyAggregation };
    }
    case 'collection': {
      const operation = checker.oneOf(rule, 'operation', path, COLLECTION_OPERATIONS);
      if (rule.operation === undefined) checker.report(childPath(path, 'operation'), 'is required');
      const measurements = parseMeasurements(context, ['string_list', 'string']);
      let referenceValue: ReferenceValue | undefined;
      if (operation === 'contains') {
        referenceValue = parseReference(context, {
          number: false,
          string: true,
          stringList: false,
          expressionLeaves: ['string'],
          scalar: true,
        });
      } else if (operation === 'reference_intersection_count') {
        referenceValue = parseReference(context, {
          number: false,
          string: true,
          stringList: true,
          expressionLeaves: ['string_list', 'string'],
          scalar: false,
        });
      } else if (rule.referenceValue !== undefined) {
        checker.report(childPath(path, 'referenceValue'), 'is not used by the intersection operation');
      }
      if (operation !== undefined && operation !== 'intersection' && rule.referenceValue === undefined) {
        checker.report(childPath(path, 'referenceValue'), `is required for operation "${operation}"`);
      }
      const minCount = checker.number(rule, 'minCount', path, { min: 0, integer: true });
      const maxCount = checker.number(rule, 'maxCount', path, { min: 0, integer: true });
      if (rule.minCount === undefined && rule.maxCount === undefined) {
        checker.report(path, 'a collection rule needs minCount or maxCount');
      }
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, SET_AGGREGATIONS) ?? 'union';
      if (operation === undefined) return undefined;
      return { type, measurements, referenceValue, operation, minCount, maxCount, partyAggregation };
    }
    case 'latency': {
      const maxLatency = checker.number(rule, 'maxLatency', path, { min: 0 });
      const maxDistance = checker.number(rule, 'maxDistance', path, { min: 0 });
      if (rule.maxLatency === undefined && rule.maxDistance === undefined) {
        checker.report(path, 'a latency rule needs maxLatency or maxDistance');
      }
      if (largeMatch && rule.maxDistance !== undefined) {
        checker.report(childPath(path, 'maxDistance'), 'is not available in large matches; use maxLatency');
      }
      const distanceReference =
        checker.oneOf(rule, 'distanceReference', path, ['min', 'avg'] as const) ?? 'min';
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, NUMERIC_AGGREGATIONS) ?? 'avg';
      return { type, maxLatency, maxDistance, distanceReference, partyAggregation };
    }
    case 'distanceSort':
    case 'absoluteSort': {
      const sortDirection = checker.oneOf(rule, 'sortDirection', path, SORT_DIRECTIONS);
      if (rule.sortDirection === undefined) checker.report(childPath(path, 'sortDirection'), 'is required');
      const sortAttribute = checker.name(rule, 'sortAttribute', path);
      const spec =
        sortAttribute === undefined ? undefined : context.environment.attributes.get(sortAttribute);
      if (sortAttribute !== undefined && spec === undefined) {
        checker.report(childPath(path, 'sortAttribute'), `unknown player attribute "${sortAttribute}"`);
      } else if (spec !== undefined && spec.type !== 'number' && spec.type !== 'string_number_map') {
        checker.report(
          childPath(path, 'sortAttribute'),
          `must be a number or string_number_map attribute, "${spec.name}" is ${spec.type}`,
        );
      }
      const mapKey = checker.oneOf(rule, 'mapKey', path, ['minValue', 'maxValue'] as const);
      if (spec?.type === 'string_number_map' && rule.mapKey === undefined) {
        checker.report(
          childPath(path, 'mapKey'),
          `is required when sorting by the string_number_map "${spec.name}"`,
        );
      }
      if (spec?.type === 'number' && rule.mapKey !== undefined) {
        checker.report(childPath(path, 'mapKey'), 'only applies to string_number_map attributes');
      }
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, NUMERIC_AGGREGATIONS) ?? 'avg';
      if (sortDirection === undefined || sortAttribute === undefined) return undefined;
      return { type, sortDirection, sortAttribute, mapKey, partyAggregation };
    }
    case 'batchDistance': {
      const batchAttribute = checker.name(rule, 'batchAttribute', path);
      const spec =
        batchAttribute === undefined ? undefined : context.environment.attributes.get(batchAttribute);
      if (batchAttribute !== undefined && spec === undefined) {
        checker.report(childPath(path, 'batchAttribute'), `unknown player attribute "${batchAttribute}"`);
      } else if (spec !== undefined && spec.type !== 'number' && spec.type !== 'string') {
        checker.report(
          childPath(path, 'batchAttribute'),
          `must be a number or string attribute, "${spec.name}" is ${spec.type}`,
        );
      }
      // The guide's own batchDistance example writes "maxDistance": "500", a number in a string.
      const maxDistance = checker.number(rule, 'maxDistance', path, { min: 0, decimalString: true });
      if (spec?.type === 'string' && rule.maxDistance !== undefined) {
        checker.report(
          childPath(path, 'maxDistance'),
          'only applies to number attributes; string attributes must be equal',
        );
      }
      const partyAggregation = checker.oneOf(rule, 'partyAggregation', path, NUMERIC_AGGREGATIONS) ?? 'avg';
      if (batchAttribute === undefined) return undefined;
      return { type, batchAttribute, maxDistance, partyAggregation };
    }
    case 'compound': {
      const statementText = checker.string(rule, 'statement', path, true);
      if (statementText === undefined) return undefined;
      const parsed = parseCompoundStatement(statementText);
      if (!parsed.ok) {
        checker.report(
          childPath(path, 'statement'),
          `invalid statement "${statementText}": ${parsed.message}`,
        );
        return undefined;
      }
      return { type, statementText, statement: parsed.node };
    }
  }
}

function validateAlgorithm(
  root: JsonObject,
  checker: Checker,
  environment: ExpressionEnvironment,
  largeMatch: boolean,
): AlgorithmDefinition {
  const raw = root.algorithm;
  const path = 'algorithm';
  const algorithm = isObject(raw) ? raw : {};
  if (raw !== undefined && !isObject(raw)) {
    checker.report(path, `must be an object, got ${describe(raw)}`);
  }
  checker.unknownProperties(algorithm, path, [
    'strategy',
    'batchingPreference',
    'sortByAttributes',
    'balancedAttribute',
    'expansionAgeSelection',
    'backfillPriority',
  ]);
  const strategy = checker.oneOf(algorithm, 'strategy', path, STRATEGIES) ?? 'exhaustiveSearch';
  if (largeMatch && strategy !== 'balanced') {
    checker.report(
      childPath(path, 'strategy'),
      `must be "balanced" for large matches (more than ${LARGE_MATCH_THRESHOLD} players)`,
    );
  }
  const batchingPreference = checker.oneOf(algorithm, 'batchingPreference', path, BATCHING);
  const allowedBatching = BATCHING_BY_STRATEGY[strategy];
  if (batchingPreference !== undefined && !allowedBatching.includes(batchingPreference)) {
    checker.report(
      childPath(path, 'batchingPreference'),
      `"${batchingPreference}" does not apply to strategy "${strategy}" (use ${listed(allowedBatching)})`,
    );
  }
  const sortByAttributes: string[] = [];
  const rawSort = checker.array(algorithm, 'sortByAttributes', path, false);
  rawSort?.forEach((item, index) => {
    const at = childPath(childPath(path, 'sortByAttributes'), index);
    if (typeof item !== 'string') {
      checker.report(at, `must be an attribute name, got ${describe(item)}`);
    } else if (!environment.attributes.has(item)) {
      checker.report(at, `unknown player attribute "${item}"`);
    } else {
      sortByAttributes.push(item);
    }
  });
  if (batchingPreference === 'sorted' && (rawSort === undefined || rawSort.length === 0)) {
    checker.report(childPath(path, 'sortByAttributes'), 'is required when batchingPreference is "sorted"');
  }
  if (rawSort !== undefined && rawSort.length > 0 && batchingPreference !== 'sorted') {
    checker.report(childPath(path, 'sortByAttributes'), 'only applies when batchingPreference is "sorted"');
  }
  const balancedAttribute = checker.string(algorithm, 'balancedAttribute', path, false);
  if (strategy === 'balanced' && algorithm.balancedAttribute === undefined) {
    checker.report(childPath(path, 'balancedAttribute'), 'is required when strategy is "balanced"');
  }
  if (balancedAttribute !== undefined) {
    const spec = environment.attributes.get(balancedAttribute);
    if (spec === undefined) {
      checker.report(childPath(path, 'balancedAttribute'), `unknown player attribute "${balancedAttribute}"`);
    } else if (spec.type !== 'number') {
      checker.report(
        childPath(path, 'balancedAttribute'),
        `must be a number attribute, "${balancedAttribute}" is ${spec.type}`,
      );
    }
    if (strategy !== 'balanced') {
      checker.report(childPath(path, 'balancedAttribute'), 'only applies when strategy is "balanced"');
    }
  }
  const expansionAgeSelection =
    checker.oneOf(algorithm, 'expansionAgeSelection', path, AGE_SELECTIONS) ?? 'newest';
  // FlexMatch serves backfill tickets first in large matches unless told otherwise, so new
  // players fill half-empty large games instead of forming fresh ones.
  const backfillPriority =
    checker.oneOf(algorithm, 'backfillPriority', path, BACKFILL_PRIORITIES) ??
    (largeMatch ? 'high' : 'normal');
  return {
    strategy,
    batchingPreference: batchingPreference ?? allowedBatching[0] ?? 'random',
    sortByAttributes,
    ...(balancedAttribute === undefined ? {} : { balancedAttribute }),
    expansionAgeSelection,
    backfillPriority,
  };
}

const RULE_TARGET = /^rules\[([^\]]+)\]\.([A-Za-z]+)$/;
const TEAM_TARGET = /^teams\[([^\]]+)\]\.([A-Za-z]+)$/;

function validateExpansions(
  root: JsonObject,
  checker: Checker,
  rules: readonly RuleDefinition[],
  declaredRuleNames: ReadonlySet<string>,
  teams: readonly TeamDefinition[],
): ExpansionDefinition[] {
  const list = checker.array(root, 'expansions', '', false) ?? [];
  const result: ExpansionDefinition[] = [];
  const seenTargets = new Set<string>();
  list.forEach((entry, index) => {
    const path = childPath('expansions', index);
    if (!isObject(entry)) {
      checker.report(path, `must be an object, got ${describe(entry)}`);
      return;
    }
    checker.unknownProperties(entry, path, ['target', 'steps']);
    const targetText = checker.string(entry, 'target', path, true);
    const target =
      targetText === undefined
        ? undefined
        : resolveTarget(targetText, childPath(path, 'target'), checker, rules, declaredRuleNames, teams);
    if (targetText !== undefined && target !== undefined) {
      if (seenTargets.has(targetText)) {
        checker.report(
          childPath(path, 'target'),
          `"${targetText}" is already expanded by an earlier expansion`,
        );
      }
      seenTargets.add(targetText);
    }
    const steps = checker.array(entry, 'steps', path, true);
    if (steps === undefined) return;
    if (steps.length === 0) checker.report(childPath(path, 'steps'), 'must hold at least one step');
    const wholeNumbers = target !== undefined && WHOLE_NUMBER_PROPERTIES.has(target.property);
    const validSteps: Array<{ waitTimeSeconds: number; value: number }> = [];
    let previousWait = Number.NEGATIVE_INFINITY;
    steps.forEach((step, stepIndex) => {
      const stepPath = childPath(childPath(path, 'steps'), stepIndex);
      if (!isObject(step)) {
        checker.report(stepPath, `must be an object, got ${describe(step)}`);
        return;
      }
      checker.unknownProperties(step, stepPath, ['waitTimeSeconds', 'value']);
      const waitTimeSeconds = checker.number(step, 'waitTimeSeconds', stepPath, { required: true, min: 0 });
      const value = checker.number(step, 'value', stepPath, {
        required: true,
        integer: wholeNumbers,
        min: target?.kind === 'team' && target.property === 'maxPlayers' ? 1 : 0,
        ...(target?.kind === 'team' ? { max: MAX_PLAYERS_PER_MATCH } : {}),
      });
      if (waitTimeSeconds !== undefined) {
        if (waitTimeSeconds <= previousWait) {
          checker.report(
            childPath(stepPath, 'waitTimeSeconds'),
            `must be greater than the previous step's ${previousWait} (wait times are absolute and ascending)`,
          );
        }
        previousWait = waitTimeSeconds;
      }
      if (waitTimeSeconds !== undefined && value !== undefined) validSteps.push({ waitTimeSeconds, value });
    });
    if (target !== undefined && targetText !== undefined) {
      result.push({ targetText, target, steps: validSteps });
    }
  });
  return result;
}

function resolveTarget(
  text: string,
  path: string,
  checker: Checker,
  rules: readonly RuleDefinition[],
  declaredRuleNames: ReadonlySet<string>,
  teams: readonly TeamDefinition[],
): ExpansionTarget | undefined {
  const ruleMatch = RULE_TARGET.exec(text);
  if (ruleMatch !== null) {
    const [, ruleName = '', property = ''] = ruleMatch;
    const rule = rules.find((candidate) => candidate.name === ruleName);
    if (rule === undefined) {
      // A declared rule that failed validation is already reported; don't call it unknown.
      if (!declaredRuleNames.has(ruleName)) checker.report(path, `unknown rule "${ruleName}" in "${text}"`);
      return undefined;
    }
    const expandable = EXPANDABLE_RULE_PROPERTIES[rule.type];
    if (!expandable.includes(property)) {
      checker.report(
        path,
        expandable.length === 0
          ? `${rule.type} rule "${ruleName}" has no property that can be expanded`
          : `"${property}" cannot be expanded on ${rule.type} rule "${ruleName}" (expandable: ${expandable.join(', ')})`,
      );
      return undefined;
    }
    const current = (rule as unknown as Record<string, unknown>)[property];
    if (current === undefined) {
      checker.report(path, `rule "${ruleName}" sets no ${property} to expand`);
      return undefined;
    }
    if (property === 'referenceValue' && (current as ReferenceValue).kind !== 'number') {
      checker.report(
        path,
        `only a numeric referenceValue can be expanded; rule "${ruleName}" uses an expression or string`,
      );
      return undefined;
    }
    return { kind: 'rule', ruleName, property };
  }
  const teamMatch = TEAM_TARGET.exec(text);
  if (teamMatch !== null) {
    const [, teamName = '', property = ''] = teamMatch;
    if (!teams.some((team) => team.name === teamName)) {
      checker.report(path, `unknown team "${teamName}" in "${text}"`);
      return undefined;
    }
    if (property !== 'minPlayers' && property !== 'maxPlayers') {
      checker.report(path, `"${property}" cannot be expanded on a team (expandable: minPlayers, maxPlayers)`);
      return undefined;
    }
    return { kind: 'team', teamName, property };
  }
  checker.report(
    path,
    `must look like "rules[<rule>].<property>" or "teams[<team>].minPlayers|maxPlayers", got "${text}"`,
  );
  return undefined;
}
