import { createDocumentClient, createDynamoClient } from '../shared/clients';
import { type RuntimeConfig, readRuntimeConfig } from '../shared/config';
import { traced } from '../shared/tracing';
import { createDynamoStore } from '../store/dynamo-store';
import { systemContext, type UseCaseContext } from '../usecases/context';
import { ticketMetrics } from './ticket-metrics';

export interface RuntimeDependencies {
  config: RuntimeConfig;
  useCases: UseCaseContext;
}

/** Built dependencies by what they connect to: one DynamoDB client and one store per runtime. */
const built = new Map<string, RuntimeDependencies>();

/**
 * Built once per Lambda process (cold start), from the environment the stack sets. Every
 * handler of a process (the local service loads them all) shares the same client and store.
 */
export function runtimeDependencies(env: NodeJS.ProcessEnv = process.env): RuntimeDependencies {
  const config = readRuntimeConfig(env);
  const key = JSON.stringify(config);
  const existing = built.get(key);
  if (existing) return existing;
  const dynamo = traced(createDynamoClient(config));
  const store = createDynamoStore({ tableName: config.tableName, client: createDocumentClient(dynamo) });
  const limits = {
    ...(config.playerTicketsPerMinute === undefined
      ? {}
      : { playerTicketsPerMinute: config.playerTicketsPerMinute }),
    ...(config.titleTicketsPerSecond === undefined
      ? {}
      : { titleTicketsPerSecond: config.titleTicketsPerSecond }),
  };
  const dependencies = { config, useCases: systemContext(store, { limits, observer: ticketMetrics }) };
  built.set(key, dependencies);
  return dependencies;
}
