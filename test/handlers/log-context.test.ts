import type { createGameLiftHandler as HandlerFactory } from '../../lambdas/handlers/gamelift-api';
import { httpApiEvent } from '../../lambdas/local/gateway';
import { lambdaContext } from '../../lambdas/local/lambda-context.cjs';
import { SlotfillError } from '../../lambdas/shared/errors';
import type { MatchmakingStore } from '../../lambdas/store/store';
import type { UseCaseContext } from '../../lambdas/usecases/context';

/** Every store call answers "not found": this test is about the log lines, not the data. */
const emptyStore = new Proxy(
  {},
  {
    get: () => async () => {
      throw new SlotfillError('NotFound', 'nothing here');
    },
  },
) as MatchmakingStore;
const useCases: UseCaseContext = { store: emptyStore, now: () => 0, newId: () => 'id' };

function request(requestId: string, target: string, body: object) {
  return httpApiEvent({
    route: { method: 'POST', path: '/' },
    pathParameters: {},
    url: new URL('http://localhost/'),
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
    requestId,
    accountId: '000000000000',
  });
}

function logLines(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return run()
    .finally(() => spy.mockRestore())
    .then(() =>
      lines
        .flatMap((line) => line.split('\n'))
        .filter((line) => line.startsWith('{') && line.includes('"level"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
}

/**
 * The GameLift handler with its own logger, built with POWERTOOLS_LOG_LEVEL set as the stack
 * sets it: Powertools reads the level when the logger is made and restores it every invocation.
 */
function handlerAtLevel(level: string): ReturnType<typeof HandlerFactory> {
  const previous = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = level;
  let factory: typeof HandlerFactory | undefined;
  jest.isolateModules(() => {
    factory = (
      require('../../lambdas/handlers/gamelift-api') as { createGameLiftHandler: typeof HandlerFactory }
    ).createGameLiftHandler;
  });
  process.env.POWERTOOLS_LOG_LEVEL = previous;
  return factory!({ useCases, arnScope: { region: 'us-east-1', accountId: '000000000000' } });
}

describe('structured request logs', () => {
  const handler = handlerAtLevel('DEBUG');

  it("carries the API request id as correlation id and the ticket's id, reset between requests", async () => {
    const first = await logLines(() =>
      handler(
        request('req-1', 'GameLift.StopMatchmaking', { TicketId: 'ticket-1' }),
        lambdaContext('GameLiftApi', 'lambda-1', 15_000),
      ),
    );
    expect(first).toContainEqual(
      expect.objectContaining({
        message: 'operation started',
        correlation_id: 'req-1',
        operation: 'StopMatchmaking',
        ticketIds: ['ticket-1'],
        function_request_id: 'lambda-1',
      }),
    );
    const second = await logLines(() =>
      handler(
        request('req-2', 'GameLift.ValidateMatchmakingRuleSet', { RuleSetBody: '{}' }),
        lambdaContext('GameLiftApi', 'lambda-2', 15_000),
      ),
    );
    const started = second.find((line) => line.message === 'operation started');
    expect(started).toMatchObject({ correlation_id: 'req-2', operation: 'ValidateMatchmakingRuleSet' });
    expect(started).not.toHaveProperty('ticketIds');
  });

  it('stays quiet below the configured level', async () => {
    const quiet = handlerAtLevel('INFO');
    const lines = await logLines(() =>
      quiet(
        request('req-3', 'GameLift.StopMatchmaking', { TicketId: 'ticket-3' }),
        lambdaContext('GameLiftApi', 'lambda-3', 15_000),
      ),
    );
    expect(lines.filter((line) => line.message === 'operation started')).toEqual([]);
  });
});
