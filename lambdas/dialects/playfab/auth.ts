/**
 * Who is calling the PlayFab dialect. Two principals, as in PlayFab:
 *
 * - the game server / title: header `X-SecretKey: <title secret key>`; may do everything;
 * - a player: header `X-EntityToken: <token>`, bound to one player id; may only touch regular
 *   tickets they are a member of and never any backfill ticket (seed 004).
 *
 * Entity tokens are slotfill's own (PlayFab's are opaque to titles too): base64url of
 * `{"pid":<playerId>,"typ":<entity type>,"exp":<epoch seconds>}`, a dot, and the base64url
 * HMAC-SHA256 of that first part under the token signing secret. The title's backend mints
 * them after it has authenticated its player (mintPlayerToken), the way PlayFab hands out
 * entity tokens at login. Pure: no I/O; the secrets come from the caller.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PlayFabErrorName } from './envelope';

export interface PlayFabSecrets {
  /** The title secret key game servers send in X-SecretKey. */
  titleSecretKey: string;
  /** Signs and verifies player entity tokens. */
  tokenSigningSecret: string;
}

export type Principal =
  | { kind: 'server' }
  | { kind: 'player'; playerId: string; entityType: string; expiresAt: number };

export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; error: PlayFabErrorName; message: string };

export const SECRET_KEY_HEADER = 'x-secretkey';
export const ENTITY_TOKEN_HEADER = 'x-entitytoken';
export const DEFAULT_ENTITY_TYPE = 'title_player_account';

interface TokenClaims {
  pid: string;
  typ: string;
  exp: number;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  // Length leaks nothing useful (the secret's length is not the secret); content is compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A player entity token valid for `ttlSeconds` from `nowMs`. */
export function mintPlayerToken(
  playerId: string,
  tokenSigningSecret: string,
  ttlSeconds: number,
  entityType: string = DEFAULT_ENTITY_TYPE,
  nowMs: number = Date.now(),
): string {
  const claims: TokenClaims = { pid: playerId, typ: entityType, exp: Math.floor(nowMs / 1000) + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(payload, tokenSigningSecret)}`;
}

export function verifyPlayerToken(
  token: string,
  tokenSigningSecret: string,
  nowMs: number = Date.now(),
): AuthenticationResult {
  const invalid: AuthenticationResult = {
    ok: false,
    error: 'EntityTokenInvalid',
    message: 'The X-EntityToken header does not hold a valid entity token.',
  };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return invalid;
  const [payload, signature] = parts as [string, string];
  if (!sameText(signature, sign(payload, tokenSigningSecret))) return invalid;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!isClaims(claims)) return invalid;
  if (claims.exp * 1000 <= nowMs) {
    return {
      ok: false,
      error: 'EntityTokenExpired',
      message: 'The entity token has expired; get a new one.',
    };
  }
  return {
    ok: true,
    principal: { kind: 'player', playerId: claims.pid, entityType: claims.typ, expiresAt: claims.exp },
  };
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.pid === 'string' &&
    record.pid !== '' &&
    typeof record.typ === 'string' &&
    typeof record.exp === 'number'
  );
}

/**
 * The caller's principal from the two headers. A secret key, when sent, decides alone (a
 * server that also forwards a player's token acts as the server).
 */
export function authenticate(
  headers: { secretKey?: string; entityToken?: string },
  secrets: PlayFabSecrets,
  nowMs: number = Date.now(),
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
    return verifyPlayerToken(headers.entityToken, secrets.tokenSigningSecret, nowMs);
  }
  return {
    ok: false,
    error: 'EntityTokenMissing',
    message:
      'No credentials: send X-EntityToken (a player entity token) or X-SecretKey (the title secret key, game servers only).',
  };
}
