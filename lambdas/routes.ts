/**
 * The one route table. The CDK stack turns each row into an API Gateway route backed by the
 * named function; the local gateway matches requests against the same rows. Adding a route
 * here is the only way to expose a handler, so the two can't drift apart.
 */

/**
 * How a route is protected.
 * - `iam`: SigV4 (IAM in AWS, local credentials when run locally).
 * - `playfab`: game servers' X-SecretKey; no gateway authorizer, the function compares the
 *   title secret key itself (lambdas/dialects/playfab/auth.ts).
 * - `player-token`: a player's JWT in X-EntityToken, verified by the gateway (API Gateway's JWT
 *   authorizer in AWS, lambdas/local/player-tokens.ts locally) against the configured issuer,
 *   audience and keys; the function reads the verified claims (`sub` = the player).
 * What a player may then do per ticket is decided by the use cases (usecases/access.ts).
 */
export type RouteAuth = 'iam' | 'playfab' | 'player-token';

/** The header PlayFab clients send their entity token in; the player routes read it. */
export const PLAYER_TOKEN_HEADER = 'X-EntityToken';

export interface HttpFunctionSpec {
  /** Logical name, used for construct ids and log groups. */
  name: string;
  /** Entry file, relative to the project root. */
  entry: string;
  /** Exported handler function name in the entry file. */
  exportName: string;
  description: string;
  /** Memory in MB for the deployed function. */
  memorySize: number;
  timeoutSeconds: number;
}

export interface Route {
  method: 'POST' | 'GET';
  /** API Gateway path syntax: `{param}` matches one segment. */
  path: string;
  function: HttpFunctionSpec;
  auth: RouteAuth;
}

export const gameLiftFunction: HttpFunctionSpec = {
  name: 'GameLiftApi',
  entry: 'lambdas/handlers/gamelift.ts',
  exportName: 'handler',
  description: 'GameLift FlexMatch dialect (AWS JSON 1.1): configurations, rule sets, tickets',
  memorySize: 512,
  timeoutSeconds: 15,
};

export const playFabFunction: HttpFunctionSpec = {
  name: 'PlayFabApi',
  entry: 'lambdas/handlers/playfab.ts',
  exportName: 'handler',
  description: 'PlayFab Matchmaking dialect (/Match/*): queues, tickets, server backfill, matches',
  memorySize: 512,
  timeoutSeconds: 15,
};

/**
 * The scheduled matchmaker: no route, an EventBridge schedule invokes it. Timeout 60 s: one
 * invocation per minute runs matchmaking passes back to back for the whole minute; 1024 MB
 * because Lambda allots CPU in proportion to memory and a pass is CPU-bound (rule evaluation
 * over the whole pool). Described here so that the stack and the local service agree on it.
 */
export const matchmakerFunctionSpec: HttpFunctionSpec = {
  name: 'Matchmaker',
  entry: 'lambdas/handlers/matchmaker.ts',
  exportName: 'handler',
  description: 'Scheduled matchmaker: forms matches and backfills from the ticket pool, publishes events',
  memorySize: 1024,
  timeoutSeconds: 60,
};

/**
 * The matchmaker's workers: an SQS message of the scheduled fan-out (one per configuration)
 * runs passes on that configuration until close to the timeout; a batch of the table's stream
 * (new QUEUED tickets) runs one pass at once for each configuration in it. Same memory as the
 * scheduled function: the pass is the CPU-bound part.
 */
export const matchmakerWorkerFunctionSpec: HttpFunctionSpec = {
  name: 'MatchmakerWorker',
  entry: 'lambdas/handlers/matchmaker-worker.ts',
  exportName: 'handler',
  description:
    'Matchmaker worker: passes for one configuration (fan-out message) or for new tickets (table stream)',
  memorySize: 1024,
  timeoutSeconds: 60,
};

export const routes: readonly Route[] = [
  // AWS JSON 1.1: every operation is POST / and the X-Amz-Target header names it.
  { method: 'POST', path: '/', function: gameLiftFunction, auth: 'iam' },
  // PlayFab for game servers: POST /Match/<Operation> with X-SecretKey, checked by the function.
  { method: 'POST', path: '/Match/{operation}', function: playFabFunction, auth: 'playfab' },
  // PlayFab for players: the same operations with a JWT in X-EntityToken, checked by the gateway.
  // A route of its own because a gateway authorizer refuses requests without its token.
  { method: 'POST', path: '/Player/Match/{operation}', function: playFabFunction, auth: 'player-token' },
];

/** The distinct functions behind the routes, in table order. */
export function routeFunctions(table: readonly Route[] = routes): HttpFunctionSpec[] {
  const seen = new Map<string, HttpFunctionSpec>();
  for (const route of table) seen.set(route.function.name, route.function);
  return [...seen.values()];
}

/** Matches a concrete path against a route path; returns the path parameters or undefined. */
export function matchRoutePath(routePath: string, actualPath: string): Record<string, string> | undefined {
  const expected = routePath.split('/').filter(Boolean);
  const actual = actualPath.split('/').filter(Boolean);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < expected.length; i++) {
    const segment = expected[i]!;
    const value = actual[i]!;
    if (segment.startsWith('{') && segment.endsWith('}'))
      params[segment.slice(1, -1)] = decodedSegment(value);
    else if (segment !== value) return undefined;
  }
  return params;
}

/**
 * A path segment's text. A malformed escape (`%E0%A4%A`) is a client's mistake, not ours: the
 * segment stays as sent, so the function answers it as the unknown name it is, in its dialect.
 */
function decodedSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function findRoute(
  method: string,
  path: string,
  table: readonly Route[] = routes,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  for (const route of table) {
    if (route.method !== method) continue;
    const pathParameters = matchRoutePath(route.path, path);
    if (pathParameters) return { route, pathParameters };
  }
  return undefined;
}
