import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeConfig } from './config';

/** Local endpoints accept any credentials, but the SDK refuses to sign without some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A client of the service in AWS, or of its local stand-in when an endpoint is set. */
function clientConfig(region: string, localEndpoint: string | undefined) {
  return localEndpoint ? { endpoint: localEndpoint, region, credentials: LOCAL_CREDENTIALS } : { region };
}

export function createDynamoClient(
  config: Pick<RuntimeConfig, 'dynamoDbEndpoint' | 'region'>,
): DynamoDBClient {
  return new DynamoDBClient(clientConfig(config.region, config.dynamoDbEndpoint));
}

export function createEventBridgeClient(
  config: Pick<RuntimeConfig, 'eventBridgeEndpoint' | 'region'>,
): EventBridgeClient {
  return new EventBridgeClient(clientConfig(config.region, config.eventBridgeEndpoint));
}

/** The matchmaker's work queue: only in AWS (locally the service fans out in-process). */
export function createSqsClient(config: Pick<RuntimeConfig, 'region'>): SQSClient {
  return new SQSClient({ region: config.region });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
