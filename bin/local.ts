import { JavaMissingError } from '../lambdas/local/dynamodb-local';
import { localServiceOptionsFromEnv, startLocalService } from '../lambdas/local/service';

/** `npm start`: the whole service on this machine, on the real DynamoDB engine. */
async function main(): Promise<void> {
  const options = localServiceOptionsFromEnv();
  const service = await startLocalService(options);
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
      'Try it (AWS CLI):',
      `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} aws gamelift describe-matchmaking-configurations --endpoint-url ${service.url} --region ${options.region}`,
      'or with curl:',
      `  curl -s ${service.url}/ --aws-sigv4 "aws:amz:${options.region}:gamelift" --user ${accessKeyId}:${secretAccessKey} -H 'X-Amz-Target: GameLift.DescribeMatchmakingConfigurations' -H 'Content-Type: application/x-amz-json-1.1' -d '{}'`,
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
  if (error instanceof JavaMissingError) {
    process.stderr.write(`slotfill: ${error.message}\n`);
  } else {
    process.stderr.write(
      `slotfill failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
