import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  type AuthenticationResult,
  authenticateServer,
  ENTITY_TOKEN_HEADER,
  type Principal as PlayFabPrincipal,
  type PlayFabSecrets,
  playerFromClaims,
  SECRET_KEY_HEADER,
  type VerifiedClaims,
} from '../dialects/playfab/auth';
import {
  type PlayFabErrorBody,
  parseRequest,
  playFabError,
  playFabSuccess,
  toPlayFabError,
} from '../dialects/playfab/envelope';
import { playFabOperations } from '../dialects/playfab/operations';
import { isPlayFabOperation, type PlayFabOperation } from '../dialects/playfab/schemas';
import { QueueConfigInvalidError } from '../engine/queues/compile';
import { parseQueueConfig } from '../engine/queues/parse';
import { SlotfillError } from '../shared/errors';
import { API_METRICS } from '../shared/metric-names';
import { logger, metrics } from '../shared/observability';
import { tracing } from '../shared/tracing';
import type { Principal } from '../usecases/access';
import type { UseCaseContext } from '../usecases/context';
import { type HttpEvent, type HttpResult, header, jsonResult, rawBody } from './http';
import { httpLogContext, logOperation } from './log-context';

const CONTENT_TYPE = 'application/json';

export interface PlayFabHandlerDependencies {
  useCases: UseCaseContext;
  /** Loaded once per process (see playfab-secrets.ts). */
  secrets: () => Promise<PlayFabSecrets>;
}

/** `POST /Match/<Operation>` with PlayFab's envelope; the caller is a game server or a player. */
export async function handlePlayFabRequest(
  dependencies: PlayFabHandlerDependencies,
  event: HttpEvent,
  requestId: string,
): Promise<HttpResult> {
  const respond = (body: { code: number }): HttpResult =>
    jsonResult(body.code, body, CONTENT_TYPE, requestId);
  /** Refused before the operation ran. */
  const reject = (body: { code: number }): HttpResult => {
    metrics.addMetric(API_METRICS.requestsRejected, MetricUnit.Count, 1);
    return respond(body);
  };

  const operation = event.pathParameters?.operation ?? '';
  if (!isPlayFabOperation(operation)) {
    return reject(
      playFabError('InvalidAPIEndpoint', `/Match/${operation} is not a PlayFab matchmaking API.`),
    );
  }

  // Credentials first: an unauthenticated caller learns nothing about the request's validity.
  const verdict = await authenticate(dependencies, event, operation);
  if (!verdict.ok) return reject(playFabError(verdict.error, verdict.message));
  const principal = principalOf(verdict.principal);

  let body: unknown;
  try {
    const text = rawBody(event);
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return reject(
      playFabError('InvalidParams', `The request body is not valid JSON: ${(error as Error).message}`),
    );
  }
  const queueProblem = queueConfigProblem(operation, body);
  if (queueProblem) return reject(queueProblem);
  const parsed = parseRequest(operation, body);
  if (!parsed.ok) return reject(parsed.error);
  logOperation(operation, parsed.request);

  try {
    const implementation = playFabOperations[operation] as (
      context: UseCaseContext,
      principal: Principal,
      request: unknown,
    ) => Promise<object>;
    const data = await implementation(dependencies.useCases, principal, parsed.request);
    metrics.addMetric(`PlayFab${operation}Succeeded`, MetricUnit.Count, 1);
    return respond(playFabSuccess(data));
  } catch (error) {
    if (!(error instanceof SlotfillError) || error.kind === 'Internal') {
      logger.error('PlayFab operation failed', { operation, error: error as Error });
    }
    metrics.addMetric(`PlayFab${operation}Failed`, MetricUnit.Count, 1);
    return respond(toPlayFabError(error, operation));
  }
}

/**
 * On the player route the gateway's JWT authorizer has verified the token and passes its
 * claims; only API Gateway (or the local gateway) writes requestContext, never the caller.
 * Without claims, the caller must be a game server with the title secret key.
 */
async function authenticate(
  dependencies: PlayFabHandlerDependencies,
  event: HttpEvent,
  operation: string,
): Promise<AuthenticationResult> {
  const claims = verifiedClaims(event);
  if (claims) return playerFromClaims(claims);
  return authenticateServer(
    { secretKey: header(event, SECRET_KEY_HEADER), entityToken: header(event, ENTITY_TOKEN_HEADER) },
    await dependencies.secrets(),
    operation,
  );
}

function verifiedClaims(event: HttpEvent): VerifiedClaims | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: VerifiedClaims } } })
    .authorizer;
  return authorizer?.jwt?.claims;
}

function principalOf(principal: PlayFabPrincipal): Principal {
  return principal.kind === 'server' ? { kind: 'server' } : { kind: 'player', playerId: principal.playerId };
}

/**
 * SetMatchmakingQueue reports every problem of the queue, field by field or across fields, as
 * MatchmakingQueueConfigInvalid with a path per problem (rather than the generic InvalidParams).
 */
function queueConfigProblem(operation: PlayFabOperation, body: unknown): PlayFabErrorBody | undefined {
  if (operation !== 'SetMatchmakingQueue' || typeof body !== 'object' || body === null) return undefined;
  const queue = (body as Record<string, unknown>).MatchmakingQueue;
  if (typeof queue !== 'object' || queue === null) return undefined;
  const parsed = parseQueueConfig(queue);
  return parsed.ok ? undefined : toPlayFabError(new QueueConfigInvalidError(parsed.problems), operation);
}

export function createPlayFabHandler(dependencies: PlayFabHandlerDependencies) {
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(tracing())
    .use(httpLogContext())
    .use(logMetrics(metrics))
    .handler((event, context) => handlePlayFabRequest(dependencies, event, context.awsRequestId));
}
