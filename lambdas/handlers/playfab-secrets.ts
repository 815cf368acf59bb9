import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { PlayFabSecrets } from '../dialects/playfab/auth';

/**
 * Where the PlayFab dialect's two secrets come from. Read once per process (cold start) and
 * kept in memory; a rotated secret takes effect as Lambda recycles its instances.
 */
export interface PlayFabSecretsSource {
  load(): Promise<PlayFabSecrets>;
}

/** Development defaults, documented in README: never used inside Lambda. */
export const DEV_TITLE_SECRET_KEY = 'dev-title-secret';
export const DEV_TOKEN_SIGNING_SECRET = 'dev-token-secret';

export const SECRET_ENV = {
  titleSecretKey: 'SLOTFILL_PLAYFAB_SECRET_KEY',
  tokenSigningSecret: 'SLOTFILL_PLAYFAB_TOKEN_SECRET',
  /** In AWS: ARNs of the Secrets Manager secrets holding the two values (set by the stack). */
  titleSecretKeyArn: 'SLOTFILL_PLAYFAB_SECRET_KEY_ARN',
  tokenSigningSecretArn: 'SLOTFILL_PLAYFAB_TOKEN_SECRET_ARN',
} as const;

/** Secrets from environment variables, with development defaults outside Lambda. */
export class EnvironmentSecretsSource implements PlayFabSecretsSource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async load(): Promise<PlayFabSecrets> {
    const inLambda = this.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
    const titleSecretKey = this.env[SECRET_ENV.titleSecretKey] || (inLambda ? '' : DEV_TITLE_SECRET_KEY);
    const tokenSigningSecret =
      this.env[SECRET_ENV.tokenSigningSecret] || (inLambda ? '' : DEV_TOKEN_SIGNING_SECRET);
    // A deployed function must never fall back to the published development secrets.
    if (!titleSecretKey || !tokenSigningSecret) {
      throw new Error(
        `PlayFab secrets are not configured: set ${SECRET_ENV.titleSecretKeyArn}/${SECRET_ENV.tokenSigningSecretArn} (Secrets Manager) or ${SECRET_ENV.titleSecretKey}/${SECRET_ENV.tokenSigningSecret}`,
      );
    }
    return { titleSecretKey, tokenSigningSecret };
  }
}

/**
 * Secrets from AWS Secrets Manager through Powertools' SecretsProvider, which caches values
 * (here for the life of the process, as the dialect reads them once per cold start).
 */
export class SecretsManagerSecretsSource implements PlayFabSecretsSource {
  constructor(
    private readonly secretArns: { titleSecretKey: string; tokenSigningSecret: string },
    private readonly provider: SecretsProvider,
  ) {}

  async load(): Promise<PlayFabSecrets> {
    const [titleSecretKey, tokenSigningSecret] = await Promise.all([
      this.secretString(this.secretArns.titleSecretKey),
      this.secretString(this.secretArns.tokenSigningSecret),
    ]);
    return { titleSecretKey, tokenSigningSecret };
  }

  private async secretString(secretId: string): Promise<string> {
    const value = await this.provider.get(secretId, { maxAge: Number.MAX_SAFE_INTEGER });
    if (typeof value !== 'string' || value === '') {
      throw new Error(`Secret ${secretId} has no SecretString; store the PlayFab secret as text.`);
    }
    return value;
  }
}

/** Secrets Manager when the stack named the secrets, else environment variables (local runs, tests). */
export function secretsSourceFromEnv(env: NodeJS.ProcessEnv, region: string): PlayFabSecretsSource {
  const titleSecretKey = env[SECRET_ENV.titleSecretKeyArn];
  const tokenSigningSecret = env[SECRET_ENV.tokenSigningSecretArn];
  if (titleSecretKey && tokenSigningSecret) {
    return new SecretsManagerSecretsSource(
      { titleSecretKey, tokenSigningSecret },
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
