import { randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import { SignatureV4 } from '@smithy/signature-v4';
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

/** A SigV4-signed raw AWS JSON request to the local service, for what the SDK would never send or read. */
export async function signedGameLiftPost(
  service: LocalService,
  target: string | undefined,
  body: string,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(service.url);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(target ? { 'x-amz-target': target } : {}),
    ...extraHeaders,
  };
  const signer = new SignatureV4({
    credentials: service.options.credentials,
    region: service.options.region,
    service: 'gamelift',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers,
    body,
  });
  return fetch(`${service.url}/`, { method: 'POST', headers: signed.headers, body });
}
