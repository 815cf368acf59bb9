/**
 * The rule-set check every entry point shares. Returns readable problems, each prefixed with
 * where it is; empty when the body is acceptable.
 */
export function checkRuleSetBody(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return [`RuleSetBody is not valid JSON: ${(error as Error).message}`];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return ['RuleSetBody must be a JSON object'];
  }
  const version = (parsed as Record<string, unknown>).ruleLanguageVersion;
  if (version !== '1.0') return [`ruleLanguageVersion: must be "1.0" (got ${JSON.stringify(version)})`];
  return [];
}
