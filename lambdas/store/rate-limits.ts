import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ItemKey, keys, shardOf } from './keys';
import type { RateAdmission, RateLimitStore, RateRequest } from './store';
import { type DynamoTable, isConditionFailure } from './table';

/**
 * Admissions one partition of the title counter takes per window: a partition takes about 1,000
 * writes a second, and refused attempts (failed conditional writes) cost writes too, so a
 * title limit above this spreads over several counter items, each with its share of the limit.
 */
export const TITLE_ADMISSIONS_PER_PARTITION = 250;

/**
 * Fixed-window admission counters, kept until their window is over (TTL):
 * - per player, configuration and window (`RATE#<config>#<player>` / `<window start>`; apart
 *   from the player's locks, which are the `PLAYER#` partition's only items that matter to the
 *   invariants);
 * - per title and window (`TITLERATE#<partition>` / `<window start>`), spread over partitions
 *   by ticket id so a high title limit never makes one hot item.
 * Each counter is counted with its own atomic conditional ADD rather than in one transaction:
 * many concurrent requests naming the same counter would otherwise cancel each other's
 * transactions. Counts are given back when the request fails after all, so a refused request
 * leaves the table as it found it.
 */
export function dynamoRateLimits(table: DynamoTable): RateLimitStore {
  /** The item a request counts on, and the limit that item enforces. */
  const counterOf = (request: RateRequest): { key: ItemKey; limit: number } => {
    const { counter, window } = request;
    if (counter.scope === 'player')
      return {
        key: keys.playerRate(counter.configurationName, counter.playerId, window.start),
        limit: request.limit,
      };
    const partitions = Math.max(1, Math.ceil(request.limit / TITLE_ADMISSIONS_PER_PARTITION));
    return {
      key: keys.titleRate(shardOf(counter.spreadBy, partitions), window.start),
      limit: Math.ceil(request.limit / partitions),
    };
  };

  /** The count after adding one, or undefined when the counter is at its limit. */
  const countOne = async (request: RateRequest): Promise<number | undefined> => {
    const { key, limit } = counterOf(request);
    const expiresAt = Math.ceil((request.window.start + request.window.lengthMs) / 1000) + 60;
    try {
      const result = await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
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
    const { key } = counterOf(admission.request);
    // The item this request created goes again; otherwise (or if another request counted in
    // the meantime) one count is taken off.
    if (admission.hits === 1) {
      try {
        await table.client.send(
          new DeleteCommand({
            TableName: table.name,
            Key: key,
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
          Key: key,
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
    async admit(requests) {
      const counts = await Promise.all(requests.map(countOne));
      const admissions = requests.flatMap((request, index) => {
        const hits = counts[index];
        return hits === undefined ? [] : [{ request, hits }];
      });
      if (admissions.length === requests.length) return { admitted: true, admissions };
      await Promise.all(admissions.map(giveBack));
      return {
        admitted: false,
        limited: requests.filter((_, index) => counts[index] === undefined),
      };
    },

    async giveBackAdmissions(admissions) {
      await Promise.all(admissions.map(giveBack));
    },
  };
}
