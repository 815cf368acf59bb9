import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../shared/errors';
import { keys } from './keys';
import { type ConfigurationRecord, ruleSetNameOf } from './records';
import type { ConfigurationStore } from './store';
import { cancellationReasons, type DynamoTable, stripKeys, type TransactItem } from './table';

/** Configurations one store keeps recent copies of, at most. */
const RECENT_CONFIGURATIONS_KEPT = 1000;

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
   * Configurations this store read lately, with when (monotonic ms), for readers that accept a
   * copy that old: opening a ticket reads its configuration, and at hundreds of tickets a second
   * that read is a good share of the table's requests. This store's own writes replace or drop
   * their entry, so only another process's change can be missed, for at most the age allowed.
   */
  const recent = new Map<string, { record: ConfigurationRecord; readAt: number }>();
  /** Bumped by each write of this store: a read that overlapped a write keeps no copy. */
  let writes = 0;
  const forget = (name: string) => {
    writes++;
    recent.delete(name);
  };
  /** A write of this store: no copy of its configuration read before it ends is kept. */
  const writing = async (name: string, write: () => Promise<void>) => {
    forget(name);
    try {
      await write();
    } finally {
      forget(name);
    }
  };

  return {
    async createConfiguration(record) {
      return writing(record.name, async () => {
        const items: TransactItem[] = [
          configurationPut(record, { ConditionExpression: 'attribute_not_exists(pk)' }),
          ...ruleSetUser('ADD', ruleSetNameOf(record), record.name),
        ];
        try {
          await table.client.send(new TransactWriteCommand({ TransactItems: items }));
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
      const kept = options.maxAgeMs === undefined ? undefined : recent.get(name);
      if (kept && performance.now() - kept.readAt <= (options.maxAgeMs ?? 0)) return kept.record;
      const writesBefore = writes;
      const readAt = performance.now();
      const result = await table.client.send(
        new GetCommand({ TableName: table.name, Key: keys.configuration(name), ConsistentRead: true }),
      );
      if (!result.Item) {
        recent.delete(name);
        return undefined;
      }
      const record = stripKeys(result.Item) as unknown as ConfigurationRecord;
      if (writes === writesBefore) {
        // Bounded: a process that opens tickets in very many configurations starts over.
        if (recent.size >= RECENT_CONFIGURATIONS_KEPT) recent.clear();
        recent.set(name, { record, readAt });
      }
      return record;
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
      return writing(record.name, async () => {
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
          await table.client.send(new TransactWriteCommand({ TransactItems: items }));
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
      return writing(record.name, async () => {
        try {
          await table.client.send(
            new TransactWriteCommand({
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
            }),
          );
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
