import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type LeaseScope } from './keys';
import { RecentCopies } from './recent-copies';
import type { LeaseStore } from './store';
import { type DynamoTable, isConditionFailure } from './table';

/**
 * Matchmaker leases (`LEASE#<configuration>`): which worker runs passes for a configuration or
 * for a part of its pool, and how many parts the pool is split into.
 */
export function dynamoLease(table: DynamoTable): LeaseStore {
  /** Every matchmaker turn starts with the split: a long-lived worker may take a recent copy. */
  const recentSplits = new RecentCopies<number>();
  return {
    async acquireLease(
      configurationName: string,
      owner: string,
      nowMs: number,
      durationMs: number,
      scope?: LeaseScope,
    ): Promise<boolean> {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.lease(configurationName, scope), owner, leaseUntil: nowMs + durationMs },
            ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async releaseLease(configurationName, owner, scope) {
      try {
        await table.client.send(
          new DeleteCommand({
            TableName: table.name,
            Key: keys.lease(configurationName, scope),
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async getPoolSplit(configurationName, options = {}) {
      const split = await recentSplits.get(configurationName, options.maxAgeMs, async () => {
        // Strongly consistent: a worker that just changed the split must not see the old one.
        const result = await table.client.send(
          new GetCommand({
            TableName: table.name,
            Key: keys.poolSplit(configurationName),
            ConsistentRead: true,
          }),
        );
        const parts = result.Item?.poolParts;
        return typeof parts === 'number' && parts >= 1 ? parts : 1;
      });
      return split ?? 1;
    },

    async changePoolSplit(configurationName, from, to) {
      return recentSplits.writing(configurationName, () => putPoolSplit(configurationName, from, to));
    },
  };

  async function putPoolSplit(configurationName: string, from: number, to: number): Promise<boolean> {
    try {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...keys.poolSplit(configurationName), poolParts: to },
          // Never split: no item yet (1); otherwise the split read must still hold.
          ConditionExpression: from === 1 ? 'attribute_not_exists(pk) OR #parts = :from' : '#parts = :from',
          ExpressionAttributeNames: { '#parts': 'poolParts' },
          ExpressionAttributeValues: { ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
