import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../lambdas/local/dynamodb-local';

/**
 * One DynamoDB Local for the whole run; test files create their own uniquely named tables in
 * it. Workers inherit DYNAMODB_ENDPOINT and SLOTFILL_TEST_RUN_DIR because jest spawns them
 * after this runs.
 */
export default async function globalSetup(): Promise<void> {
  // The machine runs Node 20 and Lambda runs 24; the SDK's Node-20 notice is known (README) and
  // would repeat in every worker.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Outside the project, so bundles copied or synthesized there can't reach its node_modules.
  process.env.SLOTFILL_TEST_RUN_DIR = mkdtempSync(join(tmpdir(), 'slotfill-test-run-'));
  if (process.env.SLOTFILL_TEST_NO_DYNAMODB === '1' || process.env.DYNAMODB_ENDPOINT) return;
  const dynamo = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __slotfillDynamo?: typeof dynamo }).__slotfillDynamo = dynamo;
}
