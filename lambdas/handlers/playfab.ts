import { createDocumentClient, createDynamoClient } from '../shared/clients';
import { readRuntimeConfig } from '../shared/config';
import { tracer } from '../shared/observability';
import { DynamoPlayFabStore } from '../store/playfab-store';
import { createPlayFabHandler } from './playfab-api';
import { cachedSecrets, secretsSourceFromEnv } from './playfab-secrets';
import { runtimeDependencies } from './runtime';

/** Lambda entry for the PlayFab dialect (route table: POST /Match/{operation}). */
const { useCases } = runtimeDependencies();
const config = readRuntimeConfig();
const playfab = new DynamoPlayFabStore(
  config.tableName,
  createDocumentClient(tracer.captureAWSv3Client(createDynamoClient(config))),
);
export const handler = createPlayFabHandler({
  useCases: { ...useCases, playfab },
  secrets: cachedSecrets(secretsSourceFromEnv(process.env, config.region)),
});
