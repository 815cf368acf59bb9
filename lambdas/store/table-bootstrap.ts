import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table-definition';

export const DEFAULT_TABLE_NAME = 'slotfill';

export interface LocalTableOptions {
  /**
   * Whether the table keeps a stream, as the deployed one does. Only a reader of the stream
   * needs it (the local stream trigger of the Lambda bundles); elsewhere it is better off: on
   * DynamoDB Local every write looks up the stream's description, which costs more the more
   * streams and records the process holds (about a third of its CPU after a few thousand
   * tickets, growing with each table; docs/scaling.md).
   */
  stream: boolean;
}

/** The CreateTable request for the table CDK deploys, derived from the shared definition. */
export function createTableInput(tableName: string, options: LocalTableOptions): CreateTableCommandInput {
  const keyAttributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of tableDefinition.globalSecondaryIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    ...(options.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType } }
      : {}),
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** Creates the table (local development and tests) unless it exists; idempotent. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: LocalTableOptions,
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, options)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (;;) {
    const description = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (description.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client
    .send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      }),
    )
    .catch((error: unknown) => {
      // Enabling TTL twice is refused; the table already has it.
      if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
    });
}
