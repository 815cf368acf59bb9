import { randomUUID } from 'node:crypto';
import { DEV_TITLE_SECRET_KEY } from '../../../lambdas/handlers/playfab-secrets';
import type { LocalService } from '../../../lambdas/local/service';
import { playFabErrorShapeProblems, readResponse, tableSnapshot } from '../../support/hostile';
import { startTestService } from '../../support/local-service';
import {
  asPlayer,
  type Credential,
  call,
  ok,
  type PlayFabResponse,
  player,
  requestFor,
  SERVER,
  skillDifferenceRule,
} from '../../support/playfab-client';

/**
 * Every class of client mistake a probe once turned into a 500 (issue 13) answers a PlayFab
 * error envelope with the right error and a message saying what to fix, and writes nothing.
 */
let service: LocalService;
const queueName = `hostile-${randomUUID().slice(0, 8)}`;

/** A duel queue with one skill DifferenceRule of the given Difference. */
const skillQueue = (name: string, difference: number) => ({
  Name: name,
  MinMatchSize: 2,
  MaxMatchSize: 2,
  ServerAllocationEnabled: false,
  DifferenceRules: [skillDifferenceRule(difference)],
});

beforeAll(async () => {
  service = await startTestService();
  await ok(service, 'SetMatchmakingQueue', {
    MatchmakingQueue: {
      ...skillQueue(queueName, 10),
      RegionSelectionRule: { Name: 'region', Path: 'latencies', MaxLatency: 200, Weight: 1 },
    },
  });
});
afterAll(async () => {
  await service?.stop();
});

const uniquePlayer = () => `p-${randomUUID().slice(0, 8)}`;

/** Expects the named error, a message matching, field details when given, and no write. */
async function refused(
  operation: string,
  /** A string is sent as the body as it is: for JSON too deep for JSON.stringify. */
  request: object | string,
  error: string,
  message: RegExp,
  credential = SERVER,
): Promise<Record<string, unknown>> {
  const before = await tableSnapshot(service);
  const response =
    typeof request === 'string'
      ? await rawCall(operation, request, credential)
      : await call(service, operation, request, credential);
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const described = `${String(response.body.errorMessage)} ${JSON.stringify(response.body.errorDetails ?? {})}`;
  expect({ error: response.body.error, described }).toEqual({
    error,
    described: expect.stringMatching(message),
  });
  expect(await tableSnapshot(service)).toEqual(before);
  return response.body;
}

/** A call with a body given as text; the envelope is checked like call() checks it. */
async function rawCall(operation: string, body: string, credential: Credential) {
  const { url, headers } = await requestFor(service, operation, credential);
  const response = await readResponse(
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
  );
  expect(playFabErrorShapeProblems(response)).toEqual([]);
  return { status: response.status, body: response.body as PlayFabResponse['body'] };
}

const ticketWith = (id: string, attributes: object) => ({
  QueueName: queueName,
  GiveUpAfterSeconds: 60,
  Creator: { Entity: { Id: id, Type: 'title_player_account' }, Attributes: attributes },
});

describe('numbers DynamoDB cannot store', () => {
  it.each([
    ['huge', '1e300'],
    ['tiny', '1e-200'],
    ['beyond 2^53', '9007199254740994'],
  ])('refuses a %s number in DataObject', async (_label, literal) => {
    await refused(
      'CreateServerMatchmakingTicket',
      {
        QueueName: queueName,
        GiveUpAfterSeconds: 60,
        Members: [{ Entity: { Id: uniquePlayer() }, Attributes: { DataObject: { skill: Number(literal) } } }],
      },
      'InvalidParams',
      /Members\[0\]\.Attributes\.DataObject.*2\^53.*1e-130/,
    );
  });

  it('refuses an out-of-range number in EscapedDataObject with 2002', async () => {
    const id = uniquePlayer();
    await refused(
      'CreateMatchmakingTicket',
      ticketWith(id, { EscapedDataObject: '{"skill":1e300}' }),
      'MatchmakingPlayerAttributesInvalid',
      /2\^53/,
      asPlayer(id),
    );
  });

  it('refuses an out-of-range rule number in a queue', async () => {
    await refused(
      'SetMatchmakingQueue',
      {
        MatchmakingQueue: skillQueue(`q-${randomUUID().slice(0, 8)}`, 1e300),
      },
      'MatchmakingQueueConfigInvalid',
      /Difference.*2\^53/,
    );
  });
});

describe('strings used in keys', () => {
  it('refuses an Entity.Id past 1024 bytes', async () => {
    const id = '\u{1F600}'.repeat(300);
    await refused(
      'CreateServerMatchmakingTicket',
      {
        QueueName: queueName,
        GiveUpAfterSeconds: 60,
        Members: [player(id)],
      },
      'InvalidParams',
      /1024 bytes/,
    );
  });

  it('refuses an invitee id past 1024 bytes', async () => {
    const id = uniquePlayer();
    await refused(
      'CreateMatchmakingTicket',
      { ...ticketWith(id, { DataObject: {} }), MembersToMatchWith: [{ Id: 'x'.repeat(5000) }] },
      'InvalidParams',
      /1024 bytes/,
      asPlayer(id),
    );
  });

  it('refuses a TicketId or MatchId longer than any issued id', async () => {
    await refused(
      'GetMatchmakingTicket',
      { QueueName: queueName, TicketId: 'x'.repeat(5000), EscapeObject: false },
      'InvalidParams',
      /at most 128 characters/,
    );
    await refused(
      'CancelServerBackfillTicket',
      { QueueName: queueName, TicketId: 'x'.repeat(5000) },
      'InvalidParams',
      /at most 128 characters/,
    );
    await refused(
      'GetMatch',
      { QueueName: queueName, MatchId: 'x'.repeat(5000), EscapeObject: false, ReturnMemberAttributes: false },
      'InvalidParams',
      /at most 128 characters/,
    );
  });
});

describe('attributes past what one item holds', () => {
  it('answers a huge DataObject with 2043 MatchmakingPlayerAttributesTooLarge', async () => {
    const id = uniquePlayer();
    await refused(
      'CreateMatchmakingTicket',
      ticketWith(id, { DataObject: { skill: 5, notes: 'x'.repeat(300_000) } }),
      'MatchmakingPlayerAttributesTooLarge',
      /bytes/,
      asPlayer(id),
    );
  });

  it('answers many latency entries with 2043', async () => {
    const id = uniquePlayer();
    const latencies = Array.from({ length: 5000 }, (_, i) => ({ region: `region-${i}`, latency: 50 }));
    await refused(
      'CreateMatchmakingTicket',
      ticketWith(id, { DataObject: { skill: 5, latencies } }),
      'MatchmakingPlayerAttributesTooLarge',
      /bytes/,
      asPlayer(id),
    );
  });
});

describe('nesting that would overflow the stack', () => {
  it('refuses a deeply nested DataObject', async () => {
    const id = uniquePlayer();
    await refused(
      'CreateMatchmakingTicket',
      JSON.stringify(ticketWith(id, { DataObject: { placeholder: true } })).replace(
        '{"placeholder":true}',
        `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
      ),
      'InvalidParams',
      /nest at most 32 levels/,
      asPlayer(id),
    );
  });

  it('refuses a deeply nested EscapedDataObject with 2002', async () => {
    const id = uniquePlayer();
    await refused(
      'CreateMatchmakingTicket',
      ticketWith(id, { EscapedDataObject: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` }),
      'MatchmakingPlayerAttributesInvalid',
      /nest at most 32 levels/,
      asPlayer(id),
    );
  });
});

describe('malformed paths', () => {
  it.each(['/Match/%E0%A4%A', '/Match/%', '/Match/Get%00Match'])(
    'answers %s with a 4xx PlayFab error, no exception text',
    async (path) => {
      const response = await readResponse(
        await fetch(`${service.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-SecretKey': DEV_TITLE_SECRET_KEY },
          body: '{}',
        }),
      );
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(playFabErrorShapeProblems(response)).toEqual([]);
      expect(JSON.stringify(response.body)).not.toMatch(/URIError|malformed|at .*\.ts/i);
    },
  );
});
