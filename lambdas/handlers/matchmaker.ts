import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { matchmakerSettingsFromEnv } from '../shared/config';
import { logger, metrics, tracer } from '../shared/observability';
import { EventBridgeSink } from './eventbridge-sink';
import { runMatchmakerInvocation } from './matchmaker-loop';
import { runtimeDependencies } from './runtime';

/** Lambda entry for the scheduled matchmaker (EventBridge schedule, once a minute). */
const { config, useCases } = runtimeDependencies();
const settings = matchmakerSettingsFromEnv();
const eventBusName = process.env.EVENT_BUS_NAME ?? 'default';
const source = process.env.EVENT_SOURCE ?? 'slotfill.matchmaking';
const sink = new EventBridgeSink({
  client: tracer.captureAWSv3Client(new EventBridgeClient({ region: config.region })),
  eventBusName,
  source,
  arnScope: { region: config.region, accountId: config.accountId },
});

export const handler = middy<ScheduledEvent, { ticks: number }, Error, Context>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (_event, context) => {
    const { ticks, reports } = await runMatchmakerInvocation(useCases, sink, settings, () =>
      context.getRemainingTimeInMillis(),
    );
    const matches = reports.reduce(
      (total, r) => total + r.passes.reduce((t, p) => t + p.matchesCommitted, 0),
      0,
    );
    logger.info('matchmaker invocation finished', { ticks, matches });
    return { ticks };
  });
