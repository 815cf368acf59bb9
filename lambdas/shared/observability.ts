import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Module-level Powertools instances, one per process, shared by every handler. Service name
 * and namespace come from POWERTOOLS_* environment variables set by the stack. The Tracer is
 * in tracing.ts: it loads at the first invocation.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Slotfill',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill',
});
