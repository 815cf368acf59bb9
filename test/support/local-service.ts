import { randomUUID } from 'node:crypto';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import {
  type LocalService,
  localServiceOptionsFromEnv,
  startLocalService,
} from '../../lambdas/local/service';

/**
 * The local service exactly as `npm start` runs it, on the run's DynamoDB Local, with a table
 * of its own so test files never see each other's data.
 */
export async function startTestService(): Promise<LocalService> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest globalSetup starts DynamoDB Local');
  const options = localServiceOptionsFromEnv({});
  return startLocalService({
    ...options,
    port: 0,
    dynamoDbEndpoint: endpoint,
    tableName: `slotfill-test-${randomUUID()}`,
    // Tests drive matchmaker ticks themselves, so outcomes don't depend on timing.
    matchmakerIntervalMs: 0,
    printEvents: false,
  });
}

export function gameLiftClient(
  service: LocalService,
  credentials = service.options.credentials,
): GameLiftClient {
  return new GameLiftClient({
    endpoint: service.url,
    region: service.options.region,
    credentials,
    maxAttempts: 1,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
