import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ArnScope } from '../dialects/gamelift/arns';
import { awsJsonError, toAwsJsonError } from '../dialects/gamelift/errors';
import { type GameLiftContext, implementedOperations } from '../dialects/gamelift/operations';
import { type GameLiftOperation, operationInputSchemas } from '../dialects/gamelift/schemas';
import { parseOperationInput } from '../dialects/gamelift/validation-message';
import { EXPLAIN_HEADER } from '../dialects/gamelift/waiting-report';
import { SlotfillError } from '../shared/errors';
import { API_METRICS } from '../shared/metric-names';
import { logger, metrics } from '../shared/observability';
import { tracing } from '../shared/tracing';
import type { UseCaseContext } from '../usecases/context';
import { type HttpEvent, type HttpResult, header, jsonResult, rawBody } from './http';
import { httpLogContext, logOperation } from './log-context';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'GameLift.';

export interface GameLiftHandlerDependencies {
  useCases: UseCaseContext;
  arnScope: ArnScope;
}

/** AWS JSON 1.1: POST / with `X-Amz-Target: GameLift.<Operation>` and a JSON body. */
export async function handleGameLiftRequest(
  dependencies: GameLiftHandlerDependencies,
  event: HttpEvent,
  requestId: string,
): Promise<HttpResult> {
  const respond = (statusCode: number, body: unknown): HttpResult =>
    jsonResult(statusCode, body, CONTENT_TYPE, requestId);
  const fail = (error: { statusCode: number; body: unknown }): HttpResult =>
    respond(error.statusCode, error.body);
  /** Refused before the operation ran. */
  const reject = (error: { statusCode: number; body: unknown }): HttpResult => {
    metrics.addMetric(API_METRICS.requestsRejected, MetricUnit.Count, 1);
    return fail(error);
  };

  const target = header(event, 'x-amz-target') ?? '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!isGameLiftOperation(operation)) {
    return reject(
      awsJsonError(
        'UnknownOperationException',
        target
          ? `Unknown operation '${target}'.`
          : 'Missing X-Amz-Target header: expected GameLift.<Operation>.',
      ),
    );
  }
  const implementation = implementedOperations[operation];
  if (!implementation) {
    return reject(
      awsJsonError('InvalidRequestException', `${operation} is not available in this version of slotfill.`),
    );
  }

  let body: unknown;
  try {
    const text = rawBody(event);
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return reject(
      awsJsonError('SerializationException', `Request body is not valid JSON: ${(error as Error).message}`),
    );
  }
  const parsed = parseOperationInput(operation, body);
  if (!parsed.ok) return reject(awsJsonError('InvalidRequestException', parsed.message));
  logOperation(operation, parsed.input);

  const context: GameLiftContext = {
    useCases: dependencies.useCases,
    arnScope: dependencies.arnScope,
    explainWaiting: header(event, EXPLAIN_HEADER)?.toLowerCase() === 'true',
  };
  try {
    // The table guarantees the input matches this operation's schema.
    const output = await (implementation as (c: GameLiftContext, i: unknown) => Promise<object>)(
      context,
      parsed.input,
    );
    metrics.addMetric(`${operation}Succeeded`, MetricUnit.Count, 1);
    return respond(200, output);
  } catch (error) {
    if (!(error instanceof SlotfillError) || error.kind === 'Internal') {
      logger.error('GameLift operation failed', { operation, error: error as Error });
    }
    metrics.addMetric(`${operation}Failed`, MetricUnit.Count, 1);
    return fail(toAwsJsonError(error));
  }
}

function isGameLiftOperation(name: string): name is GameLiftOperation {
  return Object.hasOwn(operationInputSchemas, name);
}

export function createGameLiftHandler(dependencies: GameLiftHandlerDependencies) {
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(tracing())
    .use(httpLogContext())
    .use(logMetrics(metrics))
    .handler((event, context) => handleGameLiftRequest(dependencies, event, context.awsRequestId));
}
