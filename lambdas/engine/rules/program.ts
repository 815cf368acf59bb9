import type { Player } from '../model';

/**
 * The queue program: what a FlexMatch rule set (and, later, a PlayFab queue) compiles into,
 * and the only thing the matching pass runs. Names are dialect-neutral on purpose: team slots,
 * player filters, match rules, ordering rules and expandable parameters, not "rule sets" or
 * "queues". Every time-dependent number is an Expandable, resolved with the driving age.
 */

export type AttributeType = 'string' | 'number' | 'string_list' | 'string_number_map';
export type AttributeLeafValue = number | string | readonly string[] | Readonly<Record<string, number>>;

export interface AttributeSpec {
  name: string;
  type: AttributeType;
  /** Used when a player does not supply the attribute (or supplies it with another type). */
  defaultValue?: AttributeLeafValue;
}

/** A number that relaxes with the driving ticket's age. Steps are sorted by atAgeMs ascending. */
export interface Expandable {
  base: number;
  steps: readonly ExpansionStep[];
}

export interface ExpansionStep {
  /** The step applies once the age reaches this value (inclusive). */
  atAgeMs: number;
  value: number;
}

export function fixedValue(base: number): Expandable {
  return { base, steps: [] };
}

/** Value of an expandable parameter at an age: the last step reached, else the base. */
export function valueAtAge(parameter: Expandable, ageMs: number): number {
  let value = parameter.base;
  const steps = parameter.steps;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step === undefined || step.atAgeMs > ageMs) {
      break;
    }
    value = step.value;
  }
  return value;
}

/** One expanded team: a definition with quantity 3 named `trio` gives slots trio_1..trio_3. */
export interface TeamSlot {
  index: number;
  name: string;
  /** The team definition the slot came from (same as name when quantity is 1). */
  definitionName: string;
  minPlayers: Expandable;
  maxPlayers: Expandable;
}

/**
 * A player in an evaluation context. partyIndex points into MatchContext.parties: a party is
 * the players of one ticket, the unit that partyAggregation aggregates over.
 */
export interface ContextPlayer {
  player: Player;
  partyIndex: number;
}

/** Scratch state built per candidate; compiled closures read it. */
export interface MatchContext {
  /** Players per team slot, in program.teamSlots order. */
  slotPlayers: ContextPlayer[][];
  /** Players of each ticket present in the candidate (read only: a party may be its ticket's own list). */
  parties: (readonly Player[])[];
  /** First missing attribute met while evaluating the current rule (then the rule fails). */
  missing: string | undefined;
}

export interface RuleMeta {
  name: string;
  /** The rule's type in its dialect (`distance`, `latency`, ...), for messages and metrics. */
  sourceType: string;
  /** Relative importance when ranking candidates; FlexMatch rules all weigh 1. */
  weight: number;
  /** After this age the rule no longer rejects (PlayFab SecondsUntilOptional); FlexMatch never sets it. */
  optionalAfterMs?: number;
  /** False when only a compound rule uses it: then it does not reject on its own. */
  standalone: boolean;
  /**
   * True when the rule must not judge a candidate that holds a backfill ticket (PlayFab's
   * TeamTicketSizeSimilarityRule: backfill tickets don't say which players came as a group).
   * The matching pass skips such rules for those candidates; FlexMatch never sets it.
   */
  ignoredForBackfill?: boolean;
  /**
   * The number attribute the rule measures (a distance, comparison, difference, batch or sort
   * rule on one attribute): what the matching pass lines the pool up by, so batches hold
   * players the rule would put together. Unset when the rule measures no single number.
   */
  measuredAttribute?: string;
}

/** A rule that accepts or rejects a whole candidate. evaluate returns undefined or a failure detail. */
export interface PredicateRule extends RuleMeta {
  kind: 'predicate';
  evaluate(context: MatchContext, ageMs: number): string | undefined;
}

export type CompiledStatement =
  | { op: 'rule'; ruleIndex: number }
  | { op: 'not'; operand: CompiledStatement }
  | { op: 'and' | 'or' | 'xor'; operands: readonly CompiledStatement[] };

/** A boolean combination of other rules' outcomes (indexes into QueueProgram.matchRules). */
export interface CompoundRule extends RuleMeta {
  kind: 'compound';
  statement: CompiledStatement;
}

/** A sort rule listed among the rules so metrics keep the rule set's order; it never rejects. */
export interface OrderingOnlyRule extends RuleMeta {
  kind: 'ordering';
  orderingIndex: number;
}

export type MatchRule = PredicateRule | CompoundRule | OrderingOnlyRule;

/**
 * A cheap per-ticket test the matching pass can apply before building candidates. It is a
 * necessary condition of some match rule, never a replacement for it.
 */
export interface PlayerFilter {
  ruleName: string;
  /** Slots whose players must pass; 'all' when the filter holds wherever the player lands. */
  slots: 'all' | readonly number[];
  /** Returns undefined when the party passes, else why not. */
  test(party: readonly Player[], ageMs: number): string | undefined;
}

export type SortDirection = 'ascending' | 'descending';

/**
 * Orders tickets relative to an anchor (the oldest ticket of a batch). Smaller keys come
 * first; descending rules negate their key so every key sorts ascending.
 */
export interface OrderingRule {
  name: string;
  sourceType: 'absoluteSort' | 'distanceSort' | 'batchDistance' | 'sortByAttributes';
  direction: SortDirection;
  key(party: readonly Player[], anchor: readonly Player[]): number;
}

export type Strategy = 'exhaustiveSearch' | 'balanced';
export type BatchingPreference = 'random' | 'sorted' | 'largestPopulation' | 'fastestRegion';
export type AgeSelection = 'newest' | 'oldest';
export type BackfillPriority = 'normal' | 'low' | 'high';

export interface AlgorithmSettings {
  strategy: Strategy;
  batchingPreference: BatchingPreference;
  sortByAttributes: readonly string[];
  balancedAttribute?: string;
  /** Whose age drives expansions: the newest ticket of the candidate, or the oldest. */
  expansionAgeSelection: AgeSelection;
  backfillPriority: BackfillPriority;
  /** More than 40 players: only latency and batch rules, balanced strategy. */
  largeMatch: boolean;
}

/** Where an expansion applies, kept for introspection and messages; values live in Expandables. */
export interface ExpansionDescription {
  target: string;
  steps: readonly ExpansionStep[];
}

/** Names the expression compiler resolves against. */
export interface ExpressionEnvironment {
  attributes: ReadonlyMap<string, AttributeSpec>;
  /** Team reference (definition name or slot name) → slot indexes. */
  teamSlots: ReadonlyMap<string, readonly number[]>;
  slotCount: number;
}

export interface QueueProgram {
  dialect: 'flexmatch' | 'playfab';
  name: string;
  attributes: readonly AttributeSpec[];
  teamSlots: readonly TeamSlot[];
  playerFilters: readonly PlayerFilter[];
  matchRules: readonly MatchRule[];
  orderingRules: readonly OrderingRule[];
  expansions: readonly ExpansionDescription[];
  algorithm: AlgorithmSettings;
  /** Sums over the team slots at age 0. */
  totalMinPlayers: number;
  totalMaxPlayers: number;
  environment: ExpressionEnvironment;
  /**
   * Set when latency rules limit where a match may be hosted: the regions a party may play in
   * at an age (every latency rule's limit met), fastest first. The pass batches each ticket
   * under every one of them.
   */
  playableRegions?: (party: readonly Player[], ageMs: number) => string[];
}
