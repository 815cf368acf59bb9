import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { findRoute, PLAYER_TOKEN_HEADER, type Route } from '../routes';
import { lambdaContext } from './lambda-context.cjs';
import type { TokenVerdict, VerifiedClaims } from './player-tokens';
import { LOCAL_SIGNING_SERVICES, type LocalCredentials, verifySigV4 } from './sigv4';

export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayOptions {
  routes: readonly Route[];
  /** Function name (route table) → the same handler Lambda runs. */
  functions: Record<string, HttpLambda>;
  credentials: LocalCredentials;
  /** The Region signatures must be scoped to. */
  region: string;
  accountId: string;
  /** Verifies the tokens of `player-token` routes (API Gateway's JWT authorizer in AWS). */
  playerTokens: { verify(token: string): Promise<TokenVerdict> };
  /** API Gateway refuses bodies above 10 MB; locally the same bound keeps memory in check. */
  maxBodyBytes?: number;
  /** Local-only endpoints (not part of the API): return true when the request was answered. */
  localEndpoints?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * A small API Gateway (HTTP API, payload 2.0) for local use: it matches requests against the
 * route table, applies the route's authorization, and invokes the function's real handler.
 */
export function createGateway(options: GatewayOptions): Server {
  return createServer((request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      writeJson(response, 500, { message: `Local gateway error: ${String(error)}` });
    });
  });
}

async function serve(
  options: GatewayOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (options.localEndpoints?.(request, response, url)) return;
  const body = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (body === undefined) {
    writeJson(response, 413, { message: 'Request Entity Too Large' });
    return;
  }
  const found = findRoute(method, url.pathname, options.routes);
  if (!found) {
    writeJson(response, 404, { message: 'Not Found' });
    return;
  }
  const headers = flattenHeaders(request);
  const query = Object.fromEntries(url.searchParams.entries());

  let accessKey: string | undefined;
  if (found.route.auth === 'iam') {
    const verdict = await verifySigV4(
      { method, path: url.pathname, query, headers, body },
      options.credentials,
      { region: options.region, services: LOCAL_SIGNING_SERVICES },
      Date.now(),
    );
    if (!verdict.ok) {
      // API Gateway answers IAM failures with 403 and a bare message, before the function runs.
      writeJson(
        response,
        403,
        { message: verdict.message },
        { 'x-amzn-errortype': 'InvalidSignatureException' },
      );
      return;
    }
    accessKey = verdict.accessKeyId;
  }

  let jwtClaims: VerifiedClaims | undefined;
  if (found.route.auth === 'player-token') {
    const token = headers[PLAYER_TOKEN_HEADER.toLowerCase()];
    const verdict = token
      ? await options.playerTokens.verify(token)
      : { ok: false as const, description: `no token in ${PLAYER_TOKEN_HEADER}` };
    if (!verdict.ok) {
      // What API Gateway's JWT authorizer answers, before the function runs.
      writeJson(
        response,
        401,
        { message: 'Unauthorized' },
        { 'www-authenticate': `Bearer error="invalid_token" error_description="${verdict.description}"` },
      );
      return;
    }
    jwtClaims = verdict.claims;
  }

  const fn = options.functions[found.route.function.name];
  if (!fn) {
    writeJson(response, 500, { message: `No local handler for function ${found.route.function.name}` });
    return;
  }
  const requestId = randomUUID();
  const event = httpApiEvent({
    route: found.route,
    pathParameters: found.pathParameters,
    url,
    headers,
    body,
    requestId,
    accountId: options.accountId,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${request.httpVersion}`,
    accessKey,
    jwtClaims,
  });
  const result = await fn(
    event,
    lambdaContext(found.route.function.name, requestId, found.route.function.timeoutSeconds * 1000),
  );
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.body ?? '');
}

export interface HttpApiEventInput {
  route: Pick<Route, 'method' | 'path'>;
  pathParameters: Record<string, string>;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  requestId: string;
  accountId: string;
  sourceIp?: string;
  protocol?: string;
  /** The SigV4 caller of an `iam` route, as API Gateway's IAM authorizer reports it. */
  accessKey?: string;
  /** The verified claims of a `player-token` route, as API Gateway's JWT authorizer passes them. */
  jwtClaims?: VerifiedClaims;
}

/** The event API Gateway (HTTP API, payload format 2.0) hands the function for a request. */
export function httpApiEvent(input: HttpApiEventInput): APIGatewayProxyEventV2 {
  const now = new Date();
  const routeKey = `${input.route.method} ${input.route.path}`;
  const query = Object.fromEntries(input.url.searchParams.entries());
  return {
    version: '2.0',
    routeKey,
    rawPath: input.url.pathname,
    rawQueryString: input.url.search.replace(/^\?/, ''),
    headers: input.headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(input.pathParameters).length > 0 ? input.pathParameters : undefined,
    requestContext: {
      accountId: input.accountId,
      apiId: 'local',
      domainName: input.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: input.route.method,
        path: input.url.pathname,
        protocol: input.protocol ?? 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: input.headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(input.accessKey ? { authorizer: { iam: iamIdentity(input.accessKey, input.accountId) } } : {}),
      ...(input.jwtClaims ? { authorizer: { jwt: { claims: input.jwtClaims, scopes: null } } } : {}),
    },
    body: input.body,
    isBase64Encoded: false,
  };
}

function iamIdentity(accessKey: string, accountId: string) {
  return {
    accessKey,
    accountId,
    callerId: accessKey,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${accountId}:user/local`,
    userId: accessKey,
  };
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
  response.end(JSON.stringify(body));
}
