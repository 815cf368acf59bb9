import type { RunningDynamoDbLocal } from '../../lambdas/local/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  const dynamo = (globalThis as { __slotfillDynamo?: RunningDynamoDbLocal }).__slotfillDynamo;
  await dynamo?.stop();
}
