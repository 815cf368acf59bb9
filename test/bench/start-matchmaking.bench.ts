/**
 * StartMatchmaking throughput through the whole path a request takes locally (official SDK →
 * HTTP → SigV4 check → middy handler → use case → store → DynamoDB Local), against the bare
 * DynamoDB transaction the operation needs, measured in the same run on the same DynamoDB
 * Local. The ratio is what our layers cost on top of the unavoidable write.
 * Run: npx tsx test/bench/start-matchmaking.bench.ts
 */
import { randomUUID } from 'node:crypto';
import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  GameLiftClient,
  StartMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../../lambdas/local/dynamodb-local';
import { localServiceOptionsFromEnv, startLocalService } from '../../lambdas/local/service';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { keys, poolKeys } from '../../lambdas/store/keys';

const REQUESTS = Number(process.env.BENCH_START_REQUESTS ?? 2000);
const CONCURRENCY = 16;
const PLAYERS_PER_TICKET = 2;

export interface ThroughputRow {
  name: string;
  requests: number;
  opsPerSecond: number;
  ratioToBaseline: number;
}

async function measure(requests: number, send: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) await send(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return requests / seconds;
}

export async function runStartMatchmakingBenchmark(): Promise<ThroughputRow[]> {
  const dynamo = await startDynamoDbLocal();
  const defaults = localServiceOptionsFromEnv({});
  const service = await startLocalService({
    ...defaults,
    playerTokens: { ...defaults.playerTokens, keyFile: undefined },
    port: 0,
    dynamoDbEndpoint: dynamo.endpoint,
    tableName: `bench-${randomUUID()}`,
    // The bare writes below are not full tickets; the matchmaker must not read them.
    matchmakerIntervalMs: 0,
    printEvents: false,
  });
  const tableName = service.options.tableName;
  const sdk = new GameLiftClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: service.options.credentials,
  });
  const documents = createDocumentClient(
    createDynamoClient({ dynamoDbEndpoint: dynamo.endpoint, region: 'us-east-1' }),
  );
  try {
    await sdk.send(
      new CreateMatchmakingRuleSetCommand({
        Name: 'bench',
        RuleSetBody: JSON.stringify({
          ruleLanguageVersion: '1.0',
          teams: [{ name: 'all', minPlayers: 2, maxPlayers: 10 }],
        }),
      }),
    );
    await sdk.send(
      new CreateMatchmakingConfigurationCommand({
        Name: 'bench',
        RuleSetName: 'bench',
        RequestTimeoutSeconds: 600,
        AcceptanceRequired: false,
      }),
    );
    const players = (run: string, i: number) =>
      Array.from({ length: PLAYERS_PER_TICKET }, (_, k) => ({
        PlayerId: `${run}-${i}-${k}`,
        PlayerAttributes: { skill: { N: 1000 + i } },
        LatencyInMs: { 'us-east-1': 40 },
      }));

    // The bare write: the same transaction the store sends, built by hand.
    const bareWrite = (i: number) => {
      const ticketId = randomUUID();
      const now = Date.now();
      const playerList = players('bare', i);
      return documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName,
                Key: keys.configuration('bench'),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.ticket(ticketId),
                  ticketId,
                  status: 'QUEUED',
                  players: playerList,
                  startTime: now,
                  poolPk: poolKeys.partition('bench', 'QUEUED'),
                  poolSk: poolKeys.sort(now, ticketId),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...playerList.map((p) => ({
              Put: {
                TableName: tableName,
                Item: { ...keys.playerLock('MATCHMAKING', 'bench', p.PlayerId), ticketId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          ],
        }),
      );
    };
    const throughSdk = (i: number) =>
      sdk.send(new StartMatchmakingCommand({ ConfigurationName: 'bench', Players: players('sdk', i) }));

    // Warm both paths (JIT, connection pools) before measuring.
    await measure(200, bareWrite);
    await measure(200, (i) => throughSdk(100_000 + i));
    const baseline = await measure(REQUESTS, (i) => bareWrite(1_000_000 + i));
    const full = await measure(REQUESTS, (i) => throughSdk(2_000_000 + i));
    return [
      {
        name: 'bare DynamoDB TransactWriteItems (baseline)',
        requests: REQUESTS,
        opsPerSecond: baseline,
        ratioToBaseline: 1,
      },
      {
        name: 'StartMatchmaking via SDK → gateway → handler → store',
        requests: REQUESTS,
        opsPerSecond: full,
        ratioToBaseline: full / baseline,
      },
    ];
  } finally {
    sdk.destroy();
    documents.destroy();
    await service.stop();
    await dynamo.stop();
  }
}

export function throughputTable(rows: ThroughputRow[]): string {
  return [
    '| path | requests | ops/s | ratio to baseline |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${Math.round(r.opsPerSecond)} | ${r.ratioToBaseline.toFixed(2)} |`,
    ),
  ].join('\n');
}

if (require.main === module) {
  runStartMatchmakingBenchmark().then(
    (rows) => process.stdout.write(`${throughputTable(rows)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
