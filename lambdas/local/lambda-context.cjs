'use strict';
/**
 * The context object the Lambda runtime hands a handler, built locally. Plain CommonJS so that
 * lambda-host.cjs (which must not load TypeScript) and the local gateway share it.
 */
function lambdaContext(functionName, awsRequestId, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

module.exports = { lambdaContext };
