import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';

/**
 * What the Lambda runtime hands a handler, built locally: the context object and the event
 * an EventBridge schedule sends. The local gateway and the local matchmaker use them.
 */
export function lambdaContext(
  functionName: string,
  awsRequestId: string,
  remainingMs: () => number,
): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A context whose clock runs out after the given number of milliseconds. */
export function timedLambdaContext(functionName: string, awsRequestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return lambdaContext(functionName, awsRequestId, () => Math.max(0, deadline - Date.now()));
}

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
