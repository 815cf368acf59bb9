import { parseArgs } from 'node:util';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import { DEV_TITLE_SECRET_KEY, SECRET_ENV } from '../lambdas/handlers/playfab-secrets';
import { JavaMissingError } from '../lambdas/local/dynamodb-local';
import {
  LOCAL_JWKS_PATH,
  type LocalService,
  localServiceOptionsFromEnv,
  startLocalService,
} from '../lambdas/local/service';
import {
  applyMatchmakingConfig,
  ConfigFileError,
  DEFAULT_MATCHMAKING_CONFIG,
  describeApplied,
  readMatchmakingConfig,
} from '../lib/client/matchmaking-config';

/** `--config <file>` (default lib/matchmaking.json) or `--no-config`. */
function configPath(): string | undefined {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, 'no-config': { type: 'boolean' } },
  });
  return values['no-config'] ? undefined : (values.config ?? DEFAULT_MATCHMAKING_CONFIG);
}

/** Loads the configuration file through the service's own API, as any client would. */
async function loadConfig(service: LocalService, path: string): Promise<string> {
  const file = readMatchmakingConfig(path);
  const gamelift = new GameLiftClient({
    endpoint: service.url,
    region: service.options.region,
    credentials: service.options.credentials,
  });
  const applied = await applyMatchmakingConfig(file, gamelift, {
    url: service.url,
    secretKey: process.env[SECRET_ENV.titleSecretKey] || DEV_TITLE_SECRET_KEY,
  });
  return describeApplied(applied)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** `npm start`: the whole service on this machine, on the real DynamoDB engine. */
async function main(): Promise<void> {
  const config = configPath();
  const options = localServiceOptionsFromEnv();
  const service = await startLocalService(options);
  let loaded: string[] = [];
  if (config !== undefined) {
    try {
      loaded = [`Loaded ${config}:`, await loadConfig(service, config), ''];
    } catch (error) {
      await service.stop();
      throw error;
    }
  }
  const { accessKeyId, secretAccessKey } = options.credentials;
  process.stdout.write(
    [
      `slotfill is listening on ${service.url}`,
      `  console:   ${service.url}/  (pool, live matches, passes, why a ticket waits; health: ${service.url}/_local/health)`,
      `  DynamoDB:  ${service.dynamoDbEndpoint}${options.dynamoDbEndpoint ? '' : options.dataDir ? ` (DynamoDB Local, data in ${options.dataDir})` : ' (DynamoDB Local, in memory)'}`,
      `  table:     ${options.tableName}`,
      `  handlers:  ${service.handlers}`,
      `  credentials for SigV4: access key id '${accessKeyId}', secret '${secretAccessKey}', region '${options.region}'`,
      '',
      ...loaded,
      'Try it (AWS CLI):',
      `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} aws gamelift describe-matchmaking-configurations --endpoint-url ${service.url} --region ${options.region}`,
      'or with curl:',
      `  curl -s ${service.url}/ --aws-sigv4 "aws:amz:${options.region}:gamelift" --user ${accessKeyId}:${secretAccessKey} -H 'X-Amz-Target: GameLift.DescribeMatchmakingConfigurations' -H 'Content-Type: application/x-amz-json-1.1' -d '{}'`,
      '',
      'PlayFab dialect: game servers POST /Match/<Operation> with X-SecretKey: dev-title-secret;',
      '  players POST /Player/Match/<Operation> with X-EntityToken: <JWT, RS256, sub = player id>.',
      `  player tokens: issuer '${options.playerTokens.issuer}', audience '${options.playerTokens.audience.join("', '")}', keys (private JWKS) in ${options.playerTokens.keyFile}, public at ${service.url}${LOCAL_JWKS_PATH}`,
      `  mint one: TOKEN=$(npm run -s player-token -- alice)   (kid ${service.playerTokens.kids.at(-1)})`,
      `  curl -s ${service.url}/Player/Match/ListMatchmakingTicketsForPlayer -H "X-EntityToken: $TOKEN" -d '{"QueueName":"duel"}'`,
      '',
      `The matchmaker runs every ${options.matchmakerIntervalMs} ms; watch its events live: curl -N ${service.url}/_local/events`,
      'Ctrl-C stops the service and DynamoDB Local.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof ConfigFileError) {
    process.stderr.write(`slotfill: ${error.message}\n`);
  } else {
    process.stderr.write(
      `slotfill failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
