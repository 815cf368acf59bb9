/**
 * Runtime settings, read once from the environment. Lambda gets them from the CDK stack;
 * the local server sets them before loading handlers.
 */
export interface RuntimeConfig {
  tableName: string;
  /** Set locally (DynamoDB Local); absent in AWS. */
  dynamoDbEndpoint?: string;
  region: string;
  accountId: string;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';

export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const tableName = env.TABLE_NAME;
  if (!tableName)
    throw new Error('TABLE_NAME is not set: the handler does not know which DynamoDB table to use');
  return {
    tableName,
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.SLOTFILL_REGION || env.AWS_REGION || DEFAULT_REGION,
    accountId: env.SLOTFILL_ACCOUNT_ID || DEFAULT_ACCOUNT_ID,
  };
}
