import { formatProblems, validateRuleSetBody } from '../engine/rules';
import { invalidRequest } from '../shared/errors';

/**
 * The rule-set check every entry point shares (create and validate in both dialects): the
 * engine's full language validation, reported as one bad-request error listing every problem
 * with its JSON path.
 */
export function assertValidRuleSetBody(body: string): void {
  const verdict = validateRuleSetBody(body);
  if (!verdict.valid) throw invalidRequest(formatProblems(verdict.problems), { problems: verdict.problems });
}
