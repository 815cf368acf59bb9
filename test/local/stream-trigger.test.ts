import { DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { LocalStreamTrigger } from '../../lambdas/local/stream-trigger';
import {
  createHarness,
  type Harness,
  player,
  setUpConfiguration,
  twoVersusTwo,
} from '../support/matchmaker-harness';
import { startMatchmaking } from '../support/ticket-calls';

/**
 * The bundles' stand-in for the stream's event source mapping: DynamoDB Local's stream, read
 * from when the trigger starts, filtered as the mapping's filter does (tickets written QUEUED).
 */
let h: Harness;
let streams: DynamoDBStreamsClient;
beforeAll(async () => {
  h = await createHarness({ stream: true });
  streams = new DynamoDBStreamsClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => {
  streams?.destroy();
  h?.destroy();
});

async function until(condition: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

it('delivers the QUEUED tickets written after it started, and nothing else of the table', async () => {
  const name = await setUpConfiguration(h.context, twoVersusTwo);
  // Written before the trigger starts: not delivered (the mapping starts at LATEST).
  const before = await startMatchmaking(h.context, {
    configurationName: name,
    players: [player('st-before')],
  });
  const delivered: StreamRecord[] = [];
  const errors: unknown[] = [];
  const trigger = new LocalStreamTrigger(
    h.dynamo,
    streams,
    h.tableName,
    async (records) => {
      delivered.push(...records);
    },
    (error) => errors.push(error),
  );
  await trigger.start();
  try {
    const after = await startMatchmaking(h.context, {
      configurationName: name,
      players: [player('st-after')],
    });
    await until(() => delivered.length > 0);
    // The ticket's lock and configuration writes are on the stream too, but filtered out.
    expect(delivered.map((record) => record.dynamodb?.NewImage?.ticketId?.S)).toEqual([after.ticketId]);
    expect(delivered[0]?.dynamodb?.NewImage?.configurationName?.S).toBe(name);
    expect(delivered.some((record) => record.dynamodb?.NewImage?.ticketId?.S === before.ticketId)).toBe(
      false,
    );
    expect(errors).toEqual([]);
  } finally {
    await trigger.stop();
  }
});
