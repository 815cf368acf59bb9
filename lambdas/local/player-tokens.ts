/**
 * Player tokens as the local service issues and checks them: standard JWTs (RS256) that carry
 * the player id in `sub`, verified the way API Gateway's JWT authorizer verifies them in AWS
 * (signature by a key of the issuer's JWKS chosen by `kid`, then `iss`, `aud`, `exp`, `nbf`,
 * `iat`). Locally the issuer is this service: it holds its signing keys in a JWKS file that
 * `npm run player-token` and any backend can sign with. Several keys may be live at once, so a
 * key can be rotated without refusing the tokens already handed out.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

/** API Gateway's JWT authorizer verifies only RSA signatures, so the local keys are RSA too. */
export const PLAYER_TOKEN_ALGORITHM = 'RS256';
const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** How long `mint` makes a token valid when not told otherwise. */
export const DEFAULT_PLAYER_TOKEN_TTL_SECONDS = 3600;

export interface PlayerTokenSettings {
  /** `iss` every token must carry (API Gateway: the authorizer's issuer). */
  issuer: string;
  /** Accepted `aud` values; a token must name at least one. */
  audience: readonly string[];
}

export const DEFAULT_PLAYER_TOKEN_SETTINGS: PlayerTokenSettings = {
  issuer: 'slotfill-local',
  audience: ['slotfill'],
};

export const PLAYER_TOKEN_ENV = {
  issuer: 'SLOTFILL_PLAYER_TOKEN_ISSUER',
  audience: 'SLOTFILL_PLAYER_TOKEN_AUDIENCE',
  keyFile: 'SLOTFILL_PLAYER_KEY_FILE',
} as const;

/** Where `npm start` keeps its signing keys unless SLOTFILL_PLAYER_KEY_FILE says otherwise. */
export const DEFAULT_PLAYER_KEY_FILE = '.slotfill/player-token-keys.json';

export function playerTokenSettingsFromEnv(env: NodeJS.ProcessEnv): PlayerTokenSettings {
  const audience = (env[PLAYER_TOKEN_ENV.audience] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return {
    issuer: env[PLAYER_TOKEN_ENV.issuer] || DEFAULT_PLAYER_TOKEN_SETTINGS.issuer,
    audience: audience.length > 0 ? audience : DEFAULT_PLAYER_TOKEN_SETTINGS.audience,
  };
}

/** Claims as API Gateway hands them to the function (payload 2.0): every value a string. */
export type VerifiedClaims = Record<string, string>;

export type TokenVerdict = { ok: true; claims: VerifiedClaims } | { ok: false; description: string };

interface SigningKey {
  kid: string;
  /** Private JWK, with `kid` and `alg`: what the key file holds. */
  privateJwk: JWK;
}

export class LocalPlayerTokenKeys {
  private verifyWith?: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    readonly settings: PlayerTokenSettings,
    private keys: SigningKey[],
    /** Where the keys are saved after each change; in memory only when absent. */
    readonly file?: string,
  ) {}

  /** The keys of `file` when it exists; otherwise one new key (saved to `file` when given). */
  static async open(settings: PlayerTokenSettings, file?: string): Promise<LocalPlayerTokenKeys> {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
      const keys = Array.isArray(saved.keys) ? (saved.keys as JWK[]) : [];
      const usable = keys.filter((jwk) => typeof jwk.kid === 'string' && typeof jwk.d === 'string');
      if (usable.length === 0)
        throw new Error(`${file} holds no private signing key (a JWKS with "d" and "kid")`);
      return new LocalPlayerTokenKeys(
        settings,
        usable.map((jwk) => ({ kid: jwk.kid!, privateJwk: jwk })),
        file,
      );
    }
    const tokens = new LocalPlayerTokenKeys(settings, [], file);
    await tokens.addKey();
    return tokens;
  }

  /** A new signing key; it signs the tokens minted from now on, older keys keep verifying. */
  async addKey(): Promise<string> {
    const { privateKey } = await generateKeyPair(PLAYER_TOKEN_ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: PLAYER_TOKEN_ALGORITHM, use: 'sig' };
    this.keys = [...this.keys, { kid, privateJwk }];
    this.changed();
    return kid;
  }

  /** Retires a key: tokens it signed are refused from now on. */
  removeKey(kid: string): void {
    if (!this.keys.some((key) => key.kid === kid)) throw new Error(`No signing key '${kid}'`);
    this.keys = this.keys.filter((key) => key.kid !== kid);
    this.changed();
  }

  get kids(): string[] {
    return this.keys.map((key) => key.kid);
  }

  /** A signing key as the key file holds it (private JWK with kid and alg). */
  privateJwk(kid: string): JWK {
    const key = this.keys.find((candidate) => candidate.kid === kid);
    if (!key) throw new Error(`No signing key '${kid}'`);
    return key.privateJwk;
  }

  /** The public keys, as an issuer publishes them at its `jwks_uri`. */
  publicJwks(): JSONWebKeySet {
    return {
      keys: this.keys.map(({ privateJwk }) => {
        const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
        return publicJwk;
      }),
    };
  }

  /** A token for `playerId`, signed by the newest key unless `kid` names another. */
  async mint(
    playerId: string,
    options: { kid?: string; ttlSeconds?: number; nowMs?: number; claims?: JWTPayload } = {},
  ): Promise<string> {
    const key = options.kid ? this.keys.find((k) => k.kid === options.kid) : this.keys.at(-1);
    if (!key) throw new Error(options.kid ? `No signing key '${options.kid}'` : 'No signing key');
    return signPlayerToken(key.privateJwk, this.settings, playerId, options);
  }

  async verify(token: string, nowMs: number = Date.now()): Promise<TokenVerdict> {
    this.verifyWith ??= createLocalJWKSet(this.publicJwks());
    return verifyPlayerToken(token, this.verifyWith, this.settings, nowMs);
  }

  private changed(): void {
    this.verifyWith = undefined;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    // Private keys: readable by the owner only.
    writeFileSync(this.file, `${JSON.stringify({ keys: this.keys.map((k) => k.privateJwk) }, null, 2)}\n`, {
      mode: 0o600,
    });
  }
}

/** Signs a player token with a private JWK (what `npm run player-token` and the tests do). */
export async function signPlayerToken(
  privateJwk: JWK,
  settings: PlayerTokenSettings,
  playerId: string,
  options: { ttlSeconds?: number; nowMs?: number; claims?: JWTPayload } = {},
): Promise<string> {
  const alg = privateJwk.alg ?? PLAYER_TOKEN_ALGORITHM;
  const key = await importJWK(privateJwk, alg);
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg, kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(playerId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience[0]!)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? DEFAULT_PLAYER_TOKEN_TTL_SECONDS))
    .sign(key);
}

/**
 * API Gateway's checks, in its order: a token (optionally prefixed `Bearer `), an RSA signature
 * by the JWKS key its `kid` names, then the claims. A player token must also name its player.
 */
export async function verifyPlayerToken(
  presented: string,
  keySet: ReturnType<typeof createLocalJWKSet>,
  settings: PlayerTokenSettings,
  nowMs: number,
): Promise<TokenVerdict> {
  const token = presented.replace(/^Bearer\s+/i, '').trim();
  if (token === '') return { ok: false, description: 'no token in X-EntityToken' };
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keySet, {
      issuer: settings.issuer,
      algorithms: ACCEPTED_ALGORITHMS,
      currentDate: new Date(nowMs),
    });
    if (!protectedHeader.kid) return { ok: false, description: 'the token has no kid' };
    if (!audienceAccepted(payload, settings.audience))
      return { ok: false, description: 'claim aud is not accepted' };
    if (typeof payload.iat === 'number' && payload.iat * 1000 > nowMs)
      return { ok: false, description: 'the token was issued in the future (iat)' };
    if (typeof payload.sub !== 'string' || payload.sub === '')
      return { ok: false, description: 'the token names no player (sub)' };
    return { ok: true, claims: claimsAsStrings(payload) };
  } catch (error) {
    return { ok: false, description: failureDescription(error) };
  }
}

/** Like API Gateway: `aud` must name an accepted audience; only without `aud` is `client_id` used. */
function audienceAccepted(payload: JWTPayload, accepted: readonly string[]): boolean {
  if (payload.aud !== undefined) {
    const named = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return named.some((audience) => accepted.includes(audience));
  }
  const clientId = payload.client_id;
  return typeof clientId === 'string' && accepted.includes(clientId);
}

function failureDescription(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token kid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'only RSA-signed tokens are accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  return 'the token is not a valid JWT';
}

/** API Gateway (payload 2.0) passes claims as strings; lists appear as `[a b]`. */
function claimsAsStrings(payload: JWTPayload): VerifiedClaims {
  const claims: VerifiedClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    claims[name] = Array.isArray(value)
      ? `[${value.join(' ')}]`
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}
