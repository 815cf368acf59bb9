import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MATCHMAKER_METRICS } from '../shared/metric-names';
import { metrics } from '../shared/observability';
import type { TickReport } from '../usecases/matchmaker';

/**
 * The matchmaker's CloudWatch metrics (Powertools, embedded metric format), named after
 * FlexMatch's: per configuration (dimension `configuration`) the pool, matches, backfills,
 * ended tickets, time to match and to fill (one value per ticket, so CloudWatch gives the
 * percentiles), pass duration and commit conflicts; across configurations (dimension `service`
 * only) what the alarms watch: TimeToMatch, PublishFailures and TickFailures.
 */

const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Slotfill';
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill';
/** One buffer per configuration: Powertools keeps one dimension set per instance. */
const byConfiguration = new Map<string, Metrics>();

function metricsOf(configurationName: string): Metrics {
  let found = byConfiguration.get(configurationName);
  if (!found) {
    found = new Metrics({ namespace, serviceName, defaultDimensions: { configuration: configurationName } });
    byConfiguration.set(configurationName, found);
  }
  return found;
}

/** Records one tick's passes; published with publishMatchmakerMetrics. */
export function recordTick(tick: Pick<TickReport, 'passes' | 'publishFailures'>): void {
  const names = MATCHMAKER_METRICS;
  for (const pass of tick.passes) {
    const sink = metricsOf(pass.configurationName);
    sink.addMetric(names.currentTickets, MetricUnit.Count, pass.ticketsInPool);
    sink.addMetric(names.playersWaiting, MetricUnit.Count, pass.playersWaiting);
    sink.addMetric(names.matchesCreated, MetricUnit.Count, pass.matchesCommitted);
    sink.addMetric(names.backfillsFilled, MetricUnit.Count, pass.backfillsFilled);
    sink.addMetric(
      names.ticketsCompleted,
      MetricUnit.Count,
      pass.timeToMatchSeconds.length + pass.timeToFillSeconds.length,
    );
    sink.addMetric(names.ticketsTimedOut, MetricUnit.Count, pass.timedOut);
    sink.addMetric(names.ticketsFailed, MetricUnit.Count, pass.failed);
    sink.addMetric(names.passDuration, MetricUnit.Milliseconds, pass.durationMs);
    sink.addMetric(names.commitConflicts, MetricUnit.Count, pass.matchesDropped);
    for (const seconds of pass.timeToMatchSeconds) {
      sink.addMetric(names.timeToMatch, MetricUnit.Seconds, seconds);
      metrics.addMetric(names.timeToMatch, MetricUnit.Seconds, seconds);
    }
    for (const seconds of pass.timeToFillSeconds)
      sink.addMetric(names.timeToFill, MetricUnit.Seconds, seconds);
  }
  metrics.addMetric(names.publishFailures, MetricUnit.Count, tick.publishFailures);
}

/** A tick that threw: the invocation goes on, the alarm counts these. */
export function recordTickFailure(): void {
  metrics.addMetric(MATCHMAKER_METRICS.tickFailures, MetricUnit.Count, 1);
}

/**
 * Flushes the buffers of the configurations that passed since the last flush (the handler's
 * middleware flushes the shared one). An empty buffer is skipped: Powertools would log a
 * warning for it, every tick, for every configuration another worker's lease kept this one out of.
 */
export function publishMatchmakerMetrics(): void {
  for (const sink of byConfiguration.values()) if (sink.hasStoredMetrics()) sink.publishStoredMetrics();
}
