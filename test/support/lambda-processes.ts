import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpApiEvent } from '../../lambdas/local/gateway';
import { LambdaProcess } from '../../lambdas/local/lambda-process';
import type { Route } from '../../lambdas/routes';
import type { LambdaAsset } from '../../lib/cloud-assembly';
import { projectRoot } from '../../lib/project-root';

/**
 * Runs a Lambda handler in a fresh Node process, the way the Lambda runtime would: either a
 * bundle copied out of the cloud assembly into a folder of its own (no project node_modules
 * within reach), or the TypeScript entry file the stack bundles (through tsx), so the two can
 * be given the same events and their answers compared.
 */

export interface Invocation {
  event: unknown;
  context: { awsRequestId: string; functionName: string; timeoutMs: number };
}

export interface ProcessRun {
  /** How long the module took to load in the fresh process. */
  init: { wallMs: number; cpuMs: number };
  /** Each handler's answer, in order (an invocation that throws fails the run). */
  answers: unknown[];
}

export type HandlerCode =
  | { kind: 'bundle'; asset: LambdaAsset; folder: string }
  | { kind: 'source'; entry: string; exportName: string };

/** Copies the asset folder (bundle and map) into a folder of its own under `parent`. */
export function isolateBundle(asset: LambdaAsset, parent: string): HandlerCode {
  const folder = join(parent, `${asset.name}-${randomUUID().slice(0, 8)}`);
  mkdirSync(folder, { recursive: true });
  cpSync(asset.directory, folder, { recursive: true });
  return { kind: 'bundle', asset, folder };
}

/** Starts a new process for `code`, runs `invocations` in order, and ends the process. */
export async function runInFreshProcess(
  code: HandlerCode,
  invocations: Invocation[],
  environment: Record<string, string>,
): Promise<ProcessRun> {
  const lambda = await LambdaProcess.start({
    ...(code.kind === 'bundle'
      ? {
          modulePath: join(code.folder, code.asset.file),
          exportName: code.asset.exportName,
          cwd: code.folder,
        }
      : {
          modulePath: join(projectRoot, code.entry),
          exportName: code.exportName,
          cwd: projectRoot,
          execArgv: ['--import', 'tsx'],
        }),
    functionName: invocations[0]?.context.functionName ?? 'function',
    // Only what Lambda would set, plus PATH: no NODE_PATH, no inherited npm or jest variables.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment },
    output: 'capture',
  });
  try {
    const answers: unknown[] = [];
    for (const invocation of invocations) {
      answers.push(
        await lambda.invoke(invocation.event, {
          awsRequestId: invocation.context.awsRequestId,
          timeoutMs: invocation.context.timeoutMs,
        }),
      );
    }
    return { init: lambda.init, answers };
  } finally {
    await lambda.stop();
  }
}

export function describeCode(code: HandlerCode): string {
  return code.kind === 'bundle' ? `bundle ${code.asset.name} (${code.folder})` : `source ${code.entry}`;
}

/** An HTTP API (payload 2.0) invocation of `route`, as API Gateway would send it. */
export function httpInvocation(
  route: Route,
  request: {
    path: string;
    headers: Record<string, string>;
    body: string;
    pathParameters?: Record<string, string>;
  },
  accountId: string,
): Invocation {
  const awsRequestId = randomUUID();
  const event: APIGatewayProxyEventV2 = httpApiEvent({
    route,
    pathParameters: request.pathParameters ?? {},
    url: new URL(request.path, 'https://api.example.com'),
    headers: { host: 'api.example.com', ...lowerCaseKeys(request.headers) },
    body: request.body,
    requestId: awsRequestId,
    accountId,
    accessKey: route.auth === 'iam' ? 'AKIDEXAMPLE' : undefined,
  });
  return {
    event,
    context: {
      awsRequestId,
      functionName: route.function.name,
      timeoutMs: route.function.timeoutSeconds * 1000,
    },
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
