import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../shared/errors';
import { keys } from './keys';
import type { RuleSetRecord } from './records';
import type { RuleSetStore } from './store';
import { cancellationReasons, type DynamoTable, isConditionFailure, stripKeys } from './table';

/** Rule sets, one partition (`RULESET`); `usedBy` names the configurations that use each. */
export function dynamoRuleSets(table: DynamoTable): RuleSetStore {
  return {
    async createRuleSet(record) {
      try {
        await table.client.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.ruleSet(record.name), ...record },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailure(error))
          throw conflict(`A matchmaking rule set named '${record.name}' already exists.`);
        throw error;
      }
    },

    async getRuleSets(names) {
      const items = await table.batchGet(names.map(keys.ruleSet));
      return items.map((item) => stripKeys(item) as unknown as RuleSetRecord);
    },

    async listRuleSets(limit, nextToken) {
      const page = await table.queryPartition(keys.ruleSetPartition, limit, nextToken);
      return {
        items: page.items.map((item) => stripKeys(item) as unknown as RuleSetRecord),
        nextToken: page.nextToken,
      };
    },

    async deleteRuleSet(name) {
      try {
        await table.transact({
          TransactItems: [
            {
              Delete: {
                TableName: table.name,
                Key: keys.ruleSet(name),
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedBy)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        });
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        const existing = reasons[0]?.item;
        if (!existing) throw notFound(`Matchmaking rule set '${name}' was not found.`);
        const users = [...((existing.usedBy as Set<string> | undefined) ?? [])].sort();
        throw conflict(
          `Matchmaking rule set '${name}' is used by matchmaking configuration(s) ${users.map((u) => `'${u}'`).join(', ')}; delete or update them first.`,
          { configurations: users },
        );
      }
    },
  };
}
