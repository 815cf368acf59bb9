import { rmSync } from 'node:fs';
import type { RunningDynamoDbLocal } from '../../lambdas/local/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  const dynamo = (globalThis as { __slotfillDynamo?: RunningDynamoDbLocal }).__slotfillDynamo;
  await dynamo?.stop();
  const runDir = process.env.SLOTFILL_TEST_RUN_DIR;
  if (runDir) rmSync(runDir, { recursive: true, force: true });
}
