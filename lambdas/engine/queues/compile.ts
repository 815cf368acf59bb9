/**
 * PlayFab matchmaking queues → the engine's queue program.
 *
 * validateQueueConfig checks what the request schema can't check field by field (team sizes
 * against match sizes, the 20-rule limit, unique names, expansion shapes, defaults) and lists
 * every problem with its path. compileQueueConfig turns a valid queue into a QueueProgram with
 * dialect 'playfab'; evaluateCandidate and the matching pass run it like a FlexMatch program.
 *
 * Semantics (PlayFab docs "Configuring matchmaking queues", "Understanding rule weight", the
 * spec's field descriptions, seed 004 for backfill), with slotfill's readings where the docs are
 * silent marked "Decision":
 * - Teams become team slots `[MinTeamSize, MaxTeamSize]`; without teams one slot named
 *   SINGLE_SLOT_NAME holds `[MinMatchSize, MaxMatchSize]`. With teams, the match size is also
 *   enforced by a rule `(MatchSize)` when the team sizes don't already imply it.
 * - A match needs at least two tickets, even when one ticket alone is big enough (docs, "Match
 *   size"): rule `(TicketCount)`. Internal rule names have parentheses, which PlayFab names can't.
 * - A ticket is a party; a rule value of a ticket with several players is merged with the rule's
 *   MergeFunction (DifferenceRule), summed (MatchTotalRule), or taken per player (the others).
 * - SecondsUntilOptional → optionalAfterMs: after it the rule stops rejecting, but still reports
 *   its outcome, and the pass prefers candidates that satisfy it, by Weight. Team rules have no
 *   Weight in the spec (the docs say they only validate): weight 0.
 * - Expansions. Linear: after k whole intervals the threshold is base + k·Delta, capped at Limit
 *   (ages k·SecondsBetweenExpansions are inclusive). Custom: interval k (ages [k·S, (k+1)·S))
 *   uses override k, the last override stays in force after the list ends, and a `null` entry
 *   switches the rule off for its interval (the base value is ignored, as the spec says).
 *   StringEqualityRule's EnabledOverrides switch it on and off the same way.
 *   Decision: SetIntersectionRule's linear Delta lowers MinIntersectionSize (floored at 0): an
 *   expansion relaxes a rule (docs), and raising a minimum would tighten it.
 * - The age that drives expansions is the oldest ticket's in the candidate (Decision: PlayFab
 *   expands a ticket's own search as it waits; the oldest ticket is the one searching widest).
 * - AttributeNotSpecifiedBehavior: UseDefault substitutes DefaultAttributeValue (required with
 *   it, Decision); MatchAny leaves the player out of the rule, so it matches anyone.
 *   MatchTotalRule has no such setting: a missing value adds 0. TeamDifferenceRule uses its
 *   (required) DefaultAttributeValue.
 * - RegionSelectionRule reads Player.latencyInMs (see dialects/playfab/players.ts for how latencies and a
 *   backfill ticket's ServerDetails.Region get there): some region must be within MaxLatency of
 *   every player.
 * - TeamTicketSizeSimilarityRule: a ticket is a large party when it fills at least half of its
 *   team's MaxTeamSize; every non-empty team must have one, or none may. Ignored when the
 *   candidate holds a backfill ticket (`ignoredForBackfill`, and the rule also stands aside by
 *   itself when it sees a backfill member).
 */

import { SlotfillError } from '../../shared/errors';
import type { Player } from '../model';
import { childPath } from '../rules/problems';
import type {
  AlgorithmSettings,
  AttributeLeafValue,
  AttributeSpec,
  AttributeType,
  ExpansionDescription,
  ExpansionStep,
  ExpressionEnvironment,
  MatchContext,
  MatchRule,
  PlayerFilter,
  PredicateRule,
  QueueProgram,
  TeamSlot,
} from '../rules/program';
import { fixedValue } from '../rules/program';
import { type AttributeBinding, attributeKey, isBackfillPlayer, parseAttributePath } from './attributes';
import type { MatchmakingQueueConfig, QueueRuleAttribute } from './definition';
import {
  MAX_GIVE_UP_AFTER_SECONDS,
  MAX_MATCH_SIZE_WITH_TEAMS,
  MAX_RULES_PER_QUEUE,
  MIN_TEAMS,
} from './limits';

export const SINGLE_SLOT_NAME = 'players';
export const TICKET_COUNT_RULE = '(TicketCount)';
export const MATCH_SIZE_RULE = '(MatchSize)';
/** A match holds at least this many tickets (PlayFab docs, "Match size"). */
export const MIN_TICKETS_PER_MATCH = 2;
/** Comparisons of merged averages tolerate rounding noise. */
const EPSILON = 1e-9;

// ---------------------------------------------------------------------------------------------
// Problems

export interface QueueProblem {
  /** `MatchmakingQueue.DifferenceRules[0].LinearExpansion.Limit`. */
  path: string;
  message: string;
}

export function formatQueueProblems(problems: readonly QueueProblem[]): string {
  if (problems.length === 0) return 'Queue configuration is valid.';
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const listed = problems
    .map((problem, index) => `(${index + 1}) ${problem.path}: ${problem.message}`)
    .join('; ');
  return `Invalid queue configuration, ${problems.length} ${noun}: ${listed}`;
}

/** Thrown by compileQueueConfig: every problem, by path (the PlayFab dialect reports 2031). */
export class QueueConfigInvalidError extends SlotfillError {
  constructor(readonly problems: readonly QueueProblem[]) {
    const fieldErrors: Record<string, string[]> = {};
    for (const problem of problems) {
      const messages = fieldErrors[problem.path] ?? [];
      messages.push(problem.message);
      fieldErrors[problem.path] = messages;
    }
    super('InvalidRequest', formatQueueProblems(problems), { fieldErrors }, 'InvalidRuleDefinition');
  }
}

// ---------------------------------------------------------------------------------------------
// Threshold schedules

/** A rule threshold over the driving age. at() returns null while the rule is switched off. */
export interface Schedule {
  base: number;
  intervalMs: number;
  linear?: { delta: number; limit?: number; direction: 1 | -1; floor?: number };
  /** Custom expansion: one value per interval, null = off; the last one persists. */
  overrides?: readonly (number | null)[];
}

export function scheduleAt(schedule: Schedule, ageMs: number): number | null {
  const intervals = schedule.intervalMs > 0 ? Math.floor(Math.max(0, ageMs) / schedule.intervalMs) : 0;
  if (schedule.overrides !== undefined) {
    const last = schedule.overrides.length - 1;
    return schedule.overrides[Math.min(intervals, last)] ?? null;
  }
  const linear = schedule.linear;
  if (linear === undefined) return schedule.base;
  let value = schedule.base + linear.direction * intervals * linear.delta;
  if (linear.limit !== undefined) {
    value = linear.direction > 0 ? Math.min(value, linear.limit) : Math.max(value, linear.limit);
  }
  if (linear.floor !== undefined) value = Math.max(value, linear.floor);
  return value;
}

const HORIZON_MS = MAX_GIVE_UP_AFTER_SECONDS * 1000;

/**
 * The schedule's changes as expansion steps (for introspection): linear steps until the limit
 * or the longest ticket life; custom steps per interval, NaN marking an interval with the rule off.
 */
export function scheduleSteps(schedule: Schedule): ExpansionStep[] {
  const steps: ExpansionStep[] = [];
  if (schedule.overrides !== undefined) {
    schedule.overrides.forEach((value, index) => {
      steps.push({ atAgeMs: index * schedule.intervalMs, value: value ?? Number.NaN });
    });
    return steps;
  }
  if (schedule.linear === undefined || schedule.linear.delta === 0) return steps;
  let previous = schedule.base;
  for (let ageMs = schedule.intervalMs; ageMs <= HORIZON_MS; ageMs += schedule.intervalMs) {
    const value = scheduleAt(schedule, ageMs) as number;
    if (value === previous) break;
    steps.push({ atAgeMs: ageMs, value });
    previous = value;
  }
  return steps;
}

const seconds = (value: number): number => value * 1000;

interface LinearShape {
  Delta: number;
  Limit?: number;
  SecondsBetweenExpansions: number;
}
interface OverrideShape {
  SecondsBetweenExpansions: number;
}

function linearSchedule(base: number, linear: LinearShape, direction: 1 | -1 = 1, floor?: number): Schedule {
  const shape: NonNullable<Schedule['linear']> = { delta: linear.Delta, direction };
  if (linear.Limit !== undefined) shape.limit = linear.Limit;
  if (floor !== undefined) shape.floor = floor;
  return { base, intervalMs: seconds(linear.SecondsBetweenExpansions), linear: shape };
}

function overrideSchedule(
  base: number,
  custom: OverrideShape,
  values: readonly ({ Value: number } | null)[],
): Schedule {
  return {
    base,
    intervalMs: seconds(custom.SecondsBetweenExpansions),
    overrides: values.map((entry) => entry?.Value ?? null),
  };
}

function thresholdSchedule(
  base: number,
  linear: LinearShape | undefined,
  custom: (OverrideShape & { values: readonly ({ Value: number } | null)[] }) | undefined,
  direction: 1 | -1 = 1,
  floor?: number,
): Schedule {
  if (custom !== undefined) return overrideSchedule(base, custom, custom.values);
  if (linear !== undefined) return linearSchedule(base, linear, direction, floor);
  return { base, intervalMs: 0 };
}

// ---------------------------------------------------------------------------------------------
// Validation

type RuleKind =
  | 'DifferenceRule'
  | 'StringEqualityRule'
  | 'MatchTotalRule'
  | 'SetIntersectionRule'
  | 'RegionSelectionRule'
  | 'TeamDifferenceRule'
  | 'TeamSizeBalanceRule'
  | 'TeamTicketSizeSimilarityRule';

/** Every rule of a queue with its kind and path, in a fixed order (the spec's field order). */
interface LocatedRule {
  kind: RuleKind;
  path: string;
  name: string;
}

function locateRules(config: MatchmakingQueueConfig, base: string): LocatedRule[] {
  const rules: LocatedRule[] = [];
  const list = (kind: RuleKind, field: string, items: readonly { Name: string }[] | undefined) => {
    items?.forEach((rule, index) => {
      rules.push({ kind, path: childPath(childPath(base, field), index), name: rule.Name });
    });
  };
  const single = (kind: RuleKind, field: string, rule: { Name: string } | undefined) => {
    if (rule !== undefined) rules.push({ kind, path: childPath(base, field), name: rule.Name });
  };
  list('DifferenceRule', 'DifferenceRules', config.DifferenceRules);
  list('StringEqualityRule', 'StringEqualityRules', config.StringEqualityRules);
  list('MatchTotalRule', 'MatchTotalRules', config.MatchTotalRules);
  list('SetIntersectionRule', 'SetIntersectionRules', config.SetIntersectionRules);
  single('RegionSelectionRule', 'RegionSelectionRule', config.RegionSelectionRule);
  list('TeamDifferenceRule', 'TeamDifferenceRules', config.TeamDifferenceRules);
  single('TeamSizeBalanceRule', 'TeamSizeBalanceRule', config.TeamSizeBalanceRule);
  single('TeamTicketSizeSimilarityRule', 'TeamTicketSizeSimilarityRule', config.TeamTicketSizeSimilarityRule);
  return rules;
}

function hasTeams(config: MatchmakingQueueConfig): boolean {
  return (config.Teams?.length ?? 0) > 0;
}

class QueueValidator {
  readonly problems: QueueProblem[] = [];
  /** Attribute key → the first rule's use of it, to catch one attribute read as two types. */
  private readonly attributeUses = new Map<string, { type: AttributeType; rule: string }>();

  constructor(
    private readonly config: MatchmakingQueueConfig,
    private readonly base: string,
  ) {}

  private problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  private at(...parts: (string | number)[]): string {
    return parts.reduce<string>((path, part) => childPath(path, part), this.base);
  }

  run(): QueueProblem[] {
    this.sizes();
    this.teams();
    this.rules();
    return this.problems;
  }

  private sizes(): void {
    const { MinMatchSize, MaxMatchSize, MaxTicketSize } = this.config;
    if (MinMatchSize > MaxMatchSize) {
      this.problem(this.at('MinMatchSize'), `must not exceed MaxMatchSize (${MaxMatchSize})`);
    }
    if (hasTeams(this.config) && MaxMatchSize > MAX_MATCH_SIZE_WITH_TEAMS) {
      this.problem(
        this.at('MaxMatchSize'),
        `must be at most ${MAX_MATCH_SIZE_WITH_TEAMS} when the queue has Teams`,
      );
    }
    if (MaxTicketSize !== undefined && MaxTicketSize > MaxMatchSize) {
      this.problem(this.at('MaxTicketSize'), `must not exceed MaxMatchSize (${MaxMatchSize})`);
    }
  }

  private teams(): void {
    const teams = this.config.Teams ?? [];
    if (teams.length === 0) return;
    if (teams.length < MIN_TEAMS) {
      this.problem(this.at('Teams'), `must define at least ${MIN_TEAMS} teams, or none`);
    }
    const seen = new Map<string, number>();
    teams.forEach((team, index) => {
      // Team names are case-insensitive (spec: MatchmakingQueueTeam.Name).
      const folded = team.Name.toLowerCase();
      const earlier = seen.get(folded);
      if (earlier !== undefined) {
        this.problem(
          this.at('Teams', index, 'Name'),
          `duplicates Teams[${earlier}].Name (names ignore case)`,
        );
      } else {
        seen.set(folded, index);
      }
      if (team.MinTeamSize > team.MaxTeamSize) {
        this.problem(
          this.at('Teams', index, 'MinTeamSize'),
          `must not exceed MaxTeamSize (${team.MaxTeamSize})`,
        );
      }
    });
    const minTotal = teams.reduce((sum, team) => sum + team.MinTeamSize, 0);
    const maxTotal = teams.reduce((sum, team) => sum + team.MaxTeamSize, 0);
    if (minTotal > this.config.MaxMatchSize) {
      this.problem(
        this.at('Teams'),
        `the teams need at least ${minTotal} players together, more than MaxMatchSize (${this.config.MaxMatchSize})`,
      );
    }
    if (maxTotal < this.config.MinMatchSize) {
      this.problem(
        this.at('Teams'),
        `the teams hold at most ${maxTotal} players together, fewer than MinMatchSize (${this.config.MinMatchSize})`,
      );
    }
    const largestTeam = Math.max(...teams.map((team) => team.MaxTeamSize));
    const ticketSize = this.config.MaxTicketSize;
    if (ticketSize !== undefined && ticketSize > largestTeam) {
      this.problem(
        this.at('MaxTicketSize'),
        `must not exceed the largest MaxTeamSize (${largestTeam}): a ticket's players stay on one team`,
      );
    }
  }

  private rules(): void {
    const located = locateRules(this.config, this.base);
    if (located.length > MAX_RULES_PER_QUEUE) {
      this.problem(this.base, `has ${located.length} rules; a queue may have at most ${MAX_RULES_PER_QUEUE}`);
    }
    const names = new Map<string, string>();
    for (const rule of located) {
      const earlier = names.get(rule.name);
      if (earlier !== undefined) {
        this.problem(childPath(rule.path, 'Name'), `"${rule.name}" is already the name of ${earlier}`);
      } else {
        names.set(rule.name, rule.path);
      }
      if (rule.kind.startsWith('Team') && !hasTeams(this.config)) {
        this.problem(rule.path, `${rule.kind} needs Teams in the queue`);
      }
    }
    const config = this.config;
    config.DifferenceRules?.forEach((rule, index) => {
      const path = this.at('DifferenceRules', index);
      this.attribute(path, rule.Attribute, 'number', rule.Name);
      this.defaultRequired(path, rule.AttributeNotSpecifiedBehavior, rule.DefaultAttributeValue);
      this.differenceExpansion(path, rule);
    });
    config.StringEqualityRules?.forEach((rule, index) => {
      const path = this.at('StringEqualityRules', index);
      this.attribute(path, rule.Attribute, 'string', rule.Name);
      this.defaultRequired(path, rule.AttributeNotSpecifiedBehavior, rule.DefaultAttributeValue);
    });
    config.MatchTotalRules?.forEach((rule, index) => {
      const path = this.at('MatchTotalRules', index);
      this.attribute(path, rule.Attribute, 'number', rule.Name);
      this.matchTotalBounds(path, rule);
    });
    config.SetIntersectionRules?.forEach((rule, index) => {
      const path = this.at('SetIntersectionRules', index);
      this.attribute(path, rule.Attribute, 'string_list', rule.Name);
      this.defaultRequired(path, rule.AttributeNotSpecifiedBehavior, rule.DefaultAttributeValue);
      this.oneExpansion(path, rule.LinearExpansion, rule.CustomExpansion);
      const defaults = rule.DefaultAttributeValue;
      if (defaults !== undefined && new Set(defaults).size !== defaults.length) {
        this.problem(childPath(path, 'DefaultAttributeValue'), 'must not repeat a value');
      }
    });
    const region = config.RegionSelectionRule;
    if (region !== undefined) {
      const path = this.at('RegionSelectionRule');
      this.path(childPath(path, 'Path'), region.Path, 'User', 'string_number_map', region.Name);
      this.oneExpansion(path, region.LinearExpansion, region.CustomExpansion);
      this.growingLinear(
        childPath(path, 'LinearExpansion'),
        region.MaxLatency,
        region.LinearExpansion,
        'MaxLatency',
      );
    }
    config.TeamDifferenceRules?.forEach((rule, index) => {
      const path = this.at('TeamDifferenceRules', index);
      this.attribute(path, rule.Attribute, 'number', rule.Name);
      this.differenceExpansion(path, rule);
    });
    const balance = config.TeamSizeBalanceRule;
    if (balance !== undefined) {
      const path = this.at('TeamSizeBalanceRule');
      this.oneExpansion(path, balance.LinearExpansion, balance.CustomExpansion);
      this.growingLinear(
        childPath(path, 'LinearExpansion'),
        balance.Difference,
        balance.LinearExpansion,
        'Difference',
      );
    }
  }

  private attribute(
    rulePath: string,
    attribute: QueueRuleAttribute,
    type: AttributeType,
    ruleName: string,
  ): void {
    this.path(
      childPath(childPath(rulePath, 'Attribute'), 'Path'),
      attribute.Path,
      attribute.Source,
      type,
      ruleName,
    );
  }

  private path(
    path: string,
    text: string,
    source: QueueRuleAttribute['Source'],
    type: AttributeType,
    ruleName: string,
  ): void {
    const parsed = parseAttributePath(text);
    if (!parsed.ok) {
      this.problem(path, `"${text}" ${parsed.message}`);
      return;
    }
    if (source === 'PlayerEntity' && parsed.segments.length < 2) {
      this.problem(
        path,
        `a PlayerEntity path names the object and a field in it, like "$.playerSkill.mu"; got "${text}"`,
      );
    }
    const key = attributeKey(source, parsed.segments);
    const earlier = this.attributeUses.get(key);
    if (earlier === undefined) {
      this.attributeUses.set(key, { type, rule: ruleName });
    } else if (earlier.type !== type) {
      this.problem(
        path,
        `rule "${earlier.rule}" reads "${text}" as ${typeWord(earlier.type)}, this rule as ${typeWord(type)}`,
      );
    }
  }

  private defaultRequired(path: string, behavior: 'UseDefault' | 'MatchAny', value: unknown): void {
    if (behavior === 'UseDefault' && value === undefined) {
      this.problem(
        childPath(path, 'DefaultAttributeValue'),
        'is required when AttributeNotSpecifiedBehavior is UseDefault (or choose MatchAny)',
      );
    }
  }

  /** The expansion of a rule on a Difference (DifferenceRule, TeamDifferenceRule). */
  private differenceExpansion(
    path: string,
    rule: {
      Difference: number;
      LinearExpansion?: LinearShape;
      CustomExpansion?: { DifferenceOverrides?: readonly ({ Value: number } | null)[] };
    },
  ): void {
    this.oneExpansion(path, rule.LinearExpansion, rule.CustomExpansion);
    this.growingLinear(
      childPath(path, 'LinearExpansion'),
      rule.Difference,
      rule.LinearExpansion,
      'Difference',
    );
    this.nonNegativeOverrides(
      childPath(path, 'CustomExpansion'),
      'DifferenceOverrides',
      rule.CustomExpansion?.DifferenceOverrides,
    );
  }

  private oneExpansion(path: string, linear: unknown, custom: unknown): void {
    if (linear !== undefined && custom !== undefined) {
      this.problem(
        path,
        'set LinearExpansion or CustomExpansion, not both: a rule has at most one expansion',
      );
    }
  }

  private growingLinear(path: string, base: number, linear: LinearShape | undefined, baseName: string): void {
    if (linear === undefined) return;
    if (linear.Delta < 0)
      this.problem(childPath(path, 'Delta'), 'must be 0 or more: an expansion relaxes the rule');
    if (linear.Limit !== undefined && linear.Limit < base) {
      this.problem(
        childPath(path, 'Limit'),
        `must be at least ${baseName} (${base}), where the expansion starts`,
      );
    }
  }

  private nonNegativeOverrides(
    path: string,
    field: string,
    overrides: readonly ({ Value: number } | null)[] | undefined,
  ): void {
    overrides?.forEach((entry, index) => {
      if (entry !== null && entry.Value < 0) {
        this.problem(
          childPath(childPath(childPath(path, field), index), 'Value'),
          'must be 0 or more (or null to switch the rule off)',
        );
      }
    });
  }

  private matchTotalBounds(
    path: string,
    rule: NonNullable<MatchmakingQueueConfig['MatchTotalRules']>[number],
  ): void {
    const expansion = rule.Expansion;
    const mins = expansion?.MinOverrides;
    const maxes = expansion?.MaxOverrides;
    if (mins === undefined && maxes === undefined) {
      if (rule.Min > rule.Max) this.problem(childPath(path, 'Min'), `must not exceed Max (${rule.Max})`);
      return;
    }
    const intervals = Math.max(mins?.length ?? 1, maxes?.length ?? 1);
    for (let index = 0; index < intervals; index++) {
      const min = mins === undefined ? rule.Min : mins[Math.min(index, mins.length - 1)]?.Value;
      const max = maxes === undefined ? rule.Max : maxes[Math.min(index, maxes.length - 1)]?.Value;
      if (min !== undefined && max !== undefined && min > max) {
        this.problem(
          childPath(path, 'Expansion'),
          `in interval ${index} the minimum total (${min}) exceeds the maximum (${max})`,
        );
      }
    }
  }
}

function typeWord(type: AttributeType): string {
  switch (type) {
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'string_list':
      return 'a list of strings';
    default:
      return 'a latency list';
  }
}

/** Every problem of a schema-valid queue configuration; empty when it compiles. */
export function validateQueueConfig(
  config: MatchmakingQueueConfig,
  basePath = 'MatchmakingQueue',
): QueueProblem[] {
  return new QueueValidator(config, basePath).run();
}

// ---------------------------------------------------------------------------------------------
// Compilation

/** What the PlayFab use cases and the pass need beyond the neutral program. */
export interface PlayFabQueueTraits {
  /** Every attribute the rules read, for memberToPlayer. */
  attributes: readonly AttributeBinding[];
  /** Key of the latency list attribute when the queue has a RegionSelectionRule. */
  latencyAttributeKey?: string;
  /** The region rule's MaxLatency at an age (null while switched off), for RegionPreferences. */
  maxLatencyAt?: (ageMs: number) => number | null;
  minMatchSize: number;
  maxMatchSize: number;
  maxTicketSize?: number;
  minTicketsPerMatch: number;
  teamNames: readonly string[];
  serverAllocationEnabled: boolean;
  /** Names of rules to skip for candidates holding a backfill ticket. */
  backfillIgnoredRules: readonly string[];
  /** The configuration compiled, as given (GetMatchmakingQueue returns it). */
  config: MatchmakingQueueConfig;
}

export interface PlayFabQueueProgram extends QueueProgram {
  dialect: 'playfab';
  playfab: PlayFabQueueTraits;
}

export const PLAYFAB_ALGORITHM: AlgorithmSettings = {
  strategy: 'exhaustiveSearch',
  batchingPreference: 'random',
  sortByAttributes: [],
  expansionAgeSelection: 'oldest',
  // Backfill tickets get search priority (seed 004).
  backfillPriority: 'high',
  largeMatch: false,
};

interface RuleBuild {
  rule: PredicateRule;
  filters: PlayerFilter[];
  expansions: ExpansionDescription[];
}

class AttributeRegistry {
  readonly bindings: AttributeBinding[] = [];
  readonly specs: AttributeSpec[] = [];

  /** The key of an attribute, registering it on first use. */
  use(
    source: QueueRuleAttribute['Source'],
    pathText: string,
    type: AttributeType,
    defaultValue?: AttributeLeafValue,
    latencies = false,
  ): string {
    const parsed = parseAttributePath(pathText);
    // Validation ran first; a failure here would be a programming error.
    if (!parsed.ok) throw new Error(`attribute path "${pathText}" ${parsed.message}`);
    const key = attributeKey(source, parsed.segments);
    if (!this.bindings.some((binding) => binding.key === key)) {
      this.bindings.push({ key, source, segments: parsed.segments, type, latencies });
      const spec: AttributeSpec = { name: key, type };
      if (defaultValue !== undefined) spec.defaultValue = defaultValue;
      this.specs.push(spec);
    }
    return key;
  }
}

function readNumber(player: Player, key: string): number | undefined {
  const value = player.attributes[key];
  return value?.kind === 'number' ? value.value : undefined;
}
function readString(player: Player, key: string): string | undefined {
  const value = player.attributes[key];
  return value?.kind === 'string' ? value.value : undefined;
}
function readList(player: Player, key: string): readonly string[] | undefined {
  const value = player.attributes[key];
  return value?.kind === 'string_list' ? value.value : undefined;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

function meta(name: string, sourceType: string, weight: number, secondsUntilOptional: number | undefined) {
  const ruleMeta: Omit<PredicateRule, 'evaluate' | 'kind'> = { name, sourceType, weight, standalone: true };
  if (secondsUntilOptional !== undefined) ruleMeta.optionalAfterMs = seconds(secondsUntilOptional);
  return ruleMeta;
}

/** A rule judged on the whole match only: no per-ticket pre-filter follows from it. */
function matchRuleBuild(
  ruleMeta: ReturnType<typeof meta>,
  evaluate: PredicateRule['evaluate'],
  expansions: ExpansionDescription[],
): RuleBuild {
  return { rule: { ...ruleMeta, kind: 'predicate', evaluate }, filters: [], expansions };
}

function describe(target: string, schedule: Schedule): ExpansionDescription[] {
  const steps = scheduleSteps(schedule);
  return steps.length === 0 ? [] : [{ target, steps }];
}

/** A filter that stands aside once its rule is optional for the ticket. */
function filter(
  ruleName: string,
  optionalAfterMs: number | undefined,
  test: PlayerFilter['test'],
): PlayerFilter {
  return {
    ruleName,
    slots: 'all',
    test: (party, ageMs) =>
      optionalAfterMs !== undefined && ageMs >= optionalAfterMs ? undefined : test(party, ageMs),
  };
}

type Config = MatchmakingQueueConfig;
type DifferenceRuleConfig = NonNullable<Config['DifferenceRules']>[number];
type StringEqualityRuleConfig = NonNullable<Config['StringEqualityRules']>[number];
type MatchTotalRuleConfig = NonNullable<Config['MatchTotalRules']>[number];
type SetIntersectionRuleConfig = NonNullable<Config['SetIntersectionRules']>[number];
type RegionSelectionRuleConfig = NonNullable<Config['RegionSelectionRule']>;
type TeamDifferenceRuleConfig = NonNullable<Config['TeamDifferenceRules']>[number];
type TeamSizeBalanceRuleConfig = NonNullable<Config['TeamSizeBalanceRule']>;
type TeamTicketSizeSimilarityRuleConfig = NonNullable<Config['TeamTicketSizeSimilarityRule']>;

/**
 * A rule's attribute binding, and the value that stands in for a member without one: the
 * rule's default under UseDefault, nothing under MatchAny (the member then matches anyone).
 */
function ruleAttribute<Value extends AttributeLeafValue>(
  rule: {
    Attribute: QueueRuleAttribute;
    DefaultAttributeValue?: Value;
    AttributeNotSpecifiedBehavior?: string;
  },
  attributes: AttributeRegistry,
  type: AttributeType,
): { key: string; fallback: Value | undefined } {
  return {
    key: attributes.use(rule.Attribute.Source, rule.Attribute.Path, type, rule.DefaultAttributeValue),
    fallback: rule.AttributeNotSpecifiedBehavior === 'UseDefault' ? rule.DefaultAttributeValue : undefined,
  };
}

function differenceRule(rule: DifferenceRuleConfig, attributes: AttributeRegistry): RuleBuild {
  const { key, fallback } = ruleAttribute(rule, attributes, 'number');
  const schedule = thresholdSchedule(
    rule.Difference,
    rule.LinearExpansion,
    rule.CustomExpansion && { ...rule.CustomExpansion, values: rule.CustomExpansion.DifferenceOverrides },
  );
  const merge = rule.MergeFunction;
  /** The ticket's value, or undefined when no member has one (MatchAny: it matches anyone). */
  const ticketValue = (party: readonly Player[]): number | undefined => {
    let result: number | undefined;
    let count = 0;
    for (const player of party) {
      const value = readNumber(player, key) ?? fallback;
      if (value === undefined) continue;
      count++;
      if (result === undefined) result = value;
      else if (merge === 'Min') result = Math.min(result, value);
      else if (merge === 'Max') result = Math.max(result, value);
      else result += value;
    }
    return merge === 'Average' && result !== undefined ? result / count : result;
  };
  const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
    const limit = scheduleAt(schedule, ageMs);
    if (limit === null) return undefined;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const party of context.parties) {
      const value = ticketValue(party);
      if (value === undefined) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
    if (low > high || high - low <= limit + EPSILON) return undefined;
    return `${rule.Attribute.Path} differs by ${format(high - low)} between tickets (${format(low)} to ${format(high)}); at most ${format(limit)} is allowed`;
  };
  return matchRuleBuild(
    { ...meta(rule.Name, 'DifferenceRule', rule.Weight, rule.SecondsUntilOptional), measuredAttribute: key },
    evaluate,
    describe(`${rule.Name}.Difference`, schedule),
  );
}

function stringEqualityRule(rule: StringEqualityRuleConfig, attributes: AttributeRegistry): RuleBuild {
  const { key, fallback } = ruleAttribute(rule, attributes, 'string');
  const expansion = rule.Expansion;
  // On/off per interval: 1 = enforced, null = off.
  const schedule: Schedule =
    expansion === undefined
      ? { base: 1, intervalMs: 0 }
      : {
          base: 1,
          intervalMs: seconds(expansion.SecondsBetweenExpansions),
          overrides: expansion.EnabledOverrides.map((enabled) => (enabled ? 1 : null)),
        };
  const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
    if (scheduleAt(schedule, ageMs) === null) return undefined;
    let first: string | undefined;
    for (const party of context.parties) {
      for (const player of party) {
        const value = readString(player, key) ?? fallback;
        if (value === undefined) continue;
        if (first === undefined) first = value;
        else if (value !== first) {
          return `${rule.Attribute.Path} differs between players (${JSON.stringify(first)} and ${JSON.stringify(value)}); it must be equal`;
        }
      }
    }
    return undefined;
  };
  return matchRuleBuild(
    meta(rule.Name, 'StringEqualityRule', rule.Weight, rule.SecondsUntilOptional),
    evaluate,
    describe(`${rule.Name}.Enabled`, schedule),
  );
}

function matchTotalRule(rule: MatchTotalRuleConfig, attributes: AttributeRegistry): RuleBuild {
  const key = attributes.use(rule.Attribute.Source, rule.Attribute.Path, 'number');
  const expansion = rule.Expansion;
  const intervalMs = expansion === undefined ? 0 : seconds(expansion.SecondsBetweenExpansions);
  const minSchedule: Schedule =
    expansion?.MinOverrides === undefined
      ? { base: rule.Min, intervalMs }
      : overrideSchedule(rule.Min, expansion, expansion.MinOverrides);
  const maxSchedule: Schedule =
    expansion?.MaxOverrides === undefined
      ? { base: rule.Max, intervalMs }
      : overrideSchedule(rule.Max, expansion, expansion.MaxOverrides);
  const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
    const minimum = scheduleAt(minSchedule, ageMs);
    const maximum = scheduleAt(maxSchedule, ageMs);
    // A null in either list switches the rule off for that interval.
    if (minimum === null || maximum === null) return undefined;
    let total = 0;
    for (const party of context.parties) for (const player of party) total += readNumber(player, key) ?? 0;
    if (total >= minimum - EPSILON && total <= maximum + EPSILON) return undefined;
    return `${rule.Attribute.Path} totals ${format(total)} over the match; it must be between ${format(minimum)} and ${format(maximum)}`;
  };
  return matchRuleBuild(meta(rule.Name, 'MatchTotalRule', rule.Weight, rule.SecondsUntilOptional), evaluate, [
    ...describe(`${rule.Name}.Min`, minSchedule),
    ...describe(`${rule.Name}.Max`, maxSchedule),
  ]);
}

function intersect(current: Set<string> | undefined, values: readonly string[]): Set<string> {
  if (current === undefined) return new Set(values);
  const next = new Set<string>();
  for (const value of values) if (current.has(value)) next.add(value);
  return next;
}

function setIntersectionRule(rule: SetIntersectionRuleConfig, attributes: AttributeRegistry): RuleBuild {
  const { key, fallback } = ruleAttribute(rule, attributes, 'string_list');
  const schedule = thresholdSchedule(
    rule.MinIntersectionSize,
    rule.LinearExpansion,
    rule.CustomExpansion && {
      ...rule.CustomExpansion,
      values: rule.CustomExpansion.MinIntersectionSizeOverrides,
    },
    -1,
    0,
  );
  const common = (parties: readonly (readonly Player[])[]): Set<string> | undefined => {
    let shared: Set<string> | undefined;
    for (const party of parties) {
      for (const player of party) {
        const values = readList(player, key) ?? fallback;
        if (values !== undefined) shared = intersect(shared, values);
      }
    }
    return shared;
  };
  const check = (
    parties: readonly (readonly Player[])[],
    ageMs: number,
    what: string,
  ): string | undefined => {
    const minimum = scheduleAt(schedule, ageMs);
    if (minimum === null) return undefined;
    const shared = common(parties);
    if (shared === undefined || shared.size >= minimum) return undefined;
    return `${what} share ${shared.size} value(s) of ${rule.Attribute.Path} ([${[...shared].join(', ')}]); at least ${format(minimum)} are needed`;
  };
  const optionalAfterMs =
    rule.SecondsUntilOptional === undefined ? undefined : seconds(rule.SecondsUntilOptional);
  return {
    rule: {
      ...meta(rule.Name, 'SetIntersectionRule', rule.Weight, rule.SecondsUntilOptional),
      kind: 'predicate',
      evaluate: (context, ageMs) => check(context.parties, ageMs, 'the players'),
    },
    // The match's common set only shrinks as tickets join, so a ticket short on its own can't match.
    filters: [
      filter(rule.Name, optionalAfterMs, (party, ageMs) => check([party], ageMs, "the ticket's players")),
    ],
    expansions: describe(`${rule.Name}.MinIntersectionSize`, schedule),
  };
}

/** Regions every player reaches within maxLatency, best first (lowest worst-case, then average). */
export function regionPreferences(players: readonly Player[], maxLatency: number): string[] {
  const first = players[0];
  if (first === undefined) return [];
  const ranked: { region: string; worst: number; total: number }[] = [];
  for (const region of Object.keys(first.latencyInMs)) {
    let worst = 0;
    let total = 0;
    let eligible = true;
    for (const player of players) {
      const latency = Object.hasOwn(player.latencyInMs, region) ? player.latencyInMs[region] : undefined;
      if (latency === undefined || latency > maxLatency) {
        eligible = false;
        break;
      }
      worst = Math.max(worst, latency);
      total += latency;
    }
    if (eligible) ranked.push({ region, worst, total });
  }
  ranked.sort(
    (left, right) =>
      left.worst - right.worst || left.total - right.total || left.region.localeCompare(right.region),
  );
  return ranked.map((entry) => entry.region);
}

function regionSelectionRule(
  rule: RegionSelectionRuleConfig,
  attributes: AttributeRegistry,
): RuleBuild & { schedule: Schedule; key: string } {
  const key = attributes.use('User', rule.Path, 'string_number_map', undefined, true);
  const schedule = thresholdSchedule(
    rule.MaxLatency,
    rule.LinearExpansion,
    rule.CustomExpansion && { ...rule.CustomExpansion, values: rule.CustomExpansion.MaxLatencyOverrides },
  );
  const check = (players: readonly Player[], ageMs: number, what: string): string | undefined => {
    const limit = scheduleAt(schedule, ageMs);
    if (limit === null || players.length === 0) return undefined;
    for (const player of players) {
      if (Object.keys(player.latencyInMs).length === 0) {
        return `player ${player.playerId} reports no latencies in ${rule.Path}`;
      }
    }
    return regionPreferences(players, limit).length > 0
      ? undefined
      : `no region is within ${format(limit)} ms of ${what}`;
  };
  const optionalAfterMs =
    rule.SecondsUntilOptional === undefined ? undefined : seconds(rule.SecondsUntilOptional);
  return {
    rule: {
      ...meta(rule.Name, 'RegionSelectionRule', rule.Weight, rule.SecondsUntilOptional),
      kind: 'predicate',
      evaluate: (context, ageMs) => check(context.parties.flat(), ageMs, 'every player'),
    },
    filters: [
      filter(rule.Name, optionalAfterMs, (party, ageMs) => check(party, ageMs, 'every player of the ticket')),
    ],
    expansions: describe(`${rule.Name}.MaxLatency`, schedule),
    schedule,
    key,
  };
}

function teamDifferenceRule(
  rule: TeamDifferenceRuleConfig,
  attributes: AttributeRegistry,
  slots: readonly TeamSlot[],
): RuleBuild {
  const key = attributes.use(
    rule.Attribute.Source,
    rule.Attribute.Path,
    'number',
    rule.DefaultAttributeValue,
  );
  const schedule = thresholdSchedule(
    rule.Difference,
    rule.LinearExpansion,
    rule.CustomExpansion && { ...rule.CustomExpansion, values: rule.CustomExpansion.DifferenceOverrides },
  );
  const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
    const limit = scheduleAt(schedule, ageMs);
    if (limit === null) return undefined;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    let lowTeam = '';
    let highTeam = '';
    context.slotPlayers.forEach((players, index) => {
      if (players.length === 0) return;
      let total = 0;
      for (const { player } of players) total += readNumber(player, key) ?? rule.DefaultAttributeValue;
      const average = total / players.length;
      if (average < low) {
        low = average;
        lowTeam = slots[index]?.name ?? '';
      }
      if (average > high) {
        high = average;
        highTeam = slots[index]?.name ?? '';
      }
    });
    if (low > high || high - low <= limit + EPSILON) return undefined;
    return `team averages of ${rule.Attribute.Path} differ by ${format(high - low)} (${lowTeam} ${format(low)}, ${highTeam} ${format(high)}); at most ${format(limit)} is allowed`;
  };
  return matchRuleBuild(
    meta(rule.Name, 'TeamDifferenceRule', 0, rule.SecondsUntilOptional),
    evaluate,
    describe(`${rule.Name}.Difference`, schedule),
  );
}

function teamSizeBalanceRule(rule: TeamSizeBalanceRuleConfig): RuleBuild {
  const schedule = thresholdSchedule(
    rule.Difference,
    rule.LinearExpansion,
    rule.CustomExpansion && { ...rule.CustomExpansion, values: rule.CustomExpansion.DifferenceOverrides },
  );
  const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
    const limit = scheduleAt(schedule, ageMs);
    if (limit === null) return undefined;
    const sizes = context.slotPlayers.map((players) => players.length);
    const spread = Math.max(...sizes) - Math.min(...sizes);
    return spread <= limit
      ? undefined
      : `team sizes differ by ${spread} (${sizes.join(' vs ')}); at most ${format(limit)} is allowed`;
  };
  return matchRuleBuild(
    meta(rule.Name, 'TeamSizeBalanceRule', 0, rule.SecondsUntilOptional),
    evaluate,
    describe(`${rule.Name}.Difference`, schedule),
  );
}

function teamTicketSizeSimilarityRule(
  rule: TeamTicketSizeSimilarityRuleConfig,
  slots: readonly TeamSlot[],
): RuleBuild {
  const hasBackfill = (context: MatchContext): boolean =>
    context.parties.some((party) => party.some(isBackfillPlayer));
  const evaluate: PredicateRule['evaluate'] = (context) => {
    if (hasBackfill(context)) return undefined;
    const withLargeParty: string[] = [];
    const without: string[] = [];
    context.slotPlayers.forEach((players, index) => {
      if (players.length === 0) return;
      const slot = slots[index];
      const maxTeamSize = slot === undefined ? 0 : slot.maxPlayers.base;
      const perParty = new Map<number, number>();
      for (const { partyIndex } of players) perParty.set(partyIndex, (perParty.get(partyIndex) ?? 0) + 1);
      // A large party fills at least half of the team's maximum size (PlayFab docs).
      const large = [...perParty.values()].some((count) => count * 2 >= maxTeamSize);
      (large ? withLargeParty : without).push(slot?.name ?? String(index));
    });
    if (withLargeParty.length === 0 || without.length === 0) return undefined;
    return `team(s) ${withLargeParty.join(', ')} have a large party and ${without.join(', ')} don't`;
  };
  return {
    rule: {
      ...meta(rule.Name, 'TeamTicketSizeSimilarityRule', 0, rule.SecondsUntilOptional),
      kind: 'predicate',
      evaluate,
      ignoredForBackfill: true,
    },
    filters: [],
    expansions: [],
  };
}

function ticketCountRule(): PredicateRule {
  return {
    ...meta(TICKET_COUNT_RULE, 'ticketCount', 0, undefined),
    kind: 'predicate',
    evaluate: (context) =>
      context.parties.length >= MIN_TICKETS_PER_MATCH
        ? undefined
        : `a match needs at least ${MIN_TICKETS_PER_MATCH} tickets, this one has ${context.parties.length}`,
  };
}

function matchSizeRule(minimum: number, maximum: number): PredicateRule {
  return {
    ...meta(MATCH_SIZE_RULE, 'matchSize', 0, undefined),
    kind: 'predicate',
    evaluate: (context) => {
      let count = 0;
      for (const players of context.slotPlayers) count += players.length;
      return count >= minimum && count <= maximum
        ? undefined
        : `the match has ${count} players; it needs ${minimum} to ${maximum}`;
    },
  };
}

/**
 * Validates and compiles a queue configuration (already through MatchmakingQueueConfigSchema).
 * Throws QueueConfigInvalidError listing every problem.
 */
export function compileQueueConfig(config: MatchmakingQueueConfig): PlayFabQueueProgram {
  const problems = validateQueueConfig(config);
  if (problems.length > 0) throw new QueueConfigInvalidError(problems);

  const teams = config.Teams ?? [];
  const teamSlots: TeamSlot[] =
    teams.length > 0
      ? teams.map((team, index) => ({
          index,
          name: team.Name,
          definitionName: team.Name,
          minPlayers: fixedValue(team.MinTeamSize),
          maxPlayers: fixedValue(team.MaxTeamSize),
        }))
      : [
          {
            index: 0,
            name: SINGLE_SLOT_NAME,
            definitionName: SINGLE_SLOT_NAME,
            minPlayers: fixedValue(config.MinMatchSize),
            maxPlayers: fixedValue(config.MaxMatchSize),
          },
        ];

  const attributes = new AttributeRegistry();
  const builds: RuleBuild[] = [];
  for (const rule of config.DifferenceRules ?? []) builds.push(differenceRule(rule, attributes));
  for (const rule of config.StringEqualityRules ?? []) builds.push(stringEqualityRule(rule, attributes));
  for (const rule of config.MatchTotalRules ?? []) builds.push(matchTotalRule(rule, attributes));
  for (const rule of config.SetIntersectionRules ?? []) builds.push(setIntersectionRule(rule, attributes));
  let region: ReturnType<typeof regionSelectionRule> | undefined;
  if (config.RegionSelectionRule !== undefined) {
    region = regionSelectionRule(config.RegionSelectionRule, attributes);
    builds.push(region);
  }
  for (const rule of config.TeamDifferenceRules ?? [])
    builds.push(teamDifferenceRule(rule, attributes, teamSlots));
  if (config.TeamSizeBalanceRule !== undefined) builds.push(teamSizeBalanceRule(config.TeamSizeBalanceRule));
  if (config.TeamTicketSizeSimilarityRule !== undefined) {
    builds.push(teamTicketSizeSimilarityRule(config.TeamTicketSizeSimilarityRule, teamSlots));
  }

  const matchRules: MatchRule[] = [ticketCountRule()];
  const teamMin = teamSlots.reduce((sum, slot) => sum + slot.minPlayers.base, 0);
  const teamMax = teamSlots.reduce((sum, slot) => sum + slot.maxPlayers.base, 0);
  if (teamMin < config.MinMatchSize || teamMax > config.MaxMatchSize) {
    matchRules.push(matchSizeRule(config.MinMatchSize, config.MaxMatchSize));
  }
  for (const build of builds) matchRules.push(build.rule);

  const slotIndexes = new Map<string, number[]>(teamSlots.map((slot) => [slot.name, [slot.index]]));
  const environment: ExpressionEnvironment = {
    attributes: new Map(attributes.specs.map((spec) => [spec.name, spec])),
    teamSlots: slotIndexes,
    slotCount: teamSlots.length,
  };

  const traits: PlayFabQueueTraits = {
    attributes: attributes.bindings,
    minMatchSize: config.MinMatchSize,
    maxMatchSize: config.MaxMatchSize,
    minTicketsPerMatch: MIN_TICKETS_PER_MATCH,
    teamNames: teams.map((team) => team.Name),
    serverAllocationEnabled: config.ServerAllocationEnabled,
    backfillIgnoredRules: matchRules
      .filter((rule) => rule.ignoredForBackfill === true)
      .map((rule) => rule.name),
    config,
  };
  if (config.MaxTicketSize !== undefined) traits.maxTicketSize = config.MaxTicketSize;
  if (region !== undefined) {
    const schedule = region.schedule;
    traits.latencyAttributeKey = region.key;
    traits.maxLatencyAt = (ageMs) => scheduleAt(schedule, ageMs);
  }

  return {
    dialect: 'playfab',
    name: config.Name,
    attributes: attributes.specs,
    teamSlots,
    playerFilters: builds.flatMap((build) => build.filters),
    matchRules,
    orderingRules: [],
    expansions: builds.flatMap((build) => build.expansions),
    algorithm: PLAYFAB_ALGORITHM,
    // With teams the match-size rule may cap the total below the teams' sum.
    totalMinPlayers: Math.max(teamMin, config.MinMatchSize),
    totalMaxPlayers: Math.min(teamMax, config.MaxMatchSize),
    environment,
    playfab: traits,
  };
}
