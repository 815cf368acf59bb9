import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createEventBridgeClient } from '../shared/clients';
import { matchmakerSettingsFromEnv } from '../shared/config';
import { logger, metrics, tracer } from '../shared/observability';
import { EventBridgeSink } from './eventbridge-sink';
import { runMatchmakerInvocation } from './matchmaker-loop';
import { publishMatchmakerMetrics } from './matchmaker-metrics';
import { runtimeDependencies } from './runtime';

/** Lambda entry for the scheduled matchmaker (EventBridge schedule, once a minute). */
const { config, useCases } = runtimeDependencies();
const settings = matchmakerSettingsFromEnv();
const eventBusName = process.env.EVENT_BUS_NAME ?? 'default';
const source = process.env.EVENT_SOURCE ?? 'slotfill.matchmaking';
/**
 * The lease owner is this execution environment, not one invocation: Lambda never runs two
 * invocations at once in one environment, so the next invocation here may carry on at once
 * with the lease this one holds instead of waiting for it to lapse.
 */
const leaseOwner = `matchmaker-${randomUUID()}`;
const sink = new EventBridgeSink({
  client: tracer.captureAWSv3Client(createEventBridgeClient(config)),
  eventBusName,
  source,
  arnScope: { region: config.region, accountId: config.accountId },
});

/**
 * The schedule's event may carry `detail.maxTicks` (a positive integer) to end the invocation
 * after that many ticks instead of near its timeout; the local service sends 1.
 */
export type MatchmakerEvent = ScheduledEvent<{ maxTicks?: unknown } | undefined>;

function maxTicksOf(event: MatchmakerEvent): number | undefined {
  const value = event.detail?.maxTicks;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export const handler = middy<MatchmakerEvent, { ticks: number; matches: number }, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const { ticks, reports } = await runMatchmakerInvocation(
      useCases,
      sink,
      settings,
      () => context.getRemainingTimeInMillis(),
      maxTicksOf(event),
      leaseOwner,
    );
    const matches = reports.reduce(
      (total, r) => total + r.passes.reduce((t, p) => t + p.matchesCommitted, 0),
      0,
    );
    publishMatchmakerMetrics();
    logger.info('matchmaker invocation finished', { ticks, matches });
    return { ticks, matches };
  });
