import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { StatisticsStore } from './store';
import type { DynamoTable } from './table';

/** How long a pass's time-to-match sample is kept (TTL), beyond any window that reads it. */
const SAMPLE_RETENTION_SECONDS = 3600;

/**
 * Time-to-match samples (`WAITS#<configuration>` / `<time>#<pass id>`): one item per pass that
 * matched tickets, so the statistics cost one write per pass, not one per match, and never
 * touch the match transactions.
 */
export function dynamoStatistics(table: DynamoTable): StatisticsStore {
  return {
    async recordMatchWaits(configurationName, time, passId, waitSeconds): Promise<void> {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...keys.matchWaits(configurationName, time, passId),
            waitSeconds,
            expiresAt: Math.ceil(time / 1000) + SAMPLE_RETENTION_SECONDS,
          },
        }),
      );
    },

    async readMatchWaits(configurationName, sinceMs): Promise<number[]> {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: {
          ':pk': keys.matchWaitsPartition(configurationName),
          ':since': keys.matchWaitsSince(sinceMs),
        },
      });
      return items.flatMap((item) => (item.waitSeconds as number[] | undefined) ?? []);
    },
  };
}
