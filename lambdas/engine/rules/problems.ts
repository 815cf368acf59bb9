/**
 * Problems found in a rule set body. Validation never stops at the first problem: a studio
 * fixing a rule set wants the whole list at once, each with the JSON path it concerns.
 */
export interface RuleSetProblem {
  /** JSON path such as `rules[2].measurements` or `teams[0].maxPlayers`; empty for the body itself. */
  path: string;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path of a child: `.key` for identifier-like keys, `["odd key"]` otherwise, `[n]` for indexes. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  if (PLAIN_KEY.test(key)) {
    return parent === '' ? key : `${parent}.${key}`;
  }
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * One message listing every problem, used as the InvalidRequestException message. Problems are
 * numbered so a long list stays readable on one line in a console or SDK error.
 */
export function formatProblems(problems: readonly RuleSetProblem[]): string {
  if (problems.length === 0) {
    return 'Rule set is valid.';
  }
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const listed = problems
    .map(
      (problem, index) =>
        `(${index + 1}) ${problem.path === '' ? 'rule set body' : problem.path}: ${problem.message}`,
    )
    .join('; ');
  return `Invalid rule set, ${problems.length} ${noun}: ${listed}`;
}
