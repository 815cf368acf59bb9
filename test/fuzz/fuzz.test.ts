import fc from 'fast-check';
import { type GameLiftOperation, operationInputSchemas } from '../../lambdas/dialects/gamelift/schemas';
import { PLAYFAB_OPERATIONS, type PlayFabOperation } from '../../lambdas/dialects/playfab/schemas';
import type { LocalService } from '../../lambdas/local/service';
import {
  gameLiftErrorShapeProblems,
  playFabErrorShapeProblems,
  type RawResponse,
  readResponse,
  signedGameLiftCall,
  tableSnapshots,
} from '../support/hostile';
import { startTestService, uniqueName } from '../support/local-service';
import { type Credential, player, requestFor } from '../support/playfab-client';
import { twoVersusTwoSkill } from '../support/rule-sets';
import { brokenBodies, gameLiftRequests, mutate, mutations, playFabRequests, type Seeds } from './requests';

/**
 * Property-based fuzzing of both dialects against the local service: valid requests of every
 * operation, broken in one place each. Whatever a client sends, the answer is never a 5xx, an
 * error is always in the dialect's shape, and a refused request writes nothing (the whole table
 * is compared before and after it).
 *
 * Budget: FUZZ_REQUESTS requests (2,000 in CI; `npm run fuzz` sends more). FUZZ_SEED replays a
 * run; a failure prints the seed and the request that broke a property.
 */
const BUDGET = Number(process.env.FUZZ_REQUESTS ?? 2000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Generous per request: the budget is a number of requests, not a time (the machine may be busy). */
const MS_PER_REQUEST = 300;
/** The table is replaced once it holds this many items, so every comparison stays a quick scan. */
const MAX_TABLE_ITEMS = 300;

const GAMELIFT_OPERATIONS = Object.keys(operationInputSchemas) as Array<keyof typeof operationInputSchemas>;

type Dialect = 'gamelift' | 'playfab';

/**
 * The service requests go to, with what it was seeded with. One at a time: services started in
 * one process share the handlers' environment (and so their table), so the dialects take turns.
 */
class Stream {
  service!: LocalService;
  seeds!: Seeds;
  snapshots!: ReturnType<typeof tableSnapshots>;

  gameLift(operation: string, body: string): Promise<RawResponse> {
    return signedGameLiftCall(this.service, operation, body);
  }

  async playFab(operation: string, body: string, credential: Credential): Promise<RawResponse> {
    // Game servers on /Match/*, players on /Player/Match/* with a JWT the local issuer signs.
    const { url, headers } = await requestFor(this.service, operation, credential);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return readResponse(response);
  }

  /** A fresh service and table with one of everything the requests name. */
  async start(): Promise<void> {
    this.service = await startTestService();
    const ruleSetName = uniqueName('rules');
    const configurationName = uniqueName('config');
    const queueName = uniqueName('queue');
    const playFabCreator = uniqueName('creator');
    await this.gameLift(
      'CreateMatchmakingRuleSet',
      JSON.stringify({ Name: ruleSetName, RuleSetBody: twoVersusTwoSkill }),
    );
    await this.gameLift(
      'CreateMatchmakingConfiguration',
      JSON.stringify({
        Name: configurationName,
        RuleSetName: ruleSetName,
        RequestTimeoutSeconds: 600,
        AcceptanceRequired: false,
      }),
    );
    const started = await this.gameLift(
      'StartMatchmaking',
      JSON.stringify({ ConfigurationName: configurationName, Players: [{ PlayerId: 'gl-seed' }] }),
    );
    const gameLiftTicketId = (started.body as { MatchmakingTicket: { TicketId: string } }).MatchmakingTicket
      .TicketId;
    const queue = {
      MatchmakingQueue: { Name: queueName, MinMatchSize: 2, MaxMatchSize: 2, ServerAllocationEnabled: false },
    };
    await this.playFab('SetMatchmakingQueue', JSON.stringify(queue), { server: true });
    const created = await this.playFab(
      'CreateMatchmakingTicket',
      JSON.stringify({ QueueName: queueName, GiveUpAfterSeconds: 600, Creator: player(playFabCreator) }),
      { player: playFabCreator },
    );
    const playFabTicketId = (created.body as { data: { TicketId: string } }).data.TicketId;
    this.seeds = {
      ruleSetName,
      configurationName,
      queueName,
      gameLiftTicketId,
      playFabTicketId,
      playFabCreator,
    };
    this.snapshots = tableSnapshots(this.service);
  }

  async stop(): Promise<void> {
    this.snapshots?.close();
    await this.service?.stop();
  }
}

const stream = new Stream();

beforeAll(async () => {
  await stream.start();
});
afterAll(async () => {
  await stream.stop();
});

/** How a request's valid body is broken (or not). */
const bodyCase = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 8, arbitrary: mutations.map((change) => ({ kind: 'mutated' as const, change })) },
  { weight: 1, arbitrary: brokenBodies.map((text) => ({ kind: 'broken' as const, text })) },
);
type BodyCase = typeof bodyCase extends fc.Arbitrary<infer Case> ? Case : never;

function bodyText(valid: Parameters<typeof mutate>[0], body: BodyCase): string {
  if (body.kind === 'valid') return JSON.stringify(valid);
  return body.kind === 'broken' ? body.text : mutate(valid, body.change);
}

function problemsOf(dialect: Dialect, response: RawResponse): string[] {
  if (response.status >= 500)
    return [`HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`];
  if (dialect === 'gamelift') {
    if (response.status === 200)
      return typeof response.body === 'object' && response.body !== null ? [] : ['200 without a JSON object'];
    return gameLiftErrorShapeProblems(response);
  }
  if (response.status === 200) {
    const body = response.body as { code?: number; status?: string; data?: unknown };
    return body.code === 200 && body.status === 'OK' && typeof body.data === 'object'
      ? []
      : ['200 outside the envelope'];
  }
  return playFabErrorShapeProblems(response);
}

/** Sends `budget` cases of one dialect, checking every answer. */
async function fuzz(dialect: Dialect, budget: number, seenOperations: Set<string>): Promise<number> {
  const operations: readonly string[] = dialect === 'gamelift' ? GAMELIFT_OPERATIONS : PLAYFAB_OPERATIONS;
  let sent = 0;
  let before: string[] | undefined;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...operations), bodyCase, async (operation, body) => {
      sent++;
      const unique = `${sent}-${Math.random().toString(36).slice(2, 8)}`;
      before ??= await stream.snapshots.take();
      let text: string;
      let response: RawResponse;
      if (dialect === 'gamelift') {
        const valid = gameLiftRequests(stream.seeds, unique)[operation as GameLiftOperation];
        text = bodyText(valid, body);
        response = await stream.gameLift(operation, text);
      } else {
        const valid = playFabRequests(stream.seeds, unique)[operation as PlayFabOperation];
        text = bodyText(valid.body, body);
        response = await stream.playFab(operation, text, valid.credential);
      }
      seenOperations.add(`${dialect}:${operation}`);
      const after = await stream.snapshots.take();
      const context = `${dialect} ${operation} ${text.slice(0, 300)}`;
      try {
        expect({ context, problems: problemsOf(dialect, response) }).toEqual({ context, problems: [] });
        if (response.status !== 200) expect({ context, after }).toEqual({ context, after: before });
      } finally {
        before = after;
      }
      if (after.length > MAX_TABLE_ITEMS) {
        await stream.stop();
        await stream.start();
        before = undefined;
      }
    }),
    { numRuns: budget, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
  return sent;
}

it(
  `answers ${BUDGET} mutated requests of every operation in both dialects without a 5xx, in shape, and refusals write nothing`,
  async () => {
    const seenOperations = new Set<string>();
    const gameLiftBudget = Math.ceil(BUDGET / 2);
    const sent = [
      await fuzz('gamelift', gameLiftBudget, seenOperations),
      await fuzz('playfab', BUDGET - gameLiftBudget, seenOperations),
    ];
    expect(sent[0] + sent[1]).toBe(BUDGET);
    // The budget reaches every operation of both dialects (33 in all).
    if (BUDGET >= 2000)
      expect(seenOperations.size).toBe(GAMELIFT_OPERATIONS.length + PLAYFAB_OPERATIONS.length);
  },
  BUDGET * MS_PER_REQUEST,
);
