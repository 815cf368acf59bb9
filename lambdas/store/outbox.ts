import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mapConcurrent } from '../shared/concurrency';
import { outboxKey } from './items';
import { keys } from './keys';
import { takeOutboxWrites } from './outbox-writes';
import type { MatchmakingEvent } from './records';
import type { OutboxStore } from './store';
import { backoff, chunk, type DynamoTable, type Item } from './table';

/** BatchWriteItem calls in flight at once when deleting delivered events. */
const DELETE_CONCURRENCY = 8;

/** The outbox (`OUTBOX#<configuration>`): events written with their changes, deleted once delivered. */
export function dynamoOutbox(table: DynamoTable): OutboxStore {
  return {
    async readOutbox(configurationName, limit, only) {
      // Up to `limit` events from every shard read, at once, merged into one time order.
      const shards = await Promise.all(
        keys.outboxPartitions(configurationName, only).map(async (partition) => {
          const page = await table.client.send(
            new QueryCommand({
              TableName: table.name,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': partition },
              Limit: limit,
              ConsistentRead: true,
            }),
          );
          return (page.Items as Item[] | undefined) ?? [];
        }),
      );
      return shards
        .flat()
        .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
        .map((item) => item.event as MatchmakingEvent);
    },

    takeOutboxWrites(configurationName) {
      return takeOutboxWrites(table.name, configurationName);
    },

    async deleteOutbox(events: MatchmakingEvent[]): Promise<void> {
      // BatchWriteItem takes 25 deletes; the chunks go a few at a time.
      await mapConcurrent(chunk(events, 25), DELETE_CONCURRENCY, async (part) => {
        let pending: Array<Record<string, unknown>> = part.map((event) => ({
          DeleteRequest: {
            Key: outboxKey(event),
          },
        }));
        for (let attempt = 0; pending.length > 0; attempt++) {
          const result = await table.client.send(
            new BatchWriteCommand({ RequestItems: { [table.name]: pending } }),
          );
          pending =
            (result.UnprocessedItems?.[table.name] as Array<Record<string, unknown>> | undefined) ?? [];
          if (pending.length > 0) await backoff(attempt);
        }
      });
    },
  };
}
