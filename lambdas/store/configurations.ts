import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../shared/errors';
import { keys } from './keys';
import { RecentCopies } from './recent-copies';
import { type ConfigurationRecord, ruleSetNameOf } from './records';
import type { ConfigurationStore } from './store';
import { cancellationReasons, type DynamoTable, stripKeys, type TransactItem } from './table';

/**
 * Configurations, one partition (`CONFIGURATION`). A configuration whose rules are a rule set
 * is added to that rule set's `usedBy` in the same transaction, so a rule set in use can't be
 * deleted; a queue definition is stored in the configuration itself.
 */
export function dynamoConfigurations(table: DynamoTable): ConfigurationStore {
  const configurationPut = (
    record: ConfigurationRecord,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ): TransactItem => ({
    Put: {
      TableName: table.name,
      Item: { ...keys.configuration(record.name), ...record },
      ...condition,
    },
  });
  const ruleSetUser = (
    action: 'ADD' | 'DELETE',
    ruleSetName: string | undefined,
    configurationName: string,
  ): TransactItem[] =>
    ruleSetName === undefined
      ? []
      : [
          {
            Update: {
              TableName: table.name,
              Key: keys.ruleSet(ruleSetName),
              UpdateExpression: `${action} usedBy :user`,
              // Adding a user also proves the rule set exists.
              ...(action === 'ADD' ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
              ExpressionAttributeValues: { ':user': new Set([configurationName]) },
            },
          },
        ];
  const changedConcurrently = (name: string) =>
    conflict(`Matchmaking configuration '${name}' was changed or deleted concurrently; retry.`);
  /**
   * Opening a ticket reads its configuration: at hundreds of tickets a second that read was a
   * good share of the table's requests, so such readers may take a recent copy.
   */
  const recent = new RecentCopies<ConfigurationRecord>();

  return {
    async createConfiguration(record) {
      return recent.writing(record.name, async () => {
        const items: TransactItem[] = [
          configurationPut(record, { ConditionExpression: 'attribute_not_exists(pk)' }),
          ...ruleSetUser('ADD', ruleSetNameOf(record), record.name),
        ];
        try {
          await table.transact({ TransactItems: items });
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (!reasons) throw error;
          if (reasons[0]?.failed)
            throw conflict(`A matchmaking configuration named '${record.name}' already exists.`);
          if (reasons[1]?.failed)
            throw notFound(`Matchmaking rule set '${ruleSetNameOf(record)}' was not found.`);
          throw error;
        }
      });
    },

    async getConfiguration(name, options = {}) {
      return recent.get(name, options.maxAgeMs, async () => {
        const result = await table.client.send(
          new GetCommand({ TableName: table.name, Key: keys.configuration(name), ConsistentRead: true }),
        );
        return result.Item ? (stripKeys(result.Item) as unknown as ConfigurationRecord) : undefined;
      });
    },

    async getConfigurations(names) {
      const items = await table.batchGet(names.map(keys.configuration));
      return items.map((item) => stripKeys(item) as unknown as ConfigurationRecord);
    },

    async listConfigurations(query) {
      const page = await table.queryPartition(
        keys.configurationPartition,
        query.limit,
        query.nextToken,
        query.ruleSetName === undefined
          ? undefined
          : {
              expression: '#rules.ruleSetName = :ruleSetName',
              names: { '#rules': 'rules' },
              values: { ':ruleSetName': query.ruleSetName },
            },
      );
      return {
        items: page.items.map((item) => stripKeys(item) as unknown as ConfigurationRecord),
        nextToken: page.nextToken,
      };
    },

    async updateConfiguration(record, previous) {
      return recent.writing(record.name, async () => {
        const items: TransactItem[] = [
          configurationPut(record, {
            ConditionExpression: 'version = :expectedVersion',
            ExpressionAttributeValues: { ':expectedVersion': previous.version },
          }),
        ];
        if (ruleSetNameOf(record) !== ruleSetNameOf(previous)) {
          items.push(...ruleSetUser('ADD', ruleSetNameOf(record), record.name));
          items.push(...ruleSetUser('DELETE', ruleSetNameOf(previous), record.name));
        }
        try {
          await table.transact({ TransactItems: items });
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (!reasons) throw error;
          if (reasons[0]?.failed) throw changedConcurrently(record.name);
          if (reasons[1]?.failed)
            throw notFound(`Matchmaking rule set '${ruleSetNameOf(record)}' was not found.`);
          throw error;
        }
      });
    },

    async deleteConfiguration(record) {
      return recent.writing(record.name, async () => {
        try {
          await table.transact({
            TransactItems: [
              {
                Delete: {
                  TableName: table.name,
                  Key: keys.configuration(record.name),
                  ConditionExpression: 'version = :expectedVersion',
                  ExpressionAttributeValues: { ':expectedVersion': record.version },
                },
              },
              ...ruleSetUser('DELETE', ruleSetNameOf(record), record.name),
            ],
          });
        } catch (error) {
          if (cancellationReasons(error)?.[0]?.failed) throw changedConcurrently(record.name);
          throw error;
        }
      });
    },

    async listAllConfigurationNames() {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.configurationPartition },
        ProjectionExpression: 'sk',
      });
      return items.map((item) => String(item.sk));
    },
  };
}
