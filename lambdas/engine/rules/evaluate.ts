import type { CandidateMatch, Player } from '../model';
import { compileExpression, type ExpressionValue, parsePropertyExpression } from './expressions';
import {
  type CompiledStatement,
  type ContextPlayer,
  type MatchContext,
  type QueueProgram,
  valueAtAge,
} from './program';

/** A ticket inside a candidate: who is in the party and since when it waits (epoch ms). */
export interface CandidateTicket {
  ticketId: string;
  startTime: number;
  players: readonly Player[];
}

/**
 * A candidate match for rule evaluation: team slot name (`red`, `trio_2`) → the tickets placed
 * on it. A ticket split over several teams is listed under each with its players there; its
 * players still form one party.
 */
export interface RuleCandidate {
  teams: Readonly<Record<string, readonly CandidateTicket[]>>;
}

export interface RuleResult {
  ruleName: string;
  passed: boolean;
  detail?: string;
}

export interface CandidateEvaluation {
  passed: boolean;
  /** The age that drove expansions (newest or oldest ticket, per the program). */
  ageMs: number;
  /** One entry per rule, in rule set order; feeds ruleEvaluationMetrics. */
  rules: RuleResult[];
  /** Team sizes outside their (expanded) bounds, or teams the program does not know. */
  teamProblems: string[];
}

interface PreparedCandidate {
  context: MatchContext;
  teamProblems: string[];
  newestStart: number;
  oldestStart: number;
}

/** How many own enumerable keys an object has, without Object.keys' array (once per evaluation). */
function ownKeyCount(record: object): number {
  let count = 0;
  for (const key in record) if (Object.hasOwn(record, key)) count++;
  return count;
}

function prepare(
  program: QueueProgram,
  candidate: RuleCandidate,
  collectProblems: boolean,
): PreparedCandidate {
  const slotPlayers: ContextPlayer[][] = [];
  const parties: (readonly Player[])[] = [];
  const ticketIds: string[] = [];
  let newestStart = Number.NEGATIVE_INFINITY;
  let oldestStart = Number.POSITIVE_INFINITY;
  const teamProblems: string[] = [];
  for (const slot of program.teamSlots) {
    const tickets = Object.hasOwn(candidate.teams, slot.name) ? candidate.teams[slot.name] : undefined;
    const players: ContextPlayer[] = [];
    if (tickets !== undefined) {
      for (const ticket of tickets) {
        if (ticket.startTime > newestStart) newestStart = ticket.startTime;
        if (ticket.startTime < oldestStart) oldestStart = ticket.startTime;
        // Linear search: a candidate holds a handful of tickets, cheaper than a Map per call.
        let partyIndex = ticketIds.indexOf(ticket.ticketId);
        if (partyIndex < 0) {
          partyIndex = parties.length;
          ticketIds.push(ticket.ticketId);
          // The ticket's own list while the ticket is met once (a party on one team, the usual
          // case): no copy per ticket and evaluation. A split ticket's next part makes a new list.
          parties.push(ticket.players);
        } else {
          parties[partyIndex] = [...(parties[partyIndex] as readonly Player[]), ...ticket.players];
        }
        for (const player of ticket.players) players.push({ player, partyIndex });
      }
    }
    slotPlayers.push(players);
  }
  if (collectProblems || program.teamSlots.length !== ownKeyCount(candidate.teams)) {
    for (const name of Object.keys(candidate.teams)) {
      if (!program.teamSlots.some((slot) => slot.name === name)) {
        teamProblems.push(`unknown team "${name}"`);
      }
    }
  }
  return { context: { slotPlayers, parties, missing: undefined }, teamProblems, newestStart, oldestStart };
}

function ageFrom(program: QueueProgram, prepared: PreparedCandidate, nowMs: number): number {
  const start =
    program.algorithm.expansionAgeSelection === 'oldest' ? prepared.oldestStart : prepared.newestStart;
  return Number.isFinite(start) ? Math.max(0, nowMs - start) : 0;
}

/** Age that drives expansions: the newest ticket's by default, the oldest's when configured. */
export function drivingAgeMs(program: QueueProgram, candidate: RuleCandidate, nowMs: number): number {
  return ageFrom(program, prepare(program, candidate, false), nowMs);
}

function checkTeamSizes(
  program: QueueProgram,
  context: MatchContext,
  ageMs: number,
  problems: string[] | undefined,
): boolean {
  let ok = true;
  for (const slot of program.teamSlots) {
    const count = context.slotPlayers[slot.index]?.length ?? 0;
    const minimum = valueAtAge(slot.minPlayers, ageMs);
    const maximum = valueAtAge(slot.maxPlayers, ageMs);
    if (count < minimum || count > maximum) {
      ok = false;
      if (problems === undefined) return false;
      problems.push(`team "${slot.name}" has ${count} player(s), needs ${minimum} to ${maximum}`);
    }
  }
  return ok;
}

function statementHolds(statement: CompiledStatement, outcomes: readonly boolean[]): boolean {
  switch (statement.op) {
    case 'rule':
      return outcomes[statement.ruleIndex] === true;
    case 'not':
      return !statementHolds(statement.operand, outcomes);
    case 'and':
      return statement.operands.every((operand) => statementHolds(operand, outcomes));
    case 'or':
      return statement.operands.some((operand) => statementHolds(operand, outcomes));
    default: {
      // xor: exactly one operand holds.
      let holding = 0;
      for (const operand of statement.operands) if (statementHolds(operand, outcomes)) holding++;
      return holding === 1;
    }
  }
}

/**
 * Every rule's outcome at the age, in rule set order, and whether the enforced ones all hold.
 * With `stopAtFailure`, gives up (undefined) at the first enforced rule that fails.
 */
function reportRules(
  program: QueueProgram,
  context: MatchContext,
  ageMs: number,
  stopAtFailure: boolean,
): { passed: boolean; rules: RuleResult[] } | undefined {
  const rules = program.matchRules;
  const outcomes: boolean[] = new Array(rules.length).fill(true);
  const results: RuleResult[] = new Array(rules.length);
  const enforcedAt = (rule: (typeof rules)[number]): boolean =>
    rule.standalone && (rule.optionalAfterMs === undefined || ageMs < rule.optionalAfterMs);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule?.kind !== 'predicate') continue;
    context.missing = undefined;
    const detail = rule.evaluate(context, ageMs);
    if (detail !== undefined && stopAtFailure && enforcedAt(rule)) return undefined;
    outcomes[index] = detail === undefined;
    results[index] =
      detail === undefined
        ? { ruleName: rule.name, passed: true }
        : { ruleName: rule.name, passed: false, detail };
  }
  let passed = true;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule === undefined) continue;
    if (rule.kind === 'ordering') {
      results[index] = { ruleName: rule.name, passed: true };
    } else if (rule.kind === 'compound') {
      const holds = statementHolds(rule.statement, outcomes);
      outcomes[index] = holds;
      results[index] = holds
        ? { ruleName: rule.name, passed: true }
        : { ruleName: rule.name, passed: false, detail: 'statement is false' };
    }
    if (enforcedAt(rule) && !outcomes[index]) {
      if (stopAtFailure) return undefined;
      passed = false;
    }
  }
  return { passed, rules: results };
}

/**
 * Evaluates every rule of the program against a candidate. A rule only used inside a compound
 * rule is reported but does not reject on its own; a rule past its optionalAfterMs neither.
 */
export function evaluateCandidate(
  program: QueueProgram,
  candidate: RuleCandidate,
  nowMs: number,
): CandidateEvaluation {
  const prepared = prepare(program, candidate, true);
  const { context, teamProblems } = prepared;
  const ageMs = ageFrom(program, prepared, nowMs);
  const sizesHold = checkTeamSizes(program, context, ageMs, teamProblems) && teamProblems.length === 0;
  const report = reportRules(program, context, ageMs, false) as { passed: boolean; rules: RuleResult[] };
  return { passed: sizesHold && report.passed, ageMs, rules: report.rules, teamProblems };
}

/**
 * evaluateCandidate's report for a candidate that passes, undefined as soon as it is clear it
 * does not: one evaluation where candidatePasses followed by evaluateCandidate would make two.
 */
export function evaluatePassingCandidate(
  program: QueueProgram,
  candidate: RuleCandidate,
  nowMs: number,
): CandidateEvaluation | undefined {
  const prepared = prepare(program, candidate, false);
  if (prepared.teamProblems.length > 0) return undefined;
  return evaluatePassingContext(program, prepared.context, ageFrom(program, prepared, nowMs));
}

/**
 * evaluatePassingCandidate for a caller that builds the evaluation context itself, with the
 * age that drives expansions: the matching pass, which knows its parties (one per ticket) and
 * start times, and so skips matching tickets up by id. Same context and age, same answer.
 */
export function evaluatePassingContext(
  program: QueueProgram,
  context: MatchContext,
  ageMs: number,
): CandidateEvaluation | undefined {
  if (!checkTeamSizes(program, context, ageMs, undefined)) return undefined;
  const report = reportRules(program, context, ageMs, true);
  return report === undefined ? undefined : { passed: true, ageMs, rules: report.rules, teamProblems: [] };
}

/** The same verdict as evaluateCandidate(...).passed, stopping at the first failure and building no report. */
export function candidatePasses(program: QueueProgram, candidate: RuleCandidate, nowMs: number): boolean {
  const prepared = prepare(program, candidate, false);
  if (prepared.teamProblems.length > 0) return false;
  const ageMs = ageFrom(program, prepared, nowMs);
  const { context } = prepared;
  if (!checkTeamSizes(program, context, ageMs, undefined)) return false;
  const rules = program.matchRules;
  let outcomes: boolean[] | undefined;
  let hasCompound = false;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule === undefined) continue;
    if (rule.kind === 'compound') hasCompound = true;
    if (rule.kind !== 'predicate') continue;
    const enforced = rule.standalone && (rule.optionalAfterMs === undefined || ageMs < rule.optionalAfterMs);
    // A standalone rule past its optional age decides nothing; compound operands always count.
    if (!enforced && rule.standalone) continue;
    context.missing = undefined;
    const holds = rule.evaluate(context, ageMs) === undefined;
    if (!holds && enforced) return false;
    if (!rule.standalone) {
      outcomes ??= new Array(rules.length).fill(true);
      outcomes[index] = holds;
    }
  }
  if (!hasCompound) return true;
  const compoundOutcomes = outcomes ?? new Array(rules.length).fill(true);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule?.kind !== 'compound') continue;
    const enforced = rule.standalone && (rule.optionalAfterMs === undefined || ageMs < rule.optionalAfterMs);
    if (enforced && !statementHolds(rule.statement, compoundOutcomes)) return false;
  }
  return true;
}

function filtersFor(program: QueueProgram, slotName: string | undefined) {
  const slotIndex =
    slotName === undefined ? -1 : program.teamSlots.findIndex((slot) => slot.name === slotName);
  return program.playerFilters.filter(
    (filter) => filter.slots === 'all' || (slotIndex >= 0 && filter.slots.includes(slotIndex)),
  );
}

/**
 * Cheap pre-check for a ticket (its players form one party): every filter that applies
 * everywhere, plus the filters of one team slot when slotName is given. Returns the failure
 * details, empty when the ticket passes.
 */
export function ticketFilterFailures(
  program: QueueProgram,
  players: readonly Player[],
  ageMs: number,
  slotName?: string,
): string[] {
  const failures: string[] = [];
  for (const filter of filtersFor(program, slotName)) {
    const detail = filter.test(players, ageMs);
    if (detail !== undefined) failures.push(`${filter.ruleName}: ${detail}`);
  }
  return failures;
}

export function ticketPassesFilters(
  program: QueueProgram,
  players: readonly Player[],
  ageMs: number,
  slotName?: string,
): boolean {
  for (const filter of program.playerFilters) {
    if (filter.slots !== 'all') {
      if (slotName === undefined) continue;
      const slotIndex = program.teamSlots.findIndex((slot) => slot.name === slotName);
      if (!filter.slots.includes(slotIndex)) continue;
    }
    if (filter.test(players, ageMs) !== undefined) return false;
  }
  return true;
}

/** A lone player as a party of one. */
export function playerPassesFilters(
  program: QueueProgram,
  player: Player,
  ageMs: number,
  slotName?: string,
): boolean {
  return ticketPassesFilters(program, [player], ageMs, slotName);
}

/**
 * Sort keys of a ticket relative to the batch anchor (the oldest ticket), one per ordering
 * rule in priority order. Compare with compareOrderingKeys: smaller sorts first.
 */
export function orderingKeys(
  program: QueueProgram,
  anchor: readonly Player[],
  party: readonly Player[],
  out: number[] = [],
): number[] {
  out.length = program.orderingRules.length;
  for (let index = 0; index < program.orderingRules.length; index++) {
    const rule = program.orderingRules[index];
    out[index] = rule === undefined ? 0 : rule.key(party, anchor);
  }
  return out;
}

/** Lexicographic comparison of ordering keys; NaN (a missing value) sorts last. */
export function compareOrderingKeys(left: readonly number[], right: readonly number[]): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const a = left[index] as number;
    const b = right[index] as number;
    if (a === b) continue;
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Evaluates one property expression against a candidate (for diagnostics and tests; the
 * matching pass uses the rules' precompiled closures instead).
 */
export function evaluatePropertyExpression(
  program: QueueProgram,
  expressionText: string,
  candidate: RuleCandidate,
): ExpressionValue {
  const parsed = parsePropertyExpression(expressionText);
  if (!parsed.ok) throw new Error(parsed.message);
  const compiled = compileExpression(parsed.node, expressionText, program.environment);
  const { context } = prepare(program, candidate, false);
  const value = compiled.evaluate(context);
  if (context.missing !== undefined) throw new Error(context.missing);
  return value;
}

/** Candidate in the engine's plain shape: each player becomes its own one-player ticket. */
export function candidateFromMatch(match: CandidateMatch, startTime: number): RuleCandidate {
  const teams: Record<string, CandidateTicket[]> = {};
  for (const [team, players] of Object.entries(match.teams)) {
    teams[team] = players.map((player) => ({ ticketId: player.playerId, startTime, players: [player] }));
  }
  return { teams };
}
