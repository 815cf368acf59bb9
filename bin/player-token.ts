import { resolve } from 'node:path';
import { exportPKCS8, importJWK } from 'jose';
import {
  DEFAULT_PLAYER_KEY_FILE,
  DEFAULT_PLAYER_TOKEN_TTL_SECONDS,
  LocalPlayerTokenKeys,
  PLAYER_TOKEN_ENV,
  playerTokenSettingsFromEnv,
} from '../lambdas/local/player-tokens';

/**
 * `npm run -s player-token -- <playerId> [ttlSeconds]`: prints a player token for the local
 * service (send it as X-EntityToken to POST /Player/Match/<Operation>). It signs with the newest
 * key of the key file `npm start` uses, under the same issuer and audience settings, as a
 * title's backend would after logging its player in.
 * `npm run -s player-token -- --pem` prints the newest key's kid and its private key as PEM
 * (PKCS #8), for a backend in another language to sign with. `--add-key` adds a signing key
 * (it signs from then on) and `--remove-key <kid>` retires one; the service reads the file at start.
 */
async function main(): Promise<void> {
  const [playerId, ttl] = process.argv.slice(2);
  const file = resolve(process.env[PLAYER_TOKEN_ENV.keyFile] || DEFAULT_PLAYER_KEY_FILE);
  const keys = await LocalPlayerTokenKeys.open(playerTokenSettingsFromEnv(process.env), file);
  if (playerId === '--pem') {
    const privateJwk = keys.privateJwk(keys.kids.at(-1)!);
    const key = await importJWK(privateJwk, privateJwk.alg, { extractable: true });
    process.stdout.write(
      `kid: ${privateJwk.kid}\n${await exportPKCS8(key as Parameters<typeof exportPKCS8>[0])}\n`,
    );
    return;
  }
  if (playerId === '--add-key') {
    process.stdout.write(`added key ${await keys.addKey()} to ${file}; restart npm start to use it\n`);
    return;
  }
  if (playerId === '--remove-key') {
    keys.removeKey(ttl ?? '');
    process.stdout.write(`removed key ${ttl} from ${file}; restart npm start to refuse its tokens\n`);
    return;
  }
  if (!playerId) {
    process.stderr.write(
      'usage: npm run -s player-token -- <playerId> [ttlSeconds] | --pem | --add-key | --remove-key <kid>\n',
    );
    process.exit(2);
  }
  const ttlSeconds = ttl === undefined ? DEFAULT_PLAYER_TOKEN_TTL_SECONDS : Number(ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    process.stderr.write(`ttlSeconds must be a positive integer, got '${ttl}'\n`);
    process.exit(2);
  }
  process.stdout.write(`${await keys.mint(playerId, { ttlSeconds })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`player-token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
