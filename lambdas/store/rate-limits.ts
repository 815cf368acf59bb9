import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { RateAdmission, RateLimitStore } from './store';
import { type DynamoTable, isConditionFailure } from './table';

/**
 * Fixed-window admission counters, one item per player, configuration and window
 * (`RATE#<config>#<player>` / `<window start>`; apart from the player's locks, which are the
 * `PLAYER#` partition's only items that matter to the invariants), kept until the window is
 * over (TTL). Each player is counted with its own atomic conditional ADD rather than in one
 * transaction: many concurrent requests naming the same player would otherwise cancel each
 * other's transactions. Counts are given back when the request fails after all, so a refused
 * request leaves the table as it found it.
 */
export function dynamoRateLimits(table: DynamoTable): RateLimitStore {
  const keyOf = (admission: RateAdmission) =>
    keys.playerRate(admission.configurationName, admission.playerId, admission.windowStart);

  /** The count after adding one, or undefined when the player is at the limit. */
  const countOne = async (admission: Omit<RateAdmission, 'hits'>, limit: number, expiresAt: number) => {
    try {
      const result = await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: keyOf({ ...admission, hits: 0 }),
          UpdateExpression: 'ADD hits :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt, ':limit': limit },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.hits ?? 1);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  };

  const giveBack = async (admission: RateAdmission): Promise<void> => {
    // The item this request created goes again; otherwise (or if another request counted in
    // the meantime) one count is taken off.
    if (admission.hits === 1) {
      try {
        await table.client.send(
          new DeleteCommand({
            TableName: table.name,
            Key: keyOf(admission),
            ConditionExpression: 'hits = :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    await table.client
      .send(
        new UpdateCommand({
          TableName: table.name,
          Key: keyOf(admission),
          UpdateExpression: 'ADD hits :minusOne',
          ConditionExpression: 'attribute_exists(hits)',
          ExpressionAttributeValues: { ':minusOne': -1 },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  };

  return {
    async admitPlayers(configurationName, playerIds, window, limit) {
      const expiresAt = Math.ceil((window.start + window.lengthMs) / 1000) + 60;
      const counts = await Promise.all(
        playerIds.map((playerId) =>
          countOne({ configurationName, playerId, windowStart: window.start }, limit, expiresAt),
        ),
      );
      const admissions = playerIds.flatMap((playerId, index) => {
        const hits = counts[index];
        return hits === undefined ? [] : [{ configurationName, playerId, windowStart: window.start, hits }];
      });
      const limited = playerIds.filter((_, index) => counts[index] === undefined);
      if (limited.length === 0) return { admitted: true, admissions };
      await Promise.all(admissions.map(giveBack));
      return { admitted: false, limited };
    },

    async giveBackAdmissions(admissions) {
      await Promise.all(admissions.map(giveBack));
    },
  };
}
