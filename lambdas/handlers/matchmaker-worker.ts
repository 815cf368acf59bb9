import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createEventBridgeClient } from '../shared/clients';
import { mapConcurrent } from '../shared/concurrency';
import { matchmakerSettingsFromEnv } from '../shared/config';
import { logger, metrics } from '../shared/observability';
import { traced, tracing } from '../shared/tracing';
import { CONFIGURATION_CONCURRENCY, runConfigurationWorker } from '../usecases/matchmaker';
import { EventBridgeSink } from './eventbridge-sink';
import { leaseMsOf, runConfigurationInvocation } from './matchmaker-loop';
import { runtimeDependencies } from './runtime';
import type { WorkMessage } from './sqs-work-queue';

/**
 * The matchmaker's workers, one function for both triggers:
 * - an SQS message of the scheduled fan-out (one per configuration): passes every intervalMs
 *   on that configuration until close to the timeout (the safety net: timeouts, expansions,
 *   acceptance deadlines);
 * - a batch of the table's stream, filtered to tickets written QUEUED: one pass at once for
 *   each configuration that has a new ticket, so time-to-match does not wait for the interval.
 * Every pass runs under its configuration's own lease; a configuration whose lease another
 * worker holds is left to it.
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

/** The configuration of a work message; undefined for a body that is not one. */
export function workMessageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<WorkMessage>;
    return typeof parsed.configurationName === 'string' && parsed.configurationName.length > 0
      ? parsed.configurationName
      : undefined;
  } catch {
    return undefined;
  }
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
          const name = workMessageOf(record.body);
          if (!name) {
            // Retrying cannot fix a malformed message; the next dispatch sends a good one.
            logger.warn('work message without a configuration name', { messageId: record.messageId });
            return;
          }
          try {
            await runConfigurationInvocation(useCases, sink, settings, name, remainingMs, leaseOwner);
          } catch (error) {
            logger.error('configuration worker failed', { configurationName: name, error: error as Error });
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
