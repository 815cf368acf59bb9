import fc from 'fast-check';
import { operationInputSchemas } from '../../lambdas/dialects/gamelift/schemas';
import { PLAYFAB_OPERATIONS } from '../../lambdas/dialects/playfab/schemas';
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
import { credentialHeaders, player } from '../support/playfab-client';
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

let service: LocalService;
let seeds: Seeds;
let snapshots: ReturnType<typeof tableSnapshots>;

async function gameLift(operation: string, body: unknown): Promise<RawResponse> {
  return signedGameLiftCall(service, operation, JSON.stringify(body));
}

async function playFab(
  operation: string,
  body: string,
  credential: Parameters<typeof credentialHeaders>[0],
): Promise<RawResponse> {
  const response = await fetch(`${service.url}/Match/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders(credential) },
    body,
  });
  return readResponse(response);
}

/** A fresh service and table with one of everything the requests name. */
async function startSeeded(): Promise<void> {
  service = await startTestService();
  const ruleSetName = uniqueName('rules');
  const configurationName = uniqueName('config');
  const queueName = uniqueName('queue');
  const playFabCreator = uniqueName('creator');
  await gameLift('CreateMatchmakingRuleSet', { Name: ruleSetName, RuleSetBody: twoVersusTwoSkill });
  await gameLift('CreateMatchmakingConfiguration', {
    Name: configurationName,
    RuleSetName: ruleSetName,
    RequestTimeoutSeconds: 600,
    AcceptanceRequired: false,
  });
  const started = await gameLift('StartMatchmaking', {
    ConfigurationName: configurationName,
    Players: [{ PlayerId: 'gl-seed' }],
  });
  const gameLiftTicketId = (started.body as { MatchmakingTicket: { TicketId: string } }).MatchmakingTicket
    .TicketId;
  const queue = {
    MatchmakingQueue: { Name: queueName, MinMatchSize: 2, MaxMatchSize: 2, ServerAllocationEnabled: false },
  };
  await playFab('SetMatchmakingQueue', JSON.stringify(queue), { server: true });
  const created = await playFab(
    'CreateMatchmakingTicket',
    JSON.stringify({ QueueName: queueName, GiveUpAfterSeconds: 600, Creator: player(playFabCreator) }),
    { player: playFabCreator },
  );
  const playFabTicketId = (created.body as { data: { TicketId: string } }).data.TicketId;
  seeds = { ruleSetName, configurationName, queueName, gameLiftTicketId, playFabTicketId, playFabCreator };
  snapshots = tableSnapshots(service);
}

async function stopSeeded(): Promise<void> {
  snapshots?.close();
  await service?.stop();
}

beforeAll(async () => {
  await startSeeded();
});
afterAll(async () => {
  await stopSeeded();
});

/** One request to send: which operation, and how its valid body is broken (or not). */
const requestCase = fc.record({
  dialect: fc.constantFrom('gamelift' as const, 'playfab' as const),
  gameLiftOperation: fc.constantFrom(...GAMELIFT_OPERATIONS),
  playFabOperation: fc.constantFrom(...PLAYFAB_OPERATIONS),
  body: fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
    { weight: 8, arbitrary: mutations.map((change) => ({ kind: 'mutated' as const, change })) },
    { weight: 1, arbitrary: brokenBodies.map((text) => ({ kind: 'broken' as const, text })) },
  ),
});

function problemsOf(dialect: 'gamelift' | 'playfab', response: RawResponse): string[] {
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

it(
  `answers ${BUDGET} mutated requests of every operation in both dialects without a 5xx, in shape, and refusals write nothing`,
  async () => {
    let sent = 0;
    const seenOperations = new Set<string>();
    let before: string[] | undefined;
    await fc.assert(
      fc.asyncProperty(requestCase, async (request) => {
        sent++;
        const unique = `${sent}-${Math.random().toString(36).slice(2, 8)}`;
        let operation: string;
        let response: RawResponse;
        let bodyText: string;
        before ??= await snapshots.take();
        if (request.dialect === 'gamelift') {
          operation = request.gameLiftOperation;
          const valid = gameLiftRequests(seeds, unique)[request.gameLiftOperation];
          bodyText =
            request.body.kind === 'valid'
              ? JSON.stringify(valid)
              : request.body.kind === 'broken'
                ? request.body.text
                : mutate(valid, request.body.change);
          response = await signedGameLiftCall(service, operation, bodyText);
        } else {
          operation = request.playFabOperation;
          const valid = playFabRequests(seeds, unique)[request.playFabOperation];
          bodyText =
            request.body.kind === 'valid'
              ? JSON.stringify(valid.body)
              : request.body.kind === 'broken'
                ? request.body.text
                : mutate(valid.body, request.body.change);
          response = await playFab(operation, bodyText, valid.credential);
        }
        seenOperations.add(`${request.dialect}:${operation}`);
        const after = await snapshots.take();
        const context = `${request.dialect} ${operation} ${bodyText.slice(0, 300)}`;
        try {
          expect({ context, problems: problemsOf(request.dialect, response) }).toEqual({
            context,
            problems: [],
          });
          if (response.status !== 200) expect({ context, after }).toEqual({ context, after: before });
        } finally {
          before = after;
        }
        if (after.length > MAX_TABLE_ITEMS) {
          await stopSeeded();
          await startSeeded();
          before = undefined;
        }
      }),
      { numRuns: BUDGET, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(sent).toBe(BUDGET);
    // The budget reaches every operation of both dialects (33 in all).
    if (BUDGET >= 2000)
      expect(seenOperations.size).toBe(GAMELIFT_OPERATIONS.length + PLAYFAB_OPERATIONS.length);
  },
  BUDGET * MS_PER_REQUEST,
);
