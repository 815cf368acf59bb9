/**
 * Runtime settings, read once from the environment. Lambda gets them from the CDK stack;
 * the local server sets them before loading handlers.
 */
export interface RuntimeConfig {
  tableName: string;
  /** Set locally (DynamoDB Local); absent in AWS. */
  dynamoDbEndpoint?: string;
  /** Set locally (the local gateway's PutEvents receiver, for bundled matchmakers); absent in AWS. */
  eventBridgeEndpoint?: string;
  region: string;
  accountId: string;
  /** SLOTFILL_PLAYER_TICKETS_PER_MINUTE: tickets a player may join per configuration and minute (0: no limit). */
  playerTicketsPerMinute?: number;
  /** SLOTFILL_TITLE_TICKETS_PER_SECOND: tickets the deployment may open per second (0: no limit). */
  titleTicketsPerSecond?: number;
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
    eventBridgeEndpoint: env.EVENTBRIDGE_ENDPOINT || undefined,
    region: env.SLOTFILL_REGION || env.AWS_REGION || DEFAULT_REGION,
    accountId: env.SLOTFILL_ACCOUNT_ID || DEFAULT_ACCOUNT_ID,
    ...optionalCount(
      'SLOTFILL_PLAYER_TICKETS_PER_MINUTE',
      env.SLOTFILL_PLAYER_TICKETS_PER_MINUTE,
      'playerTicketsPerMinute',
    ),
    ...optionalCount(
      'SLOTFILL_TITLE_TICKETS_PER_SECOND',
      env.SLOTFILL_TITLE_TICKETS_PER_SECOND,
      'titleTicketsPerSecond',
    ),
  };
}

/** A whole number ≥ 0 from the environment under `field`, or nothing when the variable is unset. */
function optionalCount<Field extends string>(
  name: string,
  raw: string | undefined,
  field: Field,
): Partial<Record<Field, number>> {
  if (raw === undefined || raw === '') return {};
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0, got '${raw}'`);
  return { [field]: value } as Partial<Record<Field, number>>;
}

export const DEFAULT_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 2000;
export const DEFAULT_SAFETY_MARGIN_MS = 5000;

export interface MatchmakerSettings {
  intervalMs: number;
  safetyMarginMs: number;
}

export function matchmakerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MatchmakerSettings {
  const intervalMs = Number(env.MATCHMAKER_INTERVAL_MS ?? DEFAULT_INTERVAL_MS);
  if (!Number.isFinite(intervalMs) || intervalMs < 100 || intervalMs > MAX_INTERVAL_MS) {
    throw new Error(
      `MATCHMAKER_INTERVAL_MS must be between 100 and ${MAX_INTERVAL_MS}, got '${env.MATCHMAKER_INTERVAL_MS}'`,
    );
  }
  const safetyMarginMs = Number(env.MATCHMAKER_SAFETY_MARGIN_MS ?? DEFAULT_SAFETY_MARGIN_MS);
  return {
    intervalMs,
    safetyMarginMs: Number.isFinite(safetyMarginMs) ? safetyMarginMs : DEFAULT_SAFETY_MARGIN_MS,
  };
}
