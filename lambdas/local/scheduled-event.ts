import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';

/**
 * The event an EventBridge schedule rule delivers to its target; `maxTicks` in the detail
 * bounds the matchmaker's ticks in this invocation (lambdas/handlers/matchmaker.ts).
 */
export function scheduledEvent(
  scope: { region: string; accountId: string },
  detail: { maxTicks?: number } = {},
): ScheduledEvent<{ maxTicks?: number }> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: scope.accountId,
    time: new Date().toISOString(),
    region: scope.region,
    resources: [`arn:aws:events:${scope.region}:${scope.accountId}:rule/slotfill-matchmaker-local`],
    detail,
  };
}
