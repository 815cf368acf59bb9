import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JWK, SignJWT, UnsecuredJWT } from 'jose';
import {
  DEFAULT_PLAYER_TOKEN_SETTINGS,
  LocalPlayerTokenKeys,
  playerTokenSettingsFromEnv,
  signPlayerToken,
} from '../../lambdas/local/player-tokens';

const settings = DEFAULT_PLAYER_TOKEN_SETTINGS;
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'slotfill-player-keys-'));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** The private keys as a backend reads them from the key file. */
function savedKeys(file: string): JWK[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] }).keys;
}

describe('local player tokens (JWT, RS256, JWKS by kid)', () => {
  it('verifies a token it minted and hands over the claims as API Gateway does (strings, sub = player)', async () => {
    const keys = await LocalPlayerTokenKeys.open(settings);
    const nowMs = Date.UTC(2026, 11, 7, 12, 0, 0);
    const token = await keys.mint('alice', { ttlSeconds: 600, nowMs });
    const verdict = await keys.verify(token, nowMs + 1000);
    expect(verdict).toEqual({
      ok: true,
      claims: {
        sub: 'alice',
        iss: settings.issuer,
        aud: settings.audience[0],
        iat: String(nowMs / 1000),
        exp: String(nowMs / 1000 + 600),
      },
    });
    // PlayFab clients may send the token bare or as a bearer token.
    await expect(keys.verify(`Bearer ${token}`, nowMs)).resolves.toMatchObject({ ok: true });
  });

  it('rotates by kid: tokens of either key verify while both are published, a removed key is refused', async () => {
    const keys = await LocalPlayerTokenKeys.open(settings);
    const [first] = keys.kids;
    const second = await keys.addKey();
    expect(keys.publicJwks().keys.map((key) => key.kid)).toEqual([first, second]);
    const byFirst = await keys.mint('bob', { kid: first });
    const bySecond = await keys.mint('bob');
    expect(JSON.parse(Buffer.from(bySecond.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: 'RS256',
      kid: second,
    });
    await expect(keys.verify(byFirst)).resolves.toMatchObject({ ok: true });
    await expect(keys.verify(bySecond)).resolves.toMatchObject({ ok: true });
    keys.removeKey(first!);
    await expect(keys.verify(byFirst)).resolves.toEqual({
      ok: false,
      description: 'no key of the issuer matches the token kid',
    });
    await expect(keys.verify(bySecond)).resolves.toMatchObject({ ok: true });
  });

  it('publishes public keys only', async () => {
    const keys = await LocalPlayerTokenKeys.open(settings);
    for (const jwk of keys.publicJwks().keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    }
  });

  it('refuses wrong issuer, wrong audience, expiry, a future iat, no sub and no kid', async () => {
    const file = join(folder, 'claims.json');
    const keys = await LocalPlayerTokenKeys.open(settings, file);
    const [privateJwk] = savedKeys(file);
    const nowMs = Date.now();
    // Verified at the clock's time after minting, as the gateway does.
    const refusal = async (token: string) => keys.verify(token, Date.now());
    await expect(
      refusal(await signPlayerToken(privateJwk!, { ...settings, issuer: 'someone-else' }, 'carol')),
    ).resolves.toEqual({ ok: false, description: 'claim iss is not accepted' });
    await expect(
      refusal(await signPlayerToken(privateJwk!, { ...settings, audience: ['another-game'] }, 'carol')),
    ).resolves.toEqual({ ok: false, description: 'claim aud is not accepted' });
    // Without aud, client_id decides, as in API Gateway.
    const withClientId = (clientId: string) =>
      new SignJWT({ client_id: clientId })
        .setProtectedHeader({ alg: 'RS256', kid: privateJwk!.kid! })
        .setSubject('carol')
        .setIssuer(settings.issuer)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }));
    await expect(refusal(await withClientId(settings.audience[0]!))).resolves.toMatchObject({ ok: true });
    await expect(refusal(await withClientId('another-game'))).resolves.toEqual({
      ok: false,
      description: 'claim aud is not accepted',
    });
    await expect(
      refusal(await keys.mint('carol', { ttlSeconds: 60, nowMs: nowMs - 120_000 })),
    ).resolves.toEqual({ ok: false, description: 'the token has expired' });
    await expect(refusal(await keys.mint('carol', { nowMs: nowMs + 600_000 }))).resolves.toEqual({
      ok: false,
      description: 'the token was issued in the future (iat)',
    });
    await expect(refusal(await keys.mint(''))).resolves.toEqual({
      ok: false,
      description: 'the token names no player (sub)',
    });
    const { kid: _kid, ...withoutKid } = privateJwk!;
    await expect(refusal(await signPlayerToken(withoutKid, settings, 'carol'))).resolves.toMatchObject({
      ok: false,
    });
  });

  it('refuses tokens that are not RSA-signed: alg none, and HS256 keyed with the public modulus', async () => {
    const keys = await LocalPlayerTokenKeys.open(settings);
    const [publicJwk] = keys.publicJwks().keys;
    const claims = { sub: 'mallory', iss: settings.issuer, aud: settings.audience[0] };
    const unsecured = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime('1h').encode();
    await expect(keys.verify(unsecured)).resolves.toMatchObject({ ok: false });
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk!.kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(Buffer.from(publicJwk!.n!, 'base64url'));
    await expect(keys.verify(confused)).resolves.toEqual({
      ok: false,
      description: 'only RSA-signed tokens are accepted',
    });
    await expect(keys.verify('not.a.jwt')).resolves.toMatchObject({ ok: false });
  });

  it('keeps its keys in a private file, so tokens minted before a restart still verify after it', async () => {
    const file = join(folder, 'restart.json');
    const before = await LocalPlayerTokenKeys.open(settings, file);
    const token = await before.mint('dave');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const after = await LocalPlayerTokenKeys.open(settings, file);
    expect(after.kids).toEqual(before.kids);
    await expect(after.verify(token)).resolves.toMatchObject({ ok: true, claims: { sub: 'dave' } });
    // What a backend in another language does: sign with the private JWK from the file.
    const [privateJwk] = savedKeys(file);
    const byBackend = await signPlayerToken(privateJwk!, settings, 'erin');
    await expect(after.verify(byBackend)).resolves.toMatchObject({ ok: true, claims: { sub: 'erin' } });
  });

  it('reads issuer and audiences from the environment', () => {
    expect(playerTokenSettingsFromEnv({})).toEqual(settings);
    expect(
      playerTokenSettingsFromEnv({
        SLOTFILL_PLAYER_TOKEN_ISSUER: 'https://login.example-game.com',
        SLOTFILL_PLAYER_TOKEN_AUDIENCE: 'game, game-dev',
      }),
    ).toEqual({ issuer: 'https://login.example-game.com', audience: ['game', 'game-dev'] });
  });
});
