import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../lambdas/shared/clients';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import { tableDefinition } from '../../lambdas/store/table-definition';

/**
 * The local table has the deployed table's keys, index and TTL; its stream only where a reader
 * needs it (the bundles' stream trigger), since on DynamoDB Local a stream makes every write dearer.
 */
const dynamo = createDynamoClient({ dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' });
afterAll(() => dynamo.destroy());

async function described(stream: boolean) {
  const tableName = `bootstrap-${randomUUID()}`;
  await ensureTable(dynamo, tableName, { stream });
  // Twice: creating an existing table is not an error.
  await ensureTable(dynamo, tableName, { stream });
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  return Table;
}

it('creates the table with the pool index and no stream unless asked', async () => {
  const table = await described(false);
  expect(table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(
    tableDefinition.globalSecondaryIndexes.map((index) => index.indexName),
  );
  expect(table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  expect(table?.LatestStreamArn).toBeUndefined();
});

it('keeps the deployed stream (new images) when a stream reader needs it', async () => {
  const table = await described(true);
  expect(table?.StreamSpecification).toEqual({
    StreamEnabled: true,
    StreamViewType: tableDefinition.streamViewType,
  });
  expect(table?.LatestStreamArn).toBeDefined();
});
