import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createEventBridgeClient, createSqsClient } from '../shared/clients';
import { matchmakerSettingsFromEnv } from '../shared/config';
import { logger, metrics } from '../shared/observability';
import { traced, tracing } from '../shared/tracing';
import { dispatchConfigurations } from '../usecases/matchmaker';
import { EventBridgeSink } from './eventbridge-sink';
import { runMatchmakerInvocation } from './matchmaker-loop';
import { publishMatchmakerMetrics } from './matchmaker-metrics';
import { runtimeDependencies } from './runtime';
import { SqsWorkQueue } from './sqs-work-queue';

/**
 * Lambda entry for the scheduled matchmaker (EventBridge schedule, once a minute). With a work
 * queue (WORK_QUEUE_URL, as the stack deploys it) it is the dispatcher: one message per
 * configuration, each worked on by its own worker invocation (matchmaker-worker.ts). Without
 * one (the local service's bundles) it runs the workers itself, in parallel, a tick at a time.
 */
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
const workQueueUrl = process.env.WORK_QUEUE_URL;
const workQueue = workQueueUrl ? new SqsWorkQueue(traced(createSqsClient(config)), workQueueUrl) : undefined;
const sink = new EventBridgeSink({
  client: traced(createEventBridgeClient(config)),
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
  .use(tracing())
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    if (workQueue) {
      const { dispatched, failed } = await dispatchConfigurations(useCases, workQueue);
      logger.info('matchmaker dispatch finished', { dispatched, failed: failed.length });
      if (failed.length > 0) throw new Error(`${failed.length} configurations could not be dispatched`);
      return { ticks: 0, matches: 0 };
    }
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
