import type { Context } from 'aws-lambda';

/** A Lambda context whose clock runs out `timeoutMs` after it was made. */
export declare function lambdaContext(functionName: string, awsRequestId: string, timeoutMs: number): Context;
