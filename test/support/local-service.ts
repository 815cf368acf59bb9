import { randomUUID } from 'node:crypto';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import type { LocalEventEnvelope } from '../../lambdas/local/local-event-sink';
import {
  type LocalService,
  localServiceOptionsFromEnv,
  startLocalService,
} from '../../lambdas/local/service';
import { testCloudAssembly } from './cloud-assembly';

/**
 * The local service exactly as `npm start` runs it, on the run's DynamoDB Local, with a table
 * of its own so test files never see each other's data. In the jest project `bundles` it
 * serves the bundles of the run's `cdk synth` (as `npm run start:bundles` does).
 */
export async function startTestService(): Promise<LocalService> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest globalSetup starts DynamoDB Local');
  const options = localServiceOptionsFromEnv({ SLOTFILL_HANDLERS: process.env.SLOTFILL_TEST_HANDLERS });
  let assemblyDir: string | undefined;
  if (options.handlers === 'bundles') {
    const assembly = await testCloudAssembly();
    if (assembly.synth.status !== 0) throw new Error(`cdk synth failed:\n${assembly.synth.stderr}`);
    assemblyDir = assembly.directory;
  }
  return startLocalService({
    assemblyDir,
    ...options,
    port: 0,
    dynamoDbEndpoint: endpoint,
    tableName: `slotfill-test-${randomUUID()}`,
    // Tests drive matchmaker ticks themselves, so outcomes don't depend on timing.
    matchmakerIntervalMs: 0,
    printEvents: false,
    // Signing keys in memory: a test run leaves no key file behind.
    playerTokens: { ...options.playerTokens, keyFile: undefined },
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

/**
 * The GameLift end-to-end suites' service: started with an SDK client on it, every event it
 * publishes appended to `seen` (when given). Pair with stopGameLiftService in afterAll.
 */
export async function startGameLiftService(
  seen?: LocalEventEnvelope[],
): Promise<{ service: LocalService; client: GameLiftClient }> {
  const service = await startTestService();
  if (seen) service.events.watch((event) => seen.push(event));
  return { service, client: gameLiftClient(service) };
}

export async function stopGameLiftService(running: {
  service?: LocalService;
  client?: GameLiftClient;
}): Promise<void> {
  running.client?.destroy();
  await running.service?.stop();
}
