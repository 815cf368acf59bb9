import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { API_METRICS } from '../shared/metric-names';
import { metrics } from '../shared/observability';
import type { TicketObserver } from '../usecases/context';

/**
 * FlexMatch's TicketsStarted and our TicketsCancelled, per configuration (PlayFab queues as
 * `pf:<queue>`), whichever dialect opened or cancelled the ticket. Each is a single metric
 * with its own dimension: the handler's shared buffer has one dimension set per request.
 */
export const ticketMetrics: TicketObserver = {
  ticketStarted: (configurationName) => emit(API_METRICS.ticketsStarted, configurationName),
  ticketCancelled: (configurationName) => emit(API_METRICS.ticketsCancelled, configurationName),
};

function emit(name: string, configurationName: string): void {
  const single = metrics.singleMetric();
  single.addDimension('configuration', configurationName);
  single.addMetric(name, MetricUnit.Count, 1);
}
