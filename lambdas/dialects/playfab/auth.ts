/**
 * Who is calling the PlayFab dialect. Two principals, as in PlayFab, on two routes:
 *
 * - the game server / title: `POST /Match/<op>` with header `X-SecretKey: <title secret key>`,
 *   compared here; may do everything;
 * - a player: `POST /Player/Match/<op>` with header `X-EntityToken: <JWT>`. The gateway has
 *   verified the token (API Gateway's JWT authorizer; the local gateway does the same checks)
 *   before the function runs and hands over its claims; `sub` is the player id. A player may
 *   only touch regular tickets they are a member of and never any backfill ticket (seed 004).
 *
 * Player tokens are standard JWTs, so a title's backend in any language (or its identity
 * provider) mints them after it has authenticated its player, the way PlayFab hands out entity
 * tokens at login. Pure: no I/O; the secrets and claims come from the caller.
 */
import { timingSafeEqual } from 'node:crypto';
import type { PlayFabErrorName } from './envelope';

export interface PlayFabSecrets {
  /** The title secret key game servers send in X-SecretKey. */
  titleSecretKey: string;
}

export type Principal = { kind: 'server' } | { kind: 'player'; playerId: string };

export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; error: PlayFabErrorName; message: string };

export const SECRET_KEY_HEADER = 'x-secretkey';
export const ENTITY_TOKEN_HEADER = 'x-entitytoken';
/** Where players send their calls: the route whose gateway authorizer verifies X-EntityToken. */
export const PLAYER_ROUTE_PREFIX = '/Player';

/** The claims a gateway JWT authorizer verified, as API Gateway passes them (string values). */
export type VerifiedClaims = Readonly<Record<string, string | undefined>>;

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  // Length leaks nothing useful (the secret's length is not the secret); content is compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The player a verified token names. */
export function playerFromClaims(claims: VerifiedClaims): AuthenticationResult {
  const playerId = claims.sub;
  if (playerId === undefined || playerId === '') {
    return {
      ok: false,
      error: 'EntityTokenInvalid',
      message: 'The entity token names no player: put the player id in its "sub" claim.',
    };
  }
  return { ok: true, principal: { kind: 'player', playerId } };
}

/**
 * The caller's principal on a route without a gateway authorizer: game servers only. A player
 * token sent here is refused with directions, since no gateway has verified it.
 */
export function authenticateServer(
  headers: { secretKey?: string; entityToken?: string },
  secrets: PlayFabSecrets,
  operation: string,
): AuthenticationResult {
  if (headers.secretKey !== undefined && headers.secretKey !== '') {
    return sameText(headers.secretKey, secrets.titleSecretKey)
      ? { ok: true, principal: { kind: 'server' } }
      : {
          ok: false,
          error: 'NotAuthenticated',
          message: "The X-SecretKey header does not hold this title's secret key.",
        };
  }
  if (headers.entityToken !== undefined && headers.entityToken !== '') {
    return {
      ok: false,
      error: 'NotAuthenticated',
      message: `Players call POST ${PLAYER_ROUTE_PREFIX}/Match/${operation} with their X-EntityToken; /Match/${operation} takes the title's X-SecretKey (game servers).`,
    };
  }
  return {
    ok: false,
    error: 'EntityTokenMissing',
    message: `No credentials: game servers send X-SecretKey (the title secret key); players call POST ${PLAYER_ROUTE_PREFIX}/Match/${operation} with X-EntityToken.`,
  };
}
