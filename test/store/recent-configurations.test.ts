import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { DynamoMatchmakingStore } from '../../lambdas/store/dynamo-store';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import {
  createConfiguration,
  deleteConfiguration,
  TICKET_CONFIGURATION_MAX_AGE_MS,
  updateConfiguration,
} from '../../lambdas/usecases/configurations';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { createRuleSet } from '../../lambdas/usecases/rule-sets';
import { startMatchmaking } from '../support/ticket-calls';

/**
 * Opening a ticket may use a configuration this store read up to a second ago (one read less per
 * ticket on the hot path). These pin what that may and may not miss: two stores on one table
 * stand for two processes (two Lambda environments, or the service and a tool).
 */
const dynamo = createDynamoClient({ dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' });
afterAll(() => dynamo.destroy());

async function twoStoresOnOneTable(): Promise<[UseCaseContext, UseCaseContext]> {
  const tableName = `recent-configurations-${randomUUID()}`;
  await ensureTable(dynamo, tableName, { stream: false });
  const contextOf = (): UseCaseContext => ({
    store: new DynamoMatchmakingStore({ tableName, client: createDocumentClient(dynamo) }),
    now: () => Date.now(),
    newId: () => randomUUID(),
  });
  const [mine, other] = [contextOf(), contextOf()];
  await createRuleSet(mine, {
    name: 'rules',
    ruleSetBody: JSON.stringify({
      ruleLanguageVersion: '1.0',
      teams: [{ name: 'all', minPlayers: 2, maxPlayers: 2 }],
    }),
  });
  await createConfiguration(mine, {
    name: 'config',
    ruleSetName: 'rules',
    requestTimeoutSeconds: 60,
    acceptanceRequired: false,
  });
  return [mine, other];
}

const recently = { maxAgeMs: 60_000 };

it("answers a reader that accepts an old copy from this store's last read, not the table", async () => {
  const [mine, other] = await twoStoresOnOneTable();
  expect((await mine.store.getConfiguration('config', recently))?.requestTimeoutSeconds).toBe(60);
  await updateConfiguration(other, 'config', { requestTimeoutSeconds: 90 });
  // Within the age allowed, another process's change is not seen yet ...
  expect((await mine.store.getConfiguration('config', recently))?.requestTimeoutSeconds).toBe(60);
  // ... by that reader only: every other read goes to the table.
  expect((await mine.store.getConfiguration('config'))?.requestTimeoutSeconds).toBe(90);
  // And the fresh read is what the next tolerant reader gets.
  expect((await mine.store.getConfiguration('config', recently))?.requestTimeoutSeconds).toBe(90);
});

it('reads again once the copy is older than the reader allows', async () => {
  const [mine, other] = await twoStoresOnOneTable();
  await mine.store.getConfiguration('config', recently);
  await updateConfiguration(other, 'config', { requestTimeoutSeconds: 90 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect((await mine.store.getConfiguration('config', { maxAgeMs: 10 }))?.requestTimeoutSeconds).toBe(90);
});

it("never serves an old copy after this store's own change, nor a deleted configuration", async () => {
  const [mine] = await twoStoresOnOneTable();
  await mine.store.getConfiguration('config', recently);
  await updateConfiguration(mine, 'config', { requestTimeoutSeconds: 120 });
  expect((await mine.store.getConfiguration('config', recently))?.requestTimeoutSeconds).toBe(120);
  await deleteConfiguration(mine, 'config');
  expect(await mine.store.getConfiguration('config', recently)).toBeUndefined();
});

it('keeps no copy of a missing configuration: one created elsewhere is found at once', async () => {
  const [mine, other] = await twoStoresOnOneTable();
  expect(await mine.store.getConfiguration('later', recently)).toBeUndefined();
  await createConfiguration(other, {
    name: 'later',
    ruleSetName: 'rules',
    requestTimeoutSeconds: 30,
    acceptanceRequired: false,
  });
  expect((await mine.store.getConfiguration('later', recently))?.requestTimeoutSeconds).toBe(30);
});

it('opens tickets with one configuration read a second, not one each', async () => {
  const [mine] = await twoStoresOnOneTable();
  const configurationReads: string[] = [];
  const spy = jest.spyOn(mine.store, 'getConfiguration');
  for (let index = 0; index < 5; index++)
    await startMatchmaking(mine, {
      configurationName: 'config',
      players: [{ playerId: `p${index}`, attributes: {}, latencyInMs: {} }],
    });
  for (const call of spy.mock.calls) configurationReads.push(String(call[1]?.maxAgeMs));
  // Every open asks for a recent copy, and the table was read once for the five.
  expect(configurationReads).toEqual(Array(5).fill(String(TICKET_CONFIGURATION_MAX_AGE_MS)));
  const tableReads = await Promise.all(spy.mock.results.map((result) => result.value));
  expect(new Set(tableReads).size).toBe(1);
});
