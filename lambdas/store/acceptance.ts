import { IdempotentParameterMismatchException } from '@aws-sdk/client-dynamodb';
import { SlotfillError } from '../shared/errors';
import { outboxPut } from './items';
import { keys } from './keys';
import type { AcceptanceDecision, AcceptanceResponse, MatchmakingEvent } from './records';
import type { AcceptanceStore } from './store';
import { cancellationReasons, type DynamoTable } from './table';

/** Answers to a match awaiting acceptance, kept on the match item, and its one conditional decision. */
export function dynamoAcceptance(table: DynamoTable): AcceptanceStore {
  return {
    async recordAcceptance(
      matchId: string,
      responses: Record<string, AcceptanceResponse>,
      nowMs: number,
      event: MatchmakingEvent,
    ): Promise<void> {
      const names: Record<string, string> = { '#acceptance': 'acceptance', '#responses': 'responses' };
      const values: Record<string, unknown> = { ':now': nowMs };
      const sets = Object.entries(responses).map(([playerId, response], index) => {
        names[`#p${index}`] = playerId;
        values[`:r${index}`] = response;
        return `#acceptance.#responses.#p${index} = :r${index}`;
      });
      try {
        await table.transact({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.match(matchId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression:
                  'attribute_not_exists(#acceptance.decision) AND #acceptance.deadline > :now',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            outboxPut(table, event),
          ],
        });
      } catch (error) {
        if (cancellationReasons(error)) {
          throw new SlotfillError('Conflict', `Match ${matchId} is no longer waiting for acceptance.`, {
            matchId,
          });
        }
        throw error;
      }
    },

    async decideAcceptance(
      matchId: string,
      decision: AcceptanceDecision,
      events: MatchmakingEvent[],
    ): Promise<boolean> {
      try {
        await table.transact({
          TransactItems: [
            {
              Update: {
                TableName: table.name,
                Key: keys.match(matchId),
                UpdateExpression: 'SET #acceptance.decision = :decision',
                ConditionExpression:
                  'attribute_exists(#acceptance) AND attribute_not_exists(#acceptance.decision)',
                ExpressionAttributeNames: { '#acceptance': 'acceptance' },
                ExpressionAttributeValues: { ':decision': decision },
              },
            },
            ...events.map((event) => outboxPut(table, event)),
          ],
          ClientRequestToken: table.requestToken('decide', matchId),
        });
        return true;
      } catch (error) {
        if (cancellationReasons(error) || error instanceof IdempotentParameterMismatchException) return false;
        throw error;
      }
    },
  };
}
