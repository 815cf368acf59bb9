import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { RateLimitStore } from './store';
import { type DynamoTable, isConditionFailure } from './table';

/**
 * Fixed-window admission counters, one item per player, configuration and window
 * (`RATE#<config>#<player>` / `<window start>`; apart from the player's locks,
 * which are the `PLAYER#` partition's only items that matter to the invariants), kept until the window is over (TTL).
 * Each player is counted with its own atomic conditional ADD rather than in one transaction:
 * many concurrent requests naming the same player would otherwise cancel each other's
 * transactions. When one player of a request is refused, the others' counts are given back.
 */
export function dynamoRateLimits(table: DynamoTable): RateLimitStore {
  const count = async (
    key: ReturnType<typeof keys.playerRate>,
    by: 1 | -1,
    limit: number,
    expiresAt: number,
  ) => {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: 'ADD hits :by SET expiresAt = :expiresAt',
          ...(by === 1 ? { ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit' } : {}),
          ExpressionAttributeValues: {
            ':by': by,
            ':expiresAt': expiresAt,
            ...(by === 1 ? { ':limit': limit } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  return {
    async admitPlayers(configurationName, playerIds, window, limit) {
      const expiresAt = Math.ceil((window.start + window.lengthMs) / 1000) + 60;
      const keyOf = (playerId: string) => keys.playerRate(configurationName, playerId, window.start);
      const counted = await Promise.all(
        playerIds.map((playerId) => count(keyOf(playerId), 1, limit, expiresAt)),
      );
      const limited = playerIds.filter((_, index) => !counted[index]);
      if (limited.length === 0) return { admitted: true };
      await Promise.all(
        playerIds
          .filter((_, index) => counted[index])
          .map((playerId) => count(keyOf(playerId), -1, limit, expiresAt)),
      );
      return { admitted: false, limited };
    },
  };
}
