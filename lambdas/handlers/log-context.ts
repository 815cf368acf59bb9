import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../shared/observability';
import type { HttpEvent, HttpResult } from './http';

/**
 * Structured logs for the HTTP functions: every line of one request carries API Gateway's
 * request id as `correlation_id` (the id of the access log line too), the Lambda context, and
 * (once the input is parsed) the operation and the tickets it concerns. Keys are reset per
 * request. The level comes from POWERTOOLS_LOG_LEVEL (the stack's `logLevel`).
 */
export function httpLogContext(): MiddlewareObj<HttpEvent, HttpResult, Error, Context>[] {
  return [
    injectLambdaContext(logger, { resetKeys: true }),
    {
      // Set directly: a correlationIdPath would need Powertools' JMESPath package in every bundle.
      before: (request) => {
        logger.setCorrelationId(request.event.requestContext.requestId);
      },
    },
  ];
}

/** Adds the operation and the ticket ids named by its input to the request's log lines. */
export function logOperation(operation: string, input: unknown): void {
  const ticketIds = ticketIdsOf(input);
  logger.appendKeys({ operation, ...(ticketIds.length > 0 ? { ticketIds } : {}) });
  logger.debug('operation started');
}

function ticketIdsOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const fields = input as Record<string, unknown>;
  const ids: unknown[] = [fields.TicketId, ...(Array.isArray(fields.TicketIds) ? fields.TicketIds : [])];
  return ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
}
