import { invalidRequest, notFound, SlotfillError } from '../shared/errors';
import type { RuleSetRecord } from '../store/records';
import type { Page } from '../store/store';
import type { UseCaseContext } from './context';
import { assertValidRuleSetBody } from './rule-set-validation';

export interface CreateRuleSetRequest {
  name: string;
  ruleSetBody: string;
  tags?: Array<{ key: string; value: string }>;
}

export async function createRuleSet(
  context: UseCaseContext,
  request: CreateRuleSetRequest,
): Promise<RuleSetRecord> {
  assertValidRuleSetBody(request.ruleSetBody);
  const record: RuleSetRecord = {
    name: request.name,
    body: request.ruleSetBody,
    creationTime: context.now(),
    tags: request.tags ?? [],
  };
  await context.store.createRuleSet(record);
  return record;
}

export function validateRuleSet(ruleSetBody: string): void {
  assertValidRuleSetBody(ruleSetBody);
}

export interface DescribeRuleSetsRequest {
  names?: string[];
  limit?: number;
  nextToken?: string;
}

export const DEFAULT_PAGE_SIZE = 10;

export async function describeRuleSets(
  context: UseCaseContext,
  request: DescribeRuleSetsRequest,
): Promise<Page<RuleSetRecord>> {
  if (request.names && request.names.length > 0) {
    const found = await context.store.getRuleSets(request.names);
    const foundNames = new Set(found.map((r) => r.name));
    const missing = request.names.filter((name) => !foundNames.has(name));
    if (missing.length > 0) throw notFound(`Matchmaking rule set(s) not found: ${missing.join(', ')}.`);
    return { items: request.names.map((name) => found.find((r) => r.name === name)!) };
  }
  return context.store.listRuleSets(request.limit ?? DEFAULT_PAGE_SIZE, request.nextToken);
}

export async function deleteRuleSet(context: UseCaseContext, name: string): Promise<void> {
  try {
    await context.store.deleteRuleSet(name);
  } catch (error) {
    // A rule set in use can't be deleted; to the caller that is a bad request, not a race.
    if (error instanceof SlotfillError && error.kind === 'Conflict') {
      throw invalidRequest(error.message);
    }
    throw error;
  }
}
