import { type PlayFabOperation, resultDatatypeNames } from '../../lambdas/dialects/playfab/schemas';
import { DEV_TITLE_SECRET_KEY } from '../../lambdas/handlers/playfab-secrets';
import type { LocalService } from '../../lambdas/local/service';
import { validateAgainstSpec } from './playfab-spec';

/**
 * Who calls: the game server (title secret key, `/Match/*`), a player (a JWT the local
 * issuer signs, `/Player/Match/*`), a given token on the player route, or nobody (`/Match/*`).
 */
export type Credential = { server: true } | { player: string } | { token: string } | { none: true };

export const SERVER: Credential = { server: true };
export const asPlayer = (playerId: string): Credential => ({ player: playerId });

export interface PlayFabResponse {
  status: number;
  body: Record<string, unknown> & {
    code: number;
    data?: Record<string, unknown>;
    error?: string;
    errorCode?: number;
    errorDetails?: Record<string, unknown>;
  };
}

/** Where a call with this credential goes (server and player routes differ) and its headers. */
export async function requestFor(
  service: LocalService,
  operation: string,
  credential: Credential,
): Promise<{ url: string; headers: Record<string, string> }> {
  const serverRoute = `${service.url}/Match/${operation}`;
  const playerRoute = `${service.url}/Player/Match/${operation}`;
  if ('server' in credential) return { url: serverRoute, headers: { 'X-SecretKey': DEV_TITLE_SECRET_KEY } };
  if ('player' in credential) {
    const token = await service.playerTokens.mint(credential.player, { ttlSeconds: 600 });
    return { url: playerRoute, headers: { 'X-EntityToken': token } };
  }
  if ('token' in credential) return { url: playerRoute, headers: { 'X-EntityToken': credential.token } };
  return { url: serverRoute, headers: {} };
}

/** The envelope of an error as the spec's errors table describes it. */
function errorEnvelopeProblems(body: PlayFabResponse['body']): string[] {
  const problems: string[] = [];
  if (typeof body.code !== 'number') problems.push('code: not a number');
  if (typeof body.status !== 'string') problems.push('status: not a string');
  if (typeof body.error !== 'string') problems.push('error: not a string');
  if (typeof body.errorCode !== 'number') problems.push('errorCode: not a number');
  if (typeof body.errorMessage !== 'string') problems.push('errorMessage: not a string');
  return problems;
}

/**
 * Calls `/Match/<operation>` over HTTP and checks the response against the spec: a success's
 * `data` against the call's result datatype, an error's envelope fields. Every e2e call goes here.
 */
export async function call(
  service: LocalService,
  operation: PlayFabOperation | string,
  request: object,
  credential: Credential = SERVER,
): Promise<PlayFabResponse> {
  const { url, headers } = await requestFor(service, operation, credential);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as PlayFabResponse['body'];
  expect(body.code).toBe(response.status);
  if (response.status === 200) {
    expect(body.status).toBe('OK');
    const datatypeName = resultDatatypeNames[operation as PlayFabOperation];
    expect(validateAgainstSpec(datatypeName, body.data)).toEqual([]);
  } else {
    expect(errorEnvelopeProblems(body)).toEqual([]);
  }
  return { status: response.status, body };
}

/** Calls and expects success; returns `data`. */
export async function ok<Data = Record<string, unknown>>(
  service: LocalService,
  operation: PlayFabOperation,
  request: object,
  credential: Credential = SERVER,
): Promise<Data> {
  const response = await call(service, operation, request, credential);
  if (response.status !== 200) throw new Error(`${operation} failed: ${JSON.stringify(response.body)}`);
  return response.body.data as Data;
}

/** Calls and expects the named PlayFab error; returns the body. */
export async function fails(
  service: LocalService,
  operation: PlayFabOperation | string,
  request: object,
  error: string,
  credential: Credential = SERVER,
): Promise<PlayFabResponse['body']> {
  const response = await call(service, operation, request, credential);
  expect({
    status: response.status,
    error: response.body.error,
    message: response.body.errorMessage,
  }).toEqual(expect.objectContaining({ error }));
  return response.body;
}

export const player = (id: string, dataObject: Record<string, unknown> = {}) => ({
  Entity: { Id: id, Type: 'title_player_account' },
  Attributes: { DataObject: dataObject },
});

/** A DifferenceRule on the members' `skill` (any missing value matches), for queues of tests. */
export const skillDifferenceRule = (difference: number) => ({
  Name: 'skill',
  Attribute: { Path: 'skill', Source: 'User' },
  AttributeNotSpecifiedBehavior: 'MatchAny',
  Difference: difference,
  MergeFunction: 'Average',
  Weight: 1,
});
