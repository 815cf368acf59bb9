import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { LeaseStore } from './store';
import { type DynamoTable, isConditionFailure } from './table';

/** Matchmaker leases (`LEASE#<configuration>`): which worker runs passes for a configuration. */
export function dynamoLease(table: DynamoTable): LeaseStore {
  return {
    async acquireLease(
      configurationName: string,
      owner: string,
      nowMs: number,
      durationMs: number,
    ): Promise<boolean> {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.lease(configurationName), owner, leaseUntil: nowMs + durationMs },
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
  };
}
