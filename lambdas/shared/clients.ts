import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeConfig } from './config';

/** Local endpoints accept any credentials, but the SDK refuses to sign without some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDynamoClient(
  config: Pick<RuntimeConfig, 'dynamoDbEndpoint' | 'region'>,
): DynamoDBClient {
  return new DynamoDBClient(
    config.dynamoDbEndpoint
      ? { endpoint: config.dynamoDbEndpoint, region: config.region, credentials: LOCAL_CREDENTIALS }
      : { region: config.region },
  );
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
