'use strict';
/**
 * Loads one Lambda handler module and invokes it the way the Lambda runtime does, in this
 * process: `node lambda-runner.cjs <module> <export> <requests.json> <results.json>`.
 * Plain CommonJS with no imports but Node's own, so that it can sit beside a bundle copied
 * out of the project and prove that the bundle runs with nothing else around it.
 *
 * requests.json: [{ event, context: { awsRequestId, functionName, remainingMs: number[] } }]
 * getRemainingTimeInMillis answers remainingMs one value per call, then repeats the last one.
 * results.json:  { loadMs, invocations: [{ ok: true, value } | { ok: false, error }] }
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

async function main() {
  const [modulePath, exportName, requestsFile, resultsFile] = process.argv.slice(2);
  const requests = JSON.parse(readFileSync(requestsFile, 'utf8'));
  const started = process.hrtime.bigint();
  const loaded = require(resolve(modulePath));
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const handler = loaded[exportName];
  if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function '${exportName}'`);
  const invocations = [];
  for (const request of requests) {
    const remaining = [...request.context.remainingMs];
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: request.context.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${request.context.functionName}`,
      memoryLimitInMB: '512',
      awsRequestId: request.context.awsRequestId,
      logGroupName: `/aws/lambda/${request.context.functionName}`,
      logStreamName: 'test',
      getRemainingTimeInMillis: () => (remaining.length > 1 ? remaining.shift() : remaining[0]),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    try {
      invocations.push({ ok: true, value: await handler(request.event, context) });
    } catch (error) {
      invocations.push({ ok: false, error: String(error?.stack ?? error) });
    }
  }
  writeFileSync(resultsFile, JSON.stringify({ loadMs, invocations }));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`lambda-runner: ${error?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
