import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Module-level Powertools instances, one per process, shared by every handler. Service name
 * and namespace come from POWERTOOLS_* environment variables set by the stack.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Slotfill',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill',
});
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill' });
