/**
 * The FlexMatch rule set language as a pure engine module: parse (comments tolerated,
 * duplicate keys rejected), validate (every problem, with its JSON path), compile into the
 * dialect-neutral queue program, evaluate candidates.
 */
import { compileRuleSet } from './compile';
import { formatProblems as format, type RuleSetProblem as Problem } from './problems';
import type { QueueProgram } from './program';
import { validateRuleSetBody } from './validate';

export { compileRuleSet } from './compile';
export {
  type CandidateEvaluation,
  type CandidateTicket,
  candidateFromMatch,
  candidatePasses,
  compareOrderingKeys,
  drivingAgeMs,
  evaluateCandidate,
  evaluatePassingCandidate,
  evaluatePassingContext,
  evaluatePropertyExpression,
  orderingKeys,
  playerPassesFilters,
  type RuleCandidate,
  type RuleResult,
  ticketFilterFailures,
  ticketPassesFilters,
} from './evaluate';
export { parsePropertyExpression } from './expressions';
export { MAX_RULE_SET_BODY_LENGTH, parseRuleSetJson } from './parse';
export { formatProblems, type RuleSetProblem } from './problems';
export type * from './program';
export { valueAtAge } from './program';
export type { RuleSet } from './types';
export { type ValidationResult, validateRuleSetBody } from './validate';

/** Validates and compiles in one step; throws with formatProblems' message when invalid. */
export function compileRuleSetBody(body: string): QueueProgram {
  const result = validateRuleSetBody(body);
  if (!result.valid) {
    throw new RuleSetInvalidError(result.problems);
  }
  return compileRuleSet(result.ruleSet);
}

export class RuleSetInvalidError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(format(problems));
    this.name = 'RuleSetInvalidError';
  }
}
