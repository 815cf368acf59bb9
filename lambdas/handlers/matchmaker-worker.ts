import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createEventBridgeClient, createSqsClient } from '../shared/clients';
import { mapConcurrent } from '../shared/concurrency';
import { matchmakerSettingsFromEnv } from '../shared/config';
import { once } from '../shared/lazy';
import { logger, metrics } from '../shared/observability';
import { traced, tracing } from '../shared/tracing';
import {
  CONFIGURATION_CONCURRENCY,
  runConfigurationWorker,
  unitsOf,
  type WorkerOptions,
} from '../usecases/matchmaker';
import { EventBridgeSink } from './eventbridge-sink';
import { leaseMsOf, runUnitInvocation } from './matchmaker-loop';
import { runtimeDependencies } from './runtime';
import { SqsWorkQueue, workMessageOf } from './sqs-work-queue';

/**
 * The matchmaker's workers, one function for both triggers:
 * - an SQS message of the scheduled fan-out (one per configuration, or per part of a split
 *   pool): passes every intervalMs on that part until close to the timeout (the safety net:
 *   timeouts, expansions, acceptance deadlines), or until the pool is split differently;
 * - a batch of the table's stream, filtered to tickets written QUEUED: one pass at once for
 *   each part of each configuration that has a new ticket, so time-to-match does not wait for
 *   the interval.
 * Every pass runs under its part's own lease; a part whose lease another worker holds is left
 * to it. A worker that splits a pool sends the new parts' messages to the work queue at once.
 */
const { config, useCases } = runtimeDependencies();
const settings = matchmakerSettingsFromEnv();
const leaseOwner = `worker-${randomUUID()}`;
const sink = new EventBridgeSink({
  client: traced(createEventBridgeClient(config)),
  eventBusName: process.env.EVENT_BUS_NAME ?? 'default',
  source: process.env.EVENT_SOURCE ?? 'slotfill.matchmaking',
  arnScope: { region: config.region, accountId: config.accountId },
});

const workQueueUrl = process.env.WORK_QUEUE_URL;
// Built when a pool is first split differently, which most invocations never see: the SQS
// client's set-up stays out of init (bundle benchmark, README).
const workQueue = workQueueUrl
  ? once(() => new SqsWorkQueue(traced(createSqsClient(config)), workQueueUrl))
  : undefined;
/** The new parts of a split pool start at once, each in an invocation of its own. */
const onSplitChanged: WorkerOptions['onSplitChanged'] = async (configurationName, split) => {
  logger.info('pool split changed', { configurationName, split });
  if (!workQueue) return;
  const { failed } = await workQueue().enqueue(unitsOf(configurationName, split));
  // Not fatal: the next minute's dispatch sends every part of the new split.
  if (failed.length > 0) logger.warn('new parts not all sent', { configurationName, failed: failed.length });
};

export type MatchmakerWorkerEvent = SQSEvent | DynamoDBStreamEvent;

/** Configurations with a ticket written QUEUED in this stream batch (the filter already narrows to those). */
export function queuedConfigurations(event: DynamoDBStreamEvent): string[] {
  const names = new Set<string>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (image?.sk?.S === 'TICKET' && image.status?.S === 'QUEUED' && image.configurationName?.S)
      names.add(image.configurationName.S);
  }
  return [...names];
}

function isSqsEvent(event: MatchmakerWorkerEvent): event is SQSEvent {
  return event.Records.every((record) => 'eventSource' in record && record.eventSource === 'aws:sqs');
}

export const handler = middy<MatchmakerWorkerEvent, SQSBatchResponse | undefined, Error, Context>()
  .use(tracing())
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    const remainingMs = () => context.getRemainingTimeInMillis();
    if (isSqsEvent(event)) {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      await Promise.all(
        event.Records.map(async (record) => {
          const unit = workMessageOf(record.body);
          if (!unit) {
            // Retrying cannot fix a malformed message; the next dispatch sends a good one.
            logger.warn('malformed work message', { messageId: record.messageId });
            return;
          }
          try {
            await runUnitInvocation(useCases, sink, settings, unit, remainingMs, leaseOwner, onSplitChanged);
          } catch (error) {
            logger.error('configuration worker failed', { ...unit, error: error as Error });
            failures.push({ itemIdentifier: record.messageId });
          }
        }),
      );
      return { batchItemFailures: failures };
    }
    const names = queuedConfigurations(event);
    const deadline = useCases.now() + remainingMs() - settings.safetyMarginMs;
    await mapConcurrent(names, CONFIGURATION_CONCURRENCY, async (name) => {
      try {
        await runConfigurationWorker(useCases, sink, name, {
          owner: leaseOwner,
          leaseMs: leaseMsOf(settings),
          deadline,
          onSplitChanged,
        });
      } catch (error) {
        // Not rethrown: a retry would hold up the stream shard, and the scheduled workers
        // pick the ticket up within an interval anyway.
        logger.error('stream-triggered pass failed', { configurationName: name, error: error as Error });
      }
    });
    logger.info('stream-triggered passes', { configurations: names.length });
    return undefined;
  });
