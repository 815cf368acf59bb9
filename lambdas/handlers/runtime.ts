import { createDocumentClient, createDynamoClient } from '../shared/clients';
import { type RuntimeConfig, readRuntimeConfig } from '../shared/config';
import { tracer } from '../shared/observability';
import { DynamoMatchmakingStore } from '../store/dynamo-store';
import { systemContext, type UseCaseContext } from '../usecases/context';

export interface RuntimeDependencies {
  config: RuntimeConfig;
  useCases: UseCaseContext;
}

/** Built once per Lambda process (cold start), from the environment the stack sets. */
export function runtimeDependencies(env: NodeJS.ProcessEnv = process.env): RuntimeDependencies {
  const config = readRuntimeConfig(env);
  const dynamo = tracer.captureAWSv3Client(createDynamoClient(config));
  const store = new DynamoMatchmakingStore({
    tableName: config.tableName,
    client: createDocumentClient(dynamo),
  });
  return { config, useCases: systemContext(store) };
}
