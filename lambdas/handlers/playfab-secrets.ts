import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { PlayFabSecrets } from '../dialects/playfab/auth';

/**
 * Where the PlayFab dialect's title secret key comes from. Read once per process (cold start)
 * and kept in memory; a rotated secret takes effect as Lambda recycles its instances. (Player
 * tokens need no secret here: the gateway verifies them against the issuer's public keys.)
 */
export interface PlayFabSecretsSource {
  load(): Promise<PlayFabSecrets>;
}

/** Development default, documented in README: never used inside Lambda. */
export const DEV_TITLE_SECRET_KEY = 'dev-title-secret';

export const SECRET_ENV = {
  titleSecretKey: 'SLOTFILL_PLAYFAB_SECRET_KEY',
  /** In AWS: ARN of the Secrets Manager secret holding the value (set by the stack). */
  titleSecretKeyArn: 'SLOTFILL_PLAYFAB_SECRET_KEY_ARN',
} as const;

/** The secret from an environment variable, with the development default outside Lambda. */
export class EnvironmentSecretsSource implements PlayFabSecretsSource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async load(): Promise<PlayFabSecrets> {
    const inLambda = this.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
    const titleSecretKey = this.env[SECRET_ENV.titleSecretKey] || (inLambda ? '' : DEV_TITLE_SECRET_KEY);
    // A deployed function must never fall back to the published development secret.
    if (!titleSecretKey) {
      throw new Error(
        `The PlayFab title secret key is not configured: set ${SECRET_ENV.titleSecretKeyArn} (Secrets Manager) or ${SECRET_ENV.titleSecretKey}`,
      );
    }
    return { titleSecretKey };
  }
}

/**
 * The secret from AWS Secrets Manager through Powertools' SecretsProvider, which caches values
 * (here for the life of the process, as the dialect reads them once per cold start).
 */
export class SecretsManagerSecretsSource implements PlayFabSecretsSource {
  constructor(
    private readonly secretArns: { titleSecretKey: string },
    private readonly provider: SecretsProvider,
  ) {}

  async load(): Promise<PlayFabSecrets> {
    return { titleSecretKey: await this.secretString(this.secretArns.titleSecretKey) };
  }

  private async secretString(secretId: string): Promise<string> {
    const value = await this.provider.get(secretId, { maxAge: Number.MAX_SAFE_INTEGER });
    if (typeof value !== 'string' || value === '') {
      throw new Error(`Secret ${secretId} has no SecretString; store the PlayFab secret as text.`);
    }
    return value;
  }
}

/** Secrets Manager when the stack named the secret, else environment variables (local runs, tests). */
export function secretsSourceFromEnv(env: NodeJS.ProcessEnv, region: string): PlayFabSecretsSource {
  const titleSecretKey = env[SECRET_ENV.titleSecretKeyArn];
  if (titleSecretKey) {
    return new SecretsManagerSecretsSource(
      { titleSecretKey },
      new SecretsProvider({ clientConfig: { region } }),
    );
  }
  return new EnvironmentSecretsSource(env);
}

/** Loads once; a failed load is retried by the next request instead of being cached. */
export function cachedSecrets(source: PlayFabSecretsSource): () => Promise<PlayFabSecrets> {
  let pending: Promise<PlayFabSecrets> | undefined;
  return () => {
    pending ??= source.load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
