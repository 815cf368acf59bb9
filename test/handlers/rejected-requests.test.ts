import { createGameLiftHandler } from '../../lambdas/handlers/gamelift-api';
import { createPlayFabHandler } from '../../lambdas/handlers/playfab-api';
import { httpApiEvent } from '../../lambdas/local/gateway';
import { lambdaContext } from '../../lambdas/local/lambda-context.cjs';
import { SlotfillError } from '../../lambdas/shared/errors';
import { API_METRICS } from '../../lambdas/shared/metric-names';
import type { MatchmakingStore } from '../../lambdas/store/store';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { emittedMetrics } from '../support/emf';

/**
 * A request refused before any use case runs (unknown operation, unreadable body) still leaves
 * a metric: RequestsRejected. Without one the request's metrics buffer is empty, and Powertools
 * logs a warning for every such request.
 */
const untouchedStore = new Proxy(
  {},
  {
    get: () => async () => {
      throw new SlotfillError('Internal', 'a rejected request must not reach the store');
    },
  },
) as MatchmakingStore;
const useCases: UseCaseContext = { store: untouchedStore, now: () => 0, newId: () => 'id' };

function event(path: string, operation: string | undefined, headers: Record<string, string>, body: string) {
  return httpApiEvent({
    route: { method: 'POST', path },
    pathParameters: operation ? { operation } : {},
    url: new URL(`http://localhost${path}`),
    headers,
    body,
    requestId: 'req-rejected',
    accountId: '000000000000',
  });
}

/** The EMF documents and what went to stderr while `run` ran. */
async function observed(run: () => Promise<unknown>) {
  const stderr: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    const documents = await emittedMetrics(run);
    return { documents, stderr: stderr.join('') };
  } finally {
    spy.mockRestore();
  }
}

const rejectedCount = (documents: Array<Record<string, unknown>>) =>
  documents.reduce((total, document) => total + Number(document[API_METRICS.requestsRejected] ?? 0), 0);

it('GameLift: an unknown operation and an unreadable body each count as rejected, with no warning', async () => {
  const handler = createGameLiftHandler({
    useCases,
    arnScope: { region: 'us-east-1', accountId: '000000000000' },
  });
  const { documents, stderr } = await observed(async () => {
    const unknown = await handler(
      event('/', undefined, { 'x-amz-target': 'GameLift.Nope' }, '{}'),
      lambdaContext('GameLiftApi', 'lambda-1', 15_000),
    );
    expect(unknown.statusCode).toBe(400);
    const unreadable = await handler(
      event('/', undefined, { 'x-amz-target': 'GameLift.StopMatchmaking' }, '{not json'),
      lambdaContext('GameLiftApi', 'lambda-2', 15_000),
    );
    expect(unreadable.statusCode).toBe(400);
  });
  expect(rejectedCount(documents)).toBe(2);
  expect(stderr).not.toMatch(/No application metrics/);
});

it('PlayFab: a call that is not a matchmaking API counts as rejected, with no warning', async () => {
  const handler = createPlayFabHandler({
    useCases,
    secrets: async () => {
      throw new Error('a rejected request must not need the secrets');
    },
  });
  const { documents, stderr } = await observed(async () => {
    const result = await handler(
      event('/Match/Nope', 'Nope', { 'content-type': 'application/json' }, '{}'),
      lambdaContext('PlayFabApi', 'lambda-3', 15_000),
    );
    expect(result.statusCode).toBe(404);
  });
  expect(rejectedCount(documents)).toBe(1);
  expect(stderr).not.toMatch(/No application metrics/);
});
