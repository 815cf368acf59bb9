import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { traced, tracing } from '../../lambdas/shared/tracing';

/**
 * The Tracer loads at the first invocation (lambdas/shared/tracing.ts): clients registered at
 * init must carry X-Ray's middleware once the handler runs, exactly once, and clients created
 * later must be captured at once. Tracing is on as in Lambda with active tracing.
 */
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';
const LAMBDA_ENVIRONMENT = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'tracing-test',
  POWERTOOLS_TRACE_ENABLED: 'true',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
};

function middlewareNames(client: DynamoDBClient | EventBridgeClient): string[] {
  return client.middlewareStack.identify();
}

function countOf(names: string[], wanted: string): number {
  return names.filter((name) => name.startsWith(wanted)).length;
}

describe('tracing loaded at the first invocation', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, LAMBDA_ENVIRONMENT));
  afterAll(() => {
    process.env = saved;
  });

  it('captures the clients registered at init before the handler runs, once, and later clients at once', async () => {
    const dynamo = traced(new DynamoDBClient({ region: 'us-east-1' }));
    expect(countOf(middlewareNames(dynamo), XRAY_MIDDLEWARE)).toBe(0);

    const seenByHandler: number[] = [];
    const handler = middy<unknown, string, Error, Context>()
      .use(tracing())
      .handler(async () => {
        seenByHandler.push(countOf(middlewareNames(dynamo), XRAY_MIDDLEWARE));
        return 'done';
      });
    const context = { awsRequestId: 'request', functionName: 'tracing-test' } as Context;
    await handler({}, context);
    await handler({}, context);
    expect(seenByHandler).toEqual([1, 1]);

    const eventBridge = traced(new EventBridgeClient({ region: 'us-east-1' }));
    expect(countOf(middlewareNames(eventBridge), XRAY_MIDDLEWARE)).toBe(1);
  });
});

describe('tracing switched off', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('never loads the Tracer (nor the X-Ray SDK it brings)', async () => {
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    let tracerLoaded = false;
    let run: (() => Promise<unknown>) | undefined;
    jest.isolateModules(() => {
      jest.doMock('@aws-lambda-powertools/tracer', () => {
        tracerLoaded = true;
        return jest.requireActual('@aws-lambda-powertools/tracer');
      });
      const isolated =
        require('../../lambdas/shared/tracing') as typeof import('../../lambdas/shared/tracing');
      const handler = middy<unknown, string, Error, Context>()
        .use(isolated.tracing())
        .handler(async () => 'done');
      run = () => handler({}, { awsRequestId: 'request', functionName: 'tracing-test' } as Context);
    });
    await expect(run?.()).resolves.toBe('done');
    expect(tracerLoaded).toBe(false);
  });
});
