import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { DynamoMatchmakingStore } from '../../lambdas/store/dynamo-store';
import { ruleSetNameOf } from '../../lambdas/store/records';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import {
  createConfiguration,
  deleteConfiguration,
  TICKET_CONFIGURATION_MAX_AGE_MS,
  updateConfiguration,
} from '../../lambdas/usecases/configurations';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { setUpConfiguration, twoVersusTwo } from '../support/matchmaker-harness';
import { startMatchmaking } from '../support/ticket-calls';

/**
 * Opening a ticket may use a configuration this store read up to a second ago, and the local
 * matchmaker a pool split as recent (one read less per ticket, and per turn). These pin what
 * that may and may not miss: two stores on one table stand for two processes (two Lambda
 * environments, or the service and a tool).
 */
const dynamo = createDynamoClient({ dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' });
afterAll(() => dynamo.destroy());

interface Stage {
  mine: UseCaseContext;
  other: UseCaseContext;
  /** A configuration both see, and its rule set. */
  name: string;
  ruleSetName: string;
}

async function twoStoresOnOneTable(): Promise<Stage> {
  const tableName = `recent-copies-${randomUUID()}`;
  await ensureTable(dynamo, tableName, { stream: false });
  const contextOf = (): UseCaseContext => ({
    store: new DynamoMatchmakingStore({ tableName, client: createDocumentClient(dynamo) }),
    now: () => Date.now(),
    newId: () => randomUUID(),
  });
  const [mine, other] = [contextOf(), contextOf()];
  const name = await setUpConfiguration(mine, twoVersusTwo, 60);
  const ruleSetName = ruleSetNameOf((await mine.store.getConfiguration(name))!) ?? '';
  return { mine, other, name, ruleSetName };
}

const recently = { maxAgeMs: 60_000 };

it("answers a reader that accepts an old copy from this store's last read, not the table", async () => {
  const { mine, other, name } = await twoStoresOnOneTable();
  expect((await mine.store.getConfiguration(name, recently))?.requestTimeoutSeconds).toBe(60);
  await updateConfiguration(other, name, { requestTimeoutSeconds: 90 });
  // Within the age allowed, another process's change is not seen yet ...
  expect((await mine.store.getConfiguration(name, recently))?.requestTimeoutSeconds).toBe(60);
  // ... by that reader only: every other read goes to the table.
  expect((await mine.store.getConfiguration(name))?.requestTimeoutSeconds).toBe(90);
  // And the fresh read is what the next tolerant reader gets.
  expect((await mine.store.getConfiguration(name, recently))?.requestTimeoutSeconds).toBe(90);
});

it('reads again once the copy is older than the reader allows', async () => {
  const { mine, other, name } = await twoStoresOnOneTable();
  await mine.store.getConfiguration(name, recently);
  await updateConfiguration(other, name, { requestTimeoutSeconds: 90 });
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect((await mine.store.getConfiguration(name, { maxAgeMs: 10 }))?.requestTimeoutSeconds).toBe(90);
});

it("never serves an old copy after this store's own change, nor a deleted configuration", async () => {
  const { mine, name } = await twoStoresOnOneTable();
  await mine.store.getConfiguration(name, recently);
  await updateConfiguration(mine, name, { requestTimeoutSeconds: 120 });
  expect((await mine.store.getConfiguration(name, recently))?.requestTimeoutSeconds).toBe(120);
  await deleteConfiguration(mine, name);
  expect(await mine.store.getConfiguration(name, recently)).toBeUndefined();
});

it('keeps no copy of a missing configuration: one created elsewhere is found at once', async () => {
  const { mine, other, ruleSetName } = await twoStoresOnOneTable();
  expect(await mine.store.getConfiguration('later', recently)).toBeUndefined();
  await createConfiguration(other, {
    name: 'later',
    ruleSetName,
    requestTimeoutSeconds: 30,
    acceptanceRequired: false,
  });
  expect((await mine.store.getConfiguration('later', recently))?.requestTimeoutSeconds).toBe(30);
});

it('opens tickets with one configuration read a second, not one each', async () => {
  const { mine, name } = await twoStoresOnOneTable();
  const configurationReads: string[] = [];
  const spy = jest.spyOn(mine.store, 'getConfiguration');
  for (let index = 0; index < 5; index++)
    await startMatchmaking(mine, {
      configurationName: name,
      players: [{ playerId: `p${index}`, attributes: {}, latencyInMs: {} }],
    });
  for (const call of spy.mock.calls) configurationReads.push(String(call[1]?.maxAgeMs));
  // Every open asks for a recent copy, and the table was read once for the five.
  expect(configurationReads).toEqual(Array(5).fill(String(TICKET_CONFIGURATION_MAX_AGE_MS)));
  const tableReads = await Promise.all(spy.mock.results.map((result) => result.value));
  expect(new Set(tableReads).size).toBe(1);
});

describe("a pool's split", () => {
  it('answers a reader that accepts an old copy from this store, and this store sees its own change at once', async () => {
    const { mine, other, name } = await twoStoresOnOneTable();
    expect(await mine.store.getPoolSplit(name, recently)).toBe(1);
    expect(await other.store.changePoolSplit(name, 1, 4)).toBe(true);
    expect(await mine.store.getPoolSplit(name, recently)).toBe(1);
    expect(await mine.store.getPoolSplit(name)).toBe(4);
    expect(await mine.store.changePoolSplit(name, 4, 2)).toBe(true);
    expect(await mine.store.getPoolSplit(name, recently)).toBe(2);
    // A change that lost (the split moved on elsewhere) leaves no copy either.
    expect(await other.store.changePoolSplit(name, 2, 8)).toBe(true);
    expect(await mine.store.changePoolSplit(name, 2, 1)).toBe(false);
    expect(await mine.store.getPoolSplit(name, recently)).toBe(8);
  });
});
