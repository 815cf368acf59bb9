import { createPlayFabHandler } from './playfab-api';
import { cachedSecrets, secretsSourceFromEnv } from './playfab-secrets';
import { runtimeDependencies } from './runtime';

/** Lambda entry for the PlayFab dialect (route table: POST /Match/{operation}). */
const { config, useCases } = runtimeDependencies();
export const handler = createPlayFabHandler({
  useCases,
  secrets: cachedSecrets(secretsSourceFromEnv(process.env, config.region)),
});
